/* Complaints and suggestions (投诉建议) in the PostgreSQL store, as
 * store_sqlite_complaints.c.  The status column is a cache of the last
 * event in complaint_events, updated in the same transaction as the event
 * is appended; events are never changed or deleted.  A number comes from
 * the complaint_seq row of its local day, incremented inside the creating
 * transaction (the row lock serialises creations in every process, a
 * rollback undoes the increment), and an event locks its complaint row
 * before reading the status it changes.  Staff rows are shaped by
 * store_complaint_shape (store_records.c), as the SQLite store's are. */
#include "store_pg_internal.h"
#include "store_records.h"
#include "lobby_follow.h"

#include <stdlib.h>
#include "lobby_text.h"
#include "lobby_time.h"

#define COMPLAINT_COLUMNS                                                            \
  "c.id, c.number, (SELECT code FROM sites WHERE id = c.site_id) AS site, c.kind, "  \
  "c.category, c.status, c.description, c.building, c.unit, c.room, c.name, c.phone, " \
  "c.source, (SELECT name FROM staff WHERE id = c.responsible_id) AS responsible, "  \
  "c.reply, c.replied_at, c.reply_due_at, c.escalated_at, c.satisfaction, c.created_at, "   \
  "c.updated_at"

static lobby_err next_number(pq_conn *c, int offset_min, int64_t now, char *number, int size)
{
  char day[9];
  unsigned seq = 0;
  lobby_time_local_date(now, offset_min, day);
  lobby_err err = pq__next_in_day(c, "complaint_seq", day, &seq);
  if (err == LOBBY_OK)
    complaint_number_format(day, seq, number, size);
  return err;
}

/* The event keeps the details it was given (the handler sends only the
 * event's own), as the SQLite store does. */
static lobby_err append_event(pq_conn *c, int64_t complaint_id, complaint_event ev,
                              complaint_status to, const lobby_principal *by,
                              const store_complaint_event *detail, int64_t now)
{
  bool rated = detail && detail->satisfaction != COMPLAINT_SATISFACTION_NONE;
  pq_params p = {0};
  pq__int(&p, complaint_id);
  pq__text(&p, complaint_event_name(ev));
  pq__text(&p, complaint_status_name(to));
  pq__text(&p, lobby_role_name(by->role));
  pq__text(&p, by->name);
  pq__text(&p, detail ? detail->note : NULL);
  pq__text(&p, detail ? detail->responsible : NULL);
  pq__text(&p, detail ? detail->reply : NULL);
  pq__text(&p, rated ? complaint_satisfaction_name(detail->satisfaction) : NULL);
  pq__text(&p, detail ? detail->comment : NULL);
  pq__int(&p, now);
  return pq__run(c,
    "INSERT INTO complaint_events (complaint_id, event, status, actor_role, actor_name, note, "
    "responsible, reply, satisfaction, comment, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", &p, false);
}

static lobby_err insert_complaint(pq_conn *c, const store_complaint_new *n, const char *number,
                                  const char *follow_token, const lobby_principal *by, int64_t now,
                                  int64_t *id)
{
  char last4[5] = "";
  if (!n->phone || !lobby_phone_last4(n->phone, last4))
    last4[0] = '\0';
  bool has_unit = n->unit.building != NULL;
  pq_params p = {0};
  pq__text(&p, number);
  pq__int(&p, n->site_id);
  pq__text(&p, n->kind);
  pq__text(&p, n->category);
  pq__text(&p, n->description);
  pq__text(&p, has_unit ? n->unit.building : NULL);
  pq__text(&p, has_unit ? (n->unit.unit ? n->unit.unit : "") : NULL);
  pq__text(&p, has_unit ? (n->unit.room ? n->unit.room : "") : NULL);
  pq__text(&p, n->name);
  pq__text(&p, n->phone);
  pq__text(&p, last4);
  pq__text(&p, n->source);
  pq__text(&p, by->name);
  pq__int(&p, n->reply_due_at);
  pq__int(&p, now);
  pq__text(&p, follow_token);
  return pq__int64(c,
    "INSERT INTO complaints (number, site_id, kind, category, description, building, unit, "
    "room, name, phone, phone_last4, source, source_detail, status, reply_due_at, created_at, "
    "updated_at, follow_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
    "'submitted', $14, $15, $15, $16) RETURNING id", &p, id);
}

typedef struct {
  const store_complaint_new *n;
  const lobby_principal *by;
  int offset_min;
  int64_t now;
} create_args;

/* Inside the transaction: number, row and first event; the answer is
 * saved by pq__with_idempotency. */
