/* Notices' pictures in the SQLite store: the notice's row names its file
 * in the photo directory; the picture itself never enters the database. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <string.h>

static void bind_text_or_null(sqlite3_stmt *q, int idx, const char *text)
{
  if (text)
    sq__bind_text(q, idx, text);
  else
    sqlite3_bind_null(q, idx);
}

static lobby_err image_write(sq_store *s, int64_t id, const store_notice_image *img, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "UPDATE notices SET image_file = ?1, image_sha256 = ?2, "
                                 "image_upload_sha256 = ?3, image_width = ?4, image_height = ?5, "
                                 "image_bytes = ?6, updated_at = ?7 WHERE id = ?8", &q);
  if (err != LOBBY_OK)
    return err;
  bind_text_or_null(q, 1, img ? img->file : NULL);
  bind_text_or_null(q, 2, img ? img->sha256 : NULL);
  bind_text_or_null(q, 3, img ? img->upload_sha256 : NULL);
  for (int i = 4; i <= 6; i++)
    sqlite3_bind_null(q, i);
  if (img) {
    sqlite3_bind_int(q, 4, img->width);
    sqlite3_bind_int(q, 5, img->height);
    sqlite3_bind_int64(q, 6, img->bytes);
  }
  sqlite3_bind_int64(q, 7, now);
  sqlite3_bind_int64(q, 8, id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err set_in_transaction(sq_store *s, int64_t id, const store_site_set *sites,
                                    const store_notice_image *img, int64_t now,
                                    const store_audit_entry *audit, bool *changed)
{
  json_t *cur = NULL;
  lobby_err err = sq__notice_reached(s, id, sites);
  if (err == LOBBY_OK)
    err = sq__notice_fetch(s, id, &cur);
  /* A withdrawn notice keeps the picture it was withdrawn with. */
  if (err == LOBBY_OK && !json_is_null(json_object_get(cur, "withdrawn_at")))
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    *changed = !store_notice_image_is(cur, img ? img->sha256 : NULL);
  json_decref(cur);
  if (err != LOBBY_OK || !*changed)
    return err; /* unchanged: the same upload or removal again */
  err = image_write(s, id, img, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  return err;
}

static lobby_err notice_image_set(lobby_store *st, int64_t id, const store_site_set *sites,
                                  const store_notice_image *img, int64_t now,
                                  const store_audit_entry *audit, bool *changed, json_t **out)
{
  sq_store *s = SQ(st);
  *changed = false;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__end(s, set_in_transaction(s, id, sites, img, now, audit, changed));
  if (err == LOBBY_OK)
    err = sq__notice_fetch(s, id, out);
  SQ_UNLOCK(s);
  if (err != LOBBY_OK)
    *changed = false;
  return err;
}

/* The statement that finds the picture of a notice by may see. */
static lobby_err prepare_visible(sq_store *s, const lobby_principal *by, sqlite3_stmt **q)
{
  if (by->role == ROLE_KIOSK)
    return sq__prepare(s, "SELECT image_file, image_sha256 FROM notices WHERE id = ?5 AND "
                          SQ_NOTICE_SHOWN_TO_KIOSK, q);
  return sq__prepare_in_sites(s, "SELECT image_file, image_sha256 FROM notices "
                                 "WHERE id = ?5{sites}",
                              &by->sites, "site_id", true, q);
}

static lobby_err copy_column(sqlite3_stmt *q, int col, char *out, size_t size)
{
  const char *text = (const char *)sqlite3_column_text(q, col);
  if (!text)
    return LOBBY_ENOTFOUND; /* a notice without a picture */
  if (strlen(text) >= size)
    return LOBBY_EIO;
  memcpy(out, text, strlen(text) + 1);
  return LOBBY_OK;
}

static lobby_err notice_image_file(lobby_store *st, int64_t id, const lobby_principal *by,
                                   int64_t now, store_notice_image_ref *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = prepare_visible(s, by, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    sq__bind_text(q, 2, by->building);
    sq__bind_text(q, 3, by->group);
    sqlite3_bind_int64(q, 4, by->site_id);
    sqlite3_bind_int64(q, 5, id);
    int rc = sqlite3_step(q);
    err = rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    if (err == LOBBY_OK)
      err = copy_column(q, 0, out->file, sizeof out->file);
    if (err == LOBBY_OK)
      err = store_notice_etag_of((const char *)sqlite3_column_text(q, 1), out->etag);
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err notice_image_named(lobby_store *st, const char *file, bool *named)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT 1 FROM notices WHERE image_file = ?", &q);
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

void sq__notice_image_ops(lobby_store_ops *ops)
{
  ops->notice_image_set = notice_image_set;
  ops->notice_image_file = notice_image_file;
  ops->notice_image_named = notice_image_named;
}
