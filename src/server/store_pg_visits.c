/* Visits and invites in the PostgreSQL store, as store_sqlite_visits.c.
 * A visit's pass code is unique among approved visits (the partial unique
 * index visits_live_pass), so a code can be reused once its visitor has
 * left.  A read that decides a change locks its row (FOR UPDATE), so two
 * lobbyd instances on one database never both act on the old state. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_domain.h"
#include "lobby_follow.h"

#define VISIT_PUBLIC_COLUMNS \
  "id, state, pass_code, reason, checked_in_at, checked_out_at"
#define VISIT_STAFF_COLUMNS                                                      \
  VISIT_PUBLIC_COLUMNS ", name, phone, host, purpose, party_size, plate, kiosk, " \
  "invite_code, created_at, auto_checked_out AS \"auto_checked_out?\", decided_by, decided_at, " \
  "(SELECT code FROM sites WHERE sites.id = visits.site_id) AS site"

/* The condition that keeps a kiosk to its own visits: $K is its id, 0 for
 * staff, who see every visit. */
#define VISIT_SCOPE(k) "(" k "::bigint = 0 OR kiosk_id = " k "::bigint)"

/* Attempts at a random pass or invite code before giving up: with 25^8
 * codes a collision is rare, a few retries make success certain. */
#define CODE_ATTEMPTS 8

static lobby_err visit_fetch_scoped(pq_conn *c, const char *id, bool staff, int64_t kiosk_id,
                                    const store_site_set *sites, json_t **out)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql,
                               staff ? "SELECT " VISIT_STAFF_COLUMNS " FROM visits WHERE id = $1 "
                                       "AND " VISIT_SCOPE("$2")
                                     : "SELECT " VISIT_PUBLIC_COLUMNS " FROM visits "
                                       "WHERE id = $1 AND " VISIT_SCOPE("$2"),
                               sites, "site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, id);
  pq__int(&p, kiosk_id);
  return pq__one(c, sql, &p, out);
}

static lobby_err visit_fetch(pq_conn *c, const char *id, bool staff, json_t **out)
{
  return visit_fetch_scoped(c, id, staff, 0, NULL, out);
}

/* A write whose failure the SQLite store reports as LOBBY_EIO whatever
 * the cause (it cannot break a unique index): a duplicate is not the
 * caller's doing, so it must not read as an idempotency clash. */
static lobby_err run_step(pq_conn *c, const char *sql, const pq_params *p)
{
  lobby_err err = pq__run(c, sql, p, false);
  return err == LOBBY_EDUP ? LOBBY_EIO : err;
}

/* Runs one insert or update that may hit a unique index inside the open
 * transaction.  A violation would abort the whole transaction, so the
 * statement runs under a savepoint that a collision rolls back to: the
 * caller may then retry with another code. */
static lobby_err run_may_collide(pq_conn *c, const char *sql, const pq_params *p)
{
  lobby_err err = pq__exec(c, "SAVEPOINT code_attempt");
  if (err != LOBBY_OK)
    return err;
  err = pq__run(c, sql, p, false);
  if (err == LOBBY_OK)
    return pq__exec(c, "RELEASE SAVEPOINT code_attempt");
  if (err == LOBBY_EDUP) {
    lobby_err undo = pq__exec(c, "ROLLBACK TO SAVEPOINT code_attempt");
    if (undo != LOBBY_OK)
      return undo;
  }
  return err;
}

/* Gives an approved visit a pass code that no other live pass (an
 * approved visit's, or a worker's: pq__pass_code_taken) holds.
 * Another transaction approving a visit with the same code makes this one
 * wait on the index, then collide, then retry. */
static lobby_err assign_pass_code(pq_conn *c, const char *id, int64_t now)
{
  for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    char code[LOBBY_PASS_CODE_LEN + 1];
    bool taken = false;
    lobby_code_random(code, LOBBY_PASS_CODE_LEN);
    /* A worker's live pass may hold it (the unique index sees visits only). */
    lobby_err err = pq__pass_code_taken(c, code, &taken);
    if (err != LOBBY_OK)
      return err;
    if (taken)
      continue;
    pq_params p = {0};
    pq__text(&p, code);
    pq__int(&p, now);
    pq__text(&p, id);
    err = run_may_collide(c, "UPDATE visits SET state = 'approved', pass_code = $1, "
                                       "checked_in_at = $2 WHERE id = $3", &p);
    if (err != LOBBY_EDUP)
      return err;
  }
  return LOBBY_EIO;
}