static lobby_err complaint_create_fn(pq_conn *c, void *arg, json_t **out)
{
  create_args *a = arg;
  char number[24], follow_token[LOBBY_FOLLOW_TOKEN_LEN + 1];
  int64_t id = 0;
  lobby_follow_token_new(follow_token);
  lobby_err err = next_number(c, a->offset_min, a->now, number, sizeof number);
  if (err == LOBBY_OK)
    err = insert_complaint(c, a->n, number, follow_token, a->by, a->now, &id);
  if (err == LOBBY_OK)
    err = append_event(c, id, COMPLAINT_EVENT_SUBMIT, COMPLAINT_STATUS_SUBMITTED, a->by, NULL,
                       a->now);
  if (err != LOBBY_OK)
    return err;
  json_t *answer = json_pack("{s:s, s:s, s:s, s:I, s:I}", "number", number, "status",
                             "submitted", "kind", a->n->kind, "reply_due_at",
                             (json_int_t)a->n->reply_due_at, "created_at", (json_int_t)a->now);
  if (!answer)
    return LOBBY_ENOMEM;
  json_object_set_new(answer, "follow_token", json_string(follow_token));
  *out = answer;
  return LOBBY_OK;
}

static lobby_err complaint_create(lobby_store *st, const store_complaint_new *n,
                                  const lobby_principal *by, store_idempotency *idem,
                                  const store_audit_entry *audit, int offset_min, int64_t now,
                                  json_t **out)
{
  create_args a = {n, by, offset_min, now};
  return pq__with_idempotency(PQ(st), idem, audit, "number", now, out, complaint_create_fn, &a);
}

static lobby_err complaint_events(pq_conn *c, int64_t complaint_id, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, complaint_id);
  lobby_err err = pq__collect(c,
    "SELECT event, status, at, actor_name AS \"by\", actor_role AS by_role, note, responsible, "
    "reply, satisfaction, comment FROM complaint_events WHERE complaint_id = $1 ORDER BY id",
    &p, out);
  if (err == LOBBY_OK)
    store_drop_nulls(*out);
  return err;
}

/* The complaint with its events, if one of the set's sites has it. */
static lobby_err complaint_fetch(pq_conn *c, const char *number, const store_site_set *sites,
                                 int64_t now, json_t **out)
{
  json_t *row, *events;
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " COMPLAINT_COLUMNS " FROM complaints c "
                               "WHERE c.number = $1", sites, "c.site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, number);
  err = pq__one(c, sql, &p, &row);
  if (err != LOBBY_OK)
    return err;
  err = complaint_events(c, json_integer_value(json_object_get(row, "id")), &events);
  if (err != LOBBY_OK) {
    json_decref(row);
    return err;
  }
  store_complaint_shape(row, now);
  json_object_del(row, "id");
  json_object_set_new(row, "events", events);
  *out = row;
  return LOBBY_OK;
}

static lobby_err complaint_get(lobby_store *st, const char *number, const store_site_set *sites,
                               int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = complaint_fetch(c, number, sites, now, out);
  pq__release(s, c);
  return err;
}

/* What a public screen may show: no name, phone or unit.  A complaint
 * filed without a phone has phone_last4 "": no four digits find it. */
static lobby_err complaint_lookup(lobby_store *st, const char *number, const char *phone_last4,
                                  const store_site_set *sites, int64_t now, json_t **out)
{
  (void)now;
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT number, kind, category, status, "
                               "created_at, reply_due_at, reply, replied_at, satisfaction "
                               "FROM complaints WHERE number = $1 AND phone_last4 = $2 "
                               "AND phone_last4 <> ''", sites, "site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, number);
  pq__text(&p, phone_last4);
  return pq__read_one(PQ(st), sql, &p, out);
}

static lobby_err complaint_follow(lobby_store *st, const char *token, int64_t now, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  json_t *rec = NULL;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, token);
  err = pq__one(c, STORE_COMPLAINT_FOLLOW_SQL("$1"), &p, &rec);
  pq__release(s, c);
  if (err == LOBBY_OK) {
    store_complaint_follow_finish(rec, now);
    *out = rec;
  }
  return err;
}

