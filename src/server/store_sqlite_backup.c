/* Backup and restore of the SQLite database, and the copy made before a
 * schema migration.  Copies go through SQLite's online backup API, so
 * they are consistent while lobbyd writes (in WAL mode a reader never
 * blocks a writer), and every file is fsync'd and checked before it is
 * renamed into place. */
#include "store_sqlite_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lobby_log.h"
#include "lobby_text.h"

/* Pages copied per step; between steps the source is released, so
 * lobbyd's checkpoints are not held off for the whole copy. */
#define BACKUP_STEP_PAGES 256
/* A writer that changes the source between steps restarts the copy; after
 * this many restarts the rest is copied in one step under one snapshot. */
#define BACKUP_MAX_RESTARTS 3

static const char *const counted_tables[STORE_COUNTED_TABLES] = {
  "repairs", "repair_events", "visits", "invites", "notices", "kiosks", "staff", "audit",
};

void sq__utc_stamp(char out[20])
{
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 20, "%Y%m%dT%H%M%SZ", &tm);
}

static lobby_err fsync_path(const char *path, char *why, size_t why_size)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    lobby_explain(why, why_size, "cannot fsync %s: %s", path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return LOBBY_EIO;
  }
  close(fd);
  return LOBBY_OK;
}

/* A rename is durable only once the directory holding it is synced. */
static lobby_err fsync_dir_of(const char *path, char *why, size_t why_size)
{
  char dir[1024];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == dir)
    dir[1] = '\0';
  else
    *slash = '\0';
  return fsync_path(dir, why, why_size);
}

static lobby_err integrity_ok(sqlite3 *db, const char *what, char *why, size_t why_size)
{
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "%s: %s", what, sqlite3_errmsg(db));
    return LOBBY_EIO;
  }
  int rc = sqlite3_step(q);
  bool ok = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0;
  if (!ok)
    lobby_explain(why, why_size, "%s: integrity_check says: %s", what,
                  rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : sqlite3_errmsg(db));
  sqlite3_finalize(q);
  return ok ? LOBBY_OK : LOBBY_EIO;
}

/* Runs the backup API from src into dst, in steps.  In WAL mode the copy
 * never blocks lobbyd's writers; a write between two steps restarts it,
 * and after a few restarts the rest goes in one step under one snapshot
 * (still without blocking writers), so a busy server cannot starve it. */
static lobby_err copy_pages(sqlite3 *src, sqlite3 *dst, char *why, size_t why_size)
{
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    lobby_explain(why, why_size, "backup: %s", sqlite3_errmsg(dst));
    return LOBBY_EIO;
  }
  int rc, restarts = 0, last_remaining = -1;
  do {
    rc = sqlite3_backup_step(b, restarts >= BACKUP_MAX_RESTARTS ? -1 : BACKUP_STEP_PAGES);
    int remaining = sqlite3_backup_remaining(b);
    if (last_remaining >= 0 && remaining > last_remaining)
      restarts++;
    last_remaining = remaining;
    if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      sqlite3_sleep(rc == SQLITE_OK ? 1 : 20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  int fin = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE || fin != SQLITE_OK) {
    lobby_explain(why, why_size, "backup: %s", sqlite3_errstr(rc != SQLITE_DONE ? rc : fin));
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

/* Writes the copy into tmp: pages, one-file journal mode, integrity. */
static lobby_err write_copy(sqlite3 *src, const char *tmp, char *why, size_t why_size)
{
  sqlite3 *dst = NULL;
  (void)unlink(tmp);
  /* Only the owner may read a copy: it holds residents' names and phones. */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    lobby_explain(why, why_size, "cannot create %s: %s", tmp, strerror(errno));
    return LOBBY_EIO;
  }
  close(fd);
  lobby_err err = LOBBY_OK;
  if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "cannot open %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "no memory");
    err = LOBBY_EIO;
  }
  if (err == LOBBY_OK)
    err = copy_pages(src, dst, why, why_size);
  /* The copy keeps the source's WAL flag; a rollback journal makes it
   * one self-contained file to move around.  lobbyd turns WAL back on. */
  if (err == LOBBY_OK && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "%s: %s", tmp, sqlite3_errmsg(dst));
    err = LOBBY_EIO;
  }
  if (err == LOBBY_OK)
    err = integrity_ok(dst, tmp, why, why_size);
  if (dst && sqlite3_close(dst) != SQLITE_OK && err == LOBBY_OK) {
    lobby_explain(why, why_size, "cannot close %s", tmp);
    err = LOBBY_EIO;
  }
  if (err == LOBBY_OK)
    err = fsync_path(tmp, why, why_size);
  return err;
}

