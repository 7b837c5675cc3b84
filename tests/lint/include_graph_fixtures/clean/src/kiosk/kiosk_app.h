/* The kiosk application. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H
#include "lobby_error.h"
lobby_err kiosk_app_run(void);
#endif
