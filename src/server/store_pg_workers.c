/* Workers' passes (临时出入证) in the PostgreSQL store, as
 * store_sqlite_workers.c.  A change to a pass first locks its
 * renovation's row (pq__renovation_lock) and the pass's; the kiosk's
 * check-in or check-out locks the pass, so two kiosks taking one code at
 * once take turns and the second sees the first's move.  A new code is
 * picked under an advisory lock that visits' approvals take too, so no
 * code names two live passes of either kind. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_domain.h"
#include "lobby_workday.h"

#define WORKER_COLUMNS                                                                     \
  "w.id, r.number AS renovation, w.name, w.phone, w.pass_code, w.valid_until, w.status, " \
  "w.reason, w.on_site, w.last_in, w.last_out, w.created_at, "                             \
  "r.status AS renovation_status, r.end_date AS renovation_end"
#define WORKER_FROM " FROM worker_passes w JOIN renovations r ON r.id = w.renovation_id "

/* An arbitrary fixed key ("pass" in ASCII) for picking pass codes. */
#define PASS_CODE_LOCK_KEY 1885434739

lobby_err pq__workers_of(pq_conn *c, int64_t renovation_id, int offset_min, int64_t now,
                         json_t **out)
{
  pq_params p = {0};
  pq__int(&p, renovation_id);
  lobby_err err = pq__collect(c, "SELECT " WORKER_COLUMNS WORKER_FROM
                                 "WHERE w.renovation_id = $1 ORDER BY w.id", &p, out);
  size_t i;
  json_t *w;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, w) store_worker_shape(w, offset_min, now);
  return err;
}

lobby_err pq__workers_revoke_all(pq_conn *c, int64_t renovation_id, const char *reason,
                                 int64_t now)
{
  pq_params p = {0};
  pq__text(&p, reason);
  pq__int(&p, now);
  pq__int(&p, renovation_id);
  return pq__run(c, "UPDATE worker_passes SET status = 'revoked', reason = $1, updated_at = $2 "
                    "WHERE renovation_id = $3 AND status = 'active'", &p, false);
}

lobby_err pq__pass_code_taken(pq_conn *c, const char *code, bool *taken)
{
  char lock[64];
  snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", PASS_CODE_LOCK_KEY);
  lobby_err err = pq__exec(c, lock);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, code);
  err = pq__exists(c, "SELECT 1 WHERE EXISTS (SELECT 1 FROM visits WHERE pass_code = $1 "
                      "AND state = 'approved') OR EXISTS (SELECT 1 FROM worker_passes "
                      "WHERE pass_code = $1 AND (status = 'active' OR on_site = 1))", &p);
  *taken = err == LOBBY_OK;
  return err == LOBBY_ENOTFOUND ? LOBBY_OK : err;
}

/* One pass by id as staff see it, when `sites` reaches it. */
static lobby_err worker_fetch(pq_conn *c, int64_t id, const store_site_set *sites, int offset_min,
                              int64_t now, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " WORKER_COLUMNS WORKER_FROM
                               "WHERE w.id = $1", sites, "w.site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, id);
  if ((err = pq__one(c, sql, &p, out)) == LOBBY_OK)
    store_worker_shape(*out, offset_min, now);
  return err;
}

static lobby_err fresh_code(pq_conn *c, char code[LOBBY_PASS_CODE_LEN + 1])
{
  for (int attempt = 0; attempt < 8; attempt++) {
    bool taken = true;
    lobby_code_random(code, LOBBY_PASS_CODE_LEN);
    lobby_err err = pq__pass_code_taken(c, code, &taken);
    if (err != LOBBY_OK || !taken)
      return err;
  }
  return LOBBY_EIO;
}

/* A pass may be issued or renewed to valid_until: its renovation live and
 * the date from today to the renovation's end.  Fills v. */
static lobby_err check_valid_until(const pq_renovation_head *h, const char *valid_until,
                                   int offset_min, int64_t now, store_renovation_verdict *v)
{
  snprintf(v->end, sizeof v->end, "%s", h->end);
  v->live = renovation_live(h->status, h->end, now, offset_min);
  if (!v->live)
    return LOBBY_ECONFLICT;
  return worker_valid_until_ok(valid_until, h->end, now, offset_min) ? LOBBY_OK : LOBBY_EINVAL;
}

typedef struct {
  const char *number;
  const store_worker_new *w;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
  store_renovation_verdict *v;
} create_args;