lobby_err sq__backup_file(sqlite3 *src, const char *dest, bool replace, char *why, size_t why_size)
{
  char tmp[1100];
  if (snprintf(tmp, sizeof tmp, "%s.partial-%ld", dest, (long)getpid()) >= (int)sizeof tmp) {
    lobby_explain(why, why_size, "path too long: %s", dest);
    return LOBBY_ETOOBIG;
  }
  lobby_err err = write_copy(src, tmp, why, why_size);
  if (err == LOBBY_OK && replace && rename(tmp, dest) != 0) {
    lobby_explain(why, why_size, "cannot rename %s to %s: %s", tmp, dest, strerror(errno));
    err = LOBBY_EIO;
  }
  /* link() never replaces: a file that appeared meanwhile is kept. */
  if (err == LOBBY_OK && !replace && link(tmp, dest) != 0) {
    err = errno == EEXIST ? LOBBY_EDUP : LOBBY_EIO;
    lobby_explain(why, why_size, "cannot create %s: %s", dest, strerror(errno));
  }
  (void)unlink(tmp);
  if (err == LOBBY_OK)
    err = fsync_dir_of(dest, why, why_size);
  return err;
}

/* Schema version and row counts of a database file (read-only). */
static lobby_err describe(const char *path, store_backup_report *out, char *why, size_t why_size)
{
  sqlite3 *db = NULL;
  struct stat sb;
  memset(out, 0, sizeof *out);
  if (stat(path, &sb) == 0)
    out->bytes = (int64_t)sb.st_size;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
    sqlite3_close(db);
    return LOBBY_EIO;
  }
  lobby_err err = integrity_ok(db, path, why, why_size);
  sqlite3_stmt *q;
  if (err == LOBBY_OK && sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW)
      out->schema_version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
  }
  for (int i = 0; i < STORE_COUNTED_TABLES; i++) {
    char sql[96];
    out->table[i] = counted_tables[i];
    out->rows[i] = -1;   /* a table this schema version does not have */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", counted_tables[i]);
    if (err == LOBBY_OK && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
      if (sqlite3_step(q) == SQLITE_ROW)
        out->rows[i] = sqlite3_column_int64(q, 0);
      sqlite3_finalize(q);
    }
  }
  sqlite3_close(db);
  return err;
}

lobby_err store_sqlite_backup(const char *db_path, const char *dest, bool force,
                              store_backup_report *out, char *why, size_t why_size)
{
  sqlite3 *src = NULL;
  if (!force && access(dest, F_OK) == 0) {
    lobby_explain(why, why_size, "%s exists (--force replaces it)", dest);
    return LOBBY_EDUP;
  }
  if (access(db_path, F_OK) != 0) {
    lobby_explain(why, why_size, "no database at %s", db_path);
    return LOBBY_ENOTFOUND;
  }
  if (sqlite3_open_v2(db_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "cannot open %s: %s", db_path, src ? sqlite3_errmsg(src) : "no memory");
    sqlite3_close(src);
    return LOBBY_EIO;
  }
  sqlite3_busy_timeout(src, 5000);
  lobby_err err = sq__backup_file(src, dest, force, why, why_size);
  sqlite3_close(src);
  if (err == LOBBY_OK)
    err = describe(dest, out, why, why_size);
  return err;
}

/* ---- restore -------------------------------------------------------- */

