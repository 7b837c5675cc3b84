/* Sites (compounds) in the PostgreSQL store, as store_sqlite_sites.c: the
 * sites table, which sites a staff member works for, and the principal's
 * reach built from them. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest statement kept to sites (repair_list's, under 1000 bytes)
 * fits with the longest condition: a set's most ids, each of 19 digits. */
_Static_assert(PQ_SITE_SQL_SIZE >= STORE_SITE_CLAUSE_SIZE + 1024, "site statements fit");

lobby_err pq__site_sql(char *sql, size_t size, const char *head, const store_site_set *sites,
                       const char *column, bool or_null, const char *tail)
{
  char where[STORE_SITE_CLAUSE_SIZE];
  lobby_err err = store_site_clause(sites, column, or_null, where, sizeof where);
  if (err != LOBBY_OK)
    return err;
  int n = snprintf(sql, size, "%s%s%s", head, where, tail);
  return n > 0 && (size_t)n < size ? LOBBY_OK : LOBBY_EINVAL;
}

lobby_err pq__principal_sites(lobby_principal *p, const char *ids)
{
  if (p->role == ROLE_KIOSK) {
    p->sites = store_site_one(p->site_id);
    return LOBBY_OK;
  }
  p->site_id = 0;
  p->sites.count = 0;
  /* Only ids this database handed out, comma-separated, are read here. */
  while (ids && *ids) {
    char *end;
    long long id = strtoll(ids, &end, 10);
    if (end == ids || p->sites.count >= STORE_SITES_MAX)
      return LOBBY_EIO;
    p->sites.id[p->sites.count++] = id;
    ids = *end == ',' ? end + 1 : end;
  }
  return LOBBY_OK;
}

/* ---- reading sites --------------------------------------------------- */

#define SITE_COLUMNS                                                          \
  "id, code, name, service_phone, workday_start_min, workday_end_min, "     \
  "auto_checkout_hours, retention_days"

/* An optional number of a site: -1 when NULL. */
static int hours_of(const PGresult *res, int col)
{
  return PQgetisnull(res, 0, col) ? -1 : (int)strtol(PQgetvalue(res, 0, col), NULL, 10);
}

static lobby_err site_find(lobby_store *st, const char *sql, const pq_params *p, store_site *out)
{
  PGresult *res;
  lobby_err err = pq__read_result(PQ(st), sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return LOBBY_ENOTFOUND;
  }
  memset(out, 0, sizeof *out);
  out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  snprintf(out->code, sizeof out->code, "%s", PQgetvalue(res, 0, 1));
  snprintf(out->name, sizeof out->name, "%s", PQgetvalue(res, 0, 2));
  snprintf(out->service_phone, sizeof out->service_phone, "%s", PQgetvalue(res, 0, 3));
  out->workday_start_min = hours_of(res, 4);
  out->workday_end_min = hours_of(res, 5);
  out->auto_checkout_hours = hours_of(res, 6);
  out->retention_days = hours_of(res, 7);
  PQclear(res);
  return LOBBY_OK;
}

static lobby_err site_get(lobby_store *st, const char *code, store_site *out)
{
  pq_params p = {0};
  pq__text(&p, code);
  return site_find(st, "SELECT " SITE_COLUMNS " FROM sites WHERE code = $1", &p, out);
}

static lobby_err site_get_by_id(lobby_store *st, int64_t id, store_site *out)
{
  pq_params p = {0};
  pq__int(&p, id);
  return site_find(st, "SELECT " SITE_COLUMNS " FROM sites WHERE id = $1", &p, out);
}

static lobby_err site_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
                               "SELECT " SITE_COLUMNS " FROM sites WHERE TRUE", sites, "id", false,
                               " ORDER BY id");
  if (err != LOBBY_OK)
    return err;
  return pq__read_all(PQ(st), sql, NULL, out);
}

/* ---- changing sites -------------------------------------------------- */

static void hours_param(pq_params *p, int minutes)
{
  if (minutes < 0)
    pq__null(p);
  else
    pq__int(p, minutes);
}

typedef struct {
  const store_site *site;
  int64_t *id;                 /* create: the new site's id */
  int64_t now;
  const store_audit_entry *audit;
} site_args;

