/* The PostgreSQL store's small concerns: tokens, staff by token, kiosks,
 * the building directory and the audit entry every staff write carries.
 * Each operation behaves as its twin in store_sqlite.c. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- the audit entry ------------------------------------------------ */

lobby_err pq__audit_insert(pq_conn *c, const store_audit_entry *e, const char *created)
{
  if (!e)
    return LOBBY_OK;
  const char *target = e->target ? e->target : created;
  pq_params p = {0};
  pq__int(&p, e->at);
  pq__text(&p, e->actor ? e->actor : "");
  pq__text(&p, e->actor_role ? e->actor_role : "");
  pq__text(&p, e->action);
  pq__text(&p, target ? target : "");
  pq__text(&p, e->detail ? e->detail : "");
  pq__text(&p, e->address ? e->address : "");
  return pq__run(c, "INSERT INTO audit (at, actor, actor_role, action, target, detail, address) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7)", &p, false);
}

static lobby_err exists(pq_conn *c, const char *sql, const pq_params *p)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  err = PQntuples(res) > 0 ? LOBBY_OK : LOBBY_ENOTFOUND;
  PQclear(res);
  return err;
}

/* ---- tokens and staff ----------------------------------------------- */

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
  return LOBBY_OK;
}

static lobby_err token_lookup(lobby_store *st, const uint8_t *hash, lobby_principal *out)
{
  pq_params p = {0};
  PGresult *res;
  pq__bytes(&p, hash, STORE_TOKEN_HASH_LEN);
  lobby_err err = pq__read_result(PQ(st),
    "SELECT 'kiosk', k.id, k.name, k.building, k.grp FROM tokens t JOIN kiosks k "
    "  ON t.kind = 'kiosk' AND k.id = t.owner_id "
    "  WHERE t.hash = $1 AND t.revoked_at IS NULL AND k.revoked_at IS NULL "
    "UNION ALL "
    "SELECT s.role, s.id, s.name, '', '' FROM tokens t JOIN staff s "
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
    err = pq__audit_insert(c, h->audit, h->name);
  return err;
}

static lobby_err staff_create(lobby_store *st, const char *name, lobby_role role,
                              const uint8_t *token_hash, int64_t now,
                              const store_audit_entry *audit)
{
  holder_new h = {.name = name, .role = role, .token_hash = token_hash, .now = now, .audit = audit};
  return pq__transaction(PQ(st), staff_create_tx, &h);
}

static lobby_err staff_find(lobby_store *st, const char *name, lobby_principal *out)
{
  pq_params p = {0};
  PGresult *res;
  pq__text(&p, name);
  lobby_err err = pq__read_result(PQ(st), "SELECT role, id, name, '', '' FROM staff "
                                      "WHERE name = $1 AND disabled = 0", &p, &res);
  if (err != LOBBY_OK)
    return err;
  err = PQntuples(res) > 0 ? principal_from(res, out) : LOBBY_ENOTFOUND;
  PQclear(res);
  return err;
}

/* ---- kiosks --------------------------------------------------------- */

static lobby_err kiosk_create_tx(pq_conn *c, void *arg)
{
  const holder_new *h = arg;
  pq_params b = {0}, p = {0};
  int64_t id;
  pq__text(&b, h->building);
  lobby_err err = exists(c, "SELECT 1 FROM buildings WHERE code = $1", &b);
  pq__text(&p, h->name);
  pq__text(&p, h->building);
  pq__text(&p, h->group ? h->group : "");
  pq__int(&p, h->now);
  if (err == LOBBY_OK)
    err = pq__int64(c, "INSERT INTO kiosks (name, building, grp, created_at) "
                       "VALUES ($1, $2, $3, $4) RETURNING id", &p, &id);
  if (err == LOBBY_OK)
    err = insert_token(c, "kiosk", id, h->token_hash, h->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, h->audit, h->name);
  return err;
}

static lobby_err kiosk_create(lobby_store *st, const char *name, const char *building,
                              const char *group, const uint8_t *token_hash, int64_t now,
                              const store_audit_entry *audit)
{
  holder_new h = {.name = name, .building = building, .group = group, .token_hash = token_hash,
                  .now = now, .audit = audit};
  return pq__transaction(PQ(st), kiosk_create_tx, &h);
}

static lobby_err kiosk_list(lobby_store *st, json_t **out)
{
  return pq__read_all(PQ(st),
    "SELECT id, name, building, grp AS \"group\", created_at, revoked_at, "
    "last_seen AS last_seen_at, version, feed_version, queued FROM kiosks ORDER BY name", NULL, out);
}

static lobby_err kiosk_find(lobby_store *st, const char *name, lobby_principal *out)
{
  pq_params p = {0};
  PGresult *res;
  pq__text(&p, name);
  lobby_err err = pq__read_result(PQ(st), "SELECT 'kiosk', id, name, building, grp FROM kiosks "
                                      "WHERE name = $1 AND revoked_at IS NULL", &p, &res);
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

static lobby_err kiosk_heartbeat(lobby_store *st, int64_t kiosk_id, const char *version,
                                 const char *feed_version, int queued, int64_t now)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  pq_params p = {0};
  pq__int(&p, now);
  pq__text(&p, version);
  pq__text(&p, feed_version);
  pq__int(&p, queued);
  pq__int(&p, kiosk_id);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__run(c, "UPDATE kiosks SET last_seen = $1, version = $2, feed_version = $3, "
                   "queued = $4 WHERE id = $5", &p, false);
  pq__release(s, c);
  return err;
}

/* ---- the directory -------------------------------------------------- */

/* The member of arr whose "code" is code, or NULL. */
static json_t *by_code(json_t *arr, const char *code)
{
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    if (strcmp(json_string_value(json_object_get(v, "code")), code) == 0)
      return v;
  }
  return NULL;
}

