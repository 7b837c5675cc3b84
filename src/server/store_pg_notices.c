/* Notices in the PostgreSQL store, as store_sqlite_notices.c.  A change
 * reads the notice with FOR UPDATE (or changes it with one UPDATE), so two
 * lobbyd instances never both act on a notice's old state; the audit entry
 * is written in the change's transaction, and the answer is read in it
 * too, so it is the state that was committed. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <string.h>

#define NOTICE_COLUMNS                                                          \
  "id, title, body, category, priority, pinned AS \"pinned?\", "              \
  "emergency AS \"emergency?\", starts_at, ends_at, updated_at, "             \
  STORE_NOTICE_IMAGE_COLUMNS

#define NOTICE_STAFF_COLUMNS                                                    \
  NOTICE_COLUMNS ", target_type, target_value, created_at, withdrawn_at, "     \
  "(SELECT name FROM staff WHERE staff.id = author_id) AS author, "            \
  "(SELECT code FROM sites WHERE sites.id = notices.site_id) AS site"

lobby_err pq__notice_fetch(pq_conn *c, int64_t id, const store_site_set *sites, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " NOTICE_STAFF_COLUMNS " FROM notices "
                               "WHERE id = $1", sites, "site_id", false, "");
  pq_params p = {0};
  pq__int(&p, id);
  if (err == LOBBY_OK)
    err = pq__one(c, sql, &p, out);
  if (err != LOBBY_OK)
    return err;
  store_notice_nest_target(*out);
  store_notice_nest_image(*out, true);
  return LOBBY_OK;
}

/* A change's transaction and its answer: the notice as committed.  The
 * transaction may run again (a deadlock), so each run drops the answer
 * of the one before. */
typedef struct {
  const store_notice *n;
  unsigned set;
  const store_site_set *sites;   /* which notices the change reaches */
  int64_t id, author_id, now;
  const store_audit_entry *audit;
  json_t *answer;
} notice_args;

static void notice_args_reset(notice_args *a)
{
  json_decref(a->answer);
  a->answer = NULL;
}

/* Runs fn in a transaction and hands over its answer only if it committed. */
static lobby_err notice_change(lobby_store *st, lobby_err (*fn)(pq_conn *, void *),
                               notice_args *a, json_t **out)
{
  lobby_err err = pq__transaction(PQ(st), fn, a);
  if (err == LOBBY_OK)
    *out = a->answer;
  else
    json_decref(a->answer);
  return err;
}

/* The audit target of a new notice: its id. */
static lobby_err audit_new_notice(pq_conn *c, const store_audit_entry *audit, int64_t id)
{
  char target[24];
  snprintf(target, sizeof target, "%lld", (long long)id);
  return pq__audit_insert(c, audit, target);
}

static lobby_err notice_create_fn(pq_conn *c, void *arg)
{
  notice_args *a = arg;
  const store_notice *n = a->n;
  notice_args_reset(a);
  pq_params p = {0};
  pq__text(&p, n->title);
  pq__text(&p, n->body);
  pq__text(&p, n->category);
  pq__int(&p, n->priority);
  pq__int(&p, n->pinned);
  pq__int(&p, n->emergency);
  pq__int(&p, n->starts_at ? n->starts_at : a->now);
  if (n->ends_at)
    pq__int(&p, n->ends_at);
  else
    pq__null(&p);
  pq__text(&p, n->target_type);
  pq__text(&p, n->target_value ? n->target_value : "");
  pq__int(&p, a->author_id);
  pq__int(&p, a->now);
  if (n->site_id)
    pq__int(&p, n->site_id);
  else
    pq__null(&p);   /* for every site */
  int64_t id = 0;
  lobby_err err = pq__int64(c,
    "INSERT INTO notices (title, body, category, priority, pinned, emergency, starts_at, "
    "ends_at, target_type, target_value, author_id, created_at, updated_at, site_id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id", &p, &id);
  if (err == LOBBY_OK)
    err = audit_new_notice(c, a->audit, id);
  if (err == LOBBY_OK)
    err = pq__notice_fetch(c, id, NULL, &a->answer);
  return err;
}

