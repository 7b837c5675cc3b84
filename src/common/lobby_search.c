#include "lobby_search.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "lobby_text.h"

static bool all_digits(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return false;
  return n > 0;
}

/* R-2026…, C-, F-, Z- and the like: a capital, a dash and at least four
 * digits of the date (so that building A's unit 10, "A-10", stays a
 * room), then digits and dashes: the start of a number as printed. */
static bool number_shaped(const char *s)
{
  if (!isupper((unsigned char)s[0]) || s[1] != '-' || !all_digits(s + 2, 4))
    return false;
  for (const char *p = s + 6; *p; p++)
    if (!isdigit((unsigned char)*p) && *p != '-')
      return false;
  return true;
}

/* Two or three dash-separated codes of letters and digits, as the
 * directory's buildings, units and rooms are. */
static bool room_parts(const char *s, lobby_search *out)
{
  char *parts[3] = {out->building, out->unit, out->room};
  int n = 0;
  const char *p = s;
  while (n < 3) {
    size_t len = strcspn(p, "-");
    if (len == 0 || len > 16)
      return false;
    for (size_t i = 0; i < len; i++)
      if (!isalnum((unsigned char)p[i]))
        return false;
    memcpy(parts[n], p, len);
    parts[n][len] = '\0';
    n++;
    if (!p[len])
      return n >= 2; /* "1" alone is as likely a room number as a building */
    p += len + 1;
  }
  return false;
}

lobby_err lobby_search_parse(const char *q, lobby_search *out)
{
  memset(out, 0, sizeof *out);
  if (!q)
    return LOBBY_OK;
  while (*q == ' ')
    q++;
  size_t len = strlen(q);
  while (len > 0 && q[len - 1] == ' ')
    len--;
  if (len == 0)
    return LOBBY_OK;
  if (len > LOBBY_SEARCH_MAX || !lobby_utf8_valid(q, len))
    return LOBBY_EINVAL;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)q[i] < 0x20 || q[i] == 0x7f)
      return LOBBY_EINVAL;
  memcpy(out->text, q, len);
  out->text[len] = '\0';
  if (number_shaped(out->text))
    out->kind = LOBBY_SEARCH_NUMBER;
  else if (len == 11 && lobby_phone_valid(out->text))
    out->kind = LOBBY_SEARCH_PHONE;
  else if (len == 4 && all_digits(out->text, 4))
    out->kind = LOBBY_SEARCH_LAST4;
  else if (room_parts(out->text, out))
    out->kind = LOBBY_SEARCH_ROOM;
  else {
    out->building[0] = out->unit[0] = out->room[0] = '\0';
    out->kind = LOBBY_SEARCH_TEXT;
  }
  return LOBBY_OK;
}

void lobby_search_like_escape(const char *text, char *out, size_t size)
{
  size_t o = 0;
  for (const char *p = text; *p && o + 2 < size; p++) {
    if (*p == '%' || *p == '_' || *p == '\\')
      out[o++] = '\\';
    out[o++] = *p;
  }
  if (size)
    out[o < size ? o : size - 1] = '\0';
}
