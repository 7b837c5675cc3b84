/* Item-release passes in the SQLite store.  As with complaints, the
 * status column is a cache of the last of the append-only release_events,
 * updated in the same transaction.  Every operation holds the store's
 * mutex throughout, so of racing uses of one code the first to take it
 * moves the pass to used and the others find it used. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"

#define RELEASE_STAFF_COLUMNS                                                            \
  "r.id, r.number, (SELECT code FROM sites WHERE sites.id = r.site_id) AS site, "        \
  "r.building, r.unit, r.room, r.items, r.date, r.plate, r.name, r.phone, r.source, "    \
  "r.status, r.code, r.reason, r.decided_by, r.decided_at, r.used_at, r.used_by, "       \
  "r.created_at, r.updated_at"

static lobby_err append_event(sq_store *s, int64_t release_id, release_event ev, release_status to,
                              const lobby_principal *by, const char *note, const char *reason,
                              int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO release_events (release_id, event, status, actor_role, actor_name, note, reason, "
    "at) VALUES (?,?,?,?,?,?,?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, release_id);
  sq__bind_text(q, 2, release_event_name(ev));
  sq__bind_text(q, 3, release_status_name(to));
  sq__bind_text(q, 4, lobby_role_name(by->role));
  sq__bind_text(q, 5, by->name);
  sq__bind_text(q, 6, note);
  sq__bind_text(q, 7, reason);
  sqlite3_bind_int64(q, 8, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err insert_release(sq_store *s, const store_release_new *n, const char *number,
                                const lobby_principal *by, int64_t now, int64_t *id)
{
  sqlite3_stmt *q;
  char last4[5] = "";
  (void)lobby_phone_last4(n->phone, last4);
  lobby_err err = sq__prepare(s,
    "INSERT INTO releases (number, site_id, building, unit, room, items, date, plate, name, phone, "
    "phone_last4, source, source_detail, status, created_at, updated_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'submitted',?,?)", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, number);
  sqlite3_bind_int64(q, 2, n->site_id);
  sq__bind_text(q, 3, n->unit.building);
  sq__bind_text(q, 4, n->unit.unit ? n->unit.unit : "");
  sq__bind_text(q, 5, n->unit.room ? n->unit.room : "");
  sq__bind_text(q, 6, n->items);
  sq__bind_text(q, 7, n->date);
  sq__bind_text(q, 8, n->plate && *n->plate ? n->plate : NULL);
  sq__bind_text(q, 9, n->name);
  sq__bind_text(q, 10, n->phone);
  sq__bind_text(q, 11, last4);
  sq__bind_text(q, 12, n->source);
  sq__bind_text(q, 13, by->name);
  sqlite3_bind_int64(q, 14, now);
  sqlite3_bind_int64(q, 15, now);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  *id = sqlite3_last_insert_rowid(s->db);
  return err;
}

typedef struct {
  const store_release_new *n;
  const lobby_principal *by;
  store_idempotency *idem;
  int offset_min;
  int64_t now;
} release_args;

/* Inside the transaction: number, row, first event and the saved answer. */
static lobby_err release_create_fn(sq_store *s, void *arg, json_t **out)
{
  release_args *a = arg;
  char day[9], number[24];
  unsigned seq = 0;
  int64_t id = 0;
  lobby_time_local_date(a->now, a->offset_min, day);
  lobby_err err = sq__next_in_day(s, "release_seq", day, &seq);
  if (err == LOBBY_OK) {
    release_number_format(day, seq, number, sizeof number);
    err = insert_release(s, a->n, number, a->by, a->now, &id);
  }
  if (err == LOBBY_OK)
    err = append_event(s, id, RELEASE_EVENT_SUBMIT, RELEASE_STATUS_SUBMITTED, a->by, NULL, NULL,
                       a->now);
  if (err != LOBBY_OK)
    return err;
  json_t *answer = json_pack("{s:s, s:s, s:s, s:I}", "number", number, "status", "submitted",
                             "date", a->n->date, "created_at", (json_int_t)a->now);
  err = answer ? sq__idem_save(s, a->idem, answer, a->now) : LOBBY_ENOMEM;
  if (err != LOBBY_OK) {
    json_decref(answer);
    return err;
  }
  *out = answer;
  return LOBBY_OK;
}

static lobby_err release_create(lobby_store *st, const store_release_new *n,
                                const lobby_principal *by, store_idempotency *idem,
                                const store_audit_entry *audit, int offset_min, int64_t now,
                                json_t **out)
{
  release_args a = {n, by, idem, offset_min, now};
  return sq__with_idempotency(SQ(st), idem, audit, "number", out, release_create_fn, &a);
}

