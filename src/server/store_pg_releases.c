/* Item-release passes (物品放行) in the PostgreSQL store, as
 * store_sqlite_releases.c.  The status column is a cache of the last
 * event in release_events, updated in the same transaction as the event
 * is appended.  Every change first locks the pass's row (SELECT … FOR
 * UPDATE), so of racing uses in any number of processes the first moves
 * it to used and the others, once the lock is theirs, read it used.  An
 * approval takes a transaction-scoped advisory lock while it picks a code,
 * so two approvals never hand out the same live code. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <stdlib.h>
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"

#define RELEASE_COLUMNS                                                                  \
  "r.id, r.number, (SELECT code FROM sites WHERE id = r.site_id) AS site, "              \
  "r.building, r.unit, r.room, r.items, r.date, r.plate, r.name, r.phone, r.source, "    \
  "r.status, r.code, r.reason, r.decided_by, r.decided_at, r.used_at, r.used_by, "       \
  "r.created_at, r.updated_at"

/* The newest approval first when a code names several passes. */
#define NEWEST " ORDER BY r.decided_at DESC NULLS LAST, r.id DESC LIMIT 1"

/* An arbitrary fixed key ("rels" in ASCII) for picking codes. */
#define CODE_LOCK_KEY 1919249523

static lobby_err append_event(pq_conn *c, int64_t release_id, release_event ev, release_status to,
                              const lobby_principal *by, const char *note, const char *reason,
                              int64_t now)
{
  pq_params p = {0};
  pq__int(&p, release_id);
  pq__text(&p, release_event_name(ev));
  pq__text(&p, release_status_name(to));
  pq__text(&p, lobby_role_name(by->role));
  pq__text(&p, by->name);
  pq__text(&p, note);
  pq__text(&p, reason);
  pq__int(&p, now);
  return pq__run(c,
    "INSERT INTO release_events (release_id, event, status, actor_role, actor_name, note, reason, "
    "at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &p, false);
}

static lobby_err insert_release(pq_conn *c, const store_release_new *n, const char *number,
                                const lobby_principal *by, int64_t now, int64_t *id)
{
  char last4[5] = "";
  if (!lobby_phone_last4(n->phone, last4))
    last4[0] = '\0';
  pq_params p = {0};
  pq__text(&p, number);
  pq__int(&p, n->site_id);
  pq__text(&p, n->unit.building);
  pq__text(&p, n->unit.unit ? n->unit.unit : "");
  pq__text(&p, n->unit.room ? n->unit.room : "");
  pq__text(&p, n->items);
  pq__text(&p, n->date);
  pq__text(&p, n->plate && *n->plate ? n->plate : NULL);
  pq__text(&p, n->name);
  pq__text(&p, n->phone);
  pq__text(&p, last4);
  pq__text(&p, n->source);
  pq__text(&p, by->name);
  pq__int(&p, now);
  return pq__int64(c,
    "INSERT INTO releases (number, site_id, building, unit, room, items, date, plate, name, phone, "
    "phone_last4, source, source_detail, status, created_at, updated_at) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $10, $11, $12, $13, 'submitted', $14, $14) RETURNING id", &p, id);
}

typedef struct {
  const store_release_new *n;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
} create_args;

/* Inside the transaction: number, row and first event; the answer is
 * saved by pq__with_idempotency. */
static lobby_err release_create_fn(pq_conn *c, void *arg, json_t **out)
{
  create_args *a = arg;
  char day[9], number[24];
  unsigned seq = 0;
  int64_t id = 0;
  lobby_time_local_date(a->now, a->offset_min, day);
  lobby_err err = pq__next_in_day(c, "release_seq", day, &seq);
  if (err == LOBBY_OK) {
    release_number_format(day, seq, number, sizeof number);
    err = insert_release(c, a->n, number, a->by, a->now, &id);
  }
  if (err == LOBBY_OK)
    err = append_event(c, id, RELEASE_EVENT_SUBMIT, RELEASE_STATUS_SUBMITTED, a->by, NULL, NULL,
                       a->now);
  if (err != LOBBY_OK)
    return err;
  json_t *answer = json_pack("{s:s, s:s, s:s, s:I}", "number", number, "status", "submitted",
                             "date", a->n->date, "created_at", (json_int_t)a->now);
  if (!answer)
    return LOBBY_ENOMEM;
  *out = answer;
  return LOBBY_OK;
}

static lobby_err release_create(lobby_store *st, const store_release_new *n,
                                const lobby_principal *by, store_idempotency *idem,
                                const store_audit_entry *audit, int offset_min, int64_t now,
                                json_t **out)
{
  create_args a = {n, by, offset_min, now};
  return pq__with_idempotency(PQ(st), idem, audit, "number", now, out, release_create_fn, &a);
}

static lobby_err release_events(pq_conn *c, int64_t release_id, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, release_id);
  lobby_err err = pq__collect(c,
    "SELECT event, at, actor_name AS \"by\", actor_role AS by_role, note, reason "
    "FROM release_events WHERE release_id = $1 ORDER BY id", &p, out);
  if (err == LOBBY_OK)
    store_drop_nulls(*out);
  return err;
}

