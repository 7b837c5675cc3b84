/* What operations watch: the write probe behind /healthz and the figures
 * behind /metrics. */
#include "store_sqlite_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether this process may write path (by its effective ids). */
static bool may_write(const char *path, char *why, size_t why_size)
{
  if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 || errno == ENOENT)
    return true;
  snprintf(why, why_size, "%s: %s", path, strerror(errno));
  return false;
}

/* The database, its WAL and shared memory, and the directory (where
 * SQLite creates them) must stay writable.  The store's descriptors, opened
 * at start-up, keep writing after a chmod or chown of the file, and SQLite
 * hands a closed connection's descriptor to the next one it opens, so only
 * the permissions show what a restart, or any other process, would meet. */
static bool files_writable(const char *path, char *why, size_t why_size)
{
  char side[1100];
  if (!may_write(path, why, why_size))
    return false;
  static const char *const sides[] = {"-wal", "-shm"};
  for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
    snprintf(side, sizeof side, "%s%s", path, sides[i]);
    if (!may_write(side, why, why_size))
      return false;
  }
  snprintf(side, sizeof side, "%s", path);
  char *slash = strrchr(side, '/');
  if (slash)
    *(slash == side ? slash + 1 : slash) = '\0';
  return may_write(slash ? side : ".", why, why_size);
}

static lobby_err write_probe(lobby_store *st, int64_t now, char *why, size_t why_size)
{
  sq_store *s = SQ(st);
  const char *path = sqlite3_db_filename(s->db, "main");
  sqlite3 *db = NULL;
  why[0] = '\0';
  if (sqlite3_db_readonly(s->db, "main") == 1) {
    snprintf(why, why_size, "%s was opened read-only (no write permission)", path ? path : "");
    return LOBBY_EIO;
  }
  if (!path || !*path)
    return LOBBY_OK;   /* in memory: nothing on disk to lose */
  if (!files_writable(path, why, why_size))
    return LOBBY_EIO;
  /* A real commit (a full disk, an I/O error) on a connection of its own,
   * so the probe never waits for the store's lock behind a slow request. */
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    snprintf(why, why_size, "%s", db ? sqlite3_errmsg(db) : "no memory");
    sqlite3_close(db);
    return LOBBY_EIO;
  }
  sqlite3_busy_timeout(db, 1000);
  char sql[160];
  snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; INSERT OR REPLACE INTO health (id, probed_at) "
                            "VALUES (1, %lld); COMMIT;", (long long)now);
  lobby_err err = LOBBY_OK;
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    err = (rc & 0xff) == SQLITE_BUSY ? LOBBY_ECONFLICT : LOBBY_EIO;
    snprintf(why, why_size, "%s", sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db))
      (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  }
  sqlite3_close(db);
  return err;
}

/* Open and overdue follow repair_status_open() and repair_overdue(). */
static lobby_err stats(lobby_store *st, int64_t now, store_stats *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  memset(out, 0, sizeof *out);
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s,
    "SELECT (SELECT count(*) FROM repairs WHERE status IN "
    "          ('submitted','accepted','dispatched','on_site')),"
    "       (SELECT count(*) FROM repairs WHERE due_at < ?1 AND "
    "          (status IN ('submitted','accepted','dispatched') "
    "           OR (urgency <> 'emergency' AND status = 'on_site'))),"
    "       (SELECT coalesce(sum(queued), 0) FROM kiosks WHERE revoked_at IS NULL),"
    "       (SELECT coalesce(max(queued), 0) FROM kiosks WHERE revoked_at IS NULL),"
    "       (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    if (sqlite3_step(q) == SQLITE_ROW) {
      out->repairs_open = sqlite3_column_int64(q, 0);
      out->repairs_overdue = sqlite3_column_int64(q, 1);
      out->kiosks_queued_sum = sqlite3_column_int64(q, 2);
      out->kiosks_queued_max = sqlite3_column_int64(q, 3);
      out->db_bytes = sqlite3_column_int64(q, 4);
    } else {
      err = LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  const char *path = sqlite3_db_filename(s->db, "main");
  char wal[1100];
  struct stat sb;
  if (path && *path && snprintf(wal, sizeof wal, "%s-wal", path) < (int)sizeof wal &&
      stat(wal, &sb) == 0)
    out->wal_bytes = (int64_t)sb.st_size;
  return err;
}

void sq__ops_ops(lobby_store_ops *ops)
{
  ops->write_probe = write_probe;
  ops->stats = stats;
}
