/* Renovations (装修登记) and workers' passes (临时出入证) end to end: a real
 * lobbyd (SQLite, or PostgreSQL under tests/support/with_postgres.sh),
 * real HTTP, kiosk lobby-1 and the demo directory, and a second site
 * "north".  The server's clock starts at Friday 2026-12-04 10:00
 * (+08:00); the last case restarts it a week on, when a pass valid to
 * 5 December and a renovation ending 8 December have expired. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"

#define FRIDAY_10AM 1796349600      /* 2026-12-04T10:00:00+08:00 */
#define A_WEEK_LATER (FRIDAY_10AM + 7 * 86400)
#define UNIT "\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"}"
#define WHO "\"company\":\"美家装饰\",\"manager\":\"李强\",\"manager_phone\":\"13900139000\""
#define ENDED_REASON "装修已结束 / the renovation has finished"

static test_server server;
static char desk[64], tech[64], guard[64], desk_north[64], kiosk_north[64];
static char phone[40];             /* main's service phone, as its kiosks show it */
static char long_number[32];      /* 2026-12-04 .. 2027-03-04, registered first */
static char short_number[32];     /* 2026-12-01 .. 2026-12-08: ending soon */
static char late_code[16];        /* long_number's pass valid to 2026-12-05 */
static char short_code[16];       /* short_number's pass */
static long long late_id;

static const char *key_header(char *buf, size_t size)
{
  static unsigned counter;
  snprintf(buf, size, "Idempotency-Key: renovations-%ld-%u", (long)getpid(), ++counter);
  return buf;
}

/* One request that must answer status, with a fresh Idempotency-Key;
 * returns the body (caller decrefs). */
static json_t *call(const char *method, const char *path, const char *token, const char *body,
                    long status)
{
  char key[80];
  const char *headers[] = {key_header(key, sizeof key), NULL};
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, headers, &r), 0);
  if (r.status != status)
    fprintf(stderr, "%s %s: %ld %s\n", method, path, r.status, r.body ? r.body : "");
  assert_int_equal(r.status, status);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