static lobby_err worker_create_fn(pq_conn *c, void *arg, json_t **out)
{
  create_args *a = arg;
  pq_renovation_head h = {0};
  char code[LOBBY_PASS_CODE_LEN + 1];
  int64_t id = 0;
  json_t *answer = NULL;
  lobby_err err = pq__renovation_lock(c, "r.number = $1", 0, a->number, &a->by->sites, &h);
  const char *valid_until = a->w->valid_until ? a->w->valid_until : h.end;
  if (err == LOBBY_OK)
    err = check_valid_until(&h, valid_until, a->offset_min, a->now, a->v);
  if (err == LOBBY_OK)
    err = fresh_code(c, code);
  if (err == LOBBY_OK) {
    pq_params p = {0};
    pq__int(&p, h.id);
    pq__int(&p, h.site_id);
    pq__text(&p, a->w->name);
    pq__text(&p, a->w->phone);
    pq__text(&p, code);
    pq__text(&p, valid_until);
    pq__text(&p, a->by->name);
    pq__int(&p, a->now);
    err = pq__int64(c, "INSERT INTO worker_passes (renovation_id, site_id, name, phone, pass_code, "
                       "valid_until, status, created_by, created_at, updated_at) VALUES ($1, $2, "
                       "$3, $4, $5, $6, 'active', $7, $8, $8) RETURNING id", &p, &id);
  }
  if (err == LOBBY_OK)
    err = worker_fetch(c, id, NULL, a->offset_min, a->now, &answer);
  if (err != LOBBY_OK) {
    json_decref(answer);
    return err;
  }
  *out = answer;
  return LOBBY_OK;
}

static lobby_err worker_create(lobby_store *st, const char *number, const store_worker_new *w,
                               const lobby_principal *by, store_idempotency *idem,
                               const store_audit_entry *audit, int offset_min, int64_t now,
                               store_renovation_verdict *v, json_t **out)
{
  create_args a = {number, w, by, offset_min, now, v};
  return pq__with_idempotency(PQ(st), idem, audit, NULL, now, out, worker_create_fn, &a);
}

typedef struct {
  int64_t id;
  const char *set;                 /* $1 text, $2 now, $3 id */
  const char *text;
  bool renew;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
  const store_audit_entry *audit;
  store_renovation_verdict *v;
  json_t *answer;
} change_args;

/* Locks the pass's renovation and the pass; whether it is revoked. */
static lobby_err lock_pass(pq_conn *c, int64_t id, const store_site_set *sites,
                           pq_renovation_head *h, bool *revoked)
{
  lobby_err err = pq__renovation_lock(
    c, "r.id = (SELECT renovation_id FROM worker_passes WHERE id = $1)", id, NULL, sites, h);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, id);
  json_t *row;
  if ((err = pq__one(c, "SELECT status FROM worker_passes WHERE id = $1 FOR UPDATE", &p, &row)) !=
      LOBBY_OK)
    return err == LOBBY_ENOTFOUND ? LOBBY_EIO : err;
  const char *status = json_string_value(json_object_get(row, "status"));
  *revoked = !status || strcmp(status, "active") != 0;
  json_decref(row);
  return LOBBY_OK;
}

static lobby_err worker_change_fn(pq_conn *c, void *arg)
{
  change_args *a = arg;
  pq_renovation_head h = {0};
  bool revoked = false;
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = lock_pass(c, a->id, &a->by->sites, &h, &revoked);
  if (err == LOBBY_OK && a->renew)
    a->v->revoked = revoked;
  if (err == LOBBY_OK && revoked)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK && a->renew)
    err = check_valid_until(&h, a->text, a->offset_min, a->now, a->v);
  if (err == LOBBY_OK) {
    pq_params p = {0};
    pq__text(&p, a->text);
    pq__int(&p, a->now);
    pq__int(&p, a->id);
    err = pq__run(c, a->set, &p, true);
  }
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = worker_fetch(c, a->id, NULL, a->offset_min, a->now, &a->answer);
  return err;
}

static lobby_err worker_change(lobby_store *st, change_args *a, json_t **out)
{
  lobby_err err = pq__transaction(PQ(st), worker_change_fn, a);
  if (err == LOBBY_OK)
    *out = a->answer;
  else
    json_decref(a->answer);
  return err;
}

static lobby_err worker_revoke(lobby_store *st, int64_t id, const char *reason,
                               const lobby_principal *by, int offset_min, int64_t now,
                               const store_audit_entry *audit, json_t **out)
{
  change_args a = {.id = id, .text = reason, .by = by, .offset_min = offset_min, .now = now,
                   .audit = audit,
                   .set = "UPDATE worker_passes SET status = 'revoked', reason = $1, "
                          "updated_at = $2 WHERE id = $3 AND status = 'active'"};
  return worker_change(st, &a, out);
}

