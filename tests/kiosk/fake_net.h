/* A stand-in for the network thread in unit tests: it records what the
 * screens ask for and hands back the events a test queues. */
#ifndef KIOSK_FAKE_NET_H
#define KIOSK_FAKE_NET_H

#include "kiosk_net.h"

typedef struct {
  int submits, calls, lookups, cancels;
  kiosk_submit_kind last_kind;
  json_t *last_body;        /* deep copy of the last submitted or sent body */
  char last_method[8];
  char last_path[256];
  char last_etag[72];
  int last_wait;
  char last_ref[32];
  uint64_t last_id;
  kiosk_net_audio audio;    /* what the heartbeat was last told of the sound */
  int screenshots;          /* frames handed over by kiosk_net_screenshot */
  int shot_w, shot_h, shot_blanked;
  uint8_t *shot_pixels;     /* the last frame, kept until fake_net_reset */
  char shot_request[40];
} fake_net_log;

extern fake_net_log fake_net;
kiosk_net *fake_net_handle(void);
void fake_net_reset(void);
/* Queues a result for the last request (body is taken over). */
void fake_net_answer(kiosk_result_state state, int status, json_t *body, const char *etag);
void fake_net_push(const kiosk_event *ev);

#endif
