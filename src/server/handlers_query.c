/* Query-string parameters the lists and reports share: an enum, a date
 * or time, a month.  Each reader returns false with the 400 already
 * queued in *ret. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"

bool query_enum(http_request *r, const char *key, const char *const *names, const char **out,
                enum MHD_Result *ret)
{
  const char *v = http_query(r, key);
  *out = NULL;
  if (!v || !*v)
    return true;
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], v) == 0) {
      *out = names[i];
      return true;
    }
  *ret = http_fail(r, 400, "invalid_field", "%s: unknown value", key);
  return false;
}

bool query_date(http_request *r, const char *key, int64_t *out, enum MHD_Result *ret)
{
  const char *v = http_query(r, key);
  char iso[40];
  *out = 0;
  if (!v || !*v)
    return true;
  /* A date is the start of that day in the site's offset. */
  int off = r->d->cfg->sla.offset_min;
  snprintf(iso, sizeof iso, "%.10sT00:00:00%c%02d:%02d", v, off < 0 ? '-' : '+',
           (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
  if (strlen(v) == 10 && lobby_time_parse(iso, out) == LOBBY_OK)
    return true;
  if (lobby_time_parse(v, out) == LOBBY_OK)
    return true;
  *ret = http_fail(r, 400, "invalid_field", "%s: must be a date (2026-11-26) or a time", key);
  return false;
}

bool query_waiting_days(http_request *r, int64_t now, int64_t *changed_before, enum MHD_Result *ret)
{
  const char *v = http_query(r, "waiting_days");
  int64_t days;
  *changed_before = 0;
  if (!v || !*v)
    return true;
  if (lobby_parse_int64(v, 1, 365, &days) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "waiting_days: must be a whole number from 1 to 365");
    return false;
  }
  *changed_before = now - days * 86400;
  return true;
}

/* "2026-11" -> the start of that month and of the next, in the site's
 * offset. */
static bool month_range(http_request *r, const char *month, int64_t *from, int64_t *to)
{
  int y, m;
  char tail;
  if (!month || strlen(month) != 7 || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 ||
      m > 12 || y < 2000 || y > 2999)
    return false;
  int off = r->d->cfg->sla.offset_min, a = off < 0 ? -off : off;
  char iso[64];
  snprintf(iso, sizeof iso, "%04d-%02d-01T00:00:00%c%02d:%02d", y, m, off < 0 ? '-' : '+', a / 60,
           a % 60);
  if (lobby_time_parse(iso, from) != LOBBY_OK)
    return false;
  int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
  snprintf(iso, sizeof iso, "%04d-%02d-01T00:00:00%c%02d:%02d", ny, nm, off < 0 ? '-' : '+',
           a / 60, a % 60);
  return lobby_time_parse(iso, to) == LOBBY_OK;
}

bool query_month(http_request *r, char month[8], int64_t *from, int64_t *to, enum MHD_Result *ret)
{
  const char *v = http_query(r, "month");
  if (v) {
    snprintf(month, 8, "%.7s", v);
  } else {
    char iso[LOBBY_ISO_LEN];
    lobby_time_format(lobby_now(), r->d->cfg->sla.offset_min, iso);
    snprintf(month, 8, "%.7s", iso);
  }
  if ((v && strlen(v) != 7) || !month_range(r, month, from, to)) {
    *ret = http_fail(r, 400, "invalid_field", "month: must look like 2026-11");
    return false;
  }
  return true;
}

bool query_int(http_request *r, const char *key, int64_t min, int64_t max, int64_t *out,
               enum MHD_Result *ret)
{
  const char *v = http_query(r, key);
  if (!v || !*v)
    return true;
  if (lobby_parse_int64(v, min, max, out) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "%s: must be a whole number from %lld to %lld", key,
                     (long long)min, (long long)max);
    return false;
  }
  return true;
}

bool query_search(http_request *r, lobby_search *out, enum MHD_Result *ret)
{
  if (lobby_search_parse(http_query(r, "q"), out) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "q: at most %d bytes of text", LOBBY_SEARCH_MAX);
    return false;
  }
  return true;
}