static lobby_err insert_visit(pq_conn *c, const char *id, const char *follow_token,
                              const store_visit_new *v, const lobby_principal *by,
                              const char *invite_code, int64_t now)
{
  pq_params p = {0};
  pq__text(&p, id);
  pq__text(&p, v->name);
  pq__text(&p, v->phone);
  pq__text(&p, v->host);
  pq__text(&p, v->purpose);
  pq__int(&p, v->party_size);
  pq__text(&p, v->plate && *v->plate ? v->plate : NULL);
  pq__text(&p, by->role == ROLE_KIOSK ? by->name : NULL);
  pq__text(&p, invite_code);
  pq__int(&p, now);
  if (by->role == ROLE_KIOSK)
    pq__int(&p, by->id);
  else
    pq__null(&p);
  pq__int(&p, v->site_id);
  pq__text(&p, follow_token);
  return run_step(c,
    "INSERT INTO visits (id, name, phone, host, purpose, party_size, plate, state, kiosk, "
    "invite_code, created_at, kiosk_id, site_id, follow_token) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, $11, $12, $13)", &p);
}

/* Creates the visit row inside an open transaction; its answer is saved
 * under the idempotency key by pq__with_idempotency. */
static lobby_err create_in_tx(pq_conn *c, const store_visit_new *v, bool needs_approval,
                              const lobby_principal *by, const char *invite_code, int64_t now,
                              json_t **out)
{
  char id[STORE_VISIT_ID_LEN], follow_token[LOBBY_FOLLOW_TOKEN_LEN + 1];
  store_visit_id_new(id);
  lobby_follow_token_new(follow_token);
  lobby_err err = insert_visit(c, id, follow_token, v, by, invite_code, now);
  if (err == LOBBY_OK && !needs_approval)
    err = assign_pass_code(c, id, now);
  if (err == LOBBY_OK)
    err = visit_fetch(c, id, false, out);
  if (err == LOBBY_OK)
    json_object_set_new(*out, "follow_token", json_string(follow_token));
  return err;
}

typedef struct {
  const store_visit_new *v;
  bool needs_approval;
  const lobby_principal *by;
  int64_t now;
  const char *invite_code;
} visit_args;

static lobby_err visit_create_fn(pq_conn *c, void *arg, json_t **out)
{
  visit_args *a = arg;
  return create_in_tx(c, a->v, a->needs_approval, a->by, NULL, a->now, out);
}

static lobby_err visit_follow(lobby_store *st, const char *token, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  json_t *v = NULL;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, token);
  err = pq__one(c, STORE_VISIT_FOLLOW_SQL("$1"), &p, &v);
  pq__release(s, c);
  if (err == LOBBY_OK) {
    store_row_drop_nulls(v);
    *out = v;
  }
  return err;
}

static lobby_err visit_create(lobby_store *st, const store_visit_new *v, bool needs_approval,
                              const lobby_principal *by, store_idempotency *idem,
                              const store_audit_entry *audit, int64_t now, json_t **out)
{
  visit_args a = {v, needs_approval, by, now, NULL};
  return pq__with_idempotency(PQ(st), idem, audit, NULL, now, out, visit_create_fn, &a);
}

static lobby_err visit_get(lobby_store *st, const char *id, int64_t kiosk_id,
                           const store_site_set *sites, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = visit_fetch_scoped(c, id, false, kiosk_id, sites, out);
  pq__release(s, c);
  return err;
}

/* Reads the state that decides a change and locks the row until the
 * transaction ends.  found (may be NULL) receives the visit's id. */
