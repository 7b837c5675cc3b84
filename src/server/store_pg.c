/* The PostgreSQL store: the connection pool, statements, transactions and
 * idempotency.  The operations live in the per-concern store_pg_*.c
 * files, as the SQLite store's do. */
#include "store_pg_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lobby_log.h"
#include "pg_connect.h"

/* Type OIDs from PostgreSQL's catalog (pg_type.dat); fixed since 7.x. */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_JSON = 114,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700, OID_JSONB = 3802 };

/* Connections per lobbyd: enough for the HTTP threads' concurrent
 * writes to overlap their commits' fsyncs, few enough that several
 * instances stay far below max_connections (100 by default). */
#define PQ_POOL_SIZE 8

/* ---- parameters ---------------------------------------------------- */

static bool param_room(pq_params *p)
{
  if (p->n < PQ_MAX_PARAMS)
    return true;
  LOBBY_ERROR("postgresql: more than %d parameters in one statement", PQ_MAX_PARAMS);
  return false;
}

void pq__text(pq_params *p, const char *s)
{
  if (param_room(p))
    p->value[p->n++] = s;
}

void pq__null(pq_params *p) { pq__text(p, NULL); }

void pq__int(pq_params *p, int64_t v)
{
  if (!param_room(p))
    return;
  snprintf(p->buf[p->n], sizeof p->buf[p->n], "%" PRId64, v);
  p->value[p->n] = p->buf[p->n];
  p->n++;
}

void pq__bytes(pq_params *p, const uint8_t *b, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  if (!param_room(p))
    return;
  char *out = p->buf[p->n];
  size_t cap = (sizeof p->buf[p->n] - 3) / 2;
  if (n > cap)
    n = cap;
  out[0] = '\\';
  out[1] = 'x';
  for (size_t i = 0; i < n; i++) {
    out[2 + 2 * i] = hex[b[i] >> 4];
    out[3 + 2 * i] = hex[b[i] & 15];
  }
  out[2 + 2 * n] = '\0';
  p->value[p->n] = out;
  p->n++;
}

/* ---- statements ---------------------------------------------------- */

/* The store's error for a failed statement.  Class 08 (connection) and
 * 57P (shutdown) mean the database went away: the client hears 503 and
 * may retry; 53100 is a full disk (507). */
static lobby_err failure_of(pq_conn *c, const PGresult *res)
{
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state ? state : "");
  if (!state || PQstatus(c->pg) == CONNECTION_BAD || strncmp(state, "08", 2) == 0 ||
      strncmp(state, "57P", 3) == 0)
    return LOBBY_EUNAVAIL;
  if (strcmp(state, "23505") == 0 || strcmp(state, "23P01") == 0)
    return LOBBY_EDUP;
  if (strcmp(state, "53100") == 0)
    return LOBBY_ENOSPC;
  return LOBBY_EIO;
}

static void log_failure(pq_conn *c, lobby_err err, const PGresult *res)
{
  /* The primary message only: the detail can quote a row's values. */
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  /* Expected outcomes the caller turns into answers or retries: a unique
   * value taken, a transaction to run again, a lock not had in time (the
   * write probe's lock_timeout). */
  if (err == LOBBY_EDUP || pq__retryable(c) || strcmp(c->sqlstate, "55P03") == 0)
    return;
  LOBBY_ERROR("postgresql: %s (SQLSTATE %s)", msg ? msg : PQerrorMessage(c->pg),
              c->sqlstate[0] ? c->sqlstate : "none");
}

/* A result as the store's error: LOBBY_OK (with *out kept) for success. */
static lobby_err result_of(pq_conn *c, PGresult *res, PGresult **out)
{
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
    c->sqlstate[0] = '\0';
    if (out)
      *out = res;
    else
      PQclear(res);
    return LOBBY_OK;
  }
  lobby_err err = failure_of(c, res);
  log_failure(c, err, res);
  PQclear(res);
  return err;
}

lobby_err pq__query(pq_conn *c, const char *sql, const pq_params *p, PGresult **out)
{
  return result_of(c, PQexecParams(c->pg, sql, p ? p->n : 0, NULL, p ? p->value : NULL, NULL,
                                   NULL, 0), out);
}

/* The simple protocol: sql may hold several statements (a migration). */
lobby_err pq__exec(pq_conn *c, const char *sql)
{
  return result_of(c, PQexec(c->pg, sql), NULL);
}