static const char *str(json_t *j, const char *key)
{
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static const char *error_code(json_t *j)
{
  return str(json_object_get(j, "error"), "code");
}

static const char *error_field(json_t *j)
{
  return str(json_object_get(j, "error"), "field");
}

static const char *error_message(json_t *j)
{
  return str(json_object_get(j, "error"), "message");
}

static json_t *registered(const char *start, const char *end, long status)
{
  char body[512];
  snprintf(body, sizeof body, "{" UNIT "," WHO ",\"works\":\"厨卫改造\",\"start\":\"%s\",\"end\":\"%s\"}",
           start, end);
  return call("POST", "/api/v1/renovations", desk, body, status);
}

static json_t *event(const char *token, const char *number, const char *body, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/renovations/%s/events", number);
  return call("POST", path, token, body, status);
}

static json_t *issue(const char *token, const char *number, const char *body, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/renovations/%s/workers", number);
  return call("POST", path, token, body, status);
}

static json_t *get(const char *token, const char *number, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/renovations/%s", number);
  return call("GET", path, token, NULL, status);
}

static json_t *attend(const char *token, const char *code, long status)
{
  char body[96];
  snprintf(body, sizeof body, "{\"pass_code\":\"%s\"}", code);
  return call("POST", "/api/v1/workers/attendance", token, body, status);
}

static json_t *worker_post(const char *token, long long id, const char *what, const char *body,
                           long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/workers/%lld/%s", id, what);
  return call("POST", path, token, body, status);
}

static json_int_t topic(const char *name)
{
  json_t *j = test_admin(&server, "GET", "/api/v1/events", NULL, 200);
  json_int_t n = json_integer_value(json_object_get(j, name));
  json_decref(j);
  return n;
}

/* The worker of id in the renovation's record. */
static json_t *worker_in(json_t *renovation, long long id)
{
  size_t i;
  json_t *w;
  json_array_foreach(json_object_get(renovation, "workers"), i, w)
    if (json_integer_value(json_object_get(w, "id")) == id)
      return w;
  fail_msg("worker %lld not in the record", id);
  return NULL;
}

static json_t *onsite_workers(const char *token)
{
  json_t *j = call("GET", "/api/v1/visits/onsite", token, NULL, 200);
  json_t *w = json_incref(json_object_get(j, "workers"));
  assert_non_null(json_object_get(j, "visits"));
  json_decref(j);
  return w;
}

static int setup(void **state)
{
  (void)state;
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", FRIDAY_10AM);
  if (test_server_start(&server) != 0 || test_staff(&server, "desk-1", "front_desk", desk) != 0 ||
      test_staff(&server, "tech-1", "technician", tech) != 0 ||
      test_staff(&server, "门岗老张", "guard", guard) != 0)
    return -1;
  json_decref(test_admin(&server, "POST", "/api/v1/sites", "{\"code\":\"north\",\"name\":\"北苑\"}", 201));
  json_decref(test_admin(&server, "PUT", "/api/v1/directory?site=north",
                         "{\"buildings\":[{\"code\":\"N1\",\"name\":\"北1栋\",\"units\":"
                         "[{\"code\":\"1\",\"rooms\":[\"101\"]}]}]}", 200));
  json_t *j = test_admin(&server, "POST", "/api/v1/staff",
                         "{\"name\":\"desk-north\",\"role\":\"front_desk\",\"sites\":[\"north\"]}", 201);
  snprintf(desk_north, sizeof desk_north, "%s", str(j, "token"));
  json_decref(j);
  if (test_kiosk(&server, "north-1", "N1", "", kiosk_north) != 0)
    return -1;
  j = test_admin(&server, "GET", "/api/v1/sites?site=main", NULL, 200);
  snprintf(phone, sizeof phone, "%s", str(json_array_get(json_object_get(j, "sites"), 0), "service_phone"));
  json_decref(j);
  return desk_north[0] && phone[0] ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* The first of the day is Z-20261204-0001, three months at most; a replay
 * registers nothing new and the topic moves. */
static void the_desk_registers_within_three_months(void **state)
{
  (void)state;
  json_int_t before = topic("renovations");
  const char *headers[] = {"Idempotency-Key: renovation-retry-1", NULL};
  const char *body = "{" UNIT "," WHO ",\"works\":\"厨卫改造\",\"start\":\"2026-12-04\","
                     "\"end\":\"2027-03-04\"}";
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/renovations", desk, body, headers, &r), 0);
  assert_int_equal(r.status, 201);
  assert_false(r.replayed);
  json_t *j = r.json;
  assert_string_equal(str(j, "number"), "Z-20261204-0001");
  snprintf(long_number, sizeof long_number, "%s", str(j, "number"));
  assert_string_equal(str(j, "site"), "main");
  assert_string_equal(str(json_object_get(j, "unit"), "building"), "1");
  assert_string_equal(str(json_object_get(j, "unit"), "unit"), "2");
  assert_string_equal(str(json_object_get(j, "unit"), "room"), "301");
  assert_string_equal(str(j, "company"), "美家装饰");
  assert_string_equal(str(j, "manager"), "李强");
  assert_string_equal(str(j, "manager_phone"), "13900139000");
  assert_string_equal(str(j, "works"), "厨卫改造");
  assert_string_equal(str(j, "start"), "2026-12-04");
  assert_string_equal(str(j, "end"), "2027-03-04");
  assert_string_equal(str(j, "status"), "active");
  assert_false(json_is_true(json_object_get(j, "expired")));
  assert_false(json_is_true(json_object_get(j, "ending_soon")));
  assert_int_equal(json_integer_value(json_object_get(j, "workers_active")), 0);
  assert_int_equal(json_integer_value(json_object_get(j, "workers_on_site")), 0);
  assert_string_equal(str(j, "created_at"), "2026-12-04T10:00:00+08:00");
  test_response_free(&r);
  assert_true(topic("renovations") > before);
  assert_int_equal(test_http(&server, "POST", "/api/v1/renovations", desk, body, headers, &r), 0);
  assert_int_equal(r.status, 201);
  assert_true(r.replayed);
  assert_string_equal(str(r.json, "number"), "Z-20261204-0001");
  test_response_free(&r);

  /* One day past three months is refused, naming the latest date. */
  j = registered("2026-12-04", "2027-03-05", 400);
  assert_string_equal(error_code(j), "invalid_field");
  assert_string_equal(error_field(j), "end");
  assert_non_null(strstr(error_message(j), "2027-03-04"));
  json_decref(j);
  /* The 30th of November: February has no 30th, so its last day. */
  j = registered("2026-11-30", "2027-03-01", 400);
  assert_string_equal(error_field(j), "end");
  assert_non_null(strstr(error_message(j), "2027-02-28"));
  json_decref(j);
  j = registered("2026-11-30", "2027-02-28", 201);
  assert_string_equal(str(j, "number"), "Z-20261204-0002");
  json_decref(j);
  j = registered("2026-12-04", "2026-12-03", 400);
  assert_string_equal(error_field(j), "end");
  json_decref(j);
  j = registered("2026-12-4", "2026-12-30", 400);
  assert_string_equal(error_field(j), "start");
  json_decref(j);
  j = call("POST", "/api/v1/renovations", desk,
           "{" UNIT ",\"company\":\"\",\"manager\":\"李强\",\"manager_phone\":\"13900139000\","
           "\"start\":\"2026-12-04\",\"end\":\"2026-12-30\"}", 400);
  assert_string_equal(error_field(j), "company");
  json_decref(j);
  j = call("POST", "/api/v1/renovations", desk,
           "{" UNIT ",\"company\":\"美家\",\"manager\":\"李强\",\"manager_phone\":\"12345\","
           "\"start\":\"2026-12-04\",\"end\":\"2026-12-30\"}", 400);
  assert_string_equal(error_field(j), "manager_phone");
  json_decref(j);
  j = call("POST", "/api/v1/renovations", desk,
           "{" WHO ",\"start\":\"2026-12-04\",\"end\":\"2026-12-30\"}", 400);
  assert_string_equal(error_field(j), "unit");
  json_decref(j);
  j = call("POST", "/api/v1/renovations", desk,
           "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"999\"}," WHO
           ",\"start\":\"2026-12-04\",\"end\":\"2026-12-30\"}", 400);
  assert_string_equal(error_field(j), "unit");   /* no such room */
  json_decref(j);
  /* Without a key nothing is registered. */
  assert_int_equal(test_http(&server, "POST", "/api/v1/renovations", desk, body, NULL, &r), 0);
  assert_int_equal(r.status, 400);
  test_response_free(&r);
}

/* An extension moves the end later, by three months at most from the
 * current end, with a reason; the events keep the old and new end. */
static void an_extension_is_later_within_three_months_with_a_reason(void **state)
{
  (void)state;
  json_t *j = event(desk, long_number, "{\"event\":\"extend\",\"end\":\"2027-03-04\",\"reason\":\"工期延长\"}", 400);
  assert_string_equal(error_field(j), "end");
  assert_non_null(strstr(error_message(j), "2027-03-04"));
  json_decref(j);
  j = event(desk, long_number, "{\"event\":\"extend\",\"end\":\"2027-06-05\",\"reason\":\"工期延长\"}", 400);
  assert_string_equal(error_field(j), "end");
  assert_non_null(strstr(error_message(j), "2027-06-04"));
  json_decref(j);
  j = event(desk, long_number, "{\"event\":\"extend\",\"end\":\"2027-04-04\"}", 400);
  assert_string_equal(error_field(j), "reason");
  json_decref(j);
  j = event(desk, long_number, "{\"event\":\"extend\",\"reason\":\"x\"}", 400);
  assert_string_equal(error_field(j), "end");
  json_decref(j);
  j = event(desk, long_number, "{\"event\":\"cancel\"}", 400);
  assert_string_equal(error_field(j), "reason");
  json_decref(j);
  j = event(desk, long_number, "{\"event\":\"register\"}", 400);
  assert_string_equal(error_field(j), "event");
  json_decref(j);
  j = event(desk, long_number, "{\"event\":\"extend\",\"end\":\"2027-06-04\",\"reason\":\"业主追加阳台改造\"}", 200);
  assert_string_equal(str(j, "end"), "2027-06-04");
  assert_string_equal(str(j, "start"), "2026-12-04");
  assert_string_equal(str(j, "status"), "active");
  json_t *events = json_object_get(j, "events");
  assert_int_equal(json_array_size(events), 2);
  assert_string_equal(str(json_array_get(events, 0), "event"), "register");
  assert_string_equal(str(json_array_get(events, 0), "by"), "desk-1");
  assert_string_equal(str(json_array_get(events, 0), "by_role"), "front_desk");
  assert_null(json_object_get(json_array_get(events, 0), "old_end"));
  json_t *ext = json_array_get(events, 1);
  assert_string_equal(str(ext, "event"), "extend");
  assert_string_equal(str(ext, "old_end"), "2027-03-04");
  assert_string_equal(str(ext, "new_end"), "2027-06-04");
  assert_string_equal(str(ext, "reason"), "业主追加阳台改造");
  assert_string_equal(str(ext, "at"), "2026-12-04T10:00:00+08:00");
  assert_int_equal(json_array_size(json_object_get(j, "workers")), 0);
  json_decref(j);
  json_decref(event(desk, "Z-20261204-0999", "{\"event\":\"finish\"}", 404));
}

/* Passes get distinct 8-character codes, valid by default to the end;
 * valid_until must lie from today to the end. */
static void passes_are_issued_with_unique_codes(void **state)
{
  (void)state;
  json_int_t before = topic("renovations");
  json_t *a = issue(desk, long_number, "{\"name\":\"王建国\",\"phone\":\"13700137000\"}", 201);
  json_t *b = issue(desk, long_number, "{\"name\":\"赵六\",\"phone\":\"13600136000\","
                                       "\"valid_until\":\"2026-12-05\"}", 201);
  assert_true(topic("renovations") > before);
  assert_string_equal(str(a, "renovation"), long_number);
  assert_string_equal(str(a, "name"), "王建国");
  assert_string_equal(str(a, "phone"), "13700137000");
  assert_string_equal(str(a, "valid_until"), "2027-06-04");
  assert_string_equal(str(a, "status"), "active");
  assert_false(json_is_true(json_object_get(a, "expired")));
  assert_false(json_is_true(json_object_get(a, "on_site")));
  assert_true(json_is_null(json_object_get(a, "last_in")));
  assert_true(json_is_null(json_object_get(a, "reason")));
  assert_int_equal(strlen(str(a, "pass_code")), 8);
  assert_int_equal(strlen(str(b, "pass_code")), 8);
  assert_string_not_equal(str(a, "pass_code"), str(b, "pass_code"));
  assert_string_equal(str(b, "valid_until"), "2026-12-05");
  snprintf(late_code, sizeof late_code, "%s", str(b, "pass_code"));
  late_id = (long long)json_integer_value(json_object_get(b, "id"));
  json_decref(a);
  json_decref(b);
  json_t *j = issue(desk, long_number, "{\"name\":\"孙七\",\"phone\":\"13500135000\","
                                       "\"valid_until\":\"2027-06-05\"}", 400);
  assert_string_equal(error_field(j), "valid_until");
  assert_non_null(strstr(error_message(j), "2027-06-04"));
  json_decref(j);
  j = issue(desk, long_number, "{\"name\":\"孙七\",\"phone\":\"13500135000\","
                               "\"valid_until\":\"2026-12-03\"}", 400);
  assert_string_equal(error_field(j), "valid_until");
  json_decref(j);
  j = issue(desk, long_number, "{\"phone\":\"13500135000\"}", 400);
  assert_string_equal(error_field(j), "name");
  json_decref(j);
  j = issue(desk, long_number, "{\"name\":\"孙七\",\"phone\":\"555\"}", 400);
  assert_string_equal(error_field(j), "phone");
  json_decref(j);
  json_decref(issue(desk, "Z-20261204-0999", "{\"name\":\"孙七\",\"phone\":\"13500135000\"}", 404));
  /* Many passes, no code twice. */
  char codes[12][16];
  for (int i = 0; i < 12; i++) {
    j = issue(desk, long_number, "{\"name\":\"工人\",\"phone\":\"13500135000\"}", 201);
    snprintf(codes[i], sizeof codes[i], "%s", str(j, "pass_code"));
    json_decref(j);
    for (int k = 0; k < i; k++)
      assert_string_not_equal(codes[i], codes[k]);
  }
  j = get(desk, long_number, 200);
  assert_int_equal(json_array_size(json_object_get(j, "workers")), 14);
  assert_int_equal(json_integer_value(json_object_get(j, "workers_active")), 14);
  json_decref(j);
}

/* A worker checks in at the kiosk (name masked), is on the evacuation
 * list with company and unit, and checks out. */
static void a_worker_checks_in_and_out_at_the_kiosk(void **state)
{
  (void)state;
  json_t *a = issue(desk, long_number, "{\"name\":\"王建国\",\"phone\":\"13700137000\"}", 201);
  char code[16], lower[16];
  snprintf(code, sizeof code, "%s", str(a, "pass_code"));
  long long id = (long long)json_integer_value(json_object_get(a, "id"));
  json_decref(a);
  json_int_t visits = topic("visits"), renovations = topic("renovations");
  json_t *j = attend(server.kiosk_token, code, 200);
  assert_string_equal(str(j, "action"), "in");
  assert_string_equal(str(j, "name"), "王**");
  assert_null(json_object_get(j, "phone"));
  assert_string_equal(str(j, "company"), "美家装饰");
  assert_string_equal(str(json_object_get(j, "unit"), "room"), "301");
  assert_string_equal(str(j, "valid_until"), "2027-06-04");
  assert_string_equal(str(j, "at"), "2026-12-04T10:00:00+08:00");
  json_decref(j);
  assert_true(topic("visits") > visits);
  assert_true(topic("renovations") > renovations);

  json_t *list = onsite_workers(desk);
  assert_int_equal(json_array_size(list), 1);
  json_t *w = json_array_get(list, 0);
  assert_int_equal(json_integer_value(json_object_get(w, "id")), id);
  assert_string_equal(str(w, "name"), "王建国");
  assert_string_equal(str(w, "phone"), "13700137000");
  assert_string_equal(str(w, "company"), "美家装饰");
  assert_string_equal(str(w, "renovation"), long_number);
  assert_string_equal(str(json_object_get(w, "unit"), "building"), "1");
  assert_string_equal(str(w, "checked_in_at"), "2026-12-04T10:00:00+08:00");
  assert_string_equal(str(w, "valid_until"), "2027-06-04");
  json_decref(list);
  j = get(desk, long_number, 200);
  assert_int_equal(json_integer_value(json_object_get(j, "workers_on_site")), 1);
  w = worker_in(j, id);
  assert_true(json_is_true(json_object_get(w, "on_site")));
  assert_string_equal(str(w, "last_in"), "2026-12-04T10:00:00+08:00");
  assert_true(json_is_null(json_object_get(w, "last_out")));
  json_decref(j);

  /* Typed in lower case, the code still works: the same pass goes out. */
  snprintf(lower, sizeof lower, "%s", code);
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  j = attend(server.kiosk_token, lower, 200);
  assert_string_equal(str(j, "action"), "out");
  json_decref(j);
  list = onsite_workers(desk);
  assert_int_equal(json_array_size(list), 0);
  json_decref(list);
  j = get(desk, long_number, 200);
  w = worker_in(j, id);
  assert_false(json_is_true(json_object_get(w, "on_site")));
  assert_string_equal(str(w, "last_out"), "2026-12-04T10:00:00+08:00");
  json_decref(j);

  j = attend(server.kiosk_token, "HJKMNPQR", 404);
  assert_string_equal(error_code(j), "not_found");
  json_decref(j);
  j = attend(server.kiosk_token, "12", 400);
  assert_string_equal(error_code(j), "invalid_field");
  json_decref(j);
}

/* A revoked pass is refused with the reason and whom to call; the desk
 * sees the refusal and the topic moves.  Check-out is never refused. */
static void a_revoked_pass_is_refused_but_may_check_out(void **state)
{
  (void)state;
  json_t *a = issue(desk, long_number, "{\"name\":\"钱八\",\"phone\":\"13400134000\"}", 201);
  json_t *b = issue(desk, long_number, "{\"name\":\"周九\",\"phone\":\"13300133000\"}", 201);
  char code_a[16], code_b[16];
  snprintf(code_a, sizeof code_a, "%s", str(a, "pass_code"));
  snprintf(code_b, sizeof code_b, "%s", str(b, "pass_code"));
  long long id_a = (long long)json_integer_value(json_object_get(a, "id"));
  long long id_b = (long long)json_integer_value(json_object_get(b, "id"));
  json_decref(a);
  json_decref(b);

  json_decref(worker_post(desk, id_a, "revoke", "{}", 400));
  json_t *j = worker_post(desk, id_a, "revoke", "{\"reason\":\"已离职\"}", 200);
  assert_string_equal(str(j, "status"), "revoked");
  assert_string_equal(str(j, "reason"), "已离职");
  json_decref(j);
  j = worker_post(desk, id_a, "revoke", "{\"reason\":\"again\"}", 409);
  assert_string_equal(error_code(j), "invalid_transition");
  json_decref(j);
  j = worker_post(desk, id_a, "renew", "{\"valid_until\":\"2027-01-01\"}", 409);
  assert_string_equal(error_code(j), "invalid_transition");
  json_decref(j);

  json_int_t renovations = topic("renovations");
  j = attend(server.kiosk_token, code_a, 409);
  assert_string_equal(error_code(j), "worker_pass_revoked");
  assert_non_null(strstr(error_message(j), "已作废"));
  assert_non_null(strstr(error_message(j), "front desk"));
  assert_string_equal(str(json_object_get(j, "error"), "contact"), phone);
  assert_string_equal(str(j, "contact"), phone);
  json_decref(j);
  assert_true(topic("renovations") > renovations);
  json_t *list = onsite_workers(desk);
  assert_int_equal(json_array_size(list), 0);
  json_decref(list);

  j = call("GET", "/api/v1/workers/refusals", desk, NULL, 200);
  json_t *refusals = json_object_get(j, "refusals");
  assert_int_equal(json_array_size(refusals), 1);
  json_t *f = json_array_get(refusals, 0);
  assert_string_equal(str(f, "at"), "2026-12-04T10:00:00+08:00");
  assert_string_equal(str(f, "kiosk"), "lobby-1");
  assert_int_equal(json_integer_value(json_object_get(json_object_get(f, "worker"), "id")), id_a);
  assert_string_equal(str(json_object_get(f, "worker"), "name"), "钱八");
  assert_string_equal(str(json_object_get(f, "worker"), "phone"), "13400134000");
  assert_string_equal(str(f, "renovation"), long_number);
  assert_string_equal(str(f, "company"), "美家装饰");
  assert_string_equal(str(json_object_get(f, "unit"), "room"), "301");
  assert_string_equal(str(f, "reason"), "worker_pass_revoked");
  json_decref(j);
  j = call("GET", "/api/v1/workers/refusals?since=2026-12-04T10:00:01%2B08:00", desk, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "refusals")), 0);
  json_decref(j);
  json_decref(call("GET", "/api/v1/workers/refusals?since=yesterday", desk, NULL, 400));

  /* On site, then revoked: the check-out still goes through. */
  json_decref(attend(server.kiosk_token, code_b, 200));
  json_decref(worker_post(desk, id_b, "revoke", "{\"reason\":\"违规动火\"}", 200));
  list = onsite_workers(desk);
  assert_int_equal(json_array_size(list), 1);
  json_decref(list);
  j = attend(server.kiosk_token, code_b, 200);
  assert_string_equal(str(j, "action"), "out");
  json_decref(j);
  list = onsite_workers(desk);
  assert_int_equal(json_array_size(list), 0);
  json_decref(list);
  json_decref(attend(server.kiosk_token, code_b, 409));
}

