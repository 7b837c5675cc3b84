/* The monthly complaint summary, computed in SQL over the ledger: what
 * the service plan asks to be summarised (counts by kind and category,
 * replies within one working day, the return-visit rate, satisfaction). */
#include "store_sqlite_internal.h"

/* IN_MONTH, in each query below, is bound to from (?1) and to (?2) and
 * kept to the sites. */
#define IN_MONTH "c.created_at >= ?1 AND c.created_at < ?2{sites}"

typedef struct {
  int64_t from, to;
  const store_site_set *sites;
} month_scope;

static lobby_err prepare_in(sq_store *s, const char *sql, const month_scope *m, sqlite3_stmt **q)
{
  lobby_err err = sq__prepare_in_sites(s, sql, m->sites, "c.site_id", false, q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(*q, 1, m->from);
  sqlite3_bind_int64(*q, 2, m->to);
  return LOBBY_OK;
}

/* Counts by the query's first column into counts, which may already hold
 * zeros for every name so that none is missing. */
static lobby_err count_into(sq_store *s, const char *sql, const month_scope *m, json_t *counts)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s, sql, m, &q);
  if (err != LOBBY_OK)
    return err;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    json_object_set_new(counts, (const char *)sqlite3_column_text(q, 0),
                        json_integer(sqlite3_column_int64(q, 1)));
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? LOBBY_OK : LOBBY_EIO;
}

static json_t *zeros(const char *const *names)
{
  json_t *o = json_object();
  for (int i = 0; o && names[i]; i++)
    json_object_set_new(o, names[i], json_integer(0));
  return o;
}

/* The median minutes from filing to the first reply; null for none. */
static lobby_err reply_median(sq_store *s, const month_scope *m, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s, "SELECT c.first_replied_at - c.created_at AS d FROM complaints c "
                                "WHERE " IN_MONTH " AND c.first_replied_at IS NOT NULL ORDER BY d",
                             m, &q);
  json_t *values = NULL;
  if (err == LOBBY_OK)
    err = sq__collect(q, &values);
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

static json_t *rate(int64_t part, int64_t whole)
{
  return whole ? json_real((double)part / (double)whole) : json_null();
}

/* Replies and their timeliness over every kind; the return-visit rate
 * over complaints, the kind that must be visited. */
static lobby_err reply_figures(sq_store *s, const month_scope *m, json_t *out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in(s,
    "SELECT COALESCE(SUM(c.first_replied_at IS NOT NULL), 0),"
    " COALESCE(SUM(c.first_replied_at <= c.reply_due_at), 0),"
    " COALESCE(SUM(c.kind = 'complaint' AND c.first_replied_at IS NOT NULL), 0),"
    " COALESCE(SUM(c.kind = 'complaint' AND c.satisfaction IS NOT NULL), 0)"
    " FROM complaints c WHERE " IN_MONTH, m, &q);
  if (err != LOBBY_OK)
    return err;
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_finalize(q);
    return LOBBY_EIO;
  }
  int64_t replied = sqlite3_column_int64(q, 0), on_time = sqlite3_column_int64(q, 1);
  int64_t complaints_replied = sqlite3_column_int64(q, 2), visited = sqlite3_column_int64(q, 3);
  sqlite3_finalize(q);
  json_object_set_new(out, "replied", json_integer(replied));
  json_object_set_new(out, "replied_on_time", json_integer(on_time));
  json_object_set_new(out, "on_time_rate", rate(on_time, replied));
  json_object_set_new(out, "return_visit_rate", rate(visited, complaints_replied));
  return LOBBY_OK;
}

static lobby_err complaint_summary(lobby_store *st, const store_site_set *sites, int64_t from,
                                   int64_t to, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  month_scope m = {from, to, sites};
  json_t *by_kind = zeros(complaint_kind_names), *by_category = json_object();
  json_t *sat = zeros(complaint_satisfaction_names), *median = NULL, *sum = json_object();
  (void)now;
  lobby_err err = by_kind && by_category && sat && sum ? LOBBY_OK : LOBBY_ENOMEM;
  SQ_LOCK(s);
  if (err == LOBBY_OK)
    err = count_into(s, "SELECT c.kind, COUNT(*) FROM complaints c WHERE " IN_MONTH
                        " GROUP BY c.kind", &m, by_kind);
  if (err == LOBBY_OK)
    err = count_into(s, "SELECT c.category, COUNT(*) FROM complaints c WHERE " IN_MONTH
                        " GROUP BY c.category ORDER BY c.category", &m, by_category);
  if (err == LOBBY_OK)
    err = count_into(s, "SELECT c.satisfaction, COUNT(*) FROM complaints c WHERE " IN_MONTH
                        " AND c.kind = 'complaint' AND c.satisfaction IS NOT NULL"
                        " GROUP BY c.satisfaction", &m, sat);
  if (err == LOBBY_OK)
    err = reply_median(s, &m, &median);
  if (err == LOBBY_OK)
    err = reply_figures(s, &m, sum);
  SQ_UNLOCK(s);
  if (err != LOBBY_OK) {
    json_decref(by_kind);
    json_decref(by_category);
    json_decref(sat);
    json_decref(median);
    json_decref(sum);
    return err;
  }
  json_int_t total = 0;
  const char *key;
  json_t *v;
  json_object_foreach(by_kind, key, v) total += json_integer_value(v);
  json_object_set_new(sum, "total", json_integer(total));
  json_object_set_new(sum, "by_kind", by_kind);
  json_object_set_new(sum, "by_category", by_category);
  json_object_set_new(sum, "reply_minutes_median", median);
  json_object_set_new(sum, "satisfaction", sat);
  *out = sum;
  return LOBBY_OK;
}

void sq__complaint_summary_ops(lobby_store_ops *ops)
{
  ops->complaint_summary = complaint_summary;
}
