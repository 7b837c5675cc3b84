/* Workers' passes (临时出入证) of renovations in the SQLite store: issue,
 * revoke, renew, and the kiosk's check-in, check-out or refusal, each in
 * one transaction under the store's mutex.  Renovations themselves are
 * store_sqlite_renovations.c's. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <string.h>
#include "lobby_domain.h"
#include "lobby_workday.h"

#define WORKER_COLUMNS                                                                     \
  "w.id, r.number AS renovation, w.name, w.phone, w.pass_code, w.valid_until, w.status, " \
  "w.reason, w.on_site, w.last_in, w.last_out, w.created_at, "                             \
  "r.status AS renovation_status, r.end_date AS renovation_end"
#define WORKER_FROM " FROM worker_passes w JOIN renovations r ON r.id = w.renovation_id "

lobby_err sq__workers_of(sq_store *s, int64_t renovation_id, int offset_min, int64_t now,
                         json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT " WORKER_COLUMNS WORKER_FROM
                                 "WHERE w.renovation_id = ? ORDER BY w.id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, renovation_id);
  if ((err = sq__collect(q, out)) != LOBBY_OK)
    return err;
  size_t i;
  json_t *w;
  json_array_foreach(*out, i, w) store_worker_shape(w, offset_min, now);
  return LOBBY_OK;
}

lobby_err sq__workers_revoke_all(sq_store *s, int64_t renovation_id, const char *reason,
                                 int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "UPDATE worker_passes SET status = 'revoked', reason = ?1, "
                                 "updated_at = ?2 WHERE renovation_id = ?3 AND status = 'active'",
                              &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, reason);
  sqlite3_bind_int64(q, 2, now);
  sqlite3_bind_int64(q, 3, renovation_id);
  return sq__run(s, q, false);
}

lobby_err sq__pass_code_taken(sq_store *s, const char *code, bool *taken)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "SELECT EXISTS (SELECT 1 FROM visits WHERE pass_code = ?1 AND state = 'approved') "
    "OR EXISTS (SELECT 1 FROM worker_passes WHERE pass_code = ?1 "
    "AND (status = 'active' OR on_site = 1))", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, code);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    *taken = sqlite3_column_int(q, 0) != 0;
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : LOBBY_EIO;
}

/* One pass by id as staff see it, when `sites` reaches it. */
static lobby_err worker_fetch(sq_store *s, int64_t id, const store_site_set *sites, int offset_min,
                              int64_t now, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, "SELECT " WORKER_COLUMNS WORKER_FROM
                                          "WHERE w.id = ?1{sites}", sites, "w.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  if ((err = sq__one(q, out)) == LOBBY_OK)
    store_worker_shape(*out, offset_min, now);
  return err;
}

/* A code no live pass holds; 25^8 codes make a clash rare, so a few
 * tries suffice. */
static lobby_err fresh_code(sq_store *s, char code[LOBBY_PASS_CODE_LEN + 1])
{
  for (int attempt = 0; attempt < 8; attempt++) {
    bool taken = true;
    lobby_code_random(code, LOBBY_PASS_CODE_LEN);
    lobby_err err = sq__pass_code_taken(s, code, &taken);
    if (err != LOBBY_OK || !taken)
      return err;
  }
  return LOBBY_EIO;
}

