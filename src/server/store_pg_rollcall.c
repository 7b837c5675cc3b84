/* The evacuation roll-call's marks in the PostgreSQL store, as in
 * store_sqlite_rollcall.c: one row per person, tied by "since" to the
 * presence it was made in. */
#include "store_pg_internal.h"

#include <stdio.h>
#include <string.h>

/* Where a person on site now comes from, by kind: their id as text, their
 * site and the start of this presence.  $1 is the ref. */
static const char *presence_sql(const char *kind)
{
  if (strcmp(kind, "visit") == 0)
    return "SELECT id, site_id, checked_in_at FROM visits "
           "WHERE id = $1::text AND state = 'approved' AND checked_in_at IS NOT NULL";
  return "SELECT id::text, site_id, last_in FROM worker_passes "
         "WHERE id = $1::bigint AND on_site = 1 AND last_in IS NOT NULL";
}

typedef struct {
  const char *kind, *ref, *by;
  bool safe;
  const store_site_set *sites;
  int64_t now;
  const store_audit_entry *audit;
} mark_change;

static lobby_err mark_tx(pq_conn *c, void *arg)
{
  const mark_change *a = arg;
  char presence[PQ_SITE_SQL_SIZE], sql[PQ_SITE_SQL_SIZE + 512];
  pq_params ref = {0}, p = {0};
  pq__text(&ref, a->ref);
  pq__text(&p, a->ref);
  pq__text(&p, a->kind);
  pq__int(&p, a->now);
  pq__text(&p, a->by);
  /* Only someone on site in the sites asked for. */
  lobby_err err = pq__site_sql(presence, sizeof presence, presence_sql(a->kind), a->sites,
                               "site_id", false, "");
  if (err == LOBBY_OK) {
    snprintf(sql, sizeof sql, "SELECT 1 FROM (%s) p", presence);
    err = pq__exists(c, sql, &ref);
  }
  if (err == LOBBY_OK && a->safe) {
    snprintf(sql, sizeof sql, "INSERT INTO rollcall_marks (kind, ref, site_id, since, marked_at, "
             "marked_by) SELECT $2::text, p.*, $3::bigint, $4::text FROM (%s) p "
             "ON CONFLICT (kind, ref) DO UPDATE SET site_id = excluded.site_id, "
             "since = excluded.since, marked_at = excluded.marked_at, marked_by = excluded.marked_by",
             presence);
    err = pq__run(c, sql, &p, true);
  } else if (err == LOBBY_OK) {
    pq_params key = {0};
    pq__text(&key, a->ref);
    pq__text(&key, a->kind);
    err = pq__run(c, "DELETE FROM rollcall_marks WHERE ref = $1 AND kind = $2", &key, false);
  }
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err rollcall_mark(lobby_store *st, const char *kind, const char *ref, bool safe,
                               const store_site_set *sites, const char *by, int64_t now,
                               const store_audit_entry *audit)
{
  mark_change a = {.kind = kind, .ref = ref, .by = by, .safe = safe, .sites = sites, .now = now,
                   .audit = audit};
  return pq__transaction(PQ(st), mark_tx, &a);
}

static lobby_err list_kind(pq_store *s, const char *head, const store_site_set *sites,
                           const char *column, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, column, false, " ORDER BY m.marked_at");
  if (err == LOBBY_OK)
    err = pq__read_all(s, sql, NULL, out);
  return err;
}

static lobby_err rollcall_list(lobby_store *st, const store_site_set *sites, json_t **out)
{
  json_t *workers = NULL;
  *out = NULL;
  lobby_err err = list_kind(PQ(st),
    "SELECT m.kind, m.ref AS id, m.marked_at, m.marked_by FROM rollcall_marks m "
    "JOIN visits v ON v.id = m.ref WHERE m.kind = 'visit' AND v.state = 'approved' "
    "AND v.checked_in_at = m.since", sites, "v.site_id", out);
  if (err == LOBBY_OK)
    err = list_kind(PQ(st),
      "SELECT m.kind, m.ref AS id, m.marked_at, m.marked_by FROM rollcall_marks m "
      "JOIN worker_passes w ON w.id::text = m.ref WHERE m.kind = 'worker' "
      "AND w.on_site = 1 AND w.last_in = m.since", sites, "w.site_id", &workers);
  if (err == LOBBY_OK)
    json_array_extend(*out, workers);
  json_decref(workers);
  if (err != LOBBY_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

typedef struct {
  const store_site_set *sites;
  const store_audit_entry *audit;
} reset_change;

static lobby_err reset_tx(pq_conn *c, void *arg)
{
  const reset_change *a = arg;
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "DELETE FROM rollcall_marks WHERE true", a->sites,
                               "site_id", false, "");
  if (err == LOBBY_OK)
    err = pq__run(c, sql, NULL, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err rollcall_reset(lobby_store *st, const store_site_set *sites,
                                const store_audit_entry *audit)
{
  reset_change a = {.sites = sites, .audit = audit};
  return pq__transaction(PQ(st), reset_tx, &a);
}

void pq__rollcall_ops(lobby_store_ops *ops)
{
  ops->rollcall_mark = rollcall_mark;
  ops->rollcall_list = rollcall_list;
  ops->rollcall_reset = rollcall_reset;
}
