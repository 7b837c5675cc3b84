/* The TLS settings' rules (lobby_tls.h). */
#include "lobby_tls.h"

#include <ctype.h>
#include <string.h>
#include <unistd.h>

bool lobby_tls_is_https(const char *url)
{
  return url && strncmp(url, "https://", 8) == 0;
}

/* One "sha256//" and the 44 base64 characters of a SHA-256 digest (the
 * last is the padding '='). */
static bool is_one_pin(const char *s, size_t n)
{
  static const char prefix[] = "sha256//";
  size_t plen = sizeof prefix - 1;
  if (n != plen + 44 || strncmp(s, prefix, plen) != 0 || s[n - 1] != '=')
    return false;
  for (size_t i = plen; i < n - 1; i++)
    if (!isalnum((unsigned char)s[i]) && s[i] != '+' && s[i] != '/')
      return false;
  return true;
}

lobby_err lobby_tls_check_pin(const char *pin)
{
  if (!pin)
    return LOBBY_EINVAL;
  for (const char *p = pin;;) {
    const char *end = strchr(p, ';');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (!is_one_pin(p, n))
      return LOBBY_EINVAL;
    if (!end)
      return LOBBY_OK;
    p = end + 1;
  }
}

lobby_err lobby_tls_check(const char *server, const char *ca_file, const char *pin,
                          lobby_tls_problem *problem)
{
  bool https = lobby_tls_is_https(server);
  *problem = LOBBY_TLS_FINE;
  if (ca_file && *ca_file) {
    if (!https)
      *problem = LOBBY_TLS_CA_NOT_HTTPS;
    else if (access(ca_file, R_OK) != 0)
      *problem = LOBBY_TLS_CA_UNREADABLE;
  }
  if (*problem == LOBBY_TLS_FINE && pin && *pin) {
    if (!https)
      *problem = LOBBY_TLS_PIN_NOT_HTTPS;
    else if (lobby_tls_check_pin(pin) != LOBBY_OK)
      *problem = LOBBY_TLS_PIN_BAD;
  }
  return *problem == LOBBY_TLS_FINE ? LOBBY_OK : LOBBY_EINVAL;
}
