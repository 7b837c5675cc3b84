/* Wall-clock time as seconds since the epoch (UTC), shown in the site's
 * local offset.  Mainland China has no daylight saving, so a fixed offset
 * (default +08:00) is exact and keeps the server independent of TZ files. */
#ifndef LOBBY_TIME_H
#define LOBBY_TIME_H

#include <stdint.h>
#include <stddef.h>
#include "lobby_error.h"

#define LOBBY_ISO_LEN 32
#define LOBBY_DEFAULT_UTC_OFFSET_MIN 480

/* The current time.  LOBBY_FAKE_NOW (seconds since the epoch) in the
 * environment pins it, so tests of deadlines do not depend on the clock;
 * it is read at the first call, so set it before the process starts. */
int64_t lobby_now(void);

/* Monotonic milliseconds, for deadlines and measurements. */
int64_t lobby_monotonic_ms(void);

/* "2026-11-26T18:00:00+08:00".  buf must hold LOBBY_ISO_LEN bytes. */
void lobby_time_format(int64_t t, int offset_min, char *buf);

/* Parses the form above, with "Z" or any "+hh:mm"/"-hh:mm" offset. */
lobby_err lobby_time_parse(const char *s, int64_t *out);

/* The local calendar fields of t: what screens show ("11月27日 星期五
 * 08:00") without parsing a formatted string back. */
typedef struct {
  int year, month, day;   /* month 1-12, day 1-31 */
  int hour, minute;
  int weekday;            /* 0 Sunday to 6 Saturday */
} lobby_civil;
void lobby_time_local(int64_t t, int offset_min, lobby_civil *out);

/* Local calendar date of t as "YYYYMMDD" (buf of 9) and the start of that
 * local day in UTC seconds. */
void lobby_time_local_date(int64_t t, int offset_min, char *buf9);
int64_t lobby_time_local_midnight(int64_t t, int offset_min);

/* A time of day "H:MM" or "HH:MM", 00:00 to 23:59, as minutes after
 * midnight; LOBBY_EINVAL for anything else. */
lobby_err lobby_hhmm_parse(const char *s, int *minutes);
/* Minutes after midnight as "HH:MM" (buf of 6). */
void lobby_hhmm_format(int minutes, char buf[6]);

#endif