/* One pass by `where` (a condition on r with $1, text), as staff see it,
 * with its events when asked. */
static lobby_err release_fetch(pq_conn *c, const char *where, const char *value,
                               const store_site_set *sites, bool with_events, int offset_min,
                               int64_t now, json_t **out)
{
  char head[512], sql[PQ_SITE_SQL_SIZE];
  json_t *row, *events = NULL;
  snprintf(head, sizeof head, "SELECT " RELEASE_COLUMNS " FROM releases r WHERE %s", where);
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "r.site_id", false, NEWEST);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, value);
  if ((err = pq__one(c, sql, &p, &row)) != LOBBY_OK)
    return err;
  if (with_events &&
      (err = release_events(c, json_integer_value(json_object_get(row, "id")), &events)) != LOBBY_OK) {
    json_decref(row);
    return err;
  }
  store_release_shape(row, offset_min, now);
  json_object_del(row, "id");
  if (events)
    json_object_set_new(row, "events", events);
  *out = row;
  return LOBBY_OK;
}

static lobby_err fetch_alone(lobby_store *st, const char *where, const char *value,
                             const store_site_set *sites, bool with_events, int offset_min,
                             int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = release_fetch(c, where, value, sites, with_events, offset_min, now, out);
  pq__release(s, c);
  return err;
}

static lobby_err release_get(lobby_store *st, const char *number, const store_site_set *sites,
                             int offset_min, int64_t now, json_t **out)
{
  return fetch_alone(st, "r.number = $1", number, sites, true, offset_min, now, out);
}

static lobby_err release_by_code(lobby_store *st, const char *code, const store_site_set *sites,
                                 int offset_min, int64_t now, json_t **out)
{
  return fetch_alone(st, "r.code = $1", code, sites, false, offset_min, now, out);
}

static lobby_err release_lookup(lobby_store *st, const char *number, const char *phone_last4,
                                const store_site_set *sites, int offset_min, int64_t now,
                                json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT number, status, date, items, plate, code, "
                               "reason, used_at, created_at FROM releases WHERE number = $1 "
                               "AND phone_last4 = $2 AND phone_last4 <> ''", sites, "site_id",
                               false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, number);
  pq__text(&p, phone_last4);
  err = pq__read_one(PQ(st), sql, &p, out);
  if (err == LOBBY_OK)
    store_release_public(*out, offset_min, now);
  return err;
}