static lobby_err complaint_list(lobby_store *st, const store_complaint_filter *f, int64_t now,
                                json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  store_search_terms t;
  store_search_terms_of(f->search, &t);
  /* The search is the repair list's (store_repair_query.c).  PostgreSQL
   * compares text by the database's collation: a number's range is
   * compared in the bytes' order ("C"), a name's start by LIKE. */
  lobby_err err = pq__site_sql(sql, sizeof sql,
    "SELECT " COMPLAINT_COLUMNS " FROM complaints c WHERE "
    "($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.kind = $2) "
    "AND ($3::text IS NULL OR c.category = $3) "
    "AND ($4::bigint = 0 OR c.created_at >= $4) AND ($5::bigint = 0 OR c.created_at < $5) "
    "AND ($6::integer = 0 OR (c.reply_due_at < $7 "
    "     AND c.status IN ('submitted', 'accepted', 'assigned', 'follow_up'))) "
    "AND ($9::bigint = 0 OR c.updated_at < $9) "
    "AND ($10::integer = 0 OR (c.escalated_at IS NOT NULL "
    "     AND c.status IN ('submitted', 'accepted', 'assigned', 'follow_up'))) "
    "AND ($11::text IS NULL OR (c.number COLLATE \"C\" >= $11::text "
    "     AND c.number COLLATE \"C\" < $12::text)) "
    "AND ($13::text IS NULL OR c.phone = $13::text) "
    "AND ($14::text IS NULL OR c.phone_last4 = $14::text) "
    "AND ($15::text IS NULL OR c.building = $15::text) "
    "AND ($16::text IS NULL OR c.unit = $16::text) AND ($17::text IS NULL OR c.room = $17::text) "
    "AND ($18::text IS NULL OR c.name LIKE $18::text ESCAPE '\\')",
    f->sites, "c.site_id", false, " ORDER BY c.created_at DESC, c.id DESC LIMIT $8");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, f->status);
  pq__text(&p, f->kind);
  pq__text(&p, f->category);
  pq__int(&p, f->from);
  pq__int(&p, f->to);
  pq__int(&p, f->overdue_only);
  pq__int(&p, now);
  pq__int(&p, f->limit > 0 ? f->limit : 200);
  pq__int(&p, f->changed_before);
  pq__int(&p, f->escalated_only);
  pq__text(&p, t.number);
  pq__text(&p, t.number_end);
  pq__text(&p, t.phone);
  pq__text(&p, t.last4);
  pq__text(&p, t.building);
  pq__text(&p, t.unit);
  pq__text(&p, t.room);
  pq__text(&p, t.name_like);
  err = pq__read_all(PQ(st), sql, &p, out);
  size_t i;
  json_t *row;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, row) {
      store_complaint_shape(row, now);
      json_object_del(row, "id");
    }
  return err;
}

/* An enabled staff member by name who works for the site (or for every
 * site); LOBBY_EINVAL for none. */
static lobby_err find_responsible(pq_conn *c, const char *name, int64_t site_id, int64_t *id)
{
  if (!name)
    return LOBBY_EINVAL;
  pq_params p = {0};
  pq__text(&p, name);
  pq__int(&p, site_id);
  lobby_err err = pq__int64(c, "SELECT id FROM staff WHERE name = $1 AND disabled = 0 "
    "AND (NOT EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id) "
    "  OR EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = staff.id AND site_id = $2))", &p, id);
  return err == LOBBY_ENOTFOUND ? LOBBY_EINVAL : err;
}

/* Locks the complaint row until the transaction ends and reads its kind
 * and status, so a concurrent event (from any process) waits and then
 * sees this one's outcome.  A complaint of a site outside the set is
 * LOBBY_ENOTFOUND. */
typedef struct {
  int64_t id, site_id;
  complaint_kind kind;
  complaint_status status;
} locked_complaint;

static lobby_err lock_complaint(pq_conn *c, const char *number, const store_site_set *sites,
                                locked_complaint *out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT id, kind, status, site_id FROM complaints "
                               "WHERE number = $1", sites, "site_id", false, " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, number);
  PGresult *res;
  err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 1) {
    out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    err = complaint_kind_parse(PQgetvalue(res, 0, 1), &out->kind);
    if (err == LOBBY_OK)
      err = complaint_status_parse(PQgetvalue(res, 0, 2), &out->status);
    if (err != LOBBY_OK)
      err = LOBBY_EIO;   /* a row the store did not write */
    out->site_id = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
  } else {
    err = LOBBY_ENOTFOUND;
  }
  PQclear(res);
  return err;
}

/* Updates the cached status and what the event changes on the row: the
 * responsible person on assign; the reply and its time on a reply (the
 * first reply's time stays, for the monthly figures); the satisfaction
 * on a return visit. */
