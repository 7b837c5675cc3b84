#include "kiosk_app.h"
#include "kiosk_net.h"
#include "screens.h"

lobby_err kiosk_app_run(void)
{
  kiosk_home_build();
  return kiosk_net_start();
}