lobby_err pq__run(pq_conn *c, const char *sql, const pq_params *p, bool require_change)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  const char *tuples = PQcmdTuples(res);
  bool changed = tuples[0] && strcmp(tuples, "0") != 0;
  PQclear(res);
  return require_change && !changed ? LOBBY_ENOTFOUND : LOBBY_OK;
}

static json_t *cell_json(const PGresult *res, int row, int col, bool as_bool)
{
  if (PQgetisnull(res, row, col))
    return as_bool ? json_false() : json_null();
  const char *text = PQgetvalue(res, row, col);
  switch (PQftype(res, col)) {
  case OID_BOOL:
    return json_boolean(text[0] == 't');
  case OID_INT2: case OID_INT4: case OID_INT8: {
    long long v = strtoll(text, NULL, 10);
    return as_bool ? json_boolean(v != 0) : json_integer(v);
  }
  case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
    return json_real(strtod(text, NULL));
  case OID_JSON: case OID_JSONB: {
    /* A value the query built (an array of codes): nested as it is. */
    json_t *v = json_loadb(text, (size_t)PQgetlength(res, row, col), JSON_DECODE_ANY, NULL);
    return v ? v : json_null();
  }
  default:
    return json_stringn(text, (size_t)PQgetlength(res, row, col));
  }
}

json_t *pq__row_json(const PGresult *res, int row)
{
  json_t *obj = json_object();
  int n = PQnfields(res);
  for (int i = 0; i < n; i++) {
    const char *name = PQfname(res, i);
    size_t len = strlen(name);
    bool as_bool = len > 0 && name[len - 1] == '?';
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(as_bool ? len - 1 : len), name);
    json_object_set_new(obj, key, cell_json(res, row, i, as_bool));
  }
  return obj;
}

/* Every row of res as an array of objects. */
static json_t *rows_json(const PGresult *res)
{
  json_t *arr = json_array();
  int rows = PQntuples(res);
  for (int i = 0; i < rows; i++)
    json_array_append_new(arr, pq__row_json(res, i));
  return arr;
}

/* The first row of res as an object, or LOBBY_ENOTFOUND. */
static lobby_err first_row(const PGresult *res, json_t **out)
{
  if (PQntuples(res) == 0)
    return LOBBY_ENOTFOUND;
  *out = pq__row_json(res, 0);
  return LOBBY_OK;
}

lobby_err pq__one(pq_conn *c, const char *sql, const pq_params *p, json_t **out)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  err = first_row(res, out);
  PQclear(res);
  return err;
}

lobby_err pq__collect(pq_conn *c, const char *sql, const pq_params *p, json_t **out)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  *out = rows_json(res);
  PQclear(res);
  return LOBBY_OK;
}

lobby_err pq__query_rows(void *ctx, const store_query *q, json_t **out)
{
  pq_params p = {0};
  for (int i = 0; i < q->argc; i++) {
    if (q->argv[i].is_text)
      pq__text(&p, q->argv[i].text);
    else
      pq__int(&p, q->argv[i].num);
  }
  return pq__collect(ctx, q->sql, &p, out);
}

lobby_err pq__int64(pq_conn *c, const char *sql, const pq_params *p, int64_t *out)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 0 || PQnfields(res) == 0)
    err = LOBBY_ENOTFOUND;
  else
    *out = PQgetisnull(res, 0, 0) ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  PQclear(res);
  return err;
}

lobby_err pq__exists(pq_conn *c, const char *sql, const pq_params *p)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  err = PQntuples(res) > 0 ? LOBBY_OK : LOBBY_ENOTFOUND;
  PQclear(res);
  return err;
}

/* ---- one-statement reads ------------------------------------------- */

lobby_err pq__read_result(pq_store *s, const char *sql, const pq_params *p, PGresult **out)
{
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__query(c, sql, p, out);
  pq__release(s, c);
  return err;
}

/* The result outlives the connection, which goes back to the pool
 * before the rows are turned into JSON. */