static lobby_err lock_visit(pq_conn *c, const char *sql, const pq_params *p, char *found,
                            size_t found_size, char *state, size_t size)
{
  PGresult *res;
  lobby_err err = pq__query(c, sql, p, &res);
  if (err != LOBBY_OK)
    return err;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return LOBBY_ENOTFOUND;
  }
  if (found)
    snprintf(found, found_size, "%s", PQgetvalue(res, 0, 0));
  snprintf(state, size, "%s", PQgetvalue(res, 0, 1));
  PQclear(res);
  return LOBBY_OK;
}

static lobby_err visit_state(pq_conn *c, const char *id, int64_t kiosk_id,
                             const store_site_set *sites, char *state, size_t size)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT id, state FROM visits WHERE id = $1 "
                               "AND " VISIT_SCOPE("$2"), sites, "site_id", false, " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, id);
  pq__int(&p, kiosk_id);
  return lock_visit(c, sql, &p, NULL, 0, state, size);
}

static lobby_err set_state(pq_conn *c, const char *id, const char *sql, const char *text,
                           int64_t now)
{
  pq_params p = {0};
  pq__text(&p, text);
  pq__int(&p, now);
  pq__text(&p, id);
  return run_step(c, sql, &p);
}

typedef struct {
  const char *id;
  bool approve;
  const char *reason;
  const lobby_principal *by;
  int64_t kiosk_id;
  const store_site_set *sites;  /* the visits the change reaches */
  const char *pass_code;
  int64_t now;
  const store_audit_entry *audit;
  bool staff;                 /* the answer has the staff's columns */
  char found[24];             /* out: the visit changed */
  json_t *answer;             /* out: the visit as the change left it */
} change_args;

/* The visit a change left, read in the change's own transaction: the
 * answer shows this change, not one another instance committed after it. */
static lobby_err answer_with_visit(pq_conn *c, change_args *a)
{
  json_decref(a->answer);   /* from an attempt the database aborted */
  a->answer = NULL;
  return visit_fetch(c, a->found, a->staff, &a->answer);
}

static lobby_err change_visit(pq_store *s, lobby_err (*fn)(pq_conn *, void *), change_args *a,
                              json_t **out)
{
  lobby_err err = pq__transaction(s, fn, a);
  if (err == LOBBY_OK)
    *out = a->answer;
  else
    json_decref(a->answer);
  return err;
}

