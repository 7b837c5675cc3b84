/* Visits and invites in the SQLite store.  A visit's pass code is unique
 * among approved visits (a partial unique index), so a code can be reused
 * once its visitor has left. */
#include "store_sqlite_internal.h"
#include "store_records.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include "lobby_domain.h"
#include "lobby_follow.h"

#define VISIT_PUBLIC_COLUMNS \
  "id, state, pass_code, reason, checked_in_at, checked_out_at"
#define VISIT_STAFF_COLUMNS                                                      \
  VISIT_PUBLIC_COLUMNS ", name, phone, host, purpose, party_size, plate, kiosk, " \
  "invite_code, created_at, auto_checked_out AS \"auto_checked_out?\", decided_by, decided_at, " \
  "(SELECT code FROM sites WHERE sites.id = visits.site_id) AS site"

/* The condition that keeps a kiosk to its own visits: ?K is its id, 0 for
 * staff, who see every visit. */
#define VISIT_SCOPE(k) "(" k " = 0 OR kiosk_id = " k ")"

/* Prepares sql, whose "{sites}" stands for the condition that keeps it to the
 * sites of the set: visits and invites keep theirs in site_id. */
static lobby_err prepare_in_sites(sq_store *s, const char *sql, const store_site_set *sites,
                                  sqlite3_stmt **q)
{
  return sq__prepare_in_sites(s, sql, sites, "site_id", false, q);
}

static lobby_err visit_fetch_scoped(sq_store *s, const char *id, bool staff, int64_t kiosk_id,
                                    const store_site_set *sites, json_t **out)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in_sites(s, staff ? "SELECT " VISIT_STAFF_COLUMNS " FROM visits "
                                              "WHERE id = ?1 AND " VISIT_SCOPE("?2") "{sites}"
                                            : "SELECT " VISIT_PUBLIC_COLUMNS " FROM visits "
                                              "WHERE id = ?1 AND " VISIT_SCOPE("?2") "{sites}",
                                   sites, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, id);
  sqlite3_bind_int64(q, 2, kiosk_id);
  return sq__one(q, out);
}

static lobby_err visit_fetch(sq_store *s, const char *id, bool staff, json_t **out)
{
  return visit_fetch_scoped(s, id, staff, 0, NULL, out);
}

/* Gives an approved visit a pass code that no other live pass (an
 * approved visit's, or a worker's: sq__pass_code_taken) holds.
 * With 25^8 codes a collision is rare; a few retries make it certain. */
