/* The monthly repair summary in the PostgreSQL store, computed in SQL over
 * the ledger as store_sqlite_repair_summary.c does.  Times to accept and
 * to complete count from the ticket's creation to the first such event;
 * the SLA is met when an emergency had someone on site, or any other
 * ticket was completed, by its due time.  All figures are read in one
 * read-only snapshot, so they agree with each other while other lobbyd
 * instances keep writing. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <stdlib.h>

#define IN_MONTH "r.created_at >= $1 AND r.created_at < $2"

static void month_params(pq_params *p, int64_t from, int64_t to)
{
  pq__int(p, from);
  pq__int(p, to);
}

/* The rows (name, count) of column grouped, as one object. */
static lobby_err count_by(pq_conn *c, const store_site_set *sites, const char *head,
                          const char *tail, int64_t from, int64_t to, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "r.site_id", false, tail);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  PGresult *res;
  err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  json_t *counts = json_object();
  int rows = PQntuples(res);
  for (int i = 0; i < rows; i++)
    json_object_set_new(counts, PQgetvalue(res, i, 0),
                        json_integer(strtoll(PQgetvalue(res, i, 1), NULL, 10)));
  PQclear(res);
  *out = counts;
  return LOBBY_OK;
}

/* The median, in minutes, of the seconds from creation to the first event
 * of this kind; null when no ticket of the month has one. */
