/* Shared by the store_pg_*.c files; not part of the store interface.
 *
 * The PostgreSQL store keeps a small pool of connections.  An operation
 * borrows one (pq__acquire), runs its statements on it, and gives it back
 * (pq__release); a connection is never used by two threads at once, and a
 * transaction never spans two connections.  Several lobbyd processes may
 * share the database: whatever must be the same for all of them (ticket
 * numbers, idempotency keys, sessions) is decided inside a transaction by
 * the database, never in a process's memory.
 *
 * Statements take their parameters as text ($1, $2, …), built with
 * pq_params.  Columns come back as JSON by their types: integers, floats,
 * booleans, text and json values; a column named "x?" (quoted in SQL:
 * AS "x?") becomes the boolean "x" whatever its type, as in the SQLite
 * store. */
#ifndef LOBBY_STORE_PG_INTERNAL_H
#define LOBBY_STORE_PG_INTERNAL_H

#include <libpq-fe.h>
#include <pthread.h>
#include "pg_connect.h"
#include "store.h"
#include "store_query.h"

typedef struct {
  PGconn *pg;
  char sqlstate[6];       /* of the last failed statement, "" after success */
} pq_conn;

typedef struct {
  lobby_store base;
  char *dsn;
  pthread_mutex_t lock;   /* guards busy[] */
  pthread_cond_t freed;
  int count;
  pq_conn *conns;
  bool *busy;
  /* When a connection attempt last failed (CLOCK_MONOTONIC ms, 0: none
   * since the last success), under lock: while the database is away at
   * most one attempt a second is made, and the others fail at once
   * instead of each waiting out a connect timeout. */
  int64_t connect_failed_ms;
  pg_connect_outage outage;     /* for the log, under lock */
} pq_store;

#define PQ(st) ((pq_store *)(st))

/* At most this many parameters per statement. */
#define PQ_MAX_PARAMS 32

/* A statement's parameters, as text.  Integers and byte strings are
 * formatted into buf; text is referenced, not copied, so it must outlive
 * the statement. */
typedef struct {
  int n;
  const char *value[PQ_MAX_PARAMS];
  char buf[PQ_MAX_PARAMS][72];
} pq_params;

void pq__text(pq_params *p, const char *s);      /* NULL: SQL NULL */
void pq__int(pq_params *p, int64_t v);
void pq__null(pq_params *p);
/* A bytea parameter (at most 32 bytes), in PostgreSQL's hex form. */
void pq__bytes(pq_params *p, const uint8_t *b, size_t n);

/* Borrows a connection, reconnecting a broken one: LOBBY_EUNAVAIL when
 * the database cannot be reached.  Every acquire is paired with a release. */
lobby_err pq__acquire(pq_store *s, pq_conn **out);
void pq__release(pq_store *s, pq_conn *c);

/* One statement.  Errors: LOBBY_EDUP on a unique or exclusion violation,
 * LOBBY_ENOSPC on a full disk, LOBBY_EUNAVAIL when the connection is lost
 * or the server is shutting down, LOBBY_EIO for anything else (logged
 * with the statement's SQLSTATE, never its parameters). */
/* Without parameters, by the simple protocol: sql may hold several
 * statements. */
lobby_err pq__exec(pq_conn *c, const char *sql);
lobby_err pq__query(pq_conn *c, const char *sql, const pq_params *p, PGresult **out);
/* A statement that changes rows: LOBBY_ENOTFOUND when require_change and
 * none changed. */
lobby_err pq__run(pq_conn *c, const char *sql, const pq_params *p, bool require_change);
/* The first row as an object; LOBBY_ENOTFOUND when there is none. */
lobby_err pq__one(pq_conn *c, const char *sql, const pq_params *p, json_t **out);
/* Every row as an array of objects. */
lobby_err pq__collect(pq_conn *c, const char *sql, const pq_params *p, json_t **out);
/* The first column of the first row as an integer; LOBBY_ENOTFOUND for no
 * row, and a NULL reads as 0. */
lobby_err pq__int64(pq_conn *c, const char *sql, const pq_params *p, int64_t *out);
/* LOBBY_OK when the statement returns a row, else LOBBY_ENOTFOUND. */
lobby_err pq__exists(pq_conn *c, const char *sql, const pq_params *p);
json_t *pq__row_json(const PGresult *res, int row);

/* One statement on a connection borrowed for it alone (a read outside
 * any transaction): as pq__query, pq__collect and pq__one. */
lobby_err pq__read_result(pq_store *s, const char *sql, const pq_params *p, PGresult **out);
lobby_err pq__read_all(pq_store *s, const char *sql, const pq_params *p, json_t **out);
lobby_err pq__read_one(pq_store *s, const char *sql, const pq_params *p, json_t **out);