/* Three ordered reads, nested in C: buildings hold units, units rooms. */
static lobby_err directory_read(pq_conn *c, json_t **out)
{
  json_t *buildings = NULL, *units = NULL, *rooms = NULL;
  lobby_err err = pq__collect(c, "SELECT code, name, requires_approval AS \"requires_approval?\" "
                                 "FROM buildings ORDER BY sort, code", NULL, &buildings);
  if (err == LOBBY_OK)
    err = pq__collect(c, "SELECT building, code FROM units ORDER BY building, sort, code", NULL,
                      &units);
  if (err == LOBBY_OK)
    err = pq__collect(c, "SELECT building, unit, code FROM rooms "
                         "ORDER BY building, unit, sort, code", NULL, &rooms);
  if (err != LOBBY_OK) {
    json_decref(buildings);
    json_decref(units);
    return err;
  }
  size_t i;
  json_t *b, *u, *r;
  json_array_foreach(buildings, i, b) json_object_set_new(b, "units", json_array());
  json_array_foreach(units, i, u) {
    b = by_code(buildings, json_string_value(json_object_get(u, "building")));
    json_array_append_new(json_object_get(b, "units"),
                          json_pack("{s:O, s:[]}", "code", json_object_get(u, "code"), "rooms"));
  }
  json_array_foreach(rooms, i, r) {
    b = by_code(buildings, json_string_value(json_object_get(r, "building")));
    u = b ? by_code(json_object_get(b, "units"), json_string_value(json_object_get(r, "unit"))) : NULL;
    if (u)
      json_array_append(json_object_get(u, "rooms"), json_object_get(r, "code"));
  }
  json_decref(units);
  json_decref(rooms);
  *out = buildings;
  return LOBBY_OK;
}

static lobby_err directory_get(lobby_store *st, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  /* One snapshot for the three reads, so a replacement committed between
   * them cannot mix two directories. */
  err = pq__exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (err == LOBBY_OK)
    err = directory_read(c, out);
  err = pq__end(c, err);
  pq__release(s, c);
  return err;
}

