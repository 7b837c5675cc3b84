/* The screens by id: the app reaches a screen only through this table. */
#include "kiosk_app.h"

static const kiosk_screen *const screens[KIOSK_SCREEN_COUNT] = {
  &kiosk_screen_home, &kiosk_screen_notice, &kiosk_screen_repair,
  &kiosk_screen_status, &kiosk_screen_visit, &kiosk_screen_checkout};

const kiosk_screen *kiosk_screen_get(kiosk_screen_id id)
{
  return screens[id >= 0 && id < KIOSK_SCREEN_COUNT ? id : KIOSK_SCREEN_HOME];
}
