/* The monthly complaint figures in the PostgreSQL store, computed in SQL
 * over the complaints filed in [from, to) and shaped by
 * store_complaint_summary_shape (store_records.c), as the SQLite store
 * does.  The reply time counts from filing to the first reply
 * (first_replied_at), which a later reply after a follow-up does not
 * move.  All figures are read in one read-only snapshot, so they agree
 * with each other while other lobbyd instances keep writing. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdlib.h>
#include <string.h>

#define IN_MONTH "c.created_at >= $1 AND c.created_at < $2"

static void month_params(pq_params *p, int64_t from, int64_t to)
{
  pq__int(p, from);
  pq__int(p, to);
}

/* The rows (name, count) of a grouped query, as a result the caller clears. */
static lobby_err grouped(pq_conn *c, const store_site_set *sites, const char *head,
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

/* Counts by kind and by satisfaction go into the figures' arrays by
 * name; a name the store did not write is not counted. */
static lobby_err count_names(pq_conn *c, const store_site_set *sites, const char *column,
                             const char *const *names, int first, int64_t *counts,
                             int64_t from, int64_t to)
{
  char head[160], tail[96];
  snprintf(head, sizeof head, "SELECT %s, COUNT(*) FROM complaints c WHERE " IN_MONTH
           " AND %s IS NOT NULL", column, column);
  snprintf(tail, sizeof tail, " GROUP BY %s", column);
  PGresult *res;
  lobby_err err = grouped(c, sites, head, tail, from, to, &res);
  if (err != LOBBY_OK)
    return err;
  for (int i = 0; i < PQntuples(res); i++)
    for (int k = 0; names[k]; k++)
      if (strcmp(names[k], PQgetvalue(res, i, 0)) == 0)
        counts[first + k] = cell_int(res, i, 1);
  PQclear(res);
  return LOBBY_OK;
}

/* Category names in byte order (COLLATE "C"), as SQLite sorts them. */
static lobby_err count_categories(pq_conn *c, const store_site_set *sites, int64_t from,
                                  int64_t to, json_t **out)
{
  PGresult *res;
  lobby_err err = grouped(c, sites, "SELECT category, COUNT(*) FROM complaints c WHERE "
                          IN_MONTH, " GROUP BY category ORDER BY category COLLATE \"C\"", from,
                          to, &res);
  if (err != LOBBY_OK)
    return err;
  json_t *counts = json_object();
  for (int i = 0; i < PQntuples(res); i++)
    json_object_set_new(counts, PQgetvalue(res, i, 0), json_integer(cell_int(res, i, 1)));
  PQclear(res);
  *out = counts;
  return LOBBY_OK;
}

/* The seconds from filing to the first reply, ascending (malloc'd). */
static lobby_err reply_delays(pq_conn *c, const store_site_set *sites, int64_t from, int64_t to,
                              int64_t **seconds, size_t *count)
{
  PGresult *res;
  lobby_err err = grouped(c, sites, "SELECT c.first_replied_at - c.created_at AS d "
                          "FROM complaints c WHERE " IN_MONTH
                          " AND c.first_replied_at IS NOT NULL", " ORDER BY d", from, to, &res);
  if (err != LOBBY_OK)
    return err;
  int n = PQntuples(res);
  *seconds = calloc(n > 0 ? (size_t)n : 1, sizeof **seconds);
  if (!*seconds) {
    PQclear(res);
    return LOBBY_ENOMEM;
  }
  for (int i = 0; i < n; i++)
    (*seconds)[i] = cell_int(res, i, 0);
  *count = (size_t)n;
  PQclear(res);
  return LOBBY_OK;
}

/* Replies on time, and the complaints (kind complaint) replied to and
 * visited again afterwards. */
static lobby_err reply_counts(pq_conn *c, const store_site_set *sites, int64_t from, int64_t to,
                              store_complaint_figures *f)
{
  PGresult *res;
  lobby_err err = grouped(c, sites,
    "SELECT COUNT(*) FILTER (WHERE c.first_replied_at <= c.reply_due_at), "
    "COUNT(*) FILTER (WHERE c.kind = 'complaint' AND c.first_replied_at IS NOT NULL), "
    "COUNT(*) FILTER (WHERE c.kind = 'complaint' AND EXISTS (SELECT 1 FROM complaint_events e "
    "  WHERE e.complaint_id = c.id AND e.event = 'return_visit')) "
    "FROM complaints c WHERE " IN_MONTH, "", from, to, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1) {
    f->replied_on_time = cell_int(res, 0, 0);
    f->complaints_replied = cell_int(res, 0, 1);
    f->complaints_visited = cell_int(res, 0, 2);
  } else {
    err = LOBBY_EIO;
  }
  PQclear(res);
  return err;
}

static lobby_err summary_figures(pq_conn *c, const store_site_set *sites, int64_t from,
                                 int64_t to, store_complaint_figures *f, int64_t **seconds)
{
  lobby_err err = count_names(c, sites, "c.kind", complaint_kind_names, 0, f->by_kind, from, to);
  if (err == LOBBY_OK)
    err = count_names(c, sites, "c.satisfaction", complaint_satisfaction_names,
                      COMPLAINT_SATISFACTION_NONE + 1, f->satisfaction, from, to);
  if (err == LOBBY_OK) err = count_categories(c, sites, from, to, &f->by_category);
  if (err == LOBBY_OK) err = reply_delays(c, sites, from, to, seconds, &f->replied);
  if (err == LOBBY_OK) err = reply_counts(c, sites, from, to, f);
  return err;
}

/* The figures of the complaints of the set's sites. */
static lobby_err complaint_summary(lobby_store *st, const store_site_set *sites, int64_t from,
                                   int64_t to, int64_t now, json_t **out)
{
  (void)now;
  pq_store *s = PQ(st);
  store_complaint_figures f = {0};
  int64_t *seconds = NULL;
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (err == LOBBY_OK) {
    err = summary_figures(c, sites, from, to, &f, &seconds);
    err = pq__end(c, err);
  }
  pq__release(s, c);
  if (err == LOBBY_OK) {
    f.reply_seconds = seconds;
    *out = store_complaint_summary_shape(&f);
    if (!*out)
      err = LOBBY_ENOMEM;
  }
  json_decref(f.by_category);
  free(seconds);
  return err;
}

void pq__complaint_summary_ops(lobby_store_ops *ops)
{
  ops->complaint_summary = complaint_summary;
}