static lobby_err insert_row(pq_conn *c, const char *sql, const char *a, const char *b,
                            const char *d, int64_t sort)
{
  pq_params p = {0};
  pq__text(&p, a);
  pq__text(&p, b);
  if (d)
    pq__text(&p, d);
  pq__int(&p, sort);
  return pq__run(c, sql, &p, false);
}

static lobby_err directory_insert_building(pq_conn *c, json_t *b, int64_t sort)
{
  const char *code = json_string_value(json_object_get(b, "code"));
  const char *approval = json_is_true(json_object_get(b, "requires_approval")) ? "1" : "0";
  lobby_err err = insert_row(c, "INSERT INTO buildings (code, name, requires_approval, sort) "
                                "VALUES ($1, $2, $3, $4)",
                             code, json_string_value(json_object_get(b, "name")), approval, sort);
  size_t i, j;
  json_t *unit, *room;
  json_array_foreach(json_object_get(b, "units"), i, unit) {
    const char *ucode = json_string_value(json_object_get(unit, "code"));
    if (err == LOBBY_OK)
      err = insert_row(c, "INSERT INTO units (building, code, sort) VALUES ($1, $2, $3)", code,
                       ucode, NULL, (int64_t)i);
    json_array_foreach(json_object_get(unit, "rooms"), j, room) {
      if (err == LOBBY_OK)
        err = insert_row(c, "INSERT INTO rooms (building, unit, code, sort) "
                            "VALUES ($1, $2, $3, $4)", code, ucode, json_string_value(room),
                         (int64_t)j);
    }
  }
  return err;
}

typedef struct {
  json_t *buildings;
  const store_audit_entry *audit;
} directory_args;

/* Buildings that kiosks still belong to cannot disappear (LOBBY_ECONFLICT). */
static lobby_err directory_replace_tx(pq_conn *c, void *arg)
{
  const directory_args *a = arg;
  lobby_err err = pq__exec(c, "DELETE FROM rooms; DELETE FROM units; DELETE FROM buildings;");
  size_t i;
  json_t *b;
  json_array_foreach(a->buildings, i, b) {
    if (err == LOBBY_OK)
      err = directory_insert_building(c, b, (int64_t)i);
  }
  if (err == LOBBY_OK) {
    err = exists(c, "SELECT 1 FROM kiosks WHERE revoked_at IS NULL AND building NOT IN "
                    "(SELECT code FROM buildings) LIMIT 1", NULL);
    err = err == LOBBY_OK ? LOBBY_ECONFLICT : err == LOBBY_ENOTFOUND ? LOBBY_OK : err;
  }
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err directory_replace(lobby_store *st, json_t *buildings,
                                   const store_audit_entry *audit)
{
  directory_args a = {.buildings = buildings, .audit = audit};
  return pq__transaction(PQ(st), directory_replace_tx, &a);
}

static lobby_err building_get(lobby_store *st, const char *code, json_t **out)
{
  pq_params p = {0};
  pq__text(&p, code);
  return pq__read_one(PQ(st), "SELECT code, name, requires_approval AS \"requires_approval?\" "
                              "FROM buildings WHERE code = $1", &p, out);
}

static lobby_err unit_check(lobby_store *st, const store_unit_ref *u, bool room_required)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  pq_params p = {0};
  const char *sql;
  pq__text(&p, u->building);
  if (room_required) {
    sql = "SELECT 1 FROM rooms WHERE building = $1 AND unit = $2 AND code = $3";
    pq__text(&p, u->unit);
    pq__text(&p, u->room);
  } else if (u->unit && *u->unit) {
    sql = "SELECT 1 FROM units WHERE building = $1 AND code = $2";
    pq__text(&p, u->unit);
  } else {
    sql = "SELECT 1 FROM buildings WHERE code = $1";
  }
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = exists(c, sql, &p);
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
  ops->directory_get = directory_get;
  ops->directory_replace = directory_replace;
  ops->building_get = building_get;
  ops->unit_check = unit_check;
}