/* Finishing revokes every pass; nothing more happens to a finished one. */
static void finishing_revokes_the_passes(void **state)
{
  (void)state;
  json_t *j = registered("2026-12-01", "2026-12-20", 201);
  char number[32], code[16], on_site_code[16];
  snprintf(number, sizeof number, "%s", str(j, "number"));
  json_decref(j);
  j = issue(desk, number, "{\"name\":\"吴十\",\"phone\":\"13200132000\"}", 201);
  snprintf(code, sizeof code, "%s", str(j, "pass_code"));
  json_decref(j);
  j = issue(desk, number, "{\"name\":\"郑一\",\"phone\":\"13100131000\"}", 201);
  snprintf(on_site_code, sizeof on_site_code, "%s", str(j, "pass_code"));
  json_decref(j);
  json_decref(attend(server.kiosk_token, on_site_code, 200));
  j = event(desk, number, "{\"event\":\"finish\",\"note\":\"验收合格\"}", 200);
  assert_string_equal(str(j, "status"), "finished");
  assert_false(json_is_true(json_object_get(j, "expired")));
  assert_string_equal(str(json_array_get(json_object_get(j, "events"), 1), "note"), "验收合格");
  size_t i;
  json_t *w;
  json_array_foreach(json_object_get(j, "workers"), i, w) {
    assert_string_equal(str(w, "status"), "revoked");
    assert_string_equal(str(w, "reason"), ENDED_REASON);
    assert_true(json_is_true(json_object_get(w, "expired")));
  }
  assert_int_equal(json_integer_value(json_object_get(j, "workers_active")), 0);
  json_decref(j);
  j = attend(server.kiosk_token, code, 409);
  assert_string_equal(error_code(j), "worker_pass_revoked");
  json_decref(j);
  /* The one on site still leaves. */
  j = attend(server.kiosk_token, on_site_code, 200);
  assert_string_equal(str(j, "action"), "out");
  json_decref(j);
  j = issue(desk, number, "{\"name\":\"孙七\",\"phone\":\"13500135000\"}", 409);
  assert_string_equal(error_code(j), "renovation_not_active");
  json_decref(j);
  j = event(desk, number, "{\"event\":\"extend\",\"end\":\"2027-01-10\",\"reason\":\"x\"}", 409);
  assert_string_equal(error_code(j), "invalid_transition");
  json_decref(j);
  json_decref(event(desk, number, "{\"event\":\"cancel\",\"reason\":\"x\"}", 409));

  /* Cancelling gives the passes its reason. */
  j = registered("2026-12-04", "2026-12-31", 201);
  snprintf(number, sizeof number, "%s", str(j, "number"));
  json_decref(j);
  json_decref(issue(desk, number, "{\"name\":\"吴十\",\"phone\":\"13200132000\"}", 201));
  j = event(desk, number, "{\"event\":\"cancel\",\"reason\":\"业主取消装修\"}", 200);
  assert_string_equal(str(j, "status"), "cancelled");
  assert_string_equal(str(json_array_get(json_object_get(j, "workers"), 0), "reason"), "业主取消装修");
  json_decref(j);
}

