/* Console accounts and sessions in the SQLite store.  Passwords arrive
 * already hashed (Argon2id strings) and session ids arrive as hashes: the
 * database never holds anything that signs in by itself. */
#include "store_sqlite_internal.h"

#include <stdio.h>
#include <string.h>

static lobby_err staff_account_create(lobby_store *st, const char *name, lobby_role role,
                                      const store_site_set *sites, const char *password_hash,
                                      int64_t now, const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "INSERT INTO staff (name, role, password_hash, created_at) "
                         "VALUES (?, ?, ?, ?)", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, name);
    sq__bind_text(q, 2, lobby_role_name(role));
    sq__bind_text(q, 3, password_hash);
    sqlite3_bind_int64(q, 4, now);
    err = sq__run(s, q, false);
  }
  if (err == LOBBY_OK)
    err = sq__staff_sites_write(s, sqlite3_last_insert_rowid(s->db), sites);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, name);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err staff_auth_get(lobby_store *st, const char *name, store_staff_auth *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  memset(out, 0, sizeof *out);
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT id, role, COALESCE(password_hash, ''), disabled "
                                 "FROM staff WHERE name = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      out->who.id = sqlite3_column_int64(q, 0);
      err = lobby_role_parse((const char *)sqlite3_column_text(q, 1), &out->who.role);
      snprintf(out->who.name, sizeof out->who.name, "%s", name);
      snprintf(out->password_hash, sizeof out->password_hash, "%s", sqlite3_column_text(q, 2));
      out->disabled = sqlite3_column_int(q, 3) != 0;
    } else {
      err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = sq__staff_sites(s, out->who.id, &out->who.sites);
  SQ_UNLOCK(s);
  return err;
}

/* Ends every session of the member named except keep (NULL: all). */
static lobby_err end_sessions(sq_store *s, const char *name, const uint8_t *keep)
{
  static const uint8_t none[STORE_TOKEN_HASH_LEN];
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "DELETE FROM sessions WHERE hash <> ? AND staff_id = "
                                 "(SELECT id FROM staff WHERE name = ?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_blob(q, 1, keep ? keep : none, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
  sq__bind_text(q, 2, name);
  return sq__run(s, q, false);
}

static lobby_err staff_set_password(lobby_store *st, const char *name, const char *password_hash,
                                    const uint8_t *keep, const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "UPDATE staff SET password_hash = ? WHERE name = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, password_hash);
    sq__bind_text(q, 2, name);
    err = sq__run(s, q, true);
  }
  if (err == LOBBY_OK)
    err = end_sessions(s, name, keep);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err staff_set_disabled(lobby_store *st, const char *name, bool disabled,
                                    const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "UPDATE staff SET disabled = ? WHERE name = ?", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int(q, 1, disabled);
    sq__bind_text(q, 2, name);
    err = sq__run(s, q, true);
  }
  if (err == LOBBY_OK && disabled)
    err = sq__prepare(s, "DELETE FROM sessions WHERE staff_id = "
                         "(SELECT id FROM staff WHERE name = ?)", &q);
  if (err == LOBBY_OK && disabled) {
    sq__bind_text(q, 1, name);
    err = sq__run(s, q, false);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err staff_list(lobby_store *st, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s,
    "SELECT name, role, disabled AS \"disabled?\", created_at, "
    "password_hash IS NOT NULL AS \"console?\", "
    "(SELECT json_group_array(code) FROM (SELECT si.code FROM staff_sites ss "
    "  JOIN sites si ON si.id = ss.site_id WHERE ss.staff_id = staff.id ORDER BY si.id)) AS sites "
    "FROM staff ORDER BY role, name", &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, out);
  SQ_UNLOCK(s);
  size_t i;
  json_t *row;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, row) {
      json_t *codes = json_loads(json_string_value(json_object_get(row, "sites")), 0, NULL);
      json_object_set_new(row, "sites", codes ? codes : json_array());
    }
  return err;
}

static lobby_err session_create(lobby_store *st, const uint8_t *hash, int64_t staff_id,
                                int64_t now, int64_t expires_at, const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  /* Expired sessions are swept here, so the table stays small without a
   * separate job. */
  if (err == LOBBY_OK)
    err = sq__prepare(s, "DELETE FROM sessions WHERE expires_at <= ?", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    err = sq__run(s, q, false);
  }
  if (err == LOBBY_OK)
    err = sq__prepare(s, "INSERT INTO sessions (hash, staff_id, created_at, expires_at) "
                         "VALUES (?, ?, ?, ?)", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_blob(q, 1, hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, staff_id);
    sqlite3_bind_int64(q, 3, now);
    sqlite3_bind_int64(q, 4, expires_at);
    err = sq__run(s, q, false);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err session_lookup(lobby_store *st, const uint8_t *hash, int64_t now,
                                lobby_principal *out, int64_t *expires_at)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s,
    "SELECT st.id, st.name, st.role, se.expires_at FROM sessions se JOIN staff st "
    "ON st.id = se.staff_id WHERE se.hash = ? AND se.expires_at > ? AND st.disabled = 0", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_blob(q, 1, hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, now);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      memset(out, 0, sizeof *out);
      out->id = sqlite3_column_int64(q, 0);
      snprintf(out->name, sizeof out->name, "%s", sqlite3_column_text(q, 1));
      err = lobby_role_parse((const char *)sqlite3_column_text(q, 2), &out->role);
      *expires_at = sqlite3_column_int64(q, 3);
    } else {
      err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK)
    err = sq__staff_sites(s, out->id, &out->sites);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err session_delete(lobby_store *st, const uint8_t *hash,
                                const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__prepare(s, "DELETE FROM sessions WHERE hash = ?", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_blob(q, 1, hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC);
    err = sq__run(s, q, false);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

void sq__staff_ops(lobby_store_ops *ops)
{
  ops->staff_account_create = staff_account_create;
  ops->staff_auth_get = staff_auth_get;
  ops->staff_set_password = staff_set_password;
  ops->staff_set_disabled = staff_set_disabled;
  ops->staff_list = staff_list;
  ops->session_create = session_create;
  ops->session_lookup = session_lookup;
  ops->session_delete = session_delete;
}
