/* Completion photos in the SQLite store: one row per photo naming its
 * file; the picture itself never enters the database. */
#include "store_sqlite_internal.h"

#include <string.h>

#define PHOTO_COLUMNS "id, width, height, bytes, sha256, by_name AS \"by\", created_at AS at"

lobby_err sq__repair_photos(sq_store *s, int64_t repair_id, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT " PHOTO_COLUMNS " FROM repair_photos "
                                 "WHERE repair_id = ? ORDER BY id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, repair_id);
  return sq__collect(q, out);
}

static lobby_err photo_same(sq_store *s, int64_t repair_id, const char *sha256, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT " PHOTO_COLUMNS " FROM repair_photos "
                                 "WHERE repair_id = ? AND sha256 = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, repair_id);
  sq__bind_text(q, 2, sha256);
  return sq__one(q, out);
}

static lobby_err photo_count(sq_store *s, int64_t repair_id, int64_t *count)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT count(*) FROM repair_photos WHERE repair_id = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, repair_id);
  err = sqlite3_step(q) == SQLITE_ROW ? LOBBY_OK : LOBBY_EIO;
  if (err == LOBBY_OK)
    *count = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return err;
}

static lobby_err photo_insert(sq_store *s, int64_t repair_id, const store_repair_photo *p,
                              const lobby_principal *by, int64_t now, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "INSERT INTO repair_photos (repair_id, file, sha256, width, "
                                 "height, bytes, by_name, created_at) VALUES (?,?,?,?,?,?,?,?) "
                                 "RETURNING " PHOTO_COLUMNS, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, repair_id);
  sq__bind_text(q, 2, p->file);
  sq__bind_text(q, 3, p->sha256);
  sqlite3_bind_int(q, 4, p->width);
  sqlite3_bind_int(q, 5, p->height);
  sqlite3_bind_int64(q, 6, p->bytes);
  sq__bind_text(q, 7, by->name);
  sqlite3_bind_int64(q, 8, now);
  err = sq__one(q, out);
  return err == LOBBY_ENOTFOUND ? LOBBY_EIO : err;
}

/* Photos go with the finished work: while on site or once completed. */
static bool status_takes_photos(repair_status st)
{
  return st == REPAIR_STATUS_ON_SITE || st == REPAIR_STATUS_COMPLETED;
}

static lobby_err add_in_transaction(sq_store *s, const char *ticket, const store_repair_photo *p,
                                    const lobby_principal *by, int64_t now,
                                    const store_audit_entry *audit, bool *added, json_t **out)
{
  int64_t id = 0, count = 0, site_id = 0;
  repair_status status;
  lobby_err err = sq__repair_reachable(s, ticket, by, &id, &status, &site_id);
  if (err == LOBBY_OK) {
    err = photo_same(s, id, p->sha256, out);
    if (err == LOBBY_OK)
      return LOBBY_OK; /* the same upload again: the photo it made */
    if (err == LOBBY_ENOTFOUND)
      err = LOBBY_OK;
  }
  if (err == LOBBY_OK && !status_takes_photos(status))
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = photo_count(s, id, &count);
  if (err == LOBBY_OK && count >= STORE_REPAIR_PHOTOS_MAX)
    err = LOBBY_ETOOBIG;
  if (err == LOBBY_OK)
    err = photo_insert(s, id, p, by, now, out);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  if (err == LOBBY_OK)
    *added = true;
  return err;
}

static lobby_err repair_photo_add(lobby_store *st, const char *ticket, const store_repair_photo *p,
                                  const lobby_principal *by, int64_t now,
                                  const store_audit_entry *audit, bool *added, json_t **out)
{
  sq_store *s = SQ(st);
  *added = false;
  *out = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__end(s, add_in_transaction(s, ticket, p, by, now, audit, added, out));
  SQ_UNLOCK(s);
  if (err != LOBBY_OK) {
    json_decref(*out);
    *out = NULL;
    *added = false;
  }
  return err;
}

static lobby_err repair_photo_file(lobby_store *st, const char *ticket, int64_t id,
                                   const lobby_principal *by, char *file, size_t size)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s, "SELECT p.file FROM repair_photos p "
    "JOIN repairs r ON r.id = p.repair_id WHERE p.id = ?1 AND r.ticket = ?2 "
    "AND (?3 = 0 OR r.technician_id = ?3){sites}", &by->sites, "r.site_id", false, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, id);
    sq__bind_text(q, 2, ticket);
    sqlite3_bind_int64(q, 3, by->role == ROLE_TECHNICIAN ? by->id : 0);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      const char *name = (const char *)sqlite3_column_text(q, 0);
      err = name && strlen(name) < size ? LOBBY_OK : LOBBY_ETOOBIG;
      if (err == LOBBY_OK)
        memcpy(file, name, strlen(name) + 1);
    } else {
      err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err repair_photo_named(lobby_store *st, const char *file, bool *named)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT 1 FROM repair_photos WHERE file = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, file);
    int rc = sqlite3_step(q);
    *named = rc == SQLITE_ROW;
    err = rc == SQLITE_ROW || rc == SQLITE_DONE ? LOBBY_OK : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

void sq__repair_photo_ops(lobby_store_ops *ops)
{
  ops->repair_photo_named = repair_photo_named;
  ops->repair_photo_add = repair_photo_add;
  ops->repair_photo_file = repair_photo_file;
}