lobby_err pq__begin(pq_conn *c);
/* Ends a transaction: commits when err is LOBBY_OK, else rolls back.
 * Returns the first error, the commit's included. */
lobby_err pq__end(pq_conn *c, lobby_err err);
/* True when the last failure was a serialization failure or a deadlock:
 * the whole transaction may be run again. */
bool pq__retryable(const pq_conn *c);

/* Runs fn in a transaction on a borrowed connection and commits, or rolls
 * back when fn fails; a transaction the database aborted as a
 * serialization failure or deadlock is run again (at most three times). */
lobby_err pq__transaction(pq_store *s, lobby_err (*fn)(pq_conn *, void *), void *arg);

/* Inside a transaction: the stored answer for an idempotency key, or
 * LOBBY_ENOTFOUND; LOBBY_EDUP when the key was used for another request.
 * It first takes a transaction-scoped advisory lock on the key, so two
 * requests with one key (to two lobbyd instances, say) run one after the
 * other and the second finds the first's answer. */
lobby_err pq__idem_find(pq_conn *c, store_idempotency *idem, json_t **out);

/* As sq__with_idempotency: a replay returns the stored answer without
 * running fn; otherwise fn runs inside the transaction and returns the
 * answer, which is saved under the key (created_at now).  Then the audit
 * entry is written (a NULL target taken from the answer's member
 * target_key) and it commits.  The saved answer, the audit entry and the
 * COMMIT go in one round trip: a numbered write holds its day's number
 * row locked until the commit, and every round trip in that time is one
 * other writers wait for. */
lobby_err pq__with_idempotency(pq_store *s, store_idempotency *idem,
                               const store_audit_entry *audit, const char *target_key,
                               int64_t now, json_t **out,
                               lobby_err (*fn)(pq_conn *, void *, json_t **), void *arg);

/* Inside the caller's transaction: writes the audit entry e (NULL:
 * nothing).  A NULL target becomes created ("" when that is NULL too). */
lobby_err pq__audit_insert(pq_conn *c, const store_audit_entry *e, const char *created);
/* The same statement, to send along with others: false when e is NULL. */
bool pq__audit_statement(const store_audit_entry *e, const char *created, pq_params *p,
                         const char **sql);

/* A statement whose answer matters only for its error. */
typedef struct {
  const char *sql;
  const pq_params *p;
} pq_statement;

/* Inside a transaction: the n statements, then COMMIT, in one round trip
 * (libpq's pipeline mode).  Returns the first failure, the commit's
 * included; after one the transaction may still be open (failed), and
 * pq__end(c, err) rolls it back. */
lobby_err pq__commit_with(pq_conn *c, const pq_statement *st, int n);

/* ---- sites ---------------------------------------------------------- */

/* head, then the condition that keeps column to the sites of the set
 * (store_site_clause; with or_null, NULL passes too), then tail, into
 * sql.  LOBBY_EINVAL when it does not fit. */
lobby_err pq__site_sql(char *sql, size_t size, const char *head, const store_site_set *sites,
                       const char *column, bool or_null, const char *tail);
#define PQ_SITE_SQL_SIZE 2048

/* A SQL expression: the ids of staff member staff_id's sites, as
 * "1,2" in ascending order ("" for none: every site). */
#define PQ_STAFF_SITE_IDS(staff_id)                                                      \
  "array_to_string(ARRAY(SELECT site_id FROM staff_sites WHERE staff_id = " staff_id \
  " ORDER BY site_id), ',')"

/* Fills p->sites: a kiosk's own site, a staff member's from ids (the
 * text PQ_STAFF_SITE_IDS gives); staff have site_id 0. */
lobby_err pq__principal_sites(lobby_principal *p, const char *ids);
/* Inside the caller's transaction: replaces the member's sites (NULL or
 * count 0: every site). */
lobby_err pq__staff_sites_write(pq_conn *c, int64_t staff_id, const store_site_set *sites);

/* Brings the schema up to date (store_pg_schema.c), under an advisory
 * lock so that instances starting together migrate once. */
lobby_err pq__migrate(pq_conn *c);

/* Operations defined in the per-concern files. */
void pq__core_ops(lobby_store_ops *ops);      /* tokens, kiosks */
void pq__directory_ops(lobby_store_ops *ops);
void pq__site_ops(lobby_store_ops *ops);
void pq__notice_ops(lobby_store_ops *ops);
void pq__notice_image_ops(lobby_store_ops *ops);
/* The notice as staff see it (store_pg_notices.c) if the set reaches it
 * (NULL: whatever its site): a notice for every site only through a set
 * of every site. */
