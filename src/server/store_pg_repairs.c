/* The repair ledger in the PostgreSQL store, as store_sqlite_repairs.c.
 * The status column is a cache of the last event in repair_events,
 * updated in the same transaction as the event is appended; events are
 * never changed or deleted.  Several lobbyd processes may share the
 * database: a ticket's number comes from the ticket_seq row of its day,
 * incremented inside the creating transaction (the row lock serialises
 * creations, a rollback undoes the increment, so numbers have neither
 * gaps nor duplicates), and an event locks its repair row before reading
 * the status it changes. */
#include "store_pg_internal.h"
#include "lobby_follow.h"
#include "store_records.h"
#include "store_repair_query.h"

#include <stdlib.h>
#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"

#define REPAIR_STAFF_COLUMNS STORE_REPAIR_STAFF_COLUMNS

/* The day's next number.  The upsert locks the day's row until the
 * transaction ends, so concurrent creations (in any process) take turns. */
static lobby_err next_ticket(pq_conn *c, int offset_min, int64_t now, char *ticket, int size)
{
  char day[9];
  lobby_time_local_date(now, offset_min, day);
  pq_params p = {0};
  pq__text(&p, day);
  int64_t last = 0;
  lobby_err err = pq__int64(c, "INSERT INTO ticket_seq (day, last) VALUES ($1, 1) "
                               "ON CONFLICT (day) DO UPDATE SET last = ticket_seq.last + 1 "
                               "RETURNING last", &p, &last);
  if (err == LOBBY_ENOTFOUND)
    err = LOBBY_EIO;
  if (err != LOBBY_OK)
    return err;
  repair_ticket_format(day, (unsigned)last, ticket, size);
  return LOBBY_OK;
}

static lobby_err append_event(pq_conn *c, int64_t repair_id, repair_event ev, repair_status to,
                              const lobby_principal *by, const store_repair_event *detail,
                              int64_t now)
{
  pq_params p = {0};
  pq__int(&p, repair_id);
  pq__text(&p, repair_event_name(ev));
  pq__text(&p, repair_status_name(to));
  pq__text(&p, lobby_role_name(by->role));
  pq__text(&p, by->name);
  if (detail) {
    pq__text(&p, detail->note);
    pq__text(&p, detail->technician);
    if (detail->satisfaction)
      pq__int(&p, detail->satisfaction);
    else
      pq__null(&p);
    pq__text(&p, detail->comment);
    pq__text(&p, detail->reason);
  } else {
    for (int i = 0; i < 5; i++)
      pq__null(&p);
  }
  pq__int(&p, now);
  return pq__run(c,
    "INSERT INTO repair_events (repair_id, event, status, actor_role, actor_name, note, "
    "technician, satisfaction, comment, reason, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", &p, false);
}

static lobby_err insert_repair(pq_conn *c, const store_repair_new *r, const char *ticket,
                               const char *follow_token, const lobby_principal *by, int64_t now,
                               int64_t *id)
{
  char last4[5] = "";
  (void)lobby_phone_last4(r->phone, last4);
  pq_params p = {0};
  pq__text(&p, ticket);
  pq__text(&p, r->unit.building);
  pq__text(&p, r->unit.unit ? r->unit.unit : "");
  pq__text(&p, r->unit.room ? r->unit.room : "");
  pq__text(&p, r->name);
  pq__text(&p, r->phone);
  pq__text(&p, last4);
  pq__text(&p, r->category);
  pq__text(&p, r->kind);
  pq__text(&p, repair_urgency_names[r->urgency]);
  if (r->window_from) {
    pq__int(&p, r->window_from);
    pq__int(&p, r->window_to);
  } else {
    pq__null(&p);
    pq__null(&p);
  }
  pq__text(&p, r->description);
  pq__text(&p, r->source);
  pq__text(&p, by->name);
  /* Front-desk staff who take a request by phone own it from the start
   * (首问责任人); a kiosk request gets its owner when someone accepts it. */
  if (by->role != ROLE_KIOSK)
    pq__int(&p, by->id);
  else
    pq__null(&p);
  pq__int(&p, now);
  pq__int(&p, r->due_at);
  pq__int(&p, r->site_id);
  pq__text(&p, follow_token);
  pq__text(&p, repair_event_name(REPAIR_EVENT_SUBMIT));
  pq__text(&p, lobby_role_name(by->role));
  /* The row and its first event in one statement: the day's ticket row
   * stays locked until the commit, so every round trip saved here is
   * time other submissions do not wait. */
  return pq__int64(c,
    "WITH r AS (INSERT INTO repairs (ticket, building, unit, room, name, phone, phone_last4, "
    "category, kind, urgency, window_from, window_to, description, source, source_detail, "
    "status, first_contact_id, created_at, due_at, updated_at, site_id, follow_token) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'submitted', "
    "$16, $17, $18, $17, $19, $20) RETURNING id) "
    "INSERT INTO repair_events (repair_id, event, status, actor_role, actor_name, at) "
    "SELECT id, $21, 'submitted', $22, $15, $17 FROM r RETURNING repair_id", &p, id);
}

typedef struct {
  const store_repair_new *r;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
} repair_args;