/* Ending within 7 days is flagged and listed first; lists filter. */
static void renovations_ending_soon_are_listed_first(void **state)
{
  (void)state;
  json_t *j = registered("2026-12-01", "2026-12-08", 201);
  snprintf(short_number, sizeof short_number, "%s", str(j, "number"));
  assert_true(json_is_true(json_object_get(j, "ending_soon")));
  json_decref(j);
  j = issue(desk, short_number, "{\"name\":\"冯二\",\"phone\":\"13000130000\"}", 201);
  snprintf(short_code, sizeof short_code, "%s", str(j, "pass_code"));
  json_decref(j);
  j = call("GET", "/api/v1/renovations?ending_within_days=7", desk, NULL, 200);
  json_t *list = json_object_get(j, "renovations");
  assert_int_equal(json_array_size(list), 1);
  assert_string_equal(str(json_array_get(list, 0), "number"), short_number);
  json_decref(j);
  j = call("GET", "/api/v1/renovations", desk, NULL, 200);
  list = json_object_get(j, "renovations");
  /* Active ones by end, then the finished and cancelled, newest first. */
  assert_string_equal(str(json_array_get(list, 0), "number"), short_number);
  const char *last_end = "";
  bool ended = false;
  size_t i;
  json_t *r;
  json_array_foreach(list, i, r) {
    bool active = strcmp(str(r, "status"), "active") == 0;
    if (!active)
      ended = true;
    else {
      assert_false(ended);
      assert_true(strcmp(str(r, "end"), last_end) >= 0);
      last_end = str(r, "end");
    }
  }
  assert_true(ended);
  json_decref(j);
  j = call("GET", "/api/v1/renovations?status=finished", desk, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "renovations")), 1);
  json_decref(j);
  json_decref(call("GET", "/api/v1/renovations?ending_within_days=0", desk, NULL, 400));
  json_decref(call("GET", "/api/v1/renovations?status=expired", desk, NULL, 400));
  json_decref(get(desk, "F-20261204-0001", 404));
}

