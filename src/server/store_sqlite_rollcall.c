/* The evacuation roll-call's marks in the SQLite store (store.h,
 * rollcall_mark): one row per person, tied to the presence it was made
 * in by "since", so a mark from an earlier visit or check-in is never
 * read as this one's. */
#include "store_sqlite_internal.h"

#include <stdio.h>
#include <string.h>

/* Where a person on site now comes from, by kind: their id as text, their
 * site and the start of this presence, in the sites of the set ({sites}).
 * ?1 is the ref. */
static const char *presence_sql(const char *kind)
{
  if (strcmp(kind, "visit") == 0)
    return "SELECT id, site_id, checked_in_at FROM visits "
           "WHERE id = ?1 AND state = 'approved' AND checked_in_at IS NOT NULL{sites}";
  return "SELECT CAST(id AS TEXT), site_id, last_in FROM worker_passes "
         "WHERE id = CAST(?1 AS INTEGER) AND on_site = 1 AND last_in IS NOT NULL{sites}";
}

static lobby_err mark_set(sq_store *s, const char *kind, const char *ref,
                          const store_site_set *sites, const char *by, int64_t now)
{
  char sql[512];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "INSERT INTO rollcall_marks (kind, ref, site_id, since, marked_at, "
           "marked_by) SELECT ?2, p.*, ?3, ?4 FROM (%s) p WHERE true "
           "ON CONFLICT (kind, ref) DO UPDATE SET site_id = excluded.site_id, "
           "since = excluded.since, marked_at = excluded.marked_at, marked_by = excluded.marked_by",
           presence_sql(kind));
  lobby_err err = sq__prepare_in_sites(s, sql, sites, "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, ref);
  sq__bind_text(q, 2, kind);
  sqlite3_bind_int64(q, 3, now);
  sq__bind_text(q, 4, by);
  /* No row: not on site in these sites. */
  return sq__run(s, q, true);
}

static lobby_err mark_clear(sq_store *s, const char *kind, const char *ref)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "DELETE FROM rollcall_marks WHERE kind = ? AND ref = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, kind);
  sq__bind_text(q, 2, ref);
  return sq__run(s, q, false);
}

/* Unmarking someone with no mark is no change but no error either; someone
 * not on site in the sites is LOBBY_ENOTFOUND both ways. */
static lobby_err on_site(sq_store *s, const char *kind, const char *ref, const store_site_set *sites)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, presence_sql(kind), sites, "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, ref);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
}

static lobby_err rollcall_mark(lobby_store *st, const char *kind, const char *ref, bool safe,
                               const store_site_set *sites, const char *by, int64_t now,
                               const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = on_site(s, kind, ref, sites);
  if (err == LOBBY_OK)
    err = safe ? mark_set(s, kind, ref, sites, by, now) : mark_clear(s, kind, ref);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err list_kind(sq_store *s, const char *sql, const store_site_set *sites,
                           const char *column, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, sql, sites, column, false, &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, out);
  return err;
}

static lobby_err rollcall_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  json_t *workers = NULL;
  *out = NULL;
  SQ_LOCK(s);
  lobby_err err = list_kind(s,
    "SELECT m.kind, m.ref AS id, m.marked_at, m.marked_by FROM rollcall_marks m "
    "JOIN visits v ON v.id = m.ref WHERE m.kind = 'visit' AND v.state = 'approved' "
    "AND v.checked_in_at = m.since{sites} ORDER BY m.marked_at", sites, "v.site_id", out);
  if (err == LOBBY_OK)
    err = list_kind(s,
      "SELECT m.kind, m.ref AS id, m.marked_at, m.marked_by FROM rollcall_marks m "
      "JOIN worker_passes w ON w.id = CAST(m.ref AS INTEGER) WHERE m.kind = 'worker' "
      "AND w.on_site = 1 AND w.last_in = m.since{sites} ORDER BY m.marked_at", sites,
      "w.site_id", &workers);
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    json_array_extend(*out, workers);
  json_decref(workers);
  if (err != LOBBY_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

static lobby_err rollcall_reset(lobby_store *st, const store_site_set *sites,
                                const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare_in_sites(s, "DELETE FROM rollcall_marks WHERE 1 = 1{sites}", sites,
                               "site_id", false, &q);
  if (err == LOBBY_OK)
    err = sq__run(s, q, false);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

void sq__rollcall_ops(lobby_store_ops *ops)
{
  ops->rollcall_mark = rollcall_mark;
  ops->rollcall_list = rollcall_list;
  ops->rollcall_reset = rollcall_reset;
}
