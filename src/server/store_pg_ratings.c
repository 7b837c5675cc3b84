/* Residents' own return visits, given at a kiosk, in the PostgreSQL
 * store, as store_sqlite_ratings.c: a completed repair or a replied
 * complaint is rated once, found by its number and the phone's last four
 * digits as a look-up finds it.  The record's row is locked before its
 * status is read, so of two ratings racing (to any lobbyd process) one
 * records and the other sees it rated already. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Locks the record when number and phone match one of the sites, and
 * reads its id and status; LOBBY_ENOTFOUND for none. */
static lobby_err lock_rated(pq_conn *c, const char *table, const store_rating *rating,
                            const store_site_set *sites, int64_t *id, char *status, size_t size)
{
  char head[160], sql[PQ_SITE_SQL_SIZE];
  snprintf(head, sizeof head, "SELECT id, status FROM %s WHERE %s = $1 AND phone_last4 = $2 "
                              "AND phone_last4 <> ''", table,
           strcmp(table, "repairs") == 0 ? "ticket" : "number");
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "site_id", false, " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, rating->number);
  pq__text(&p, rating->phone_last4);
  PGresult *res;
  err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1) {
    *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(status, size, "%s", PQgetvalue(res, 0, 1));
  } else {
    err = LOBBY_ENOTFOUND;
  }
  PQclear(res);
  return err;
}

typedef struct {
  const store_rating *rating;
  const store_site_set *sites;
  const lobby_principal *by;
  int64_t now;
} rate_args;

static lobby_err record_repair_rating(pq_conn *c, int64_t id, const rate_args *a)
{
  int score = complaint_satisfaction_score(a->rating->satisfaction);
  pq_params p = {0};
  pq__int(&p, id);
  pq__text(&p, lobby_role_name(a->by->role));
  pq__text(&p, a->by->name);
  pq__int(&p, score);
  pq__text(&p, a->rating->comment);
  pq__int(&p, a->now);
  lobby_err err = pq__run(c,
    "INSERT INTO repair_events (repair_id, event, status, actor_role, actor_name, satisfaction, "
    "comment, at) VALUES ($1, 'return_visit', 'return_visit', $2, $3, $4, $5, $6)", &p, false);
  if (err != LOBBY_OK)
    return err;
  /* An unhappy resident puts the repair on the desk's follow-up list. */
  pq_params u = {0};
  pq__int(&u, score);
  pq__int(&u, a->now);
  pq__int(&u, a->rating->satisfaction == COMPLAINT_UNSATISFIED);
  pq__int(&u, id);
  return pq__run(c, "UPDATE repairs SET status = 'return_visit', satisfaction = $1, "
                    "updated_at = $2, follow_up_at = CASE WHEN $3::integer <> 0 THEN $2::bigint "
                    "ELSE NULL END WHERE id = $4", &u, true);
}

static lobby_err repair_rate_fn(pq_conn *c, void *arg)
{
  rate_args *a = arg;
  int64_t id = 0;
  char status[32] = "";
  repair_status from, to;
  lobby_err err = lock_rated(c, "repairs", a->rating, a->sites, &id, status, sizeof status);
  if (err == LOBBY_OK && repair_status_parse(status, &from) != LOBBY_OK)
    err = LOBBY_EIO;
  /* Only a completed repair waits for its return visit. */
  if (err == LOBBY_OK)
    err = repair_transition(from, REPAIR_EVENT_RETURN_VISIT, &to);
  if (err == LOBBY_OK)
    err = record_repair_rating(c, id, a);
  return err;
}

static lobby_err repair_rate(lobby_store *st, const store_rating *rating,
                             const store_site_set *sites, const lobby_principal *by, int64_t now,
                             json_t **out)
{
  rate_args a = {rating, sites, by, now};
  lobby_err err = pq__transaction(PQ(st), repair_rate_fn, &a);
  if (err == LOBBY_OK)
    err = st->ops->repair_lookup(st, rating->number, rating->phone_last4, sites, now, out);
  return err;
}

static lobby_err record_complaint_rating(pq_conn *c, int64_t id, complaint_status to,
                                         const rate_args *a)
{
  const char *level = complaint_satisfaction_name(a->rating->satisfaction);
  pq_params p = {0};
  pq__int(&p, id);
  pq__text(&p, complaint_status_name(to));
  pq__text(&p, lobby_role_name(a->by->role));
  pq__text(&p, a->by->name);
  pq__text(&p, level);
  pq__text(&p, a->rating->comment);
  pq__int(&p, a->now);
  lobby_err err = pq__run(c,
    "INSERT INTO complaint_events (complaint_id, event, status, actor_role, actor_name, "
    "satisfaction, comment, at) VALUES ($1, 'return_visit', $2, $3, $4, $5, $6, $7)", &p, false);
  if (err != LOBBY_OK)
    return err;
  pq_params u = {0};
  pq__text(&u, complaint_status_name(to));
  pq__text(&u, level);
  pq__int(&u, a->now);
  pq__int(&u, id);
  return pq__run(c, "UPDATE complaints SET status = $1, satisfaction = $2, updated_at = $3 "
                    "WHERE id = $4", &u, true);
}

static lobby_err complaint_rate_fn(pq_conn *c, void *arg)
{
  rate_args *a = arg;
  int64_t id = 0;
  char status[32] = "";
  complaint_status from, to;
  lobby_err err = lock_rated(c, "complaints", a->rating, a->sites, &id, status, sizeof status);
  if (err == LOBBY_OK && complaint_status_parse(status, &from) != LOBBY_OK)
    err = LOBBY_EIO;
  /* The kind does not matter here: every kind's return visit follows a reply. */
  if (err == LOBBY_OK)
    err = complaint_transition(COMPLAINT_KIND_COMPLAINT, from, COMPLAINT_EVENT_RETURN_VISIT,
                               a->rating->satisfaction, &to);
  if (err == LOBBY_OK)
    err = record_complaint_rating(c, id, to, a);
  return err;
}

static lobby_err complaint_rate(lobby_store *st, const store_rating *rating,
                                const store_site_set *sites, const lobby_principal *by,
                                int64_t now, json_t **out)
{
  rate_args a = {rating, sites, by, now};
  lobby_err err = pq__transaction(PQ(st), complaint_rate_fn, &a);
  if (err == LOBBY_OK)
    err = st->ops->complaint_lookup(st, rating->number, rating->phone_last4, sites, now, out);
  return err;
}

void pq__rating_ops(lobby_store_ops *ops)
{
  ops->repair_rate = repair_rate;
  ops->complaint_rate = complaint_rate;
}
