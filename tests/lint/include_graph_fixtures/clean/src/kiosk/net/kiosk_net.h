/* The kiosk's network, as the rest of the kiosk sees it. */
#ifndef KIOSK_NET_H
#define KIOSK_NET_H
#include "lobby_error.h"
lobby_err kiosk_net_start(void);
int kiosk_net_queued(void);
#endif
