#include "keyboard.h"
#include "widgets.h"

void kiosk_keyboard(void)
{
  kiosk_button("a");
}
