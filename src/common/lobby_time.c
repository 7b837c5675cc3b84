#include "lobby_time.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

static pthread_once_t fake_now_once = PTHREAD_ONCE_INIT;
static bool fake_now_set;
static int64_t fake_now;

/* Read once: getenv on every call was 1% of lobbyd's time on the feed's
 * 304 path, and the variable is set only when a process starts. */
static void read_fake_now(void)
{
  const char *fake = getenv("LOBBY_FAKE_NOW");
  fake_now_set = fake && *fake;
  if (fake_now_set)
    fake_now = strtoll(fake, NULL, 10);
}

int64_t lobby_now(void)
{
  (void)pthread_once(&fake_now_once, read_fake_now);
  return fake_now_set ? fake_now : (int64_t)time(NULL);
}

int64_t lobby_monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void utc_fields(int64_t t, struct tm *tm)
{
  time_t tt = (time_t)t;
  gmtime_r(&tt, tm);
}

void lobby_time_format(int64_t t, int offset_min, char *buf)
{
  struct tm tm;
  utc_fields(t + (int64_t)offset_min * 60, &tm);
  int off = offset_min < 0 ? -offset_min : offset_min;
  /* The modulos bound each field's width for the compiler; real values
   * are always within them. */
  snprintf(buf, LOBBY_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u",
           (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
           (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
           (unsigned)tm.tm_sec % 100u, offset_min < 0 ? '-' : '+', (unsigned)(off / 60) % 100u,
           (unsigned)(off % 60));
}

/* Days from 1970-01-01 to the given civil date (Howard Hinnant's method),
 * which avoids timegm() and its dependence on the process's TZ. */
static int64_t days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

lobby_err lobby_time_parse(const char *s, int64_t *out)
{
  int y, mo, d, h, mi, sec, n = 0;
  if (!s || strlen(s) < 20)
    return LOBBY_EINVAL;
  if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
    return LOBBY_EINVAL;
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
      h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
    return LOBBY_EINVAL;
  const char *z = s + 19;
  int offset = 0;
  if (strcmp(z, "Z") == 0) {
    offset = 0;
  } else if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && z[3] == ':') {
    int oh, om;
    if (sscanf(z + 1, "%2d:%2d", &oh, &om) != 2 || oh > 14 || om > 59 || oh < 0 || om < 0)
      return LOBBY_EINVAL;
    offset = (oh * 60 + om) * (z[0] == '-' ? -1 : 1);
  } else {
    return LOBBY_EINVAL;
  }
  int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  *out = t - (int64_t)offset * 60;
  return LOBBY_OK;
}

void lobby_time_local(int64_t t, int offset_min, lobby_civil *out)
{
  struct tm tm;
  utc_fields(t + (int64_t)offset_min * 60, &tm);
  *out = (lobby_civil){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_wday};
}

void lobby_time_local_date(int64_t t, int offset_min, char *buf9)
{
  struct tm tm;
  utc_fields(t + (int64_t)offset_min * 60, &tm);
  snprintf(buf9, 9, "%04u%02u%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
           (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

int64_t lobby_time_local_midnight(int64_t t, int offset_min)
{
  int64_t local = t + (int64_t)offset_min * 60;
  int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  return day * 86400 - (int64_t)offset_min * 60;
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

lobby_err lobby_hhmm_parse(const char *v, int *minutes)
{
  size_t n = strlen(v);
  if ((n != 4 && n != 5) || v[n - 3] != ':' || !is_digit(v[0]) || !is_digit(v[n - 4]) ||
      !is_digit(v[n - 2]) || !is_digit(v[n - 1]))
    return LOBBY_EINVAL;
  int h = n == 5 ? (v[0] - '0') * 10 + (v[1] - '0') : v[0] - '0';
  int m = (v[n - 2] - '0') * 10 + (v[n - 1] - '0');
  if (h > 23 || m > 59)
    return LOBBY_EINVAL;
  *minutes = h * 60 + m;
  return LOBBY_OK;
}

void lobby_hhmm_format(int minutes, char buf[6])
{
  if (minutes < 0 || minutes >= 24 * 60)
    minutes = 0;
  snprintf(buf, 6, "%02d:%02d", minutes / 60, minutes % 60);
}
