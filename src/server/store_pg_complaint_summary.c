/* The monthly complaint figures in the PostgreSQL store, computed in SQL
 * over the complaints filed in [from, to), as
 * store_sqlite_complaint_summary.c does and in the same shape: counts by
 * kind and category, replies within one working day, the return-visit
 * rate of complaints and their satisfaction.  The reply time counts from
 * filing to the first reply (first_replied_at), which a later reply
 * after a follow-up does not move.  All figures are read in one
 * read-only snapshot, so they agree with each other while other lobbyd
 * instances keep writing. */
#include "store_pg_internal.h"

#include <stdlib.h>

#define IN_MONTH "c.created_at >= $1 AND c.created_at < $2"

static void month_params(pq_params *p, int64_t from, int64_t to)
{
  pq__int(p, from);
  pq__int(p, to);
}

/* The rows of a query kept to the sites, as a result the caller clears. */
static lobby_err month_query(pq_conn *c, const store_site_set *sites, const char *head,
                             const char *tail, int64_t from, int64_t to, PGresult **res)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "c.site_id", false, tail);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  month_params(&p, from, to);
  return pq__query(c, sql, &p, res);
}

static int64_t cell_int(const PGresult *res, int row, int col)
{
  return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static json_t *zeros(const char *const *names)
{
  json_t *o = json_object();
  for (int i = 0; o && names[i]; i++)
    json_object_set_new(o, names[i], json_integer(0));
  return o;
}

/* Counts by the query's first column into counts, which may already hold
 * zeros for every name so that none is missing.  Names come in byte
 * order (COLLATE "C" in the query), as SQLite sorts them. */
static lobby_err count_into(pq_conn *c, const store_site_set *sites, const char *head,
                            const char *tail, int64_t from, int64_t to, json_t *counts)
{
  PGresult *res;
  lobby_err err = month_query(c, sites, head, tail, from, to, &res);
  if (err != LOBBY_OK)
    return err;
  for (int i = 0; i < PQntuples(res); i++)
    json_object_set_new(counts, PQgetvalue(res, i, 0), json_integer(cell_int(res, i, 1)));
  PQclear(res);
  return LOBBY_OK;
}

/* The median minutes from filing to the first reply; null for none. */
static lobby_err reply_median(pq_conn *c, const store_site_set *sites, int64_t from, int64_t to,
                              json_t **out)
{
  PGresult *res;
  lobby_err err = month_query(c, sites, "SELECT c.first_replied_at - c.created_at AS d "
                              "FROM complaints c WHERE " IN_MONTH
                              " AND c.first_replied_at IS NOT NULL", " ORDER BY d", from, to,
                              &res);
  if (err != LOBBY_OK)
    return err;
  int n = PQntuples(res);
  if (n == 0) {
    *out = json_null();
  } else {
    double lo = (double)cell_int(res, (n - 1) / 2, 0);
    double hi = (double)cell_int(res, n / 2, 0);
    *out = json_real((lo + hi) / 2.0 / 60.0);
  }
  PQclear(res);
  return LOBBY_OK;
}

static json_t *rate(int64_t part, int64_t whole)
{
  return whole ? json_real((double)part / (double)whole) : json_null();
}

/* Replies and their timeliness over every kind; the return-visit rate
 * over complaints, the kind that must be visited (a satisfaction is set
 * by a return visit only). */
static lobby_err reply_figures(pq_conn *c, const store_site_set *sites, int64_t from,
                               int64_t to, json_t *out)
{
  PGresult *res;
  lobby_err err = month_query(c, sites,
    "SELECT COUNT(*) FILTER (WHERE c.first_replied_at IS NOT NULL), "
    "COUNT(*) FILTER (WHERE c.first_replied_at <= c.reply_due_at), "
    "COUNT(*) FILTER (WHERE c.kind = 'complaint' AND c.first_replied_at IS NOT NULL), "
    "COUNT(*) FILTER (WHERE c.kind = 'complaint' AND c.satisfaction IS NOT NULL) "
    "FROM complaints c WHERE " IN_MONTH, "", from, to, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) != 1) {
    PQclear(res);
    return LOBBY_EIO;
  }
  int64_t replied = cell_int(res, 0, 0), on_time = cell_int(res, 0, 1);
  int64_t complaints_replied = cell_int(res, 0, 2), visited = cell_int(res, 0, 3);
  PQclear(res);
  json_object_set_new(out, "replied", json_integer(replied));
  json_object_set_new(out, "replied_on_time", json_integer(on_time));
  json_object_set_new(out, "on_time_rate", rate(on_time, replied));
  json_object_set_new(out, "return_visit_rate", rate(visited, complaints_replied));
  return LOBBY_OK;
}

