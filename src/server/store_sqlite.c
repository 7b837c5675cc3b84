/* The SQLite store: connection, transactions, helpers, and the small
 * concerns (tokens, kiosks, directory).  Notices, repairs and visits live
 * in their own files. */
#include "store_sqlite_internal.h"
#include "store_records.h"
#include "store_sqlite_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "lobby_log.h"

/* A failed step or exec as the store's error: a full disk is told apart
 * so the client hears 507 and knows a retry can work once space is freed. */
static lobby_err failure_of(int rc)
{
  return (rc & 0xff) == SQLITE_FULL ? LOBBY_ENOSPC : LOBBY_EIO;
}

lobby_err sq__exec(sq_store *s, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    LOBBY_ERROR("sqlite: %s", msg ? msg : "error");
    sqlite3_free(msg);
    return failure_of(rc);
  }
  return LOBBY_OK;
}

lobby_err sq__prepare(sq_store *s, const char *sql, sqlite3_stmt **out)
{
  if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK) {
    LOBBY_ERROR("sqlite prepare: %s", sqlite3_errmsg(s->db));
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

lobby_err sq__begin(sq_store *s) { return sq__exec(s, "BEGIN IMMEDIATE"); }
lobby_err sq__commit(sq_store *s) { return sq__exec(s, "COMMIT"); }

lobby_err sq__end(sq_store *s, lobby_err err)
{
  if (err == LOBBY_OK)
    err = sq__commit(s);
  if (err != LOBBY_OK)
    sq__rollback(s);
  if (err == LOBBY_ENOSPC)
    sq__release_wal(s);
  return err;
}

void sq__release_wal(sq_store *s)
{
  /* The WAL holds the space the full disk is missing: copying it into the
   * database and truncating it gives that space back, so the next write
   * needs only its own pages, not the WAL's growth since the last
   * checkpoint. */
  int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK)
    LOBBY_WARN("sqlite: checkpoint after a full disk: %s", sqlite3_errmsg(s->db));
}

void sq__rollback(sq_store *s)
{
  if (!sqlite3_get_autocommit(s->db))
    (void)sq__exec(s, "ROLLBACK");
}

int sq__bind_text(sqlite3_stmt *stmt, int idx, const char *text)
{
  if (!text)
    return sqlite3_bind_null(stmt, idx);
  return sqlite3_bind_text(stmt, idx, text, -1, SQLITE_TRANSIENT);
}

json_t *sq__row_json(sqlite3_stmt *stmt)
{
  json_t *obj = json_object();
  int n = sqlite3_column_count(stmt);
  for (int i = 0; i < n; i++) {
    const char *name = sqlite3_column_name(stmt, i);
    size_t len = strlen(name);
    char key[64];
    bool as_bool = len > 0 && name[len - 1] == '?';
    snprintf(key, sizeof key, "%.*s", (int)(as_bool ? len - 1 : len), name);
    json_t *v;
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      v = as_bool ? json_boolean(sqlite3_column_int64(stmt, i) != 0)
                  : json_integer(sqlite3_column_int64(stmt, i));
      break;
    case SQLITE_FLOAT:
      v = json_real(sqlite3_column_double(stmt, i));
      break;
    case SQLITE_TEXT:
      v = json_stringn((const char *)sqlite3_column_text(stmt, i),
                       (size_t)sqlite3_column_bytes(stmt, i));
      break;
    default:
      v = as_bool ? json_false() : json_null();
    }
    json_object_set_new(obj, key, v);
  }
  return obj;
}

lobby_err sq__collect(sqlite3_stmt *stmt, json_t **out)
{
  json_t *arr = json_array();
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    json_array_append_new(arr, sq__row_json(stmt));
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    json_decref(arr);
    return LOBBY_EIO;
  }
  *out = arr;
  return LOBBY_OK;
}

lobby_err sq__step_done(sq_store *s, sqlite3_stmt *stmt)
{
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE)
    return LOBBY_OK;
  if (failure_of(rc) != LOBBY_ENOSPC)
    return LOBBY_EIO;
  if (sqlite3_get_autocommit(s->db))
    sq__release_wal(s);
  return LOBBY_ENOSPC;
}

lobby_err sq__run(sq_store *s, sqlite3_stmt *stmt, bool require_change)
{
  int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_CONSTRAINT)
    return LOBBY_EDUP;
  if (rc != SQLITE_DONE) {
    if (failure_of(rc) != LOBBY_ENOSPC)
      return LOBBY_EIO;
    if (sqlite3_get_autocommit(s->db))
      sq__release_wal(s);
    return LOBBY_ENOSPC;
  }
  return require_change && sqlite3_changes(s->db) == 0 ? LOBBY_ENOTFOUND : LOBBY_OK;
}