static lobby_err decide_fn(pq_conn *c, void *arg)
{
  change_args *a = arg;
  char state[16];
  lobby_err err = visit_state(c, a->id, 0, &a->by->sites, state, sizeof state);
  if (err == LOBBY_OK && strcmp(state, "pending") != 0)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = set_state(c, a->id, "UPDATE visits SET decided_by = $1, decided_at = $2 WHERE id = $3",
                    a->by->name, a->now);
  if (err == LOBBY_OK && a->approve)
    err = assign_pass_code(c, a->id, a->now);
  if (err == LOBBY_OK && !a->approve)
    err = set_state(c, a->id, "UPDATE visits SET state = 'refused', reason = $1, "
                              "checked_out_at = NULL, decided_at = $2 WHERE id = $3",
                    a->reason, a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = answer_with_visit(c, a);
  return err;
}

static lobby_err visit_decide(lobby_store *st, const char *id, bool approve, const char *reason,
                              const lobby_principal *by, int64_t now,
                              const store_audit_entry *audit, json_t **out)
{
  change_args a = {.id = id, .approve = approve, .reason = reason, .by = by, .now = now,
                   .audit = audit, .staff = true};
  snprintf(a.found, sizeof a.found, "%s", id);
  return change_visit(PQ(st), decide_fn, &a, out);
}

static lobby_err cancel_fn(pq_conn *c, void *arg)
{
  change_args *a = arg;
  char state[16];
  lobby_err err = visit_state(c, a->id, a->kiosk_id, a->sites, state, sizeof state);
  if (err == LOBBY_OK && strcmp(state, "pending") != 0)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = set_state(c, a->id, "UPDATE visits SET state = 'cancelled', reason = $1, "
                              "decided_at = $2 WHERE id = $3 AND state = 'pending'", NULL, a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = answer_with_visit(c, a);
  return err;
}

static lobby_err visit_cancel(lobby_store *st, const char *id, int64_t kiosk_id,
                              const store_site_set *sites, int64_t now,
                              const store_audit_entry *audit, json_t **out)
{
  change_args a = {.id = id, .kiosk_id = kiosk_id, .sites = sites, .now = now, .audit = audit,
                   .staff = false};
  snprintf(a.found, sizeof a.found, "%s", id);
  return change_visit(PQ(st), cancel_fn, &a, out);
}

/* Finds the visit by id (staff) or by pass code (the visitor at a kiosk:
 * the live visit first, else the newest), locks it and checks it out. */
static lobby_err checkout_fn(pq_conn *c, void *arg)
{
  change_args *a = arg;
  char state[16] = "", find[PQ_SITE_SQL_SIZE];
  lobby_err err = a->id
    ? pq__site_sql(find, sizeof find, "SELECT id, state FROM visits WHERE id = $1 "
                   "AND " VISIT_SCOPE("$2"), a->sites, "site_id", false, " FOR UPDATE")
    : pq__site_sql(find, sizeof find, "SELECT id, state FROM visits WHERE pass_code = $1 "
                   "AND ($2::bigint = 0 OR kiosk_id IS NULL OR kiosk_id = $2::bigint)",
                   a->sites, "site_id", false,
                   " ORDER BY (state = 'approved') DESC, created_at DESC LIMIT 1 FOR UPDATE");
  pq_params p = {0};
  pq__text(&p, a->id ? a->id : a->pass_code);
  pq__int(&p, a->kiosk_id);
  if (err == LOBBY_OK)
    err = lock_visit(c, find, &p, a->found, sizeof a->found, state, sizeof state);
  if (err == LOBBY_OK && strcmp(state, "approved") != 0)
    err = LOBBY_ECONFLICT;
  if (err == LOBBY_OK)
    err = set_state(c, a->found, "UPDATE visits SET state = 'checked_out', checked_out_at = $2, "
                                 "reason = COALESCE(reason, $1) WHERE id = $3", NULL, a->now);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = answer_with_visit(c, a);
  return err;
}

static lobby_err visit_checkout(lobby_store *st, const char *id, const char *pass_code,
                                int64_t kiosk_id, const store_site_set *sites, int64_t now,
                                const store_audit_entry *audit, json_t **out)
{
  change_args a = {.id = id, .pass_code = pass_code, .kiosk_id = kiosk_id, .sites = sites,
                   .now = now, .audit = audit, .staff = true};
  return change_visit(PQ(st), checkout_fn, &a, out);
}

/* The range is always bound (an open end as the widest value) so that
 * visits_site or visits_created can read just the days asked for; the
 * search terms, which no index holds, are tested on those rows only.
 * ILIKE, as SQLite's LIKE, ignores ASCII case. */
/* The visitor log's conditions (store_visit_filter), $1..$7. */
#define VISIT_LOG_WHERE                                                             \
  " FROM visits WHERE ($1::text IS NULL OR state = $1::text) "                      \
  "AND created_at >= $2::bigint AND created_at < $3::bigint "                       \
  "AND ($4::integer = 0 OR state = 'approved') "                                    \
  "AND ($5::text IS NULL OR phone = $5::text) "                                     \
  "AND ($6::text IS NULL OR right(phone, 4) = $6::text) "                           \
  "AND ($7::text IS NULL OR name ILIKE $7::text ESCAPE '\\' "                       \
  "     OR host ILIKE $7::text ESCAPE '\\' OR plate ILIKE $7::text ESCAPE '\\')"

static void bind_visit_log(pq_params *p, const store_visit_filter *f, const store_visit_terms *t)
{
  pq__text(p, f->state);
  pq__int(p, f->from);
  pq__int(p, f->to ? f->to : INT64_MAX);
  pq__int(p, f->onsite_only);
  pq__text(p, t->phone);
  pq__text(p, t->last4);
  pq__text(p, t->start_like);
}

static lobby_err visit_log_total(pq_conn *c, const store_visit_filter *f,
                                 const store_visit_terms *t, int64_t *total)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT count(*)" VISIT_LOG_WHERE, f->sites,
                               "site_id", false, "");
  pq_params p = {0};
  bind_visit_log(&p, f, t);
  return err == LOBBY_OK ? pq__int64(c, sql, &p, total) : err;
}