typedef struct {
  json_t *by_kind, *by_category, *satisfaction, *median, *sum;
} figures;

static lobby_err summary_figures(pq_conn *c, const store_site_set *sites, int64_t from,
                                 int64_t to, figures *f)
{
  lobby_err err = count_into(c, sites, "SELECT c.kind, COUNT(*) FROM complaints c WHERE "
                             IN_MONTH, " GROUP BY c.kind", from, to, f->by_kind);
  if (err == LOBBY_OK)
    err = count_into(c, sites, "SELECT c.category, COUNT(*) FROM complaints c WHERE " IN_MONTH,
                     " GROUP BY c.category ORDER BY c.category COLLATE \"C\"", from, to,
                     f->by_category);
  if (err == LOBBY_OK)
    err = count_into(c, sites, "SELECT c.satisfaction, COUNT(*) FROM complaints c WHERE "
                     IN_MONTH " AND c.kind = 'complaint' AND c.satisfaction IS NOT NULL",
                     " GROUP BY c.satisfaction", from, to, f->satisfaction);
  if (err == LOBBY_OK)
    err = reply_median(c, sites, from, to, &f->median);
  if (err == LOBBY_OK)
    err = reply_figures(c, sites, from, to, f->sum);
  return err;
}

/* The figures of the complaints of the set's sites. */
static lobby_err complaint_summary(lobby_store *st, const store_site_set *sites, int64_t from,
                                   int64_t to, int64_t now, json_t **out)
{
  (void)now;
  pq_store *s = PQ(st);
  figures f = {zeros(complaint_kind_names), json_object(), zeros(complaint_satisfaction_names),
               NULL, json_object()};
  lobby_err err = f.by_kind && f.by_category && f.satisfaction && f.sum ? LOBBY_OK : LOBBY_ENOMEM;
  pq_conn *c = NULL;
  if (err == LOBBY_OK)
    err = pq__acquire(s, &c);
  if (err == LOBBY_OK) {
    err = pq__exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (err == LOBBY_OK) {
      err = summary_figures(c, sites, from, to, &f);
      err = pq__end(c, err);
    }
    pq__release(s, c);
  }
  if (err != LOBBY_OK) {
    json_decref(f.by_kind);
    json_decref(f.by_category);
    json_decref(f.satisfaction);
    json_decref(f.median);
    json_decref(f.sum);
    return err;
  }
  json_int_t total = 0;
  const char *key;
  json_t *v;
  json_object_foreach(f.by_kind, key, v) total += json_integer_value(v);
  json_object_set_new(f.sum, "total", json_integer(total));
  json_object_set_new(f.sum, "by_kind", f.by_kind);
  json_object_set_new(f.sum, "by_category", f.by_category);
  json_object_set_new(f.sum, "reply_minutes_median", f.median);
  json_object_set_new(f.sum, "satisfaction", f.satisfaction);
  *out = f.sum;
  return LOBBY_OK;
}

void pq__complaint_summary_ops(lobby_store_ops *ops)
{
  ops->complaint_summary = complaint_summary;
}
