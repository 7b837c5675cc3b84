/* Console accounts and sessions in the PostgreSQL store, as in
 * store_sqlite_staff.c.  Passwords arrive already hashed (Argon2id
 * strings) and session ids arrive as hashes: the database never holds
 * anything that signs in by itself. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- accounts -------------------------------------------------------- */

typedef struct {
  const char *name;
  lobby_role role;
  const store_site_set *sites;
  const char *password_hash;
  int64_t now;
  const store_audit_entry *audit;
} account_new;

static lobby_err staff_account_create_tx(pq_conn *c, void *arg)
{
  const account_new *a = arg;
  pq_params p = {0};
  pq__text(&p, a->name);
  pq__text(&p, lobby_role_name(a->role));
  pq__text(&p, a->password_hash);
  pq__int(&p, a->now);
  /* A taken name is a unique violation: LOBBY_EDUP, as in SQLite. */
  int64_t id = 0;
  lobby_err err = pq__int64(c, "INSERT INTO staff (name, role, password_hash, created_at) "
                               "VALUES ($1, $2, $3, $4) RETURNING id", &p, &id);
  if (err == LOBBY_OK)
    err = pq__staff_sites_write(c, id, a->sites);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, a->name);
  return err;
}

static lobby_err staff_account_create(lobby_store *st, const char *name, lobby_role role,
                                      const store_site_set *sites, const char *password_hash,
                                      int64_t now, const store_audit_entry *audit)
{
  account_new a = {.name = name, .role = role, .sites = sites, .password_hash = password_hash,
                   .now = now, .audit = audit};
  return pq__transaction(PQ(st), staff_account_create_tx, &a);
}

static lobby_err staff_auth_get(lobby_store *st, const char *name, store_staff_auth *out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  PGresult *res;
  pq_params p = {0};
  memset(out, 0, sizeof *out);
  pq__text(&p, name);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__query(c, "SELECT id, role, COALESCE(password_hash, ''), disabled, "
                     PQ_STAFF_SITE_IDS("staff.id") " FROM staff WHERE name = $1", &p, &res);
  pq__release(s, c);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return LOBBY_ENOTFOUND;
  }
  out->who.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  err = lobby_role_parse(PQgetvalue(res, 0, 1), &out->who.role);
  snprintf(out->who.name, sizeof out->who.name, "%s", name);
  snprintf(out->password_hash, sizeof out->password_hash, "%s", PQgetvalue(res, 0, 2));
  out->disabled = strtoll(PQgetvalue(res, 0, 3), NULL, 10) != 0;
  if (err == LOBBY_OK)
    err = pq__principal_sites(&out->who, PQgetvalue(res, 0, 4));
  PQclear(res);
  return err;
}

/* Ends every session of the member named except keep (NULL: all). */
static lobby_err end_sessions(pq_conn *c, const char *name, const uint8_t *keep)
{
  static const uint8_t none[STORE_TOKEN_HASH_LEN];
  pq_params p = {0};
  pq__bytes(&p, keep ? keep : none, STORE_TOKEN_HASH_LEN);
  pq__text(&p, name);
  return pq__run(c, "DELETE FROM sessions WHERE hash <> $1 AND staff_id = "
                    "(SELECT id FROM staff WHERE name = $2)", &p, false);
}

typedef struct {
  const char *name;
  const char *password_hash;
  const uint8_t *keep;
  bool disabled;
  const store_audit_entry *audit;
} account_change;

