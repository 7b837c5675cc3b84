/* The working-day calendar in the PostgreSQL store, as
 * store_sqlite_calendar.c: only the dates that override Monday to Friday
 * are kept, company-wide.  A shipped year is seeded once: the row in
 * calendar_years is inserted first, so of two instances seeding together
 * one waits on the other's key and then finds the year taken, and days
 * staff set before stay as they are. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dates are "YYYY-MM-DD", compared byte by byte whatever the database's
 * collation. */
#define CALENDAR_RANGE_SQL                                                   \
  "SELECT day AS date, workday AS \"workday?\", note FROM calendar_days "   \
  "WHERE day COLLATE \"C\" >= $1 AND day COLLATE \"C\" <= $2 ORDER BY day COLLATE \"C\""

static lobby_err calendar_list(lobby_store *st, const char *from, const char *to, json_t **out)
{
  pq_params p = {0};
  pq__text(&p, from);
  pq__text(&p, to);
  return pq__read_all(PQ(st), CALENDAR_RANGE_SQL, &p, out);
}

static lobby_err calendar_load(lobby_store *st, const char *from, const char *to,
                               lobby_calendar_day **days, size_t *count)
{
  pq_params p = {0};
  pq__text(&p, from);
  pq__text(&p, to);
  PGresult *res;
  lobby_err err = pq__read_result(PQ(st), CALENDAR_RANGE_SQL, &p, &res);
  if (err != LOBBY_OK)
    return err;
  int n = PQntuples(res);
  lobby_calendar_day *out = calloc(n > 0 ? (size_t)n : 1, sizeof *out);
  if (!out) {
    PQclear(res);
    return LOBBY_ENOMEM;
  }
  for (int i = 0; i < n; i++) {
    snprintf(out[i].date, sizeof out[i].date, "%s", PQgetvalue(res, i, 0));
    out[i].workday = strtol(PQgetvalue(res, i, 1), NULL, 10) != 0;
    snprintf(out[i].note, sizeof out[i].note, "%s", PQgetvalue(res, i, 2));
  }
  PQclear(res);
  *days = out;
  *count = (size_t)n;
  return LOBBY_OK;
}

typedef struct {
  const lobby_calendar_day *day;
  const char *date;
  const store_audit_entry *audit;
} day_args;

static lobby_err calendar_set_fn(pq_conn *c, void *arg)
{
  day_args *a = arg;
  pq_params p = {0};
  pq__text(&p, a->day->date);
  pq__int(&p, a->day->workday);
  pq__text(&p, a->day->note);
  lobby_err err = pq__run(c, "INSERT INTO calendar_days (day, workday, note) VALUES ($1, $2, $3) "
                             "ON CONFLICT (day) DO UPDATE SET workday = EXCLUDED.workday, "
                             "note = EXCLUDED.note", &p, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, a->day->date);
  return err;
}

static lobby_err calendar_set(lobby_store *st, const lobby_calendar_day *day,
                              const store_audit_entry *audit)
{
  day_args a = {.day = day, .audit = audit};
  return pq__transaction(PQ(st), calendar_set_fn, &a);
}

static lobby_err calendar_clear_fn(pq_conn *c, void *arg)
{
  day_args *a = arg;
  pq_params p = {0};
  pq__text(&p, a->date);
  lobby_err err = pq__run(c, "DELETE FROM calendar_days WHERE day = $1", &p, true);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, a->date);
  return err;
}

static lobby_err calendar_clear(lobby_store *st, const char *date, const store_audit_entry *audit)
{
  day_args a = {.date = date, .audit = audit};
  return pq__transaction(PQ(st), calendar_clear_fn, &a);
}

typedef struct {
  int year;
  const lobby_calendar_day *days;
  size_t count;
  int64_t now;
  bool seeded;
} seed_args;

static lobby_err calendar_seed_fn(pq_conn *c, void *arg)
{
  seed_args *a = arg;
  a->seeded = false;
  pq_params p = {0};
  pq__int(&p, a->year);
  pq__int(&p, a->now);
  lobby_err err = pq__run(c, "INSERT INTO calendar_years (year, seeded_at) VALUES ($1, $2) "
                             "ON CONFLICT (year) DO NOTHING", &p, true);
  if (err == LOBBY_ENOTFOUND)
    return LOBBY_OK;    /* seeded before: the days there are the staff's */
  for (size_t i = 0; i < a->count && err == LOBBY_OK; i++) {
    pq_params d = {0};
    pq__text(&d, a->days[i].date);
    pq__int(&d, a->days[i].workday);
    pq__text(&d, a->days[i].note);
    err = pq__run(c, "INSERT INTO calendar_days (day, workday, note) VALUES ($1, $2, $3) "
                     "ON CONFLICT (day) DO NOTHING", &d, false);
  }
  if (err == LOBBY_OK)
    a->seeded = true;
  return err;
}

static lobby_err calendar_seed(lobby_store *st, int year, const lobby_calendar_day *days,
                               size_t count, int64_t now, bool *seeded)
{
  seed_args a = {year, days, count, now, false};
  lobby_err err = pq__transaction(PQ(st), calendar_seed_fn, &a);
  if (err == LOBBY_OK)
    *seeded = a.seeded;
  return err;
}

void pq__calendar_ops(lobby_store_ops *ops)
{
  ops->calendar_list = calendar_list;
  ops->calendar_load = calendar_load;
  ops->calendar_set = calendar_set;
  ops->calendar_clear = calendar_clear;
  ops->calendar_seed = calendar_seed;
}
