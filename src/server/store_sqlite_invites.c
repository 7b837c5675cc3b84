/* The desk's invites in the SQLite store: the list it shows and revoking
 * one not yet used (creating and using them are store_sqlite_visits.c's,
 * with the visits they become). */
#include "store_sqlite_internal.h"

#define INVITE_COLUMNS                                                                 \
  "i.code, i.name, i.phone, i.host, i.purpose, i.party_size, i.plate, i.created_by, "  \
  "i.created_at, i.valid_until AS valid_until_at, i.used_at, i.visit_id, i.revoked_at, " \
  "(SELECT code FROM sites WHERE sites.id = i.site_id) AS site"

static lobby_err invite_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s, "SELECT " INVITE_COLUMNS " FROM invites i "
                                          "WHERE i.anonymised_at IS NULL{sites} "
                                          "ORDER BY i.created_at DESC LIMIT 200",
                                       sites, "i.site_id", false, &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err revoke_in_tx(sq_store *s, const char *code, const store_site_set *sites,
                              int64_t now)
{
  sqlite3_stmt *q;
  json_t *row = NULL;
  lobby_err err = sq__prepare_in_sites(s, "SELECT used_at, revoked_at FROM invites "
                                          "WHERE code = ?{sites}", sites, "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, code);
  if ((err = sq__one(q, &row)) != LOBBY_OK)
    return err;
  bool open = json_is_null(json_object_get(row, "used_at")) &&
              json_is_null(json_object_get(row, "revoked_at"));
  json_decref(row);
  if (!open)
    return LOBBY_ECONFLICT;
  err = sq__prepare(s, "UPDATE invites SET revoked_at = ?1 WHERE code = ?2", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, now);
  sq__bind_text(q, 2, code);
  return sq__run(s, q, true);
}

static lobby_err invite_revoke(lobby_store *st, const char *code, const store_site_set *sites,
                               int64_t now, const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = revoke_in_tx(s, code, sites, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

void sq__invite_ops(lobby_store_ops *ops)
{
  ops->invite_list = invite_list;
  ops->invite_revoke = invite_revoke;
}