static lobby_err insert_worker(sq_store *s, const sq_renovation_head *h, const store_worker_new *w,
                               const char *valid_until, const char *code,
                               const lobby_principal *by, int64_t now, int64_t *id)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO worker_passes (renovation_id, site_id, name, phone, pass_code, valid_until, "
    "status, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,'active',?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, h->id);
  sqlite3_bind_int64(q, 2, h->site_id);
  sq__bind_text(q, 3, w->name);
  sq__bind_text(q, 4, w->phone);
  sq__bind_text(q, 5, code);
  sq__bind_text(q, 6, valid_until);
  sq__bind_text(q, 7, by->name);
  sqlite3_bind_int64(q, 8, now);
  sqlite3_bind_int64(q, 9, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  *id = sqlite3_last_insert_rowid(s->db);
  return err;
}

/* A pass may be issued or renewed to valid_until: its renovation live and
 * the date from today to the renovation's end.  Fills v. */
static lobby_err check_valid_until(const sq_renovation_head *h, const char *valid_until,
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
  store_idempotency *idem;
  int offset_min;
  int64_t now;
  store_renovation_verdict *v;
} worker_args;

static lobby_err worker_create_fn(sq_store *s, void *arg, json_t **out)
{
  worker_args *a = arg;
  sq_renovation_head h = {0};
  char code[LOBBY_PASS_CODE_LEN + 1];
  int64_t id = 0;
  json_t *answer = NULL;
  lobby_err err = sq__renovation_head(s, "r.number = ?", 0, a->number, &a->by->sites, &h);
  const char *valid_until = a->w->valid_until ? a->w->valid_until : h.end;
  if (err == LOBBY_OK)
    err = check_valid_until(&h, valid_until, a->offset_min, a->now, a->v);
  if (err == LOBBY_OK)
    err = fresh_code(s, code);
  if (err == LOBBY_OK)
    err = insert_worker(s, &h, a->w, valid_until, code, a->by, a->now, &id);
  if (err == LOBBY_OK)
    err = worker_fetch(s, id, NULL, a->offset_min, a->now, &answer);
  if (err == LOBBY_OK)
    err = sq__idem_save(s, a->idem, answer, a->now);
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
  worker_args a = {number, w, by, idem, offset_min, now, v};
  return sq__with_idempotency(SQ(st), idem, audit, NULL, out, worker_create_fn, &a);
}

/* The pass's renovation and whether the pass is revoked. */
static lobby_err worker_head(sq_store *s, int64_t id, const store_site_set *sites,
                             sq_renovation_head *h, bool *revoked)
{
  lobby_err err = sq__renovation_head(
    s, "r.id = (SELECT renovation_id FROM worker_passes WHERE id = ?)", id, NULL, sites, h);
  sqlite3_stmt *q;
  if (err == LOBBY_OK)
    err = sq__prepare(s, "SELECT status FROM worker_passes WHERE id = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    *revoked = strcmp((const char *)sqlite3_column_text(q, 0), "active") != 0;
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : LOBBY_EIO;
}

/* Runs set (with ?1 the text, ?2 now, ?3 the id) on a pass of by->sites
 * once check allows it, with the audit entry; *out the pass after. */
static lobby_err worker_change(sq_store *s, int64_t id, const char *set, const char *text,
                               const lobby_principal *by, int offset_min, int64_t now,
                               const store_audit_entry *audit, store_renovation_verdict *v,
                               json_t **out)
{
  sq_renovation_head h = {0};
  bool revoked = false, renew = v != NULL;
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = worker_head(s, id, &by->sites, &h, &revoked);
  if (err == LOBBY_OK && revoked)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK && renew)
    err = check_valid_until(&h, text, offset_min, now, v);
  if (err == LOBBY_OK)
    err = sq__prepare(s, set, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, text);
    sqlite3_bind_int64(q, 2, now);
    sqlite3_bind_int64(q, 3, id);
    err = sq__run(s, q, true);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (renew)
    v->revoked = revoked;
  if (err == LOBBY_OK)
    err = worker_fetch(s, id, NULL, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err worker_revoke(lobby_store *st, int64_t id, const char *reason,
                               const lobby_principal *by, int offset_min, int64_t now,
                               const store_audit_entry *audit, json_t **out)
{
  return worker_change(SQ(st), id, "UPDATE worker_passes SET status = 'revoked', reason = ?1, "
                                   "updated_at = ?2 WHERE id = ?3 AND status = 'active'",
                       reason, by, offset_min, now, audit, NULL, out);
}

static lobby_err worker_renew(lobby_store *st, int64_t id, const char *valid_until,
                              const lobby_principal *by, int offset_min, int64_t now,
                              const store_audit_entry *audit, store_renovation_verdict *v,
                              json_t **out)
{
  return worker_change(SQ(st), id, "UPDATE worker_passes SET valid_until = ?1, updated_at = ?2 "
                                   "WHERE id = ?3 AND status = 'active'",
                       valid_until, by, offset_min, now, audit, v, out);
}

/* What the kiosk's answer needs beside the pass: the renovation's
 * company and unit. */
#define ATTENDANCE_COLUMNS WORKER_COLUMNS ", r.company, r.building, r.unit, r.room"

/* The pass a code names among the sites' (raw: the verdict reads it):
 * its worker on site first, then an active one, then the newest. */
static lobby_err pass_by_code(sq_store *s, const char *code, const store_site_set *sites,
                              json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, "SELECT " WORKER_COLUMNS ", w.site_id" WORKER_FROM
                                          "WHERE w.pass_code = ?1{sites} ORDER BY w.on_site DESC, "
                                          "(w.status = 'active') DESC, w.id DESC LIMIT 1",
                                       sites, "w.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, code);
  return sq__one(q, out);
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

/* The check-in or check-out: the pass's state and an attendance row. */
static lobby_err record_move(sq_store *s, int64_t id, int64_t site_id, bool in, const char *kiosk,
                             int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, in ? "UPDATE worker_passes SET on_site = 1, last_in = ?1 WHERE id = ?2"
                                    : "UPDATE worker_passes SET on_site = 0, last_out = ?1 WHERE id = ?2",
                              &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int64(q, 2, id);
  if ((err = sq__run(s, q, true)) != LOBBY_OK)
    return err;
  if ((err = sq__prepare(s, "INSERT INTO worker_attendance (worker_id, site_id, action, kiosk, at) "
                            "VALUES (?,?,?,?,?)", &q)) != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int64(q, 2, site_id);
  sq__bind_text(q, 3, in ? "in" : "out");
  sq__bind_text(q, 4, kiosk);
  sqlite3_bind_int64(q, 5, now);
  return sq__run(s, q, false);
}

static lobby_err record_refusal(sq_store *s, int64_t id, int64_t site_id, const char *kiosk,
                                const char *reason, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "INSERT INTO worker_refusals (worker_id, site_id, kiosk, reason, "
                                 "at) VALUES (?,?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int64(q, 2, site_id);
  sq__bind_text(q, 3, kiosk);
  sq__bind_text(q, 4, reason);
  sqlite3_bind_int64(q, 5, now);
  return sq__run(s, q, false);
}

/* The pass after the kiosk's move, with what its answer shows. */
static lobby_err attendance_fetch(sq_store *s, int64_t id, int offset_min, int64_t now,
                                  json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT " WORKER_COLUMNS ", r.company, r.building, r.unit AS "
                                 "unit, r.room" WORKER_FROM "WHERE w.id = ?1", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  if ((err = sq__one(q, out)) != LOBBY_OK)
    return err;
  store_worker_shape(*out, offset_min, now);
  store_repair_nest_unit(*out);
  json_object_set_new(*out, "at", json_integer(now));
  return LOBBY_OK;
}

static lobby_err worker_attendance_op(lobby_store *st, const char *pass_code,
                                      const lobby_principal *by, int offset_min, int64_t now,
                                      worker_attendance *act, json_t **out)
{
  sq_store *s = SQ(st);
  json_t *row = NULL;
  int64_t id = 0;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = pass_by_code(s, pass_code, &by->sites, &row);
  if (err == LOBBY_OK) {
    id = json_integer_value(json_object_get(row, "id"));
    int64_t site_id = json_integer_value(json_object_get(row, "site_id"));
    *act = verdict_of(row, offset_min, now);
    if (*act == WORKER_ATTEND_IN || *act == WORKER_ATTEND_OUT)
      err = record_move(s, id, site_id, *act == WORKER_ATTEND_IN, by->name, now);
    else
      err = record_refusal(s, id, site_id, by->name, worker_attendance_error_code(*act), now);
  }
  json_decref(row);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = attendance_fetch(s, id, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err worker_refusals(lobby_store *st, const store_site_set *sites, int64_t since,
                                 int limit, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT f.at, f.kiosk, w.id AS worker_id, w.name AS worker_name, w.phone AS worker_phone, "
    "r.number AS renovation, r.building, r.unit, r.room, r.company, f.reason "
    "FROM worker_refusals f JOIN worker_passes w ON w.id = f.worker_id "
    "JOIN renovations r ON r.id = w.renovation_id WHERE f.at >= ?1{sites} "
    "ORDER BY f.at DESC, f.id DESC LIMIT ?2", sites, "f.site_id", false, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, since);
    sqlite3_bind_int(q, 2, limit > 0 ? limit : 200);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  size_t i;
  json_t *f;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, f) store_refusal_shape(f);
  return err;
}

static lobby_err worker_onsite(lobby_store *st, const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT w.id, w.name, w.phone, r.company, r.number AS renovation, r.building, r.unit, r.room, "
    "w.last_in AS checked_in_at, w.valid_until" WORKER_FROM "WHERE w.on_site = 1{sites} "
    "ORDER BY w.last_in DESC, w.id DESC", sites, "w.site_id", false, &q);
  if (err == LOBBY_OK)
    err = sq__collect(q, out);
  SQ_UNLOCK(s);
  size_t i;
  json_t *w;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, w) store_repair_nest_unit(w);
  return err;
}

void sq__worker_ops(lobby_store_ops *ops)
{
  ops->worker_create = worker_create;
  ops->worker_revoke = worker_revoke;
  ops->worker_renew = worker_renew;
  ops->worker_attendance = worker_attendance_op;
  ops->worker_refusals = worker_refusals;
  ops->worker_onsite = worker_onsite;
}