static lobby_err visit_list(lobby_store *st, const store_visit_filter *f, json_t **out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  char sql[PQ_SITE_SQL_SIZE];
  store_visit_terms t;
  store_visit_terms_of(f->search, &t);
  *out = NULL;
  /* The id breaks ties, so pages neither repeat nor skip a visit. */
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT " VISIT_STAFF_COLUMNS VISIT_LOG_WHERE,
    f->sites, "site_id", false, " ORDER BY created_at DESC, id DESC LIMIT $8 OFFSET $9");
  if (err == LOBBY_OK)
    err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  bind_visit_log(&p, f, &t);
  pq__int(&p, f->limit > 0 ? f->limit : 1000);
  pq__int(&p, f->offset);
  err = pq__collect(c, sql, &p, out);
  if (err == LOBBY_OK && f->total)
    err = visit_log_total(c, f, &t, f->total);
  pq__release(s, c);
  if (err != LOBBY_OK && *out) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

/* A statement that changes rows, adding how many it changed to *count. */
static lobby_err run_counted(pq_conn *c, const char *sql, int64_t now, int64_t older_than,
                             int *count)
{
  pq_params p = {0};
  pq__int(&p, now);
  pq__int(&p, older_than);
  PGresult *res;
  lobby_err err = pq__query(c, sql, &p, &res);
  if (err != LOBBY_OK)
    return err;
  /* PQcmdTuples is "" for a statement that counts nothing, read as 0. */
  *count += (int)strtol(PQcmdTuples(res), NULL, 10);
  PQclear(res);
  return LOBBY_OK;
}

static lobby_err visit_auto_checkout(lobby_store *st, const store_site_set *sites,
                                     int64_t older_than, int64_t now, int *count)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  char sql[PQ_SITE_SQL_SIZE];
  *count = 0;
  lobby_err err = pq__site_sql(sql, sizeof sql,
                               "UPDATE visits SET state = 'checked_out', checked_out_at = $1, "
                               "auto_checked_out = 1 WHERE state = 'approved' AND checked_in_at < $2",
                               sites, "site_id", false, "");
  if (err == LOBBY_OK)
    err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = run_counted(c, sql, now, older_than, count);
  pq__release(s, c);
  return err;
}

typedef struct {
  int64_t older_than, now;
  int count;
  char visits_sql[PQ_SITE_SQL_SIZE], invites_sql[PQ_SITE_SQL_SIZE];
} anonymise_args;

static lobby_err anonymise_fn(pq_conn *c, void *arg)
{
  anonymise_args *a = arg;
  a->count = 0;   /* a retried transaction counts afresh */
  lobby_err err = run_counted(c, a->visits_sql, a->now, a->older_than, &a->count);
  if (err == LOBBY_OK)
    err = run_counted(c, a->invites_sql, a->now, a->older_than, &a->count);
  return err;
}

/* Retention: old visits keep their times and purpose for statistics but
 * lose everything that identifies the visitor. */