static lobby_err apply_event(pq_conn *c, int64_t id, complaint_status to,
                             const store_complaint_event *ev, int64_t responsible_id,
                             int64_t now)
{
  bool replying = ev->event == COMPLAINT_EVENT_REPLY || ev->event == COMPLAINT_EVENT_ANSWER_CLOSE;
  bool visiting = ev->event == COMPLAINT_EVENT_RETURN_VISIT;
  pq_params p = {0};
  pq__text(&p, complaint_status_name(to));
  pq__int(&p, now);
  pq__int(&p, responsible_id);
  pq__int(&p, replying);
  pq__text(&p, replying ? ev->reply : NULL);
  pq__text(&p, visiting ? complaint_satisfaction_name(ev->satisfaction) : NULL);
  pq__int(&p, id);
  return pq__run(c,
    "UPDATE complaints SET status = $1, updated_at = $2, "
    "responsible_id = CASE WHEN $3::bigint > 0 THEN $3 ELSE responsible_id END, "
    "reply = CASE WHEN $4::integer = 1 THEN $5::text ELSE reply END, "
    "replied_at = CASE WHEN $4::integer = 1 THEN $2 ELSE replied_at END, "
    "first_replied_at = CASE WHEN $4::integer = 1 THEN COALESCE(first_replied_at, $2) "
    "  ELSE first_replied_at END, "
    "satisfaction = COALESCE($6::text, satisfaction) WHERE id = $7", &p, false);
}

typedef struct {
  const char *number;
  const store_complaint_event *ev;
  const lobby_principal *by;
  int64_t now;
  const store_audit_entry *audit;
  json_t *answer;          /* the complaint as committed */
} event_args;

static lobby_err complaint_event_fn(pq_conn *c, void *arg)
{
  event_args *a = arg;
  locked_complaint row;
  int64_t responsible_id = 0;
  complaint_status to;
  /* A deadlock runs the transaction again: drop the last run's answer. */
  json_decref(a->answer);
  a->answer = NULL;
  lobby_err err = lock_complaint(c, a->number, &a->by->sites, &row);
  if (err == LOBBY_OK)
    err = complaint_transition(row.kind, row.status, a->ev->event, a->ev->satisfaction, &to);
  if (err == LOBBY_OK && a->ev->event == COMPLAINT_EVENT_ASSIGN)
    err = find_responsible(c, a->ev->responsible, row.site_id, &responsible_id);
  if (err == LOBBY_OK)
    err = append_event(c, row.id, a->ev->event, to, a->by, a->ev, a->now);
  if (err == LOBBY_OK)
    err = apply_event(c, row.id, to, a->ev, responsible_id, a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = complaint_fetch(c, a->number, NULL, a->now, &a->answer);
  return err;
}

static lobby_err complaint_event_add(lobby_store *st, const char *number,
                                     const store_complaint_event *ev, const lobby_principal *by,
                                     int64_t now, const store_audit_entry *audit, json_t **out)
{
  event_args a = {number, ev, by, now, audit, NULL};
  lobby_err err = pq__transaction(PQ(st), complaint_event_fn, &a);
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

typedef struct {
  int64_t now, count;
} escalate_args;

/* One statement: the UPDATE marks the rows and hands them to the INSERT
 * of their events.  A second instance's sweep at the same time waits on
 * the row locks and then finds escalated_at set (READ COMMITTED
 * re-checks the WHERE of a row it waited for), so none is escalated
 * twice. */
static lobby_err escalate_fn(pq_conn *c, void *arg)
{
  escalate_args *a = arg;
  pq_params p = {0};
  pq__int(&p, a->now);
  return pq__int64(c,
    "WITH e AS (UPDATE complaints SET escalated_at = $1::bigint WHERE "
    STORE_COMPLAINT_ESCALATES_SQL("$1::bigint") " RETURNING id, status, reply_due_at), "
    "i AS (INSERT INTO complaint_events (complaint_id, event, status, actor_role, actor_name, "
    "note, at) SELECT id, 'escalate', status, 'system', 'lobbyd', "
    STORE_COMPLAINT_ESCALATE_NOTE_SQL("$1::bigint") ", $1::bigint FROM e ORDER BY id "
    "RETURNING 1) SELECT COUNT(*) FROM i", &p, &a->count);
}

static lobby_err complaint_escalate_overdue(lobby_store *st, int64_t now, int *count)
{
  escalate_args a = {now, 0};
  *count = 0;
  lobby_err err = pq__transaction(PQ(st), escalate_fn, &a);
  if (err == LOBBY_OK)
    *count = (int)a.count;
  return err;
}

void pq__complaint_ops(lobby_store_ops *ops)
{
  ops->complaint_create = complaint_create;
  ops->complaint_get = complaint_get;
  ops->complaint_lookup = complaint_lookup;
  ops->complaint_follow = complaint_follow;
  ops->complaint_list = complaint_list;
  ops->complaint_event_add = complaint_event_add;
  ops->complaint_escalate_overdue = complaint_escalate_overdue;
}
