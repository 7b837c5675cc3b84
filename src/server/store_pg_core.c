/* The PostgreSQL store's small concerns: tokens, staff by token, kiosks
 * and the audit entry every staff write carries.  Each operation behaves
 * as its twin in store_sqlite.c. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- the audit entry ------------------------------------------------ */

bool pq__audit_statement(const store_audit_entry *e, const char *created, pq_params *p,
                         const char **sql)
{
  if (!e)
    return false;
  const char *target = e->target ? e->target : created;
  pq__int(p, e->at);
  pq__text(p, e->actor ? e->actor : "");
  pq__text(p, e->actor_role ? e->actor_role : "");
  pq__text(p, e->action);
  pq__text(p, target ? target : "");
  pq__text(p, e->detail ? e->detail : "");
  pq__text(p, e->address ? e->address : "");
  *sql = "INSERT INTO audit (at, actor, actor_role, action, target, detail, address) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7)";
  return true;
}

lobby_err pq__audit_insert(pq_conn *c, const store_audit_entry *e, const char *created)
{
  pq_params p = {0};
  const char *sql;
  if (!pq__audit_statement(e, created, &p, &sql))
    return LOBBY_OK;
  return pq__run(c, sql, &p, false);
}

/* ---- tokens and staff ----------------------------------------------- */

/* A principal from the columns role, id, name, building, group, site_id
 * and the staff member's site ids (PQ_STAFF_SITE_IDS; "" for kiosks). */
static lobby_err principal_from(const PGresult *res, lobby_principal *out)
{
  const char *role = PQgetvalue(res, 0, 0);
  memset(out, 0, sizeof *out);
  if (strcmp(role, "kiosk") == 0)
    out->role = ROLE_KIOSK;
  else if (lobby_role_parse(role, &out->role) != LOBBY_OK)
    return LOBBY_EIO;
  out->id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
  snprintf(out->name, sizeof out->name, "%s", PQgetvalue(res, 0, 2));
  snprintf(out->building, sizeof out->building, "%s", PQgetvalue(res, 0, 3));
  snprintf(out->group, sizeof out->group, "%s", PQgetvalue(res, 0, 4));
  out->site_id = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
  return pq__principal_sites(out, PQgetvalue(res, 0, 6));
}

static lobby_err token_lookup(lobby_store *st, const uint8_t *hash, lobby_principal *out)
{
  pq_params p = {0};
  PGresult *res;
  pq__bytes(&p, hash, STORE_TOKEN_HASH_LEN);
  lobby_err err = pq__read_result(PQ(st),
    "SELECT 'kiosk', k.id, k.name, k.building, k.grp, k.site_id, '' FROM tokens t "
    "  JOIN kiosks k ON t.kind = 'kiosk' AND k.id = t.owner_id "
    "  WHERE t.hash = $1 AND t.revoked_at IS NULL AND k.revoked_at IS NULL "
    "UNION ALL "
    "SELECT s.role, s.id, s.name, '', '', 0, " PQ_STAFF_SITE_IDS("s.id") " FROM tokens t "
    "  JOIN staff s "
    "  ON t.kind = 'staff' AND s.id = t.owner_id "
    "  WHERE t.hash = $1 AND t.revoked_at IS NULL AND s.disabled = 0", &p, &res);
  if (err != LOBBY_OK)
    return err;
  err = PQntuples(res) > 0 ? principal_from(res, out) : LOBBY_ENOTFOUND;
  PQclear(res);
  return err;
}

static lobby_err insert_token(pq_conn *c, const char *kind, int64_t owner, const uint8_t *hash,
                              int64_t now)
{
  pq_params p = {0};
  pq__bytes(&p, hash, STORE_TOKEN_HASH_LEN);
  pq__text(&p, kind);
  pq__int(&p, owner);
  pq__int(&p, now);
  return pq__run(c, "INSERT INTO tokens (hash, kind, owner_id, created_at) VALUES ($1, $2, $3, $4)",
                 &p, false);
}

typedef struct {
  const char *name, *building, *group;
  int64_t site_id;             /* kiosks */
  const store_site_set *sites; /* staff */
  lobby_role role;
  const uint8_t *token_hash;
  int64_t now;
  const store_audit_entry *audit;
} holder_new;

static lobby_err staff_create_tx(pq_conn *c, void *arg)
{
  const holder_new *h = arg;
  pq_params p = {0};
  int64_t id;
  pq__text(&p, h->name);
  pq__text(&p, lobby_role_name(h->role));
  pq__int(&p, h->now);
  lobby_err err = pq__int64(c, "INSERT INTO staff (name, role, created_at) VALUES ($1, $2, $3) "
                               "RETURNING id", &p, &id);
  if (err == LOBBY_OK)
    err = insert_token(c, "staff", id, h->token_hash, h->now);
  if (err == LOBBY_OK)
    err = pq__staff_sites_write(c, id, h->sites);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, h->audit, h->name);
  return err;
}

static lobby_err staff_create(lobby_store *st, const char *name, lobby_role role,
                              const store_site_set *sites, const uint8_t *token_hash, int64_t now,
                              const store_audit_entry *audit)
{
  holder_new h = {.name = name, .role = role, .sites = sites, .token_hash = token_hash,
                  .now = now, .audit = audit};
  return pq__transaction(PQ(st), staff_create_tx, &h);
}

