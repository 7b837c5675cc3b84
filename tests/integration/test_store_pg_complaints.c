/* The PostgreSQL store's complaints and working-day calendar, at the
 * store: one script of every complaint_* and calendar_* operation, with
 * its refusals, run on a SQLite store and on a PostgreSQL store, gives
 * the same answers field for field; and the PostgreSQL store's answers
 * are the ones the design (complaints_api.md) asks for: numbers, statuses,
 * overdue, the public lookup's shape, list filters by site, status, kind,
 * overdue and last change, events, the monthly figures, a calendar
 * seeded once, a resident's rating at a kiosk (once, of a replied record
 * whose phone matches), and the retention sweep taking closed
 * complaints' names and phones.
 * Through two stores on one database (as two lobbyd processes) numbers
 * have neither gaps nor duplicates, and of two racing accepts, or seeds
 * of one year, exactly one wins.
 *
 * Needs LOBBY_TEST_PG (tests/support/with_postgres.sh); exits 77 without.
 *
 *   with_postgres.sh test_store_pg_complaints */
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

#define T0 1764547200   /* 2025-12-01T00:00:00Z, a Monday: 08:00 in UTC+8 */
#define DAY 86400
#define OFFSET 480      /* UTC+8 */

static char tmpdir[64];
static int db_serial;

/* A new database on the test PostgreSQL; its URL in url. */
static void pg_new_database(char *url, size_t size)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "'%s' createdb '%s' 'complaints_%d_%d'", PG_CLUSTER_PATH,
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
  if (PQresultStatus(r) != PGRES_TUPLES_OK)
    fail_msg("%s: %s", sql, PQerrorMessage(c));
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
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
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

/* Staff 1 to 5, in both stores alike: 李客服 will work for east only,
 * 赵客服 is disabled. */
#define STAFF_SQL                                                               \
  "INSERT INTO staff (name, role, created_at, disabled) VALUES "              \
  "('王经理', 'admin', 1, 0), ('李客服', 'front_desk', 1, 0), "               \
  "('赵客服', 'front_desk', 1, 1), ('前台小张', 'front_desk', 1, 0), "        \
  "('钱师傅', 'technician', 1, 0)"

#define EAST 2
#define WEST 3

static const lobby_principal kiosk = {.role = ROLE_KIOSK, .id = 1, .name = "lobby-1",
                                      .site_id = 1, .sites = {.count = 1, .id = {1}}};
static const lobby_principal desk = {.role = ROLE_FRONT_DESK, .id = 4, .name = "前台小张"};

static store_audit_entry audit_of(const char *action, const char *target)
{
  return (store_audit_entry){.actor = "王经理", .actor_role = "admin", .action = action,
                             .target = target, .detail = "", .address = "127.0.0.1", .at = T0};
}

/* ---- a transcript of answers ---------------------------------------- */

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

/* The entry of call what (each name is used once). */
static json_t *entry(const transcript *t, const char *what)
{
  size_t i;
  json_t *e;
  json_array_foreach(t->log, i, e)
    if (strcmp(json_string_value(json_array_get(e, 0)), what) == 0)
      return e;
  fail_msg("no call %s", what);
  return NULL;
}

static lobby_err err_of(const transcript *t, const char *what)
{
  return (lobby_err)json_integer_value(json_array_get(entry(t, what), 1));
}

static void expect_err(const transcript *t, const char *what, lobby_err want)
{
  if (err_of(t, what) != want)
    fail_msg("%s: error %d, not %d", what, (int)err_of(t, what), (int)want);
}

/* The answer of call what, which must have succeeded. */
static json_t *answer(const transcript *t, const char *what)
{
  json_t *e = entry(t, what);
  if (json_integer_value(json_array_get(e, 1)) != LOBBY_OK)
    fail_msg("%s failed with %d", what, (int)json_integer_value(json_array_get(e, 1)));
  return json_array_get(e, 2);
}

/* ---- the script ------------------------------------------------------ */

static const store_complaint_new complaint_one = {
  .kind = "complaint", .category = "noise_neighbours", .description = "楼上每晚11点后装修噪音",
  .unit = {"1", "2", "301"}, .name = "王芳", .phone = "13800138000", .source = "kiosk",
  .reply_due_at = T0 + DAY, .site_id = 1};

static lobby_err add_event(lobby_store *st, const char *number, store_complaint_event ev,
                           const lobby_principal *by, int64_t at, json_t **out)
{
  store_audit_entry a = audit_of("complaint.event", number);
  *out = NULL;
  return st->ops->complaint_event_add(st, number, &ev, by, at, &a, out);
}

/* Sites east (2) and west (3); 李客服 works for east alone. */
static void script_sites(lobby_store *st, transcript *t)
{
  store_audit_entry a = audit_of("site.create", NULL);
  store_site east = {.code = "east", .name = "东苑", .workday_start_min = -1,
                     .workday_end_min = -1, .auto_checkout_hours = -1, .retention_days = -1};
  store_site west = east;
  snprintf(west.code, sizeof west.code, "west");
  snprintf(west.name, sizeof west.name, "西苑");
  lobby_err err = st->ops->site_create(st, &east, T0, &a);
  note_int(t, "site_create east", err, east.id);
  err = st->ops->site_create(st, &west, T0, &a);
  note_int(t, "site_create west", err, west.id);
  store_site_set only_east = {.count = 1, .id = {EAST}};
  a = audit_of("staff.sites", "李客服");
  err = st->ops->staff_set_sites(st, "李客服", &only_east, &a);
  note_int(t, "staff_set_sites", err, 0);
}

