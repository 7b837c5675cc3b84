/* The monthly repair summary, computed in SQL over the ledger.  Times to
 * accept and to complete count from the ticket's creation to the first
 * such event; the SLA is met when an emergency had someone on site, or any
 * other ticket was completed, by its due time. */
#include "store_sqlite_internal.h"

/* The month's tickets of the sites summed up: IN_MONTH, in each query
 * below, is bound to from (?1) and to (?2) and kept to the sites. */
#define IN_MONTH "r.created_at >= ?1 AND r.created_at < ?2{sites}"

typedef struct {
  int64_t from, to;
  const store_site_set *sites;
} month_scope;

/* Prepares a query holding IN_MONTH once, with from and to bound. */
static lobby_err prepare_in(sq_store *s, const char *sql, const month_scope *m, sqlite3_stmt **q)
{
  lobby_err err = sq__prepare_in_sites(s, sql, m->sites, "r.site_id", false, q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(*q, 1, m->from);
  sqlite3_bind_int64(*q, 2, m->to);
  return LOBBY_OK;
}

static lobby_err count_by(sq_store *s, const char *column_sql, const month_scope *m,
                          json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s, column_sql, m, &q);
  if (err != LOBBY_OK)
    return err;
  json_t *counts = json_object();
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    json_object_set_new(counts, (const char *)sqlite3_column_text(q, 0),
                        json_integer(sqlite3_column_int64(q, 1)));
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    json_decref(counts);
    return LOBBY_EIO;
  }
  *out = counts;
  return LOBBY_OK;
}

/* The median, in minutes, of the seconds from creation to the first event
 * of this kind; null when no ticket of the month has one. */
static lobby_err median_minutes(sq_store *s, const char *event, const month_scope *m,
                                json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s,
    "SELECT d FROM (SELECT (SELECT MIN(e.at) FROM repair_events e WHERE e.repair_id = r.id "
    "AND e.event = ?3) - r.created_at AS d FROM repairs r WHERE " IN_MONTH ") "
    "WHERE d IS NOT NULL ORDER BY d", m, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 3, event);
  json_t *values = NULL;
  if ((err = sq__collect(q, &values)))
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

static lobby_err sla_figures(sq_store *s, const month_scope *m, int64_t now, json_t **out)
{
  sqlite3_stmt *q;
  /* A ticket counts once its SLA event happened or its due time passed;
   * cancelled tickets do not count. */
  lobby_err err = prepare_in(s,
    "SELECT COUNT(*), COALESCE(SUM(met_at IS NOT NULL AND met_at <= due_at), 0) FROM ("
    "  SELECT r.due_at AS due_at, (SELECT MIN(e.at) FROM repair_events e WHERE e.repair_id = r.id"
    "    AND e.event = CASE WHEN r.urgency = 'emergency' THEN 'on_site' ELSE 'complete' END) AS met_at"
    "  FROM repairs r WHERE " IN_MONTH " AND r.status <> 'cancelled')"
    " WHERE met_at IS NOT NULL OR due_at < ?3", m, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 3, now);
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_finalize(q);
    return LOBBY_EIO;
  }
  int64_t due = sqlite3_column_int64(q, 0), met = sqlite3_column_int64(q, 1);
  sqlite3_finalize(q);
  *out = json_pack("{s:I, s:I, s:o}", "counted", (json_int_t)due, "met", (json_int_t)met,
                   "rate", due ? json_real((double)met / (double)due) : json_null());
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

static lobby_err satisfaction(sq_store *s, const month_scope *m, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s, "SELECT COUNT(r.satisfaction), AVG(r.satisfaction) FROM repairs r "
                                "WHERE " IN_MONTH, m, &q);
  if (err != LOBBY_OK)
    return err;
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_finalize(q);
    return LOBBY_EIO;
  }
  int64_t n = sqlite3_column_int64(q, 0);
  double avg = sqlite3_column_double(q, 1);
  sqlite3_finalize(q);
  *out = json_pack("{s:I, s:o}", "count", (json_int_t)n, "average", n ? json_real(avg) : json_null());
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

