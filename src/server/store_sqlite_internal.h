/* Shared by the store_sqlite_*.c files; not part of the store interface.
 *
 * Invariant: every operation takes the store's mutex for its whole
 * duration, so a transaction is never interleaved with another thread's
 * statements on the same connection. */
#ifndef LOBBY_STORE_SQLITE_INTERNAL_H
#define LOBBY_STORE_SQLITE_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include "store.h"
#include "store_query.h"

typedef struct {
  lobby_store base;
  sqlite3 *db;
  pthread_mutex_t lock;
  int lock_fd;          /* shared flock on "<db>.lock"; -1 for none */
} sq_store;

#define SQ(st) ((sq_store *)(st))
#define SQ_LOCK(s) pthread_mutex_lock(&(s)->lock)
#define SQ_UNLOCK(s) pthread_mutex_unlock(&(s)->lock)

lobby_err sq__exec(sq_store *s, const char *sql);
lobby_err sq__prepare(sq_store *s, const char *sql, sqlite3_stmt **out);
lobby_err sq__begin(sq_store *s);
/* Ends a transaction: commits when err is LOBBY_OK, else rolls back.
 * Returns the first error, the commit's included. */
lobby_err sq__end(sq_store *s, lobby_err err);
lobby_err sq__commit(sq_store *s);
/* Steps a statement that returns no rows: LOBBY_ENOSPC on a full disk,
 * LOBBY_EIO on any other failure.  Does not finalize. */
lobby_err sq__step_done(sq_store *s, sqlite3_stmt *stmt);
/* Checkpoints and truncates the WAL (after a write failed on a full disk). */
void sq__release_wal(sq_store *s);
void sq__rollback(sq_store *s);

/* Binds a C string, or NULL, as text. */
int sq__bind_text(sqlite3_stmt *stmt, int idx, const char *text);

/* Turns the current row into an object whose keys are the column names.
 * A column named "x?" becomes the boolean "x"; NULL becomes null. */
json_t *sq__row_json(sqlite3_stmt *stmt);

/* Steps stmt to the end and collects the rows; finalizes stmt. */
lobby_err sq__collect(sqlite3_stmt *stmt, json_t **out);
/* Steps once; LOBBY_ENOTFOUND when there is no row.  Finalizes stmt. */
lobby_err sq__one(sqlite3_stmt *stmt, json_t **out);

/* Inside a transaction: the stored answer for an idempotency key, or
 * LOBBY_ENOTFOUND; LOBBY_EDUP when the key was used for another request. */
lobby_err sq__idem_find(sq_store *s, store_idempotency *idem, json_t **out);
lobby_err sq__idem_save(sq_store *s, const store_idempotency *idem, json_t *response, int64_t now);

/* Takes the lock, opens a transaction and checks the idempotency key: a
 * replay returns the stored answer without running fn; otherwise fn runs
 * inside the transaction (and must save its answer with sq__idem_save).
 * Then the audit entry (NULL: none) is written, a NULL target taken from
 * the answer's member target_key, and it commits, or rolls back when
 * anything failed.  A replay without an audit entry changes nothing. */
lobby_err sq__with_idempotency(sq_store *s, store_idempotency *idem,
                               const store_audit_entry *audit, const char *target_key,
                               json_t **out, lobby_err (*fn)(sq_store *, void *, json_t **),
                               void *arg);

/* Inside the caller's transaction: writes the audit entry e (NULL:
 * nothing).  A NULL target becomes created, the record the operation
 * made ("" when that is NULL too). */
lobby_err sq__audit_insert(sq_store *s, const store_audit_entry *e, const char *created);

/* Operations defined in the per-concern files. */
void sq__notice_ops(lobby_store_ops *ops);
void sq__notice_image_ops(lobby_store_ops *ops);
/* The notice as staff see it (store_sqlite_notices.c), whatever its site. */
lobby_err sq__notice_fetch(sq_store *s, int64_t id, json_t **out);
/* LOBBY_ENOTFOUND unless notice id is one the set reaches for a change: a
 * notice for every site only through a set of every site. */
lobby_err sq__notice_reached(sq_store *s, int64_t id, const store_site_set *sites);
/* The notices a kiosk's feed shows: ?1 now, ?2 its building, ?3 its group
 * ("" for none), ?4 its site. */
#define SQ_NOTICE_SHOWN_TO_KIOSK                                                \
  "withdrawn_at IS NULL AND starts_at <= ?1 AND (ends_at IS NULL OR ends_at > ?1) " \
  "AND (site_id IS NULL OR site_id = ?4) "                                      \
  "AND (target_type = 'all' OR (target_type = 'building' AND target_value = ?2) " \
  "     OR (target_type = 'group' AND target_value = ?3 AND ?3 <> ''))"
void sq__repair_ops(lobby_store_ops *ops);
void sq__repair_photo_ops(lobby_store_ops *ops);
/* A store_query.h statement, run under the store's lock (ctx: the
 * sq_store), for a store_query_runner. */