static lobby_err worker_renew(lobby_store *st, int64_t id, const char *valid_until,
                              const lobby_principal *by, int offset_min, int64_t now,
                              const store_audit_entry *audit, store_renovation_verdict *v,
                              json_t **out)
{
  change_args a = {.id = id, .text = valid_until, .renew = true, .by = by,
                   .offset_min = offset_min, .now = now, .audit = audit, .v = v,
                   .set = "UPDATE worker_passes SET valid_until = $1, updated_at = $2 "
                          "WHERE id = $3 AND status = 'active'"};
  return worker_change(st, &a, out);
}

/* worker_attendance_of on a raw pass row. */
static worker_attendance verdict_of(json_t *row, int offset_min, int64_t now)
{
  worker_pass_status ps = WORKER_PASS_REVOKED;
  renovation_status rs = RENOVATION_STATUS_CANCELLED;
  (void)worker_pass_status_parse(json_string_value(json_object_get(row, "status")), &ps);
  (void)renovation_status_parse(json_string_value(json_object_get(row, "renovation_status")), &rs);
  return worker_attendance_of(json_integer_value(json_object_get(row, "on_site")) != 0, ps,
                              json_string_value(json_object_get(row, "valid_until")), rs,
                              json_string_value(json_object_get(row, "renovation_end")), now,
                              offset_min);
}

typedef struct {
  const char *code;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
  worker_attendance act;
  json_t *answer;
} attend_args;

/* The pass a code names among the kiosk's sites (its worker on site
 * first, then an active one, then the newest), locked. */
static lobby_err lock_by_code(pq_conn *c, const char *code, const store_site_set *sites,
                              json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " WORKER_COLUMNS ", w.site_id" WORKER_FROM
                               "WHERE w.pass_code = $1", sites, "w.site_id", false,
                               " ORDER BY w.on_site DESC, (w.status = 'active') DESC, w.id DESC "
                               "LIMIT 1 FOR UPDATE OF w");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, code);
  return pq__one(c, sql, &p, out);
}

/* The check-in or check-out: the pass's state and an attendance row. */
static lobby_err record_move(pq_conn *c, int64_t id, int64_t site_id, bool in, const char *kiosk,
                             int64_t now)
{
  pq_params p = {0};
  pq__int(&p, now);
  pq__int(&p, id);
  lobby_err err = pq__run(c, in ? "UPDATE worker_passes SET on_site = 1, last_in = $1 WHERE id = $2"
                                : "UPDATE worker_passes SET on_site = 0, last_out = $1 WHERE id = $2",
                          &p, true);
  if (err != LOBBY_OK)
    return err;
  pq_params q = {0};
  pq__int(&q, id);
  pq__int(&q, site_id);
  pq__text(&q, in ? "in" : "out");
  pq__text(&q, kiosk);
  pq__int(&q, now);
  return pq__run(c, "INSERT INTO worker_attendance (worker_id, site_id, action, kiosk, at) "
                    "VALUES ($1, $2, $3, $4, $5)", &q, false);
}

static lobby_err record_refusal(pq_conn *c, int64_t id, int64_t site_id, const char *kiosk,
                                const char *reason, int64_t now)
{
  pq_params p = {0};
  pq__int(&p, id);
  pq__int(&p, site_id);
  pq__text(&p, kiosk);
  pq__text(&p, reason);
  pq__int(&p, now);
  return pq__run(c, "INSERT INTO worker_refusals (worker_id, site_id, kiosk, reason, at) "
                    "VALUES ($1, $2, $3, $4, $5)", &p, false);
}

/* The pass after the kiosk's move, with what its answer shows. */
static lobby_err attendance_fetch(pq_conn *c, int64_t id, int offset_min, int64_t now,
                                  json_t **out)
{
  pq_params p = {0};
  pq__int(&p, id);
  lobby_err err = pq__one(c, "SELECT " WORKER_COLUMNS ", r.company, r.building, r.unit AS unit, "
                             "r.room" WORKER_FROM "WHERE w.id = $1", &p, out);
  if (err != LOBBY_OK)
    return err;
  store_worker_shape(*out, offset_min, now);
  store_repair_nest_unit(*out);
  json_object_set_new(*out, "at", json_integer(now));
  return LOBBY_OK;
}

