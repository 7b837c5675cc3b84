/* The PostgreSQL store's notices, repairs and sites, at the store: the
 * same operations on it and on the SQLite store give the same answers
 * (JSON keys, types, order) and the same errors; a database made before
 * sites lands in the first site; ticket numbers made by several threads
 * through two stores on one database (as two lobbyd processes) have
 * neither gaps nor duplicates, and a failed creation gives its number
 * back; of two concurrent accepts of one ticket exactly one wins.  A
 * resident's rating of a completed ticket at a kiosk, its refusals, the
 * follow-up list, the filter by last change and the summary's
 * satisfaction by category and technician and return-visit rate are
 * also checked against what store.h asks, not only against SQLite.
 *
 * Needs LOBBY_TEST_PG (tests/support/with_postgres.sh); exits 77 without.
 *
 *   with_postgres.sh test_store_pg_repairs */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

#define T0 1764547200   /* 2025-12-01T00:00:00Z */
#define DAY 86400

static char tmpdir[64];
static int db_serial;

/* A new database on the test PostgreSQL; its URL in url. */
static void pg_new_database(char *url, size_t size)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "'%s' createdb '%s' 'repairs_%d_%d'", PG_CLUSTER_PATH,
           getenv("LOBBY_TEST_PG"), (int)getpid(), ++db_serial);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t n = fread(url, 1, size - 1, p);
  url[n] = '\0';
  while (n > 0 && (url[n - 1] == '\n' || url[n - 1] == '\r'))
    url[--n] = '\0';
  assert_int_equal(pclose(p), 0);
}

static void pg_exec(const char *url, const char *sql)
{
  PGconn *c = PQconnectdb(url);
  assert_int_equal(PQstatus(c), CONNECTION_OK);
  PGresult *r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_COMMAND_OK)
    fail_msg("%s: %s", sql, PQerrorMessage(c));
  PQclear(r);
  PQfinish(c);
}

static long long pg_count(const char *url, const char *sql)
{
  PGconn *c = PQconnectdb(url);
  assert_int_equal(PQstatus(c), CONNECTION_OK);
  PGresult *r = PQexec(c, sql);
  assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
  long long n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  PQfinish(c);
  return n;
}