/* Kiosks check workers in and out only; the office does the rest;
 * technicians and guards reach none of it; another site sees nothing. */
static void who_may_do_what(void **state)
{
  (void)state;
  const char *k = server.kiosk_token;
  json_decref(call("GET", "/api/v1/renovations", k, NULL, 403));
  json_decref(get(k, long_number, 403));
  json_decref(registered("2026-12-04", "2026-12-30", 201));
  json_decref(call("POST", "/api/v1/renovations", k, "{}", 403));
  json_decref(event(k, long_number, "{\"event\":\"finish\"}", 403));
  json_decref(issue(k, long_number, "{\"name\":\"x\",\"phone\":\"13500135000\"}", 403));
  json_decref(worker_post(k, late_id, "revoke", "{\"reason\":\"x\"}", 403));
  json_decref(call("GET", "/api/v1/workers/refusals", k, NULL, 403));
  json_decref(call("GET", "/api/v1/visits/onsite", k, NULL, 403));
  json_decref(call("GET", "/api/v1/qr.svg?text=ABC", k, NULL, 403));
  const char *const outsiders[] = {tech, guard};
  for (int i = 0; i < 2; i++) {
    const char *t = outsiders[i];
    json_decref(call("GET", "/api/v1/renovations", t, NULL, 403));
    json_decref(get(t, long_number, 403));
    json_decref(call("POST", "/api/v1/renovations", t, "{}", 403));
    json_decref(event(t, long_number, "{\"event\":\"finish\"}", 403));
    json_decref(issue(t, long_number, "{\"name\":\"x\",\"phone\":\"13500135000\"}", 403));
    json_decref(worker_post(t, late_id, "renew", "{\"valid_until\":\"2026-12-20\"}", 403));
    json_decref(call("GET", "/api/v1/workers/refusals", t, NULL, 403));
    json_decref(attend(t, late_code, 403));
  }
  json_decref(call("GET", "/api/v1/qr.svg?text=ABC", guard, NULL, 403));
  /* Attendance is the kiosk's: staff use the desk's own endpoints. */
  json_decref(attend(desk, late_code, 403));

  /* Another site: nothing of main's. */
  json_t *j = call("GET", "/api/v1/renovations", desk_north, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "renovations")), 0);
  json_decref(j);
  json_decref(get(desk_north, long_number, 404));
  json_decref(event(desk_north, long_number, "{\"event\":\"finish\"}", 404));
  json_decref(issue(desk_north, long_number, "{\"name\":\"x\",\"phone\":\"13500135000\"}", 404));
  json_decref(worker_post(desk_north, late_id, "revoke", "{\"reason\":\"x\"}", 404));
  json_decref(worker_post(desk_north, late_id, "renew", "{\"valid_until\":\"2026-12-05\"}", 404));
  j = call("GET", "/api/v1/workers/refusals", desk_north, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "refusals")), 0);
  json_decref(j);
  json_decref(attend(server.kiosk_token, late_code, 200));   /* in, at main */
  j = onsite_workers(desk_north);
  assert_int_equal(json_array_size(j), 0);
  json_decref(j);
  j = attend(kiosk_north, late_code, 404);
  assert_string_equal(error_code(j), "not_found");
  json_decref(j);
  json_decref(attend(server.kiosk_token, late_code, 200));   /* out */
  json_decref(worker_post(desk, 999999, "revoke", "{\"reason\":\"x\"}", 404));
  json_decref(worker_post(desk, 0, "revoke", "{\"reason\":\"x\"}", 404));
}

