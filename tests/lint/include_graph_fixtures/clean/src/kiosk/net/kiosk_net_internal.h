/* Shared by the kiosk_net*.c files only. */
#ifndef KIOSK_NET_INTERNAL_H
#define KIOSK_NET_INTERNAL_H
#include <curl/curl.h>
#include "kiosk_net.h"
lobby_err kiosk_net__transfer(CURL *curl);
#endif
