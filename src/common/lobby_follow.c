#include "lobby_follow.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_BYTES 16

void lobby_follow_token_new(char *out)
{
  unsigned char raw[TOKEN_BYTES];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(out, LOBBY_FOLLOW_TOKEN_LEN + 1, raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static bool base64url_char(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool lobby_follow_token_valid(const char *t)
{
  if (!t)
    return false;
  for (int i = 0; i < LOBBY_FOLLOW_TOKEN_LEN; i++)
    if (!base64url_char(t[i]))
      return false;
  /* 16 bytes leave 4 unused bits in the last character: only one form of
   * each token is accepted, so a token is its own row's key. */
  return t[LOBBY_FOLLOW_TOKEN_LEN] == '\0' && strchr("AQgw", t[LOBBY_FOLLOW_TOKEN_LEN - 1]) != NULL;
}

/* Characters a URL may carry here: printable ASCII but for space, quotes,
 * angle brackets, backslash, '?', '#' and the rest HTML or a QR reader
 * could trip on. */
static bool url_char(char c)
{
  return c > ' ' && c < 0x7f && !strchr("\"'<>\\`{}|^?#", c);
}

lobby_err lobby_public_url_check(const char *url)
{
  size_t n = url ? strlen(url) : 0;
  const char *host;
  if (n == 0 || n > LOBBY_PUBLIC_URL_MAX)
    return LOBBY_EINVAL;
  if (strncmp(url, "https://", 8) == 0)
    host = url + 8;
  else if (strncmp(url, "http://", 7) == 0)
    host = url + 7;
  else
    return LOBBY_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!url_char(url[i]))
      return LOBBY_EINVAL;
  /* A host before any path, and no credentials in it. */
  size_t host_len = strcspn(host, "/");
  if (host_len == 0 || memchr(host, '@', host_len) != NULL)
    return LOBBY_EINVAL;
  return LOBBY_OK;
}

lobby_err lobby_follow_url(const char *public_url, const char *token, char *out, size_t size)
{
  if (lobby_public_url_check(public_url) != LOBBY_OK || !lobby_follow_token_valid(token))
    return LOBBY_EINVAL;
  size_t n = strlen(public_url);
  while (n > 0 && public_url[n - 1] == '/')
    n--;
  int w = snprintf(out, size, "%.*s" LOBBY_FOLLOW_PATH "%s", (int)n, public_url, token);
  if (w < 0 || (size_t)w >= size)
    return LOBBY_ETOOBIG;
  return LOBBY_OK;
}

bool lobby_follow_url_valid(const char *url)
{
  size_t n = url ? strlen(url) : 0;
  size_t path = sizeof LOBBY_FOLLOW_PATH - 1;
  if (n < path + LOBBY_FOLLOW_TOKEN_LEN + 8 || n >= LOBBY_FOLLOW_URL_MAX)
    return false;
  const char *token = url + n - LOBBY_FOLLOW_TOKEN_LEN;
  if (!lobby_follow_token_valid(token) || memcmp(token - path, LOBBY_FOLLOW_PATH, path) != 0)
    return false;
  char base[LOBBY_FOLLOW_URL_MAX];
  snprintf(base, sizeof base, "%.*s", (int)(n - path - LOBBY_FOLLOW_TOKEN_LEN), url);
  return lobby_public_url_check(base) == LOBBY_OK;
}
