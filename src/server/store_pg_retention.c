/* The retention sweep in the PostgreSQL store, as in
 * store_sqlite_retention.c: what lobbyd stops keeping after a while. */
#include "store_pg_internal.h"

#include <stdlib.h>

/* Runs one statement with the cutoff as $1 and, when uses_now, now as $2
 * (PostgreSQL refuses parameters a statement does not use); adds the
 * changed rows. */
static lobby_err run_cutoff(pq_conn *c, const char *sql, int64_t cutoff, int64_t now,
                            bool uses_now, int *count)
{
  pq_params p = {0};
  PGresult *res;
  if (cutoff <= 0)
    return LOBBY_OK;   /* 0 = keep */
  pq__int(&p, cutoff);
  if (uses_now)
    pq__int(&p, now);
  lobby_err err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  *count += (int)strtol(PQcmdTuples(res), NULL, 10);
  PQclear(res);
  return LOBBY_OK;
}

/* As the SQLite store's anonymise_releases. */
static lobby_err anonymise_releases(pq_conn *c, const store_retention *p, int64_t now, int *count)
{
  pq_params q = {0};
  PGresult *res;
  if (p->repair_closed_before <= 0)
    return LOBBY_OK;
  pq__int(&q, p->repair_closed_before);
  pq__int(&q, now);
  pq__text(&q, p->release_expired_before);
  lobby_err err = pq__query(c, "UPDATE releases SET name = '—', phone = '', phone_last4 = '', "
                               "anonymised_at = $2 WHERE anonymised_at IS NULL AND "
                               "((status IN ('used', 'refused', 'cancelled') AND updated_at < $1) "
                               " OR (status = 'approved' AND date < $3))", &q, &res);
  if (err != LOBBY_OK)
    return err;
  *count += (int)strtol(PQcmdTuples(res), NULL, 10);
  PQclear(res);
  return LOBBY_OK;
}

/* As the SQLite store's anonymise_renovations: the workers first, then
 * the renovations, whose anonymised_at says which are done. */
#define RENOVATIONS_OLD                                                                    \
  "SELECT id FROM renovations WHERE anonymised_at IS NULL AND "                            \
  "((status IN ('finished', 'cancelled') AND updated_at < $1) "                            \
  " OR (status = 'active' AND end_date < $2))"

static lobby_err anonymise_renovations(pq_conn *c, const store_retention *p, int64_t now,
                                       int *count)
{
  if (p->repair_closed_before <= 0)
    return LOBBY_OK;
  pq_params q = {0};
  pq__int(&q, p->repair_closed_before);
  pq__text(&q, p->release_expired_before);
  lobby_err err = pq__run(c, "UPDATE worker_passes SET name = '—', phone = '' "
                             "WHERE renovation_id IN (" RENOVATIONS_OLD ")", &q, false);
  if (err != LOBBY_OK)
    return err;
  pq__int(&q, now);
  PGresult *res;
  err = pq__query(c, "UPDATE renovations SET manager = '—', manager_phone = '', anonymised_at = $3 "
                     "WHERE id IN (" RENOVATIONS_OLD ")", &q, &res);
  if (err != LOBBY_OK)
    return err;
  *count += (int)strtol(PQcmdTuples(res), NULL, 10);
  PQclear(res);
  return LOBBY_OK;
}

typedef struct {
  const store_retention *policy;
  int64_t now;
  store_retention_counts counts;
} retention_sweep;

static lobby_err retention_tx(pq_conn *c, void *arg)
{
  retention_sweep *a = arg;
  const store_retention *p = a->policy;
  store_retention_counts *n = &a->counts;
  /* A retried transaction counts afresh. */
  *n = (store_retention_counts){0};
  lobby_err err = run_cutoff(c, "DELETE FROM idempotency WHERE created_at < $1",
                             p->idempotency_before, a->now, false, &n->idempotency_deleted);
  if (err == LOBBY_OK)
    err = run_cutoff(c, "DELETE FROM audit WHERE at < $1", p->audit_before, a->now, false,
                     &n->audit_deleted);
  /* Closed and cancelled are final, so updated_at is when it ended; the
   * photos go with the name and phone, as in the SQLite store. */
  if (err == LOBBY_OK)
    err = run_cutoff(c, "DELETE FROM repair_photos WHERE repair_id IN (SELECT id FROM repairs "
                        "WHERE anonymised_at IS NULL AND status IN ('closed', 'cancelled') "
                        "AND updated_at < $1)", p->repair_closed_before, a->now, false,
                     &n->photos_deleted);
  if (err == LOBBY_OK)
    err = run_cutoff(c, "UPDATE repairs SET name = '—', phone = '', phone_last4 = '', "
                        "anonymised_at = $2 WHERE anonymised_at IS NULL "
                        "AND status IN ('closed', 'cancelled') AND updated_at < $1",
                     p->repair_closed_before, a->now, true, &n->repairs_anonymised);
  /* Closed complaints lose the resident's name and phone on the same
   * schedule; what was said and answered stays for the figures. */
  if (err == LOBBY_OK)
    err = run_cutoff(c, "UPDATE complaints SET name = CASE WHEN name IS NULL THEN NULL "
                        "ELSE '—' END, phone = NULL, phone_last4 = '', anonymised_at = $2 "
                        "WHERE anonymised_at IS NULL AND status = 'closed' AND updated_at < $1",
                     p->repair_closed_before, a->now, true, &n->complaints_anonymised);
  if (err == LOBBY_OK)
    err = anonymise_releases(c, p, a->now, &n->releases_anonymised);
  if (err == LOBBY_OK)
    err = anonymise_renovations(c, p, a->now, &n->renovations_anonymised);
  return err;
}

/* All in one transaction: a failure keeps everything. */
static lobby_err retention_run(lobby_store *st, const store_retention *policy, int64_t now,
                               store_retention_counts *out)
{
  retention_sweep a = {.policy = policy, .now = now};
  lobby_err err = pq__transaction(PQ(st), retention_tx, &a);
  if (err == LOBBY_OK)
    *out = a.counts;
  return err;
}

void pq__retention_ops(lobby_store_ops *ops)
{
  ops->retention_run = retention_run;
}
