/* Token buckets in the rate_buckets table (rate_share_pg.h).  One
 * statement per try: the bucket is refilled for the time since its last
 * use, spent when it holds a whole try, and its outcome kept in last_ok,
 * all under the row's lock, so concurrent tries on any instance are
 * counted once each. */
#include "rate_share_pg.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_log.h"
#include "pg_connect.h"

/* A failed connection is not retried for this long, so that a database
 * outage does not add a connection attempt to every limited request. */
#define RETRY_CONNECT_MS 2000

struct rate_share_pg {
  pthread_mutex_t lock;
  char *dsn;
  PGconn *conn;
  struct timespec failed_at;
  pg_connect_outage outage;     /* for the log */
};

/* The refilled level as SQL over $2 burst, $3 tries per ms and the row b. */
#define REFILLED "LEAST($2::float8, b.tokens + (EXCLUDED.at_ms - b.at_ms) * $3::float8)"

static const char take_sql[] =
  "INSERT INTO rate_buckets AS b (key, tokens, at_ms, last_ok) "
  "VALUES ($1, $2::float8 - 1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, true) "
  "ON CONFLICT (key) DO UPDATE SET "
  "  tokens = CASE WHEN " REFILLED " >= 1 THEN " REFILLED " - 1 ELSE " REFILLED " END, "
  "  last_ok = " REFILLED " >= 1, at_ms = EXCLUDED.at_ms "
  "RETURNING last_ok, tokens";

static bool recently_failed(const rate_share_pg *s)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t ms = (now.tv_sec - s->failed_at.tv_sec) * 1000 +
               (now.tv_nsec - s->failed_at.tv_nsec) / 1000000;
  return s->failed_at.tv_sec != 0 && ms < RETRY_CONNECT_MS;
}

/* With s->lock held: a working connection, or NULL. */
static PGconn *connection(rate_share_pg *s)
{
  if (s->conn && PQstatus(s->conn) == CONNECTION_OK)
    return s->conn;
  PQfinish(s->conn);
  s->conn = NULL;
  if (recently_failed(s))
    return NULL;
  s->conn = pg_connect_open(s->dsn);
  if (s->conn && PQstatus(s->conn) == CONNECTION_OK) {
    s->failed_at.tv_sec = 0;
    pg_connect_succeeded(&s->outage, "rate limits");
    return s->conn;
  }
  pg_connect_failed(&s->outage, "rate limits (each instance limits on its own meanwhile)", s->conn);
  PQfinish(s->conn);
  s->conn = NULL;
  clock_gettime(CLOCK_MONOTONIC, &s->failed_at);
  return NULL;
}

static PGresult *run(rate_share_pg *s, const char *sql, int n, const char *const *params)
{
  PGconn *c = connection(s);
  if (!c)
    return NULL;
  PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
    return res;
  LOBBY_WARN("rate limits: %s", PQerrorMessage(c));
  PQclear(res);
  return NULL;
}

static lobby_err take(void *ctx, const char *key, double burst, double per_ms, bool *allowed,
                      int64_t *retry_ms)
{
  rate_share_pg *s = ctx;
  char burst_text[32], rate_text[32];
  snprintf(burst_text, sizeof burst_text, "%.17g", burst);
  snprintf(rate_text, sizeof rate_text, "%.17g", per_ms);
  const char *params[3] = {key, burst_text, rate_text};
  pthread_mutex_lock(&s->lock);
  PGresult *res = run(s, take_sql, 3, params);
  pthread_mutex_unlock(&s->lock);
  if (!res || PQntuples(res) != 1) {
    PQclear(res);
    return LOBBY_EUNAVAIL;
  }
  *allowed = PQgetvalue(res, 0, 0)[0] == 't';
  double tokens = strtod(PQgetvalue(res, 0, 1), NULL);
  if (!*allowed)
    *retry_ms = per_ms > 0 ? (int64_t)((1.0 - tokens) / per_ms) + 1 : 60000;
  PQclear(res);
  return LOBBY_OK;
}

static lobby_err refund(void *ctx, const char *key, double burst)
{
  rate_share_pg *s = ctx;
  char burst_text[32];
  snprintf(burst_text, sizeof burst_text, "%.17g", burst);
  const char *params[2] = {key, burst_text};
  pthread_mutex_lock(&s->lock);
  PGresult *res = run(s, "UPDATE rate_buckets SET tokens = LEAST($2::float8, tokens + 1) "
                         "WHERE key = $1", 2, params);
  pthread_mutex_unlock(&s->lock);
  lobby_err err = res ? LOBBY_OK : LOBBY_EUNAVAIL;
  PQclear(res);
  return err;
}

lobby_err rate_share_pg_sweep(rate_share_pg *s)
{
  pthread_mutex_lock(&s->lock);
  PGresult *res = run(s, "DELETE FROM rate_buckets WHERE at_ms < "
                         "(extract(epoch FROM clock_timestamp()) * 1000)::bigint - 86400000", 0, NULL);
  pthread_mutex_unlock(&s->lock);
  lobby_err err = res ? LOBBY_OK : LOBBY_EUNAVAIL;
  PQclear(res);
  return err;
}

lobby_err rate_share_pg_create(const char *dsn, rate_share_pg **out)
{
  rate_share_pg *s = calloc(1, sizeof *s);
  if (!s)
    return LOBBY_ENOMEM;
  s->dsn = strdup(dsn);
  if (!s->dsn) {
    free(s);
    return LOBBY_ENOMEM;
  }
  pthread_mutex_init(&s->lock, NULL);
  *out = s;
  return LOBBY_OK;
}

void rate_share_pg_free(rate_share_pg *s)
{
  if (!s)
    return;
  PQfinish(s->conn);
  pthread_mutex_destroy(&s->lock);
  free(s->dsn);
  free(s);
}

rate_share rate_share_pg_share(rate_share_pg *s)
{
  return (rate_share){.take = take, .refund = refund, .ctx = s};
}
