/* The PostgreSQL store's notices and repairs, at the store: the same
 * operations on it and on the SQLite store give the same answers (JSON
 * keys, types, order) and the same errors; ticket numbers made by several
 * threads through two stores on one database (as two lobbyd processes)
 * have neither gaps nor duplicates, and a failed creation gives its number
 * back; of two concurrent accepts of one ticket exactly one wins.
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
                            .urgency = u, .source = "kiosk", .due_at = due};
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
  err = st->ops->notice_update(st, 1, &change, NOTICE_SET_TITLE | NOTICE_SET_PRIORITY |
                               NOTICE_SET_ENDS, T0 + 120, &a, &out);
  note(t, "notice_update", err, &out);
  err = st->ops->notice_update(st, 99, &change, NOTICE_SET_TITLE, T0 + 120, &a, &out);
  note(t, "notice_update missing", err, &out);
  err = st->ops->notice_update(st, 3, &change, NOTICE_SET_TARGET, T0 + 130, &a, &out);
  note(t, "notice_update target", err, &out);
  err = st->ops->notice_withdraw(st, 3, T0 + 200, &a, &out);
  note(t, "notice_withdraw", err, &out);
  err = st->ops->notice_withdraw(st, 3, T0 + 300, &a, &out);
  note(t, "notice_withdraw again", err, &out);
  err = st->ops->notice_withdraw(st, 99, T0 + 300, &a, &out);
  note(t, "notice_withdraw missing", err, &out);
  err = st->ops->notice_update(st, 3, &change, NOTICE_SET_TITLE, T0 + 300, &a, &out);
  note(t, "notice_update withdrawn", err, &out);
  for (int active = 0; active < 2; active++) {
    err = st->ops->notice_list(st, active, T0 + 400, &out);
    note(t, active ? "notice_list active" : "notice_list all", err, &out);
  }
  err = st->ops->notice_for_kiosk(st, "2", "", T0 + 7200, &out);
  note(t, "notice_for_kiosk 2", err, &out);
  err = st->ops->notice_for_kiosk(st, "1", "west", T0 + 60, &out);
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

  err = st->ops->repair_get(st, t1, &out);
  note(t, "repair_get", err, &out);
  err = st->ops->repair_get(st, "R-20251201-0099", &out);
  note(t, "repair_get missing", err, &out);
  err = st->ops->repair_lookup(st, t1, "5678", T0 + 8000, &out);
  note(t, "repair_lookup", err, &out);
  err = st->ops->repair_lookup(st, t1, "0000", T0 + 8000, &out);
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
  err = st->ops->repair_summary(st, T0, T0 + 30 * DAY, T0 + 4000, &out);
  note(t, "repair_summary", err, &out);
  err = st->ops->repair_summary(st, T0 + 30 * DAY, T0 + 60 * DAY, T0 + 4000, &out);
  note(t, "repair_summary empty", err, &out);
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
  sq->ops->close(sq);
  pg->ops->close(pg);
  /* The same audit entries, and no more events, as the SQLite store. */
  static const char *const counts[] = {
    "SELECT COUNT(*) FROM audit",
    "SELECT COUNT(*) FROM audit WHERE target = 'R-20251201-0003' AND action = 'repair.create'",
    "SELECT COUNT(*) FROM audit WHERE target = '1' AND action = 'notice.create'",
    "SELECT COUNT(*) FROM repair_events",
    "SELECT COUNT(*) FROM ticket_seq WHERE last = 3",
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
  json_decref(a.log);
  json_decref(b.log);
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
    assert_int_equal(st[1]->ops->repair_get(st[1], ticket, &out), LOBBY_OK);
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
