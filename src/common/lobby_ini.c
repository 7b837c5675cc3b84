#include "lobby_ini.h"

#include <string.h>
#include <strings.h>

static bool is_space(char c)
{
  return c == ' ' || c == '\t';
}

lobby_err lobby_ini_value(const char *value, char *out, size_t out_size)
{
  size_t end = 0;
  /* The value ends at the first comment marker that starts it or follows
   * white space; a '#' inside a word (a URL fragment, "3#楼") stays. */
  while (value[end] && !((value[end] == '#' || value[end] == ';') &&
                         (end == 0 || is_space(value[end - 1]))))
    end++;
  while (end > 0 && is_space(value[end - 1]))
    end--;
  if (out_size == 0 || end >= out_size)
    return LOBBY_ETOOBIG;
  memcpy(out, value, end);
  out[end] = '\0';
  return LOBBY_OK;
}

lobby_err lobby_ini_bool(const char *value, bool *out)
{
  static const char *const yes[] = {"1", "true", "yes", "on"};
  static const char *const no[] = {"0", "false", "no", "off"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    if (strcasecmp(value, yes[i]) == 0) {
      *out = true;
      return LOBBY_OK;
    }
    if (strcasecmp(value, no[i]) == 0) {
      *out = false;
      return LOBBY_OK;
    }
  }
  return LOBBY_EINVAL;
}
