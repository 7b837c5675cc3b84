#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_fs.h"

#define DEFAULT_WAIT_MS 10000
#define DEFAULT_HOLD_MS 1000

static const char *const names[] = {
  "tap", "tap", "type", "wait", "expect", "expect-not", "shot", "clock", "sleep", "idle",
  "lang", "dump", "size", "no-overflow", "backspace", "drag", "key", "layout", "candidate", "hold"};

const char *kiosk_step_name(kiosk_step_kind k)
{
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static const char *skip_ws(const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* A double-quoted string with \" \\ and \n escapes; *end is after it. */
static char *parse_quoted(const char *p, const char **end)
{
  if (*p != '"')
    return NULL;
  p++;
  size_t cap = strlen(p) + 1, n = 0;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  while (*p && *p != '"') {
    if (*p == '\\' && p[1]) {
      p++;
      out[n++] = *p == 'n' ? '\n' : *p;
    } else {
      out[n++] = *p;
    }
    p++;
  }
  if (*p != '"') {
    free(out);
    return NULL;
  }
  out[n] = '\0';
  *end = p + 1;
  return out;
}

static char *parse_word(const char *p, const char **end)
{
  const char *s = p;
  while (*p && !isspace((unsigned char)*p))
    p++;
  if (p == s)
    return NULL;
  *end = p;
  return strndup(s, (size_t)(p - s));
}

/* Every number in a script (pixels, milliseconds, seconds, counts) is
 * at most SCRIPT_NUMBER_MAX: a day in milliseconds, far below what "idle"
 * multiplies by 1000 or what fits the int of a pixel. */
#define SCRIPT_NUMBER_MAX 86400000L

static bool parse_long(const char *p, const char **end, long *out)
{
  char *e;
  errno = 0;
  long v = strtol(p, &e, 10);
  if (e == p || v < 0 || v > SCRIPT_NUMBER_MAX || errno == ERANGE)
    return false;
  *out = v;
  *end = e;
  return true;
}

static bool at_end(const char *p)
{
  p = skip_ws(p);
  return *p == '\0' || *p == '#';
}

static lobby_err parse_line(const char *line, kiosk_step *st, char *why, size_t why_size)
{
  const char *p = skip_ws(line), *e;
  char cmd[24];
  size_t k = 0;
  while (*p && !isspace((unsigned char)*p) && k + 1 < sizeof cmd)
    cmd[k++] = *p++;
  cmd[k] = '\0';
  p = skip_ws(p);
  memset(st, 0, sizeof *st);
  if (!strcmp(cmd, "tap")) {
    if (*p == '"') {
      st->kind = KIOSK_STEP_TAP_TEXT;
      if (!(st->text = parse_quoted(p, &e)))
        goto bad_quote;
      p = e;
    } else {
      long x, y;
      st->kind = KIOSK_STEP_TAP_XY;
      if (!parse_long(p, &e, &x) || !parse_long(skip_ws(e), &e, &y)) {
        snprintf(why, why_size, "tap needs X Y or \"text\"");
        return LOBBY_EINVAL;
      }
      st->x = (int)x;
      st->y = (int)y;
      p = e;
    }
  } else if (!strcmp(cmd, "type") || !strcmp(cmd, "expect") || !strcmp(cmd, "expect-not") ||
             !strcmp(cmd, "wait") || !strcmp(cmd, "clock")) {
    st->kind = !strcmp(cmd, "type") ? KIOSK_STEP_TYPE
             : !strcmp(cmd, "expect") ? KIOSK_STEP_EXPECT
             : !strcmp(cmd, "expect-not") ? KIOSK_STEP_EXPECT_NOT
             : !strcmp(cmd, "wait") ? KIOSK_STEP_WAIT : KIOSK_STEP_CLOCK;
    if (!(st->text = parse_quoted(p, &e)))
      goto bad_quote;
    p = skip_ws(e);
    if (st->kind == KIOSK_STEP_WAIT) {
      st->ms = DEFAULT_WAIT_MS;
      if (*p && *p != '#' && !parse_long(p, &p, &st->ms)) {
        snprintf(why, why_size, "wait timeout must be milliseconds");
        return LOBBY_EINVAL;
      }
    }
  } else if (!strcmp(cmd, "shot") || !strcmp(cmd, "lang")) {
    st->kind = !strcmp(cmd, "shot") ? KIOSK_STEP_SHOT : KIOSK_STEP_LANG;
    st->text = *p == '"' ? parse_quoted(p, &e) : parse_word(p, &e);
    if (!st->text) {
      snprintf(why, why_size, "%s needs an argument", cmd);
      return LOBBY_EINVAL;
    }
    p = e;
    if (st->kind == KIOSK_STEP_LANG && strcmp(st->text, "zh") && strcmp(st->text, "en")) {
      snprintf(why, why_size, "lang must be zh or en");
      return LOBBY_EINVAL;
    }
    if (st->kind == KIOSK_STEP_SHOT && (strchr(st->text, '/') || st->text[0] == '.')) {
      snprintf(why, why_size, "shot name must not contain '/' or start with '.'");
      return LOBBY_EINVAL;
    }
  } else if (!strcmp(cmd, "sleep") || !strcmp(cmd, "idle") || !strcmp(cmd, "backspace")) {
    st->kind = !strcmp(cmd, "sleep") ? KIOSK_STEP_SLEEP : !strcmp(cmd, "idle") ? KIOSK_STEP_IDLE : KIOSK_STEP_BACKSPACE;
    if (st->kind == KIOSK_STEP_BACKSPACE && at_end(p)) {
      st->ms = 1;
    } else if (!parse_long(p, &p, &st->ms)) {
      snprintf(why, why_size, "%s needs a number", cmd);
      return LOBBY_EINVAL;
    }
    if (st->kind == KIOSK_STEP_IDLE)
      st->ms *= 1000;
  } else if (!strcmp(cmd, "drag")) {
    long v[4];
    st->kind = KIOSK_STEP_DRAG;
    for (int i = 0; i < 4; i++)
      if (!parse_long(skip_ws(p), &p, &v[i])) {
        snprintf(why, why_size, "drag needs X1 Y1 X2 Y2 [MS]");
        return LOBBY_EINVAL;
      }
    st->x = (int)v[0], st->y = (int)v[1], st->x2 = (int)v[2], st->y2 = (int)v[3];
    st->ms = 300;
    p = skip_ws(p);
    if (*p && *p != '#' && !parse_long(p, &p, &st->ms)) {
      snprintf(why, why_size, "drag time must be milliseconds");
      return LOBBY_EINVAL;
    }
  } else if (!strcmp(cmd, "key") || !strcmp(cmd, "layout") || !strcmp(cmd, "candidate") ||
             !strcmp(cmd, "hold")) {
    st->kind = !strcmp(cmd, "key") ? KIOSK_STEP_KEY
             : !strcmp(cmd, "layout") ? KIOSK_STEP_LAYOUT
             : !strcmp(cmd, "candidate") ? KIOSK_STEP_CANDIDATE : KIOSK_STEP_HOLD;
    /* Labels are quoted; a layout name may also stand bare. */
    st->text = *p == '"' ? parse_quoted(p, &e) : st->kind == KIOSK_STEP_LAYOUT ? parse_word(p, &e) : NULL;
    if (!st->text)
      goto bad_quote;
    p = skip_ws(e);
    if (st->kind == KIOSK_STEP_HOLD) {
      st->ms = DEFAULT_HOLD_MS;
      if (*p && *p != '#' && !parse_long(p, &p, &st->ms)) {
        free(st->text);
        st->text = NULL;
        snprintf(why, why_size, "hold time must be milliseconds");
        return LOBBY_EINVAL;
      }
    }
  } else if (!strcmp(cmd, "dump")) {
    st->kind = KIOSK_STEP_DUMP;
  } else if (!strcmp(cmd, "no-overflow")) {
    st->kind = KIOSK_STEP_NO_OVERFLOW;
  } else if (!strcmp(cmd, "size")) {
    st->kind = KIOSK_STEP_SIZE;
    long w, h;
    if (!parse_long(p, &e, &w) || (*e != 'x' && *e != 'X') || !parse_long(e + 1, &e, &h) || w < 320 || h < 320) {
      snprintf(why, why_size, "size needs WxH");
      return LOBBY_EINVAL;
    }
    st->x = (int)w;
    st->y = (int)h;
    p = e;
  } else {
    snprintf(why, why_size, "unknown step '%s'", cmd);
    return LOBBY_EINVAL;
  }
  if (!at_end(p)) {
    free(st->text);
    st->text = NULL;
    snprintf(why, why_size, "unexpected text after %s", cmd);
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
bad_quote:
  snprintf(why, why_size, "%s needs a \"quoted\" argument", cmd);
  return LOBBY_EINVAL;
}

lobby_err kiosk_script_parse(const char *text, kiosk_script *out, char *err, size_t err_size)
{
  memset(out, 0, sizeof *out);
  int cap = 0, lineno = 0;
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char *line = strndup(p, len);
    if (!line) {
      kiosk_script_free(out);
      return LOBBY_ENOMEM;
    }
    lineno++;
    if (len && line[len - 1] == '\r')
      line[len - 1] = '\0';
    const char *s = skip_ws(line);
    if (*s && *s != '#') {
      if (out->n == cap) {
        cap = cap ? cap * 2 : 32;
        kiosk_step *v = realloc(out->steps, (size_t)cap * sizeof *v);
        if (!v) {
          free(line);
          kiosk_script_free(out);
          return LOBBY_ENOMEM;
        }
        out->steps = v;
      }
      char why[160];
      lobby_err e = parse_line(s, &out->steps[out->n], why, sizeof why);
      if (e != LOBBY_OK) {
        free(out->steps[out->n].text);
        snprintf(err, err_size, "line %d: %s", lineno, why);
        free(line);
        kiosk_script_free(out);
        return e;
      }
      out->steps[out->n++].line = lineno;
    }
    free(line);
    p += len;
    if (*p == '\n')
      p++;
  }
  return LOBBY_OK;
}

lobby_err kiosk_script_load(const char *path, kiosk_script *out, char *err, size_t err_size)
{
  char *text;
  size_t len;
  lobby_err e = lobby_fs_read_all(path, 1 << 20, &text, &len);
  if (e != LOBBY_OK) {
    snprintf(err, err_size, "%s: %s", path, lobby_strerror(e));
    return e;
  }
  e = kiosk_script_parse(text, out, err, err_size);
  free(text);
  return e;
}

void kiosk_script_free(kiosk_script *s)
{
  for (int i = 0; i < s->n; i++)
    free(s->steps[i].text);
  free(s->steps);
  memset(s, 0, sizeof *s);
}