static lobby_err visit_anonymise(lobby_store *st, const store_site_set *sites, int64_t older_than,
                                 int64_t now, int *count)
{
  anonymise_args a = {older_than, now, 0, "", ""};
  *count = 0;
  lobby_err err = pq__site_sql(a.visits_sql, sizeof a.visits_sql,
                               "UPDATE visits SET name = '—', phone = '', plate = NULL, "
                               "anonymised_at = $1 WHERE anonymised_at IS NULL "
                               "AND created_at < $2 AND state NOT IN ('pending', 'approved')",
                               sites, "site_id", false, "");
  if (err == LOBBY_OK)
    err = pq__site_sql(a.invites_sql, sizeof a.invites_sql,
                       "UPDATE invites SET name = '—', phone = '', plate = NULL, "
                       "anonymised_at = $1 WHERE anonymised_at IS NULL AND created_at < $2",
                       sites, "site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  err = pq__transaction(PQ(st), anonymise_fn, &a);
  *count = err == LOBBY_OK ? a.count : 0;
  return err;
}

typedef struct {
  const store_visit_new *v;
  int64_t valid_until;
  const lobby_principal *by;
  int64_t now;
  const store_audit_entry *audit;
  json_t *answer;             /* out */
} invite_args;

/* Inserts the invite under a fresh random code; a code already taken is
 * a unique violation and retries with another. */
static lobby_err invite_create_fn(pq_conn *c, void *arg)
{
  invite_args *a = arg;
  lobby_err err = LOBBY_EDUP;
  json_decref(a->answer);   /* from an attempt the database aborted */
  a->answer = NULL;
  for (int attempt = 0; attempt < CODE_ATTEMPTS && err == LOBBY_EDUP; attempt++) {
    char code[LOBBY_INVITE_CODE_LEN + 1];
    lobby_code_random(code, LOBBY_INVITE_CODE_LEN);
    pq_params p = {0};
    pq__text(&p, code);
    pq__text(&p, a->v->name);
    pq__text(&p, a->v->phone);
    pq__text(&p, a->v->host);
    pq__text(&p, a->v->purpose);
    pq__int(&p, a->v->party_size);
    pq__text(&p, a->v->plate && *a->v->plate ? a->v->plate : NULL);
    pq__text(&p, a->by->name);
    pq__int(&p, a->now);
    pq__int(&p, a->valid_until);
    pq__int(&p, a->v->site_id);
    err = run_may_collide(c, "INSERT INTO invites (code, name, phone, host, purpose, party_size, "
                             "plate, created_by, created_at, valid_until, site_id) "
                             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", &p);
    if (err == LOBBY_OK) {
      a->answer = json_pack("{s:s, s:I}", "invite_code", code, "valid_until_at",
                            (json_int_t)a->valid_until);
      if (!a->answer)
        err = LOBBY_ENOMEM;
    }
  }
  if (err == LOBBY_EDUP)
    err = LOBBY_EIO;   /* every code taken: as the SQLite store */
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

static lobby_err invite_create(lobby_store *st, const store_visit_new *v, int64_t valid_until,
                               const lobby_principal *by, int64_t now,
                               const store_audit_entry *audit, json_t **out)
{
  invite_args a = {v, valid_until, by, now, audit, NULL};
  lobby_err err = pq__transaction(PQ(st), invite_create_fn, &a);
  if (err == LOBBY_OK)
    *out = a.answer;
  else
    json_decref(a.answer);
  return err;
}

/* Locks the invite, so two check-ins with one code (to two lobbyd
 * instances, say) run one after the other and the second finds it used.
 * An invite of a site outside the caller's is LOBBY_ENOTFOUND; the visit
 * takes the invite's site. */
static lobby_err invite_checkin_fn(pq_conn *c, void *arg, json_t **out)
{
  visit_args *a = arg;
  json_t *inv = NULL;
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT name, phone, host, purpose, party_size, "
                               "plate, used_at, valid_until, revoked_at, site_id FROM invites "
                               "WHERE code = $1", &a->by->sites, "site_id", false, " FOR UPDATE");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__text(&p, a->invite_code);
  err = pq__one(c, sql, &p, &inv);
  if (err != LOBBY_OK)
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
    err = create_in_tx(c, &v, false, a->by, a->invite_code, a->now, out);
  json_decref(inv);
  if (err == LOBBY_OK)
    err = set_state(c, a->invite_code, "UPDATE invites SET visit_id = $1, used_at = $2 "
                                       "WHERE code = $3",
                    json_string_value(json_object_get(*out, "id")), a->now);
  return err;
}

static lobby_err invite_checkin(lobby_store *st, const char *code, const lobby_principal *by,
                                store_idempotency *idem, const store_audit_entry *audit,
                                int64_t now, json_t **out)
{
  visit_args a = {NULL, false, by, now, code};
  return pq__with_idempotency(PQ(st), idem, audit, NULL, now, out, invite_checkin_fn, &a);
}

void pq__visit_ops(lobby_store_ops *ops)
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
