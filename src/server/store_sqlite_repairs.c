/* The repair ledger in the SQLite store.  The status column is a cache of
 * the last event in repair_events, updated in the same transaction as the
 * event is appended; events are never changed or deleted. */
#include "store_sqlite_internal.h"
#include "store_records.h"
#include "store_repair_query.h"

#include <string.h>
#include "lobby_follow.h"
#include "lobby_text.h"
#include "lobby_time.h"

#define REPAIR_STAFF_COLUMNS STORE_REPAIR_STAFF_COLUMNS

static lobby_err next_ticket(sq_store *s, int offset_min, int64_t now, char *ticket, int size)
{
  char day[9];
  sqlite3_stmt *q;
  lobby_time_local_date(now, offset_min, day);
  lobby_err err = sq__prepare(s, "INSERT INTO ticket_seq (day, last) VALUES (?, 1) "
                                 "ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, day);
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_finalize(q);
    return LOBBY_EIO;
  }
  repair_ticket_format(day, (unsigned)sqlite3_column_int(q, 0), ticket, size);
  sqlite3_finalize(q);
  return LOBBY_OK;
}

static lobby_err append_event(sq_store *s, int64_t repair_id, repair_event ev, repair_status to,
                              const lobby_principal *by, const store_repair_event *detail,
                              int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO repair_events (repair_id, event, status, actor_role, actor_name, note, "
    "technician, satisfaction, comment, reason, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, repair_id);
  sq__bind_text(q, 2, repair_event_name(ev));
  sq__bind_text(q, 3, repair_status_name(to));
  sq__bind_text(q, 4, lobby_role_name(by->role));
  sq__bind_text(q, 5, by->name);
  if (detail) {
    sq__bind_text(q, 6, detail->note);
    sq__bind_text(q, 7, detail->technician);
    if (detail->satisfaction)
      sqlite3_bind_int(q, 8, detail->satisfaction);
    sq__bind_text(q, 9, detail->comment);
    sq__bind_text(q, 10, detail->reason);
  }
  sqlite3_bind_int64(q, 11, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err insert_repair(sq_store *s, const store_repair_new *r, const char *ticket,
                               const char *follow_token, const lobby_principal *by, int64_t now,
                               int64_t *id)
{
  sqlite3_stmt *q;
  char last4[5] = "";
  (void)lobby_phone_last4(r->phone, last4);
  lobby_err err = sq__prepare(s,
    "INSERT INTO repairs (ticket, building, unit, room, name, phone, phone_last4, category, "
    "kind, urgency, window_from, window_to, description, source, source_detail, status, "
    "first_contact_id, created_at, due_at, updated_at, site_id, follow_token) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'submitted',?,?,?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, ticket);
  sq__bind_text(q, 2, r->unit.building);
  sq__bind_text(q, 3, r->unit.unit ? r->unit.unit : "");
  sq__bind_text(q, 4, r->unit.room ? r->unit.room : "");
  sq__bind_text(q, 5, r->name);
  sq__bind_text(q, 6, r->phone);
  sq__bind_text(q, 7, last4);
  sq__bind_text(q, 8, r->category);
  sq__bind_text(q, 9, r->kind);
  sq__bind_text(q, 10, repair_urgency_names[r->urgency]);
  if (r->window_from) {
    sqlite3_bind_int64(q, 11, r->window_from);
    sqlite3_bind_int64(q, 12, r->window_to);
  }
  sq__bind_text(q, 13, r->description);
  sq__bind_text(q, 14, r->source);
  sq__bind_text(q, 15, by->name);
  /* Front-desk staff who take a request by phone own it from the start
   * (首问责任人); a kiosk request gets its owner when someone accepts it. */
  if (by->role != ROLE_KIOSK)
    sqlite3_bind_int64(q, 16, by->id);
  sqlite3_bind_int64(q, 17, now);
  sqlite3_bind_int64(q, 18, r->due_at);
  sqlite3_bind_int64(q, 19, now);
  sqlite3_bind_int64(q, 20, r->site_id);
  sq__bind_text(q, 21, follow_token);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  *id = sqlite3_last_insert_rowid(s->db);
  return err;
}

typedef struct {
  const store_repair_new *r;
  const lobby_principal *by;
  store_idempotency *idem;
  int offset_min;
  int64_t now;
} repair_args;

/* Inside the transaction: number, row, first event and the saved answer. */
static lobby_err repair_create_fn(sq_store *s, void *arg, json_t **out)
{
  repair_args *a = arg;
  char ticket[24], follow_token[LOBBY_FOLLOW_TOKEN_LEN + 1];
  int64_t id = 0;
  lobby_follow_token_new(follow_token);
  lobby_err err = next_ticket(s, a->offset_min, a->now, ticket, sizeof ticket);
  if (err == LOBBY_OK)
    err = insert_repair(s, a->r, ticket, follow_token, a->by, a->now, &id);
  if (err == LOBBY_OK)
    err = append_event(s, id, REPAIR_EVENT_SUBMIT, REPAIR_STATUS_SUBMITTED, a->by, NULL, a->now);
  if (err != LOBBY_OK)
    return err;
  json_t *answer = json_pack("{s:s, s:s, s:I, s:I}", "ticket", ticket, "status", "submitted",
                             "due_at", (json_int_t)a->r->due_at, "created_at", (json_int_t)a->now);
  if (answer)
    json_object_set_new(answer, "follow_token", json_string(follow_token));
  err = answer ? sq__idem_save(s, a->idem, answer, a->now) : LOBBY_ENOMEM;
  if (err != LOBBY_OK) {
    json_decref(answer);
    return err;
  }
  *out = answer;
  return LOBBY_OK;
}

static lobby_err repair_create(lobby_store *st, const store_repair_new *r,
                               const lobby_principal *by, store_idempotency *idem,
                               const store_audit_entry *audit, int offset_min, int64_t now,
                               json_t **out)
{
  repair_args a = {r, by, idem, offset_min, now};
  return sq__with_idempotency(SQ(st), idem, audit, "ticket", out, repair_create_fn, &a);
}

/* The public view leaves out take, which changes no status. */
static lobby_err repair_events(sq_store *s, int64_t repair_id, bool public_view, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, public_view
    ? "SELECT status, at FROM repair_events WHERE repair_id = ? AND event <> 'take' ORDER BY id"
    : "SELECT event, status, at, actor_name AS \"by\", actor_role AS by_role, note, technician, "
      "satisfaction, comment, reason FROM repair_events WHERE repair_id = ? ORDER BY id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, repair_id);
  if ((err = sq__collect(q, out)))
    return err;
  /* Leave out the empty details so each event reads cleanly. */
  if (!public_view)
    store_drop_nulls(*out);
  return LOBBY_OK;
}

static lobby_err repair_fetch(sq_store *s, const char *ticket, const store_site_set *sites,
                              int64_t now, json_t **out)
{
  sqlite3_stmt *q;
  json_t *r, *events = NULL;
  lobby_err err = sq__prepare_in_sites(s, "SELECT " REPAIR_STAFF_COLUMNS " FROM repairs r "
                                          "WHERE ticket = ?{sites}", sites, "r.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, ticket);
  if ((err = sq__one(q, &r)))
    return err;
  int64_t id = json_integer_value(json_object_get(r, "id"));
  json_t *photos = NULL;
  if ((err = repair_events(s, id, false, &events)) || (err = sq__repair_photos(s, id, &photos))) {
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
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = repair_fetch(s, ticket, sites, lobby_now(), out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err repair_lookup(lobby_store *st, const char *ticket, const char *phone_last4,
                               const store_site_set *sites, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  json_t *r = NULL, *events;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s, "SELECT id, ticket, status, category, urgency, "
                                          "created_at, due_at FROM repairs WHERE ticket = ? "
                                          "AND phone_last4 = ?{sites}", sites, "site_id", false, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, ticket);
    sq__bind_text(q, 2, phone_last4);
    err = sq__one(q, &r);
  }
  if (err == LOBBY_OK)
    err = repair_events(s, json_integer_value(json_object_get(r, "id")), true, &events);
  if (err == LOBBY_OK) {
    store_repair_mark_overdue(r, now);
    json_object_del(r, "id");
    json_object_set_new(r, "timeline", events);
    *out = r;
  } else {
    json_decref(r);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err repair_follow(lobby_store *st, const char *token, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  json_t *r = NULL, *events;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, STORE_REPAIR_FOLLOW_SQL("?"), &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, token);
    err = sq__one(q, &r);
  }
  if (err == LOBBY_OK)
    err = repair_events(s, json_integer_value(json_object_get(r, "id")), true, &events);
  if (err == LOBBY_OK) {
    store_repair_follow_finish(r, events, now);
    *out = r;
  } else {
    json_decref(r);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err repair_list(lobby_store *st, const store_repair_filter *f, int64_t now,
                             json_t **out)
{
  sq_store *s = SQ(st);
  store_query_runner run = {.ctx = s, .dollar = false, .rows = sq__query_rows};
  SQ_LOCK(s);
  lobby_err err = store_repair_list_run(&run, f, now, out);
  SQ_UNLOCK(s);
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
  sq_store *s = SQ(st);
  store_query_runner run = {.ctx = s, .dollar = false, .rows = sq__query_rows};
  SQ_LOCK(s);
  lobby_err err = store_repair_counts_run(&run, f, now, today_from, out);
  SQ_UNLOCK(s);
  return err;
}

/* Updates the cached status and what the event changes on the ticket:
 * take notes when; dispatch and decline clear it, decline the technician
 * too (SQL shared with the PostgreSQL store: STORE_REPAIR_APPLY_EVENT). */
static lobby_err apply_event(sq_store *s, int64_t id, repair_status to,
                             const store_repair_event *ev, int64_t technician_id,
                             const lobby_principal *by, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, STORE_REPAIR_APPLY_EVENT("?"), &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, repair_status_name(to));
  sqlite3_bind_int64(q, 2, now);
  sqlite3_bind_int64(q, 3, technician_id);
  sqlite3_bind_int(q, 4, ev->satisfaction);
  if (by->role != ROLE_KIOSK)
    sqlite3_bind_int64(q, 5, by->id);
  sqlite3_bind_int64(q, 6, id);
  sqlite3_bind_int(q, 7, repair_score_needs_follow_up(ev->satisfaction));
  sq__bind_text(q, 8, repair_event_name(ev->event));
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

/* A technician who works for the repair's site (or for every site). */
static lobby_err find_technician(sq_store *s, const char *name, int64_t site_id, int64_t *id)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT id FROM staff WHERE name = ? AND disabled = 0 "
    "AND role = 'technician' AND (NOT EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id) "
    "  OR EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id AND site_id = ?))", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, name);
  sqlite3_bind_int64(q, 2, site_id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_EINVAL : LOBBY_EIO;
}

/* The ticket's row id, status and site, when by reaches it: a ticket of
 * a site outside by's, or for a technician one dispatched to someone
 * else, is LOBBY_ENOTFOUND. */
lobby_err sq__repair_reachable(sq_store *s, const char *ticket, const lobby_principal *by,
                               int64_t *id, repair_status *status, int64_t *site_id)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, "SELECT id, status, site_id FROM repairs "
                                          "WHERE ticket = ?1 AND (?2 = 0 OR technician_id = ?2){sites}",
                                       &by->sites, "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, ticket);
  sqlite3_bind_int64(q, 2, by->role == ROLE_TECHNICIAN ? by->id : 0);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    err = repair_status_parse((const char *)sqlite3_column_text(q, 1), status);
    *site_id = sqlite3_column_int64(q, 2);
  } else {
    err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
  }
  sqlite3_finalize(q);
  return err;
}

static lobby_err repair_event_add(lobby_store *st, const char *ticket, const store_repair_event *ev,
                                  const lobby_principal *by, int64_t now,
                                  const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  int64_t id = 0, technician_id = 0, site_id = 0;
  repair_status from, to;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = sq__repair_reachable(s, ticket, by, &id, &from, &site_id);
  if (err == LOBBY_OK)
    err = repair_transition_as(by->role, from, ev->event, &to);
  if (err == LOBBY_OK && ev->event == REPAIR_EVENT_DISPATCH)
    err = find_technician(s, ev->technician, site_id, &technician_id);
  if (err == LOBBY_OK)
    err = append_event(s, id, ev->event, to, by, ev, now);
  if (err == LOBBY_OK)
    err = apply_event(s, id, to, ev, technician_id, by, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = repair_fetch(s, ticket, NULL, now, out);
  SQ_UNLOCK(s);
  return err;
}

void sq__repair_ops(lobby_store_ops *ops)
{
  ops->repair_create = repair_create;
  ops->repair_get = repair_get;
  ops->repair_lookup = repair_lookup;
  ops->repair_follow = repair_follow;
  ops->repair_list = repair_list;
  ops->repair_counts = repair_counts;
  ops->repair_event_add = repair_event_add;
}