static long long sqlite_count(const char *path, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  long long n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

static void sqlite_exec(const char *path, const char *sql)
{
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

/* Staff 1 to 4, in both stores alike. */
#define STAFF_SQL                                                               \
  "INSERT INTO staff (name, role, created_at, disabled) VALUES "              \
  "('王经理', 'admin', 1, 0), ('李师傅', 'technician', 1, 0), "               \
  "('赵师傅', 'technician', 1, 1), ('前台小张', 'front_desk', 1, 0)"

static const lobby_principal kiosk = {.role = ROLE_KIOSK, .id = 1, .name = "lobby-1"};
static const lobby_principal admin = {.role = ROLE_ADMIN, .id = 1, .name = "王经理"};
static const lobby_principal tech = {.role = ROLE_TECHNICIAN, .id = 2, .name = "李师傅"};
static const lobby_principal desk = {.role = ROLE_FRONT_DESK, .id = 4, .name = "前台小张"};

static store_audit_entry audit_of(const char *action)
{
  return (store_audit_entry){.actor = "王经理", .actor_role = "admin", .action = action,
                             .detail = "", .address = "127.0.0.1", .at = T0};
}

/* ---- the same answers as the SQLite store -------------------------- */

typedef struct {
  json_t *log;   /* one entry per call: [what, error, answer] */
} transcript;

/* Takes the call's answer (none on a failure) and clears *answer for the
 * next call. */
static void note(transcript *t, const char *what, lobby_err err, json_t **answer)
{
  /* A follow token is random: the two stores' answers carry one each. */
  if (json_is_object(*answer) && json_is_string(json_object_get(*answer, "follow_token")))
    json_object_set_new(*answer, "follow_token", json_string("(random)"));
  json_array_append_new(t->log, json_pack("[s, i, o]", what, (int)err,
                                          *answer ? *answer : json_null()));
  *answer = NULL;
}

static void note_int(transcript *t, const char *what, lobby_err err, int64_t v)
{
  json_t *answer = err == LOBBY_OK ? json_integer(v) : NULL;
  note(t, what, err, &answer);
}

static store_repair_new repair_of(const char *room, const char *phone, repair_urgency u,
                                  int64_t due)
{
  return (store_repair_new){.unit = {"1", "2", room}, .name = "张三", .phone = phone,
                            .category = "water", .kind = "in_unit", .description = "水龙头漏水",
                            .urgency = u, .source = "kiosk", .due_at = due, .site_id = 1};
}

static lobby_err event(lobby_store *st, const char *ticket, repair_event ev,
                       const lobby_principal *by, int64_t at, json_t **out)
{
  store_repair_event e = {.event = ev, .note = "已联系住户"};
  if (ev == REPAIR_EVENT_DISPATCH)
    e.technician = "李师傅";
  if (ev == REPAIR_EVENT_RETURN_VISIT) {
    e.satisfaction = 4;
    e.comment = "满意";
  }
  store_audit_entry a = audit_of("repair.event");
  a.target = ticket;
  *out = NULL;
  return st->ops->repair_event_add(st, ticket, &e, by, at, &a, out);
}

/* Every notice and repair operation, with their failures, in one order. */
static void run_script(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  lobby_err err;
  store_audit_entry a = audit_of("notice.create");
  store_notice all = {.title = "停水通知", .body = "9:00-12:00", .category = "water",
                      .priority = 2, .pinned = true, .starts_at = T0, .target_type = "all"};
  store_notice bldg = {.title = "电梯检修", .body = "2号楼", .category = "elevator",
                       .priority = 1, .starts_at = T0 + 3600, .ends_at = T0 + DAY,
                       .target_type = "building", .target_value = "2"};
  store_notice grp = {.title = "消防演练", .body = "", .category = "safety", .emergency = true,
                      .target_type = "group", .target_value = "east"};
  err = st->ops->notice_create(st, &all, 1, T0, &a, &out);
  note(t, "notice_create all", err, &out);
  err = st->ops->notice_create(st, &bldg, 1, T0, &a, &out);
  note(t, "notice_create building", err, &out);
  err = st->ops->notice_create(st, &grp, 4, T0 + 60, &a, &out);
  note(t, "notice_create group", err, &out);

  store_notice change = {.title = "停水通知（更新）", .priority = 5, .ends_at = 0,
                         .target_type = "group", .target_value = "west"};
  a = audit_of("notice.update");
  a.target = "1";
  err = st->ops->notice_update(st, 1, NULL, &change, NOTICE_SET_TITLE | NOTICE_SET_PRIORITY |
                               NOTICE_SET_ENDS, T0 + 120, &a, &out);
  note(t, "notice_update", err, &out);
  err = st->ops->notice_update(st, 99, NULL, &change, NOTICE_SET_TITLE, T0 + 120, &a, &out);
  note(t, "notice_update missing", err, &out);
  err = st->ops->notice_update(st, 3, NULL, &change, NOTICE_SET_TARGET, T0 + 130, &a, &out);
  note(t, "notice_update target", err, &out);
  err = st->ops->notice_withdraw(st, 3, NULL, T0 + 200, &a, &out);
  note(t, "notice_withdraw", err, &out);
  err = st->ops->notice_withdraw(st, 3, NULL, T0 + 300, &a, &out);
  note(t, "notice_withdraw again", err, &out);
  err = st->ops->notice_withdraw(st, 99, NULL, T0 + 300, &a, &out);
  note(t, "notice_withdraw missing", err, &out);
  err = st->ops->notice_update(st, 3, NULL, &change, NOTICE_SET_TITLE, T0 + 300, &a, &out);
  note(t, "notice_update withdrawn", err, &out);
  for (int active = 0; active < 2; active++) {
    err = st->ops->notice_list(st, NULL, active, T0 + 400, &out);
    note(t, active ? "notice_list active" : "notice_list all", err, &out);
  }
  err = st->ops->notice_for_kiosk(st, 1, "2", "", T0 + 7200, &out);
  note(t, "notice_for_kiosk 2", err, &out);
  err = st->ops->notice_for_kiosk(st, 1, "1", "west", T0 + 60, &out);
  note(t, "notice_for_kiosk 1 west", err, &out);
  int64_t next = 0;
  err = st->ops->notice_next_boundary(st, T0, &next);
  note_int(t, "notice_next_boundary", err, next);
  err = st->ops->notice_next_boundary(st, T0 + 2 * DAY, &next);
  note_int(t, "notice_next_boundary none", err, next);

  /* Repairs: three tickets on one local day (UTC+8), one replayed. */
  store_idempotency idem = {.scope = "kiosk:1", .key = "k-1"};
  memset(idem.request_hash, 7, sizeof idem.request_hash);
  store_repair_new r1 = repair_of("301", "13812345678", REPAIR_URGENCY_NORMAL, T0 + 36000);
  store_repair_new r2 = repair_of("302", "13900001111", REPAIR_URGENCY_EMERGENCY, T0 + 1800);
  store_repair_new r3 = repair_of("", "13900002222", REPAIR_URGENCY_APPOINTMENT, T0 + 2 * DAY);
  r3.window_from = T0 + DAY;
  r3.window_to = T0 + 2 * DAY;
  r3.source = "front_desk";
  r2.category = "electric";
  a = audit_of("repair.create");
  err = st->ops->repair_create(st, &r1, &kiosk, &idem, NULL, 480, T0, &out);
  note(t, "repair_create", err, &out);
  idem.replayed = false;
  err = st->ops->repair_create(st, &r1, &kiosk, &idem, NULL, 480, T0 + 5, &out);
  note(t, "repair_create replay", err, &out);
  note_int(t, "replayed", LOBBY_OK, idem.replayed);
  memset(idem.request_hash, 8, sizeof idem.request_hash);
  err = st->ops->repair_create(st, &r1, &kiosk, &idem, NULL, 480, T0 + 5, &out);
  note(t, "repair_create other request", err, &out);
  store_idempotency none = {.scope = "staff:4"};
  err = st->ops->repair_create(st, &r2, &kiosk, &none, NULL, 480, T0 + 10, &out);
  note(t, "repair_create emergency", err, &out);
  err = st->ops->repair_create(st, &r3, &desk, &none, &a, 480, T0 + 20, &out);
  note(t, "repair_create by staff", err, &out);

  const char *t1 = "R-20251201-0001", *t2 = "R-20251201-0002", *t3 = "R-20251201-0003";
  err = event(st, t1, REPAIR_EVENT_ACCEPT, &desk, T0 + 600, &out);
  note(t, "accept", err, &out);
  err = event(st, t1, REPAIR_EVENT_ACCEPT, &desk, T0 + 601, &out);
  note(t, "accept again", err, &out);
  err = event(st, t1, REPAIR_EVENT_DISPATCH, &tech, T0 + 602, &out);
  note(t, "dispatch by technician", err, &out);
  err = event(st, "R-20251201-0099", REPAIR_EVENT_ACCEPT, &desk, T0 + 603, &out);
  note(t, "accept missing", err, &out);
  store_repair_event bad = {.event = REPAIR_EVENT_DISPATCH, .technician = "赵师傅"};
  err = st->ops->repair_event_add(st, t1, &bad, &admin, T0 + 604, NULL, &out);
  note(t, "dispatch to disabled", err, &out);
  err = event(st, t1, REPAIR_EVENT_DISPATCH, &admin, T0 + 900, &out);
  note(t, "dispatch", err, &out);
  err = event(st, t1, REPAIR_EVENT_ON_SITE, &tech, T0 + 1800, &out);
  note(t, "on_site", err, &out);
  err = event(st, t1, REPAIR_EVENT_COMPLETE, &tech, T0 + 3600, &out);
  note(t, "complete", err, &out);
  err = event(st, t1, REPAIR_EVENT_RETURN_VISIT, &desk, T0 + 7200, &out);
  note(t, "return_visit", err, &out);
  err = event(st, t2, REPAIR_EVENT_ACCEPT, &admin, T0 + 60, &out);
  note(t, "accept emergency", err, &out);
  store_repair_event cancel = {.event = REPAIR_EVENT_CANCEL, .reason = "住户取消"};
  err = st->ops->repair_event_add(st, t3, &cancel, &desk, T0 + 100, NULL, &out);
  note(t, "cancel", err, &out);

  err = st->ops->repair_get(st, t1, NULL, &out);
  note(t, "repair_get", err, &out);
  err = st->ops->repair_get(st, "R-20251201-0099", NULL, &out);
  note(t, "repair_get missing", err, &out);
  err = st->ops->repair_lookup(st, t1, "5678", NULL, T0 + 8000, &out);
  note(t, "repair_lookup", err, &out);
  err = st->ops->repair_lookup(st, t1, "0000", NULL, T0 + 8000, &out);
  note(t, "repair_lookup wrong phone", err, &out);

  store_repair_filter filters[] = {
    {0}, {.status = "closed"}, {.urgency = "emergency"}, {.category = "water", .limit = 2},
    {.building = "1", .from = T0 + 5, .to = T0 + 20}, {.technician_id = 2},
    {.overdue_only = true}, {.building = "9"},
  };
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
    err = st->ops->repair_list(st, &filters[i], T0 + 4000, &out);
    note(t, "repair_list", err, &out);
  }
  err = st->ops->repair_summary(st, NULL, T0, T0 + 30 * DAY, T0 + 4000, &out);
  note(t, "repair_summary", err, &out);
  err = st->ops->repair_summary(st, NULL, T0 + 30 * DAY, T0 + 60 * DAY, T0 + 4000, &out);
  note(t, "repair_summary empty", err, &out);
}

static lobby_err rate(lobby_store *st, const char *ticket, const char *last4,
                      complaint_satisfaction level, const store_site_set *sites, int64_t at,
                      json_t **out)
{
  store_rating r = {.number = ticket, .phone_last4 = last4, .satisfaction = level,
                    .comment = level == COMPLAINT_UNSATISFIED ? "还是漏水" : NULL};
  *out = NULL;
  return st->ops->repair_rate(st, &r, sites, &kiosk, at, out);
}

#define T5 "R-20251203-0001"
#define T6 "R-20251203-0002"

/* Two tickets two days later, done; residents rate them at a kiosk, once:
 * unsatisfied puts one on the desk's follow-up list until it is closed.
 * Then the summary's satisfaction by category and technician and its
 * return-visit rate, and the lists of what changed before a time. */
static void script_ratings(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  int64_t at = T0 + 2 * DAY;
  store_idempotency none = {.scope = "staff:4"};
  store_repair_new r5 = repair_of("303", "13900003333", REPAIR_URGENCY_NORMAL, at + DAY);
  store_repair_new r6 = repair_of("304", "13900004444", REPAIR_URGENCY_NORMAL, at + DAY);
  r6.category = "electric";
  lobby_err err = st->ops->repair_create(st, &r5, &desk, &none, NULL, 480, at, &out);
  note(t, "repair_create to rate", err, &out);
  err = st->ops->repair_create(st, &r6, &desk, &none, NULL, 480, at + 10, &out);
  note(t, "repair_create to rate happily", err, &out);
  err = rate(st, T5, "3333", COMPLAINT_SATISFIED, NULL, at + 20, &out);
  note(t, "rate before completion", err, &out);
  static const repair_event course[] = {REPAIR_EVENT_ACCEPT, REPAIR_EVENT_DISPATCH,
                                        REPAIR_EVENT_ON_SITE, REPAIR_EVENT_COMPLETE};
  static const char *const tickets[] = {T5, T6};
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < 4; i++) {
      const lobby_principal *by = i < 2 ? &admin : &tech;
      err = event(st, tickets[k], course[i], by, at + 100 * (i + 1) + k, &out);
      note(t, "course to rate", err, &out);
    }
  err = st->ops->repair_summary(st, NULL, T0, T0 + 30 * DAY, at + 1000, &out);
  note(t, "repair_summary before ratings", err, &out);
  store_site_set elsewhere = store_site_one(99);
  err = rate(st, T5, "0000", COMPLAINT_SATISFIED, NULL, at + 1000, &out);
  note(t, "rate wrong phone", err, &out);
  err = rate(st, T5, "3333", COMPLAINT_SATISFIED, &elsewhere, at + 1000, &out);
  note(t, "rate from another site", err, &out);
  err = rate(st, "R-20251203-0099", "3333", COMPLAINT_SATISFIED, NULL, at + 1000, &out);
  note(t, "rate missing", err, &out);
  err = rate(st, T5, "3333", COMPLAINT_UNSATISFIED, NULL, at + 1100, &out);
  note(t, "rate unsatisfied", err, &out);
  err = rate(st, T5, "3333", COMPLAINT_SATISFIED, NULL, at + 1200, &out);
  note(t, "rate again", err, &out);
  err = rate(st, T6, "4444", COMPLAINT_SATISFIED, NULL, at + 1300, &out);
  note(t, "rate satisfied", err, &out);
  err = rate(st, "R-20251201-0001", "5678", COMPLAINT_SATISFIED, NULL, at + 1300, &out);
  note(t, "rate visited by the desk", err, &out);
  err = rate(st, "R-20251201-0003", "2222", COMPLAINT_SATISFIED, NULL, at + 1300, &out);
  note(t, "rate cancelled", err, &out);
  err = st->ops->repair_get(st, T5, NULL, &out);
  note(t, "repair_get rated", err, &out);
  store_repair_filter filters[] = {
    {.follow_up_only = true}, {.changed_before = T0 + 101}, {.changed_before = T0 + 101,
    .status = "cancelled"}, {.follow_up_only = true, .changed_before = at + 1100},
  };
  static const char *const names[] = {"repair_list follow-up", "repair_list changed before",
                                      "repair_list cancelled changed before",
                                      "repair_list follow-up changed before"};
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
    err = st->ops->repair_list(st, &filters[i], at + 1400, &out);
    note(t, names[i], err, &out);
  }
  err = st->ops->repair_summary(st, NULL, T0, T0 + 30 * DAY, at + 1400, &out);
  note(t, "repair_summary after ratings", err, &out);
  err = event(st, T5, REPAIR_EVENT_CLOSE, &desk, at + 1500, &out);
  note(t, "close followed up", err, &out);
  store_repair_filter follow_up = {.follow_up_only = true};
  err = st->ops->repair_list(st, &follow_up, at + 1600, &out);
  note(t, "repair_list follow-up after close", err, &out);
}