lobby_err pq__read_all(pq_store *s, const char *sql, const pq_params *p, json_t **out)
{
  PGresult *res;
  lobby_err err = pq__read_result(s, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  *out = rows_json(res);
  PQclear(res);
  return LOBBY_OK;
}

lobby_err pq__read_one(pq_store *s, const char *sql, const pq_params *p, json_t **out)
{
  PGresult *res;
  lobby_err err = pq__read_result(s, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  err = first_row(res, out);
  PQclear(res);
  return err;
}

/* ---- transactions -------------------------------------------------- */

lobby_err pq__begin(pq_conn *c) { return pq__exec(c, "BEGIN"); }

/* The result of the pipeline's next statement, with the NULL that ends it
 * consumed; NULL when there is none (the connection failed). */
static PGresult *take_result(PGconn *pg)
{
  PGresult *res = PQgetResult(pg), *more;
  if (res)
    while ((more = PQgetResult(pg)) != NULL)
      PQclear(more);
  return res;
}

static bool send_pipeline(PGconn *pg, const pq_statement *st, int n)
{
  for (int i = 0; i < n; i++)
    if (!PQsendQueryParams(pg, st[i].sql, st[i].p->n, NULL, st[i].p->value, NULL, NULL, 0))
      return false;
  return PQsendQueryParams(pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) && PQpipelineSync(pg);
}

lobby_err pq__commit_with(pq_conn *c, const pq_statement *st, int n)
{
  if (n == 0)
    return pq__exec(c, "COMMIT");
  if (!PQenterPipelineMode(c->pg))
    return result_of(c, NULL, NULL);
  lobby_err err = LOBBY_EUNAVAIL;
  if (send_pipeline(c->pg, st, n)) {
    err = LOBBY_OK;
    /* After a failure the rest come back PGRES_PIPELINE_ABORTED: the
     * first failure is the one to report. */
    for (int i = 0; i <= n; i++) {
      PGresult *res = take_result(c->pg);
      if (err == LOBBY_OK)
        err = result_of(c, res, NULL);
      else
        PQclear(res);
    }
    PQclear(PQgetResult(c->pg)); /* the sync's PGRES_PIPELINE_SYNC */
  }
  /* Answers still owed: the connection is not in a state to reuse, and
   * pq__release closes it (it is not idle). */
  if (!PQexitPipelineMode(c->pg) && err == LOBBY_OK)
    err = LOBBY_EUNAVAIL;
  return err;
}

lobby_err pq__end(pq_conn *c, lobby_err err)
{
  if (err == LOBBY_OK)
    return pq__exec(c, "COMMIT");
  if (PQtransactionStatus(c->pg) != PQTRANS_IDLE && PQstatus(c->pg) == CONNECTION_OK) {
    char kept[sizeof c->sqlstate];
    memcpy(kept, c->sqlstate, sizeof kept);
    (void)pq__exec(c, "ROLLBACK");
    memcpy(c->sqlstate, kept, sizeof kept);   /* the failure, not the rollback */
  }
  return err;
}

bool pq__retryable(const pq_conn *c)
{
  return strcmp(c->sqlstate, "40001") == 0 || strcmp(c->sqlstate, "40P01") == 0;
}

lobby_err pq__next_in_day(pq_conn *c, const char *seq_table, const char day[9], unsigned *out)
{
  char sql[200];
  snprintf(sql, sizeof sql, "INSERT INTO %s (day, last) VALUES ($1, 1) "
                            "ON CONFLICT (day) DO UPDATE SET last = %s.last + 1 RETURNING last",
           seq_table, seq_table);
  pq_params p = {0};
  pq__text(&p, day);
  int64_t last = 0;
  lobby_err err = pq__int64(c, sql, &p, &last);
  if (err == LOBBY_ENOTFOUND)
    err = LOBBY_EIO;
  if (err == LOBBY_OK)
    *out = (unsigned)last;
  return err;
}

lobby_err pq__transaction(pq_store *s, lobby_err (*fn)(pq_conn *, void *), void *arg)
{
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  for (int attempt = 0; attempt < 3; attempt++) {
    err = pq__begin(c);
    if (err == LOBBY_OK)
      err = fn(c, arg);
    err = pq__end(c, err);
    if (err == LOBBY_OK || !pq__retryable(c))
      break;
  }
  pq__release(s, c);
  return err;
}

/* ---- idempotency --------------------------------------------------- */

lobby_err pq__idem_find(pq_conn *c, store_idempotency *idem, json_t **out)
{
  if (!idem || !idem->key)
    return LOBBY_ENOTFOUND;
  pq_params p = {0};
  pq__text(&p, idem->scope);
  pq__text(&p, idem->key);
  lobby_err err = pq__run(c, "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))",
                          &p, false);
  if (err != LOBBY_OK)
    return err;
  PGresult *res;
  err = pq__query(c, "SELECT encode(request_hash, 'hex'), response FROM idempotency "
                     "WHERE scope = $1 AND key = $2", &p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return LOBBY_ENOTFOUND;
  }
  char want[65];
  for (int i = 0; i < 32; i++)
    snprintf(want + 2 * i, 3, "%02x", idem->request_hash[i]);
  if (strcmp(PQgetvalue(res, 0, 0), want) != 0) {
    PQclear(res);
    return LOBBY_EDUP;
  }
  *out = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
  PQclear(res);
  if (!*out)
    return LOBBY_EIO;
  idem->replayed = true;
  return LOBBY_OK;
}

#define IDEM_SAVE_SQL \
  "INSERT INTO idempotency (scope, key, request_hash, response, created_at) " \
  "VALUES ($1, $2, $3, $4, $5)"

/* The parameters that save an answer (as text) under idem's key. */
static void idem_params(const store_idempotency *idem, const char *text, int64_t now,
                        pq_params *p)
{
  pq__text(p, idem->scope);
  pq__text(p, idem->key);
  pq__bytes(p, idem->request_hash, sizeof idem->request_hash);
  pq__text(p, text);
  pq__int(p, now);
}

/* Ends a write made under an idempotency key: the new answer saved (when
 * created), the audit entry, COMMIT; one round trip. */
static lobby_err commit_answer(pq_conn *c, const store_idempotency *idem, bool created,
                               const json_t *answer, const store_audit_entry *audit,
                               const char *target, int64_t now)
{
  pq_statement st[2];
  pq_params idem_p = {0}, audit_p = {0};
  int n = 0;
  char *text = NULL;
  if (created && idem && idem->key) {
    text = json_dumps(answer, JSON_COMPACT);
    if (!text)
      return LOBBY_ENOMEM;
    idem_params(idem, text, now, &idem_p);
    st[n++] = (pq_statement){IDEM_SAVE_SQL, &idem_p};
  }
  const char *audit_sql;
  if (pq__audit_statement(audit, target, &audit_p, &audit_sql))
    st[n++] = (pq_statement){audit_sql, &audit_p};
  lobby_err err = pq__commit_with(c, st, n);
  free(text);
  return err;
}

lobby_err pq__with_idempotency(pq_store *s, store_idempotency *idem,
                               const store_audit_entry *audit, const char *target_key,
                               int64_t now, json_t **out,
                               lobby_err (*fn)(pq_conn *, void *, json_t **), void *arg)
{
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  for (int attempt = 0; attempt < 3; attempt++) {
    *out = NULL;
    bool created = false;
    err = pq__begin(c);
    if (err == LOBBY_OK) {
      err = pq__idem_find(c, idem, out);
      if (err == LOBBY_OK && !audit) {
        (void)pq__end(c, LOBBY_ECONFLICT);   /* a replay writes nothing */
        break;
      }
      if (err == LOBBY_ENOTFOUND) {
        err = fn(c, arg, out);
        created = err == LOBBY_OK;
      }
    }
    if (err == LOBBY_OK)
      err = commit_answer(c, idem, created, *out, audit,
                          target_key ? json_string_value(json_object_get(*out, target_key)) : NULL,
                          now);
    if (err != LOBBY_OK)
      err = pq__end(c, err); /* rolls back what is still open */
    if (err == LOBBY_OK)
      break;
    json_decref(*out);
    *out = NULL;
    if (!pq__retryable(c))
      break;
  }
  pq__release(s, c);
  return err;
}

/* ---- the connection pool ------------------------------------------- */

/* A new session's settings: times are epoch integers everywhere, so the
 * time zone matters only to date functions, which the queries give
 * offsets explicitly. */
static lobby_err conn_open(pq_store *s, pq_conn *c)
{
  c->pg = pg_connect_open(s->dsn);
  if (!c->pg || PQstatus(c->pg) != CONNECTION_OK)
    return LOBBY_EUNAVAIL;
  return pq__exec(c, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
}

static void conn_close(pq_conn *c)
{
  if (c->pg)
    PQfinish(c->pg);
  c->pg = NULL;
}

#define PQ_RECONNECT_MS 1000

static int64_t monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* With s->lock held: whether a new connection may be tried now. */
static bool may_connect(const pq_store *s)
{
  return s->connect_failed_ms == 0 || monotonic_ms() - s->connect_failed_ms >= PQ_RECONNECT_MS;
}

static void note_connect(pq_store *s, const pq_conn *c, bool ok)
{
  pthread_mutex_lock(&s->lock);
  s->connect_failed_ms = ok ? 0 : monotonic_ms();
  if (ok)
    pg_connect_succeeded(&s->outage, "postgresql");
  else
    pg_connect_failed(&s->outage, "postgresql", c->pg);
  pthread_mutex_unlock(&s->lock);
}

lobby_err pq__acquire(pq_store *s, pq_conn **out)
{
  pthread_mutex_lock(&s->lock);
  int i;
  for (;;) {
    for (i = 0; i < s->count && s->busy[i]; i++)
      ;
    if (i < s->count)
      break;
    pthread_cond_wait(&s->freed, &s->lock);
  }
  s->busy[i] = true;
  bool connect_now = may_connect(s);
  pthread_mutex_unlock(&s->lock);
  pq_conn *c = &s->conns[i];
  c->sqlstate[0] = '\0';
  if (c->pg && PQstatus(c->pg) == CONNECTION_OK)
    return *out = c, LOBBY_OK;
  /* Lost or never made: connect afresh, so lobbyd recovers by itself when
   * the database is back. */
  conn_close(c);
  lobby_err err = connect_now ? conn_open(s, c) : LOBBY_EUNAVAIL;
  if (connect_now)
    note_connect(s, c, err == LOBBY_OK);
  if (err != LOBBY_OK) {
    conn_close(c);
    pq__release(s, c);
    return LOBBY_EUNAVAIL;
  }
  *out = c;
  return LOBBY_OK;
}

void pq__release(pq_store *s, pq_conn *c)
{
  /* A connection left inside a transaction (a bug, or a lost COMMIT's
   * answer) must not carry it into the next operation. */
  if (c->pg && PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
    conn_close(c);
  pthread_mutex_lock(&s->lock);
  s->busy[c - s->conns] = false;
  pthread_cond_signal(&s->freed);
  pthread_mutex_unlock(&s->lock);
}

static void pq_close(lobby_store *st)
{
  pq_store *s = PQ(st);
  if (!s)
    return;
  for (int i = 0; i < s->count; i++)
    conn_close(&s->conns[i]);
  free(s->conns);
  free(s->busy);
  free(s->dsn);
  pthread_cond_destroy(&s->freed);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

static lobby_store_ops pq_ops = {.close = pq_close};

static void init_ops(void)
{
  pq__core_ops(&pq_ops);
  pq__directory_ops(&pq_ops);
  pq__site_ops(&pq_ops);
  pq__notice_ops(&pq_ops);
  pq__notice_image_ops(&pq_ops);
  pq__repair_ops(&pq_ops);
  pq__repair_photo_ops(&pq_ops);
  pq__repair_summary_ops(&pq_ops);
  pq__complaint_ops(&pq_ops);
  pq__release_ops(&pq_ops);
  pq__renovation_ops(&pq_ops);
  pq__worker_ops(&pq_ops);
  pq__rollcall_ops(&pq_ops);
  pq__invite_ops(&pq_ops);
  pq__screenshot_ops(&pq_ops);
  pq__complaint_summary_ops(&pq_ops);
  pq__calendar_ops(&pq_ops);
  pq__rating_ops(&pq_ops);
  pq__visit_ops(&pq_ops);
  pq__staff_ops(&pq_ops);
  pq__audit_ops(&pq_ops);
  pq__settings_ops(&pq_ops);
  pq__ops_ops(&pq_ops);
  pq__retention_ops(&pq_ops);
}

static lobby_err pool_create(pq_store *s, const char *dsn)
{
  s->count = PQ_POOL_SIZE;
  s->dsn = strdup(dsn);
  s->conns = calloc((size_t)s->count, sizeof *s->conns);
  s->busy = calloc((size_t)s->count, sizeof *s->busy);
  if (!s->dsn || !s->conns || !s->busy)
    return LOBBY_ENOMEM;
  return LOBBY_OK;
}

lobby_err store_pg_open(const char *dsn, lobby_store **out)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_ops);
  pq_store *s = calloc(1, sizeof *s);
  if (!s)
    return LOBBY_ENOMEM;
  s->base.ops = &pq_ops;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->freed, NULL);
  lobby_err err = pool_create(s, dsn);
  pq_conn *c = NULL;
  if (err == LOBBY_OK)
    err = pq__acquire(s, &c);
  if (err == LOBBY_OK) {
    err = pq__migrate(c);
    pq__release(s, c);
  }
  if (err != LOBBY_OK) {
    pq_close(&s->base);
    return err;
  }
  *out = &s->base;
  return LOBBY_OK;
}