/* A QR code as SVG for the pass card; bad text is refused. */
static void the_pass_card_gets_its_qr_as_svg(void **state)
{
  (void)state;
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/qr.svg?text=ABCDEFGH", desk, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "Content-Type: image/svg+xml"));
  assert_non_null(strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  assert_non_null(strstr(r.body, "<path fill=\"#000\" d=\"M"));
  assert_non_null(strstr(r.body, "</svg>"));
  test_response_free(&r);
  json_decref(call("GET", "/api/v1/qr.svg", desk, NULL, 400));
  json_decref(call("GET", "/api/v1/qr.svg?text=", desk, NULL, 400));
  json_decref(call("GET", "/api/v1/qr.svg?text=%E7%8E%8B", desk, NULL, 400));
  json_decref(call("GET", "/api/v1/qr.svg?text=a%0Ab", desk, NULL, 400));
  char path[128] = "/api/v1/qr.svg?text=";
  for (int i = 0; i < 65; i++)
    strcat(path, "A");
  json_decref(call("GET", path, desk, NULL, 400));
  path[strlen(path) - 1] = '\0';
  json_decref(call("GET", path, tech, NULL, 200));
}

/* A kiosk's wrong codes count against the visitors' checkout limiter. */
static void wrong_codes_are_limited_like_visitors_checkouts(void **state)
{
  (void)state;
  char token[64];
  assert_int_equal(test_kiosk(&server, "lobby-guess", "1", "east", token), 0);
  int limited = 0, not_found = 0;
  for (int i = 0; i < 22; i++) {
    test_response r;
    char body[64];
    snprintf(body, sizeof body, "{\"pass_code\":\"HJKMNP%c%c\"}", "ACDEFGHJKMNPQRTUVWXY"[i % 20],
             "ACDEFGHJKMNPQRTUVWXY"[i / 20]);
    assert_int_equal(test_http(&server, "POST", "/api/v1/workers/attendance", token, body, NULL, &r), 0);
    if (r.status == 429) {
      limited++;
      assert_non_null(strstr(r.headers, "Retry-After:"));
    } else {
      assert_int_equal(r.status, 404);
      not_found++;
    }
    test_response_free(&r);
  }
  assert_int_equal(not_found, 20);
  assert_int_equal(limited, 2);
}

/* A week on: the pass valid to 5 December is expired, the renovation that
 * ended on 8 December too; both refused with their reasons and listed. */
static void expired_passes_are_refused_with_the_reason(void **state)
{
  (void)state;
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", A_WEEK_LATER);
  assert_int_equal(test_server_restart(&server), 0);
  json_int_t renovations = topic("renovations");
  json_t *j = attend(server.kiosk_token, late_code, 409);
  assert_string_equal(error_code(j), "worker_pass_expired");
  assert_non_null(strstr(error_message(j), "已过期"));
  assert_non_null(strstr(error_message(j), "expired"));
  assert_string_equal(str(json_object_get(j, "error"), "contact"), phone);
  json_decref(j);
  assert_true(topic("renovations") > renovations);
  j = attend(server.kiosk_token, short_code, 409);
  assert_string_equal(error_code(j), "renovation_not_active");
  json_decref(j);
  j = call("GET", "/api/v1/workers/refusals?since=2026-12-11T00:00:00%2B08:00", desk, NULL, 200);
  json_t *list = json_object_get(j, "refusals");
  assert_int_equal(json_array_size(list), 2);
  assert_string_equal(str(json_array_get(list, 0), "reason"), "renovation_not_active");
  assert_string_equal(str(json_array_get(list, 1), "reason"), "worker_pass_expired");
  assert_string_equal(str(json_array_get(list, 1), "at"), "2026-12-11T10:00:00+08:00");
  json_decref(j);

  j = get(desk, short_number, 200);
  assert_true(json_is_true(json_object_get(j, "expired")));
  assert_false(json_is_true(json_object_get(j, "ending_soon")));
  assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j, "workers"), 0), "expired")));
  json_decref(j);
  j = issue(desk, short_number, "{\"name\":\"孙七\",\"phone\":\"13500135000\"}", 409);
  assert_string_equal(error_code(j), "renovation_not_active");
  json_decref(j);
  /* Renewing the pass lets its worker in again. */
  j = worker_post(desk, late_id, "renew", "{\"valid_until\":\"2026-12-10\"}", 400);
  assert_string_equal(error_field(j), "valid_until");
  json_decref(j);
  j = worker_post(desk, late_id, "renew", "{\"valid_until\":\"2026-12-31\"}", 200);
  assert_string_equal(str(j, "valid_until"), "2026-12-31");
  assert_false(json_is_true(json_object_get(j, "expired")));
  json_decref(j);
  j = attend(server.kiosk_token, late_code, 200);
  assert_string_equal(str(j, "action"), "in");
  json_decref(j);
  /* Extending the expired renovation makes it live again. */
  j = event(desk, short_number, "{\"event\":\"extend\",\"end\":\"2026-12-15\",\"reason\":\"延期\"}", 200);
  assert_false(json_is_true(json_object_get(j, "expired")));
  assert_true(json_is_true(json_object_get(j, "ending_soon")));
  json_decref(j);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_desk_registers_within_three_months),
    cmocka_unit_test(an_extension_is_later_within_three_months_with_a_reason),
    cmocka_unit_test(passes_are_issued_with_unique_codes),
    cmocka_unit_test(a_worker_checks_in_and_out_at_the_kiosk),
    cmocka_unit_test(a_revoked_pass_is_refused_but_may_check_out),
    cmocka_unit_test(finishing_revokes_the_passes),
    cmocka_unit_test(renovations_ending_soon_are_listed_first),
    cmocka_unit_test(who_may_do_what),
    cmocka_unit_test(the_pass_card_gets_its_qr_as_svg),
    cmocka_unit_test(wrong_codes_are_limited_like_visitors_checkouts),
    cmocka_unit_test(expired_passes_are_refused_with_the_reason),
  };
  return cmocka_run_group_tests_name("renovations", tests, setup, teardown);
}