/* The answer of the script's call what (the last of that name). */
static json_t *entry_of(const transcript *t, const char *what)
{
  json_t *found = NULL;
  size_t i;
  json_t *e;
  json_array_foreach(t->log, i, e)
    if (strcmp(json_string_value(json_array_get(e, 0)), what) == 0)
      found = e;
  if (!found)
    fail_msg("no call %s", what);
  return found;
}

static void expect_err(const transcript *t, const char *what, lobby_err want)
{
  lobby_err got = (lobby_err)json_integer_value(json_array_get(entry_of(t, what), 1));
  if (got != want)
    fail_msg("%s: error %d, not %d", what, (int)got, (int)want);
}

static json_t *answer_of(const transcript *t, const char *what)
{
  expect_err(t, what, LOBBY_OK);
  return json_array_get(entry_of(t, what), 2);
}

/* The tickets of a list's answer, as "R-…,R-…". */
static void assert_tickets(const transcript *t, const char *what, const char *want)
{
  char got[256] = "";
  size_t i, n = 0;
  json_t *row;
  json_array_foreach(answer_of(t, what), i, row)
    n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", i ? "," : "",
                          json_string_value(json_object_get(row, "ticket")));
  if (strcmp(got, want) != 0)
    fail_msg("%s: %s, not %s", what, got, want);
}

static void assert_json(json_t *got, json_t *want, const char *what)
{
  if (!json_equal(got, want)) {
    char *text = json_dumps(got, JSON_ENSURE_ASCII);
    fail_msg("%s: %s", what, text);
  }
  json_decref(want);
}

/* The PostgreSQL store's ratings, follow-ups, filters and figures, as
 * store.h asks (not only as the SQLite store answers). */
