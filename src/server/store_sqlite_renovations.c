/* Renovations (装修登记) in the SQLite store.  As with releases, the status
 * column is a cache of the last of the append-only renovation_events,
 * updated in the same transaction; an extension moves end_date and keeps
 * the old and new end on its event.  Workers' passes are
 * store_sqlite_workers.c's. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"

/* ?2 is the local today, for the workers still valid. */
#define RENOVATION_COLUMNS                                                                    \
  "r.id, r.number, (SELECT code FROM sites WHERE sites.id = r.site_id) AS site, "             \
  "r.building, r.unit, r.room, r.company, r.manager, r.manager_phone, r.works, "              \
  "r.start_date AS start, r.end_date AS \"end\", r.status, "                                  \
  "(SELECT COUNT(*) FROM worker_passes w WHERE w.renovation_id = r.id AND w.status = 'active' " \
  "AND w.valid_until >= ?2) AS workers_active, "                                             \
  "(SELECT COUNT(*) FROM worker_passes w WHERE w.renovation_id = r.id AND w.on_site = 1) "    \
  "AS workers_on_site, r.created_at, r.updated_at"

static lobby_err append_event(sq_store *s, int64_t id, renovation_event ev, renovation_status to,
                              const lobby_principal *by, const store_renovation_event *e,
                              const char *old_end, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO renovation_events (renovation_id, event, status, actor_role, actor_name, note, "
    "reason, old_end, new_end, at) VALUES (?,?,?,?,?,?,?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  bool extend = ev == RENOVATION_EVENT_EXTEND;
  sqlite3_bind_int64(q, 1, id);
  sq__bind_text(q, 2, renovation_event_name(ev));
  sq__bind_text(q, 3, renovation_status_name(to));
  sq__bind_text(q, 4, lobby_role_name(by->role));
  sq__bind_text(q, 5, by->name);
  sq__bind_text(q, 6, e ? e->note : NULL);
  sq__bind_text(q, 7, e ? e->reason : NULL);
  sq__bind_text(q, 8, extend ? old_end : NULL);
  sq__bind_text(q, 9, extend ? e->end : NULL);
  sqlite3_bind_int64(q, 10, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err insert_renovation(sq_store *s, const store_renovation_new *n, const char *number,
                                   const lobby_principal *by, int64_t now, int64_t *id)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO renovations (number, site_id, building, unit, room, company, manager, "
    "manager_phone, works, start_date, end_date, status, created_by, created_at, updated_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,'active',?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, number);
  sqlite3_bind_int64(q, 2, n->site_id);
  sq__bind_text(q, 3, n->unit.building);
  sq__bind_text(q, 4, n->unit.unit);
  sq__bind_text(q, 5, n->unit.room);
  sq__bind_text(q, 6, n->company);
  sq__bind_text(q, 7, n->manager);
  sq__bind_text(q, 8, n->manager_phone);
  sq__bind_text(q, 9, n->works ? n->works : "");
  sq__bind_text(q, 10, n->start);
  sq__bind_text(q, 11, n->end);
  sq__bind_text(q, 12, by->name);
  sqlite3_bind_int64(q, 13, now);
  sqlite3_bind_int64(q, 14, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  *id = sqlite3_last_insert_rowid(s->db);
  return err;
}

static lobby_err renovation_events(sq_store *s, int64_t id, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "SELECT event, at, actor_name AS \"by\", actor_role AS by_role, reason, note, old_end, "
    "new_end FROM renovation_events WHERE renovation_id = ? ORDER BY id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  if ((err = sq__collect(q, out)) != LOBBY_OK)
    return err;
  store_drop_nulls(*out);
  return LOBBY_OK;
}

/* One renovation by number as staff see it; full adds its events and
 * workers. */
static lobby_err renovation_fetch(sq_store *s, const char *number, const store_site_set *sites,
                                  bool full, int offset_min, int64_t now, json_t **out)
{
  sqlite3_stmt *q;
  json_t *r, *events = NULL, *workers = NULL;
  char today[11];
  calendar_date_of(now, offset_min, today);
  lobby_err err = sq__prepare_in_sites(s, "SELECT " RENOVATION_COLUMNS " FROM renovations r "
                                          "WHERE r.number = ?1{sites}", sites, "r.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, number);
  sq__bind_text(q, 2, today);
  if ((err = sq__one(q, &r)) != LOBBY_OK)
    return err;
  int64_t id = json_integer_value(json_object_get(r, "id"));
  if (full && (err = renovation_events(s, id, &events)) == LOBBY_OK)
    err = sq__workers_of(s, id, offset_min, now, &workers);
  if (err != LOBBY_OK) {
    json_decref(r);
    json_decref(events);
    return err;
  }
  store_renovation_shape(r, offset_min, now);
  json_object_del(r, "id");
  if (full) {
    json_object_set_new(r, "events", events);
    json_object_set_new(r, "workers", workers);
  }
  *out = r;
  return LOBBY_OK;
}

typedef struct {
  const store_renovation_new *n;
  const lobby_principal *by;
  store_idempotency *idem;
  int offset_min;
  int64_t now;
} renovation_args;

/* Inside the transaction: number, row, first event and the saved answer. */
static lobby_err renovation_create_fn(sq_store *s, void *arg, json_t **out)
{
  renovation_args *a = arg;
  char day[9], number[24];
  unsigned seq = 0;
  int64_t id = 0;
  json_t *answer = NULL;
  lobby_time_local_date(a->now, a->offset_min, day);
  lobby_err err = sq__next_in_day(s, "renovation_seq", day, &seq);
  if (err == LOBBY_OK) {
    renovation_number_format(day, seq, number, sizeof number);
    err = insert_renovation(s, a->n, number, a->by, a->now, &id);
  }
  if (err == LOBBY_OK)
    err = append_event(s, id, RENOVATION_EVENT_REGISTER, RENOVATION_STATUS_ACTIVE, a->by, NULL,
                       NULL, a->now);
  if (err == LOBBY_OK)
    err = renovation_fetch(s, number, NULL, false, a->offset_min, a->now, &answer);
  if (err == LOBBY_OK)
    err = sq__idem_save(s, a->idem, answer, a->now);
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
  renovation_args a = {n, by, idem, offset_min, now};
  return sq__with_idempotency(SQ(st), idem, audit, "number", out, renovation_create_fn, &a);
}

static lobby_err renovation_get(lobby_store *st, const char *number, const store_site_set *sites,
                                int offset_min, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = renovation_fetch(s, number, sites, true, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err renovation_list(lobby_store *st, const store_renovation_filter *f, int offset_min,
                                 int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  char today[11], last[11];
  calendar_date_of(now, offset_min, today);
  calendar_date_of(now + (int64_t)(f->ending_within_days - 1) * 86400, offset_min, last);
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT " RENOVATION_COLUMNS " FROM renovations r WHERE (?1 IS NULL OR r.status = ?1) "
    "AND (?3 IS NULL OR (r.status = 'active' AND r.end_date >= ?2 AND r.end_date <= ?3)){sites} "
    "ORDER BY (r.status = 'active') DESC, CASE WHEN r.status = 'active' THEN r.end_date END, "
    "r.created_at DESC, r.id DESC LIMIT ?4", f->sites, "r.site_id", false, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, f->status);
    sq__bind_text(q, 2, today);
    sq__bind_text(q, 3, f->ending_within_days > 0 ? last : NULL);
    sqlite3_bind_int(q, 4, f->limit > 0 ? f->limit : 200);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  size_t i;
  json_t *r;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, r) {
      store_renovation_shape(r, offset_min, now);
      json_object_del(r, "id");
    }
  return err;
}

lobby_err sq__renovation_head(sq_store *s, const char *where, int64_t value_int,
                              const char *value_text, const store_site_set *sites,
                              sq_renovation_head *h)
{
  char sql[512];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "SELECT r.id, r.status, r.end_date, r.number, r.site_id "
                            "FROM renovations r WHERE %s{sites}", where);
  lobby_err err = sq__prepare_in_sites(s, sql, sites, "r.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  if (value_text)
    sq__bind_text(q, 1, value_text);
  else
    sqlite3_bind_int64(q, 1, value_int);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    h->id = sqlite3_column_int64(q, 0);
    err = renovation_status_parse((const char *)sqlite3_column_text(q, 1), &h->status);
    snprintf(h->end, sizeof h->end, "%s", (const char *)sqlite3_column_text(q, 2));
    snprintf(h->number, sizeof h->number, "%s", (const char *)sqlite3_column_text(q, 3));
    h->site_id = sqlite3_column_int64(q, 4);
  } else {
    err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
  }
  sqlite3_finalize(q);
  return err;
}

/* The cached status and, for an extension, the new end. */
static lobby_err apply_event(sq_store *s, int64_t id, renovation_status to, const char *end,
                             int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "UPDATE renovations SET status = ?1, updated_at = ?2, "
                                 "end_date = COALESCE(?3, end_date) WHERE id = ?4", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, renovation_status_name(to));
  sqlite3_bind_int64(q, 2, now);
  sq__bind_text(q, 3, end);
  sqlite3_bind_int64(q, 4, id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

/* The event's rules against the renovation as it stands. */
static lobby_err check_event(const sq_renovation_head *h, const store_renovation_event *ev,
                             int offset_min, int64_t now, renovation_status *to,
                             store_renovation_verdict *v)
{
  snprintf(v->end, sizeof v->end, "%s", h->end);
  v->live = renovation_live(h->status, h->end, now, offset_min);
  lobby_err err = renovation_transition(h->status, ev->event, to);
  if (err == LOBBY_OK && ev->event == RENOVATION_EVENT_EXTEND &&
      !renovation_extension_valid(h->end, ev->end, v->latest))
    err = LOBBY_EINVAL;
  return err;
}

static lobby_err renovation_event_add(lobby_store *st, const char *number,
                                      const store_renovation_event *ev, const lobby_principal *by,
                                      int offset_min, int64_t now, const store_audit_entry *audit,
                                      store_renovation_verdict *v, json_t **out)
{
  sq_store *s = SQ(st);
  sq_renovation_head h = {0};
  renovation_status to = RENOVATION_STATUS_ACTIVE;
  bool ends = ev->event == RENOVATION_EVENT_FINISH || ev->event == RENOVATION_EVENT_CANCEL;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__renovation_head(s, "r.number = ?", 0, number, &by->sites, &h);
  if (err == LOBBY_OK)
    err = check_event(&h, ev, offset_min, now, &to, v);
  if (err == LOBBY_OK)
    err = append_event(s, h.id, ev->event, to, by, ev, h.end, now);
  if (err == LOBBY_OK)
    err = apply_event(s, h.id, to, ev->event == RENOVATION_EVENT_EXTEND ? ev->end : NULL, now);
  if (err == LOBBY_OK && ends)
    err = sq__workers_revoke_all(s, h.id, ev->reason ? ev->reason : RENOVATION_ENDED_REASON, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = renovation_fetch(s, number, NULL, true, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

void sq__renovation_ops(lobby_store_ops *ops)
{
  ops->renovation_create = renovation_create;
  ops->renovation_get = renovation_get;
  ops->renovation_list = renovation_list;
  ops->renovation_event_add = renovation_event_add;
}
