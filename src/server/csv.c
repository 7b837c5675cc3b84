#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append(csv_buffer *b, const char *s, size_t n)
{
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

lobby_err csv_init(csv_buffer *b)
{
  memset(b, 0, sizeof *b);
  append(b, "\xEF\xBB\xBF", 3);
  return b->failed ? LOBBY_ENOMEM : LOBBY_OK;
}

void csv_free(csv_buffer *b)
{
  free(b->data);
  memset(b, 0, sizeof *b);
}

static void separator(csv_buffer *b)
{
  if (b->row_started)
    append(b, ",", 1);
  b->row_started = true;
}

static bool looks_like_formula(const char *text)
{
  return text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
         text[0] == '\t' || text[0] == '\r';
}

void csv_text(csv_buffer *b, const char *text)
{
  separator(b);
  append(b, "\"", 1);
  if (text && looks_like_formula(text))
    append(b, "'", 1);
  for (const char *p = text; p && *p; p++) {
    if (*p == '"')
      append(b, "\"\"", 2);
    else
      append(b, p, 1);
  }
  append(b, "\"", 1);
}

void csv_int(csv_buffer *b, long long value)
{
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%lld", value);
  separator(b);
  append(b, digits, (size_t)n);
}

void csv_end_row(csv_buffer *b)
{
  append(b, "\r\n", 2);
  b->row_started = false;
}