static void check_ratings(const transcript *t)
{
  static const char *const conflicts[] = {"rate before completion", "rate again",
                                          "rate visited by the desk", "rate cancelled"};
  for (size_t i = 0; i < sizeof conflicts / sizeof conflicts[0]; i++)
    expect_err(t, conflicts[i], LOBBY_ECONFLICT);
  static const char *const missing[] = {"rate wrong phone", "rate from another site",
                                        "rate missing"};
  for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
    expect_err(t, missing[i], LOBBY_ENOTFOUND);
  json_t *rated = answer_of(t, "rate unsatisfied");
  assert_string_equal(json_string_value(json_object_get(rated, "ticket")), T5);
  assert_string_equal(json_string_value(json_object_get(rated, "status")), "return_visit");
  assert_null(json_object_get(rated, "phone"));
  json_t *timeline = json_object_get(rated, "timeline");
  json_t *last = json_array_get(timeline, json_array_size(timeline) - 1);
  assert_json(last, json_pack("{s:s, s:I}", "status", "return_visit", "at",
                              (json_int_t)(T0 + 2 * DAY + 1100)), "rate unsatisfied");
  json_t *got = answer_of(t, "repair_get rated");
  assert_int_equal(json_integer_value(json_object_get(got, "follow_up_at")), T0 + 2 * DAY + 1100);
  assert_int_equal(json_integer_value(json_object_get(got, "satisfaction")), 1);
  json_t *visit = json_array_get(json_object_get(got, "timeline"), 5);
  assert_json(visit, json_pack("{s:s, s:s, s:I, s:s, s:s, s:i, s:s}", "event", "return_visit",
                               "status", "return_visit", "at", (json_int_t)(T0 + 2 * DAY + 1100),
                               "by", "lobby-1", "by_role", "kiosk", "satisfaction", 1,
                               "comment", "还是漏水"), "repair_get rated");
  assert_tickets(t, "repair_list follow-up", T5);
  assert_tickets(t, "repair_list changed before", "R-20251201-0003,R-20251201-0002");
  assert_tickets(t, "repair_list cancelled changed before", "R-20251201-0003");
  assert_tickets(t, "repair_list follow-up changed before", "");
  assert_tickets(t, "repair_list follow-up after close", "");
  json_t *before = answer_of(t, "repair_summary before ratings");
  assert_true(json_real_value(json_object_get(before, "return_visit_rate")) == 1.0 / 3.0);
  assert_json(json_object_get(json_object_get(before, "satisfaction"), "by_technician"),
              json_pack("{s:{s:i, s:f}}", "李师傅", "count", 1, "average", 4.0),
              "by_technician before ratings");
  assert_true(json_is_null(json_object_get(answer_of(t, "repair_summary empty"),
                                           "return_visit_rate")));
  json_t *after = answer_of(t, "repair_summary after ratings");
  assert_true(json_real_value(json_object_get(after, "return_visit_rate")) == 1.0);
  assert_json(json_object_get(after, "satisfaction"),
              json_pack("{s:i, s:f, s:{s:{s:i, s:f}, s:{s:i, s:f}}, s:{s:{s:i, s:f}}}",
                        "count", 3, "average", 10.0 / 3.0, "by_category", "electric", "count", 1,
                        "average", 5.0, "water", "count", 2, "average", 2.5, "by_technician",
                        "李师傅", "count", 3, "average", 10.0 / 3.0),
              "satisfaction after ratings");
}

/* ---- sites: the same answers too ----------------------------------- */

static json_t *site_set_json(const store_site_set *sites)
{
  json_t *ids = json_array();
  for (int i = 0; i < sites->count; i++)
    json_array_append_new(ids, json_integer(sites->id[i]));
  return ids;
}

static json_t *principal_json(const lobby_principal *p)
{
  return json_pack("{s:i, s:I, s:s, s:s, s:s, s:I, s:o}", "role", (int)p->role, "id",
                   (json_int_t)p->id, "name", p->name, "building", p->building, "group", p->group,
                   "site_id", (json_int_t)p->site_id, "sites", site_set_json(&p->sites));
}

static json_t *site_json(const store_site *s)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "id", (json_int_t)s->id,
                   "code", s->code, "name", s->name, "service_phone", s->service_phone, "start",
                   s->workday_start_min, "end", s->workday_end_min, "checkout_hours",
                   s->auto_checkout_hours, "retention_days", s->retention_days);
}

/* Random codes (a visit's id, pass and invite codes) differ between the
 * two stores: each becomes "*". */
static void scrub_random(json_t *v)
{
  size_t i;
  json_t *item;
  const char *key;
  if (json_is_array(v))
    json_array_foreach(v, i, item) scrub_random(item);
  if (!json_is_object(v))
    return;
  json_object_foreach(v, key, item) {
    if (json_is_string(item) && (strcmp(key, "id") == 0 || strcmp(key, "pass_code") == 0 ||
                                 strcmp(key, "invite_code") == 0 || strcmp(key, "visit_id") == 0))
      json_object_set_new(v, key, json_string("*"));
    else
      scrub_random(item);
  }
}

static void note_scrubbed(transcript *t, const char *what, lobby_err err, json_t **answer)
{
  if (*answer)
    scrub_random(*answer);
  note(t, what, err, answer);
}

static json_t *directory_of(const char *code, const char *room)
{
  return json_pack("{s:s, s:s, s:b, s:[{s:s, s:[s]}]}", "code", code, "name", code,
                   "requires_approval", 0, "units", "code", "1", "rooms", room);
}

/* Sites main (1), east (2) and west (3), each with its own buildings. */
static void sites_setup(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_audit_entry a = audit_of("site.create");
  store_site east = {.code = "east", .name = "东苑", .service_phone = "021-12345678",
                     .workday_start_min = 510, .workday_end_min = 1080,
                     .auto_checkout_hours = 6, .retention_days = 0};
  store_site west = {.code = "west", .name = "西苑", .service_phone = "",
                     .workday_start_min = -1, .workday_end_min = -1, .auto_checkout_hours = -1,
                     .retention_days = -1};
  lobby_err err = st->ops->site_list(st, NULL, &out);
  note(t, "site_list before", err, &out);
  err = st->ops->site_create(st, &east, T0, &a);
  note_int(t, "site_create east", err, east.id);
  err = st->ops->site_create(st, &west, T0, &a);
  note_int(t, "site_create west", err, west.id);
  store_site again = east;
  err = st->ops->site_create(st, &again, T0, &a);
  note_int(t, "site_create taken", err, 0);
  a = audit_of("site.update");
  west.workday_start_min = 480;
  west.workday_end_min = 1020;
  west.retention_days = 30;
  snprintf(west.name, sizeof west.name, "西苑（二期）");
  err = st->ops->site_update(st, &west, &a);
  note_int(t, "site_update", err, 0);
  store_site nowhere = {.code = "nowhere", .workday_start_min = -1, .workday_end_min = -1,
                        .auto_checkout_hours = -1, .retention_days = -1};
  err = st->ops->site_update(st, &nowhere, &a);
  note_int(t, "site_update missing", err, 0);
  store_site got;
  err = st->ops->site_get(st, "west", &got);
  out = err == LOBBY_OK ? site_json(&got) : NULL;
  note(t, "site_get west", err, &out);
  err = st->ops->site_get_by_id(st, 1, &got);
  out = err == LOBBY_OK ? site_json(&got) : NULL;
  note(t, "site_get_by_id 1", err, &out);
  err = st->ops->site_get_by_id(st, 2, &got);
  out = err == LOBBY_OK ? site_json(&got) : NULL;
  note(t, "site_get_by_id 2", err, &out);
  err = st->ops->site_get(st, "nowhere", &got);
  note_int(t, "site_get missing", err, 0);
  store_site_set two = {.count = 2, .id = {3, 2}};
  err = st->ops->site_list(st, &two, &out);
  note(t, "site_list east west", err, &out);

  a = audit_of("directory.replace");
  json_t *main_dir = json_pack("[o, o]", directory_of("1", "301"), directory_of("2", "302"));
  json_t *east_dir = json_pack("[o, o]", directory_of("E2", "101"), directory_of("E1", "102"));
  json_t *west_taken = json_pack("[o]", directory_of("E1", "103"));
  json_t *west_twice = json_pack("[o, o]", directory_of("W1", "1"), directory_of("W1", "2"));
  json_t *west_dir = json_pack("[o]", directory_of("W1", "201"));
  err = st->ops->directory_replace(st, 1, main_dir, &a);
  note_int(t, "directory_replace main", err, 0);
  err = st->ops->directory_replace(st, 2, east_dir, &a);
  note_int(t, "directory_replace east", err, 0);
  err = st->ops->directory_replace(st, 3, west_taken, &a);
  note_int(t, "directory_replace another site's code", err, 0);
  err = st->ops->directory_replace(st, 3, west_twice, &a);
  note_int(t, "directory_replace a code twice", err, 0);
  err = st->ops->directory_replace(st, 3, west_dir, &a);
  note_int(t, "directory_replace west", err, 0);
  json_decref(main_dir);
  json_decref(east_dir);
  json_decref(west_taken);
  json_decref(west_twice);
  json_decref(west_dir);
  int64_t site_id = 0;
  err = st->ops->building_site(st, "E1", &site_id);
  note_int(t, "building_site E1", err, site_id);
  err = st->ops->building_site(st, "Z9", &site_id);
  note_int(t, "building_site missing", err, 0);
}

