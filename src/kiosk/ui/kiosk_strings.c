#include "kiosk_strings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_fs.h"
#include "lobby_log.h"

static int cmp_entry(const void *a, const void *b)
{
  return strcmp(((const kiosk_string_entry *)a)->key, ((const kiosk_string_entry *)b)->key);
}

static char *trim(char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
    *--e = '\0';
  return s;
}

/* "\n" in a value becomes a line break. */
static void unescape(char *s)
{
  char *d = s;
  for (; *s; s++) {
    if (s[0] == '\\' && s[1] == 'n') {
      *d++ = '\n';
      s++;
    } else {
      *d++ = *s;
    }
  }
  *d = '\0';
}

static lobby_err add(kiosk_strings *out, const char *key, const char *value)
{
  if (out->n == out->cap) {
    size_t cap = out->cap ? out->cap * 2 : 256;
    kiosk_string_entry *v = realloc(out->v, cap * sizeof *v);
    if (!v)
      return LOBBY_ENOMEM;
    out->v = v;
    out->cap = cap;
  }
  char *k = strdup(key), *val = strdup(value);
  if (!k || !val) {
    free(k);
    free(val);
    return LOBBY_ENOMEM;
  }
  unescape(val);
  out->v[out->n++] = (kiosk_string_entry){k, val};
  return LOBBY_OK;
}

lobby_err kiosk_strings_parse(const char *text, const char *lang, kiosk_strings *out)
{
  memset(out, 0, sizeof *out);
  snprintf(out->lang, sizeof out->lang, "%s", lang);
  char *copy = strdup(text);
  if (!copy)
    return LOBBY_ENOMEM;
  lobby_err err = LOBBY_OK;
  int lineno = 0;
  for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line && err == LOBBY_OK;
       line = strtok_r(NULL, "\n", &save)) {
    lineno++;
    char *l = trim(line);
    if (!*l || *l == '#' || *l == ';' || *l == '[')
      continue;
    char *eq = strchr(l, '=');
    if (!eq) {
      LOBBY_WARN("strings %s: line without '=' ignored", lang);
      continue;
    }
    *eq = '\0';
    err = add(out, trim(l), trim(eq + 1));
  }
  free(copy);
  if (err != LOBBY_OK) {
    kiosk_strings_free(out);
    return err;
  }
  /* An empty file has no array to sort (qsort must not get NULL). */
  if (out->n > 0)
    qsort(out->v, out->n, sizeof *out->v, cmp_entry);
  return LOBBY_OK;
}

lobby_err kiosk_strings_load(const char *path, const char *lang, kiosk_strings *out)
{
  char *text = NULL;
  size_t len = 0;
  lobby_err err = lobby_fs_read_all(path, 1 << 20, &text, &len);
  if (err != LOBBY_OK)
    return err;
  err = kiosk_strings_parse(text, lang, out);
  free(text);
  return err;
}

void kiosk_strings_free(kiosk_strings *s)
{
  for (size_t i = 0; i < s->n; i++) {
    free(s->v[i].key);
    free(s->v[i].value);
  }
  free(s->v);
  memset(s, 0, sizeof *s);
}

const char *kiosk_strings_find(const kiosk_strings *s, const char *key)
{
  if (!s->n)
    return NULL;
  kiosk_string_entry probe = {(char *)key, NULL};
  const kiosk_string_entry *e = bsearch(&probe, s->v, s->n, sizeof *s->v, cmp_entry);
  return e ? e->value : NULL;
}

static void append(char *out, size_t size, size_t *pos, const char *s, size_t n)
{
  if (*pos >= size)
    return;
  size_t room = size - 1 - *pos;
  if (n > room) {
    n = room;
    /* Never leave half a UTF-8 character at the end. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  memcpy(out + *pos, s, n);
  *pos += n;
  out[*pos] = '\0';
}

void kiosk_strings_vformat_tpl(const char *tpl, char *out, size_t out_size, const char *const *pairs)
{
  if (out_size == 0)
    return;
  size_t pos = 0;
  out[0] = '\0';
  for (const char *p = tpl; *p;) {
    const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
    if (close) {
      size_t nlen = (size_t)(close - p - 1);
      const char *val = NULL;
      for (int i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2)
        if (strlen(pairs[i]) == nlen && strncmp(pairs[i], p + 1, nlen) == 0) {
          val = pairs[i + 1];
          break;
        }
      if (val) {
        append(out, out_size, &pos, val, strlen(val));
        p = close + 1;
        continue;
      }
    }
    size_t cl = 1;
    while ((((unsigned char)p[cl]) & 0xC0) == 0x80)
      cl++;
    append(out, out_size, &pos, p, cl);
    p += cl;
  }
}

void kiosk_strings_format(const kiosk_strings *s, char *out, size_t out_size, const char *key, ...)
{
  const char *pairs[33];
  int n = 0;
  va_list ap;
  va_start(ap, key);
  const char *a;
  while (n < 32 && (a = va_arg(ap, const char *)) != NULL)
    pairs[n++] = a;
  va_end(ap);
  pairs[n] = NULL;
  const char *tpl = kiosk_strings_find(s, key);
  kiosk_strings_vformat_tpl(tpl ? tpl : key, out, out_size, pairs);
}