static lobby_err notice_create(lobby_store *st, const store_notice *n, int64_t author_id,
                               int64_t now, const store_audit_entry *audit, json_t **out)
{
  notice_args a = {.n = n, .author_id = author_id, .now = now, .audit = audit};
  return notice_change(st, notice_create_fn, &a, out);
}

/* Applies one field of a partial update with its own statement; column
 * names come from this file only, never from input. */
static lobby_err update_column(pq_conn *c, int64_t id, const char *column, const char *text,
                               int64_t number, bool is_text, bool is_null)
{
  char sql[128];
  snprintf(sql, sizeof sql, "UPDATE notices SET %s = $1 WHERE id = $2", column);
  pq_params p = {0};
  if (is_null)
    pq__null(&p);
  else if (is_text)
    pq__text(&p, text);
  else
    pq__int(&p, number);
  pq__int(&p, id);
  return pq__run(c, sql, &p, false);
}

static lobby_err notice_apply(pq_conn *c, int64_t id, const store_notice *n, unsigned set)
{
  lobby_err err = LOBBY_OK;
  if (err == LOBBY_OK && (set & NOTICE_SET_TITLE))
    err = update_column(c, id, "title", n->title, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_BODY))
    err = update_column(c, id, "body", n->body, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_CATEGORY))
    err = update_column(c, id, "category", n->category, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_PRIORITY))
    err = update_column(c, id, "priority", NULL, n->priority, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_PINNED))
    err = update_column(c, id, "pinned", NULL, n->pinned, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_EMERGENCY))
    err = update_column(c, id, "emergency", NULL, n->emergency, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_STARTS))
    err = update_column(c, id, "starts_at", NULL, n->starts_at, false, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_ENDS))
    err = update_column(c, id, "ends_at", NULL, n->ends_at, false, n->ends_at == 0);
  if (err == LOBBY_OK && (set & NOTICE_SET_TARGET))
    err = update_column(c, id, "target_type", n->target_type, 0, true, false);
  if (err == LOBBY_OK && (set & NOTICE_SET_TARGET))
    err = update_column(c, id, "target_value", n->target_value ? n->target_value : "", 0, true,
                        false);
  return err;
}

lobby_err pq__notice_lock_live(pq_conn *c, int64_t id, const store_site_set *sites)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT CASE WHEN withdrawn_at IS NULL THEN 0 "
                               "ELSE 1 END FROM notices WHERE id = $1", sites, "site_id", false,
                               " FOR UPDATE");
  pq_params p = {0};
  pq__int(&p, id);
  int64_t withdrawn = 0;
  if (err == LOBBY_OK)
    err = pq__int64(c, sql, &p, &withdrawn);
  if (err == LOBBY_OK && withdrawn)
    err = LOBBY_ECONFLICT;
  return err;
}