/* Kiosks and staff of one site, and what they reach. */
static void sites_people(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_audit_entry a = audit_of("kiosk.create");
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  memset(hash, 0x51, sizeof hash);
  lobby_err err = st->ops->kiosk_create(st, "k-east", "E1", "gate", 2, hash, T0, &a);
  note_int(t, "kiosk_create east", err, 0);
  memset(hash, 0x52, sizeof hash);
  err = st->ops->kiosk_create(st, "k-wrong", "W1", "", 2, hash, T0, &a);
  note_int(t, "kiosk_create another site's building", err, 0);
  memset(hash, 0x53, sizeof hash);
  err = st->ops->kiosk_create(st, "k-main", "1", "", 1, hash, T0, &a);
  note_int(t, "kiosk_create main", err, 0);
  store_site_set east = {.count = 1, .id = {2}};
  err = st->ops->kiosk_list(st, NULL, &out);
  note(t, "kiosk_list", err, &out);
  err = st->ops->kiosk_list(st, &east, &out);
  note(t, "kiosk_list east", err, &out);
  /* Zeroed before each lookup: the stores fill what the principal has
   * and may leave the rest (a staff member's building) alone. */
  lobby_principal who = {0};
  err = st->ops->kiosk_find(st, "k-east", &who);
  out = err == LOBBY_OK ? principal_json(&who) : NULL;
  note(t, "kiosk_find", err, &out);
  memset(hash, 0x51, sizeof hash);
  who = (lobby_principal){0};
  err = st->ops->token_lookup(st, hash, &who);
  out = err == LOBBY_OK ? principal_json(&who) : NULL;
  note(t, "token_lookup kiosk", err, &out);

  a = audit_of("staff.sites");
  store_site_set both = {.count = 2, .id = {2, 3}}, every = {0};
  err = st->ops->staff_set_sites(st, "李师傅", &east, &a);
  note_int(t, "staff_set_sites technician", err, 0);
  err = st->ops->staff_set_sites(st, "前台小张", &both, &a);
  note_int(t, "staff_set_sites desk", err, 0);
  err = st->ops->staff_set_sites(st, "前台小张", &both, &a);
  note_int(t, "staff_set_sites desk again", err, 0);
  err = st->ops->staff_set_sites(st, "王经理", &every, &a);
  note_int(t, "staff_set_sites admin", err, 0);
  err = st->ops->staff_set_sites(st, "nobody", &east, &a);
  note_int(t, "staff_set_sites missing", err, 0);
  err = st->ops->staff_list(st, &out);
  note(t, "staff_list", err, &out);
  who = (lobby_principal){0};
  err = st->ops->staff_find(st, "前台小张", &who);
  out = err == LOBBY_OK ? principal_json(&who) : NULL;
  note(t, "staff_find", err, &out);
  store_staff_auth auth = {0};
  err = st->ops->staff_auth_get(st, "李师傅", &auth);
  out = err == LOBBY_OK ? principal_json(&auth.who) : NULL;
  note(t, "staff_auth_get", err, &out);
  uint8_t session[STORE_TOKEN_HASH_LEN];
  memset(session, 0x61, sizeof session);
  err = st->ops->session_create(st, session, 4, T0, T0 + DAY, NULL);
  note_int(t, "session_create", err, 0);
  int64_t expires = 0;
  who = (lobby_principal){0};
  err = st->ops->session_lookup(st, session, T0 + 60, &who, &expires);
  out = err == LOBBY_OK ? principal_json(&who) : NULL;
  note(t, "session_lookup", err, &out);
}

/* Notices of one site, of every site, and who reaches them. */
static void sites_notices(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_audit_entry a = audit_of("notice.create");
  store_notice east = {.title = "东苑停电", .body = "", .category = "power", .starts_at = T0,
                       .target_type = "all", .site_id = 2};
  store_notice west = {.title = "西苑消杀", .body = "", .category = "other", .starts_at = T0,
                       .target_type = "building", .target_value = "W1", .site_id = 3};
  lobby_err err = st->ops->notice_create(st, &east, 1, T0 + 500, &a, &out);
  int64_t east_id = json_integer_value(json_object_get(out, "id"));
  note(t, "notice_create east", err, &out);
  err = st->ops->notice_create(st, &west, 1, T0 + 500, &a, &out);
  int64_t west_id = json_integer_value(json_object_get(out, "id"));
  note(t, "notice_create west", err, &out);
  store_site_set only_east = {.count = 1, .id = {2}};
  err = st->ops->notice_list(st, &only_east, true, T0 + 600, &out);
  note(t, "notice_list east", err, &out);
  err = st->ops->notice_list(st, NULL, false, T0 + 600, &out);
  note(t, "notice_list every site", err, &out);
  err = st->ops->notice_for_kiosk(st, 3, "W1", "", T0 + 600, &out);
  note(t, "notice_for_kiosk west", err, &out);
  err = st->ops->notice_for_kiosk(st, 2, "W1", "", T0 + 600, &out);
  note(t, "notice_for_kiosk east", err, &out);

  a = audit_of("notice.update");
  store_notice change = {.title = "改"};
  err = st->ops->notice_update(st, west_id, &only_east, &change, NOTICE_SET_TITLE, T0 + 700, &a,
                               &out);
  note(t, "notice_update another site's", err, &out);
  err = st->ops->notice_update(st, 1, &only_east, &change, NOTICE_SET_TITLE, T0 + 700, &a, &out);
  note(t, "notice_update every site's from one", err, &out);
  err = st->ops->notice_update(st, east_id, &only_east, &change, NOTICE_SET_TITLE, T0 + 700, &a,
                               &out);
  note(t, "notice_update own site's", err, &out);
  err = st->ops->notice_withdraw(st, west_id, &only_east, T0 + 800, &a, &out);
  note(t, "notice_withdraw another site's", err, &out);
  err = st->ops->notice_withdraw(st, 1, &only_east, T0 + 800, &a, &out);
  note(t, "notice_withdraw every site's from one", err, &out);
  err = st->ops->notice_withdraw(st, east_id, &only_east, T0 + 800, &a, &out);
  note(t, "notice_withdraw own site's", err, &out);
}

