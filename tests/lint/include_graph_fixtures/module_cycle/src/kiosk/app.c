#include "kiosk_app.h"

void kiosk_app_run(kiosk_app *app)
{
  kiosk_home_build(app);
}
