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
  "lang", "dump", "size", "no-overflow", "backspace", "drag", "key", "layout", "candidate", "hold",
  "wait-picture", "expect-no-picture"};

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

/* Each step's arguments, after its name: p is where they start, *rest
 * where they end.  A failure says why; the caller frees st->text. */
typedef lobby_err (*step_parser)(const char *cmd, const char *p, kiosk_step *st, const char **rest,
                                 char *why, size_t why_size);

static lobby_err say(char *why, size_t why_size, const char *text)
{
  snprintf(why, why_size, "%s", text);
  return LOBBY_EINVAL;
}

static lobby_err needs_quote(const char *cmd, char *why, size_t why_size)
{
  snprintf(why, why_size, "%s needs a \"quoted\" argument", cmd);
  return LOBBY_EINVAL;
}

/* An optional number of milliseconds after the arguments. */
static lobby_err optional_ms(const char **p, long *ms, long fallback, const char *fail, char *why,
                             size_t why_size)
{
  *ms = fallback;
  *p = skip_ws(*p);
  if (**p && **p != '#' && !parse_long(*p, p, ms))
    return say(why, why_size, fail);
  return LOBBY_OK;
}

static lobby_err parse_tap(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                           size_t why_size)
{
  if (*p == '"') {
    st->kind = KIOSK_STEP_TAP_TEXT;
    return (st->text = parse_quoted(p, rest)) ? LOBBY_OK : needs_quote(cmd, why, why_size);
  }
  long x, y;
  st->kind = KIOSK_STEP_TAP_XY;
  if (!parse_long(p, rest, &x) || !parse_long(skip_ws(*rest), rest, &y))
    return say(why, why_size, "tap needs X Y or \"text\"");
  st->x = (int)x;
  st->y = (int)y;
  return LOBBY_OK;
}

/* type, expect, expect-not, wait and clock take a quoted text; wait also
 * an optional timeout. */
static lobby_err parse_text_step(const char *cmd, const char *p, kiosk_step *st, const char **rest,
                                 char *why, size_t why_size)
{
  const char *e;
  if (!(st->text = parse_quoted(p, &e)))
    return needs_quote(cmd, why, why_size);
  *rest = e;
  if (st->kind != KIOSK_STEP_WAIT)
    return LOBBY_OK;
  return optional_ms(rest, &st->ms, DEFAULT_WAIT_MS, "wait timeout must be milliseconds", why, why_size);
}

/* shot and lang take a word or a quoted text. */
static lobby_err parse_named(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                             size_t why_size)
{
  st->text = *p == '"' ? parse_quoted(p, rest) : parse_word(p, rest);
  if (!st->text) {
    snprintf(why, why_size, "%s needs an argument", cmd);
    return LOBBY_EINVAL;
  }
  if (st->kind == KIOSK_STEP_LANG && strcmp(st->text, "zh") && strcmp(st->text, "en"))
    return say(why, why_size, "lang must be zh or en");
  if (st->kind == KIOSK_STEP_SHOT && (strchr(st->text, '/') || st->text[0] == '.'))
    return say(why, why_size, "shot name must not contain '/' or start with '.'");
  return LOBBY_OK;
}

/* sleep (ms), idle (seconds) and backspace (a count, 1 when left out). */
static lobby_err parse_count(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                             size_t why_size)
{
  *rest = p;
  if (st->kind == KIOSK_STEP_BACKSPACE && at_end(p)) {
    st->ms = 1;
  } else if (!parse_long(p, rest, &st->ms)) {
    snprintf(why, why_size, "%s needs a number", cmd);
    return LOBBY_EINVAL;
  }
  if (st->kind == KIOSK_STEP_IDLE)
    st->ms *= 1000;
  return LOBBY_OK;
}

static lobby_err parse_drag(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                            size_t why_size)
{
  (void)cmd;
  long v[4];
  for (int i = 0; i < 4; i++)
    if (!parse_long(skip_ws(p), &p, &v[i]))
      return say(why, why_size, "drag needs X1 Y1 X2 Y2 [MS]");
  st->x = (int)v[0], st->y = (int)v[1], st->x2 = (int)v[2], st->y2 = (int)v[3];
  *rest = p;
  return optional_ms(rest, &st->ms, 300, "drag time must be milliseconds", why, why_size);
}