/* Five records on 2025-12-01 (local) in three sites, one in January. */
static void script_create(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_idempotency idem = {.scope = "kiosk:1", .key = "c-1"};
  memset(idem.request_hash, 7, sizeof idem.request_hash);
  lobby_err err = st->ops->complaint_create(st, &complaint_one, &kiosk, &idem, NULL, OFFSET, T0,
                                            &out);
  note(t, "create complaint", err, &out);
  idem.replayed = false;
  err = st->ops->complaint_create(st, &complaint_one, &kiosk, &idem, NULL, OFFSET, T0 + 5, &out);
  note(t, "create replay", err, &out);
  note_int(t, "replayed", LOBBY_OK, idem.replayed);
  memset(idem.request_hash, 8, sizeof idem.request_hash);
  err = st->ops->complaint_create(st, &complaint_one, &kiosk, &idem, NULL, OFFSET, T0 + 5, &out);
  note(t, "create other request", err, &out);

  store_idempotency none = {.scope = "staff:4"};
  store_audit_entry a = audit_of("complaint.create", NULL);
  store_complaint_new suggestion = {
    .kind = "suggestion", .category = "cleaning", .description = "建议增加垃圾桶",
    .source = "front_desk", .reply_due_at = T0 + 3600, .site_id = EAST};
  err = st->ops->complaint_create(st, &suggestion, &desk, &none, &a, OFFSET, T0 + 10, &out);
  note(t, "create suggestion", err, &out);
  store_complaint_new praise = {
    .kind = "praise", .category = "service_attitude", .description = "保安师傅很热心",
    .name = "李四", .phone = "13900001111", .source = "phone", .reply_due_at = T0 + DAY,
    .site_id = WEST};
  err = st->ops->complaint_create(st, &praise, &desk, &none, &a, OFFSET, T0 + 20, &out);
  note(t, "create praise", err, &out);
  store_complaint_new enquiry = {
    .kind = "enquiry", .category = "fees", .description = "物业费如何开发票",
    .unit = {"2", "1", "101"}, .source = "front_desk", .reply_due_at = T0 + 2 * DAY,
    .site_id = 1};
  err = st->ops->complaint_create(st, &enquiry, &desk, &none, &a, OFFSET, T0 + 30, &out);
  note(t, "create enquiry", err, &out);
  store_complaint_new parking = {
    .kind = "complaint", .category = "parking", .description = "车位被占",
    .unit = {"E1", "1", "102"}, .name = "赵六", .phone = "13700001234", .source = "front_desk",
    .reply_due_at = T0 + DAY, .site_id = EAST};
  err = st->ops->complaint_create(st, &parking, &desk, &none, &a, OFFSET, T0 + 40, &out);
  note(t, "create parking", err, &out);
  store_complaint_new january = parking;
  january.category = "facilities";
  january.reply_due_at = T0 + 32 * DAY;
  err = st->ops->complaint_create(st, &january, &desk, &none, &a, OFFSET, T0 + 31 * DAY, &out);
  note(t, "create january", err, &out);
}

#define C1 "C-20251201-0001"
#define C2 "C-20251201-0002"
#define C3 "C-20251201-0003"
#define C4 "C-20251201-0004"
#define C5 "C-20251201-0005"

/* The complaint's whole course, with the refusals on the way. */
static void script_complaint_course(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  lobby_err err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_ACCEPT,
                            .note = "已受理"}, &desk, T0 + 60, &out);
  note(t, "accept", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_ACCEPT}, &desk,
                  T0 + 61, &out);
  note(t, "accept again", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_REPLY,
                  .reply = "未指定责任人"}, &desk, T0 + 62, &out);
  note(t, "reply before assign", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_ANSWER_CLOSE,
                  .reply = "不可"}, &desk, T0 + 63, &out);
  note(t, "answer_close a complaint", err, &out);
  static const char *const not_here[] = {"赵客服", "李客服", "nobody"};
  static const char *const labels[] = {"assign disabled", "assign another site's",
                                       "assign nobody"};
  for (int i = 0; i < 3; i++) {
    err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_ASSIGN,
                    .responsible = not_here[i]}, &desk, T0 + 64, &out);
    note(t, labels[i], err, &out);
  }
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_ASSIGN,
                  .responsible = "前台小张", .note = "请尽快联系"}, &desk, T0 + 120, &out);
  note(t, "assign", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_ASSIGN,
                  .responsible = "王经理"}, &desk, T0 + 180, &out);
  note(t, "reassign", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_REPLY,
                  .reply = "已联系楼上住户，承诺22点后停工"}, &desk, T0 + 3600, &out);
  note(t, "reply", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_CLOSE}, &desk,
                  T0 + 3700, &out);
  note(t, "close before return visit", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_RETURN_VISIT,
                  .satisfaction = COMPLAINT_SATISFACTION_NONE}, &desk, T0 + 3700, &out);
  note(t, "return_visit without satisfaction", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_RETURN_VISIT,
                  .satisfaction = COMPLAINT_UNSATISFIED, .comment = "仍有噪音"}, &desk,
                  T0 + DAY + 60, &out);
  note(t, "return_visit unsatisfied", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_REPLY,
                  .reply = "已约谈施工队"}, &desk, T0 + 2 * DAY, &out);
  note(t, "reply after follow_up", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_RETURN_VISIT,
                  .satisfaction = COMPLAINT_SATISFIED}, &desk, T0 + 2 * DAY + 60, &out);
  note(t, "return_visit satisfied", err, &out);
  err = add_event(st, C1, (store_complaint_event){.event = COMPLAINT_EVENT_CLOSE}, &desk,
                  T0 + 2 * DAY + 120, &out);
  note(t, "close", err, &out);
  err = add_event(st, "C-20251201-0099", (store_complaint_event){.event = COMPLAINT_EVENT_ACCEPT},
                  &desk, T0 + 60, &out);
  note(t, "accept missing", err, &out);
}

/* The other kinds, and what staff of one site reach. */
static void script_other_kinds(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  lobby_principal east_desk = desk, west_desk = desk;
  east_desk.sites = store_site_one(EAST);
  west_desk.sites = store_site_one(WEST);
  lobby_err err = add_event(st, C2, (store_complaint_event){.event = COMPLAINT_EVENT_ANSWER_CLOSE,
                            .reply = "已增设"}, &west_desk, T0 + 7200, &out);
  note(t, "answer_close from west", err, &out);
  err = add_event(st, C2, (store_complaint_event){.event = COMPLAINT_EVENT_ANSWER_CLOSE,
                  .reply = "已在2号楼增设垃圾桶"}, &east_desk, T0 + 7200, &out);
  note(t, "answer_close", err, &out);
  err = add_event(st, C3, (store_complaint_event){.event = COMPLAINT_EVENT_REPLY,
                  .reply = "谢谢您的表扬"}, &west_desk, T0 + 620, &out);
  note(t, "reply praise", err, &out);
  err = add_event(st, C3, (store_complaint_event){.event = COMPLAINT_EVENT_RETURN_VISIT,
                  .satisfaction = COMPLAINT_BASICALLY_SATISFIED}, &west_desk, T0 + 900, &out);
  note(t, "return_visit praise", err, &out);
  err = add_event(st, C5, (store_complaint_event){.event = COMPLAINT_EVENT_ASSIGN,
                  .responsible = "李客服"}, &east_desk, T0 + 300, &out);
  note(t, "assign to the site's staff", err, &out);
}

