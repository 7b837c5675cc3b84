/* Remote screenshots in the SQLite store: one row per kiosk, its latest
 * request; the picture is a file in the photo directory
 * (screenshot_file.h).  A row whose last moment is before `since` is
 * treated as gone everywhere (store.h). */
#include "store_sqlite_internal.h"

#include <string.h>

#define SHOT_COLUMNS                                                           \
  "kiosk_id, request_id, requested_at, requested_by, taken_at, width, height, blanked"
#define LIVE "COALESCE(taken_at, requested_at) >= ?2"

static lobby_err fetch(sq_store *s, int64_t kiosk_id, int64_t since, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT " SHOT_COLUMNS " FROM screenshots "
                                 "WHERE kiosk_id = ?1 AND " LIVE, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, kiosk_id);
  sqlite3_bind_int64(q, 2, since);
  return sq__one(q, out);
}

/* A live pending row stays: the kiosk is already taking it. */
static lobby_err pending_kept(sq_store *s, int64_t kiosk_id, int64_t since, json_t **out)
{
  json_t *row = NULL;
  lobby_err err = fetch(s, kiosk_id, since, &row);
  if (err == LOBBY_OK && !json_is_null(json_object_get(row, "taken_at"))) {
    json_decref(row);
    return LOBBY_ENOTFOUND;
  }
  if (err == LOBBY_OK)
    *out = row;
  return err;
}

static lobby_err replace_row(sq_store *s, int64_t kiosk_id, const char *request_id,
                             const char *by, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "INSERT OR REPLACE INTO screenshots (kiosk_id, request_id, "
                                 "requested_at, requested_by) VALUES (?1, ?2, ?3, ?4)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, kiosk_id);
  sq__bind_text(q, 2, request_id);
  sqlite3_bind_int64(q, 3, now);
  sq__bind_text(q, 4, by);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err request_in_transaction(sq_store *s, int64_t kiosk_id, const char *request_id,
                                        const char *by, int64_t now, int64_t since,
                                        const store_audit_entry *audit, json_t **out)
{
  lobby_err err = pending_kept(s, kiosk_id, since, out);
  if (err != LOBBY_ENOTFOUND)
    return err;
  err = replace_row(s, kiosk_id, request_id, by, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  if (err == LOBBY_OK)
    err = fetch(s, kiosk_id, since, out);
  return err;
}

static lobby_err screenshot_request(lobby_store *st, int64_t kiosk_id, const char *request_id,
                                    const char *by, int64_t now, int64_t since,
                                    const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  json_t *row = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__end(s, request_in_transaction(s, kiosk_id, request_id, by, now, since, audit, &row));
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    *out = row;
  else
    json_decref(row);
  return err;
}

static lobby_err screenshot_pending(lobby_store *st, int64_t kiosk_id, int64_t since,
                                    char out[STORE_SCREENSHOT_ID_SIZE])
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT request_id FROM screenshots WHERE kiosk_id = ?1 AND "
                                 "taken_at IS NULL AND " LIVE, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, kiosk_id);
    sqlite3_bind_int64(q, 2, since);
    int rc = sqlite3_step(q);
    const char *id = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND
        : !id || strlen(id) >= STORE_SCREENSHOT_ID_SIZE ? LOBBY_EIO : LOBBY_OK;
    if (err == LOBBY_OK)
      memcpy(out, id, strlen(id) + 1);
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err screenshot_pending_all(lobby_store *st, int64_t since, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT kiosk_id, request_id, requested_at FROM screenshots "
                                 "WHERE taken_at IS NULL AND requested_at >= ?1", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, since);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err taken_in_transaction(sq_store *s, int64_t kiosk_id, const char *request_id,
                                      const store_screenshot_shot *shot, int64_t since)
{
  json_t *row = NULL;
  lobby_err err = fetch(s, kiosk_id, since, &row);
  const char *live_id = json_string_value(json_object_get(row, "request_id"));
  if (err == LOBBY_OK && (!live_id || strcmp(live_id, request_id) != 0))
    err = LOBBY_ENOTFOUND; /* a later request, or another kiosk's */
  if (err == LOBBY_OK && !json_is_null(json_object_get(row, "taken_at")))
    err = LOBBY_ECONFLICT;
  json_decref(row);
  sqlite3_stmt *q;
  if (err == LOBBY_OK)
    err = sq__prepare(s, "UPDATE screenshots SET taken_at = ?1, width = ?2, height = ?3, "
                         "blanked = ?4 WHERE kiosk_id = ?5", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, shot->taken_at);
  sqlite3_bind_int(q, 2, shot->width);
  sqlite3_bind_int(q, 3, shot->height);
  sqlite3_bind_int(q, 4, shot->blanked);
  sqlite3_bind_int64(q, 5, kiosk_id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err screenshot_taken(lobby_store *st, int64_t kiosk_id, const char *request_id,
                                  const store_screenshot_shot *shot, int64_t since)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__end(s, taken_in_transaction(s, kiosk_id, request_id, shot, since));
  SQ_UNLOCK(s);
  return err;
}

static lobby_err screenshot_get(lobby_store *st, int64_t kiosk_id, int64_t since, json_t **out)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = fetch(s, kiosk_id, since, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err screenshot_expire(lobby_store *st, int64_t since, int *removed)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  *removed = 0;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "DELETE FROM screenshots WHERE COALESCE(taken_at, requested_at) < ?1", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, since);
    err = sq__step_done(s, q);
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    *removed = sqlite3_changes(s->db);
  SQ_UNLOCK(s);
  return err;
}

void sq__screenshot_ops(lobby_store_ops *ops)
{
  ops->screenshot_request = screenshot_request;
  ops->screenshot_pending = screenshot_pending;
  ops->screenshot_pending_all = screenshot_pending_all;
  ops->screenshot_taken = screenshot_taken;
  ops->screenshot_get = screenshot_get;
  ops->screenshot_expire = screenshot_expire;
}