static lobby_err release_list(lobby_store *st, const store_release_filter *f, int offset_min,
                              int64_t now, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT " RELEASE_COLUMNS " FROM releases r WHERE ($1::text IS NULL OR r.status = $1) "
    "AND ($2::text IS NULL OR r.date = $2)", f->sites, "r.site_id", false,
    " ORDER BY r.created_at DESC, r.id DESC LIMIT $3");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, f->status);
  pq__text(&p, f->date);
  pq__int(&p, f->limit > 0 ? f->limit : 200);
  err = pq__read_all(PQ(st), sql, &p, out);
  size_t i;
  json_t *row;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, row) {
      store_release_shape(row, offset_min, now);
      json_object_del(row, "id");
    }
  return err;
}

/* The pass's row, locked until the transaction ends. */
typedef struct {
  int64_t id;
  release_status status;
  char date[11];
  char number[24];
} locked_release;

static lobby_err lock_release(pq_conn *c, const char *where, const char *value,
                              const store_site_set *sites, locked_release *out)
{
  char head[256], sql[PQ_SITE_SQL_SIZE];
  snprintf(head, sizeof head, "SELECT id, status, date, number FROM releases r WHERE %s", where);
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "r.site_id", false,
                               NEWEST " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, value);
  PGresult *res;
  if ((err = pq__query(c, sql, &p, &res)) != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1) {
    out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    err = release_status_parse(PQgetvalue(res, 0, 1), &out->status) == LOBBY_OK ? LOBBY_OK : LOBBY_EIO;
    snprintf(out->date, sizeof out->date, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->number, sizeof out->number, "%s", PQgetvalue(res, 0, 3));
  } else {
    err = LOBBY_ENOTFOUND;
  }
  PQclear(res);
  return err;
}

/* A code no approved pass whose date has not passed holds, picked under
 * the code lock. */
static lobby_err fresh_code(pq_conn *c, int offset_min, int64_t now, char code[RELEASE_CODE_LEN + 1])
{
  char today[11];
  calendar_date_of(now, offset_min, today);
  char lock[64];
  snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", CODE_LOCK_KEY);
  lobby_err err = pq__exec(c, lock);
  for (int attempt = 0; attempt < 16 && err == LOBBY_OK; attempt++) {
    release_code_random(code);
    pq_params p = {0};
    pq__text(&p, code);
    pq__text(&p, today);
    err = pq__exists(c, "SELECT 1 FROM releases WHERE code = $1 AND status = 'approved' "
                        "AND date >= $2", &p);
    if (err == LOBBY_ENOTFOUND)
      return LOBBY_OK;
  }
  return err == LOBBY_OK ? LOBBY_EIO : err;
}

/* The cached status and what the event sets on the row, as SQLite's. */
static lobby_err apply_event(pq_conn *c, int64_t id, release_event ev, release_status to,
                             const char *code, const char *reason, const lobby_principal *by,
                             int64_t now)
{
  pq_params p = {0};
  pq__text(&p, release_status_name(to));
  pq__int(&p, now);
  pq__text(&p, code);
  pq__text(&p, reason);
  pq__int(&p, ev == RELEASE_EVENT_APPROVE || ev == RELEASE_EVENT_REFUSE);
  pq__text(&p, by->name);
  pq__int(&p, ev == RELEASE_EVENT_USE);
  pq__int(&p, id);
  return pq__run(c,
    "UPDATE releases SET status = $1, updated_at = $2, code = COALESCE($3::text, code), "
    "reason = COALESCE($4::text, reason), "
    "decided_by = CASE WHEN $5::integer = 1 THEN $6::text ELSE decided_by END, "
    "decided_at = CASE WHEN $5::integer = 1 THEN $2 ELSE decided_at END, "
    "used_by = CASE WHEN $7::integer = 1 THEN $6::text ELSE used_by END, "
    "used_at = CASE WHEN $7::integer = 1 THEN $2 ELSE used_at END WHERE id = $8", &p, false);
}

typedef struct {
  const char *key;                 /* number or code */
  const store_release_event *ev;   /* NULL: a use */
  const char *note;                /* a use's */
  const store_site_set *sites;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
  const store_audit_entry *audit;
  release_gate gate;
  json_t *answer;
} event_args;

