/* The desk's invites in the PostgreSQL store, as in
 * store_sqlite_invites.c: the list it shows and revoking one not yet
 * used. */
#include "store_pg_internal.h"

#define INVITE_COLUMNS                                                                 \
  "i.code, i.name, i.phone, i.host, i.purpose, i.party_size, i.plate, i.created_by, "  \
  "i.created_at, i.valid_until AS valid_until_at, i.used_at, i.visit_id, i.revoked_at, " \
  "(SELECT code FROM sites WHERE sites.id = i.site_id) AS site"

static lobby_err invite_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " INVITE_COLUMNS " FROM invites i "
                               "WHERE i.anonymised_at IS NULL", sites, "i.site_id", false,
                               " ORDER BY i.created_at DESC LIMIT 200");
  if (err == LOBBY_OK)
    err = pq__read_all(PQ(st), sql, NULL, out);
  return err;
}

typedef struct {
  const char *code;
  const store_site_set *sites;
  int64_t now;
  const store_audit_entry *audit;
} revoke_args;

static lobby_err revoke_tx(pq_conn *c, void *arg)
{
  const revoke_args *a = arg;
  char sql[PQ_SITE_SQL_SIZE];
  json_t *row = NULL;
  pq_params p = {0};
  pq__text(&p, a->code);
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT used_at, revoked_at FROM invites "
                               "WHERE code = $1", a->sites, "site_id", false, " FOR UPDATE");
  if (err == LOBBY_OK)
    err = pq__one(c, sql, &p, &row);
  if (err != LOBBY_OK)
    return err;
  bool open = json_is_null(json_object_get(row, "used_at")) &&
              json_is_null(json_object_get(row, "revoked_at"));
  json_decref(row);
  if (!open)
    return LOBBY_ECONFLICT;
  pq__int(&p, a->now);
  err = pq__run(c, "UPDATE invites SET revoked_at = $2 WHERE code = $1", &p, true);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err invite_revoke(lobby_store *st, const char *code, const store_site_set *sites,
                               int64_t now, const store_audit_entry *audit)
{
  revoke_args a = {.code = code, .sites = sites, .now = now, .audit = audit};
  return pq__transaction(PQ(st), revoke_tx, &a);
}

void pq__invite_ops(lobby_store_ops *ops)
{
  ops->invite_list = invite_list;
  ops->invite_revoke = invite_revoke;
}
