#include "ctl_args.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lobby_complaint.h"
#include "lobby_repair.h"
#include "lobby_domain.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_tls.h"

__attribute__((format(printf, 2, 3)))
static lobby_err fail(ctl_msg *msg, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg->text, sizeof msg->text, fmt, ap);
  va_end(ap);
  return LOBBY_EINVAL;
}

static const ctl_opt *find_opt(const ctl_opt *const *sets, const char *name, size_t name_len)
{
  for (size_t s = 0; sets[s]; s++)
    for (const ctl_opt *o = sets[s]; o->name; o++)
      if (strlen(o->name) == name_len && strncmp(o->name, name, name_len) == 0)
        return o;
  return NULL;
}

/* Handles one "--name[=value]" word; *i moves past a separate value. */
static lobby_err parse_option(int argc, char **argv, int *i, const ctl_opt *const *sets,
                              ctl_msg *msg)
{
  const char *word = argv[*i] + 2;
  const char *eq = strchr(word, '=');
  size_t name_len = eq ? (size_t)(eq - word) : strlen(word);
  const ctl_opt *o = find_opt(sets, word, name_len);
  if (!o)
    return fail(msg, "unknown option --%.*s (see lobbyctl --help)", (int)name_len, word);
  if (o->flag) {
    if (eq)
      return fail(msg, "--%s is a flag and takes no value", o->name);
    *o->flag = true;
    return LOBBY_OK;
  }
  if (*o->value)
    return fail(msg, "--%s given twice", o->name);
  if (eq) {
    *o->value = eq + 1;
    return LOBBY_OK;
  }
  if (*i + 1 >= argc)
    return fail(msg, "--%s needs a value", o->name);
  *o->value = argv[++*i];
  return LOBBY_OK;
}