static lobby_err attend_fn(pq_conn *c, void *arg)
{
  attend_args *a = arg;
  json_t *row = NULL;
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = lock_by_code(c, a->code, &a->by->sites, &row);
  if (err != LOBBY_OK)
    return err;
  int64_t id = json_integer_value(json_object_get(row, "id"));
  int64_t site_id = json_integer_value(json_object_get(row, "site_id"));
  a->act = verdict_of(row, a->offset_min, a->now);
  json_decref(row);
  if (a->act == WORKER_ATTEND_IN || a->act == WORKER_ATTEND_OUT)
    err = record_move(c, id, site_id, a->act == WORKER_ATTEND_IN, a->by->name, a->now);
  else
    err = record_refusal(c, id, site_id, a->by->name, worker_attendance_error_code(a->act), a->now);
  if (err == LOBBY_OK)
    err = attendance_fetch(c, id, a->offset_min, a->now, &a->answer);
  return err;
}

static lobby_err worker_attendance_op(lobby_store *st, const char *pass_code,
                                      const lobby_principal *by, int offset_min, int64_t now,
                                      worker_attendance *act, json_t **out)
{
  attend_args a = {pass_code, by, offset_min, now, WORKER_ATTEND_IN, NULL};
  lobby_err err = pq__transaction(PQ(st), attend_fn, &a);
  *act = a.act;
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

typedef struct {
  int64_t id;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
  const store_audit_entry *audit;
  json_t *answer;
} checkout_args;

static lobby_err checkout_fn(pq_conn *c, void *arg)
{
  checkout_args *a = arg;
  char sql[PQ_SITE_SQL_SIZE];
  json_t *row = NULL;
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT site_id, on_site FROM worker_passes "
                               "WHERE id = $1", &a->by->sites, "site_id", false, " FOR UPDATE");
  pq_params p = {0};
  pq__int(&p, a->id);
  if (err == LOBBY_OK)
    err = pq__one(c, sql, &p, &row);
  if (err != LOBBY_OK)
    return err;
  int64_t site_id = json_integer_value(json_object_get(row, "site_id"));
  bool on_site = json_integer_value(json_object_get(row, "on_site")) != 0;
  json_decref(row);
  if (!on_site)
    return LOBBY_ECONFLICT;
  err = record_move(c, a->id, site_id, false, a->by->name, a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = worker_fetch(c, a->id, NULL, a->offset_min, a->now, &a->answer);
  return err;
}

static lobby_err worker_checkout(lobby_store *st, int64_t id, const lobby_principal *by,
                                 int offset_min, int64_t now, const store_audit_entry *audit,
                                 json_t **out)
{
  checkout_args a = {id, by, offset_min, now, audit, NULL};
  lobby_err err = pq__transaction(PQ(st), checkout_fn, &a);
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

static lobby_err worker_refusals(lobby_store *st, const store_site_set *sites, int64_t since,
                                 int limit, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT f.at, f.kiosk, w.id AS worker_id, w.name AS worker_name, w.phone AS worker_phone, "
    "r.number AS renovation, r.building, r.unit, r.room, r.company, f.reason "
    "FROM worker_refusals f JOIN worker_passes w ON w.id = f.worker_id "
    "JOIN renovations r ON r.id = w.renovation_id WHERE f.at >= $1", sites, "f.site_id", false,
    " ORDER BY f.at DESC, f.id DESC LIMIT $2");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, since);
  pq__int(&p, limit > 0 ? limit : 200);
  err = pq__read_all(PQ(st), sql, &p, out);
  size_t i;
  json_t *f;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, f) store_refusal_shape(f);
  return err;
}

static lobby_err worker_onsite(lobby_store *st, const store_site_set *sites, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT w.id, w.name, w.phone, r.company, r.number AS renovation, r.building, r.unit, r.room, "
    "w.last_in AS checked_in_at, w.valid_until" WORKER_FROM "WHERE w.on_site = 1", sites,
    "w.site_id", false, " ORDER BY w.last_in DESC, w.id DESC");
  if (err != LOBBY_OK)
    return err;
  err = pq__read_all(PQ(st), sql, NULL, out);
  size_t i;
  json_t *w;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, w) store_repair_nest_unit(w);
  return err;
}

void pq__worker_ops(lobby_store_ops *ops)
{
  ops->worker_create = worker_create;
  ops->worker_revoke = worker_revoke;
  ops->worker_renew = worker_renew;
  ops->worker_checkout = worker_checkout;
  ops->worker_attendance = worker_attendance_op;
  ops->worker_refusals = worker_refusals;
  ops->worker_onsite = worker_onsite;
}
