/* Complaints and suggestions in the SQLite store.  As with repairs, the
 * status column is a cache of the last of the append-only
 * complaint_events, updated in the same transaction as the event. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <string.h>
#include "lobby_follow.h"
#include "lobby_text.h"
#include "lobby_time.h"

#define COMPLAINT_STAFF_COLUMNS                                                          \
  "c.id, c.number, (SELECT code FROM sites WHERE sites.id = c.site_id) AS site, c.kind, " \
  "c.category, c.status, c.description, c.building, c.unit, c.room, c.name, c.phone, "   \
  "c.source, (SELECT name FROM staff WHERE staff.id = c.responsible_id) AS responsible, " \
  "c.reply, c.replied_at, c.reply_due_at, c.escalated_at, c.satisfaction, c.created_at, "        \
  "c.updated_at"

static lobby_err next_number(sq_store *s, int offset_min, int64_t now, char *number, int size)
{
  char day[9];
  unsigned seq = 0;
  lobby_time_local_date(now, offset_min, day);
  lobby_err err = sq__next_in_day(s, "complaint_seq", day, &seq);
  if (err == LOBBY_OK)
    complaint_number_format(day, seq, number, size);
  return err;
}

static lobby_err append_event(sq_store *s, int64_t complaint_id, complaint_event ev,
                              complaint_status to, const lobby_principal *by,
                              const store_complaint_event *detail, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO complaint_events (complaint_id, event, status, actor_role, actor_name, note, "
    "responsible, reply, satisfaction, comment, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, complaint_id);
  sq__bind_text(q, 2, complaint_event_name(ev));
  sq__bind_text(q, 3, complaint_status_name(to));
  sq__bind_text(q, 4, lobby_role_name(by->role));
  sq__bind_text(q, 5, by->name);
  if (detail) {
    sq__bind_text(q, 6, detail->note);
    sq__bind_text(q, 7, detail->responsible);
    sq__bind_text(q, 8, detail->reply);
    if (detail->satisfaction != COMPLAINT_SATISFACTION_NONE)
      sq__bind_text(q, 9, complaint_satisfaction_name(detail->satisfaction));
    sq__bind_text(q, 10, detail->comment);
  }
  sqlite3_bind_int64(q, 11, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err insert_complaint(sq_store *s, const store_complaint_new *c, const char *number,
                                  const char *follow_token, const lobby_principal *by, int64_t now,
                                  int64_t *id)
{
  sqlite3_stmt *q;
  char last4[5] = "";
  if (c->phone)
    (void)lobby_phone_last4(c->phone, last4);
  lobby_err err = sq__prepare(s,
    "INSERT INTO complaints (number, site_id, kind, category, description, building, unit, room, "
    "name, phone, phone_last4, source, source_detail, status, reply_due_at, created_at, updated_at, "
    "follow_token) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'submitted',?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, number);
  sqlite3_bind_int64(q, 2, c->site_id);
  sq__bind_text(q, 3, c->kind);
  sq__bind_text(q, 4, c->category);
  sq__bind_text(q, 5, c->description);
  if (c->unit.building) {
    sq__bind_text(q, 6, c->unit.building);
    sq__bind_text(q, 7, c->unit.unit ? c->unit.unit : "");
    sq__bind_text(q, 8, c->unit.room ? c->unit.room : "");
  }
  sq__bind_text(q, 9, c->name);
  sq__bind_text(q, 10, c->phone);
  sq__bind_text(q, 11, last4);
  sq__bind_text(q, 12, c->source);
  sq__bind_text(q, 13, by->name);
  sqlite3_bind_int64(q, 14, c->reply_due_at);
  sqlite3_bind_int64(q, 15, now);
  sqlite3_bind_int64(q, 16, now);
  sq__bind_text(q, 17, follow_token);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  *id = sqlite3_last_insert_rowid(s->db);
  return err;
}

typedef struct {
  const store_complaint_new *c;
  const lobby_principal *by;
  store_idempotency *idem;
  int offset_min;
  int64_t now;
} complaint_args;

/* Inside the transaction: number, row, first event and the saved answer. */
static lobby_err complaint_create_fn(sq_store *s, void *arg, json_t **out)
{
  complaint_args *a = arg;
  char number[24], follow_token[LOBBY_FOLLOW_TOKEN_LEN + 1];
  int64_t id = 0;
  lobby_follow_token_new(follow_token);
  lobby_err err = next_number(s, a->offset_min, a->now, number, sizeof number);
  if (err == LOBBY_OK)
    err = insert_complaint(s, a->c, number, follow_token, a->by, a->now, &id);
  if (err == LOBBY_OK)
    err = append_event(s, id, COMPLAINT_EVENT_SUBMIT, COMPLAINT_STATUS_SUBMITTED, a->by, NULL, a->now);
  if (err != LOBBY_OK)
    return err;
  json_t *answer = json_pack("{s:s, s:s, s:s, s:I, s:I}", "number", number, "status", "submitted",
                             "kind", a->c->kind, "reply_due_at", (json_int_t)a->c->reply_due_at,
                             "created_at", (json_int_t)a->now);
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

static lobby_err complaint_create(lobby_store *st, const store_complaint_new *c,
                                  const lobby_principal *by, store_idempotency *idem,
                                  const store_audit_entry *audit, int offset_min, int64_t now,
                                  json_t **out)
{
  complaint_args a = {c, by, idem, offset_min, now};
  return sq__with_idempotency(SQ(st), idem, audit, "number", out, complaint_create_fn, &a);
}

static lobby_err complaint_events(sq_store *s, int64_t complaint_id, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "SELECT event, status, at, actor_name AS \"by\", actor_role AS by_role, note, responsible, "
    "reply, satisfaction, comment FROM complaint_events WHERE complaint_id = ? ORDER BY id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, complaint_id);
  if ((err = sq__collect(q, out)))
    return err;
  store_drop_nulls(*out);
  return LOBBY_OK;
}

static lobby_err complaint_fetch(sq_store *s, const char *number, const store_site_set *sites,
                                 int64_t now, json_t **out)
{
  sqlite3_stmt *q;
  json_t *c, *events;
  lobby_err err = sq__prepare_in_sites(s, "SELECT " COMPLAINT_STAFF_COLUMNS " FROM complaints c "
                                          "WHERE number = ?{sites}", sites, "c.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, number);
  if ((err = sq__one(q, &c)))
    return err;
  if ((err = complaint_events(s, json_integer_value(json_object_get(c, "id")), &events))) {
    json_decref(c);
    return err;
  }
  store_complaint_shape(c, now);
  json_object_del(c, "id");
  json_object_set_new(c, "events", events);
  *out = c;
  return LOBBY_OK;
}

static lobby_err complaint_get(lobby_store *st, const char *number, const store_site_set *sites,
                               int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = complaint_fetch(s, number, sites, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err complaint_lookup(lobby_store *st, const char *number, const char *phone_last4,
                                  const store_site_set *sites, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  (void)now;
  SQ_LOCK(s);
  /* An anonymous suggestion has no phone, so "" never matches four digits. */
  lobby_err err = sq__prepare_in_sites(s, "SELECT number, kind, category, status, created_at, "
                                          "reply_due_at, reply, replied_at, satisfaction "
                                          "FROM complaints WHERE number = ? AND phone_last4 = ? "
                                          "AND phone_last4 <> ''{sites}", sites, "site_id", false, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, number);
    sq__bind_text(q, 2, phone_last4);
    err = sq__one(q, out);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err complaint_follow(lobby_store *st, const char *token, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  json_t *c = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, STORE_COMPLAINT_FOLLOW_SQL("?"), &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, token);
    err = sq__one(q, &c);
  }
  SQ_UNLOCK(s);
  if (err == LOBBY_OK) {
    store_complaint_follow_finish(c, now);
    *out = c;
  }
  return err;
}

static lobby_err complaint_list(lobby_store *st, const store_complaint_filter *f, int64_t now,
                                json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  store_search_terms t;
  store_search_terms_of(f->search, &t);
  SQ_LOCK(s);
  /* Overdue is complaint_overdue() in SQL: still waiting for its reply.
   * The search is the repair list's (store_repair_query.c), a name's
   * start as a range in the bytes' order. */
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT " COMPLAINT_STAFF_COLUMNS " FROM complaints c WHERE "
    "(?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR category = ?3) "
    "AND (?4 = 0 OR created_at >= ?4) AND (?5 = 0 OR created_at < ?5) "
    "AND (?6 = 0 OR (reply_due_at < ?7 AND status IN "
    "     ('submitted','accepted','assigned','follow_up'))) "
    "AND (?9 = 0 OR updated_at < ?9) "
    "AND (?10 = 0 OR (escalated_at IS NOT NULL AND status IN "
    "     ('submitted','accepted','assigned','follow_up'))) "
    "AND (?11 IS NULL OR (c.number >= ?11 AND c.number < ?12)) "
    "AND (?13 IS NULL OR c.phone = ?13) AND (?14 IS NULL OR c.phone_last4 = ?14) "
    "AND (?15 IS NULL OR c.building = ?15) AND (?16 IS NULL OR c.unit = ?16) "
    "AND (?17 IS NULL OR c.room = ?17) "
    "AND (?18 IS NULL OR (c.name >= ?18 AND c.name < ?19)){sites} "
    "ORDER BY created_at DESC, id DESC LIMIT ?8", f->sites, "c.site_id", false, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, f->status);
    sq__bind_text(q, 2, f->kind);
    sq__bind_text(q, 3, f->category);
    sqlite3_bind_int64(q, 4, f->from);
    sqlite3_bind_int64(q, 5, f->to);
    sqlite3_bind_int(q, 6, f->overdue_only);
    sqlite3_bind_int64(q, 7, now);
    sqlite3_bind_int(q, 8, f->limit > 0 ? f->limit : 200);
    sqlite3_bind_int64(q, 9, f->changed_before);
    sqlite3_bind_int(q, 10, f->escalated_only);
    sq__bind_text(q, 11, t.number);
    sq__bind_text(q, 12, t.number_end);
    sq__bind_text(q, 13, t.phone);
    sq__bind_text(q, 14, t.last4);
    sq__bind_text(q, 15, t.building);
    sq__bind_text(q, 16, t.unit);
    sq__bind_text(q, 17, t.room);
    sq__bind_text(q, 18, t.name_from);
    sq__bind_text(q, 19, t.name_end);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  size_t i;
  json_t *c;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, c) {
      store_complaint_shape(c, now);
      json_object_del(c, "id");
    }
  return err;
}

/* The complaint's row id, kind, status and site, when `sites` reaches it. */
typedef struct {
  int64_t id, site_id;
  complaint_kind kind;
  complaint_status status;
} complaint_head;

static lobby_err read_head(sq_store *s, const char *number, const store_site_set *sites,
                           complaint_head *h)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare_in_sites(s, "SELECT id, kind, status, site_id FROM complaints "
                                          "WHERE number = ?{sites}", sites, "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, number);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    h->id = sqlite3_column_int64(q, 0);
    err = complaint_kind_parse((const char *)sqlite3_column_text(q, 1), &h->kind);
    if (err == LOBBY_OK)
      err = complaint_status_parse((const char *)sqlite3_column_text(q, 2), &h->status);
    h->site_id = sqlite3_column_int64(q, 3);
  } else {
    err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
  }
  sqlite3_finalize(q);
  return err;
}