/* What staff set on a site, as $1 to $7 of both the insert and the
 * update: name, phone, working day, visitor settings and the code. */
static void site_params(pq_params *p, const store_site *site)
{
  pq__text(p, site->name);
  pq__text(p, site->service_phone);
  hours_param(p, site->workday_start_min);
  hours_param(p, site->workday_end_min);
  hours_param(p, site->auto_checkout_hours);
  hours_param(p, site->retention_days);
  pq__text(p, site->code);
}

/* A taken code is a unique violation: LOBBY_EDUP. */
static lobby_err site_create_tx(pq_conn *c, void *arg)
{
  site_args *a = arg;
  pq_params p = {0};
  site_params(&p, a->site);
  pq__int(&p, a->now);
  lobby_err err = pq__int64(c, "INSERT INTO sites (name, service_phone, workday_start_min, "
                               "workday_end_min, auto_checkout_hours, retention_days, code, created_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", &p, a->id);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, a->site->code);
  return err;
}

static lobby_err site_create(lobby_store *st, store_site *s, int64_t now,
                             const store_audit_entry *audit)
{
  site_args a = {.site = s, .id = &s->id, .now = now, .audit = audit};
  return pq__transaction(PQ(st), site_create_tx, &a);
}

static lobby_err site_update_tx(pq_conn *c, void *arg)
{
  site_args *a = arg;
  pq_params p = {0};
  site_params(&p, a->site);
  lobby_err err = pq__run(c, "UPDATE sites SET name = $1, service_phone = $2, "
                             "workday_start_min = $3, workday_end_min = $4, "
                             "auto_checkout_hours = $5, retention_days = $6 WHERE code = $7",
                          &p, true);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, a->site->code);
  return err;
}

static lobby_err site_update(lobby_store *st, const store_site *s, const store_audit_entry *audit)
{
  site_args a = {.site = s, .audit = audit};
  return pq__transaction(PQ(st), site_update_tx, &a);
}

typedef struct {
  const char *name;
  const store_site_set *sites;
  const store_audit_entry *audit;
} staff_sites_args;

lobby_err pq__staff_sites_write(pq_conn *c, int64_t staff_id, const store_site_set *sites)
{
  pq_params id_param = {0};
  pq__int(&id_param, staff_id);
  lobby_err err = pq__run(c, "DELETE FROM staff_sites WHERE staff_id = $1", &id_param, false);
  for (int i = 0; sites && err == LOBBY_OK && i < sites->count; i++) {
    pq_params row = {0};
    pq__int(&row, staff_id);
    pq__int(&row, sites->id[i]);
    err = pq__run(c, "INSERT INTO staff_sites (staff_id, site_id) VALUES ($1, $2)", &row, false);
  }
  return err;
}

/* The member's row is locked first, so two changes of one member's sites
 * (from two lobbyd instances) run one after the other. */
static lobby_err staff_set_sites_tx(pq_conn *c, void *arg)
{
  const staff_sites_args *a = arg;
  pq_params p = {0};
  int64_t staff_id = 0;
  pq__text(&p, a->name);
  lobby_err err = pq__int64(c, "SELECT id FROM staff WHERE name = $1 FOR UPDATE", &p, &staff_id);
  if (err == LOBBY_OK)
    err = pq__staff_sites_write(c, staff_id, a->sites);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, a->name);
  return err;
}

static lobby_err staff_set_sites(lobby_store *st, const char *name, const store_site_set *sites,
                                 const store_audit_entry *audit)
{
  if (sites->count < 0 || sites->count > STORE_SITES_MAX)
    return LOBBY_EINVAL;
  staff_sites_args a = {.name = name, .sites = sites, .audit = audit};
  return pq__transaction(PQ(st), staff_set_sites_tx, &a);
}

void pq__site_ops(lobby_store_ops *ops)
{
  ops->site_list = site_list;
  ops->site_get = site_get;
  ops->site_get_by_id = site_get_by_id;
  ops->site_create = site_create;
  ops->site_update = site_update;
  ops->staff_set_sites = staff_set_sites;
}
