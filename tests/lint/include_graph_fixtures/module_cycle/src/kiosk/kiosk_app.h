/* The application; holds the keyboard and the screens' state. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H
#include "keyboard.h"
#include "screens.h"
typedef struct { kiosk_keys keys; } kiosk_app;
void kiosk_app_run(kiosk_app *app);
#endif