/* The new password and the end of the old sessions commit together. */
static lobby_err staff_set_password_tx(pq_conn *c, void *arg)
{
  const account_change *a = arg;
  pq_params p = {0};
  pq__text(&p, a->password_hash);
  pq__text(&p, a->name);
  lobby_err err = pq__run(c, "UPDATE staff SET password_hash = $1 WHERE name = $2", &p, true);
  if (err == LOBBY_OK)
    err = end_sessions(c, a->name, a->keep);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err staff_set_password(lobby_store *st, const char *name, const char *password_hash,
                                    const uint8_t *keep, const store_audit_entry *audit)
{
  account_change a = {.name = name, .password_hash = password_hash, .keep = keep, .audit = audit};
  return pq__transaction(PQ(st), staff_set_password_tx, &a);
}

static lobby_err staff_set_disabled_tx(pq_conn *c, void *arg)
{
  const account_change *a = arg;
  pq_params p = {0}, n = {0};
  pq__int(&p, a->disabled ? 1 : 0);
  pq__text(&p, a->name);
  pq__text(&n, a->name);
  lobby_err err = pq__run(c, "UPDATE staff SET disabled = $1 WHERE name = $2", &p, true);
  if (err == LOBBY_OK && a->disabled)
    err = pq__run(c, "DELETE FROM sessions WHERE staff_id = "
                     "(SELECT id FROM staff WHERE name = $1)", &n, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err staff_set_disabled(lobby_store *st, const char *name, bool disabled,
                                    const store_audit_entry *audit)
{
  account_change a = {.name = name, .disabled = disabled, .audit = audit};
  return pq__transaction(PQ(st), staff_set_disabled_tx, &a);
}

/* Ordered by bytes, as SQLite's BINARY collation orders them, whatever
 * the database's locale.  "sites" lists the member's sites' codes in the
 * order they were made ([]: every site). */
static lobby_err staff_list(lobby_store *st, json_t **out)
{
  return pq__read_all(PQ(st), "SELECT name, role, disabled AS \"disabled?\", created_at, "
                              "password_hash IS NOT NULL AS \"console?\", "
                              "COALESCE((SELECT json_agg(si.code ORDER BY si.id) "
                              "  FROM staff_sites ss JOIN sites si ON si.id = ss.site_id "
                              "  WHERE ss.staff_id = staff.id), '[]'::json) AS sites "
                              "FROM staff ORDER BY role COLLATE \"C\", name COLLATE \"C\"",
                      NULL, out);
}

/* ---- sessions -------------------------------------------------------- */

typedef struct {
  const uint8_t *hash;
  int64_t staff_id, now, expires_at;
  const store_audit_entry *audit;
} session_new;

static lobby_err session_create_tx(pq_conn *c, void *arg)
{
  const session_new *a = arg;
  pq_params sweep = {0}, p = {0};
  /* Expired sessions are swept here, so the table stays small without a
   * separate job. */
  pq__int(&sweep, a->now);
  lobby_err err = pq__run(c, "DELETE FROM sessions WHERE expires_at <= $1", &sweep, false);
  pq__bytes(&p, a->hash, STORE_TOKEN_HASH_LEN);
  pq__int(&p, a->staff_id);
  pq__int(&p, a->now);
  pq__int(&p, a->expires_at);
  if (err == LOBBY_OK)
    err = pq__run(c, "INSERT INTO sessions (hash, staff_id, created_at, expires_at) "
                     "VALUES ($1, $2, $3, $4)", &p, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err session_create(lobby_store *st, const uint8_t *hash, int64_t staff_id,
                                int64_t now, int64_t expires_at, const store_audit_entry *audit)
{
  session_new a = {.hash = hash, .staff_id = staff_id, .now = now, .expires_at = expires_at,
                   .audit = audit};
  return pq__transaction(PQ(st), session_create_tx, &a);
}

static lobby_err session_lookup(lobby_store *st, const uint8_t *hash, int64_t now,
                                lobby_principal *out, int64_t *expires_at)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  PGresult *res;
  pq_params p = {0};
  pq__bytes(&p, hash, STORE_TOKEN_HASH_LEN);
  pq__int(&p, now);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__query(c, "SELECT st.id, st.name, st.role, se.expires_at, "
                     PQ_STAFF_SITE_IDS("st.id") " FROM sessions se JOIN staff st "
                     "ON st.id = se.staff_id WHERE se.hash = $1 AND se.expires_at > $2 "
                     "AND st.disabled = 0", &p, &res);
  pq__release(s, c);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return LOBBY_ENOTFOUND;
  }
  memset(out, 0, sizeof *out);
  out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  snprintf(out->name, sizeof out->name, "%s", PQgetvalue(res, 0, 1));
  err = lobby_role_parse(PQgetvalue(res, 0, 2), &out->role);
  *expires_at = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
  if (err == LOBBY_OK)
    err = pq__principal_sites(out, PQgetvalue(res, 0, 4));
  PQclear(res);
  return err;
}

typedef struct {
  const uint8_t *hash;
  const store_audit_entry *audit;
} session_end;

static lobby_err session_delete_tx(pq_conn *c, void *arg)
{
  const session_end *a = arg;
  pq_params p = {0};
  pq__bytes(&p, a->hash, STORE_TOKEN_HASH_LEN);
  lobby_err err = pq__run(c, "DELETE FROM sessions WHERE hash = $1", &p, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err session_delete(lobby_store *st, const uint8_t *hash,
                                const store_audit_entry *audit)
{
  session_end a = {.hash = hash, .audit = audit};
  return pq__transaction(PQ(st), session_delete_tx, &a);
}

void pq__staff_ops(lobby_store_ops *ops)
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
