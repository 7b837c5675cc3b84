#include "kiosk_net_internal.h"

static int queued;

lobby_err kiosk_net_start(void)
{
  return kiosk_net__transfer(curl_easy_init());
}

int kiosk_net_queued(void)
{
  return queued;
}
