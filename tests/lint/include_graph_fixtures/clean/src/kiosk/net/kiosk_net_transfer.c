#include "kiosk_net_internal.h"

lobby_err kiosk_net__transfer(CURL *curl)
{
  return curl && curl_easy_perform(curl) == CURLE_OK ? LOBBY_OK : LOBBY_EIO;
}
