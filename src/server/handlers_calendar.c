/* The working-day calendar over HTTP: staff read it, admins of every site
 * change it (it is the company's, like its holidays).  Also the one place
 * that turns it into a reply deadline. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"
#include "site_scope.h"

/* Days looked ahead for the next working day: more than any run of days
 * off, as lobby_workday.c assumes. */
#define DUE_LOOKAHEAD_DAYS 62

lobby_err complaint_reply_due(lobbyd *d, int64_t site_id, int64_t now, int64_t *due)
{
  workday_hours hours;
  char from[11], to[11];
  lobby_calendar_day *days = NULL;
  size_t count = 0;
  site_workday_hours(d, site_id, &hours);
  calendar_date_of(now, hours.offset_min, from);
  calendar_date_of(now + (int64_t)DUE_LOOKAHEAD_DAYS * 86400, hours.offset_min, to);
  lobby_err err = d->store->ops->calendar_load(d->store, from, to, &days, &count);
  if (err != LOBBY_OK)
    return err;
  lobby_calendar cal = {days, count};
  *due = workday_reply_due(&cal, &hours, now);
  free(days);
  return LOBBY_OK;
}

enum MHD_Result handle_calendar_get(http_request *r)
{
  const char *year_text = http_query(r, "year");
  int64_t year;
  if (year_text) {
    if (lobby_parse_int64(year_text, 2000, 2099, &year) != LOBBY_OK)
      return http_fail(r, 400, "invalid_field", "year: must be a year from 2000 to 2099");
  } else {
    lobby_civil today;
    lobby_time_local(lobby_now(), r->d->cfg->sla.offset_min, &today);
    year = today.year;
  }
  char from[11], to[11];
  snprintf(from, sizeof from, "%04d-01-01", (int)year);
  snprintf(to, sizeof to, "%04d-12-31", (int)year);
  json_t *days = NULL;
  lobby_err err = r->d->store->ops->calendar_list(r->d->store, from, to, &days);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "calendar");
  return http_reply_json(r, 200, json_pack("{s:I, s:o}", "year", (json_int_t)year, "days", days));
}

static bool date_param(http_request *r, enum MHD_Result *ret)
{
  if (calendar_date_valid(r->params[0]))
    return true;
  *ret = http_fail(r, 400, "invalid_field", "date: must be a date like 2026-10-01");
  return false;
}

enum MHD_Result handle_calendar_put(http_request *r)
{
  static const char *const fields[] = {"workday", "note", NULL};
  lobby_calendar_day day = {.workday = false};
  const char *note = NULL;
  json_t *in;
  http_error e;
  enum MHD_Result ret;
  if (!require_every_site(r, "the working-day calendar", &ret) || !date_param(r, &ret) ||
      !body_object(r, &in, fields, &ret))
    return ret;
  lobby_err err = json_object_get(in, "workday") ? jin_bool(in, "workday", &day.workday, &e) : LOBBY_OK;
  if (err == LOBBY_OK && !json_object_get(in, "workday")) {
    http_error_set(&e, 400, "missing_field", "workday",
                   "workday is required: true for a make-up working day, false for a holiday");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK)
    err = jin_string(in, "note", false, 0, 32, false, &note, &e);
  if (err == LOBBY_OK) {
    memcpy(day.date, r->params[0], sizeof day.date - 1); /* checked: ten characters */
    day.date[sizeof day.date - 1] = '\0';
    snprintf(day.note, sizeof day.note, "%s", note ? note : "");
  }
  json_decref(in);
  if (err != LOBBY_OK)
    return http_reply_error(r, &e);
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s",
           day.workday ? "workday" : "holiday");
  audit_note an;
  err = r->d->store->ops->calendar_set(r->d->store, &day, audit_of(r, &an));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "calendar");
  return http_reply_json(r, 200, json_pack("{s:s, s:b, s:s}", "date", day.date, "workday",
                                           day.workday, "note", day.note));
}

enum MHD_Result handle_calendar_delete(http_request *r)
{
  enum MHD_Result ret;
  if (!require_every_site(r, "the working-day calendar", &ret) || !date_param(r, &ret))
    return ret;
  audit_note an;
  lobby_err err = r->d->store->ops->calendar_clear(r->d->store, r->params[0], audit_of(r, &an));
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "%s is not in the calendar: the weekday rule already applies",
                     r->params[0]);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "calendar");
  return http_reply_empty(r, 204, NULL);
}