static void script_reads(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_site_set east = store_site_one(EAST), west = store_site_one(WEST);
  int64_t now = T0 + 3 * DAY;
  lobby_err err = st->ops->complaint_get(st, C1, NULL, now, &out);
  note(t, "get", err, &out);
  err = st->ops->complaint_get(st, C2, &west, now, &out);
  note(t, "get from west", err, &out);
  err = st->ops->complaint_get(st, C2, &east, now, &out);
  note(t, "get from east", err, &out);
  err = st->ops->complaint_get(st, C5, NULL, T0 + 100, &out);
  note(t, "get before due", err, &out);
  err = st->ops->complaint_get(st, "C-20251201-0099", NULL, now, &out);
  note(t, "get missing", err, &out);
  err = st->ops->complaint_lookup(st, C1, "8000", NULL, now, &out);
  note(t, "lookup", err, &out);
  err = st->ops->complaint_lookup(st, C1, "0000", NULL, now, &out);
  note(t, "lookup wrong phone", err, &out);
  err = st->ops->complaint_lookup(st, C5, "1234", &west, now, &out);
  note(t, "lookup from west", err, &out);
  err = st->ops->complaint_lookup(st, C5, "1234", &east, now, &out);
  note(t, "lookup from east", err, &out);
  err = st->ops->complaint_lookup(st, C2, "0000", NULL, now, &out);
  note(t, "lookup without phone", err, &out);

  store_site_set many = {.count = STORE_SITES_MAX, .id = {EAST}};
  for (int i = 1; i < STORE_SITES_MAX; i++)
    many.id[i] = 1000000000000000000LL + i;
  struct {
    const char *what;
    store_complaint_filter f;
  } lists[] = {
    {"list", {0}},
    {"list closed", {.status = "closed"}},
    {"list complaints", {.kind = "complaint"}},
    {"list fees", {.category = "fees"}},
    {"list overdue", {.overdue_only = true}},
    {"list east", {.sites = &east}},
    {"list west", {.sites = &west}},
    {"list east overdue complaints", {.sites = &east, .kind = "complaint", .overdue_only = true}},
    {"list december", {.from = T0, .to = T0 + 31 * DAY}},
    {"list limit", {.limit = 2}},
    {"list of the most sites", {.sites = &many}},
  };
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    err = st->ops->complaint_list(st, &lists[i].f, now, &out);
    note(t, lists[i].what, err, &out);
  }
  err = st->ops->complaint_summary(st, NULL, T0, T0 + 31 * DAY, now, &out);
  note(t, "summary", err, &out);
  err = st->ops->complaint_summary(st, &east, T0, T0 + 31 * DAY, now, &out);
  note(t, "summary east", err, &out);
  err = st->ops->complaint_summary(st, NULL, T0 + 62 * DAY, T0 + 93 * DAY, now, &out);
  note(t, "summary empty", err, &out);
}

static json_t *days_json(const lobby_calendar_day *days, size_t count)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < count; i++)
    json_array_append_new(arr, json_pack("{s:s, s:b, s:s}", "date", days[i].date, "workday",
                                         days[i].workday, "note", days[i].note));
  return arr;
}

/* A staff edit before the seed stays; a year is seeded once. */
static void script_calendar(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  static const lobby_calendar_day shipped[] = {
    {"2026-01-01", false, "元旦"}, {"2026-01-04", true, "元旦调休上班"},
    {"2026-02-16", false, "春节"}, {"2026-10-10", true, "国庆调休上班"}};
  static const lobby_calendar_day again[] = {{"2026-03-03", false, "不该出现"}};
  lobby_calendar_day edit = {"2026-01-04", false, "公司统一放假"};
  store_audit_entry a = audit_of("calendar.set", "2026-01-04");
  lobby_err err = st->ops->calendar_set(st, &edit, &a);
  note_int(t, "calendar_set before seed", err, 0);
  bool seeded = false;
  err = st->ops->calendar_seed(st, 2026, shipped, 4, T0, &seeded);
  note_int(t, "calendar_seed", err, seeded);
  err = st->ops->calendar_seed(st, 2026, again, 1, T0 + 60, &seeded);
  note_int(t, "calendar_seed again", err, seeded);
  err = st->ops->calendar_seed(st, 2027, NULL, 0, T0 + 60, &seeded);
  note_int(t, "calendar_seed empty year", err, seeded);
  err = st->ops->calendar_seed(st, 2027, again, 1, T0 + 120, &seeded);
  note_int(t, "calendar_seed empty year again", err, seeded);
  err = st->ops->calendar_list(st, "2026-01-01", "2026-12-31", &out);
  note(t, "calendar_list", err, &out);
  lobby_calendar_day makeup = {"2026-10-10", false, ""};
  a = audit_of("calendar.set", "2026-10-10");
  err = st->ops->calendar_set(st, &makeup, &a);
  note_int(t, "calendar_set change", err, 0);
  a = audit_of("calendar.clear", "2026-02-16");
  err = st->ops->calendar_clear(st, "2026-02-16", &a);
  note_int(t, "calendar_clear", err, 0);
  err = st->ops->calendar_clear(st, "2026-02-16", &a);
  note_int(t, "calendar_clear again", err, 0);
  err = st->ops->calendar_list(st, "2026-01-02", "2026-10-10", &out);
  note(t, "calendar_list range", err, &out);
  err = st->ops->calendar_list(st, "2027-01-01", "2027-12-31", &out);
  note(t, "calendar_list empty", err, &out);
  lobby_calendar_day *days = NULL;
  size_t count = 0;
  err = st->ops->calendar_load(st, "2026-01-01", "2026-12-31", &days, &count);
  out = err == LOBBY_OK ? days_json(days, count) : NULL;
  free(days);
  note(t, "calendar_load", err, &out);
}

static lobby_err rate(lobby_store *st, const char *number, const char *last4,
                      complaint_satisfaction level, const char *comment,
                      const store_site_set *sites, int64_t at, json_t **out)
{
  store_rating r = {.number = number, .phone_last4 = last4, .satisfaction = level,
                    .comment = comment};
  *out = NULL;
  return st->ops->complaint_rate(st, &r, sites, &kiosk, at, out);
}

#define CJ "C-20260101-0001"

/* Residents rate at a kiosk, once, a replied record of theirs; then the
 * lists of what changed before a time; then the retention sweep. */
