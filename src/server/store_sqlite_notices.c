/* Notices in the SQLite store. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <string.h>

#define NOTICE_COLUMNS                                                          \
  "id, title, body, category, priority, pinned AS \"pinned?\", "              \
  "emergency AS \"emergency?\", starts_at, ends_at, updated_at, "             \
  STORE_NOTICE_IMAGE_COLUMNS

#define NOTICE_STAFF_COLUMNS                                                    \
  NOTICE_COLUMNS ", target_type, target_value, created_at, withdrawn_at, "     \
  "(SELECT name FROM staff WHERE staff.id = author_id) AS author, "              \
  "(SELECT code FROM sites WHERE sites.id = notices.site_id) AS site"

lobby_err sq__notice_fetch(sq_store *s, int64_t id, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT " NOTICE_STAFF_COLUMNS " FROM notices WHERE id = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  err = sq__one(q, out);
  if (err != LOBBY_OK)
    return err;
  store_notice_nest_target(*out);
  store_notice_nest_image(*out, true);
  return LOBBY_OK;
}

static void bind_ends(sqlite3_stmt *q, int idx, int64_t ends_at)
{
  if (ends_at)
    sqlite3_bind_int64(q, idx, ends_at);
  else
    sqlite3_bind_null(q, idx);
}

/* The audit target of a new notice: its id. */
static lobby_err audit_new_notice(sq_store *s, const store_audit_entry *audit, int64_t id)
{
  char target[24];
  snprintf(target, sizeof target, "%lld", (long long)id);
  return sq__audit_insert(s, audit, target);
}

static lobby_err notice_create(lobby_store *st, const store_notice *n, int64_t author_id,
                               int64_t now, const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  int64_t id = 0;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s,
    "INSERT INTO notices (title, body, category, priority, pinned, emergency, starts_at, "
    "ends_at, target_type, target_value, author_id, created_at, updated_at, site_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, n->title);
    sq__bind_text(q, 2, n->body);
    sq__bind_text(q, 3, n->category);
    sqlite3_bind_int(q, 4, n->priority);
    sqlite3_bind_int(q, 5, n->pinned);
    sqlite3_bind_int(q, 6, n->emergency);
    sqlite3_bind_int64(q, 7, n->starts_at ? n->starts_at : now);
    bind_ends(q, 8, n->ends_at);
    sq__bind_text(q, 9, n->target_type);
    sq__bind_text(q, 10, n->target_value ? n->target_value : "");
    sqlite3_bind_int64(q, 11, author_id);
    sqlite3_bind_int64(q, 12, now);
    sqlite3_bind_int64(q, 13, now);
    if (n->site_id > 0)
      sqlite3_bind_int64(q, 14, n->site_id);
    else
      sqlite3_bind_null(q, 14);
    err = sq__step_done(s, q);
    sqlite3_finalize(q);
    id = sqlite3_last_insert_rowid(s->db);
  }
  if (err == LOBBY_OK)
    err = audit_new_notice(s, audit, id);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = sq__notice_fetch(s, id, out);
  SQ_UNLOCK(s);
  return err;
}

/* Applies one field of a partial update with its own statement; column
 * names come from this file only, never from input. */
static lobby_err update_column(sq_store *s, int64_t id, const char *column, const char *text,
                               int64_t number, bool is_text, bool is_null)
{
  char sql[128];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "UPDATE notices SET %s = ? WHERE id = ?", column);
  lobby_err err = sq__prepare(s, sql, &q);
  if (err != LOBBY_OK)
    return err;
  if (is_null)
    sqlite3_bind_null(q, 1);
  else if (is_text)
    sq__bind_text(q, 1, text);
  else
    sqlite3_bind_int64(q, 1, number);
  sqlite3_bind_int64(q, 2, id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err notice_apply(sq_store *s, int64_t id, const store_notice *n, unsigned set)
{
  lobby_err err = LOBBY_OK;
  if (err == LOBBY_OK && (set & NOTICE_SET_TITLE))
    err = update_column(s, id, "title", n->title, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_BODY))
    err = update_column(s, id, "body", n->body, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_CATEGORY))
    err = update_column(s, id, "category", n->category, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_PRIORITY))
    err = update_column(s, id, "priority", NULL, n->priority, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_PINNED))
    err = update_column(s, id, "pinned", NULL, n->pinned, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_EMERGENCY))
    err = update_column(s, id, "emergency", NULL, n->emergency, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_STARTS))
    err = update_column(s, id, "starts_at", NULL, n->starts_at, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_ENDS))
    err = update_column(s, id, "ends_at", NULL, n->ends_at, false, n->ends_at == 0);
  if (err == LOBBY_OK && (set & NOTICE_SET_TARGET))
    err = update_column(s, id, "target_type", n->target_type, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_TARGET))
    err = update_column(s, id, "target_value", n->target_value ? n->target_value : "", 0, true,
                        false);
  return err;
}

