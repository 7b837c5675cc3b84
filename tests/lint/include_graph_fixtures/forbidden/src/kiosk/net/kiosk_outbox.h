#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H
#endif