static void script_ratings(lobby_store *st, transcript *t)
{
  json_t *out = NULL;
  store_site_set west = store_site_one(WEST);
  lobby_principal east_desk = desk;
  east_desk.sites = store_site_one(EAST);
  int64_t at = T0 + 40 * DAY;
  lobby_err err = rate(st, C1, "8000", COMPLAINT_SATISFIED, NULL, NULL, at, &out);
  note(t, "rate closed", err, &out);
  err = rate(st, C3, "1111", COMPLAINT_SATISFIED, NULL, NULL, at, &out);
  note(t, "rate return-visited", err, &out);
  err = rate(st, C2, "0000", COMPLAINT_SATISFIED, NULL, NULL, at, &out);
  note(t, "rate without phone", err, &out);
  err = rate(st, C5, "1234", COMPLAINT_SATISFIED, NULL, NULL, at, &out);
  note(t, "rate before reply", err, &out);
  err = add_event(st, C5, (store_complaint_event){.event = COMPLAINT_EVENT_REPLY,
                  .reply = "已通知占位车主挪车"}, &east_desk, at + 60, &out);
  note(t, "reply parking", err, &out);
  err = rate(st, C5, "0000", COMPLAINT_SATISFIED, NULL, NULL, at + 120, &out);
  note(t, "rate wrong phone", err, &out);
  err = rate(st, C5, "1234", COMPLAINT_SATISFIED, NULL, &west, at + 120, &out);
  note(t, "rate from west", err, &out);
  err = rate(st, "C-20251201-0099", "1234", COMPLAINT_SATISFIED, NULL, NULL, at + 120, &out);
  note(t, "rate missing", err, &out);
  err = rate(st, C5, "1234", COMPLAINT_UNSATISFIED, "车位还是被占", NULL, at + 180, &out);
  note(t, "rate unsatisfied", err, &out);
  err = rate(st, C5, "1234", COMPLAINT_SATISFIED, NULL, NULL, at + 240, &out);
  note(t, "rate again", err, &out);
  err = add_event(st, CJ, (store_complaint_event){.event = COMPLAINT_EVENT_ASSIGN,
                  .responsible = "李客服"}, &desk, at + 300, &out);
  note(t, "assign january", err, &out);
  err = add_event(st, CJ, (store_complaint_event){.event = COMPLAINT_EVENT_REPLY,
                  .reply = "已维修"}, &desk, at + 360, &out);
  note(t, "reply january", err, &out);
  err = rate(st, CJ, "1234", COMPLAINT_BASICALLY_SATISFIED, NULL, &east_desk.sites, at + 420,
             &out);
  note(t, "rate basically satisfied", err, &out);
  err = st->ops->complaint_get(st, C5, NULL, at + 500, &out);
  note(t, "get rated", err, &out);
  struct {
    const char *what;
    store_complaint_filter f;
  } lists[] = {
    {"list changed before", {.changed_before = T0 + 1000}},
    {"list praise changed before", {.changed_before = T0 + 1000, .kind = "praise"}},
    {"list follow_up", {.status = "follow_up"}},
    {"list changed before any", {.changed_before = 0, .status = "return_visited"}},
  };
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    err = st->ops->complaint_list(st, &lists[i].f, at + 500, &out);
    note(t, lists[i].what, err, &out);
  }
  /* Closed before the cutoff: C1 and C2 (no name, no phone). */
  store_retention policy = {.repair_closed_before = T0 + 3 * DAY};
  store_retention_counts n = {0};
  err = st->ops->retention_run(st, &policy, at + 600, &n);
  note_int(t, "retention complaints", err, n.complaints_anonymised);
  note_int(t, "retention repairs", err, n.repairs_anonymised);
  err = st->ops->retention_run(st, &policy, at + 700, &n);
  note_int(t, "retention again", err, n.complaints_anonymised);
  err = st->ops->complaint_get(st, C1, NULL, at + 800, &out);
  note(t, "get anonymised", err, &out);
  err = st->ops->complaint_lookup(st, C1, "8000", NULL, at + 800, &out);
  note(t, "lookup anonymised", err, &out);
  err = st->ops->complaint_get(st, C3, NULL, at + 800, &out);
  note(t, "get kept", err, &out);
}

/* Overdue replies escalated ten days on, once: a second sweep a day
 * later finds nothing; the managers' list has the ones escalated. */
static void script_escalation(lobby_store *st, transcript *t)
{
  int n = -1;
  json_t *out = NULL;
  lobby_err err = st->ops->complaint_escalate_overdue(st, T0 + 10 * DAY, &n);
  note_int(t, "escalate", err, n);
  n = -1;
  err = st->ops->complaint_escalate_overdue(st, T0 + 11 * DAY, &n);
  note_int(t, "escalate again", err, n);
  store_complaint_filter f = {.escalated_only = true};
  note(t, "list escalated", st->ops->complaint_list(st, &f, T0 + 11 * DAY, &out), &out);
}

static void run_script(lobby_store *st, transcript *t)
{
  script_sites(st, t);
  script_create(st, t);
  script_complaint_course(st, t);
  script_other_kinds(st, t);
  script_reads(st, t);
  script_calendar(st, t);
  script_ratings(st, t);
  script_escalation(st, t);
}

/* The rows an operation must leave, the same in either store. */
static const char *const counts[] = {
  "SELECT COUNT(*) FROM complaints",
  "SELECT COUNT(*) FROM complaint_events",
  "SELECT COUNT(*) FROM complaint_events WHERE event = 'submit' AND actor_role = 'kiosk'",
  "SELECT COUNT(*) FROM complaint_seq WHERE last = 5",
  "SELECT COUNT(*) FROM audit",
  "SELECT COUNT(*) FROM audit WHERE target = 'C-20251201-0002' AND action = 'complaint.create'",
  "SELECT COUNT(*) FROM audit WHERE target = 'C-20251201-0001' AND action = 'complaint.event'",
  "SELECT COUNT(*) FROM audit WHERE action LIKE 'calendar.%'",
  ("SELECT COUNT(*) FROM complaints WHERE first_replied_at = created_at + 3600 "
   "AND replied_at = created_at + 2 * 86400"),
  "SELECT COUNT(*) FROM complaints WHERE responsible_id = 1",
  "SELECT COUNT(*) FROM calendar_years",
  "SELECT COUNT(*) FROM calendar_days",
  ("SELECT COUNT(*) FROM complaint_events WHERE event = 'return_visit' AND actor_role = 'kiosk' "
   "AND actor_name = 'lobby-1'"),
  ("SELECT COUNT(*) FROM complaints WHERE anonymised_at IS NOT NULL AND phone IS NULL "
   "AND phone_last4 = ''"),
  ("SELECT COUNT(*) FROM complaint_events WHERE event = 'escalate' AND actor_role = 'system' "
   "AND actor_name = 'lobbyd' AND note LIKE '答复超时 %'"),
  "SELECT COUNT(*) FROM complaints WHERE escalated_at IS NOT NULL",
};