static lobby_err assign_pass_code(sq_store *s, const char *id, int64_t now)
{
  for (int attempt = 0; attempt < 8; attempt++) {
    char code[LOBBY_PASS_CODE_LEN + 1];
    sqlite3_stmt *q;
    bool taken = false;
    lobby_code_random(code, LOBBY_PASS_CODE_LEN);
    /* A worker's live pass may hold it (the unique index sees visits only). */
    lobby_err err = sq__pass_code_taken(s, code, &taken);
    if (err != LOBBY_OK)
      return err;
    if (taken)
      continue;
    err = sq__prepare(s, "UPDATE visits SET state = 'approved', pass_code = ?, "
                         "checked_in_at = ? WHERE id = ?", &q);
    if (err != LOBBY_OK)
      return err;
    sq__bind_text(q, 1, code);
    sqlite3_bind_int64(q, 2, now);
    sq__bind_text(q, 3, id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
      return LOBBY_OK;
    if (rc != SQLITE_CONSTRAINT)
      return LOBBY_EIO;
  }
  return LOBBY_EIO;
}

static lobby_err insert_visit(sq_store *s, const char *id, const char *follow_token,
                              const store_visit_new *v, const lobby_principal *by,
                              const char *invite_code, int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s,
    "INSERT INTO visits (id, name, phone, host, purpose, party_size, plate, state, kiosk, "
    "invite_code, created_at, kiosk_id, site_id, follow_token) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, id);
  sq__bind_text(q, 2, v->name);
  sq__bind_text(q, 3, v->phone);
  sq__bind_text(q, 4, v->host);
  sq__bind_text(q, 5, v->purpose);
  sqlite3_bind_int(q, 6, v->party_size);
  sq__bind_text(q, 7, v->plate && *v->plate ? v->plate : NULL);
  sq__bind_text(q, 8, by->role == ROLE_KIOSK ? by->name : NULL);
  sq__bind_text(q, 9, invite_code);
  sqlite3_bind_int64(q, 10, now);
  if (by->role == ROLE_KIOSK)
    sqlite3_bind_int64(q, 11, by->id);
  else
    sqlite3_bind_null(q, 11);
  sqlite3_bind_int64(q, 12, v->site_id);
  sq__bind_text(q, 13, follow_token);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

/* Creates the visit row inside an open transaction and stores the answer
 * under the idempotency key. */
static lobby_err create_in_tx(sq_store *s, const store_visit_new *v, bool needs_approval,
                              const lobby_principal *by, const char *invite_code,
                              store_idempotency *idem, int64_t now, json_t **out)
{
  char id[STORE_VISIT_ID_LEN], follow_token[LOBBY_FOLLOW_TOKEN_LEN + 1];
  store_visit_id_new(id);
  lobby_follow_token_new(follow_token);
  lobby_err err = insert_visit(s, id, follow_token, v, by, invite_code, now);
  if (err == LOBBY_OK && !needs_approval)
    err = assign_pass_code(s, id, now);
  if (err == LOBBY_OK)
    err = visit_fetch(s, id, false, out);
  if (err == LOBBY_OK)
    json_object_set_new(*out, "follow_token", json_string(follow_token));
  if (err == LOBBY_OK && (err = sq__idem_save(s, idem, *out, now))) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

typedef struct {
  const store_visit_new *v;
  bool needs_approval;
  const lobby_principal *by;
  store_idempotency *idem;
  int64_t now;
  const char *invite_code;
} visit_args;

static lobby_err visit_create_fn(sq_store *s, void *arg, json_t **out)
{
  visit_args *a = arg;
  return create_in_tx(s, a->v, a->needs_approval, a->by, NULL, a->idem, a->now, out);
}

static lobby_err visit_create(lobby_store *st, const store_visit_new *v, bool needs_approval,
                              const lobby_principal *by, store_idempotency *idem,
                              const store_audit_entry *audit, int64_t now, json_t **out)
{
  visit_args a = {v, needs_approval, by, idem, now, NULL};
  return sq__with_idempotency(SQ(st), idem, audit, NULL, out, visit_create_fn, &a);
}

static lobby_err visit_follow(lobby_store *st, const char *token, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  json_t *v = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, STORE_VISIT_FOLLOW_SQL("?"), &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, token);
    err = sq__one(q, &v);
  }
  SQ_UNLOCK(s);
  if (err == LOBBY_OK) {
    store_row_drop_nulls(v);
    *out = v;
  }
  return err;
}

static lobby_err visit_get(lobby_store *st, const char *id, int64_t kiosk_id,
                           const store_site_set *sites, json_t **out)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = visit_fetch_scoped(s, id, false, kiosk_id, sites, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err visit_state(sq_store *s, const char *id, int64_t kiosk_id,
                             const store_site_set *sites, char *state, size_t size)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in_sites(s, "SELECT state FROM visits WHERE id = ?1 AND "
                                      VISIT_SCOPE("?2") "{sites}", sites, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, id);
  sqlite3_bind_int64(q, 2, kiosk_id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    snprintf(state, size, "%s", sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
}

static lobby_err set_state(sq_store *s, const char *id, const char *sql, const char *text,
                           int64_t now)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, sql, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, text);
  sqlite3_bind_int64(q, 2, now);
  sq__bind_text(q, 3, id);
  err = sq__step_done(s, q);
  sqlite3_finalize(q);
  return err;
}

static lobby_err visit_decide(lobby_store *st, const char *id, bool approve, const char *reason,
                              const lobby_principal *by, int64_t now,
                              const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  char state[16];
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = visit_state(s, id, 0, &by->sites, state, sizeof state);
  if (err == LOBBY_OK && strcmp(state, "pending") != 0)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = set_state(s, id, "UPDATE visits SET decided_by = ?1, decided_at = ?2 WHERE id = ?3",
                    by->name, now);
  if (err == LOBBY_OK && approve)
    err = assign_pass_code(s, id, now);
  if (err == LOBBY_OK && !approve)
    err = set_state(s, id, "UPDATE visits SET state = 'refused', reason = ?1, "
                           "checked_out_at = NULL, decided_at = ?2 WHERE id = ?3", reason, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = visit_fetch(s, id, true, out);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err visit_cancel(lobby_store *st, const char *id, int64_t kiosk_id,
                              const store_site_set *sites, int64_t now,
                              const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  char state[16];
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = visit_state(s, id, kiosk_id, sites, state, sizeof state);
  if (err == LOBBY_OK && strcmp(state, "pending") != 0)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = set_state(s, id, "UPDATE visits SET state = 'cancelled', reason = ?1, "
                           "decided_at = ?2 WHERE id = ?3 AND state = 'pending'", NULL, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = visit_fetch(s, id, false, out);
  SQ_UNLOCK(s);
  return err;
}

/* Checks out by id (staff) or by pass code (the visitor at a kiosk). */
static lobby_err visit_checkout(lobby_store *st, const char *id, const char *pass_code,
                                int64_t kiosk_id, const store_site_set *sites, int64_t now,
                                const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  char found[24] = "", state[16] = "";
  const char *find = id
    ? "SELECT id, state FROM visits WHERE id = ?1 AND " VISIT_SCOPE("?2") "{sites}"
    : "SELECT id, state FROM visits WHERE pass_code = ?1 "
      "AND (?2 = 0 OR kiosk_id IS NULL OR kiosk_id = ?2){sites} "
      "ORDER BY (state = 'approved') DESC, created_at DESC LIMIT 1";
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = prepare_in_sites(s, find, sites, &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, id ? id : pass_code);
    sqlite3_bind_int64(q, 2, kiosk_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
      snprintf(found, sizeof found, "%s", sqlite3_column_text(q, 0));
      snprintf(state, sizeof state, "%s", sqlite3_column_text(q, 1));
    }
    err = rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
    sqlite3_finalize(q);
  }
  if (err == LOBBY_OK && strcmp(state, "approved") != 0)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = set_state(s, found, "UPDATE visits SET state = 'checked_out', checked_out_at = ?2, "
                              "reason = COALESCE(reason, ?1) WHERE id = ?3", NULL, now);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    err = visit_fetch(s, found, true, out);
  SQ_UNLOCK(s);
  return err;
}

/* The range is always bound (an open end as the widest value) so that
 * visits_site or visits_created can read just the days asked for; the
 * search terms, which no index holds, are tested on those rows only. */
/* The visitor log's conditions (store_visit_filter), ?1..?7. */
#define VISIT_LOG_WHERE                                                             \
  " FROM visits WHERE (?1 IS NULL OR state = ?1) "                                  \
  "AND created_at >= ?2 AND created_at < ?3 AND (?4 = 0 OR state = 'approved') "    \
  "AND (?5 IS NULL OR phone = ?5) AND (?6 IS NULL OR substr(phone, -4) = ?6) "      \
  "AND (?7 IS NULL OR name LIKE ?7 ESCAPE '\\' OR host LIKE ?7 ESCAPE '\\' "       \
  "     OR plate LIKE ?7 ESCAPE '\\'){sites}"

static void bind_visit_log(sqlite3_stmt *q, const store_visit_filter *f, const store_visit_terms *t)
{
  sq__bind_text(q, 1, f->state);
  sqlite3_bind_int64(q, 2, f->from);
  sqlite3_bind_int64(q, 3, f->to ? f->to : INT64_MAX);
  sqlite3_bind_int(q, 4, f->onsite_only);
  sq__bind_text(q, 5, t->phone);
  sq__bind_text(q, 6, t->last4);
  sq__bind_text(q, 7, t->start_like);
}

static lobby_err visit_log_total(sq_store *s, const store_visit_filter *f,
                                 const store_visit_terms *t, int64_t *total)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in_sites(s, "SELECT count(*)" VISIT_LOG_WHERE, f->sites, &q);
  if (err != LOBBY_OK)
    return err;
  bind_visit_log(q, f, t);
  err = sqlite3_step(q) == SQLITE_ROW ? LOBBY_OK : LOBBY_EIO;
  if (err == LOBBY_OK)
    *total = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return err;
}

static lobby_err visit_list(lobby_store *st, const store_visit_filter *f, json_t **out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  store_visit_terms t;
  store_visit_terms_of(f->search, &t);
  *out = NULL;
  SQ_LOCK(s);
  /* The id breaks ties, so pages neither repeat nor skip a visit. */
  lobby_err err = prepare_in_sites(s, "SELECT " VISIT_STAFF_COLUMNS VISIT_LOG_WHERE
                                      " ORDER BY created_at DESC, id DESC LIMIT ?8 OFFSET ?9", f->sites, &q);
  if (err == LOBBY_OK) {
    bind_visit_log(q, f, &t);
    sqlite3_bind_int(q, 8, f->limit > 0 ? f->limit : 1000);
    sqlite3_bind_int64(q, 9, f->offset);
    err = sq__collect(q, out);
  }
  if (err == LOBBY_OK && f->total)
    err = visit_log_total(s, f, &t, f->total);
  SQ_UNLOCK(s);
  if (err != LOBBY_OK && *out) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

static lobby_err visit_auto_checkout(lobby_store *st, const store_site_set *sites,
                                     int64_t older_than, int64_t now, int *count)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = prepare_in_sites(s, "UPDATE visits SET state = 'checked_out', checked_out_at = ?1, "
                                      "auto_checked_out = 1 WHERE state = 'approved' "
                                      "AND checked_in_at < ?2{sites}", sites, &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, now);
    sqlite3_bind_int64(q, 2, older_than);
    err = sq__step_done(s, q);
    *count = sqlite3_changes(s->db);
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err anonymise_table(sq_store *s, const char *sql, const store_site_set *sites,
                                 int64_t older_than, int64_t now, int *count)
{
  sqlite3_stmt *q;
  lobby_err err = prepare_in_sites(s, sql, sites, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int64(q, 2, older_than);
  err = sq__run(s, q, false);
  if (err == LOBBY_OK)
    *count += sqlite3_changes(s->db);
  return err;
}

/* Retention: old visits keep their times and purpose for statistics but
 * lose everything that identifies the visitor. */
static lobby_err visit_anonymise(lobby_store *st, const store_site_set *sites, int64_t older_than,
                                 int64_t now, int *count)
{
  sq_store *s = SQ(st);
  *count = 0;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = anonymise_table(s, "UPDATE visits SET name = '—', phone = '', plate = NULL, "
                             "anonymised_at = ?1 WHERE anonymised_at IS NULL AND created_at < ?2 "
                             "AND state NOT IN ('pending', 'approved'){sites}", sites, older_than,
                          now, count);
  if (err == LOBBY_OK)
    err = anonymise_table(s, "UPDATE invites SET name = '—', phone = '', plate = NULL, "
                             "anonymised_at = ?1 WHERE anonymised_at IS NULL AND created_at < ?2"
                             "{sites}", sites, older_than, now, count);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err invite_create(lobby_store *st, const store_visit_new *v, int64_t valid_until,
                               const lobby_principal *by, int64_t now,
                               const store_audit_entry *audit, json_t **out)
{
  sq_store *s = SQ(st);
  json_t *answer = NULL;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err != LOBBY_OK) {
    SQ_UNLOCK(s);
    return err;
  }
  err = LOBBY_EIO;
  for (int attempt = 0; attempt < 8 && err == LOBBY_EIO; attempt++) {
    char code[LOBBY_INVITE_CODE_LEN + 1];
    sqlite3_stmt *q;
    lobby_code_random(code, LOBBY_INVITE_CODE_LEN);
    if ((err = sq__prepare(s, "INSERT INTO invites (code, name, phone, host, purpose, party_size, "
                              "plate, created_by, created_at, valid_until, site_id) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?,?)", &q)))
      break;
    sq__bind_text(q, 1, code);
    sq__bind_text(q, 2, v->name);
    sq__bind_text(q, 3, v->phone);
    sq__bind_text(q, 4, v->host);
    sq__bind_text(q, 5, v->purpose);
    sqlite3_bind_int(q, 6, v->party_size);
    sq__bind_text(q, 7, v->plate && *v->plate ? v->plate : NULL);
    sq__bind_text(q, 8, by->name);
    sqlite3_bind_int64(q, 9, now);
    sqlite3_bind_int64(q, 10, valid_until);
    sqlite3_bind_int64(q, 11, v->site_id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    err = rc == SQLITE_DONE ? LOBBY_OK : LOBBY_EIO; /* a taken code retries */
    if (err == LOBBY_OK)
      answer = json_pack("{s:s, s:I}", "invite_code", code, "valid_until_at", (json_int_t)valid_until);
  }
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  if (err == LOBBY_OK)
    *out = answer;
  else
    json_decref(answer);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err invite_checkin_fn(sq_store *s, void *arg, json_t **out)
{
  visit_args *a = arg;
  sqlite3_stmt *q;
  json_t *inv = NULL;
  lobby_err err = prepare_in_sites(s, "SELECT name, phone, host, purpose, party_size, plate, "
                                      "used_at, valid_until, revoked_at, site_id FROM invites WHERE code = ?{sites}",
                                   &a->by->sites, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, a->invite_code);
  if ((err = sq__one(q, &inv)))
    return err;
  if (!json_is_null(json_object_get(inv, "used_at")))
    err = LOBBY_ECONFLICT;
  else if (json_integer_value(json_object_get(inv, "valid_until")) < a->now ||
           !json_is_null(json_object_get(inv, "revoked_at")))
    err = LOBBY_ENOTFOUND;
  store_visit_new v = {
    .name = json_string_value(json_object_get(inv, "name")),
    .phone = json_string_value(json_object_get(inv, "phone")),
    .host = json_string_value(json_object_get(inv, "host")),
    .purpose = json_string_value(json_object_get(inv, "purpose")),
    .plate = json_string_value(json_object_get(inv, "plate")),
    .party_size = (int)json_integer_value(json_object_get(inv, "party_size")),
    .site_id = json_integer_value(json_object_get(inv, "site_id"))};
  if (err == LOBBY_OK)
    err = create_in_tx(s, &v, false, a->by, a->invite_code, a->idem, a->now, out);
  json_decref(inv);
  if (err == LOBBY_OK)
    err = set_state(s, a->invite_code, "UPDATE invites SET visit_id = ?1, used_at = ?2 "
                                       "WHERE code = ?3",
                    json_string_value(json_object_get(*out, "id")), a->now);
  return err;
}

static lobby_err invite_checkin(lobby_store *st, const char *code, const lobby_principal *by,
                                store_idempotency *idem, const store_audit_entry *audit,
                                int64_t now, json_t **out)
{
  visit_args a = {NULL, false, by, idem, now, code};
  return sq__with_idempotency(SQ(st), idem, audit, NULL, out, invite_checkin_fn, &a);
}

void sq__visit_ops(lobby_store_ops *ops)
{
  ops->visit_create = visit_create;
  ops->visit_get = visit_get;
  ops->visit_follow = visit_follow;
  ops->visit_decide = visit_decide;
  ops->visit_cancel = visit_cancel;
  ops->visit_checkout = visit_checkout;
  ops->visit_list = visit_list;
  ops->visit_auto_checkout = visit_auto_checkout;
  ops->visit_anonymise = visit_anonymise;
  ops->invite_create = invite_create;
  ops->invite_checkin = invite_checkin;
}