/* Repairs of one site and who reaches them. */
static void sites_repairs(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_site_set east = {.count = 1, .id = {2}}, west = {.count = 1, .id = {3}};
  lobby_principal east_desk = desk, west_desk = desk;
  east_desk.sites = east;
  west_desk.sites = west;
  store_repair_new r = repair_of("102", "13700001234", REPAIR_URGENCY_NORMAL, T0 + DAY);
  r.unit = (store_unit_ref){"E1", "1", "102"};
  r.site_id = 2;
  store_idempotency none = {.scope = "staff:4"};
  lobby_err err = st->ops->repair_create(st, &r, &east_desk, &none, NULL, 480, T0 + 900, &out);
  const char *ticket = "R-20251201-0004";
  note(t, "repair_create east", err, &out);
  err = st->ops->repair_get(st, ticket, &west, &out);
  note(t, "repair_get from west", err, &out);
  err = st->ops->repair_get(st, ticket, &east, &out);
  note(t, "repair_get from east", err, &out);
  err = st->ops->repair_lookup(st, ticket, "1234", &west, T0 + 1000, &out);
  note(t, "repair_lookup from west", err, &out);
  err = st->ops->repair_lookup(st, ticket, "1234", &east, T0 + 1000, &out);
  note(t, "repair_lookup from east", err, &out);
  store_repair_filter f = {.sites = &east};
  err = st->ops->repair_list(st, &f, T0 + 1000, &out);
  note(t, "repair_list east", err, &out);
  f.sites = &west;
  err = st->ops->repair_list(st, &f, T0 + 1000, &out);
  note(t, "repair_list west", err, &out);
  /* The longest condition: as many sites as a set holds, with long ids. */
  store_site_set many = {.count = STORE_SITES_MAX, .id = {2}};
  for (int i = 1; i < STORE_SITES_MAX; i++)
    many.id[i] = 1000000000000000000LL + i;
  f.sites = &many;
  err = st->ops->repair_list(st, &f, T0 + 1000, &out);
  note(t, "repair_list of the most sites", err, &out);
  err = st->ops->repair_summary(st, &east, T0, T0 + 30 * DAY, T0 + 1000, &out);
  note(t, "repair_summary east", err, &out);
  err = st->ops->repair_summary(st, &west, T0, T0 + 30 * DAY, T0 + 1000, &out);
  note(t, "repair_summary west", err, &out);
  err = event(st, ticket, REPAIR_EVENT_ACCEPT, &west_desk, T0 + 1100, &out);
  note(t, "accept from west", err, &out);
  err = event(st, ticket, REPAIR_EVENT_ACCEPT, &east_desk, T0 + 1100, &out);
  note(t, "accept from east", err, &out);
  /* 李师傅 works for east only: not a technician for a main ticket. */
  err = event(st, "R-20251201-0002", REPAIR_EVENT_DISPATCH, &admin, T0 + 1200, &out);
  note(t, "dispatch to another site's technician", err, &out);
  err = event(st, ticket, REPAIR_EVENT_DISPATCH, &admin, T0 + 1200, &out);
  note(t, "dispatch to the site's technician", err, &out);
}

/* Visits and invites of one site and who reaches them. */
static void sites_visits(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_site_set east = {.count = 1, .id = {2}}, west = {.count = 1, .id = {3}};
  lobby_principal east_desk = desk, west_desk = desk, east_kiosk = kiosk;
  east_desk.sites = east;
  west_desk.sites = west;
  east_kiosk.site_id = 2;
  east_kiosk.sites = east;
  store_visit_new v = {.name = "访客甲", .phone = "13900000001", .host = "E1-1-102",
                       .purpose = "探亲", .party_size = 1, .site_id = 2};
  store_idempotency none = {.scope = "staff:4"};
  lobby_err err = st->ops->visit_create(st, &v, true, &east_desk, &none, NULL, T0 + 1300, &out);
  char id[32];
  snprintf(id, sizeof id, "%s", err == LOBBY_OK ? json_string_value(json_object_get(out, "id")) : "");
  note_scrubbed(t, "visit_create east", err, &out);
  err = st->ops->visit_get(st, id, 0, &west, &out);
  note_scrubbed(t, "visit_get from west", err, &out);
  err = st->ops->visit_get(st, id, 0, &east, &out);
  note_scrubbed(t, "visit_get from east", err, &out);
  err = st->ops->visit_decide(st, id, true, NULL, &west_desk, T0 + 1400, NULL, &out);
  note_scrubbed(t, "visit_decide from west", err, &out);
  err = st->ops->visit_cancel(st, id, 0, &west, T0 + 1400, NULL, &out);
  note_scrubbed(t, "visit_cancel from west", err, &out);
  err = st->ops->visit_decide(st, id, true, NULL, &east_desk, T0 + 1400, NULL, &out);
  note_scrubbed(t, "visit_decide from east", err, &out);
  err = st->ops->visit_checkout(st, id, NULL, 0, &west, T0 + 1500, NULL, &out);
  note_scrubbed(t, "visit_checkout from west", err, &out);
  err = st->ops->visit_list(st, &(store_visit_filter){.sites = &east}, &out);
  note_scrubbed(t, "visit_list east", err, &out);
  err = st->ops->visit_list(st, &(store_visit_filter){.sites = &west}, &out);
  note_scrubbed(t, "visit_list west", err, &out);
  store_site_set many = {.count = STORE_SITES_MAX, .id = {2}};
  for (int i = 1; i < STORE_SITES_MAX; i++)
    many.id[i] = 1000000000000000000LL + i;
  err = st->ops->visit_list(st, &(store_visit_filter){.sites = &many}, &out);
  note_scrubbed(t, "visit_list of the most sites", err, &out);
  err = st->ops->visit_checkout(st, id, NULL, 0, &east, T0 + 1500, NULL, &out);
  note_scrubbed(t, "visit_checkout from east", err, &out);

  store_visit_new w = {.name = "装修工人", .phone = "13700000001", .host = "W1-1-201",
                       .purpose = "装修", .party_size = 2, .site_id = 3};
  err = st->ops->invite_create(st, &w, T0 + DAY, &west_desk, T0 + 1600, NULL, &out);
  char code[32];
  snprintf(code, sizeof code, "%s",
           err == LOBBY_OK ? json_string_value(json_object_get(out, "invite_code")) : "");
  note_scrubbed(t, "invite_create west", err, &out);
  err = st->ops->invite_checkin(st, code, &east_kiosk, &none, NULL, T0 + 1700, &out);
  note_scrubbed(t, "invite_checkin at an east kiosk", err, &out);
  err = st->ops->invite_checkin(st, code, &west_desk, &none, NULL, T0 + 1700, &out);
  note_scrubbed(t, "invite_checkin by west", err, &out);
  err = st->ops->visit_list(st, &(store_visit_filter){.sites = &west}, &out);
  note_scrubbed(t, "visit_list west after check-in", err, &out);

  /* The visitor sweeps, site by site. */
  int count = -1;
  err = st->ops->visit_auto_checkout(st, &east, T0 + DAY, T0 + DAY, &count);
  note_int(t, "visit_auto_checkout east", err, count);
  err = st->ops->visit_auto_checkout(st, &west, T0 + DAY, T0 + DAY, &count);
  note_int(t, "visit_auto_checkout west", err, count);
  err = st->ops->visit_anonymise(st, &east, T0 + DAY, T0 + DAY, &count);
  note_int(t, "visit_anonymise east", err, count);
  err = st->ops->visit_list(st, &(store_visit_filter){.sites = NULL}, &out);
  note_scrubbed(t, "visit_list after the sweeps", err, &out);
}

