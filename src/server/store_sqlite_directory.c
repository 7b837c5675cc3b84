/* The building directory in the SQLite store: buildings, units and rooms,
 * each building belonging to one site.  Building codes are unique across
 * sites, so repairs, kiosks and notices name a building by code alone. */
#include <stdio.h>
#include "store_records.h"
#include "store_sqlite_internal.h"

static lobby_err directory_rooms(sq_store *s, json_t *unit, const char *building)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT code FROM rooms WHERE building = ? AND unit = ? "
                                 "ORDER BY sort, code", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, building);
  sq__bind_text(q, 2, json_string_value(json_object_get(unit, "code")));
  json_t *rooms = json_array();
  while (sqlite3_step(q) == SQLITE_ROW)
    json_array_append_new(rooms, json_string((const char *)sqlite3_column_text(q, 0)));
  sqlite3_finalize(q);
  json_object_set_new(unit, "rooms", rooms);
  return LOBBY_OK;
}

static lobby_err directory_units(sq_store *s, json_t *building)
{
  sqlite3_stmt *q;
  json_t *units;
  const char *code = json_string_value(json_object_get(building, "code"));
  lobby_err err = sq__prepare(s, "SELECT code FROM units WHERE building = ? ORDER BY sort, code", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, code);
  if ((err = sq__collect(q, &units)))
    return err;
  size_t i;
  json_t *unit;
  json_array_foreach(units, i, unit) {
    if ((err = directory_rooms(s, unit, code))) {
      json_decref(units);
      return err;
    }
  }
  json_object_set_new(building, "units", units);
  return LOBBY_OK;
}

static lobby_err directory_get(lobby_store *st, const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  json_t *buildings = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT b.code, b.name, b.requires_approval AS \"requires_approval?\", s.code AS site "
    "FROM buildings b JOIN sites s ON s.id = b.site_id WHERE 1 = 1{sites} "
    "ORDER BY b.site_id, b.sort, b.code", sites, "b.site_id", false, &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, &buildings);
  size_t i;
  json_t *b;
  if (err == LOBBY_OK)
    json_array_foreach(buildings, i, b) {
      if ((err = directory_units(s, b)))
        break;
    }
  SQ_UNLOCK(s);
  if (err != LOBBY_OK) {
    json_decref(buildings);
    return err;
  }
  *out = buildings;
  return LOBBY_OK;
}

static lobby_err run_insert(sq_store *s, const char *sql, const char *a, const char *b,
                            const char *c, int64_t sort)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, sql, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, a);
  sq__bind_text(q, 2, b);
  sq__bind_text(q, 3, c);
  sqlite3_bind_int64(q, 4, sort);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? LOBBY_OK : rc == SQLITE_CONSTRAINT ? LOBBY_EDUP : LOBBY_EIO;
}

static lobby_err directory_insert_building(sq_store *s, int64_t site_id, json_t *b, int64_t sort)
{
  const char *code = json_string_value(json_object_get(b, "code"));
  char approval[2] = {json_is_true(json_object_get(b, "requires_approval")) ? '1' : '0', 0};
  char insert[160];
  snprintf(insert, sizeof insert, "INSERT INTO buildings (code, name, requires_approval, sort, "
                                  "site_id) VALUES (?, ?, ?, ?, %lld)", (long long)site_id);
  lobby_err err = run_insert(s, insert, code, json_string_value(json_object_get(b, "name")),
                             approval, sort);
  size_t i, j;
  json_t *unit, *room;
  json_array_foreach(json_object_get(b, "units"), i, unit) {
    const char *ucode = json_string_value(json_object_get(unit, "code"));
    if (err == LOBBY_OK)
      err = run_insert(s, "INSERT INTO units (building, code, sort) VALUES (?1, ?2, ?4)",
                       code, ucode, NULL, (int64_t)i);
    json_array_foreach(json_object_get(unit, "rooms"), j, room) {
      if (err == LOBBY_OK)
        err = run_insert(s, "INSERT INTO rooms (building, unit, code, sort) VALUES (?, ?, ?, ?)",
                         code, ucode, json_string_value(room), (int64_t)j);
    }
  }
  return err;
}

static lobby_err delete_site_buildings(sq_store *s, int64_t site_id)
{
  static const char *const deletes[] = {
    "DELETE FROM rooms WHERE building IN (SELECT code FROM buildings WHERE site_id = ?)",
    "DELETE FROM units WHERE building IN (SELECT code FROM buildings WHERE site_id = ?)",
    "DELETE FROM buildings WHERE site_id = ?",
  };
  lobby_err err = LOBBY_OK;
  for (size_t i = 0; err == LOBBY_OK && i < sizeof deletes / sizeof deletes[0]; i++) {
    sqlite3_stmt *q;
    err = sq__prepare(s, deletes[i], &q);
    if (err == LOBBY_OK) {
      sqlite3_bind_int64(q, 1, site_id);
      err = sq__run(s, q, false);
    }
  }
  return err;
}

/* Replaces one site's buildings in one transaction.  Buildings that kiosks
 * still belong to cannot disappear (LOBBY_ECONFLICT); a code that is
 * another site's building fails the insert's uniqueness (LOBBY_EDUP). */
static lobby_err directory_replace(lobby_store *st, int64_t site_id, json_t *buildings,
                                   const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = delete_site_buildings(s, site_id);
  size_t i;
  json_t *b;
  json_array_foreach(buildings, i, b) {
    if (err == LOBBY_OK)
      err = directory_insert_building(s, site_id, b, (int64_t)i);
  }

  if (err == LOBBY_OK) {
    sqlite3_stmt *q;
    err = sq__prepare(s, "SELECT 1 FROM kiosks WHERE revoked_at IS NULL AND building NOT IN "
                         "(SELECT code FROM buildings) LIMIT 1", &q);
    if (err == LOBBY_OK) {
      if (sqlite3_step(q) == SQLITE_ROW)
        err = LOBBY_ECONFLICT;
      sqlite3_finalize(q);
    }
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err building_get(lobby_store *st, const char *code, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT code, name, requires_approval AS \"requires_approval?\" "
                                 "FROM buildings WHERE code = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, code);
    err = sq__one(q, out);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err building_site(lobby_store *st, const char *code, int64_t *site_id)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT site_id FROM buildings WHERE code = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, code);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
      *site_id = sqlite3_column_int64(q, 0);
    err = rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err unit_check(lobby_store *st, const store_unit_ref *u, bool room_required)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  const char *sql;
  if (room_required)
    sql = "SELECT 1 FROM rooms WHERE building = ?1 AND unit = ?2 AND code = ?3";
  else if (u->unit && *u->unit)
    sql = "SELECT 1 FROM units WHERE building = ?1 AND code = ?2";
  else
    sql = "SELECT 1 FROM buildings WHERE code = ?1";
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, sql, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, u->building);
    if (sqlite3_bind_parameter_count(q) >= 2)
      sq__bind_text(q, 2, u->unit);
    if (sqlite3_bind_parameter_count(q) >= 3)
      sq__bind_text(q, 3, u->room);
    int rc = sqlite3_step(q);
    err = rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

void sq__directory_ops(lobby_store_ops *ops)
{
  ops->directory_get = directory_get;
  ops->directory_replace = directory_replace;
  ops->building_get = building_get;
  ops->building_site = building_site;
  ops->unit_check = unit_check;
}
