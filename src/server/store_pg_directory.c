/* The building directory in the PostgreSQL store, as
 * store_sqlite_directory.c: buildings, units and rooms, each building
 * belonging to one site.  Building codes are unique across sites, so
 * repairs, kiosks and notices name a building by code alone. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <string.h>

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

/* The three statements of a directory read, kept to the sites of the set. */
typedef struct {
  char buildings[PQ_SITE_SQL_SIZE], units[PQ_SITE_SQL_SIZE], rooms[PQ_SITE_SQL_SIZE];
} directory_sql;

static lobby_err directory_statements(const store_site_set *sites, directory_sql *q)
{
  lobby_err err = pq__site_sql(q->buildings, sizeof q->buildings,
    "SELECT b.code, b.name, b.requires_approval AS \"requires_approval?\", s.code AS site "
    "FROM buildings b JOIN sites s ON s.id = b.site_id WHERE TRUE", sites, "b.site_id", false,
    " ORDER BY b.site_id, b.sort, b.code");
  if (err == LOBBY_OK)
    err = pq__site_sql(q->units, sizeof q->units,
      "SELECT u.building, u.code FROM units u JOIN buildings b ON b.code = u.building "
      "WHERE TRUE", sites, "b.site_id", false, " ORDER BY u.building, u.sort, u.code");
  if (err == LOBBY_OK)
    err = pq__site_sql(q->rooms, sizeof q->rooms,
      "SELECT r.building, r.unit, r.code FROM rooms r JOIN buildings b ON b.code = r.building "
      "WHERE TRUE", sites, "b.site_id", false, " ORDER BY r.building, r.unit, r.sort, r.code");
  return err;
}

/* Three ordered reads, nested in C: buildings hold units, units rooms. */
static lobby_err directory_read(pq_conn *c, const directory_sql *q, json_t **out)
{
  json_t *buildings = NULL, *units = NULL, *rooms = NULL;
  lobby_err err = pq__collect(c, q->buildings, NULL, &buildings);
  if (err == LOBBY_OK)
    err = pq__collect(c, q->units, NULL, &units);
  if (err == LOBBY_OK)
    err = pq__collect(c, q->rooms, NULL, &rooms);
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

static lobby_err directory_get(lobby_store *st, const store_site_set *sites, json_t **out)
{
  directory_sql q;
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = directory_statements(sites, &q);
  if (err == LOBBY_OK)
    err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  /* One snapshot for the three reads, so a replacement committed between
   * them cannot mix two directories. */
  err = pq__exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (err == LOBBY_OK)
    err = directory_read(c, &q, out);
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

static lobby_err insert_building(pq_conn *c, int64_t site_id, json_t *b, int64_t sort)
{
  pq_params p = {0};
  pq__text(&p, json_string_value(json_object_get(b, "code")));
  pq__text(&p, json_string_value(json_object_get(b, "name")));
  pq__int(&p, json_is_true(json_object_get(b, "requires_approval")) ? 1 : 0);
  pq__int(&p, sort);
  pq__int(&p, site_id);
  return pq__run(c, "INSERT INTO buildings (code, name, requires_approval, sort, site_id) "
                    "VALUES ($1, $2, $3, $4, $5)", &p, false);
}

static lobby_err directory_insert_building(pq_conn *c, int64_t site_id, json_t *b, int64_t sort)
{
  const char *code = json_string_value(json_object_get(b, "code"));
  lobby_err err = insert_building(c, site_id, b, sort);
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

static lobby_err delete_site_buildings(pq_conn *c, int64_t site_id)
{
  pq_params p = {0};
  pq__int(&p, site_id);
  lobby_err err = pq__run(c, "DELETE FROM rooms WHERE building IN "
                             "(SELECT code FROM buildings WHERE site_id = $1)", &p, false);
  if (err == LOBBY_OK)
    err = pq__run(c, "DELETE FROM units WHERE building IN "
                     "(SELECT code FROM buildings WHERE site_id = $1)", &p, false);
  if (err == LOBBY_OK)
    err = pq__run(c, "DELETE FROM buildings WHERE site_id = $1", &p, false);
  return err;
}

typedef struct {
  int64_t site_id;
  json_t *buildings;
  const store_audit_entry *audit;
} directory_args;

/* Buildings that kiosks still belong to cannot disappear
 * (LOBBY_ECONFLICT); a code that repeats or is another site's building
 * fails the insert's uniqueness (LOBBY_EDUP).  Two replacements inserting
 * one new code (from two lobbyd instances) meet at the primary key: the
 * second waits for the first and fails if it committed. */
static lobby_err directory_replace_tx(pq_conn *c, void *arg)
{
  const directory_args *a = arg;
  lobby_err err = delete_site_buildings(c, a->site_id);
  size_t i;
  json_t *b;
  json_array_foreach(a->buildings, i, b) {
    if (err == LOBBY_OK)
      err = directory_insert_building(c, a->site_id, b, (int64_t)i);
  }
  if (err == LOBBY_OK) {
    err = pq__exists(c, "SELECT 1 FROM kiosks WHERE revoked_at IS NULL AND building NOT IN "
                        "(SELECT code FROM buildings) LIMIT 1", NULL);
    err = err == LOBBY_OK ? LOBBY_ECONFLICT : err == LOBBY_ENOTFOUND ? LOBBY_OK : err;
  }
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err directory_replace(lobby_store *st, int64_t site_id, json_t *buildings,
                                   const store_audit_entry *audit)
{
  directory_args a = {.site_id = site_id, .buildings = buildings, .audit = audit};
  return pq__transaction(PQ(st), directory_replace_tx, &a);
}

static lobby_err building_get(lobby_store *st, const char *code, json_t **out)
{
  pq_params p = {0};
  pq__text(&p, code);
  return pq__read_one(PQ(st), "SELECT code, name, requires_approval AS \"requires_approval?\" "
                              "FROM buildings WHERE code = $1", &p, out);
}

static lobby_err building_site(lobby_store *st, const char *code, int64_t *site_id)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  pq_params p = {0};
  pq__text(&p, code);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__int64(c, "SELECT site_id FROM buildings WHERE code = $1", &p, site_id);
  pq__release(s, c);
  return err;
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
  err = pq__exists(c, sql, &p);
  pq__release(s, c);
  return err;
}

void pq__directory_ops(lobby_store_ops *ops)
{
  ops->directory_get = directory_get;
  ops->directory_replace = directory_replace;
  ops->building_get = building_get;
  ops->building_site = building_site;
  ops->unit_check = unit_check;
}
