#include "kiosk_app.h"

int main(void)
{
  return kiosk_app_run() == LOBBY_OK ? 0 : 1;
}
