#include "lobby_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool lobby_utf8_valid(const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c == 0)
        return false;
      i++;
      continue;
    }
    size_t extra;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; }
    else return false;
    if (len - i <= extra)
      return false;
    for (size_t k = 1; k <= extra; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    /* Reject overlong forms, surrogates and code points past U+10FFFF. */
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += extra + 1;
  }
  return true;
}

size_t lobby_utf8_count(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

lobby_err lobby_text_check(const char *s, size_t min_chars, size_t max_chars, bool multiline)
{
  if (!s)
    return LOBBY_EINVAL;
  size_t len = strlen(s);
  if (!lobby_utf8_valid(s, len))
    return LOBBY_EINVAL;
  size_t visible = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7F) {
      if (!(multiline && (*p == '\n' || *p == '\t')))
        return LOBBY_EINVAL;
    }
    if ((*p & 0xC0) != 0x80 && !isspace(*p))
      visible++;
  }
  size_t chars = lobby_utf8_count(s);
  if (visible < min_chars || chars > max_chars)
    return chars > max_chars ? LOBBY_ETOOBIG : LOBBY_EINVAL;
  return LOBBY_OK;
}

static bool all_digits(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return false;
  return true;
}

static bool mobile_valid(const char *s)
{
  if (strncmp(s, "+86", 3) == 0)
    s += 3;
  else if (strlen(s) == 13 && strncmp(s, "86", 2) == 0)
    s += 2;
  return strlen(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, 11);
}

static bool landline_valid(const char *s)
{
  if (s[0] != '0')
    return false;
  const char *dash = strchr(s, '-');
  size_t area, local;
  const char *rest;
  if (dash) {
    area = (size_t)(dash - s);
    rest = dash + 1;
    if (area < 3 || area > 4 || !all_digits(s, area))
      return false;
  } else {
    /* Without a dash the split is ambiguous; accept 10-12 digits total. */
    size_t n = strlen(s);
    return n >= 10 && n <= 12 && all_digits(s, n);
  }
  const char *ext = strchr(rest, '-');
  local = ext ? (size_t)(ext - rest) : strlen(rest);
  if (local < 7 || local > 8 || !all_digits(rest, local))
    return false;
  if (ext) {
    size_t e = strlen(ext + 1);
    return e >= 1 && e <= 6 && all_digits(ext + 1, e);
  }
  return true;
}

bool lobby_phone_valid(const char *s)
{
  if (!s || !*s || strlen(s) > 20)
    return false;
  return mobile_valid(s) || landline_valid(s);
}

bool lobby_phone_last4(const char *phone, char out[5])
{
  char digits[32];
  size_t n = 0;
  for (const char *p = phone; *p && n < sizeof digits - 1; p++)
    if (isdigit((unsigned char)*p))
      digits[n++] = *p;
  if (n < 4)
    return false;
  memcpy(out, digits + n - 4, 4);
  out[4] = '\0';
  return true;
}

void lobby_phone_mask(const char *phone, char *out, size_t out_size)
{
  size_t n = strlen(phone);
  if (out_size == 0)
    return;
  if (n == 11 && mobile_valid(phone)) {
    snprintf(out, out_size, "%.3s****%s", phone, phone + 7);
    return;
  }
  if (n <= 4) {
    snprintf(out, out_size, "****");
    return;
  }
  size_t i = 0;
  for (; i < n - 4 && i + 1 < out_size; i++)
    out[i] = phone[i] == '-' ? '-' : '*';
  snprintf(out + i, out_size - i, "%s", phone + n - 4);
}

void lobby_name_mask(const char *name, char *out, size_t out_size)
{
  if (out_size == 0)
    return;
  size_t first = 0;
  const unsigned char *s = (const unsigned char *)name;
  if (s[0]) {
    first = 1;
    while (s[first] && (s[first] & 0xC0) == 0x80)
      first++;
  }
  size_t rest = lobby_utf8_count(name + first);
  size_t o = 0;
  for (size_t i = 0; i < first && o + 1 < out_size; i++)
    out[o++] = name[i];
  /* A one-character name still gets a star so its length is not shown. */
  for (size_t i = 0; i < (rest ? rest : 1) && first && o + 1 < out_size; i++)
    out[o++] = '*';
  out[o] = '\0';
}

bool lobby_idempotency_key_valid(const char *s)
{
  if (!s)
    return false;
  size_t n = strlen(s);
  if (n < 8 || n > 64)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
      return false;
  return true;
}

bool lobby_code_valid(const char *s, size_t max)
{
  if (!s || !*s || s[0] == '-')
    return false;
  size_t n = strlen(s);
  if (n > max)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
      return false;
  return true;
}

lobby_err lobby_parse_int64(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
  /* strtoll alone would take leading spaces and a '+', and clamp what
   * overflows: only an optional '-' and digits are a number here. */
  if (!text || !(isdigit((unsigned char)text[0]) ||
                 (text[0] == '-' && isdigit((unsigned char)text[1]))))
    return LOBBY_EINVAL;
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (*end != '\0' || errno == ERANGE || v < lo || v > hi)
    return LOBBY_EINVAL;
  *out = (int64_t)v;
  return LOBBY_OK;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 when it is
 * not one (a stray byte, or a character cut by truncation). */
static size_t utf8_sequence(const char *s, size_t n)
{
  unsigned char c = (unsigned char)s[0];
  size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  return len && len <= n && lobby_utf8_valid(s, len) ? len : 0;
}

void lobby_utf8_sanitize(const char *text, char *out, size_t size)
{
  size_t n = strlen(text), used = 0;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_sequence(text + i, n - i);
    const char *piece = len ? text + i : "\xEF\xBF\xBD";
    size_t piece_len = len ? len : 3;
    if (used + piece_len >= size)
      break;
    memcpy(out + used, piece, piece_len);
    used += piece_len;
    i += len ? len : 1;
  }
  out[used] = '\0';
}

void lobby_day_number_format(char prefix, const char date8[9], unsigned seq, char *buf,
                             int buf_size)
{
  snprintf(buf, (size_t)buf_size, "%c-%.8s-%04u", prefix, date8, seq);
}

bool lobby_day_number_valid(char prefix, const char *s)
{
  size_t n = s ? strlen(s) : 0;
  if (n < 15 || n > 18 || s[0] != prefix || s[1] != '-' || s[10] != '-')
    return false;
  for (size_t i = 2; i < n; i++)
    if (i != 10 && !isdigit((unsigned char)s[i]))
      return false;
  return true;
}

void lobby_explain(char *why, size_t size, const char *fmt, ...)
{
  if (!why || size == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, size, fmt, ap);
  va_end(ap);
}