static lobby_err release_events(sq_store *s, int64_t release_id, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "SELECT event, at, actor_name AS \"by\", actor_role AS by_role, note, reason "
    "FROM release_events WHERE release_id = ? ORDER BY id", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, release_id);
  if ((err = sq__collect(q, out)) != LOBBY_OK)
    return err;
  store_drop_nulls(*out);
  return LOBBY_OK;
}

/* One pass by `where` (a condition on r with one parameter, text), as
 * staff see it; with_events adds its events.  The newest approval wins
 * when the condition matches several. */
static lobby_err release_fetch(sq_store *s, const char *where, const char *value,
                               const store_site_set *sites, bool with_events, int offset_min,
                               int64_t now, json_t **out)
{
  char sql[1024];
  sqlite3_stmt *q;
  json_t *r, *events = NULL;
  snprintf(sql, sizeof sql, "SELECT " RELEASE_STAFF_COLUMNS " FROM releases r WHERE %s{sites} "
                            "ORDER BY r.decided_at DESC, r.id DESC LIMIT 1", where);
  lobby_err err = sq__prepare_in_sites(s, sql, sites, "r.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, value);
  if ((err = sq__one(q, &r)) != LOBBY_OK)
    return err;
  if (with_events &&
      (err = release_events(s, json_integer_value(json_object_get(r, "id")), &events)) != LOBBY_OK) {
    json_decref(r);
    return err;
  }
  store_release_shape(r, offset_min, now);
  json_object_del(r, "id");
  if (events)
    json_object_set_new(r, "events", events);
  *out = r;
  return LOBBY_OK;
}

static lobby_err release_get(lobby_store *st, const char *number, const store_site_set *sites,
                             int offset_min, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = release_fetch(s, "r.number = ?", number, sites, true, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err release_by_code(lobby_store *st, const char *code, const store_site_set *sites,
                                 int offset_min, int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = release_fetch(s, "r.code = ?", code, sites, false, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err release_lookup(lobby_store *st, const char *number, const char *phone_last4,
                                const store_site_set *sites, int offset_min, int64_t now,
                                json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  /* A phone anonymised by retention is "", which never matches 4 digits. */
  lobby_err err = sq__prepare_in_sites(s, "SELECT number, status, date, items, plate, code, reason, "
                                          "used_at, created_at FROM releases WHERE number = ? "
                                          "AND phone_last4 = ? AND phone_last4 <> ''{sites}",
                                       sites, "site_id", false, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, number);
    sq__bind_text(q, 2, phone_last4);
    err = sq__one(q, out);
  }
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    store_release_public(*out, offset_min, now);
  return err;
}

static lobby_err release_list(lobby_store *st, const store_release_filter *f, int offset_min,
                              int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare_in_sites(s,
    "SELECT " RELEASE_STAFF_COLUMNS " FROM releases r WHERE (?1 IS NULL OR r.status = ?1) "
    "AND (?2 IS NULL OR r.date = ?2){sites} ORDER BY r.created_at DESC, r.id DESC LIMIT ?3",
    f->sites, "r.site_id", false, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, f->status);
    sq__bind_text(q, 2, f->date);
    sqlite3_bind_int(q, 3, f->limit > 0 ? f->limit : 200);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  size_t i;
  json_t *r;
  if (err == LOBBY_OK)
    json_array_foreach(*out, i, r) {
      store_release_shape(r, offset_min, now);
      json_object_del(r, "id");
    }
  return err;
}

/* The pass's row id, status and date, when `sites` reaches it. */
typedef struct {
  int64_t id;
  release_status status;
  char date[11];
  char number[24];
} release_head;

static lobby_err read_head(sq_store *s, const char *where, const char *value,
                           const store_site_set *sites, release_head *h)
{
  char sql[512];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "SELECT id, status, date, number FROM releases r WHERE %s{sites} "
                            "ORDER BY r.decided_at DESC, r.id DESC LIMIT 1", where);
  lobby_err err = sq__prepare_in_sites(s, sql, sites, "r.site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, value);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    h->id = sqlite3_column_int64(q, 0);
    err = release_status_parse((const char *)sqlite3_column_text(q, 1), &h->status);
    snprintf(h->date, sizeof h->date, "%s", (const char *)sqlite3_column_text(q, 2));
    snprintf(h->number, sizeof h->number, "%s", (const char *)sqlite3_column_text(q, 3));
  } else {
    err = rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
  }
  sqlite3_finalize(q);
  return err;
}

/* A code no approved, unused pass whose date has not passed holds.  One
 * in a million collides per pass on site, so a few tries suffice. */
static lobby_err fresh_code(sq_store *s, int offset_min, int64_t now, char code[RELEASE_CODE_LEN + 1])
{
  char today[11];
  calendar_date_of(now, offset_min, today);
  for (int attempt = 0; attempt < 16; attempt++) {
    sqlite3_stmt *q;
    release_code_random(code);
    lobby_err err = sq__prepare(s, "SELECT 1 FROM releases WHERE code = ? AND status = 'approved' "
                                   "AND date >= ?", &q);
    if (err != LOBBY_OK)
      return err;
    sq__bind_text(q, 1, code);
    sq__bind_text(q, 2, today);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
      return LOBBY_OK;
    if (rc != SQLITE_ROW)
      return LOBBY_EIO;
  }
  return LOBBY_EIO;
}

/* The cached status and what the event sets on the row: the code and the
 * decision at approval, the reason at refusal or cancellation, who let it
 * out and when at use. */
static lobby_err apply_event(sq_store *s, int64_t id, release_event ev, release_status to,
                             const char *code, const char *reason, const lobby_principal *by,
                             int64_t now)
{
  sqlite3_stmt *q;
  bool decides = ev == RELEASE_EVENT_APPROVE || ev == RELEASE_EVENT_REFUSE;
  lobby_err err = sq__prepare(s,
    "UPDATE releases SET status = ?1, updated_at = ?2, code = COALESCE(?3, code), "
    "reason = COALESCE(?4, reason), "
    "decided_by = CASE WHEN ?5 THEN ?6 ELSE decided_by END, "
    "decided_at = CASE WHEN ?5 THEN ?2 ELSE decided_at END, "
    "used_by = CASE WHEN ?7 THEN ?6 ELSE used_by END, "
    "used_at = CASE WHEN ?7 THEN ?2 ELSE used_at END WHERE id = ?8", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, release_status_name(to));
  sqlite3_bind_int64(q, 2, now);
  sq__bind_text(q, 3, code);
  sq__bind_text(q, 4, reason);
  sqlite3_bind_int(q, 5, decides);
  sq__bind_text(q, 6, by->name);
  sqlite3_bind_int(q, 7, ev == RELEASE_EVENT_USE);
  sqlite3_bind_int64(q, 8, id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err release_event_add(lobby_store *st, const char *number,
                                   const store_release_event *ev, const lobby_principal *by,
                                   int offset_min, int64_t now, const store_audit_entry *audit,
                                   json_t **out)
{
  sq_store *s = SQ(st);
  release_head h = {0};
  release_status to;
  char code[RELEASE_CODE_LEN + 1] = "";
  bool approve = ev->event == RELEASE_EVENT_APPROVE;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = read_head(s, "r.number = ?", number, &by->sites, &h);
  if (err == LOBBY_OK)
    err = ev->event == RELEASE_EVENT_USE ? LOBBY_ECONFLICT : release_transition(h.status, ev->event, &to);
  if (err == LOBBY_OK && approve)
    err = fresh_code(s, offset_min, now, code);
  if (err == LOBBY_OK)
    err = append_event(s, h.id, ev->event, to, by, ev->note, ev->reason, now);
  if (err == LOBBY_OK)
    err = apply_event(s, h.id, ev->event, to, approve ? code : NULL, ev->reason, by, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = release_fetch(s, "r.number = ?", number, NULL, true, offset_min, now, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err release_use(lobby_store *st, const char *code, const store_site_set *sites,
                             const char *note, const lobby_principal *by, int offset_min,
                             int64_t now, const store_audit_entry *audit, release_gate *gate,
                             json_t **out)
{
  sq_store *s = SQ(st);
  release_head h = {0};
  release_status to = RELEASE_STATUS_USED;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = read_head(s, "r.code = ?", code, sites, &h);
  if (err == LOBBY_OK) {
    *gate = release_gate_of(h.status, h.date, now, offset_min);
    if (*gate != RELEASE_GATE_VALID)
      err = LOBBY_ECONFLICT;
  }
  if (err == LOBBY_OK)
    err = append_event(s, h.id, RELEASE_EVENT_USE, to, by, note, NULL, now);
  if (err == LOBBY_OK)
    err = apply_event(s, h.id, RELEASE_EVENT_USE, to, NULL, NULL, by, now);
  /* The entry names the pass by its number, not by the code typed. */
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, h.number);
  err = sq__end(s, err);
  if (err == LOBBY_OK || err == LOBBY_ECONFLICT) {
    /* The record as it stands now: used, or why it was refused. */
    lobby_err fetched = release_fetch(s, "r.code = ?", code, sites, false, offset_min, now, out);
    if (fetched != LOBBY_OK)
      err = fetched;
  }
  SQ_UNLOCK(s);
  return err;
}

void sq__release_ops(lobby_store_ops *ops)
{
  ops->release_create = release_create;
  ops->release_get = release_get;
  ops->release_lookup = release_lookup;
  ops->release_list = release_list;
  ops->release_event_add = release_event_add;
  ops->release_by_code = release_by_code;
  ops->release_use = release_use;
}