/* key, layout, candidate and hold take a quoted label (a layout name may
 * also stand bare); hold also an optional time. */
static lobby_err parse_label(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                             size_t why_size)
{
  const char *e;
  st->text = *p == '"' ? parse_quoted(p, &e) : st->kind == KIOSK_STEP_LAYOUT ? parse_word(p, &e) : NULL;
  if (!st->text)
    return needs_quote(cmd, why, why_size);
  *rest = e;
  if (st->kind != KIOSK_STEP_HOLD)
    return LOBBY_OK;
  return optional_ms(rest, &st->ms, DEFAULT_HOLD_MS, "hold time must be milliseconds", why, why_size);
}

static lobby_err parse_bare(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                            size_t why_size)
{
  (void)cmd, (void)st, (void)why, (void)why_size;
  *rest = p;
  return LOBBY_OK;
}

static lobby_err parse_size(const char *cmd, const char *p, kiosk_step *st, const char **rest, char *why,
                            size_t why_size)
{
  (void)cmd;
  long w, h;
  const char *e;
  if (!parse_long(p, &e, &w) || (*e != 'x' && *e != 'X') || !parse_long(e + 1, &e, &h) || w < 320 || h < 320)
    return say(why, why_size, "size needs WxH");
  st->x = (int)w;
  st->y = (int)h;
  *rest = e;
  return LOBBY_OK;
}

static const struct {
  const char *name;
  kiosk_step_kind kind;
  step_parser parse;
} steps[] = {
  {"tap", KIOSK_STEP_TAP_XY, parse_tap},
  {"type", KIOSK_STEP_TYPE, parse_text_step},
  {"expect", KIOSK_STEP_EXPECT, parse_text_step},
  {"expect-not", KIOSK_STEP_EXPECT_NOT, parse_text_step},
  {"wait", KIOSK_STEP_WAIT, parse_text_step},
  {"clock", KIOSK_STEP_CLOCK, parse_text_step},
  {"shot", KIOSK_STEP_SHOT, parse_named},
  {"lang", KIOSK_STEP_LANG, parse_named},
  {"sleep", KIOSK_STEP_SLEEP, parse_count},
  {"idle", KIOSK_STEP_IDLE, parse_count},
  {"backspace", KIOSK_STEP_BACKSPACE, parse_count},
  {"drag", KIOSK_STEP_DRAG, parse_drag},
  {"key", KIOSK_STEP_KEY, parse_label},
  {"layout", KIOSK_STEP_LAYOUT, parse_label},
  {"candidate", KIOSK_STEP_CANDIDATE, parse_label},
  {"hold", KIOSK_STEP_HOLD, parse_label},
  {"dump", KIOSK_STEP_DUMP, parse_bare},
  {"no-overflow", KIOSK_STEP_NO_OVERFLOW, parse_bare},
  {"size", KIOSK_STEP_SIZE, parse_size},
  {"wait-picture", KIOSK_STEP_WAIT_PICTURE, parse_count},
  {"expect-no-picture", KIOSK_STEP_EXPECT_NO_PICTURE, parse_bare},
};

static lobby_err parse_line(const char *line, kiosk_step *st, char *why, size_t why_size)
{
  const char *p = skip_ws(line);
  char cmd[24];
  size_t k = 0;
  while (*p && !isspace((unsigned char)*p) && k + 1 < sizeof cmd)
    cmd[k++] = *p++;
  cmd[k] = '\0';
  p = skip_ws(p);
  memset(st, 0, sizeof *st);
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    if (strcmp(cmd, steps[i].name))
      continue;
    st->kind = steps[i].kind;
    const char *rest = p;
    lobby_err err = steps[i].parse(cmd, p, st, &rest, why, why_size);
    if (err != LOBBY_OK)
      return err;
    if (!at_end(rest)) {
      snprintf(why, why_size, "unexpected text after %s", cmd);
      return LOBBY_EINVAL;
    }
    return LOBBY_OK;
  }
  snprintf(why, why_size, "unknown step '%s'", cmd);
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