/* Inside the transaction: number, and the row with its first event; the
 * answer is saved by pq__with_idempotency. */
static lobby_err repair_create_fn(pq_conn *c, void *arg, json_t **out)
{
  repair_args *a = arg;
  char ticket[24], follow_token[LOBBY_FOLLOW_TOKEN_LEN + 1];
  int64_t id = 0;
  lobby_follow_token_new(follow_token);
  lobby_err err = next_ticket(c, a->offset_min, a->now, ticket, sizeof ticket);
  if (err == LOBBY_OK)
    err = insert_repair(c, a->r, ticket, follow_token, a->by, a->now, &id);
  if (err != LOBBY_OK)
    return err;
  json_t *answer = json_pack("{s:s, s:s, s:I, s:I}", "ticket", ticket, "status", "submitted",
                             "due_at", (json_int_t)a->r->due_at, "created_at", (json_int_t)a->now);
  if (!answer)
    return LOBBY_ENOMEM;
  json_object_set_new(answer, "follow_token", json_string(follow_token));
  *out = answer;
  return LOBBY_OK;
}

static lobby_err repair_create(lobby_store *st, const store_repair_new *r,
                               const lobby_principal *by, store_idempotency *idem,
                               const store_audit_entry *audit, int offset_min, int64_t now,
                               json_t **out)
{
  repair_args a = {r, by, offset_min, now};
  return pq__with_idempotency(PQ(st), idem, audit, "ticket", now, out, repair_create_fn, &a);
}

/* The public view leaves out take, which changes no status. */
static lobby_err repair_events(pq_conn *c, int64_t repair_id, bool public_view, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, repair_id);
  lobby_err err = pq__collect(c, public_view
    ? "SELECT status, at FROM repair_events WHERE repair_id = $1 AND event <> 'take' ORDER BY id"
    : "SELECT event, status, at, actor_name AS \"by\", actor_role AS by_role, note, technician, "
      "satisfaction, comment, reason FROM repair_events WHERE repair_id = $1 ORDER BY id",
    &p, out);
  if (err != LOBBY_OK)
    return err;
  /* Leave out the empty details so each event reads cleanly. */
  if (!public_view)
    store_drop_nulls(*out);
  return LOBBY_OK;
}

/* The ticket with its timeline, if one of the set's sites has it. */
static lobby_err repair_fetch(pq_conn *c, const char *ticket, const store_site_set *sites,
                              int64_t now, json_t **out)
{
  json_t *r, *events = NULL;
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " REPAIR_STAFF_COLUMNS " FROM repairs r "
                               "WHERE ticket = $1", sites, "r.site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, ticket);
  err = pq__one(c, sql, &p, &r);
  if (err != LOBBY_OK)
    return err;
  int64_t id = json_integer_value(json_object_get(r, "id"));
  json_t *photos = NULL;
  err = repair_events(c, id, false, &events);
  if (err == LOBBY_OK)
    err = pq__repair_photos(c, id, &photos);
  if (err != LOBBY_OK) {
    json_decref(events);
    json_decref(r);
    return err;
  }
  store_repair_mark_overdue(r, now);
  store_repair_nest_unit(r);
  json_object_del(r, "id");
  json_object_set_new(r, "timeline", events);
  json_object_set_new(r, "photos", photos);
  *out = r;
  return LOBBY_OK;
}

static lobby_err repair_get(lobby_store *st, const char *ticket, const store_site_set *sites,
                            json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = repair_fetch(c, ticket, sites, lobby_now(), out);
  pq__release(s, c);
  return err;
}

static lobby_err repair_lookup(lobby_store *st, const char *ticket, const char *phone_last4,
                               const store_site_set *sites, int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  json_t *r = NULL, *events;
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT id, ticket, status, category, urgency, "
                               "created_at, due_at FROM repairs WHERE ticket = $1 "
                               "AND phone_last4 = $2", sites, "site_id", false, "");
  if (err == LOBBY_OK)
    err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, ticket);
  pq__text(&p, phone_last4);
  err = pq__one(c, sql, &p, &r);
  if (err == LOBBY_OK)
    err = repair_events(c, json_integer_value(json_object_get(r, "id")), true, &events);
  pq__release(s, c);
  if (err == LOBBY_OK) {
    store_repair_mark_overdue(r, now);
    json_object_del(r, "id");
    json_object_set_new(r, "timeline", events);
    *out = r;
  } else {
    json_decref(r);
  }
  return err;
}

static lobby_err repair_follow(lobby_store *st, const char *token, int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  json_t *r = NULL, *events;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, token);
  err = pq__one(c, STORE_REPAIR_FOLLOW_SQL("$1"), &p, &r);
  if (err == LOBBY_OK)
    err = repair_events(c, json_integer_value(json_object_get(r, "id")), true, &events);
  pq__release(s, c);
  if (err == LOBBY_OK) {
    store_repair_follow_finish(r, events, now);
    *out = r;
  } else {
    json_decref(r);
  }
  return err;
}