/* Average satisfaction by a grouping (category, technician), for the
 * tickets of the month that have one: {"water": {"count", "average"}}. */
static lobby_err satisfaction_by(sq_store *s, const char *group_sql, const month_scope *m,
                                 json_t **out)
{
  char sql[512];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "SELECT %s AS k, COUNT(*), AVG(r.satisfaction) FROM repairs r WHERE "
                            IN_MONTH " AND r.satisfaction IS NOT NULL AND %s IS NOT NULL "
                            "GROUP BY k ORDER BY k", group_sql, group_sql);
  lobby_err err = prepare_in(s, sql, m, &q);
  if (err != LOBBY_OK)
    return err;
  json_t *groups = json_object();
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    json_object_set_new(groups, (const char *)sqlite3_column_text(q, 0),
                        json_pack("{s:I, s:f}", "count", (json_int_t)sqlite3_column_int64(q, 1),
                                  "average", sqlite3_column_double(q, 2)));
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    json_decref(groups);
    return LOBBY_EIO;
  }
  *out = groups;
  return LOBBY_OK;
}

/* The share of the month's finished tickets (completed or later, not
 * cancelled) that had their return visit: the service plan wants 100 %. */
static lobby_err return_visit_rate(sq_store *s, const month_scope *m, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s, "SELECT COUNT(*), COALESCE(SUM(r.satisfaction IS NOT NULL), 0) "
                                "FROM repairs r WHERE " IN_MONTH " AND r.status IN "
                                "('completed', 'return_visit', 'closed')", m, &q);
  if (err != LOBBY_OK)
    return err;
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_finalize(q);
    return LOBBY_EIO;
  }
  int64_t done = sqlite3_column_int64(q, 0), visited = sqlite3_column_int64(q, 1);
  sqlite3_finalize(q);
  *out = done ? json_real((double)visited / (double)done) : json_null();
  return LOBBY_OK;
}

static lobby_err repair_summary(lobby_store *st, const store_site_set *sites, int64_t from,
                                int64_t to, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  json_t *by_category = NULL, *by_status = NULL, *accept = NULL, *complete = NULL;
  json_t *sla = NULL, *sat = NULL, *sat_category = NULL, *sat_technician = NULL;
  json_t *visit_rate = NULL;
  month_scope m = {from, to, sites};
  SQ_LOCK(s);
  lobby_err err = count_by(s, "SELECT category, COUNT(*) FROM repairs r WHERE " IN_MONTH
                    " GROUP BY category ORDER BY category", &m, &by_category);
  if (err == LOBBY_OK)
    err = count_by(s, "SELECT status, COUNT(*) FROM repairs r WHERE " IN_MONTH
                      " GROUP BY status ORDER BY status", &m, &by_status);
  if (err == LOBBY_OK) err = median_minutes(s, "accept", &m, &accept);
  if (err == LOBBY_OK) err = median_minutes(s, "complete", &m, &complete);
  if (err == LOBBY_OK) err = sla_figures(s, &m, now, &sla);
  if (err == LOBBY_OK) err = satisfaction(s, &m, &sat);
  if (err == LOBBY_OK) err = satisfaction_by(s, "r.category", &m, &sat_category);
  if (err == LOBBY_OK)
    err = satisfaction_by(s, "(SELECT name FROM staff WHERE staff.id = r.technician_id)", &m,
                          &sat_technician);
  if (err == LOBBY_OK) err = return_visit_rate(s, &m, &visit_rate);
  SQ_UNLOCK(s);
  if (err == LOBBY_OK) {
    json_object_set_new(sat, "by_category", sat_category);
    json_object_set_new(sat, "by_technician", sat_technician);
    sat_category = sat_technician = NULL;
  }
  if (err != LOBBY_OK) {
    json_decref(sat_category);
    json_decref(sat_technician);
    json_decref(visit_rate);
    json_decref(by_category);
    json_decref(by_status);
    json_decref(accept);
    json_decref(complete);
    json_decref(sla);
    json_decref(sat);
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

void sq__repair_summary_ops(lobby_store_ops *ops)
{
  ops->repair_summary = repair_summary;
}
