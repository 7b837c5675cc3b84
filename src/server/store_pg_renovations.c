/* Renovations (装修登记) in the PostgreSQL store, as
 * store_sqlite_renovations.c.  The status column is a cache of the last
 * event in renovation_events, updated in the same transaction; every
 * change first locks the renovation's row (SELECT … FOR UPDATE), so
 * events in any number of processes take turns and an extension's check
 * reads the end it moves.  Workers' passes are store_pg_workers.c's. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <stdlib.h>
#include "lobby_time.h"
#include "lobby_workday.h"

/* $2 is the local today, for the workers still valid. */
#define RENOVATION_COLUMNS                                                                    \
  "r.id, r.number, (SELECT code FROM sites WHERE id = r.site_id) AS site, "                   \
  "r.building, r.unit, r.room, r.company, r.manager, r.manager_phone, r.works, "              \
  "r.start_date AS start, r.end_date AS \"end\", r.status, "                                  \
  "(SELECT COUNT(*) FROM worker_passes w WHERE w.renovation_id = r.id AND w.status = 'active' " \
  "AND w.valid_until >= $2::text) AS workers_active, "                                       \
  "(SELECT COUNT(*) FROM worker_passes w WHERE w.renovation_id = r.id AND w.on_site = 1) "    \
  "AS workers_on_site, r.created_at, r.updated_at"

static lobby_err append_event(pq_conn *c, int64_t id, renovation_event ev, renovation_status to,
                              const lobby_principal *by, const store_renovation_event *e,
                              const char *old_end, int64_t now)
{
  bool extend = ev == RENOVATION_EVENT_EXTEND;
  pq_params p = {0};
  pq__int(&p, id);
  pq__text(&p, renovation_event_name(ev));
  pq__text(&p, renovation_status_name(to));
  pq__text(&p, lobby_role_name(by->role));
  pq__text(&p, by->name);
  pq__text(&p, e ? e->note : NULL);
  pq__text(&p, e ? e->reason : NULL);
  pq__text(&p, extend ? old_end : NULL);
  pq__text(&p, extend ? e->end : NULL);
  pq__int(&p, now);
  return pq__run(c,
    "INSERT INTO renovation_events (renovation_id, event, status, actor_role, actor_name, note, "
    "reason, old_end, new_end, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", &p, false);
}

static lobby_err insert_renovation(pq_conn *c, const store_renovation_new *n, const char *number,
                                   const lobby_principal *by, int64_t now, int64_t *id)
{
  pq_params p = {0};
  pq__text(&p, number);
  pq__int(&p, n->site_id);
  pq__text(&p, n->unit.building);
  pq__text(&p, n->unit.unit);
  pq__text(&p, n->unit.room);
  pq__text(&p, n->company);
  pq__text(&p, n->manager);
  pq__text(&p, n->manager_phone);
  pq__text(&p, n->works ? n->works : "");
  pq__text(&p, n->start);
  pq__text(&p, n->end);
  pq__text(&p, by->name);
  pq__int(&p, now);
  return pq__int64(c,
    "INSERT INTO renovations (number, site_id, building, unit, room, company, manager, "
    "manager_phone, works, start_date, end_date, status, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, $13, $13) RETURNING id",
    &p, id);
}

static lobby_err renovation_events(pq_conn *c, int64_t id, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, id);
  lobby_err err = pq__collect(c,
    "SELECT event, at, actor_name AS \"by\", actor_role AS by_role, reason, note, old_end, "
    "new_end FROM renovation_events WHERE renovation_id = $1 ORDER BY id", &p, out);
  if (err == LOBBY_OK)
    store_drop_nulls(*out);
  return err;
}

/* One renovation by number as staff see it; full adds its events and
 * workers. */
