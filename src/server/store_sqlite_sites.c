/* Sites (compounds) in the SQLite store: the sites table, which sites a
 * staff member works for, and the principal's reach built from them. */
#include <stdio.h>
#include <string.h>
#include "store_records.h"
#include "store_sqlite_internal.h"

_Static_assert(STORE_SITES_MAX == STORE_SITE_CLAUSE_IDS, "a set of sites fits one clause");

lobby_err sq__prepare_in_sites(sq_store *s, const char *sql_template, const store_site_set *sites,
                               const char *column, bool or_null, sqlite3_stmt **out)
{
  char where[STORE_SITE_CLAUSE_SIZE], sql[STORE_SITE_CLAUSE_SIZE + 2048];
  lobby_err err = store_site_clause(sites, column, or_null, where, sizeof where);
  if (err == LOBBY_OK)
    err = store_sql_with_sites(sql_template, where, sql, sizeof sql);
  return err == LOBBY_OK ? sq__prepare(s, sql, out) : err;
}

lobby_err sq__staff_sites(sq_store *s, int64_t staff_id, store_site_set *out)
{
  sqlite3_stmt *q;
  out->count = 0;
  lobby_err err = sq__prepare(s, "SELECT site_id FROM staff_sites WHERE staff_id = ? "
                                 "ORDER BY site_id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, staff_id);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->count < STORE_SITES_MAX)
    out->id[out->count++] = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? LOBBY_OK : LOBBY_EIO;
}

/* The columns of a site, in the order read_site expects. */
#define SITE_COLUMNS                                                          \
  "id, code, name, service_phone, workday_start_min, workday_end_min, "     \
  "auto_checkout_hours, retention_days"

/* An optional number of a site: -1 when NULL. */
static int optional_int(sqlite3_stmt *q, int col)
{
  return sqlite3_column_type(q, col) == SQLITE_NULL ? -1 : sqlite3_column_int(q, col);
}

static void read_site(sqlite3_stmt *q, store_site *out)
{
  memset(out, 0, sizeof *out);
  out->id = sqlite3_column_int64(q, 0);
  snprintf(out->code, sizeof out->code, "%s", sqlite3_column_text(q, 1));
  snprintf(out->name, sizeof out->name, "%s", sqlite3_column_text(q, 2));
  snprintf(out->service_phone, sizeof out->service_phone, "%s", sqlite3_column_text(q, 3));
  out->workday_start_min = optional_int(q, 4);
  out->workday_end_min = optional_int(q, 5);
  out->auto_checkout_hours = optional_int(q, 6);
  out->retention_days = optional_int(q, 7);
}

static lobby_err site_find(lobby_store *st, const char *sql, const char *code, int64_t id,
                           store_site *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, sql, &q);
  if (err == LOBBY_OK) {
    if (code)
      sq__bind_text(q, 1, code);
    else
      sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
      read_site(q, out);
    err = rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err site_get(lobby_store *st, const char *code, store_site *out)
{
  return site_find(st, "SELECT " SITE_COLUMNS " FROM sites WHERE code = ?", code, 0, out);
}

static lobby_err site_get_by_id(lobby_store *st, int64_t id, store_site *out)
{
  return site_find(st, "SELECT " SITE_COLUMNS " FROM sites WHERE id = ?", NULL, id, out);
}

static lobby_err site_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s, "SELECT " SITE_COLUMNS " FROM sites WHERE 1 = 1{sites} "
                                          "ORDER BY id", sites, "id", false, &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, out);
  SQ_UNLOCK(s);
  return err;
}

/* Binds an optional number, NULL for -1. */
static void bind_optional(sqlite3_stmt *q, int idx, int value)
{
  if (value < 0)
    sqlite3_bind_null(q, idx);
  else
    sqlite3_bind_int(q, idx, value);
}

/* Binds what staff set on a site, as ?1 to ?7 of both the insert and the
 * update: name, phone, working day, visitor settings and the code. */
static void bind_site(sqlite3_stmt *q, const store_site *site)
{
  sq__bind_text(q, 1, site->name);
  sq__bind_text(q, 2, site->service_phone);
  bind_optional(q, 3, site->workday_start_min);
  bind_optional(q, 4, site->workday_end_min);
  bind_optional(q, 5, site->auto_checkout_hours);
  bind_optional(q, 6, site->retention_days);
  sq__bind_text(q, 7, site->code);
}

static lobby_err site_create(lobby_store *st, store_site *site, int64_t now,
                             const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "INSERT INTO sites (name, service_phone, workday_start_min, "
                         "workday_end_min, auto_checkout_hours, retention_days, code, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &q);
  if (err == LOBBY_OK) {
    bind_site(q, site);
    sqlite3_bind_int64(q, 8, now);
    int rc = sqlite3_step(q);
    err = rc == SQLITE_DONE ? LOBBY_OK : rc == SQLITE_CONSTRAINT ? LOBBY_EDUP : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    site->id = sqlite3_last_insert_rowid(s->db);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, site->code);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err site_update(lobby_store *st, const store_site *site,
                             const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "UPDATE sites SET name = ?1, service_phone = ?2, workday_start_min = ?3, "
                         "workday_end_min = ?4, auto_checkout_hours = ?5, retention_days = ?6 "
                         "WHERE code = ?7", &q);
  if (err == LOBBY_OK) {
    bind_site(q, site);
    err = sq__run(s, q, true);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, site->code);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err staff_id_of(sq_store *s, const char *name, int64_t *id)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT id FROM staff WHERE name = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, name);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
}

lobby_err sq__staff_sites_write(sq_store *s, int64_t staff_id, const store_site_set *sites)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "DELETE FROM staff_sites WHERE staff_id = ?", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, staff_id);
    err = sq__run(s, q, false);
  }
  for (int i = 0; sites && err == LOBBY_OK && i < sites->count; i++) {
    err = sq__prepare(s, "INSERT INTO staff_sites (staff_id, site_id) VALUES (?, ?)", &q);
    if (err == LOBBY_OK) {
      sqlite3_bind_int64(q, 1, staff_id);
      sqlite3_bind_int64(q, 2, sites->id[i]);
      err = sq__run(s, q, false);
    }
  }
  return err;
}

static lobby_err staff_set_sites(lobby_store *st, const char *name, const store_site_set *sites,
                                 const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  int64_t staff_id = 0;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = staff_id_of(s, name, &staff_id);
  if (err == LOBBY_OK)
    err = sq__staff_sites_write(s, staff_id, sites);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, name);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

void sq__site_ops(lobby_store_ops *ops)
{
  ops->site_list = site_list;
  ops->site_get = site_get;
  ops->site_get_by_id = site_get_by_id;
  ops->site_create = site_create;
  ops->site_update = site_update;
  ops->staff_set_sites = staff_set_sites;
}