lobby_err sq__next_in_day(sq_store *s, const char *seq_table, const char day[9], unsigned *out)
{
  char sql[160];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "INSERT INTO %s (day, last) VALUES (?, 1) "
                            "ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last", seq_table);
  lobby_err err = sq__prepare(s, sql, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, day);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    *out = (unsigned)sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : LOBBY_EIO;
}

lobby_err sq__one(sqlite3_stmt *stmt, json_t **out)
{
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW)
    *out = sq__row_json(stmt);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_ROW)
    return LOBBY_OK;
  return rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
}

lobby_err sq__idem_find(sq_store *s, store_idempotency *idem, json_t **out)
{
  sqlite3_stmt *st;
  if (!idem || !idem->key)
    return LOBBY_ENOTFOUND;
  lobby_err err = sq__prepare(s, "SELECT request_hash, response FROM idempotency "
                                 "WHERE scope = ? AND key = ?", &st);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(st, 1, idem->scope);
  sq__bind_text(st, 2, idem->key);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
  }
  const void *hash = sqlite3_column_blob(st, 0);
  if (sqlite3_column_bytes(st, 0) != 32 || memcmp(hash, idem->request_hash, 32) != 0) {
    sqlite3_finalize(st);
    return LOBBY_EDUP;
  }
  *out = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
  sqlite3_finalize(st);
  if (!*out)
    return LOBBY_EIO;
  idem->replayed = true;
  return LOBBY_OK;
}

lobby_err sq__idem_save(sq_store *s, const store_idempotency *idem, json_t *response, int64_t now)
{
  sqlite3_stmt *st;
  if (!idem || !idem->key)
    return LOBBY_OK;
  char *text = json_dumps(response, JSON_COMPACT);
  if (!text)
    return LOBBY_ENOMEM;
  lobby_err err = sq__prepare(s, "INSERT INTO idempotency (scope, key, request_hash, response, "
                                 "created_at) VALUES (?, ?, ?, ?, ?)", &st);
  if (err == LOBBY_OK) {
    sq__bind_text(st, 1, idem->scope);
    sq__bind_text(st, 2, idem->key);
    sqlite3_bind_blob(st, 3, idem->request_hash, 32, SQLITE_TRANSIENT);
    sq__bind_text(st, 4, text);
    sqlite3_bind_int64(st, 5, now);
    err = sq__step_done(s, st);
    sqlite3_finalize(st);
  }
  free(text);
  return err;
}

/* Runs fn in a transaction after checking the idempotency key; a replay
 * returns the stored answer without running fn.  Whatever fails, *out is
 * left NULL. */
lobby_err sq__with_idempotency(sq_store *s, store_idempotency *idem,
                               const store_audit_entry *audit, const char *target_key,
                               json_t **out, lobby_err (*fn)(sq_store *, void *, json_t **),
                               void *arg)
{
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK) {
    err = sq__idem_find(s, idem, out);
    if (err == LOBBY_OK && !audit) {
      sq__rollback(s);
      SQ_UNLOCK(s);
      return LOBBY_OK;
    }
    if (err == LOBBY_ENOTFOUND)
      err = fn(s, arg, out);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit,
                           target_key ? json_string_value(json_object_get(*out, target_key)) : NULL);
  if (err == LOBBY_OK)
    err = sq__commit(s);
  if (err != LOBBY_OK) {
    json_decref(*out);
    *out = NULL;
    sq__rollback(s);
  }
  SQ_UNLOCK(s);
  return err;
}

/* ---- tokens and staff ---------------------------------------------- */

/* A kiosk reaches its own site; a staff member the sites they work for. */
static lobby_err principal_sites(sq_store *s, lobby_principal *p)
{
  if (p->role == ROLE_KIOSK) {
    p->sites = store_site_one(p->site_id);
    return LOBBY_OK;
  }
  p->site_id = 0;
  return sq__staff_sites(s, p->id, &p->sites);
}