static lobby_err renovation_fetch(pq_conn *c, const char *number, const store_site_set *sites,
                                  bool full, int offset_min, int64_t now, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE], today[11];
  json_t *row, *events = NULL, *workers = NULL;
  calendar_date_of(now, offset_min, today);
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " RENOVATION_COLUMNS
                               " FROM renovations r WHERE r.number = $1", sites, "r.site_id",
                               false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, number);
  pq__text(&p, today);
  if ((err = pq__one(c, sql, &p, &row)) != LOBBY_OK)
    return err;
  int64_t id = json_integer_value(json_object_get(row, "id"));
  if (full && (err = renovation_events(c, id, &events)) == LOBBY_OK)
    err = pq__workers_of(c, id, offset_min, now, &workers);
  if (err != LOBBY_OK) {
    json_decref(row);
    json_decref(events);
    return err;
  }
  store_renovation_shape(row, offset_min, now);
  json_object_del(row, "id");
  if (full) {
    json_object_set_new(row, "events", events);
    json_object_set_new(row, "workers", workers);
  }
  *out = row;
  return LOBBY_OK;
}

typedef struct {
  const store_renovation_new *n;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
} create_args;

/* Inside the transaction: number, row and first event; the answer is
 * saved by pq__with_idempotency. */
static lobby_err renovation_create_fn(pq_conn *c, void *arg, json_t **out)
{
  create_args *a = arg;
  char day[9], number[24];
  unsigned seq = 0;
  int64_t id = 0;
  json_t *answer = NULL;
  lobby_time_local_date(a->now, a->offset_min, day);
  lobby_err err = pq__next_in_day(c, "renovation_seq", day, &seq);
  if (err == LOBBY_OK) {
    renovation_number_format(day, seq, number, sizeof number);
    err = insert_renovation(c, a->n, number, a->by, a->now, &id);
  }
  if (err == LOBBY_OK)
    err = append_event(c, id, RENOVATION_EVENT_REGISTER, RENOVATION_STATUS_ACTIVE, a->by, NULL,
                       NULL, a->now);
  if (err == LOBBY_OK)
    err = renovation_fetch(c, number, NULL, false, a->offset_min, a->now, &answer);
  if (err != LOBBY_OK) {
    json_decref(answer);
    return err;
  }
  *out = answer;
  return LOBBY_OK;
}

static lobby_err renovation_create(lobby_store *st, const store_renovation_new *n,
                                   const lobby_principal *by, store_idempotency *idem,
                                   const store_audit_entry *audit, int offset_min, int64_t now,
                                   json_t **out)
{
  create_args a = {n, by, offset_min, now};
  return pq__with_idempotency(PQ(st), idem, audit, "number", now, out, renovation_create_fn, &a);
}

static lobby_err renovation_get(lobby_store *st, const char *number, const store_site_set *sites,
                                int offset_min, int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = renovation_fetch(c, number, sites, true, offset_min, now, out);
  pq__release(s, c);
  return err;
}

static lobby_err renovation_list(lobby_store *st, const store_renovation_filter *f, int offset_min,
                                 int64_t now, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE], today[11], last[11];
  calendar_date_of(now, offset_min, today);
  calendar_date_of(now + (int64_t)(f->ending_within_days - 1) * 86400, offset_min, last);
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT " RENOVATION_COLUMNS " FROM renovations r WHERE ($1::text IS NULL OR r.status = $1) "
    "AND ($3::text IS NULL OR (r.status = 'active' AND r.end_date >= $2 AND r.end_date <= $3))",
    f->sites, "r.site_id", false,
    " ORDER BY (r.status = 'active') DESC, CASE WHEN r.status = 'active' THEN r.end_date END, "
    "r.created_at DESC, r.id DESC LIMIT $4");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, f->status);
  pq__text(&p, today);
  pq__text(&p, f->ending_within_days > 0 ? last : NULL);
  pq__int(&p, f->limit > 0 ? f->limit : 200);
  err = pq__read_all(PQ(st), sql, &p, out);
  size_t i;
  json_t *row;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, row) {
      store_renovation_shape(row, offset_min, now);
      json_object_del(row, "id");
    }
  return err;
}

