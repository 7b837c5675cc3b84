/* Working days: Monday to Friday, except the dates a calendar overrides.
 * China moves weekends around public holidays (a Saturday becomes a
 * make-up working day, a Thursday a holiday), so the calendar is data the
 * admin edits, shipped for this year and the next (assets/calendar/).
 * Promises made in working days ("a reply within one working day") are
 * computed here, the same for every binary. */
#ifndef LOBBY_WORKDAY_H
#define LOBBY_WORKDAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

/* The longest note on a calendar day, in bytes with its NUL. */
#define CALENDAR_NOTE_SIZE 97

/* One date the calendar overrides: a holiday on a weekday (workday
 * false) or a make-up working day on a weekend (workday true). */
typedef struct {
  char date[11];                 /* "YYYY-MM-DD" */
  bool workday;
  char note[CALENDAR_NOTE_SIZE]; /* "国庆节", "国庆调休上班" */
} lobby_calendar_day;

/* The overrides in force, sorted by date (as the store lists them). */
typedef struct {
  const lobby_calendar_day *days;
  size_t count;
} lobby_calendar;

/* A site's working hours: minutes after local midnight, start < end. */
typedef struct {
  int offset_min;
  int start_min, end_min;
} workday_hours;

/* Whether s is a real date written "YYYY-MM-DD" (years 2000 to 2099). */
bool calendar_date_valid(const char *s);

/* date ("YYYY-MM-DD", valid) plus months calendar months, the day kept
 * or, when the month is shorter, its last day: 2026-12-03 + 3 is
 * 2027-03-03, 2026-11-30 + 3 is 2027-02-28.  LOBBY_EINVAL for a date
 * that is not valid or a result past 2099. */
lobby_err calendar_date_add_months(const char *date, int months, char out[11]);

/* The local date of t as "YYYY-MM-DD" (buf of 11). */
void calendar_date_of(int64_t t, int offset_min, char buf[11]);

/* Whether the local day holding t is a working day. */
bool workday_is_working(const lobby_calendar *cal, int64_t t, int offset_min);

/* The deadline "within one working day" of something filed at created:
 * on a working day before the day starts, the end of that day; during
 * working hours, the same time on the next working day; after hours or
 * on a day off, the end of the next working day.  A calendar with no
 * working day in the next 60 days gives created plus 24 hours. */
int64_t workday_reply_due(const lobby_calendar *cal, const workday_hours *h, int64_t created);

/* Reads a calendar file of the given year: one date per line,
 * "YYYY-MM-DD holiday|workday [note]", blank lines and '#' comments
 * ignored.  *out is malloc'd (free it); on LOBBY_EINVAL why names the
 * first bad line and nothing is returned.  Dates outside the year are
 * refused: a file is named after its year. */
lobby_err calendar_file_parse(const char *text, size_t len, int year, lobby_calendar_day **out,
                              size_t *count, char *why, size_t why_size);

#endif