static lobby_err median_minutes(pq_conn *c, const store_site_set *sites, const char *event,
                                int64_t from, int64_t to, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT d FROM (SELECT (SELECT MIN(e.at) FROM repair_events e WHERE e.repair_id = r.id "
    "AND e.event = $3) - r.created_at AS d FROM repairs r WHERE " IN_MONTH, sites, "r.site_id",
    false, ") AS delays WHERE d IS NOT NULL ORDER BY d");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  pq__text(&p, event);
  json_t *values = NULL;
  err = pq__collect(c, sql, &p, &values);
  if (err != LOBBY_OK)
    return err;
  size_t n = json_array_size(values);
  if (n == 0) {
    *out = json_null();
  } else {
    double lo = (double)json_integer_value(json_object_get(json_array_get(values, (n - 1) / 2), "d"));
    double hi = (double)json_integer_value(json_object_get(json_array_get(values, n / 2), "d"));
    *out = json_real((lo + hi) / 2.0 / 60.0);
  }
  json_decref(values);
  return LOBBY_OK;
}

static lobby_err sla_figures(pq_conn *c, const store_site_set *sites, int64_t from, int64_t to,
                             int64_t now, json_t **out)
{
  /* A ticket counts once its SLA event happened or its due time passed;
   * cancelled tickets do not count. */
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT COUNT(*) AS counted, "
    "COUNT(*) FILTER (WHERE met_at IS NOT NULL AND met_at <= due_at) AS met FROM ("
    "  SELECT r.due_at AS due_at, (SELECT MIN(e.at) FROM repair_events e WHERE e.repair_id = r.id"
    "    AND e.event = CASE WHEN r.urgency = 'emergency' THEN 'on_site' ELSE 'complete' END)"
    "    AS met_at"
    "  FROM repairs r WHERE " IN_MONTH " AND r.status <> 'cancelled'", sites, "r.site_id", false,
    ") AS tickets WHERE met_at IS NOT NULL OR due_at < $3");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  pq__int(&p, now);
  json_t *row = NULL;
  err = pq__one(c, sql, &p, &row);
  if (err == LOBBY_ENOTFOUND)
    err = LOBBY_EIO;
  if (err != LOBBY_OK)
    return err;
  int64_t due = json_integer_value(json_object_get(row, "counted"));
  int64_t met = json_integer_value(json_object_get(row, "met"));
  json_decref(row);
  *out = json_pack("{s:I, s:I, s:o}", "counted", (json_int_t)due, "met", (json_int_t)met,
                   "rate", due ? json_real((double)met / (double)due) : json_null());
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

static lobby_err satisfaction(pq_conn *c, const store_site_set *sites, int64_t from, int64_t to,
                              json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT COUNT(r.satisfaction) AS n, "
                               "AVG(r.satisfaction)::float8 AS average FROM repairs r "
                               "WHERE " IN_MONTH, sites, "r.site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  json_t *row = NULL;
  err = pq__one(c, sql, &p, &row);
  if (err == LOBBY_ENOTFOUND)
    err = LOBBY_EIO;
  if (err != LOBBY_OK)
    return err;
  int64_t n = json_integer_value(json_object_get(row, "n"));
  double avg = json_real_value(json_object_get(row, "average"));
  json_decref(row);
  *out = json_pack("{s:I, s:o}", "count", (json_int_t)n, "average",
                   n ? json_real(avg) : json_null());
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

/* Average satisfaction by a grouping (category, technician), for the
 * tickets of the month that have one: {"water": {"count", "average"}}.
 * The average is the sum over the count in C, as SQLite's AVG works it
 * out, so both stores give the same double. */
static lobby_err satisfaction_by(pq_conn *c, const store_site_set *sites, const char *group_sql,
                                 int64_t from, int64_t to, json_t **out)
{
  char head[512], tail[512], sql[PQ_SITE_SQL_SIZE];
  snprintf(head, sizeof head, "SELECT (%s) COLLATE \"C\" AS k, COUNT(*), SUM(r.satisfaction) "
                              "FROM repairs r WHERE " IN_MONTH, group_sql);
  snprintf(tail, sizeof tail, " AND r.satisfaction IS NOT NULL AND %s IS NOT NULL "
                              "GROUP BY k ORDER BY k", group_sql);
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "r.site_id", false, tail);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  PGresult *res;
  err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  json_t *groups = json_object();
  int rows = PQntuples(res);
  for (int i = 0; i < rows; i++) {
    long long n = strtoll(PQgetvalue(res, i, 1), NULL, 10);
    long long sum = strtoll(PQgetvalue(res, i, 2), NULL, 10);
    json_object_set_new(groups, PQgetvalue(res, i, 0),
                        json_pack("{s:I, s:f}", "count", (json_int_t)n, "average",
                                  (double)sum / (double)n));
  }
  PQclear(res);
  *out = groups;
  return LOBBY_OK;
}

/* The share of the month's finished tickets (completed or later, not
 * cancelled) that had their return visit: the service plan wants 100 %. */
static lobby_err return_visit_rate(pq_conn *c, const store_site_set *sites, int64_t from,
                                   int64_t to, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT COUNT(*) AS done, "
                               "COUNT(r.satisfaction) AS visited FROM repairs r WHERE " IN_MONTH
                               " AND r.status IN ('completed', 'return_visit', 'closed')",
                               sites, "r.site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  json_t *row = NULL;
  err = pq__one(c, sql, &p, &row);
  if (err == LOBBY_ENOTFOUND)
    err = LOBBY_EIO;
  if (err != LOBBY_OK)
    return err;
  int64_t done = json_integer_value(json_object_get(row, "done"));
  int64_t visited = json_integer_value(json_object_get(row, "visited"));
  json_decref(row);
  *out = done ? json_real((double)visited / (double)done) : json_null();
  return LOBBY_OK;
}

/* The satisfaction figures with their groupings nested, and the return
 * visit rate. */
static lobby_err satisfaction_figures(pq_conn *c, const store_site_set *sites, int64_t from,
                                      int64_t to, json_t **sat, json_t **visit_rate)
{
  json_t *by_category = NULL, *by_technician = NULL;
  lobby_err err = satisfaction(c, sites, from, to, sat);
  if (err == LOBBY_OK)
    err = satisfaction_by(c, sites, "r.category", from, to, &by_category);
  if (err == LOBBY_OK)
    err = satisfaction_by(c, sites, "(SELECT name FROM staff WHERE staff.id = r.technician_id)",
                          from, to, &by_technician);
  if (err == LOBBY_OK)
    err = return_visit_rate(c, sites, from, to, visit_rate);
  if (err == LOBBY_OK) {
    json_object_set_new(*sat, "by_category", by_category);
    json_object_set_new(*sat, "by_technician", by_technician);
  } else {
    json_decref(by_category);
    json_decref(by_technician);
  }
  return err;
}

/* Names in byte order (COLLATE "C"), as SQLite sorts them, whatever the
 * database's collation. */
static lobby_err summary_figures(pq_conn *c, const store_site_set *sites, int64_t from,
                                 int64_t to, int64_t now, json_t **by_category,
                                 json_t **by_status, json_t **accept, json_t **complete,
                                 json_t **sla, json_t **sat, json_t **visit_rate)
{
  lobby_err err = count_by(c, sites, "SELECT category, COUNT(*) FROM repairs r WHERE " IN_MONTH,
                           " GROUP BY category ORDER BY category COLLATE \"C\"", from, to,
                           by_category);
  if (err == LOBBY_OK)
    err = count_by(c, sites, "SELECT status, COUNT(*) FROM repairs r WHERE " IN_MONTH,
                   " GROUP BY status ORDER BY status COLLATE \"C\"", from, to, by_status);
  if (err == LOBBY_OK) err = median_minutes(c, sites, "accept", from, to, accept);
  if (err == LOBBY_OK) err = median_minutes(c, sites, "complete", from, to, complete);
  if (err == LOBBY_OK) err = sla_figures(c, sites, from, to, now, sla);
  if (err == LOBBY_OK) err = satisfaction_figures(c, sites, from, to, sat, visit_rate);
  return err;
}

/* The figures of the tickets of the set's sites. */
static lobby_err repair_summary(lobby_store *st, const store_site_set *sites, int64_t from,
                                int64_t to, int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  json_t *by_category = NULL, *by_status = NULL, *accept = NULL, *complete = NULL;
  json_t *sla = NULL, *sat = NULL, *visit_rate = NULL;
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (err == LOBBY_OK) {
    err = summary_figures(c, sites, from, to, now, &by_category, &by_status, &accept, &complete,
                          &sla, &sat, &visit_rate);
    err = pq__end(c, err);
  }
  pq__release(s, c);
  if (err != LOBBY_OK) {
    json_decref(by_category);
    json_decref(by_status);
    json_decref(accept);
    json_decref(complete);
    json_decref(sla);
    json_decref(sat);
    json_decref(visit_rate);
    return err;
  }
  json_int_t total = 0;
  const char *key;
  json_t *v;
  json_object_foreach(by_category, key, v) total += json_integer_value(v);
  *out = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "total", total,
                   "by_category", by_category, "by_status", by_status,
                   "median_minutes_to_accept", accept, "median_minutes_to_complete", complete,
                   "sla", sla, "satisfaction", sat, "return_visit_rate", visit_rate);
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

void pq__repair_summary_ops(lobby_store_ops *ops)
{
  ops->repair_summary = repair_summary;
}
