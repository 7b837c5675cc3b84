/* See rime_compose.h. */
#include "rime_compose.h"

#include <string.h>

/* Takes letters away while what the session holds runs on past input. */
static size_t drop_extra_letters(RimeApi *api, RimeSessionId session, const char *input,
                                 size_t have_len)
{
  size_t want_len = strlen(input);
  const char *have = api->get_input(session);
  if (have_len <= want_len || strncmp(have, input, want_len) != 0)
    return have_len;
  for (size_t n = have_len - want_len; n > 0; n--)
    if (!api->process_key(session, KIOSK_RIME_BACKSPACE, 0))
      break;
  have = api->get_input(session);
  return have ? strlen(have) : 0;
}

bool kiosk_rime_compose(RimeApi *api, RimeSessionId session, const char *input)
{
  const char *have = api->get_input(session);
  size_t have_len = drop_extra_letters(api, session, input, have ? strlen(have) : 0);
  have = api->get_input(session);
  if (have_len > strlen(input) || (have_len > 0 && (!have || strncmp(have, input, have_len) != 0))) {
    api->clear_composition(session);
    have_len = 0;
  }
  for (const char *p = input + have_len; *p; p++)
    if (!api->process_key(session, (unsigned char)*p, 0))
      return false;
  return true;
}