lobby_err pq__renovation_lock(pq_conn *c, const char *where, int64_t value_int,
                              const char *value_text, const store_site_set *sites,
                              pq_renovation_head *h)
{
  char head[512], sql[PQ_SITE_SQL_SIZE];
  snprintf(head, sizeof head, "SELECT r.id, r.status, r.end_date, r.number, r.site_id "
                              "FROM renovations r WHERE %s", where);
  lobby_err err = pq__site_sql(sql, sizeof sql, head, sites, "r.site_id", false, " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  if (value_text)
    pq__text(&p, value_text);
  else
    pq__int(&p, value_int);
  PGresult *res;
  if ((err = pq__query(c, sql, &p, &res)) != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1) {
    h->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    err = renovation_status_parse(PQgetvalue(res, 0, 1), &h->status) == LOBBY_OK ? LOBBY_OK
                                                                                  : LOBBY_EIO;
    snprintf(h->end, sizeof h->end, "%s", PQgetvalue(res, 0, 2));
    snprintf(h->number, sizeof h->number, "%s", PQgetvalue(res, 0, 3));
    h->site_id = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
  } else {
    err = LOBBY_ENOTFOUND;
  }
  PQclear(res);
  return err;
}

typedef struct {
  const char *number;
  const store_renovation_event *ev;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
  const store_audit_entry *audit;
  store_renovation_verdict *v;
  json_t *answer;
} event_args;

static lobby_err renovation_event_fn(pq_conn *c, void *arg)
{
  event_args *a = arg;
  pq_renovation_head h = {0};
  renovation_status to = RENOVATION_STATUS_ACTIVE;
  const store_renovation_event *ev = a->ev;
  bool extend = ev->event == RENOVATION_EVENT_EXTEND;
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = pq__renovation_lock(c, "r.number = $1", 0, a->number, &a->by->sites, &h);
  if (err == LOBBY_OK) {
    snprintf(a->v->end, sizeof a->v->end, "%s", h.end);
    a->v->live = renovation_live(h.status, h.end, a->now, a->offset_min);
    err = renovation_transition(h.status, ev->event, &to);
  }
  if (err == LOBBY_OK && extend && !renovation_extension_valid(h.end, ev->end, a->v->latest))
    err = LOBBY_EINVAL;
  if (err == LOBBY_OK)
    err = append_event(c, h.id, ev->event, to, a->by, ev, h.end, a->now);
  if (err == LOBBY_OK) {
    pq_params p = {0};
    pq__text(&p, renovation_status_name(to));
    pq__int(&p, a->now);
    pq__text(&p, extend ? ev->end : NULL);
    pq__int(&p, h.id);
    err = pq__run(c, "UPDATE renovations SET status = $1, updated_at = $2, "
                     "end_date = COALESCE($3::text, end_date) WHERE id = $4", &p, false);
  }
  if (err == LOBBY_OK && !extend)
    err = pq__workers_revoke_all(c, h.id, ev->reason ? ev->reason : RENOVATION_ENDED_REASON,
                                 a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = renovation_fetch(c, a->number, NULL, true, a->offset_min, a->now, &a->answer);
  return err;
}

static lobby_err renovation_event_add(lobby_store *st, const char *number,
                                      const store_renovation_event *ev, const lobby_principal *by,
                                      int offset_min, int64_t now, const store_audit_entry *audit,
                                      store_renovation_verdict *v, json_t **out)
{
  event_args a = {number, ev, by, offset_min, now, audit, v, NULL};
  lobby_err err = pq__transaction(PQ(st), renovation_event_fn, &a);
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

void pq__renovation_ops(lobby_store_ops *ops)
{
  ops->renovation_create = renovation_create;
  ops->renovation_get = renovation_get;
  ops->renovation_list = renovation_list;
  ops->renovation_event_add = renovation_event_add;
}