static void run_sites_script(lobby_store *st, transcript *t)
{
  sites_setup(st, t);
  sites_people(st, t);
  sites_notices(st, t);
  sites_repairs(st, t);
  sites_visits(st, t);
  json_t *out = NULL;
  lobby_err err = st->ops->directory_get(st, NULL, &out);
  note(t, "directory_get", err, &out);
  store_site_set east_west = {.count = 2, .id = {3, 2}};
  err = st->ops->directory_get(st, &east_west, &out);
  note(t, "directory_get east west", err, &out);
}

/* The overdue flag of repair_get follows the clock: the script's due
 * times are all past, so both stores agree. */
static void answers_match_the_sqlite_store(void **state)
{
  (void)state;
  char path[128], url[256];
  snprintf(path, sizeof path, "%s/lobby.db", tmpdir);
  lobby_store *sq, *pg;
  assert_int_equal(store_sqlite_open(path, &sq), LOBBY_OK);
  sqlite_exec(path, STAFF_SQL);
  pg_new_database(url, sizeof url);
  assert_int_equal(store_pg_open(url, &pg), LOBBY_OK);
  pg_exec(url, STAFF_SQL);

  transcript a = {json_array()}, b = {json_array()};
  run_script(sq, &a);
  run_script(pg, &b);
  script_ratings(sq, &a);
  script_ratings(pg, &b);
  run_sites_script(sq, &a);
  run_sites_script(pg, &b);
  sq->ops->close(sq);
  pg->ops->close(pg);
  /* The same audit entries, and no more events, as the SQLite store. */
  static const char *const counts[] = {
    "SELECT COUNT(*) FROM audit",
    "SELECT COUNT(*) FROM audit WHERE target = 'R-20251201-0003' AND action = 'repair.create'",
    "SELECT COUNT(*) FROM audit WHERE target = '1' AND action = 'notice.create'",
    "SELECT COUNT(*) FROM repair_events",
    "SELECT COUNT(*) FROM ticket_seq WHERE last = 4",
    "SELECT COUNT(*) FROM audit WHERE action LIKE 'site.%' OR action = 'staff.sites'",
    "SELECT COUNT(*) FROM staff_sites",
    "SELECT COUNT(*) FROM buildings WHERE site_id = 3",
    "SELECT COUNT(*) FROM kiosks WHERE site_id = 2",
    "SELECT COUNT(*) FROM visits WHERE site_id = 3",
    "SELECT COUNT(*) FROM notices WHERE site_id IS NULL",
  };
  for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
    long long want = sqlite_count(path, counts[k]);
    assert_true(want > 0);
    assert_int_equal(pg_count(url, counts[k]), want);
  }
  size_t i;
  json_t *entry;
  /* LOBBY_TEST_TRANSCRIPT=FILE keeps the PostgreSQL store's answers. */
  const char *keep = getenv("LOBBY_TEST_TRANSCRIPT");
  if (keep && *keep)
    assert_int_equal(json_dump_file(b.log, keep, JSON_INDENT(1)), 0);
  json_array_foreach(a.log, i, entry) {
    char *want = json_dumps(entry, JSON_COMPACT | JSON_ENSURE_ASCII);
    char *got = json_dumps(json_array_get(b.log, i), JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!got || strcmp(want, got) != 0)
      fail_msg("call %zu differs:\n sqlite:     %s\n postgresql: %s", i, want,
               got ? got : "(none)");
    free(want);
    free(got);
  }
  assert_int_equal(json_array_size(a.log), json_array_size(b.log));
  check_ratings(&b);
  json_decref(a.log);
  json_decref(b.log);
}

/* ---- a database made before sites ---------------------------------- */

/* What PostgreSQL schemas 3 to 13 added, taken away again: the database a lobbyd of
 * schema 2 left, its rows kept. */
#define BEFORE_SITES_SQL                                                        \
  "ALTER TABLE repairs DROP COLUMN follow_token; "                             \
  "ALTER TABLE visits DROP COLUMN follow_token; "                              \
  "DROP TABLE screenshots; "                                                   \
  "ALTER TABLE kiosks DROP COLUMN uptime_s, DROP COLUMN disk_free_mb, "        \
  "DROP COLUMN audio; "                                                        \
  "DROP INDEX notices_image_file; ALTER TABLE notices DROP COLUMN image_file, " \
  "DROP COLUMN image_sha256, DROP COLUMN image_upload_sha256, "               \
  "DROP COLUMN image_width, DROP COLUMN image_height, DROP COLUMN image_bytes; " \
  "DROP TABLE repair_photos; DROP INDEX audit_actor; "                         \
  "ALTER TABLE repairs DROP COLUMN taken_at; "                                 \
  "DROP TABLE rollcall_marks; ALTER TABLE invites DROP COLUMN revoked_at; "   \
  "DROP INDEX repairs_phone, repairs_phone_last4, repairs_room, repairs_name, " \
  "repairs_created_id; "                                                       \
  "DROP TABLE worker_refusals, worker_attendance, worker_passes, "             \
  "renovation_seq, renovation_events, renovations; "                          \
  "DROP TABLE release_events, releases, release_seq; "                        \
  "DROP TABLE complaint_events, complaints, complaint_seq, calendar_days, "     \
  "calendar_years; ALTER TABLE repairs DROP COLUMN follow_up_at; "            \
  "ALTER TABLE buildings DROP COLUMN site_id; ALTER TABLE kiosks DROP COLUMN site_id; " \
  "ALTER TABLE repairs DROP COLUMN site_id; ALTER TABLE visits DROP COLUMN site_id; "   \
  "ALTER TABLE invites DROP COLUMN site_id; ALTER TABLE notices DROP COLUMN site_id; "  \
  "DROP TABLE staff_sites; DROP TABLE sites; UPDATE lobby_schema SET version = 2"

/* Everything a schema-2 database holds lands in site 1, "main": its
 * kiosks, buildings and repairs; its notices stay for every site; staff
 * reach every site; the next site made is site 2. */
static void a_database_before_sites_lands_in_main(void **state)
{
  (void)state;
  char url[256];
  pg_new_database(url, sizeof url);
  lobby_store *st;
  assert_int_equal(store_pg_open(url, &st), LOBBY_OK);
  pg_exec(url, STAFF_SQL);
  json_t *dir = json_pack("[o]", directory_of("1", "301")), *out = NULL;
  assert_int_equal(st->ops->directory_replace(st, 1, dir, NULL), LOBBY_OK);
  json_decref(dir);
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  memset(hash, 0x71, sizeof hash);
  assert_int_equal(st->ops->kiosk_create(st, "lobby-1", "1", "", 1, hash, T0, NULL), LOBBY_OK);
  store_notice n = {.title = "停水", .body = "", .category = "water", .target_type = "all"};
  assert_int_equal(st->ops->notice_create(st, &n, 1, T0, NULL, &out), LOBBY_OK);
  json_decref(out);
  store_repair_new r = repair_of("301", "13800000000", REPAIR_URGENCY_NORMAL, T0 + DAY);
  store_idempotency none = {.scope = "kiosk:1"};
  assert_int_equal(st->ops->repair_create(st, &r, &kiosk, &none, NULL, 0, T0, &out), LOBBY_OK);
  json_decref(out);
  st->ops->close(st);
  pg_exec(url, BEFORE_SITES_SQL);

  assert_int_equal(store_pg_open(url, &st), LOBBY_OK);
  assert_int_equal(pg_count(url, "SELECT MAX(version) FROM lobby_schema"),
                   store_pg_schema_version());
  lobby_principal who = {0};
  assert_int_equal(st->ops->token_lookup(st, hash, &who), LOBBY_OK);
  assert_int_equal(who.site_id, 1);
  assert_int_equal(who.sites.count, 1);
  assert_int_equal(who.sites.id[0], 1);
  assert_int_equal(st->ops->staff_find(st, "前台小张", &who), LOBBY_OK);
  assert_int_equal(who.sites.count, 0);
  store_site_set main_only = {.count = 1, .id = {1}};
  assert_int_equal(st->ops->repair_get(st, "R-20251201-0001", &main_only, &out), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(out, "site")), "main");
  json_decref(out);
  assert_int_equal(st->ops->notice_list(st, &main_only, false, T0, &out), LOBBY_OK);
  assert_int_equal(json_array_size(out), 1);
  assert_true(json_is_null(json_object_get(json_array_get(out, 0), "site")));
  json_decref(out);
  assert_int_equal(st->ops->directory_get(st, &main_only, &out), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "site")), "main");
  json_decref(out);
  store_site east = {.code = "east", .workday_start_min = -1, .workday_end_min = -1,
                     .auto_checkout_hours = -1, .retention_days = -1};
  assert_int_equal(st->ops->site_create(st, &east, T0, NULL), LOBBY_OK);
  assert_int_equal(east.id, 2);
  st->ops->close(st);
}