/* The expected count of each of counts[]. */
static const long long count_want[] = {6, 25, 1, 1, 26, 1, 8, 3, 1, 1, 2, 3, 2, 2, 2, 2};

/* ---- the PostgreSQL store's answers, as the design asks ------------- */

static void check_create(const transcript *t)
{
  json_t *c = answer(t, "create complaint");
  assert_string_equal(json_string_value(json_object_get(c, "number")), C1);
  assert_string_equal(json_string_value(json_object_get(c, "status")), "submitted");
  assert_string_equal(json_string_value(json_object_get(c, "kind")), "complaint");
  assert_int_equal(json_integer_value(json_object_get(c, "reply_due_at")), T0 + DAY);
  assert_int_equal(json_integer_value(json_object_get(c, "created_at")), T0);
  assert_true(json_equal(c, answer(t, "create replay")));
  assert_int_equal(json_integer_value(answer(t, "replayed")), 1);
  expect_err(t, "create other request", LOBBY_EDUP);
  assert_string_equal(json_string_value(json_object_get(answer(t, "create parking"), "number")),
                      C5);
  assert_string_equal(json_string_value(json_object_get(answer(t, "create january"), "number")),
                      "C-20260101-0001");
}

static void check_refusals(const transcript *t)
{
  static const char *const conflicts[] = {"accept again", "reply before assign",
                                          "answer_close a complaint", "close before return visit",
                                          "return_visit without satisfaction"};
  for (size_t i = 0; i < sizeof conflicts / sizeof conflicts[0]; i++)
    expect_err(t, conflicts[i], LOBBY_ECONFLICT);
  expect_err(t, "assign disabled", LOBBY_EINVAL);
  expect_err(t, "assign another site's", LOBBY_EINVAL);
  expect_err(t, "assign nobody", LOBBY_EINVAL);
  expect_err(t, "accept missing", LOBBY_ENOTFOUND);
  expect_err(t, "answer_close from west", LOBBY_ENOTFOUND);
  expect_err(t, "get from west", LOBBY_ENOTFOUND);
  expect_err(t, "get missing", LOBBY_ENOTFOUND);
  expect_err(t, "lookup wrong phone", LOBBY_ENOTFOUND);
  expect_err(t, "lookup from west", LOBBY_ENOTFOUND);
  expect_err(t, "lookup without phone", LOBBY_ENOTFOUND);
}

/* The course of C1: every step's status, and the record at the end. */
static void check_course(const transcript *t)
{
  static const struct { const char *what, *status; } steps[] = {
    {"accept", "accepted"}, {"assign", "assigned"}, {"reassign", "assigned"},
    {"reply", "replied"}, {"return_visit unsatisfied", "follow_up"},
    {"reply after follow_up", "replied"}, {"return_visit satisfied", "return_visited"},
    {"close", "closed"}, {"answer_close", "closed"}, {"reply praise", "replied"},
    {"return_visit praise", "return_visited"}, {"assign to the site's staff", "assigned"}};
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    assert_string_equal(json_string_value(json_object_get(answer(t, steps[i].what), "status")),
                        steps[i].status);
  json_t *assigned = answer(t, "assign");
  assert_string_equal(json_string_value(json_object_get(assigned, "responsible")), "前台小张");
  assert_string_equal(json_string_value(json_object_get(answer(t, "reassign"), "responsible")),
                      "王经理");
  json_t *follow = answer(t, "return_visit unsatisfied");
  assert_string_equal(json_string_value(json_object_get(follow, "satisfaction")), "unsatisfied");
  assert_true(json_is_true(json_object_get(follow, "overdue")));   /* follow_up, past due */
  assert_true(json_is_false(json_object_get(answer(t, "reply"), "overdue")));

  json_t *got = answer(t, "get");
  json_t *want = json_pack(
    "{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:I, s:I, "
    "s:n, s:b, s:s, s:I, s:I}",
    "number", C1, "site", "main", "kind", "complaint", "category", "noise_neighbours",
    "status", "closed", "description", "楼上每晚11点后装修噪音", "unit", "building", "1",
    "unit", "2", "room", "301", "name", "王芳", "phone", "13800138000", "source", "kiosk",
    "responsible", "王经理", "reply", "已约谈施工队", "replied_at", (json_int_t)(T0 + 2 * DAY),
    "reply_due_at", (json_int_t)(T0 + DAY), "escalated_at", "overdue", 0, "satisfaction", "satisfied",
    "created_at", (json_int_t)T0, "updated_at", (json_int_t)(T0 + 2 * DAY + 120));
  json_t *events = json_object_get(got, "events");
  json_t *row = json_deep_copy(got);
  json_object_del(row, "events");
  if (!json_equal(row, want)) {
    char *s = json_dumps(row, JSON_ENSURE_ASCII);
    fail_msg("get: %s", s);
  }
  json_decref(row);
  json_decref(want);
  assert_int_equal(json_array_size(events), 9);
  json_t *submit = json_pack("{s:s, s:s, s:I, s:s, s:s}", "event", "submit", "status",
                             "submitted", "at", (json_int_t)T0, "by", "lobby-1", "by_role",
                             "kiosk");
  assert_true(json_equal(json_array_get(events, 0), submit));
  json_decref(submit);
  json_t *accept = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "event", "accept", "status",
                             "accepted", "at", (json_int_t)(T0 + 60), "by", "前台小张",
                             "by_role", "front_desk", "note", "已受理");
  assert_true(json_equal(json_array_get(events, 1), accept));
  json_decref(accept);
  assert_string_equal(json_string_value(json_object_get(json_array_get(events, 2),
                                                        "responsible")), "前台小张");
  json_t *visit = json_array_get(events, 5);
  assert_string_equal(json_string_value(json_object_get(visit, "satisfaction")), "unsatisfied");
  assert_string_equal(json_string_value(json_object_get(visit, "comment")), "仍有噪音");
  assert_null(json_object_get(visit, "reply"));
  assert_string_equal(json_string_value(json_object_get(json_array_get(events, 6), "reply")),
                      "已约谈施工队");
  assert_true(json_equal(json_object_get(answer(t, "close"), "events"), events));
}