lobby_err ctl_args_parse(int argc, char **argv, const ctl_opt *const *sets, ctl_pos *pos,
                         ctl_msg *msg)
{
  bool only_pos = false;
  pos->n = 0;
  for (int i = 0; i < argc; i++) {
    const char *w = argv[i];
    if (!only_pos && strcmp(w, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (!only_pos && strncmp(w, "--", 2) == 0) {
      lobby_err err = parse_option(argc, argv, &i, sets, msg);
      if (err != LOBBY_OK)
        return err;
      continue;
    }
    if (pos->n == CTL_MAX_POS)
      return fail(msg, "too many arguments at '%s'", w);
    pos->items[pos->n++] = w;
  }
  return LOBBY_OK;
}

lobby_err ctl_args_positional(const ctl_pos *pos, size_t want, const char *usage, ctl_msg *msg)
{
  if (pos->n < want)
    return fail(msg, "missing argument; usage: %s", usage);
  if (pos->n > want)
    return fail(msg, "unexpected argument '%s'; usage: %s", pos->items[want], usage);
  return LOBBY_OK;
}

void ctl_join_names(const char *const *names, char *out, size_t out_size)
{
  size_t o = 0;
  if (out_size == 0)
    return;
  out[0] = '\0';
  for (size_t i = 0; names[i]; i++) {
    int n = snprintf(out + o, out_size - o, "%s%s", i ? ", " : "", names[i]);
    if (n < 0 || (size_t)n >= out_size - o)
      return; /* cut short: still NUL-terminated */
    o += (size_t)n;
  }
}

lobby_err ctl_check_choice(const char *opt, const char *value, const char *const *names,
                           ctl_msg *msg)
{
  if (lobby_name_index(names, value) >= 0)
    return LOBBY_OK;
  char list[256];
  ctl_join_names(names, list, sizeof list);
  return fail(msg, "%s: unknown value '%s'; use one of: %s", opt, value, list);
}

lobby_err ctl_check_int(const char *opt, const char *value, long min, long max, long *out,
                        ctl_msg *msg)
{
  int64_t v;
  if (lobby_parse_int64(value, min, max, &v) != LOBBY_OK)
    return fail(msg, "%s: '%s' is not a whole number from %ld to %ld", opt, value, min, max);
  *out = (long)v;
  return LOBBY_OK;
}

lobby_err ctl_check_phone(const char *opt, const char *value, ctl_msg *msg)
{
  if (lobby_phone_valid(value))
    return LOBBY_OK;
  return fail(msg,
              "%s: '%s' is not a mainland phone number; write a mobile as 13812345678 or "
              "+8613812345678, a landline as 010-12345678 or 0755-1234567-89 (digits, no spaces)",
              opt, value);
}

lobby_err ctl_check_text(const char *opt, const char *value, size_t min, size_t max,
                         bool multiline, ctl_msg *msg)
{
  lobby_err err = lobby_text_check(value, min, max, multiline);
  if (err == LOBBY_OK)
    return LOBBY_OK;
  if (err == LOBBY_ETOOBIG)
    return fail(msg, "%s: too long (%zu characters); at most %zu", opt,
                lobby_utf8_count(value), max);
  if (!lobby_utf8_valid(value, strlen(value)))
    return fail(msg, "%s: not valid UTF-8; check the terminal's encoding", opt);
  return fail(msg, "%s: needs %zu to %zu characters%s", opt, min, max,
              multiline ? "" : " on one line, without control characters");
}

lobby_err ctl_check_code(const char *opt, const char *value, size_t max, ctl_msg *msg)
{
  if (lobby_code_valid(value, max))
    return LOBBY_OK;
  return fail(msg, "%s: '%s' is not a valid code; use 1 to %zu letters, digits, '_' or '-'",
              opt, value, max);
}

lobby_err ctl_check_time(const char *opt, const char *value, long long *out, ctl_msg *msg)
{
  int64_t t;
  if (lobby_time_parse(value, &t) != LOBBY_OK)
    return fail(msg, "%s: '%s' is not a time; write it as 2026-11-26T18:00:00+08:00", opt,
                value);
  *out = (long long)t;
  return LOBBY_OK;
}

static bool leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The value of n decimal digits (already checked to be digits). */
static int digits(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

lobby_err ctl_check_date(const char *opt, const char *value, ctl_msg *msg)
{
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool shape = strlen(value) == 10 && value[4] == '-' && value[7] == '-';
  for (size_t i = 0; shape && i < 10; i++)
    if (i != 4 && i != 7 && !isdigit((unsigned char)value[i]))
      shape = false;
  if (shape) {
    int y = digits(value, 4), m = digits(value + 5, 2), d = digits(value + 8, 2);
    int dim = (m >= 1 && m <= 12) ? mdays[m - 1] + (m == 2 && leap(y)) : 0;
    if (y >= 2000 && d >= 1 && d <= dim)
      return LOBBY_OK;
  }
  return fail(msg, "%s: '%s' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-26", opt,
              value);
}

lobby_err ctl_check_ticket(const char *value, ctl_msg *msg)
{
  if (repair_ticket_valid(value))
    return LOBBY_OK;
  return fail(msg, "'%s' is not a ticket number; tickets look like R-20261126-0042", value);
}

lobby_err ctl_check_complaint_number(const char *value, ctl_msg *msg)
{
  if (complaint_number_valid(value))
    return LOBBY_OK;
  return fail(msg, "'%s' is not a complaint number; they look like C-20261204-0007", value);
}

lobby_err ctl_check_required(const char *opt, const char *value, ctl_msg *msg)
{
  if (value)
    return LOBBY_OK;
  return fail(msg, "%s is required", opt);
}

lobby_err ctl_check_contact(const char *name, const char *phone, ctl_msg *msg)
{
  lobby_err err = ctl_check_required("--name", name, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--name", name, 1, PERSON_NAME_MAX, false, msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--phone", phone, msg);
  if (err == LOBBY_OK)
    err = ctl_check_phone("--phone", phone, msg);
  return err;
}

lobby_err ctl_check_service_phone(const char *opt, const char *value, ctl_msg *msg)
{
  size_t n = strlen(value);
  if (n >= 3 && n <= 32 && strspn(value, "0123456789 +-") == n)
    return LOBBY_OK;
  return fail(msg, "%s: '%s' is not a service phone; use 3 to 32 digits, spaces, '+' or '-', "
                   "e.g. 400-800-1234", opt, value);
}

/* "HH:MM" at s (exactly five characters) as minutes since midnight, or -1. */
static int clock_minutes(const char *s)
{
  if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
      !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
    return -1;
  int h = digits(s, 2), m = digits(s + 3, 2);
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

lobby_err ctl_check_workday(const char *opt, const char *value, char start[6], char end[6],
                            ctl_msg *msg)
{
  int from = -1, to = -1;
  if (strlen(value) == 11 && value[5] == '-') {
    from = clock_minutes(value);
    to = clock_minutes(value + 6);
  }
  if (from < 0 || to < 0)
    return fail(msg, "%s: '%s' is not working hours; write them as 08:30-18:00 (24-hour clock)",
                opt, value);
  if (to <= from)
    return fail(msg, "%s: the end %s must be after the start %.5s", opt, value + 6, value);
  snprintf(start, 6, "%.5s", value);
  snprintf(end, 6, "%.5s", value + 6);
  return LOBBY_OK;
}

/* Whether the code [s, s+len) appears in [list, stop) as a whole item. */
static bool listed_before(const char *list, const char *stop, const char *s, size_t len)
{
  for (const char *p = list; p < stop;) {
    const char *comma = memchr(p, ',', (size_t)(stop - p));
    size_t n = comma ? (size_t)(comma - p) : (size_t)(stop - p);
    if (n == len && memcmp(p, s, len) == 0)
      return true;
    p += n + 1;
  }
  return false;
}

lobby_err ctl_check_code_list(const char *opt, const char *value, size_t code_max,
                              size_t max_items, ctl_msg *msg)
{
  size_t items = 0;
  const char *p = value;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    char code[64];
    if (len == 0 || len >= sizeof code)
      return fail(msg, "%s: '%s' is not a list of codes; write them as a,b,c (no spaces)", opt,
                  value);
    snprintf(code, sizeof code, "%.*s", (int)len, p);
    lobby_err err = ctl_check_code(opt, code, code_max, msg);
    if (err != LOBBY_OK)
      return err;
    if (listed_before(value, p, p, len))
      return fail(msg, "%s: '%s' is listed twice", opt, code);
    if (++items > max_items)
      return fail(msg, "%s: at most %zu codes", opt, max_items);
    if (!comma)
      return LOBBY_OK;
    p = comma + 1;
  }
}

lobby_err ctl_check_server_url(const char *value, ctl_msg *msg)
{
  if (!value || !*value)
    return fail(msg, "no server: set LOBBY_SERVER or pass --server http://HOST:PORT");
  if (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
    return fail(msg, "server '%s' must start with http:// or https://", value);
  for (const unsigned char *p = (const unsigned char *)value; *p; p++)
    if (*p <= ' ' || *p == 0x7F)
      return fail(msg, "server URL must not contain spaces or control characters");
  return LOBBY_OK;
}

lobby_err ctl_check_tls(const char *server, const char *ca_file, const char *pin, ctl_msg *msg)
{
  lobby_tls_problem problem;
  if (lobby_tls_check(server, ca_file, pin, &problem) == LOBBY_OK)
    return LOBBY_OK;
  switch (problem) {
  case LOBBY_TLS_CA_NOT_HTTPS:
    return fail(msg, "--ca-file (or LOBBY_CA_FILE) is set but the server %s is not https://: "
                     "nothing would be checked", server);
  case LOBBY_TLS_CA_UNREADABLE:
    return fail(msg, "--ca-file %s cannot be read", ca_file);
  case LOBBY_TLS_PIN_NOT_HTTPS:
    return fail(msg, "--pin (or LOBBY_PIN) is set but the server %s is not https://: "
                     "nothing would be checked", server);
  default:
    return fail(msg, "--pin must be sha256// and the key's base64 SHA-256 (44 characters), "
                     "several joined by ';'");
  }
}
