/* The screens by id, and the overlays drawn over them: the app reaches a
 * screen only through this table. */
#include "kiosk_app.h"

static const kiosk_screen *const screens[KIOSK_SCREEN_COUNT] = {
  &kiosk_screen_home, &kiosk_screen_notice, &kiosk_screen_repair,
  &kiosk_screen_status, &kiosk_screen_visit, &kiosk_screen_checkout, &kiosk_screen_complaint,
  &kiosk_screen_release, &kiosk_screen_worker};

const kiosk_screen *kiosk_screen_get(kiosk_screen_id id)
{
  return screens[id >= 0 && id < KIOSK_SCREEN_COUNT ? id : KIOSK_SCREEN_HOME];
}

const kiosk_screen *kiosk_screen_overlay(const kiosk_app *app)
{
  if (kiosk_feed_emergency(app))
    return &kiosk_screen_emergency;
  if (app->clock.night_dark)
    return &kiosk_screen_night;
  return NULL;
}

const kiosk_screen *kiosk_screen_shown(const kiosk_app *app)
{
  const kiosk_screen *overlay = kiosk_screen_overlay(app);
  return overlay ? overlay : kiosk_screen_get(app->screen);
}
