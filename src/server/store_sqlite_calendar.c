/* The working-day calendar in the SQLite store: one row per date that
 * overrides Monday to Friday, company-wide. */
#include "store_sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

static lobby_err calendar_list(lobby_store *st, const char *from, const char *to, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT day AS date, workday AS \"workday?\", note FROM calendar_days "
                                 "WHERE day >= ? AND day <= ? ORDER BY day", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, from);
    sq__bind_text(q, 2, to);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  return err;
}

/* Copies the listed rows into a malloc'd array of days. */
static lobby_err days_of(json_t *rows, lobby_calendar_day **days, size_t *count)
{
  size_t n = json_array_size(rows), i;
  json_t *row;
  lobby_calendar_day *d = calloc(n ? n : 1, sizeof *d);
  if (!d)
    return LOBBY_ENOMEM;
  json_array_foreach(rows, i, row) {
    const char *date = json_string_value(json_object_get(row, "date"));
    const char *note = json_string_value(json_object_get(row, "note"));
    snprintf(d[i].date, sizeof d[i].date, "%s", date ? date : "");
    snprintf(d[i].note, sizeof d[i].note, "%s", note ? note : "");
    d[i].workday = json_is_true(json_object_get(row, "workday"));
  }
  *days = d;
  *count = n;
  return LOBBY_OK;
}

static lobby_err calendar_load(lobby_store *st, const char *from, const char *to,
                               lobby_calendar_day **days, size_t *count)
{
  json_t *rows = NULL;
  lobby_err err = calendar_list(st, from, to, &rows);
  if (err == LOBBY_OK)
    err = days_of(rows, days, count);
  json_decref(rows);
  return err;
}

static lobby_err upsert_day(sq_store *s, const lobby_calendar_day *day, bool replace)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, replace
    ? "INSERT INTO calendar_days (day, workday, note) VALUES (?, ?, ?) "
      "ON CONFLICT (day) DO UPDATE SET workday = excluded.workday, note = excluded.note"
    : "INSERT INTO calendar_days (day, workday, note) VALUES (?, ?, ?) ON CONFLICT (day) DO NOTHING",
    &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, day->date);
  sqlite3_bind_int(q, 2, day->workday);
  sq__bind_text(q, 3, day->note);
  return sq__run(s, q, false);
}

static lobby_err calendar_set(lobby_store *st, const lobby_calendar_day *day,
                              const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = upsert_day(s, day, true);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, day->date);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err calendar_clear(lobby_store *st, const char *date, const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "DELETE FROM calendar_days WHERE day = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, date);
    err = sq__run(s, q, true);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, date);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

/* Records the year as seeded; LOBBY_EDUP when it already was. */
static lobby_err claim_year(sq_store *s, int year, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "INSERT INTO calendar_years (year, seeded_at) VALUES (?, ?) "
                                 "ON CONFLICT (year) DO NOTHING", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int(q, 1, year);
  sqlite3_bind_int64(q, 2, now);
  err = sq__run(s, q, true);
  return err == LOBBY_ENOTFOUND ? LOBBY_EDUP : err;
}

static lobby_err calendar_seed(lobby_store *st, int year, const lobby_calendar_day *days,
                               size_t count, int64_t now, bool *seeded)
{
  sq_store *s = SQ(st);
  *seeded = false;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = claim_year(s, year, now);
  for (size_t i = 0; err == LOBBY_OK && i < count; i++)
    err = upsert_day(s, &days[i], false);
  if (err == LOBBY_EDUP) {
    sq__rollback(s);
    SQ_UNLOCK(s);
    return LOBBY_OK;
  }
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  *seeded = err == LOBBY_OK;
  return err;
}

void sq__calendar_ops(lobby_store_ops *ops)
{
  ops->calendar_list = calendar_list;
  ops->calendar_load = calendar_load;
  ops->calendar_set = calendar_set;
  ops->calendar_clear = calendar_clear;
  ops->calendar_seed = calendar_seed;
}
