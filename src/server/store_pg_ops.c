/* What operations watch, in the PostgreSQL store: the write probe behind
 * /healthz and the figures behind /metrics (store_sqlite_ops.c for
 * SQLite).  Here the server owns the files, so the probe's commit is the
 * whole check. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SQLSTATE lock_not_available: lock_timeout ran out. */
#define SQLSTATE_LOCK_TIMEOUT "55P03"

/* The first line of the connection's last error, without libpq's
 * "ERROR:  " prefix.  It must be read before the next statement, which
 * clears it.  The health row carries no personal data to quote. */
static void last_error(pq_conn *c, char *why, size_t why_size)
{
  const char *msg = PQerrorMessage(c->pg);
  static const char prefix[] = "ERROR:  ";
  if (strncmp(msg, prefix, sizeof prefix - 1) == 0)
    msg += sizeof prefix - 1;
  size_t len = strcspn(msg, "\n");
  snprintf(why, why_size, "%.*s", (int)len, msg);
  if (!why[0])
    snprintf(why, why_size, "SQLSTATE %s", c->sqlstate[0] ? c->sqlstate : "unknown");
}

/* One step of the probe; on failure why says what failed. */
static lobby_err probe_step(pq_conn *c, const char *sql, const pq_params *p, char *why,
                            size_t why_size)
{
  lobby_err err = pq__run(c, sql, p, false);
  if (err != LOBBY_OK)
    last_error(c, why, why_size);
  return err;
}

/* A real commit (a full disk, a read-only server or transaction, a lost
 * connection) through a connection of the pool.  lock_timeout bounds the
 * wait for another instance's probe holding the row: LOBBY_ECONFLICT then,
 * which says nothing about writability. */
static lobby_err write_probe(lobby_store *st, int64_t now, char *why, size_t why_size)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  pq_params p = {0};
  why[0] = '\0';
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK) {
    snprintf(why, why_size, "cannot connect to the database");
    return err;
  }
  pq__int(&p, now);
  err = pq__begin(c);
  if (err != LOBBY_OK)
    last_error(c, why, why_size);
  if (err == LOBBY_OK)
    err = probe_step(c, "SET LOCAL lock_timeout = '1s'", NULL, why, why_size);
  if (err == LOBBY_OK)
    err = probe_step(c, "INSERT INTO health (id, probed_at) VALUES (1, $1) "
                        "ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at",
                     &p, why, why_size);
  if (err == LOBBY_OK) {
    err = pq__end(c, LOBBY_OK);
    if (err != LOBBY_OK)
      last_error(c, why, why_size);
  } else {
    err = pq__end(c, err);
  }
  if (err != LOBBY_OK && strcmp(c->sqlstate, SQLSTATE_LOCK_TIMEOUT) == 0)
    err = LOBBY_ECONFLICT;
  pq__release(s, c);
  return err;
}

/* Open and overdue follow repair_status_open() and repair_overdue(). */
static lobby_err stats(lobby_store *st, int64_t now, store_stats *out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  PGresult *res;
  pq_params p = {0};
  memset(out, 0, sizeof *out);
  pq__int(&p, now);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__query(c,
    "SELECT (SELECT count(*) FROM repairs WHERE status IN "
    "          ('submitted','accepted','dispatched','on_site')),"
    "       (SELECT count(*) FROM repairs WHERE due_at < $1 AND "
    "          (status IN ('submitted','accepted','dispatched') "
    "           OR (urgency <> 'emergency' AND status = 'on_site'))),"
    "       (SELECT coalesce(sum(queued), 0) FROM kiosks WHERE revoked_at IS NULL),"
    "       (SELECT coalesce(max(queued), 0) FROM kiosks WHERE revoked_at IS NULL),"
    "       pg_database_size(current_database())", &p, &res);
  pq__release(s, c);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1 && PQnfields(res) == 5) {
    out->repairs_open = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    out->repairs_overdue = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    out->kiosks_queued_sum = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    out->kiosks_queued_max = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    out->db_bytes = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
  } else {
    err = LOBBY_EIO;
  }
  PQclear(res);
  /* The server's WAL is shared by every database of the cluster and is
   * not this store's to report. */
  out->wal_bytes = 0;
  return err;
}

void pq__ops_ops(lobby_store_ops *ops)
{
  ops->write_probe = write_probe;
  ops->stats = stats;
}