static void check_lookup(const transcript *t)
{
  json_t *want = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:s}", "number", C1,
                           "kind", "complaint", "category", "noise_neighbours", "status",
                           "closed", "created_at", (json_int_t)T0, "reply_due_at",
                           (json_int_t)(T0 + DAY), "reply", "已约谈施工队", "replied_at",
                           (json_int_t)(T0 + 2 * DAY), "satisfaction", "satisfied");
  assert_true(json_equal(answer(t, "lookup"), want));
  json_decref(want);
  json_t *east = answer(t, "lookup from east");
  assert_true(json_is_null(json_object_get(east, "reply")));
  assert_null(json_object_get(east, "name"));
  assert_null(json_object_get(east, "phone"));
  assert_null(json_object_get(east, "unit"));
  assert_null(json_object_get(east, "site"));
  /* Another site's record, reached with that site. */
  json_t *suggestion = answer(t, "get from east");
  assert_string_equal(json_string_value(json_object_get(suggestion, "site")), "east");
  assert_true(json_is_null(json_object_get(suggestion, "unit")));
  assert_true(json_is_null(json_object_get(suggestion, "name")));
  assert_true(json_is_null(json_object_get(suggestion, "responsible")));
  assert_string_equal(json_string_value(json_object_get(suggestion, "reply")),
                      "已在2号楼增设垃圾桶");
  assert_true(json_is_false(json_object_get(answer(t, "get before due"), "overdue")));
}

/* The numbers of a list's rows, newest first, as "1,5" (of C-…-000N). */
static void assert_list(const transcript *t, const char *what, const char *want)
{
  char got[128] = "";
  size_t i, n = 0;
  json_t *row;
  json_array_foreach(answer(t, what), i, row) {
    const char *number = json_string_value(json_object_get(row, "number"));
    const char *day = strncmp(number, "C-20260101", 10) == 0 ? "J" : "";
    n += (size_t)snprintf(got + n, sizeof got - n, "%s%s%d", i ? "," : "", day,
                          atoi(number + 11));
  }
  if (strcmp(got, want) != 0)
    fail_msg("%s: %s, not %s", what, got, want);
}

static void check_lists(const transcript *t)
{
  assert_list(t, "list", "J1,5,4,3,2,1");
  assert_list(t, "list closed", "2,1");
  assert_list(t, "list complaints", "J1,5,1");
  assert_list(t, "list fees", "4");
  assert_list(t, "list overdue", "5,4");
  assert_list(t, "list east", "J1,5,2");
  assert_list(t, "list west", "3");
  assert_list(t, "list east overdue complaints", "5");
  assert_list(t, "list december", "5,4,3,2,1");
  assert_list(t, "list limit", "J1,5");
  assert_list(t, "list of the most sites", "J1,5,2");
  json_t *five = json_array_get(answer(t, "list"), 1);
  assert_true(json_is_true(json_object_get(five, "overdue")));
  assert_string_equal(json_string_value(json_object_get(five, "responsible")), "李客服");
  assert_null(json_object_get(five, "events"));
  assert_null(json_object_get(five, "id"));
}

static void check_summary(const transcript *t)
{
  json_t *want = json_pack(
    "{s:i, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i, s:i}, s:f, s:i, s:i, s:f, s:f, "
    "s:{s:i, s:i, s:i}}",
    "total", 5, "by_kind", "complaint", 2, "suggestion", 1, "praise", 1, "enquiry", 1,
    "by_category", "cleaning", 1, "fees", 1, "noise_neighbours", 1, "parking", 1,
    "service_attitude", 1, "reply_minutes_median", 60.0, "replied", 3, "replied_on_time", 2,
    "on_time_rate", 2.0 / 3.0, "return_visit_rate", 1.0, "satisfaction", "satisfied", 1,
    "basically_satisfied", 0, "unsatisfied", 0);
  json_t *got = answer(t, "summary");
  if (!json_equal(got, want)) {
    char *s = json_dumps(got, JSON_ENSURE_ASCII);
    fail_msg("summary: %s", s);
  }
  json_decref(want);
  /* East: the suggestion answered late, the parking complaint not yet. */
  json_t *east = answer(t, "summary east");
  assert_int_equal(json_integer_value(json_object_get(east, "total")), 2);
  assert_true(json_real_value(json_object_get(east, "reply_minutes_median")) == 7190 / 60.0);
  assert_int_equal(json_integer_value(json_object_get(east, "replied_on_time")), 0);
  assert_true(json_real_value(json_object_get(east, "on_time_rate")) == 0.0);
  assert_true(json_is_null(json_object_get(east, "return_visit_rate")));
  json_t *empty = answer(t, "summary empty");
  assert_int_equal(json_integer_value(json_object_get(empty, "total")), 0);
  assert_true(json_is_null(json_object_get(empty, "reply_minutes_median")));
  assert_true(json_is_null(json_object_get(empty, "on_time_rate")));
  assert_int_equal(json_object_size(json_object_get(empty, "by_category")), 0);
}

static void check_calendar(const transcript *t)
{
  assert_int_equal(json_integer_value(answer(t, "calendar_seed")), 1);
  assert_int_equal(json_integer_value(answer(t, "calendar_seed again")), 0);
  assert_int_equal(json_integer_value(answer(t, "calendar_seed empty year")), 1);
  assert_int_equal(json_integer_value(answer(t, "calendar_seed empty year again")), 0);
  expect_err(t, "calendar_clear again", LOBBY_ENOTFOUND);
  json_t *want = json_pack("[{s:s, s:b, s:s}, {s:s, s:b, s:s}, {s:s, s:b, s:s}, "
                           "{s:s, s:b, s:s}]",
                           "date", "2026-01-01", "workday", 0, "note", "元旦",
                           "date", "2026-01-04", "workday", 0, "note", "公司统一放假",
                           "date", "2026-02-16", "workday", 0, "note", "春节",
                           "date", "2026-10-10", "workday", 1, "note", "国庆调休上班");
  assert_true(json_equal(answer(t, "calendar_list"), want));
  json_decref(want);
  want = json_pack("[{s:s, s:b, s:s}, {s:s, s:b, s:s}]", "date", "2026-01-04", "workday", 0,
                   "note", "公司统一放假", "date", "2026-10-10", "workday", 0, "note", "");
  assert_true(json_equal(answer(t, "calendar_list range"), want));
  json_decref(want);
  assert_int_equal(json_array_size(answer(t, "calendar_list empty")), 0);
  assert_int_equal(json_array_size(answer(t, "calendar_load")), 3);
}

