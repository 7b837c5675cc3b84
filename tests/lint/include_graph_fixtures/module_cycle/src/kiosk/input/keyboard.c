#include "keyboard.h"
#include "kiosk_app.h"

void kiosk_keyboard_type(kiosk_app *app)
{
  app->keys.shift = 0;
}
