/* The kinds of submission a kiosk queues in its outbox and the network
 * thread delivers: a header of its own so that kiosk_net.h and
 * kiosk_outbox.h share it without including each other. */
#ifndef KIOSK_SUBMIT_H
#define KIOSK_SUBMIT_H

typedef enum {
  KIOSK_SUBMIT_REPAIR,     /* POST /api/v1/repairs */
  KIOSK_SUBMIT_VISIT,      /* POST /api/v1/visits */
  KIOSK_SUBMIT_COMPLAINT,  /* POST /api/v1/complaints */
  KIOSK_SUBMIT_RELEASE     /* POST /api/v1/releases (物品放行) */
} kiosk_submit_kind;

#endif