/* ---- concurrency: two stores on one database ------------------------ */

#define THREADS 6
#define PER_THREAD 15

typedef struct {
  lobby_store *st;
  char tickets[PER_THREAD][24];
  int failed;
  pthread_barrier_t *start;
} creator;

static void *create_tickets(void *arg)
{
  creator *c = arg;
  pthread_barrier_wait(c->start);
  for (int i = 0; i < PER_THREAD; i++) {
    store_repair_new r = repair_of("101", "13800000000", REPAIR_URGENCY_NORMAL, T0 + DAY);
    store_idempotency none = {.scope = "kiosk:1"};
    json_t *out = NULL;
    if (c->st->ops->repair_create(c->st, &r, &kiosk, &none, NULL, 0, T0, &out) != LOBBY_OK) {
      c->failed++;
      continue;
    }
    snprintf(c->tickets[i], sizeof c->tickets[i], "%s",
             json_string_value(json_object_get(out, "ticket")));
    json_decref(out);
  }
  return NULL;
}

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

static void tickets_have_no_gaps_across_stores(void **state)
{
  (void)state;
  char url[256];
  pg_new_database(url, sizeof url);
  lobby_store *st[2];
  assert_int_equal(store_pg_open(url, &st[0]), LOBBY_OK);
  assert_int_equal(store_pg_open(url, &st[1]), LOBBY_OK);

  /* A creation that fails (no name: the row's NOT NULL) gives its number
   * back: the next ticket is still the first. */
  store_repair_new broken = repair_of("101", "13800000000", REPAIR_URGENCY_NORMAL, T0 + DAY);
  broken.name = NULL;
  store_idempotency none = {.scope = "kiosk:1"};
  json_t *out = NULL;
  assert_int_not_equal(st[0]->ops->repair_create(st[0], &broken, &kiosk, &none, NULL, 0, T0,
                                                 &out), LOBBY_OK);
  assert_null(out);

  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, THREADS);
  static creator c[THREADS];
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++) {
    c[i] = (creator){.st = st[i % 2], .start = &start};
    assert_int_equal(pthread_create(&th[i], NULL, create_tickets, &c[i]), 0);
  }
  for (int i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);
  pthread_barrier_destroy(&start);

  static char all[THREADS * PER_THREAD][24];
  for (int i = 0; i < THREADS; i++) {
    assert_int_equal(c[i].failed, 0);
    memcpy(all[i * PER_THREAD], c[i].tickets, sizeof c[i].tickets);
  }
  qsort(all, THREADS * PER_THREAD, sizeof all[0], by_text);
  for (int i = 0; i < THREADS * PER_THREAD; i++) {
    char want[24];
    snprintf(want, sizeof want, "R-20251201-%04d", i + 1);
    assert_string_equal(all[i], want);
  }
  st[0]->ops->close(st[0]);
  st[1]->ops->close(st[1]);
}

typedef struct {
  lobby_store *st;
  const char *ticket;
  pthread_barrier_t *start;
  lobby_err err;
} acceptor;

static void *accept_ticket(void *arg)
{
  acceptor *a = arg;
  json_t *out = NULL;
  pthread_barrier_wait(a->start);
  a->err = event(a->st, a->ticket, REPAIR_EVENT_ACCEPT, &desk, T0 + 60, &out);
  json_decref(out);
  return NULL;
}

static void one_of_two_concurrent_accepts_wins(void **state)
{
  (void)state;
  char url[256];
  pg_new_database(url, sizeof url);
  lobby_store *st[2];
  assert_int_equal(store_pg_open(url, &st[0]), LOBBY_OK);
  assert_int_equal(store_pg_open(url, &st[1]), LOBBY_OK);
  pg_exec(url, STAFF_SQL);
  for (int round = 0; round < 20; round++) {
    store_repair_new r = repair_of("101", "13800000000", REPAIR_URGENCY_NORMAL, T0 + DAY);
    store_idempotency none = {.scope = "kiosk:1"};
    json_t *out = NULL;
    assert_int_equal(st[0]->ops->repair_create(st[0], &r, &kiosk, &none, NULL, 0, T0, &out),
                     LOBBY_OK);
    char ticket[24];
    snprintf(ticket, sizeof ticket, "%s", json_string_value(json_object_get(out, "ticket")));
    json_decref(out);

    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    acceptor a[2] = {{st[0], ticket, &start, LOBBY_OK}, {st[1], ticket, &start, LOBBY_OK}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
      assert_int_equal(pthread_create(&th[i], NULL, accept_ticket, &a[i]), 0);
    for (int i = 0; i < 2; i++)
      pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    assert_true((a[0].err == LOBBY_OK && a[1].err == LOBBY_ECONFLICT) ||
                (a[0].err == LOBBY_ECONFLICT && a[1].err == LOBBY_OK));
    assert_int_equal(st[1]->ops->repair_get(st[1], ticket, NULL, &out), LOBBY_OK);
    assert_int_equal(json_array_size(json_object_get(out, "timeline")), 2);
    assert_string_equal(json_string_value(json_object_get(out, "status")), "accepted");
    json_decref(out);
  }
  st[0]->ops->close(st[0]);
  st[1]->ops->close(st[1]);
}

int main(void)
{
  const char *pg = getenv("LOBBY_TEST_PG");
  if (!pg || !*pg) {
    fprintf(stderr, "test_store_pg_repairs: no LOBBY_TEST_PG (run under with_postgres.sh)\n");
    return 77;
  }
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lobby-pgrep.XXXXXX");
  if (!mkdtemp(tmpdir))
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(answers_match_the_sqlite_store),
    cmocka_unit_test(a_database_before_sites_lands_in_main),
    cmocka_unit_test(tickets_have_no_gaps_across_stores),
    cmocka_unit_test(one_of_two_concurrent_accepts_wins),
  };
  int failed = cmocka_run_group_tests_name("store_pg_repairs", tests, NULL, NULL);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    failed++;
  return failed;
}
