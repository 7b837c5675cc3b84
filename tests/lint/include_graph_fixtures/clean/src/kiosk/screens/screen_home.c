#include "screens.h"
#include "kiosk_net.h"
#include "keyboard.h"

void kiosk_home_build(void)
{
  if (kiosk_net_queued() > 0)
    kiosk_button("queued");
  kiosk_keyboard();
}