/* A rating is the kiosk's return visit, once, of a replied record whose
 * number and phone match; unsatisfied sends a complaint back to follow_up. */
static void check_ratings(const transcript *t)
{
  static const char *const conflicts[] = {"rate closed", "rate return-visited",
                                          "rate before reply", "rate again"};
  for (size_t i = 0; i < sizeof conflicts / sizeof conflicts[0]; i++)
    expect_err(t, conflicts[i], LOBBY_ECONFLICT);
  static const char *const missing[] = {"rate without phone", "rate wrong phone",
                                        "rate from west", "rate missing"};
  for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
    expect_err(t, missing[i], LOBBY_ENOTFOUND);
  json_t *want = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:s}", "number", C5,
                           "kind", "complaint", "category", "parking", "status", "follow_up",
                           "created_at", (json_int_t)(T0 + 40), "reply_due_at",
                           (json_int_t)(T0 + DAY), "reply", "已通知占位车主挪车", "replied_at",
                           (json_int_t)(T0 + 40 * DAY + 60), "satisfaction", "unsatisfied");
  json_t *got = answer(t, "rate unsatisfied");
  if (!json_equal(got, want)) {
    char *text = json_dumps(got, JSON_ENSURE_ASCII);
    fail_msg("rate unsatisfied: %s", text);
  }
  json_decref(want);
  json_t *happy = answer(t, "rate basically satisfied");
  assert_string_equal(json_string_value(json_object_get(happy, "status")), "return_visited");
  assert_string_equal(json_string_value(json_object_get(happy, "satisfaction")),
                      "basically_satisfied");
  json_t *rated = answer(t, "get rated");
  assert_int_equal(json_integer_value(json_object_get(rated, "updated_at")),
                   T0 + 40 * DAY + 180);
  json_t *events = json_object_get(rated, "events");
  want = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "event", "return_visit", "status",
                   "follow_up", "at", (json_int_t)(T0 + 40 * DAY + 180), "by", "lobby-1",
                   "by_role", "kiosk", "satisfaction", "unsatisfied", "comment", "车位还是被占");
  assert_true(json_equal(json_array_get(events, json_array_size(events) - 1), want));
  json_decref(want);
  assert_list(t, "list changed before", "4,3");
  assert_list(t, "list praise changed before", "3");
  assert_list(t, "list follow_up", "5");
  assert_list(t, "list changed before any", "J1,3");
}

/* Closed complaints lose name and phone on the repairs' schedule; the
 * rest of the record stays, and a second sweep finds nothing. */
static void check_retention(const transcript *t)
{
  assert_int_equal(json_integer_value(answer(t, "retention complaints")), 2);
  assert_int_equal(json_integer_value(answer(t, "retention repairs")), 0);
  assert_int_equal(json_integer_value(answer(t, "retention again")), 0);
  json_t *gone = answer(t, "get anonymised");
  assert_string_equal(json_string_value(json_object_get(gone, "name")), "—");
  assert_true(json_is_null(json_object_get(gone, "phone")));
  assert_string_equal(json_string_value(json_object_get(gone, "description")),
                      "楼上每晚11点后装修噪音");
  assert_string_equal(json_string_value(json_object_get(gone, "reply")), "已约谈施工队");
  expect_err(t, "lookup anonymised", LOBBY_ENOTFOUND);
  json_t *kept = answer(t, "get kept");
  assert_string_equal(json_string_value(json_object_get(kept, "name")), "李四");
  assert_string_equal(json_string_value(json_object_get(kept, "phone")), "13900001111");
}

/* Every complaint still waiting past its time was escalated once, at
 * the first sweep, with its event. */
static void check_escalation(const transcript *t)
{
  json_int_t escalated = json_integer_value(answer(t, "escalate"));
  assert_true(escalated > 0);
  assert_int_equal(json_integer_value(answer(t, "escalate again")), 0);
  json_t *list = answer(t, "list escalated"), *c;
  size_t i;
  assert_int_equal(json_array_size(list), escalated);
  json_array_foreach(list, i, c) {
    assert_int_equal(json_integer_value(json_object_get(c, "escalated_at")), T0 + 10 * DAY);
    assert_true(json_is_true(json_object_get(c, "overdue")));
  }
}

static lobby_store *pg_store_with_staff(char *url, size_t size)
{
  lobby_store *pg;
  pg_new_database(url, size);
  assert_int_equal(store_pg_open(url, &pg), LOBBY_OK);
  pg_exec(url, STAFF_SQL);
  return pg;
}

static void postgres_answers_as_designed(void **state)
{
  (void)state;
  char url[256];
  lobby_store *pg = pg_store_with_staff(url, sizeof url);
  transcript t = {json_array()};
  run_script(pg, &t);
  pg->ops->close(pg);
  const char *keep = getenv("LOBBY_TEST_TRANSCRIPT");
  if (keep && *keep)
    assert_int_equal(json_dump_file(t.log, keep, JSON_INDENT(1)), 0);
  check_create(&t);
  check_refusals(&t);
  check_course(&t);
  check_lookup(&t);
  check_lists(&t);
  check_summary(&t);
  check_calendar(&t);
  check_ratings(&t);
  check_retention(&t);
  check_escalation(&t);
  for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
    if (pg_count(url, counts[k]) != count_want[k])
      fail_msg("%s: %lld, not %lld", counts[k], pg_count(url, counts[k]), count_want[k]);
  assert_int_equal(pg_count(url, "SELECT MAX(version) FROM lobby_schema"),
                   store_pg_schema_version());
  json_decref(t.log);
}

/* ---- the same answers as the SQLite store --------------------------- */

