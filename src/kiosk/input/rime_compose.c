/* See rime_compose.h. */
#include "rime_compose.h"

#include <string.h>

bool kiosk_rime_compose(RimeApi *api, RimeSessionId session, const char *input)
{
  size_t want_len = strlen(input);
  const char *have = api->get_input(session);
  size_t have_len = have ? strlen(have) : 0;
  if (have_len > want_len && strncmp(have, input, want_len) == 0) {
    for (size_t n = have_len - want_len; n > 0; n--)
      if (!api->process_key(session, KIOSK_RIME_BACKSPACE, 0))
        break;
    have = api->get_input(session);
    have_len = have ? strlen(have) : 0;
  }
  if (have_len > want_len || (have_len > 0 && strncmp(have, input, have_len) != 0)) {
    api->clear_composition(session);
    have_len = 0;
  }
  for (const char *p = input + have_len; *p; p++)
    if (!api->process_key(session, (unsigned char)*p, 0))
      return false;
  return true;
}