static lobby_err token_lookup(lobby_store *st, const uint8_t *hash, lobby_principal *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s,
    "SELECT 'kiosk', k.id, k.name, k.building, k.grp, k.site_id FROM tokens t JOIN kiosks k "
    "  ON t.kind = 'kiosk' AND k.id = t.owner_id "
    "  WHERE t.hash = ?1 AND t.revoked_at IS NULL AND k.revoked_at IS NULL "
    "UNION ALL "
    "SELECT s.role, s.id, s.name, '', '', 0 FROM tokens t JOIN staff s "
    "  ON t.kind = 'staff' AND s.id = t.owner_id "
    "  WHERE t.hash = ?1 AND t.revoked_at IS NULL AND s.disabled = 0", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_blob(q, 1, hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      const char *role = (const char *)sqlite3_column_text(q, 0);
      if (strcmp(role, "kiosk") == 0)
        out->role = ROLE_KIOSK;
      else if (lobby_role_parse(role, &out->role) != LOBBY_OK)
        err = LOBBY_EIO;
      out->id = sqlite3_column_int64(q, 1);
      snprintf(out->name, sizeof out->name, "%s", sqlite3_column_text(q, 2));
      snprintf(out->building, sizeof out->building, "%s", sqlite3_column_text(q, 3));
      snprintf(out->group, sizeof out->group, "%s", sqlite3_column_text(q, 4));
      out->site_id = sqlite3_column_int64(q, 5);
    } else {
      err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = principal_sites(s, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err insert_token(sq_store *s, const char *kind, int64_t owner, const uint8_t *hash,
                              int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "INSERT INTO tokens (hash, kind, owner_id, created_at) "
                                 "VALUES (?, ?, ?, ?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_blob(q, 1, hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
  sq__bind_text(q, 2, kind);
  sqlite3_bind_int64(q, 3, owner);
  sqlite3_bind_int64(q, 4, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err staff_create(lobby_store *st, const char *name, lobby_role role,
                              const store_site_set *sites, const uint8_t *token_hash, int64_t now,
                              const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "INSERT INTO staff (name, role, created_at) VALUES (?, ?, ?)", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, name);
    sq__bind_text(q, 2, lobby_role_name(role));
    sqlite3_bind_int64(q, 3, now);
    int rc = sqlite3_step(q);
    err = rc == SQLITE_DONE ? LOBBY_OK : rc == SQLITE_CONSTRAINT ? LOBBY_EDUP : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  int64_t staff_id = sqlite3_last_insert_rowid(s->db);
  if (err == LOBBY_OK)
    err = insert_token(s, "staff", staff_id, token_hash, now);
  if (err == LOBBY_OK)
    err = sq__staff_sites_write(s, staff_id, sites);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, name);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err staff_find(lobby_store *st, const char *name, lobby_principal *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT id, role FROM staff WHERE name = ? AND disabled = 0", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      memset(out, 0, sizeof *out);
      out->id = sqlite3_column_int64(q, 0);
      err = lobby_role_parse((const char *)sqlite3_column_text(q, 1), &out->role);
      snprintf(out->name, sizeof out->name, "%s", name);
    } else {
      err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = principal_sites(s, out);
  SQ_UNLOCK(s);
  return err;
}

/* ---- kiosks -------------------------------------------------------- */

static lobby_err kiosk_create(lobby_store *st, const char *name, const char *building,
                              const char *group, int64_t site_id, const uint8_t *token_hash,
                              int64_t now, const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "SELECT 1 FROM buildings WHERE code = ? AND site_id = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, building);
    sqlite3_bind_int64(q, 2, site_id);
    int rc = sqlite3_step(q);
    err = rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = sq__prepare(s, "INSERT INTO kiosks (name, building, grp, created_at, site_id) "
                         "VALUES (?, ?, ?, ?, ?)", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, name);
    sq__bind_text(q, 2, building);
    sq__bind_text(q, 3, group ? group : "");
    sqlite3_bind_int64(q, 4, now);
    sqlite3_bind_int64(q, 5, site_id);
    int rc = sqlite3_step(q);
    err = rc == SQLITE_DONE ? LOBBY_OK : rc == SQLITE_CONSTRAINT ? LOBBY_EDUP : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = insert_token(s, "kiosk", sqlite3_last_insert_rowid(s->db), token_hash, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, name);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err kiosk_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT k.id, k.name, k.building, k.grp AS \"group\", s.code AS site, k.created_at, "
    "k.revoked_at, k.last_seen AS last_seen_at, k.version, k.feed_version, k.queued, "
    "k.uptime_s, k.disk_free_mb, k.audio "
    "FROM kiosks k JOIN sites s ON s.id = k.site_id WHERE 1 = 1{sites} ORDER BY k.name",
    sites, "k.site_id", false, &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err kiosk_find(lobby_store *st, const char *name, lobby_principal *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT id, building, grp, site_id FROM kiosks "
                                 "WHERE name = ? AND revoked_at IS NULL", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      memset(out, 0, sizeof *out);
      out->role = ROLE_KIOSK;
      out->id = sqlite3_column_int64(q, 0);
      snprintf(out->name, sizeof out->name, "%s", name);
      snprintf(out->building, sizeof out->building, "%s", sqlite3_column_text(q, 1));
      snprintf(out->group, sizeof out->group, "%s", sqlite3_column_text(q, 2));
      out->site_id = sqlite3_column_int64(q, 3);
      out->sites = store_site_one(out->site_id);
    } else {
      err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err kiosk_revoke(lobby_store *st, const char *name, int64_t now,
                              const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "UPDATE kiosks SET revoked_at = ? "
                         "WHERE name = ? AND revoked_at IS NULL", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    sq__bind_text(q, 2, name);
    err = sq__step_done(s, q);
    if (err == LOBBY_OK && sqlite3_changes(s->db) == 0)
      err = LOBBY_ENOTFOUND;
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err kiosk_heartbeat(lobby_store *st, int64_t kiosk_id, const store_kiosk_status *k,
                                 int64_t now)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "UPDATE kiosks SET last_seen = ?, version = ?, feed_version = ?, "
                                 "queued = ?, uptime_s = nullif(?, -1), disk_free_mb = nullif(?, -1), "
                                 "audio = ? WHERE id = ?", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    sq__bind_text(q, 2, k->version);
    sq__bind_text(q, 3, k->feed_version);
    sqlite3_bind_int(q, 4, k->queued);
    sqlite3_bind_int64(q, 5, k->uptime_s);
    sqlite3_bind_int64(q, 6, k->disk_free_mb);
    sq__bind_text(q, 7, k->audio);
    sqlite3_bind_int64(q, 8, kiosk_id);
    err = sq__step_done(s, q);
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

/* ---- open and close ------------------------------------------------ */

/* An upgrade that goes wrong must leave a way back: the database as it
 * was, next to it, before any migration step runs. */
static lobby_err backup_before_migration(sq_store *s, int version)
{
  const char *path = sqlite3_db_filename(s->db, "main");
  char stamp[20], dest[1024], why[256];
  if (!path || !*path)
    return LOBBY_OK;   /* an in-memory database has nothing to keep */
  sq__utc_stamp(stamp);
  if (snprintf(dest, sizeof dest, "%s.pre-migration-v%d-%s", path, version, stamp) >=
      (int)sizeof dest)
    return LOBBY_ETOOBIG;
  lobby_err err = sq__backup_file(s->db, dest, false, why, sizeof why);
  if (err != LOBBY_OK) {
    LOBBY_ERROR("not migrating the database from schema version %d: the backup to %s failed: %s",
                version, dest, why);
    return err;
  }
  LOBBY_INFO("database at schema version %d backed up to %s before migrating", version, dest);
  return LOBBY_OK;
}

int store_sqlite_schema_version(void)
{
  int count;
  (void)store_sqlite_migrations(&count);
  return count;
}

static lobby_err migrate(sq_store *s)
{
  int count, version = 0;
  const char *const *steps = store_sqlite_migrations(&count);
  sqlite3_stmt *q;
  if (sq__prepare(s, "PRAGMA user_version", &q) != LOBBY_OK)
    return LOBBY_EIO;
  if (sqlite3_step(q) == SQLITE_ROW)
    version = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  if (version > count) {
    LOBBY_ERROR("database schema version %d is newer than this lobbyd (%d)", version, count);
    return LOBBY_EINVAL;
  }
  if (version > 0 && version < count) {
    lobby_err err = backup_before_migration(s, version);
    if (err != LOBBY_OK)
      return err;
  }
  for (int v = version; v < count; v++) {
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
    lobby_err err = sq__begin(s);
    if (err == LOBBY_OK)
      err = sq__exec(s, steps[v]);
    if (err == LOBBY_OK)
      err = sq__exec(s, bump);
    if (err == LOBBY_OK)
      err = sq__commit(s);
    if (err != LOBBY_OK) {
      sq__rollback(s);
      return err;
    }
    LOBBY_INFO("database migrated to schema version %d", v + 1);
  }
  return LOBBY_OK;
}

static void sq_close(lobby_store *st)
{
  sq_store *s = SQ(st);
  if (!s)
    return;
  sqlite3_close(s->db);
  if (s->lock_fd >= 0)
    close(s->lock_fd);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

static lobby_store_ops sq_ops = {
  .close = sq_close,
  .token_lookup = token_lookup,
  .staff_create = staff_create,
  .staff_find = staff_find,
  .kiosk_create = kiosk_create,
  .kiosk_list = kiosk_list,
  .kiosk_find = kiosk_find,
  .kiosk_revoke = kiosk_revoke,
  .kiosk_heartbeat = kiosk_heartbeat,
};

/* The per-concern files fill in their operations once. */
static void init_ops(void)
{
  sq__notice_ops(&sq_ops);
  sq__notice_image_ops(&sq_ops);
  sq__repair_ops(&sq_ops);
  sq__repair_photo_ops(&sq_ops);
  sq__visit_ops(&sq_ops);
  sq__staff_ops(&sq_ops);
  sq__audit_ops(&sq_ops);
  sq__settings_ops(&sq_ops);
  sq__repair_summary_ops(&sq_ops);
  sq__ops_ops(&sq_ops);
  sq__retention_ops(&sq_ops);
  sq__site_ops(&sq_ops);
  sq__directory_ops(&sq_ops);
  sq__complaint_ops(&sq_ops);
  sq__complaint_summary_ops(&sq_ops);
  sq__calendar_ops(&sq_ops);
  sq__rating_ops(&sq_ops);
  sq__release_ops(&sq_ops);
  sq__renovation_ops(&sq_ops);
  sq__worker_ops(&sq_ops);
  sq__rollcall_ops(&sq_ops);
  sq__invite_ops(&sq_ops);
  sq__screenshot_ops(&sq_ops);
}

lobby_err sq__query_rows(void *ctx, const store_query *q, json_t **out)
{
  sqlite3_stmt *stmt;
  lobby_err err = sq__prepare(ctx, q->sql, &stmt);
  if (err != LOBBY_OK)
    return err;
  for (int i = 0; i < q->argc; i++) {
    if (q->argv[i].is_text)
      sq__bind_text(stmt, i + 1, q->argv[i].text);
    else
      sqlite3_bind_int64(stmt, i + 1, q->argv[i].num);
  }
  return sq__collect(stmt, out);
}

/* Every process that opens the database holds "<path>.lock" shared, and
 * `lobbyd restore` takes it exclusively: a restore never swaps the file
 * under a running lobbyd, and lobbyd never starts on a half-restored one.
 * The lock file is opened read-only (flock needs no write access), so a
 * lock file made by root still serves the service user. */
static lobby_err take_open_lock(sq_store *s, const char *path)
{
  char lock_path[1024];
  s->lock_fd = -1;
  if (!*path || strcmp(path, ":memory:") == 0)
    return LOBBY_OK;
  if (snprintf(lock_path, sizeof lock_path, "%s.lock", path) >= (int)sizeof lock_path)
    return LOBBY_ETOOBIG;
  s->lock_fd = open(lock_path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (s->lock_fd < 0) {
    LOBBY_ERROR("cannot open lock file %s: %s", lock_path, strerror(errno));
    return LOBBY_EIO;
  }
  if (flock(s->lock_fd, LOCK_SH | LOCK_NB) != 0) {
    LOBBY_ERROR("database %s is being restored (%s is locked): start lobbyd when "
                "`lobbyd restore` has finished", path, lock_path);
    return LOBBY_ECONFLICT;
  }
  return LOBBY_OK;
}

lobby_err store_sqlite_open(const char *path, lobby_store **out)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_ops);
  sq_store *s = calloc(1, sizeof *s);
  if (!s)
    return LOBBY_ENOMEM;
  s->base.ops = &sq_ops;
  pthread_mutex_init(&s->lock, NULL);
  lobby_err lock_err = take_open_lock(s, path);
  if (lock_err != LOBBY_OK) {
    sq_close(&s->base);
    return lock_err;
  }
  int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK) {
    LOBBY_ERROR("cannot open database %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "no memory");
    sq_close(&s->base);
    return LOBBY_EIO;
  }
  sqlite3_busy_timeout(s->db, 5000);
  /* WAL with synchronous=FULL: a commit returns only after the WAL is
   * fsync'd, so every acknowledged write survives power loss. */
  /* A checkpoint every 64 pages (256 KiB, a few repairs) and a WAL cut
   * back to 1 MiB after it: on a full disk only a little space need be
   * freed before writes work again, not the megabytes a WAL of SQLite's
   * default 1000 pages holds. */
  lobby_err err = sq__exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                              "PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 64; "
                              "PRAGMA journal_size_limit = 1048576;");
  if (err == LOBBY_OK)
    err = migrate(s);
  if (err != LOBBY_OK) {
    sq_close(&s->base);
    return err;
  }
  *out = &s->base;
  return LOBBY_OK;
}

