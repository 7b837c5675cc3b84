#include "kiosk_app.h"

const int kiosk_screen_home = 1;

void kiosk_home_build(struct kiosk_app *app)
{
  (void)app;
}