static lobby_err repair_list(lobby_store *st, const store_repair_filter *f, int64_t now,
                             json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  store_query_runner run = {.ctx = c, .dollar = true, .rows = pq__query_rows};
  err = store_repair_list_run(&run, f, now, out);
  pq__release(s, c);
  size_t i;
  json_t *r;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, r) {
      store_repair_mark_overdue(r, now);
      store_repair_nest_unit(r);
      json_object_del(r, "id");
    }
  return err;
}

static lobby_err repair_counts(lobby_store *st, const store_repair_filter *f, int64_t now,
                               int64_t today_from, store_repair_counts *out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  store_query_runner run = {.ctx = c, .dollar = true, .rows = pq__query_rows};
  err = store_repair_counts_run(&run, f, now, today_from, out);
  pq__release(s, c);
  return err;
}

/* Updates the cached status and what the event changes on the ticket
 * (STORE_REPAIR_APPLY_EVENT, shared with the SQLite store). */
static lobby_err apply_event(pq_conn *c, int64_t id, repair_status to,
                             const store_repair_event *ev, int64_t technician_id,
                             const lobby_principal *by, int64_t now)
{
  pq_params p = {0};
  pq__text(&p, repair_status_name(to));
  pq__int(&p, now);
  pq__int(&p, technician_id);
  pq__int(&p, ev->satisfaction);
  if (by->role != ROLE_KIOSK)
    pq__int(&p, by->id);
  else
    pq__null(&p);
  pq__int(&p, id);
  pq__int(&p, repair_score_needs_follow_up(ev->satisfaction));
  pq__text(&p, repair_event_name(ev->event));
  return pq__run(c, STORE_REPAIR_APPLY_EVENT("$"), &p, false);
}

/* An enabled technician by name who works for the repair's site (or for
 * every site); LOBBY_EINVAL for none. */
static lobby_err find_technician(pq_conn *c, const char *name, int64_t site_id, int64_t *id)
{
  pq_params p = {0};
  pq__text(&p, name);
  pq__int(&p, site_id);
  lobby_err err = pq__int64(c, "SELECT id FROM staff WHERE name = $1 AND disabled = 0 "
    "AND role = 'technician' AND (NOT EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id) "
    "  OR EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id AND site_id = $2))", &p, id);
  return err == LOBBY_ENOTFOUND ? LOBBY_EINVAL : err;
}

/* Locks the repair row until the transaction ends and reads its status,
 * so a concurrent event (from any process) waits and then sees this
 * one's outcome.  A ticket of a site outside by's, or for a technician
 * one dispatched to someone else, is LOBBY_ENOTFOUND. */
lobby_err pq__repair_lock_reachable(pq_conn *c, const char *ticket, const lobby_principal *by,
                                    int64_t *id, repair_status *status, int64_t *site_id)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT id, status, site_id FROM repairs "
                               "WHERE ticket = $1 AND ($2::bigint = 0 OR technician_id = $2)",
                               &by->sites, "site_id", false, " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, ticket);
  pq__int(&p, by->role == ROLE_TECHNICIAN ? by->id : 0);
  PGresult *res;
  err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1) {
    *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    err = repair_status_parse(PQgetvalue(res, 0, 1), status);
    *site_id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
  } else {
    err = LOBBY_ENOTFOUND;
  }
  PQclear(res);
  return err;
}

typedef struct {
  const char *ticket;
  const store_repair_event *ev;
  const lobby_principal *by;
  int64_t now;
  const store_audit_entry *audit;
  json_t *answer;          /* the ticket as committed */
} event_args;

static lobby_err repair_event_fn(pq_conn *c, void *arg)
{
  event_args *a = arg;
  int64_t id = 0, technician_id = 0, site_id = 0;
  repair_status from, to;
  /* A deadlock runs the transaction again: drop the last run's answer. */
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = pq__repair_lock_reachable(c, a->ticket, a->by, &id, &from, &site_id);
  if (err == LOBBY_OK)
    err = repair_transition_as(a->by->role, from, a->ev->event, &to);
  if (err == LOBBY_OK && a->ev->event == REPAIR_EVENT_DISPATCH)
    err = find_technician(c, a->ev->technician, site_id, &technician_id);
  if (err == LOBBY_OK)
    err = append_event(c, id, a->ev->event, to, a->by, a->ev, a->now);
  if (err == LOBBY_OK)
    err = apply_event(c, id, to, a->ev, technician_id, a->by, a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = repair_fetch(c, a->ticket, NULL, a->now, &a->answer);
  return err;
}

static lobby_err repair_event_add(lobby_store *st, const char *ticket, const store_repair_event *ev,
                                  const lobby_principal *by, int64_t now,
                                  const store_audit_entry *audit, json_t **out)
{
  event_args a = {ticket, ev, by, now, audit, NULL};
  lobby_err err = pq__transaction(PQ(st), repair_event_fn, &a);
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

void pq__repair_ops(lobby_store_ops *ops)
{
  ops->repair_create = repair_create;
  ops->repair_get = repair_get;
  ops->repair_lookup = repair_lookup;
  ops->repair_follow = repair_follow;
  ops->repair_list = repair_list;
  ops->repair_counts = repair_counts;
  ops->repair_event_add = repair_event_add;
}