static lobby_err notice_update_fn(pq_conn *c, void *arg)
{
  notice_args *a = arg;
  notice_args_reset(a);
  lobby_err err = pq__notice_lock_live(c, a->id, a->sites);
  if (err == LOBBY_OK)
    err = notice_apply(c, a->id, a->n, a->set);
  if (err == LOBBY_OK)
    err = update_column(c, a->id, "updated_at", NULL, a->now, false, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = pq__notice_fetch(c, a->id, NULL, &a->answer);
  return err;
}

static lobby_err notice_update(lobby_store *st, int64_t id, const store_site_set *sites,
                               const store_notice *n, unsigned set, int64_t now,
                               const store_audit_entry *audit, json_t **out)
{
  notice_args a = {.n = n, .set = set, .sites = sites, .id = id, .now = now, .audit = audit};
  return notice_change(st, notice_update_fn, &a, out);
}

static lobby_err notice_withdraw_fn(pq_conn *c, void *arg)
{
  notice_args *a = arg;
  notice_args_reset(a);
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "UPDATE notices SET withdrawn_at = $1, "
                               "updated_at = $1 WHERE id = $2 AND withdrawn_at IS NULL", a->sites,
                               "site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, a->now);
  pq__int(&p, a->id);
  /* One UPDATE decides: a concurrent withdrawal waits for the row and
   * then finds it withdrawn.  Unchanged, the notice is either withdrawn
   * already (LOBBY_ECONFLICT) or out of reach (the fetch's
   * LOBBY_ENOTFOUND). */
  err = pq__run(c, sql, &p, true);
  bool changed = err == LOBBY_OK;
  if (err == LOBBY_ENOTFOUND)
    err = LOBBY_OK;
  if (err == LOBBY_OK)
    err = pq__notice_fetch(c, a->id, a->sites, &a->answer);
  if (err == LOBBY_OK && !changed)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err notice_withdraw(lobby_store *st, int64_t id, const store_site_set *sites,
                                 int64_t now, const store_audit_entry *audit, json_t **out)
{
  notice_args a = {.sites = sites, .id = id, .now = now, .audit = audit};
  return notice_change(st, notice_withdraw_fn, &a, out);
}

/* The notices of the set's sites and those for every site. */
static lobby_err notice_list(lobby_store *st, const store_site_set *sites, bool active_only,
                             int64_t now, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = active_only
    ? pq__site_sql(sql, sizeof sql, "SELECT " NOTICE_STAFF_COLUMNS " FROM notices "
                   "WHERE withdrawn_at IS NULL AND (ends_at IS NULL OR ends_at > $1)", sites,
                   "site_id", true, " ORDER BY pinned DESC, priority DESC, id DESC")
    : pq__site_sql(sql, sizeof sql, "SELECT " NOTICE_STAFF_COLUMNS " FROM notices "
                   "WHERE $1::bigint IS NOT NULL", sites, "site_id", true,
                   " ORDER BY id DESC LIMIT 500");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, now);
  err = pq__read_all(PQ(st), sql, &p, out);
  size_t i;
  json_t *n;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, n) {
      store_notice_nest_target(n);
      store_notice_nest_image(n, true);
    }
  return err;
}

/* One notice as the list shows it: the set's sites' and every site's. */
static lobby_err notice_get(lobby_store *st, int64_t id, const store_site_set *sites,
                            json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " NOTICE_STAFF_COLUMNS " FROM notices "
                               "WHERE id = $1", sites, "site_id", true, "");
  pq_params p = {0};
  pq__int(&p, id);
  if (err == LOBBY_OK)
    err = pq__read_one(PQ(st), sql, &p, out);
  if (err == LOBBY_OK) {
    store_notice_nest_target(*out);
    store_notice_nest_image(*out, true);
  }
  return err;
}

/* The kiosk's site's notices and those for every site. */
static lobby_err notice_for_kiosk(lobby_store *st, int64_t site_id, const char *building,
                                  const char *group, int64_t now, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, now);
  pq__text(&p, building);
  pq__text(&p, group ? group : "");
  pq__int(&p, site_id);
  lobby_err err = pq__read_all(PQ(st),
    "SELECT " NOTICE_COLUMNS " FROM notices WHERE " PQ_NOTICE_SHOWN_TO_KIOSK
    " ORDER BY pinned DESC, priority DESC, starts_at DESC, id DESC", &p, out);
  size_t i;
  json_t *n;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, n) store_notice_nest_image(n, false);
  return err;
}

static lobby_err notice_next_boundary(lobby_store *st, int64_t now, int64_t *out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, now);
  /* MIN of no rows is NULL, which reads as 0: no boundary. */
  err = pq__int64(c,
    "SELECT MIN(t) FROM (SELECT starts_at AS t FROM notices WHERE withdrawn_at IS NULL "
    "AND starts_at > $1 UNION ALL SELECT ends_at FROM notices WHERE withdrawn_at IS NULL "
    "AND ends_at > $1) AS boundaries", &p, out);
  pq__release(s, c);
  return err;
}

void pq__notice_ops(lobby_store_ops *ops)
{
  ops->notice_create = notice_create;
  ops->notice_update = notice_update;
  ops->notice_withdraw = notice_withdraw;
  ops->notice_list = notice_list;
  ops->notice_for_kiosk = notice_for_kiosk;
  ops->notice_next_boundary = notice_next_boundary;
  ops->notice_get = notice_get;
}
