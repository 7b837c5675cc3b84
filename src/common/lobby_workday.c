#include "lobby_workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"

/* How far ahead a working day is looked for: the longest run of days off
 * in China is nine (the Spring Festival), so 60 covers any real calendar. */
#define WORKDAY_SEARCH_DAYS 60

static bool leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool calendar_date_valid(const char *s)
{
  int y, m, d;
  char tail;
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return false;
  return y >= 2000 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

lobby_err calendar_date_add_months(const char *date, int months, char out[11])
{
  int y, m, d;
  if (!calendar_date_valid(date) || months < 0 || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return LOBBY_EINVAL;
  int index = y * 12 + (m - 1) + months;
  y = index / 12;
  m = index % 12 + 1;
  if (y > 2099)
    return LOBBY_EINVAL;
  if (d > days_in_month(y, m))
    d = days_in_month(y, m);
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 13u, (unsigned)d % 32u);
  return LOBBY_OK;
}

void calendar_date_of(int64_t t, int offset_min, char buf[11])
{
  lobby_civil c;
  lobby_time_local(t, offset_min, &c);
  /* Years 0-9999, months and days as lobby_time_local gives them. */
  snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)c.year % 10000u, (unsigned)c.month % 13u,
           (unsigned)c.day % 32u);
}

static const lobby_calendar_day *override_of(const lobby_calendar *cal, const char *date)
{
  size_t lo = 0, hi = cal ? cal->count : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(cal->days[mid].date, date);
    if (c == 0)
      return &cal->days[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

bool workday_is_working(const lobby_calendar *cal, int64_t t, int offset_min)
{
  char date[11];
  lobby_civil c;
  calendar_date_of(t, offset_min, date);
  const lobby_calendar_day *o = override_of(cal, date);
  if (o)
    return o->workday;
  lobby_time_local(t, offset_min, &c);
  return c.weekday != 0 && c.weekday != 6;
}

/* The midnight of the first working day after the day starting at
 * midnight, or 0 when none comes within the search window. */
static int64_t next_working_midnight(const lobby_calendar *cal, int64_t midnight, int offset_min)
{
  for (int i = 1; i <= WORKDAY_SEARCH_DAYS; i++) {
    /* Noon keeps the day's date clear of any rounding at midnight. */
    int64_t day = midnight + (int64_t)i * 86400;
    if (workday_is_working(cal, day + 43200, offset_min))
      return day;
  }
  return 0;
}

int64_t workday_reply_due(const lobby_calendar *cal, const workday_hours *h, int64_t created)
{
  int64_t midnight = lobby_time_local_midnight(created, h->offset_min);
  int64_t into_day = (created - midnight) / 60;
  bool working = workday_is_working(cal, created, h->offset_min);
  if (working && into_day < h->start_min)
    return midnight + (int64_t)h->end_min * 60;
  int64_t next = next_working_midnight(cal, midnight, h->offset_min);
  if (!next)
    return created + 86400;
  if (working && into_day < h->end_min)
    return next + (created - midnight);
  return next + (int64_t)h->end_min * 60;
}

/* One line "YYYY-MM-DD holiday|workday [note]" into d. */
static bool parse_line(const char *line, size_t n, int year, lobby_calendar_day *d)
{
  char kind[16];
  size_t i = 10;
  if (n < 12 || n >= 256)
    return false;
  memcpy(d->date, line, 10);
  d->date[10] = '\0';
  /* The year's four digits, checked by calendar_date_valid first. */
  if (!calendar_date_valid(d->date) || (line[i] != ' ' && line[i] != '\t') ||
      (d->date[0] - '0') * 1000 + (d->date[1] - '0') * 100 + (d->date[2] - '0') * 10 +
          (d->date[3] - '0') != year)
    return false;
  while (i < n && (line[i] == ' ' || line[i] == '\t'))
    i++;
  size_t k = 0;
  while (i < n && line[i] != ' ' && line[i] != '\t' && k + 1 < sizeof kind)
    kind[k++] = line[i++];
  kind[k] = '\0';
  if (strcmp(kind, "holiday") != 0 && strcmp(kind, "workday") != 0)
    return false;
  d->workday = kind[0] == 'w';
  while (i < n && (line[i] == ' ' || line[i] == '\t'))
    i++;
  size_t note_len = n - i;
  while (note_len && (line[i + note_len - 1] == ' ' || line[i + note_len - 1] == '\r'))
    note_len--;
  if (note_len >= CALENDAR_NOTE_SIZE)
    return false;
  memcpy(d->note, line + i, note_len);
  d->note[note_len] = '\0';
  return lobby_utf8_valid(d->note, note_len);
}

static int by_date(const void *a, const void *b)
{
  return strcmp(((const lobby_calendar_day *)a)->date, ((const lobby_calendar_day *)b)->date);
}

lobby_err calendar_file_parse(const char *text, size_t len, int year, lobby_calendar_day **out,
                              size_t *count, char *why, size_t why_size)
{
  size_t cap = 0, n = 0, line_no = 0;
  lobby_calendar_day *days = NULL;
  for (size_t at = 0; at < len;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) : len, line_len = end - at;
    const char *line = text + at;
    at = end + 1;
    line_no++;
    while (line_len && (line[line_len - 1] == '\r' || line[line_len - 1] == ' '))
      line_len--;
    if (line_len == 0 || line[0] == '#')
      continue;
    if (n == cap) {
      size_t grown = cap ? cap * 2 : 32;
      lobby_calendar_day *more = realloc(days, grown * sizeof *days);
      if (!more) {
        free(days);
        return LOBBY_ENOMEM;
      }
      days = more, cap = grown;
    }
    if (!parse_line(line, line_len, year, &days[n])) {
      snprintf(why, why_size, "line %zu: expected \"%d-MM-DD holiday|workday [note]\"", line_no, year);
      free(days);
      return LOBBY_EINVAL;
    }
    n++;
  }
  qsort(days, n, sizeof *days, by_date);
  for (size_t i = 1; i < n; i++)
    if (strcmp(days[i - 1].date, days[i].date) == 0) {
      snprintf(why, why_size, "%s is listed twice", days[i].date);
      free(days);
      return LOBBY_EINVAL;
    }
  *out = days;
  *count = n;
  return LOBBY_OK;
}