lobby_err sq__notice_reached(sq_store *s, int64_t id, const store_site_set *sites)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, "SELECT 1 FROM notices WHERE id = ?{sites}", sites,
                                       "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
}

static lobby_err notice_update(lobby_store *st, int64_t id, const store_site_set *sites,
                               const store_notice *n, unsigned set, int64_t now,
                               const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  json_t *cur = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__notice_reached(s, id, sites);
  if (err == LOBBY_OK)
    err = sq__notice_fetch(s, id, &cur);
  if (err == LOBBY_OK && !json_is_null(json_object_get(cur, "withdrawn_at")))
    err = LOBBY_ECONFLICT;
  json_decref(cur);
  if (err == LOBBY_OK)
    err = notice_apply(s, id, n, set);
  if (err == LOBBY_OK)
    err = update_column(s, id, "updated_at", NULL, now, false, false);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = sq__notice_fetch(s, id, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err notice_withdraw(lobby_store *st, int64_t id, const store_site_set *sites,
                                 int64_t now, const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  json_t *cur = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__notice_reached(s, id, sites);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "UPDATE notices SET withdrawn_at = ?1, updated_at = ?1 "
                         "WHERE id = ?2 AND withdrawn_at IS NULL", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    sqlite3_bind_int64(q, 2, id);
    err = sq__step_done(s, q);
    bool changed = sqlite3_changes(s->db) > 0;
    sqlite3_finalize(q);
    if (err == LOBBY_OK)
      err = sq__notice_fetch(s, id, &cur);
    if (err == LOBBY_OK && !changed)
      err = LOBBY_ECONFLICT;
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    *out = cur;
  else
    json_decref(cur);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err notice_list(lobby_store *st, const store_site_set *sites, bool active_only,
                             int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    active_only
      ? "SELECT " NOTICE_STAFF_COLUMNS " FROM notices WHERE withdrawn_at IS NULL "
        "AND (ends_at IS NULL OR ends_at > ?1){sites} ORDER BY pinned DESC, priority DESC, id DESC"
      : "SELECT " NOTICE_STAFF_COLUMNS " FROM notices WHERE ?1 IS NOT NULL{sites} "
        "ORDER BY id DESC LIMIT 500", sites, "site_id", true, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  size_t i;
  json_t *n;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, n) {
      store_notice_nest_target(n);
      store_notice_nest_image(n, true);
    }
  return err;
}

static lobby_err notice_get(lobby_store *st, int64_t id, const store_site_set *sites,
                            json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s, "SELECT " NOTICE_STAFF_COLUMNS " FROM notices "
                                       "WHERE id = ?1{sites}", sites, "site_id", true, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, id);
    err = sq__one(q, out);
  }
  SQ_UNLOCK(s);
  if (err == LOBBY_OK) {
    store_notice_nest_target(*out);
    store_notice_nest_image(*out, true);
  }
  return err;
}

static lobby_err notice_for_kiosk(lobby_store *st, int64_t site_id, const char *building,
                                  const char *group, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s,
    "SELECT " NOTICE_COLUMNS " FROM notices WHERE " SQ_NOTICE_SHOWN_TO_KIOSK
    " ORDER BY pinned DESC, priority DESC, starts_at DESC, id DESC", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    sq__bind_text(q, 2, building);
    sq__bind_text(q, 3, group ? group : "");
    sqlite3_bind_int64(q, 4, site_id);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  size_t i;
  json_t *n;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, n) store_notice_nest_image(n, false);
  return err;
}

static lobby_err notice_next_boundary(lobby_store *st, int64_t now, int64_t *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s,
    "SELECT MIN(t) FROM (SELECT starts_at AS t FROM notices WHERE withdrawn_at IS NULL "
    "AND starts_at > ?1 UNION ALL SELECT ends_at FROM notices WHERE withdrawn_at IS NULL "
    "AND ends_at > ?1)", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    *out = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

void sq__notice_ops(lobby_store_ops *ops)
{
  ops->notice_create = notice_create;
  ops->notice_update = notice_update;
  ops->notice_withdraw = notice_withdraw;
  ops->notice_list = notice_list;
  ops->notice_for_kiosk = notice_for_kiosk;
  ops->notice_next_boundary = notice_next_boundary;
  ops->notice_get = notice_get;
}