/* A backup may go in only if it is whole and a schema this lobbyd knows. */
static lobby_err check_backup(const char *src, store_backup_report *out, char *why, size_t why_size)
{
  if (access(src, R_OK) != 0) {
    lobby_explain(why, why_size, "cannot read %s: %s", src, strerror(errno));
    return LOBBY_ENOTFOUND;
  }
  lobby_err err = describe(src, out, why, why_size);
  if (err != LOBBY_OK)
    return err;
  int current = store_sqlite_schema_version();
  if (out->schema_version < 1 || out->rows[0] < 0 || out->rows[5] < 0 || out->rows[6] < 0) {
    lobby_explain(why, why_size, "%s is not a Lobby database", src);
    return LOBBY_EINVAL;
  }
  if (out->schema_version > current) {
    lobby_explain(why, why_size, "%s has schema version %d, newer than this lobbyd (%d): "
                  "restore it with the lobbyd that made it", src, out->schema_version, current);
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}

/* Takes "<db>.lock" exclusively; every open store holds it shared. */
lobby_err sq__lock_exclusive(const char *db_path, int *fd, char *why, size_t why_size)
{
  char lock_path[1100];
  snprintf(lock_path, sizeof lock_path, "%s.lock", db_path);
  *fd = open(lock_path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (*fd < 0) {
    lobby_explain(why, why_size, "cannot open %s: %s", lock_path, strerror(errno));
    return LOBBY_EIO;
  }
  if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    lobby_explain(why, why_size, "%s is in use: a lobbyd (or another lobbyd command) has it open; "
                  "stop the server first (systemctl stop lobbyd)", db_path);
    close(*fd);
    *fd = -1;
    return LOBBY_ECONFLICT;
  }
  return LOBBY_OK;
}

/* Copies the current database, WAL included, aside before it is replaced. */
static lobby_err keep_current(const char *db_path, char *kept_as, size_t kept_size, char *why,
                              size_t why_size)
{
  sqlite3 *db = NULL;
  char stamp[20];
  kept_as[0] = '\0';
  if (access(db_path, F_OK) != 0)
    return LOBBY_OK;
  sq__utc_stamp(stamp);
  if (snprintf(kept_as, kept_size, "%s.before-restore-%s", db_path, stamp) >= (int)kept_size)
    return LOBBY_ETOOBIG;
  if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "cannot open %s: %s", db_path, db ? sqlite3_errmsg(db) : "no memory");
    sqlite3_close(db);
    kept_as[0] = '\0';
    return LOBBY_EIO;
  }
  lobby_err err = sq__backup_file(db, kept_as, false, why, why_size);
  sqlite3_close(db);
  if (err != LOBBY_OK)
    kept_as[0] = '\0';
  return err;
}

/* The restored file belongs to whoever owned the one it replaces (or,
 * with none, the directory: systemd's StateDirectory belongs to the
 * service user), so a restore run as root leaves a database the service
 * user can write. */
static void copy_owner(const char *from, const char *to)
{
  struct stat sb;
  char dir[1024];
  bool replaced = stat(from, &sb) == 0;
  if (!replaced) {
    snprintf(dir, sizeof dir, "%s", from);
    char *slash = strrchr(dir, '/');
    if (slash)
      *(slash == dir ? slash + 1 : slash) = '\0';
    if (stat(slash ? dir : ".", &sb) != 0)
      return;
  }
  if (chown(to, sb.st_uid, sb.st_gid) != 0 && geteuid() == 0)
    LOBBY_WARN("cannot give %s the owner of %s: %s", to, from, strerror(errno));
  if (replaced)
    (void)chmod(to, sb.st_mode & 0777);
}

static lobby_err put_in_place(const char *db_path, const char *src, char *why, size_t why_size)
{
  sqlite3 *from = NULL;
  char tmp[1100], side[1100];
  snprintf(tmp, sizeof tmp, "%s.restore-%ld", db_path, (long)getpid());
  if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "cannot open %s: %s", src, from ? sqlite3_errmsg(from) : "no memory");
    sqlite3_close(from);
    return LOBBY_EIO;
  }
  lobby_err err = write_copy(from, tmp, why, why_size);
  sqlite3_close(from);
  if (err != LOBBY_OK) {
    (void)unlink(tmp);
    return err;
  }
  copy_owner(db_path, tmp);
  /* The old database's WAL and journal would be replayed into the new
   * file: they go first (the current state is already kept aside). */
  static const char *const sides[] = {"-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
    snprintf(side, sizeof side, "%s%s", db_path, sides[i]);
    if (unlink(side) != 0 && errno != ENOENT) {
      lobby_explain(why, why_size, "cannot remove %s: %s", side, strerror(errno));
      (void)unlink(tmp);
      return LOBBY_EIO;
    }
  }
  if (rename(tmp, db_path) != 0) {
    lobby_explain(why, why_size, "cannot rename %s to %s: %s", tmp, db_path, strerror(errno));
    (void)unlink(tmp);
    return LOBBY_EIO;
  }
  return fsync_dir_of(db_path, why, why_size);
}

lobby_err store_sqlite_restore(const char *db_path, const char *src, store_backup_report *out,
                               char *kept_as, size_t kept_size, char *why, size_t why_size)
{
  int lock_fd = -1;
  kept_as[0] = '\0';
  lobby_err err = check_backup(src, out, why, why_size);
  if (err == LOBBY_OK)
    err = sq__lock_exclusive(db_path, &lock_fd, why, why_size);
  if (err == LOBBY_OK)
    err = keep_current(db_path, kept_as, kept_size, why, why_size);
  if (err == LOBBY_OK)
    err = put_in_place(db_path, src, why, why_size);
  if (lock_fd >= 0)
    close(lock_fd);
  return err;
}