/* An enabled staff member who works for the site (or for every site). */
static lobby_err find_staff_of_site(sq_store *s, const char *name, int64_t site_id, int64_t *id)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "SELECT id FROM staff WHERE name = ? AND disabled = 0 "
    "AND (NOT EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id) "
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

/* Updates the cached status and what the event changes on the row: the
 * responsible person, the reply (the first reply's time stays, for the
 * on-time figures) and the satisfaction of the return visit. */
static lobby_err apply_event(sq_store *s, int64_t id, complaint_status to,
                             const store_complaint_event *ev, int64_t responsible_id, int64_t now)
{
  sqlite3_stmt *q;
  bool replied = ev->event == COMPLAINT_EVENT_REPLY || ev->event == COMPLAINT_EVENT_ANSWER_CLOSE;
  lobby_err err = sq__prepare(s,
    "UPDATE complaints SET status = ?1, updated_at = ?2, "
    "responsible_id = CASE WHEN ?3 > 0 THEN ?3 ELSE responsible_id END, "
    "reply = CASE WHEN ?4 THEN ?5 ELSE reply END, "
    "replied_at = CASE WHEN ?4 THEN ?2 ELSE replied_at END, "
    "first_replied_at = CASE WHEN ?4 THEN COALESCE(first_replied_at, ?2) ELSE first_replied_at END, "
    "satisfaction = COALESCE(?6, satisfaction) WHERE id = ?7", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, complaint_status_name(to));
  sqlite3_bind_int64(q, 2, now);
  sqlite3_bind_int64(q, 3, responsible_id);
  sqlite3_bind_int(q, 4, replied);
  sq__bind_text(q, 5, ev->reply);
  if (ev->event == COMPLAINT_EVENT_RETURN_VISIT)
    sq__bind_text(q, 6, complaint_satisfaction_name(ev->satisfaction));
  sqlite3_bind_int64(q, 7, id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err complaint_event_add(lobby_store *st, const char *number,
                                     const store_complaint_event *ev, const lobby_principal *by,
                                     int64_t now, const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  complaint_head h = {0};
  int64_t responsible_id = 0;
  complaint_status to;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = read_head(s, number, &by->sites, &h);
  if (err == LOBBY_OK)
    err = complaint_transition(h.kind, h.status, ev->event, ev->satisfaction, &to);
  if (err == LOBBY_OK && ev->event == COMPLAINT_EVENT_ASSIGN)
    err = find_staff_of_site(s, ev->responsible, h.site_id, &responsible_id);
  if (err == LOBBY_OK)
    err = append_event(s, h.id, ev->event, to, by, ev, now);
  if (err == LOBBY_OK)
    err = apply_event(s, h.id, to, ev, responsible_id, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = complaint_fetch(s, number, NULL, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err run_at(sq_store *s, const char *sql, int64_t now, int *changes)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, sql, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  if (changes)
    *changes = sqlite3_changes(s->db);
  return err;
}

/* The events first, while escalated_at still picks the rows out; the
 * transaction makes the two statements one change. */
static lobby_err complaint_escalate_overdue(lobby_store *st, int64_t now, int *count)
{
  sq_store *s = SQ(st);
  int changed = 0;
  *count = 0;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = run_at(s,
      "INSERT INTO complaint_events (complaint_id, event, status, actor_role, actor_name, note, at) "
      "SELECT id, 'escalate', status, 'system', 'lobbyd', "
      STORE_COMPLAINT_ESCALATE_NOTE_SQL("?1") ", ?1 FROM complaints WHERE "
      STORE_COMPLAINT_ESCALATES_SQL("?1") " ORDER BY id", now, NULL);
  if (err == LOBBY_OK)
    err = run_at(s, "UPDATE complaints SET escalated_at = ?1 WHERE "
                    STORE_COMPLAINT_ESCALATES_SQL("?1"), now, &changed);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    *count = changed;
  return err;
}

void sq__complaint_ops(lobby_store_ops *ops)
{
  ops->complaint_create = complaint_create;
  ops->complaint_get = complaint_get;
  ops->complaint_lookup = complaint_lookup;
  ops->complaint_follow = complaint_follow;
  ops->complaint_list = complaint_list;
  ops->complaint_event_add = complaint_event_add;
  ops->complaint_escalate_overdue = complaint_escalate_overdue;
}