static lobby_err release_event_fn(pq_conn *c, void *arg)
{
  event_args *a = arg;
  locked_release row;
  release_status to;
  char code[RELEASE_CODE_LEN + 1] = "";
  bool approve = a->ev->event == RELEASE_EVENT_APPROVE;
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = lock_release(c, "r.number = $1", a->key, a->sites, &row);
  if (err == LOBBY_OK)
    err = a->ev->event == RELEASE_EVENT_USE ? LOBBY_ECONFLICT
                                            : release_transition(row.status, a->ev->event, &to);
  if (err == LOBBY_OK && approve)
    err = fresh_code(c, a->offset_min, a->now, code);
  if (err == LOBBY_OK)
    err = append_event(c, row.id, a->ev->event, to, a->by, a->ev->note, a->ev->reason, a->now);
  if (err == LOBBY_OK)
    err = apply_event(c, row.id, a->ev->event, to, approve ? code : NULL, a->ev->reason, a->by,
                      a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = release_fetch(c, "r.number = $1", a->key, NULL, true, a->offset_min, a->now, &a->answer);
  return err;
}

static lobby_err release_event_add(lobby_store *st, const char *number,
                                   const store_release_event *ev, const lobby_principal *by,
                                   int offset_min, int64_t now, const store_audit_entry *audit,
                                   json_t **out)
{
  event_args a = {.key = number, .ev = ev, .sites = &by->sites, .by = by,
                  .offset_min = offset_min, .now = now, .audit = audit};
  lobby_err err = pq__transaction(PQ(st), release_event_fn, &a);
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

/* A refused use keeps the record as it stands (read under the lock) for
 * the gate's answer; the transaction then rolls back, writing nothing. */
static lobby_err release_use_fn(pq_conn *c, void *arg)
{
  event_args *a = arg;
  locked_release row;
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = lock_release(c, "r.code = $1", a->key, a->sites, &row);
  if (err != LOBBY_OK)
    return err;
  a->gate = release_gate_of(row.status, row.date, a->now, a->offset_min);
  if (a->gate != RELEASE_GATE_VALID) {
    err = release_fetch(c, "r.code = $1", a->key, a->sites, false, a->offset_min, a->now,
                        &a->answer);
    return err == LOBBY_OK ? LOBBY_ECONFLICT : err;
  }
  err = append_event(c, row.id, RELEASE_EVENT_USE, RELEASE_STATUS_USED, a->by, a->note, NULL, a->now);
  if (err == LOBBY_OK)
    err = apply_event(c, row.id, RELEASE_EVENT_USE, RELEASE_STATUS_USED, NULL, NULL, a->by, a->now);
  /* The entry names the pass by its number, not by the code typed. */
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, row.number);
  if (err == LOBBY_OK)
    err = release_fetch(c, "r.code = $1", a->key, a->sites, false, a->offset_min, a->now,
                        &a->answer);
  return err;
}

static lobby_err release_use(lobby_store *st, const char *code, const store_site_set *sites,
                             const char *note, const lobby_principal *by, int offset_min,
                             int64_t now, const store_audit_entry *audit, release_gate *gate,
                             json_t **out)
{
  event_args a = {.key = code, .note = note, .sites = sites, .by = by, .offset_min = offset_min,
                  .now = now, .audit = audit, .gate = RELEASE_GATE_VALID};
  lobby_err err = pq__transaction(PQ(st), release_use_fn, &a);
  *gate = a.gate;
  if (err == LOBBY_OK || (err == LOBBY_ECONFLICT && a.answer))
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

void pq__release_ops(lobby_store_ops *ops)
{
  ops->release_create = release_create;
  ops->release_get = release_get;
  ops->release_lookup = release_lookup;
  ops->release_list = release_list;
  ops->release_event_add = release_event_add;
  ops->release_by_code = release_by_code;
  ops->release_use = release_use;
}