lobby_err pq__notice_fetch(pq_conn *c, int64_t id, const store_site_set *sites, json_t **out);
/* Locks the notice for the rest of the transaction: LOBBY_ENOTFOUND for
 * none (or one the set does not reach), LOBBY_ECONFLICT once it is
 * withdrawn (a withdrawn notice is not changed again). */
lobby_err pq__notice_lock_live(pq_conn *c, int64_t id, const store_site_set *sites);
/* The notices a kiosk's feed shows: $1 now, $2 its building, $3 its group
 * ("" for none), $4 its site. */
#define PQ_NOTICE_SHOWN_TO_KIOSK                                                \
  "withdrawn_at IS NULL AND (site_id IS NULL OR site_id = $4) "                 \
  "AND starts_at <= $1 AND (ends_at IS NULL OR ends_at > $1) "                  \
  "AND (target_type = 'all' OR (target_type = 'building' AND target_value = $2) " \
  "     OR (target_type = 'group' AND target_value = $3 AND $3 <> ''))"
void pq__repair_ops(lobby_store_ops *ops);
void pq__repair_photo_ops(lobby_store_ops *ops);
/* A store_query.h statement on one pooled connection (ctx: the pq_conn),
 * for a store_query_runner. */
lobby_err pq__query_rows(void *ctx, const store_query *q, json_t **out);
/* A ticket's photos as the store lists them (repair_photo_add). */
lobby_err pq__repair_photos(pq_conn *c, int64_t repair_id, json_t **out);
/* Locks the ticket's row until the transaction ends and reads its id,
 * status and site, when by reaches it (its sites; a technician's own
 * tickets only), else LOBBY_ENOTFOUND. */
lobby_err pq__repair_lock_reachable(pq_conn *c, const char *ticket, const lobby_principal *by,
                                    int64_t *id, repair_status *status, int64_t *site_id);
void pq__repair_summary_ops(lobby_store_ops *ops);
void pq__complaint_ops(lobby_store_ops *ops);
void pq__release_ops(lobby_store_ops *ops);
void pq__renovation_ops(lobby_store_ops *ops);
void pq__worker_ops(lobby_store_ops *ops);
void pq__rollcall_ops(lobby_store_ops *ops);
void pq__invite_ops(lobby_store_ops *ops);
void pq__screenshot_ops(lobby_store_ops *ops);

/* A renovation's row as its operations read it, locked (FOR UPDATE)
 * until the transaction ends. */
typedef struct {
  int64_t id;
  renovation_status status;
  char end[11];
  char number[24];
  int64_t site_id;
} pq_renovation_head;
/* The renovation `where` (a condition on r with $1: value_text, or
 * value_int when that is NULL) names, when `sites` reaches it, locked;
 * LOBBY_ENOTFOUND else. */
lobby_err pq__renovation_lock(pq_conn *c, const char *where, int64_t value_int,
                              const char *value_text, const store_site_set *sites,
                              pq_renovation_head *h);
/* The passes of a renovation, oldest first, shaped (store_worker_shape). */
lobby_err pq__workers_of(pq_conn *c, int64_t renovation_id, int offset_min, int64_t now,
                         json_t **out);
/* Inside the caller's transaction: revokes every active pass of a
 * renovation with reason. */
lobby_err pq__workers_revoke_all(pq_conn *c, int64_t renovation_id, const char *reason,
                                 int64_t now);
/* Inside the caller's transaction, under a transaction-scoped advisory
 * lock every pass-code choice takes (visits' and workers'): whether a live
 * pass holds code (an approved visit's, or a worker's active or on site). */
lobby_err pq__pass_code_taken(pq_conn *c, const char *code, bool *taken);

/* Inside the caller's transaction: the next number of the local day
 * (YYYYMMDD) in seq_table (complaint_seq, release_seq).  The upsert locks
 * the day's row until the transaction ends, so concurrent creations (in
 * any process) take turns, and a rollback undoes the increment. */
lobby_err pq__next_in_day(pq_conn *c, const char *seq_table, const char day[9], unsigned *out);
void pq__complaint_summary_ops(lobby_store_ops *ops);
void pq__calendar_ops(lobby_store_ops *ops);
void pq__rating_ops(lobby_store_ops *ops);
void pq__visit_ops(lobby_store_ops *ops);
void pq__staff_ops(lobby_store_ops *ops);
void pq__audit_ops(lobby_store_ops *ops);
void pq__settings_ops(lobby_store_ops *ops);
void pq__ops_ops(lobby_store_ops *ops);
void pq__retention_ops(lobby_store_ops *ops);

#endif