lobby_err sq__query_rows(void *ctx, const store_query *q, json_t **out);
/* A ticket's photos as the store lists them (repair_photo_add). */
lobby_err sq__repair_photos(sq_store *s, int64_t repair_id, json_t **out);
/* The ticket's row id, status and site, when by reaches it: a ticket of
 * a site outside by's, or for a technician one dispatched to someone
 * else, is LOBBY_ENOTFOUND. */
lobby_err sq__repair_reachable(sq_store *s, const char *ticket, const lobby_principal *by,
                               int64_t *id, repair_status *status, int64_t *site_id);
void sq__visit_ops(lobby_store_ops *ops);
void sq__staff_ops(lobby_store_ops *ops);
void sq__audit_ops(lobby_store_ops *ops);
void sq__settings_ops(lobby_store_ops *ops);
void sq__repair_summary_ops(lobby_store_ops *ops);
void sq__ops_ops(lobby_store_ops *ops);
void sq__retention_ops(lobby_store_ops *ops);
void sq__site_ops(lobby_store_ops *ops);
void sq__directory_ops(lobby_store_ops *ops);
void sq__complaint_ops(lobby_store_ops *ops);
void sq__complaint_summary_ops(lobby_store_ops *ops);
void sq__calendar_ops(lobby_store_ops *ops);
void sq__rating_ops(lobby_store_ops *ops);
void sq__release_ops(lobby_store_ops *ops);
void sq__renovation_ops(lobby_store_ops *ops);
void sq__worker_ops(lobby_store_ops *ops);
void sq__rollcall_ops(lobby_store_ops *ops);
void sq__invite_ops(lobby_store_ops *ops);
void sq__screenshot_ops(lobby_store_ops *ops);

/* What the renovation operations read of a renovation before changing it
 * or its passes. */
typedef struct {
  int64_t id;
  renovation_status status;
  char end[11];
  char number[24];
  int64_t site_id;
} sq_renovation_head;
/* The renovation `where` (a condition on r with one parameter: value_text,
 * or value_int when that is NULL) names, when `sites` reaches it;
 * LOBBY_ENOTFOUND else. */
lobby_err sq__renovation_head(sq_store *s, const char *where, int64_t value_int,
                              const char *value_text, const store_site_set *sites,
                              sq_renovation_head *h);
/* The passes of a renovation, oldest first, shaped (store_worker_shape). */
lobby_err sq__workers_of(sq_store *s, int64_t renovation_id, int offset_min, int64_t now,
                         json_t **out);
/* Inside the caller's transaction: revokes every active pass of a
 * renovation with reason. */
lobby_err sq__workers_revoke_all(sq_store *s, int64_t renovation_id, const char *reason,
                                 int64_t now);
/* Whether a live pass holds code: an approved visit's, or a worker's that
 * is active or whose worker is on site.  Both kinds of pass draw on it, so
 * no code names two live passes. */
lobby_err sq__pass_code_taken(sq_store *s, const char *code, bool *taken);

/* Inside the caller's transaction: the next number of the local day
 * (YYYYMMDD) in seq_table (complaint_seq, release_seq: day, last), so
 * numbers run 1, 2, … per day across the company. */
lobby_err sq__next_in_day(sq_store *s, const char *seq_table, const char day[9], unsigned *out);

/* Prepares sql_template with its one "{sites}" replaced by the condition
 * that keeps column to the sites of the set (or_null: NULL passes too;
 * store_site_clause).  LOBBY_ETOOBIG when the statement does not fit. */
lobby_err sq__prepare_in_sites(sq_store *s, const char *sql_template, const store_site_set *sites,
                               const char *column, bool or_null, sqlite3_stmt **out);

/* Inside the store's lock: the sites a staff member works for (count 0:
 * every site), for the principal a token or session gives. */
lobby_err sq__staff_sites(sq_store *s, int64_t staff_id, store_site_set *out);
/* Inside the caller's transaction: replaces the member's sites. */
lobby_err sq__staff_sites_write(sq_store *s, int64_t staff_id, const store_site_set *sites);

/* Copies the database behind src to dest (store_sqlite_backup.c): the
 * online backup API into "<dest>.partial-<pid>", rollback-journal mode so
 * the copy is one file, mode 0600, fsync'd, integrity_check'd, renamed
 * over dest (or, without replace, linked so an existing dest is never
 * overwritten: LOBBY_EDUP).  why says what failed. */
lobby_err sq__backup_file(sqlite3 *src, const char *dest, bool replace, char *why, size_t why_size);
/* Takes "<db_path>.lock" exclusively into *fd (close it to let go):
 * LOBBY_ECONFLICT, with why saying so, while any process has the database
 * open through store_sqlite_open (a running lobbyd). */
lobby_err sq__lock_exclusive(const char *db_path, int *fd, char *why, size_t why_size);
/* "20261201T062000Z" for now, in UTC, for file names. */
void sq__utc_stamp(char out[20]);

/* Steps a statement that changes rows and finalizes it; LOBBY_ENOTFOUND
 * when require_change and no row changed. */
lobby_err sq__run(sq_store *s, sqlite3_stmt *stmt, bool require_change);

#endif