static lobby_err staff_find(lobby_store *st, const char *name, lobby_principal *out)
{
  pq_params p = {0};
  PGresult *res;
  pq__text(&p, name);
  lobby_err err = pq__read_result(PQ(st), "SELECT role, id, name, '', '', 0, "
                                      PQ_STAFF_SITE_IDS("staff.id") " FROM staff "
                                      "WHERE name = $1 AND disabled = 0", &p, &res);
  if (err != LOBBY_OK)
    return err;
  err = PQntuples(res) > 0 ? principal_from(res, out) : LOBBY_ENOTFOUND;
  PQclear(res);
  return err;
}

/* ---- kiosks --------------------------------------------------------- */

/* The kiosk's building must be one of its site's (LOBBY_ENOTFOUND). */
static lobby_err kiosk_create_tx(pq_conn *c, void *arg)
{
  const holder_new *h = arg;
  pq_params b = {0}, p = {0};
  int64_t id;
  pq__text(&b, h->building);
  pq__int(&b, h->site_id);
  lobby_err err = pq__exists(c, "SELECT 1 FROM buildings WHERE code = $1 AND site_id = $2", &b);
  pq__text(&p, h->name);
  pq__text(&p, h->building);
  pq__text(&p, h->group ? h->group : "");
  pq__int(&p, h->now);
  pq__int(&p, h->site_id);
  if (err == LOBBY_OK)
    err = pq__int64(c, "INSERT INTO kiosks (name, building, grp, created_at, site_id) "
                       "VALUES ($1, $2, $3, $4, $5) RETURNING id", &p, &id);
  if (err == LOBBY_OK)
    err = insert_token(c, "kiosk", id, h->token_hash, h->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, h->audit, h->name);
  return err;
}

static lobby_err kiosk_create(lobby_store *st, const char *name, const char *building,
                              const char *group, int64_t site_id, const uint8_t *token_hash,
                              int64_t now, const store_audit_entry *audit)
{
  holder_new h = {.name = name, .building = building, .group = group, .site_id = site_id,
                  .token_hash = token_hash, .now = now, .audit = audit};
  return pq__transaction(PQ(st), kiosk_create_tx, &h);
}

static lobby_err kiosk_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT k.id, k.name, k.building, k.grp AS \"group\", s.code AS site, k.created_at, "
    "k.revoked_at, k.last_seen AS last_seen_at, k.version, k.feed_version, k.queued, "
    "k.uptime_s, k.disk_free_mb, k.audio "
    "FROM kiosks k JOIN sites s ON s.id = k.site_id WHERE TRUE", sites, "k.site_id", false,
    " ORDER BY k.name COLLATE \"C\"");
  if (err != LOBBY_OK)
    return err;
  return pq__read_all(PQ(st), sql, NULL, out);
}

static lobby_err kiosk_find(lobby_store *st, const char *name, lobby_principal *out)
{
  pq_params p = {0};
  PGresult *res;
  pq__text(&p, name);
  lobby_err err = pq__read_result(PQ(st), "SELECT 'kiosk', id, name, building, grp, site_id, '' "
                                      "FROM kiosks WHERE name = $1 AND revoked_at IS NULL",
                                  &p, &res);
  if (err != LOBBY_OK)
    return err;
  err = PQntuples(res) > 0 ? principal_from(res, out) : LOBBY_ENOTFOUND;
  PQclear(res);
  return err;
}

typedef struct {
  const char *name;
  int64_t now;
  const store_audit_entry *audit;
} kiosk_revoke_args;

static lobby_err kiosk_revoke_tx(pq_conn *c, void *arg)
{
  const kiosk_revoke_args *a = arg;
  pq_params p = {0};
  pq__int(&p, a->now);
  pq__text(&p, a->name);
  lobby_err err = pq__run(c, "UPDATE kiosks SET revoked_at = $1 "
                             "WHERE name = $2 AND revoked_at IS NULL", &p, true);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err kiosk_revoke(lobby_store *st, const char *name, int64_t now,
                              const store_audit_entry *audit)
{
  kiosk_revoke_args a = {.name = name, .now = now, .audit = audit};
  return pq__transaction(PQ(st), kiosk_revoke_tx, &a);
}

static lobby_err kiosk_heartbeat(lobby_store *st, int64_t kiosk_id, const store_kiosk_status *k,
                                 int64_t now)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  pq_params p = {0};
  pq__int(&p, now);
  pq__text(&p, k->version);
  pq__text(&p, k->feed_version);
  pq__int(&p, k->queued);
  pq__int(&p, kiosk_id);
  pq__int(&p, k->uptime_s);
  pq__int(&p, k->disk_free_mb);
  pq__text(&p, k->audio);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__run(c, "UPDATE kiosks SET last_seen = $1, version = $2, feed_version = $3, "
                   "queued = $4, uptime_s = NULLIF($6::bigint, -1), disk_free_mb = NULLIF($7::bigint, -1), "
                   "audio = $8 WHERE id = $5", &p, false);
  pq__release(s, c);
  return err;
}

void pq__core_ops(lobby_store_ops *ops)
{
  ops->token_lookup = token_lookup;
  ops->staff_create = staff_create;
  ops->staff_find = staff_find;
  ops->kiosk_create = kiosk_create;
  ops->kiosk_list = kiosk_list;
  ops->kiosk_find = kiosk_find;
  ops->kiosk_revoke = kiosk_revoke;
  ops->kiosk_heartbeat = kiosk_heartbeat;
}