static void answers_match_the_sqlite_store(void **state)
{
  (void)state;
  char path[128], url[256];
  snprintf(path, sizeof path, "%s/lobby.db", tmpdir);
  lobby_store *sq;
  assert_int_equal(store_sqlite_open(path, &sq), LOBBY_OK);
  sqlite_exec(path, STAFF_SQL);
  lobby_store *pg = pg_store_with_staff(url, sizeof url);

  transcript a = {json_array()}, b = {json_array()};
  run_script(sq, &a);
  run_script(pg, &b);
  sq->ops->close(sq);
  pg->ops->close(pg);
  for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
    long long want = sqlite_count(path, counts[k]);
    long long got = pg_count(url, counts[k]);
    if (got != want)
      fail_msg("%s: sqlite %lld, postgresql %lld", counts[k], want, got);
  }
  size_t i;
  json_t *e;
  json_array_foreach(a.log, i, e) {
    char *want = json_dumps(e, JSON_COMPACT | JSON_ENSURE_ASCII);
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

/* ---- two stores on one database (as two lobbyd processes) ---------- */

#define THREADS 6
#define PER_THREAD 10

typedef struct {
  lobby_store *st;
  char numbers[PER_THREAD][24];
  int failed;
  pthread_barrier_t *start;
} creator;

static void *create_complaints(void *arg)
{
  creator *c = arg;
  pthread_barrier_wait(c->start);
  for (int i = 0; i < PER_THREAD; i++) {
    store_idempotency none = {.scope = "kiosk:1"};
    json_t *out = NULL;
    if (c->st->ops->complaint_create(c->st, &complaint_one, &kiosk, &none, NULL, OFFSET, T0,
                                     &out) != LOBBY_OK) {
      c->failed++;
      continue;
    }
    snprintf(c->numbers[i], sizeof c->numbers[i], "%s",
             json_string_value(json_object_get(out, "number")));
    json_decref(out);
  }
  return NULL;
}

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

/* A failed creation gives its number back; numbers made at once through
 * two stores have neither gaps nor duplicates. */
static void numbers_have_no_gaps_across_stores(void **state)
{
  (void)state;
  char url[256];
  pg_new_database(url, sizeof url);
  lobby_store *st[2];
  assert_int_equal(store_pg_open(url, &st[0]), LOBBY_OK);
  assert_int_equal(store_pg_open(url, &st[1]), LOBBY_OK);
  store_complaint_new broken = complaint_one;
  broken.description = NULL;     /* the row's NOT NULL */
  store_idempotency none = {.scope = "kiosk:1"};
  json_t *out = NULL;
  assert_int_not_equal(st[0]->ops->complaint_create(st[0], &broken, &kiosk, &none, NULL, OFFSET,
                                                    T0, &out), LOBBY_OK);
  assert_null(out);

  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, THREADS);
  static creator c[THREADS];
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++) {
    c[i] = (creator){.st = st[i % 2], .start = &start};
    assert_int_equal(pthread_create(&th[i], NULL, create_complaints, &c[i]), 0);
  }
  for (int i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);
  pthread_barrier_destroy(&start);
  static char all[THREADS * PER_THREAD][24];
  for (int i = 0; i < THREADS; i++) {
    assert_int_equal(c[i].failed, 0);
    memcpy(all[i * PER_THREAD], c[i].numbers, sizeof c[i].numbers);
  }
  qsort(all, THREADS * PER_THREAD, sizeof all[0], by_text);
  for (int i = 0; i < THREADS * PER_THREAD; i++) {
    char want[24];
    snprintf(want, sizeof want, "C-20251201-%04d", i + 1);
    assert_string_equal(all[i], want);
  }
  st[0]->ops->close(st[0]);
  st[1]->ops->close(st[1]);
}

typedef struct {
  lobby_store *st;
  const char *number;
  pthread_barrier_t *start;
  lobby_err accept_err, seed_err;
  bool seeded;
} racer;

static void *race(void *arg)
{
  racer *r = arg;
  json_t *out = NULL;
  static const lobby_calendar_day day = {"2026-01-01", false, "元旦"};
  pthread_barrier_wait(r->start);
  r->accept_err = add_event(r->st, r->number, (store_complaint_event){
                            .event = COMPLAINT_EVENT_ACCEPT}, &desk, T0 + 60, &out);
  json_decref(out);
  r->seed_err = r->st->ops->calendar_seed(r->st, 2026, &day, 1, T0, &r->seeded);
  return NULL;
}

/* Of two accepts of one complaint at once exactly one wins, and of two
 * seeds of one year exactly one seeds it. */
static void one_of_two_racers_wins(void **state)
{
  (void)state;
  char url[256];
  pg_new_database(url, sizeof url);
  lobby_store *st[2];
  assert_int_equal(store_pg_open(url, &st[0]), LOBBY_OK);
  assert_int_equal(store_pg_open(url, &st[1]), LOBBY_OK);
  pg_exec(url, STAFF_SQL);
  for (int round = 0; round < 10; round++) {
    store_idempotency none = {.scope = "kiosk:1"};
    json_t *out = NULL;
    assert_int_equal(st[0]->ops->complaint_create(st[0], &complaint_one, &kiosk, &none, NULL,
                                                  OFFSET, T0, &out), LOBBY_OK);
    char number[24];
    snprintf(number, sizeof number, "%s", json_string_value(json_object_get(out, "number")));
    json_decref(out);
    pg_exec(url, "DELETE FROM calendar_days; DELETE FROM calendar_years");

    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    racer r[2] = {{.st = st[0], .number = number, .start = &start},
                  {.st = st[1], .number = number, .start = &start}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
      assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    for (int i = 0; i < 2; i++)
      pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    assert_true((r[0].accept_err == LOBBY_OK && r[1].accept_err == LOBBY_ECONFLICT) ||
                (r[0].accept_err == LOBBY_ECONFLICT && r[1].accept_err == LOBBY_OK));
    assert_int_equal(r[0].seed_err, LOBBY_OK);
    assert_int_equal(r[1].seed_err, LOBBY_OK);
    assert_true(r[0].seeded != r[1].seeded);
    assert_int_equal(st[1]->ops->complaint_get(st[1], number, NULL, T0 + 60, &out), LOBBY_OK);
    assert_int_equal(json_array_size(json_object_get(out, "events")), 2);
    assert_string_equal(json_string_value(json_object_get(out, "status")), "accepted");
    json_decref(out);
    assert_int_equal(pg_count(url, "SELECT COUNT(*) FROM calendar_days"), 1);
  }
  st[0]->ops->close(st[0]);
  st[1]->ops->close(st[1]);
}

int main(void)
{
  const char *pg = getenv("LOBBY_TEST_PG");
  if (!pg || !*pg) {
    fprintf(stderr, "test_store_pg_complaints: no LOBBY_TEST_PG (run under with_postgres.sh)\n");
    return 77;
  }
  snprintf(tmpdir, sizeof tmpdir, "/tmp/lobby-pgcmp.XXXXXX");
  if (!mkdtemp(tmpdir))
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(postgres_answers_as_designed),
    cmocka_unit_test(answers_match_the_sqlite_store),
    cmocka_unit_test(numbers_have_no_gaps_across_stores),
    cmocka_unit_test(one_of_two_racers_wins),
  };
  int failed = cmocka_run_group_tests_name("store_pg_complaints", tests, NULL, NULL);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    failed++;
  return failed;
}
