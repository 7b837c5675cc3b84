/* Item-release passes (物品放行) end to end: a real lobbyd (SQLite, or
 * PostgreSQL under tests/support/with_postgres.sh), real HTTP, kiosk
 * lobby-1 and the demo directory, and a second site "north".  The
 * server's clock starts at Friday 2026-12-04 10:00 (+08:00); the last
 * case restarts it a week on, when the passes for 4 and 5 December have
 * expired. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"

#define FRIDAY_10AM 1796349600      /* 2026-12-04T10:00:00+08:00 */
#define A_WEEK_LATER (FRIDAY_10AM + 7 * 86400)
#define TODAY "2026-12-04"
#define TOMORROW "2026-12-05"

static test_server server;
static char desk[64], tech[64], guard[64], guard_north[64], desk_north[64];

static const char *key_header(char *buf, size_t size)
{
  static unsigned counter;
  snprintf(buf, size, "Idempotency-Key: releases-%ld-%u", (long)getpid(), ++counter);
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

/* A pass for 1-2-301 on date, the applicant 王芳 13800138000. */
static void body_for(const char *date, char *body, size_t size)
{
  snprintf(body, size,
           "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},"
           "\"items\":\"旧沙发一张、纸箱三个\",\"date\":\"%s\",\"plate\":\"京A12345\","
           "\"name\":\"王芳\",\"phone\":\"13800138000\"}", date);
}

static void apply(const char *token, const char *date, char number[32])
{
  char body[400];
  body_for(date, body, sizeof body);
  json_t *j = call("POST", "/api/v1/releases", token, body, 201);
  snprintf(number, 32, "%s", str(j, "number"));
  json_decref(j);
}

/* The desk's event on number; returns the record. */
static json_t *event(const char *token, const char *number, const char *body, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/releases/%s/events", number);
  return call("POST", path, token, body, status);
}

/* Applies for date, has the desk approve it; the code in code. */
static void approved(const char *date, char number[32], char code[8])
{
  apply(server.kiosk_token, date, number);
  json_t *j = event(desk, number, "{\"event\":\"approve\",\"verified\":true}", 200);
  snprintf(code, 8, "%s", str(j, "code"));
  json_decref(j);
}

static json_t *gate(const char *token, const char *code, long status)
{
  char path[64];
  snprintf(path, sizeof path, "/api/v1/gate/%s", code);
  return call("GET", path, token, NULL, status);
}

static json_t *use(const char *token, const char *code, long status)
{
  char path[64];
  snprintf(path, sizeof path, "/api/v1/gate/%s/use", code);
  return call("POST", path, token, "{}", status);
}

static json_t *lookup(const char *number, const char *last4, long status)
{
  char path[128];
  snprintf(path, sizeof path, "/api/v1/releases/lookup?number=%s&phone_last4=%s", number, last4);
  return call("GET", path, server.kiosk_token, NULL, status);
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
  j = test_admin(&server, "POST", "/api/v1/staff",
                 "{\"name\":\"guard-north\",\"role\":\"guard\",\"sites\":[\"north\"]}", 201);
  snprintf(guard_north, sizeof guard_north, "%s", str(j, "token"));
  json_decref(j);
  return desk_north[0] && guard_north[0] ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* The first pass of the day is F-20261204-0001; a retry with the same
 * key files nothing new, and the console's topic moves. */
static void a_kiosk_applies_and_a_replay_files_nothing_new(void **state)
{
  (void)state;
  char body[400];
  body_for(TOMORROW, body, sizeof body);
  json_t *before = test_admin(&server, "GET", "/api/v1/events", NULL, 200);
  const char *headers[] = {"Idempotency-Key: release-retry-1", NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/releases", server.kiosk_token, body,
                             headers, &r), 0);
  assert_int_equal(r.status, 201);
  assert_string_equal(str(r.json, "number"), "F-20261204-0001");
  assert_string_equal(str(r.json, "status"), "submitted");
  assert_string_equal(str(r.json, "date"), TOMORROW);
  assert_string_equal(str(r.json, "created_at"), "2026-12-04T10:00:00+08:00");
  assert_false(r.replayed);
  test_response_free(&r);
  json_t *after = test_admin(&server, "GET", "/api/v1/events", NULL, 200);
  /* The topic's counter moved (with PostgreSQL it is the shared
   * sequence's number, so only "later" is certain). */
  assert_true(json_integer_value(json_object_get(after, "releases")) >
              json_integer_value(json_object_get(before, "releases")));
  json_decref(before);
  json_decref(after);
  assert_int_equal(test_http(&server, "POST", "/api/v1/releases", server.kiosk_token, body,
                             headers, &r), 0);
  assert_int_equal(r.status, 201);
  assert_true(r.replayed);
  assert_string_equal(str(r.json, "number"), "F-20261204-0001");
  test_response_free(&r);
  json_t *j = test_admin(&server, "GET", "/api/v1/releases", NULL, 200);
  json_t *list = json_object_get(j, "releases");
  assert_int_equal(json_array_size(list), 1);
  json_t *p = json_array_get(list, 0);
  assert_string_equal(str(p, "site"), "main");
  assert_string_equal(str(p, "source"), "kiosk");
  assert_string_equal(str(p, "name"), "王芳");
  assert_string_equal(str(p, "phone"), "13800138000");
  assert_string_equal(str(p, "plate"), "京A12345");
  assert_string_equal(str(p, "items"), "旧沙发一张、纸箱三个");
  assert_string_equal(str(json_object_get(p, "unit"), "room"), "301");
  assert_true(json_is_null(json_object_get(p, "code")));
  assert_true(json_is_null(json_object_get(p, "reason")));
  assert_true(json_is_null(json_object_get(p, "decided_by")));
  assert_true(json_is_null(json_object_get(p, "used_at")));
  assert_false(json_is_true(json_object_get(p, "expired")));
  json_decref(j);
  /* Without a key nothing is filed. */
  test_response nokey;
  assert_int_equal(test_http(&server, "POST", "/api/v1/releases", server.kiosk_token, body, NULL,
                             &nokey), 0);
  assert_int_equal(nokey.status, 400);
  test_response_free(&nokey);
}

static void refused_field(const char *token, const char *body, const char *field)
{
  json_t *j = call("POST", "/api/v1/releases", token, body, 400);
  assert_string_equal(error_field(j), field);
  json_decref(j);
}

#define UNIT "\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"}"
#define WHO "\"name\":\"王芳\",\"phone\":\"13800138000\""

/* Each bad field is refused with its name. */
static void bad_fields_each_name_their_field(void **state)
{
  (void)state;
  const char *k = server.kiosk_token;
  refused_field(k, "{\"items\":\"沙发\",\"date\":\"" TOMORROW "\"," WHO "}", "unit");
  refused_field(k, "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"999\"},\"items\":\"沙发\","
                   "\"date\":\"" TOMORROW "\"," WHO "}", "unit");
  refused_field(k, "{\"unit\":{\"building\":\"N1\",\"unit\":\"1\",\"room\":\"101\"},\"items\":\"沙发\","
                   "\"date\":\"" TOMORROW "\"," WHO "}", "unit");   /* another site's room */
  refused_field(k, "{" UNIT ",\"items\":\"\",\"date\":\"" TOMORROW "\"," WHO "}", "items");
  char body[1400], items[800] = "";
  for (int i = 0; i < 201; i++)
    strcat(items, "箱");
  snprintf(body, sizeof body, "{" UNIT ",\"items\":\"%s\",\"date\":\"" TOMORROW "\"," WHO "}", items);
  refused_field(k, body, "items");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"2026-12-03\"," WHO "}", "date");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"2026-12-19\"," WHO "}", "date");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"2026-12-5\"," WHO "}", "date");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\"," WHO "}", "date");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TOMORROW "\",\"plate\":\"京A123456789X\","
                   WHO "}", "plate");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TOMORROW "\",\"phone\":\"13800138000\"}",
                "name");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TOMORROW "\",\"name\":\"王芳\","
                   "\"phone\":\"12345\"}", "phone");
  refused_field(k, "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TOMORROW "\"," WHO ",\"source\":\"phone\"}",
                "source");
  refused_field(desk, "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TOMORROW "\"," WHO ",\"source\":\"fax\"}",
                "source");
  refused_field(desk, "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TOMORROW "\"," WHO ",\"site\":\"north\"}",
                "unit");
  /* The last day of the window, today, and the desk's phone entry. */
  json_decref(call("POST", "/api/v1/releases", k,
                   "{" UNIT ",\"items\":\"沙发\",\"date\":\"2026-12-18\"," WHO "}", 201));
  json_decref(call("POST", "/api/v1/releases", k,
                   "{" UNIT ",\"items\":\"沙发\",\"date\":\"" TODAY "\"," WHO "}", 201));
  json_t *j = call("POST", "/api/v1/releases", desk,
                   "{" UNIT ",\"items\":\"冰箱\",\"date\":\"" TODAY "\"," WHO ",\"source\":\"phone\","
                   "\"site\":\"main\"}", 201);
  char path[64];
  snprintf(path, sizeof path, "/api/v1/releases/%s", str(j, "number"));
  json_decref(j);
  j = call("GET", path, desk, NULL, 200);
  assert_string_equal(str(j, "source"), "phone");
  assert_true(json_is_null(json_object_get(j, "plate")));
  json_decref(j);
}

/* The desk approves (having checked the applicant), the resident reads
 * the code at the kiosk, the guard checks it and lets things out once. */
static void approved_code_is_checked_and_used_once(void **state)
{
  (void)state;
  char number[32], code[8], path[96];
  apply(server.kiosk_token, TODAY, number);
  json_t *j = event(desk, number, "{\"event\":\"approve\"}", 400);
  assert_string_equal(error_code(j), "missing_field");
  assert_string_equal(error_field(j), "verified");
  json_decref(j);
  j = event(desk, number, "{\"event\":\"approve\",\"verified\":false}", 400);
  assert_string_equal(error_field(j), "verified");
  json_decref(j);
  /* Before approval the kiosk shows no code. */
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "status"), "submitted");
  assert_true(json_is_null(json_object_get(j, "code")));
  json_decref(j);
  j = event(desk, number, "{\"event\":\"approve\",\"verified\":true,\"note\":\"已核对业主身份\"}", 200);
  assert_string_equal(str(j, "status"), "approved");
  snprintf(code, sizeof code, "%s", str(j, "code"));
  assert_int_equal(strlen(code), 6);
  assert_int_equal(strspn(code, "0123456789"), 6);
  assert_string_equal(str(j, "decided_by"), "desk-1");
  assert_string_equal(str(j, "decided_at"), "2026-12-04T10:00:00+08:00");
  json_decref(j);
  j = event(desk, number, "{\"event\":\"approve\",\"verified\":true}", 409);
  assert_string_equal(error_code(j), "invalid_transition");
  json_decref(j);

  /* The resident's look-up: the code, without name, phone or unit. */
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "status"), "approved");
  assert_string_equal(str(j, "code"), code);
  assert_string_equal(str(j, "date"), TODAY);
  assert_string_equal(str(j, "items"), "旧沙发一张、纸箱三个");
  assert_false(json_is_true(json_object_get(j, "expired")));
  assert_null(json_object_get(j, "name"));
  assert_null(json_object_get(j, "phone"));
  assert_null(json_object_get(j, "unit"));
  json_decref(j);
  json_t *wrong = lookup(number, "1234", 404);
  json_t *unknown = lookup("F-20261204-0999", "8000", 404);
  assert_string_equal(error_code(wrong), error_code(unknown));
  assert_string_equal(str(json_object_get(wrong, "error"), "message"),
                      str(json_object_get(unknown, "error"), "message"));
  json_decref(wrong);
  json_decref(unknown);
  json_decref(lookup("C-20261204-0001", "8000", 400));

  /* The guard's check: what may leave, the name masked, no phone. */
  j = gate(guard, code, 200);
  assert_string_equal(str(j, "number"), number);
  assert_true(json_is_true(json_object_get(j, "valid")));
  assert_true(json_is_null(json_object_get(j, "reason")));
  assert_string_equal(str(j, "status"), "approved");
  assert_string_equal(str(j, "name"), "王*");
  assert_null(json_object_get(j, "phone"));
  assert_string_equal(str(json_object_get(j, "unit"), "building"), "1");
  assert_string_equal(str(j, "items"), "旧沙发一张、纸箱三个");
  assert_string_equal(str(j, "plate"), "京A12345");
  assert_string_equal(str(j, "date"), TODAY);
  json_decref(j);

  j = use(guard, code, 200);
  assert_string_equal(str(j, "status"), "used");
  assert_string_equal(str(j, "used_by"), "门岗老张");
  assert_string_equal(str(j, "used_at"), "2026-12-04T10:00:00+08:00");
  assert_false(json_is_true(json_object_get(j, "valid")));
  assert_string_equal(str(j, "reason"), "used");
  json_decref(j);
  /* A second use is refused, naming when and by whom. */
  j = use(guard, code, 409);
  assert_string_equal(error_code(j), "release_used");
  assert_non_null(strstr(str(json_object_get(j, "error"), "message"), "门岗老张"));
  assert_non_null(strstr(str(json_object_get(j, "error"), "message"), "2026-12-04T10:00"));
  assert_string_equal(str(json_object_get(j, "release"), "used_by"), "门岗老张");
  json_decref(j);
  j = gate(guard, code, 200);
  assert_false(json_is_true(json_object_get(j, "valid")));
  assert_string_equal(str(j, "reason"), "used");
  json_decref(j);
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "status"), "used");
  assert_true(json_is_null(json_object_get(j, "code")));
  assert_string_equal(str(j, "used_at"), "2026-12-04T10:00:00+08:00");
  json_decref(j);
  json_decref(event(desk, number, "{\"event\":\"cancel\",\"reason\":\"x\"}", 409));

  snprintf(path, sizeof path, "/api/v1/releases/%s", number);
  j = call("GET", path, desk, NULL, 200);
  json_t *events = json_object_get(j, "events");
  assert_int_equal(json_array_size(events), 3);
  assert_string_equal(str(json_array_get(events, 0), "event"), "submit");
  assert_string_equal(str(json_array_get(events, 0), "by_role"), "kiosk");
  assert_string_equal(str(json_array_get(events, 1), "event"), "approve");
  assert_string_equal(str(json_array_get(events, 1), "note"), "已核对业主身份");
  assert_string_equal(str(json_array_get(events, 1), "by"), "desk-1");
  assert_string_equal(str(json_array_get(events, 2), "event"), "use");
  assert_string_equal(str(json_array_get(events, 2), "by"), "门岗老张");
  assert_string_equal(str(json_array_get(events, 2), "by_role"), "guard");
  assert_null(json_object_get(json_array_get(events, 2), "reason"));
  assert_string_equal(str(j, "phone"), "13800138000");
  json_decref(j);
}

typedef struct {
  const char *code;
  long status;
  char error[32];
} racer;

static void *race_use(void *arg)
{
  racer *r = arg;
  char path[64];
  test_response resp;
  snprintf(path, sizeof path, "/api/v1/gate/%s/use", r->code);
  if (test_http(&server, "POST", path, server.admin_token, "{}", NULL, &resp) == 0) {
    r->status = resp.status;
    snprintf(r->error, sizeof r->error, "%s", error_code(resp.json));
    test_response_free(&resp);
  }
  return NULL;
}

/* Of eight uses at once exactly one lets the things out. */
static void racing_uses_let_out_exactly_once(void **state)
{
  (void)state;
  char number[32], code[8];
  approved(TODAY, number, code);
  racer racers[8];
  pthread_t threads[8];
  for (int i = 0; i < 8; i++) {
    racers[i] = (racer){.code = code};
    assert_int_equal(pthread_create(&threads[i], NULL, race_use, &racers[i]), 0);
  }
  int ok = 0, used = 0;
  for (int i = 0; i < 8; i++) {
    pthread_join(threads[i], NULL);
    if (racers[i].status == 200)
      ok++;
    else if (racers[i].status == 409 && strcmp(racers[i].error, "release_used") == 0)
      used++;
  }
  assert_int_equal(ok, 1);
  assert_int_equal(used, 7);
  char path[96];
  snprintf(path, sizeof path, "/api/v1/releases/%s", number);
  json_t *j = call("GET", path, desk, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "events")), 3);
  json_decref(j);
}

/* A refused or cancelled pass says why, at the kiosk and at the gate. */
static void refused_and_cancelled_passes_say_why(void **state)
{
  (void)state;
  char number[32], code[8];
  apply(server.kiosk_token, TOMORROW, number);
  json_t *j = event(desk, number, "{\"event\":\"refuse\"}", 400);
  assert_string_equal(error_field(j), "reason");
  json_decref(j);
  json_decref(event(desk, number, "{\"event\":\"cancel\",\"reason\":\"x\"}", 409));
  j = event(desk, number, "{\"event\":\"refuse\",\"reason\":\"申请人非该户业主或住户\"}", 200);
  assert_string_equal(str(j, "status"), "refused");
  assert_string_equal(str(j, "reason"), "申请人非该户业主或住户");
  assert_true(json_is_null(json_object_get(j, "code")));
  json_decref(j);
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "status"), "refused");
  assert_string_equal(str(j, "reason"), "申请人非该户业主或住户");
  assert_true(json_is_null(json_object_get(j, "code")));
  json_decref(j);
  json_decref(event(desk, number, "{\"event\":\"approve\",\"verified\":true}", 409));

  approved(TODAY, number, code);
  j = event(desk, number, "{\"event\":\"cancel\",\"reason\":\"业主来电取消\"}", 200);
  assert_string_equal(str(j, "status"), "cancelled");
  json_decref(j);
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "status"), "cancelled");
  assert_string_equal(str(j, "reason"), "业主来电取消");
  assert_true(json_is_null(json_object_get(j, "code")));
  json_decref(j);
  j = gate(guard, code, 200);
  assert_false(json_is_true(json_object_get(j, "valid")));
  assert_string_equal(str(j, "reason"), "cancelled");
  json_decref(j);
  j = use(guard, code, 409);
  assert_string_equal(error_code(j), "release_not_approved");
  json_decref(j);
  json_decref(gate(guard, "000000", 404));
  j = gate(guard, "12345", 400);
  assert_string_equal(error_code(j), "invalid_field");
  json_decref(j);
}

/* A pass for tomorrow is not yet good today. */
static void a_pass_for_tomorrow_is_not_yet_valid(void **state)
{
  (void)state;
  char number[32], code[8];
  approved(TOMORROW, number, code);
  json_t *j = gate(guard, code, 200);
  assert_false(json_is_true(json_object_get(j, "valid")));
  assert_string_equal(str(j, "reason"), "not_yet");
  json_decref(j);
  j = use(guard, code, 409);
  assert_string_equal(error_code(j), "release_not_yet");
  assert_non_null(strstr(str(json_object_get(j, "error"), "message"), TOMORROW));
  json_decref(j);
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "code"), code);
  json_decref(j);
}

/* Kiosks apply and look up; the office decides; guards reach the gate
 * only; a desk of another site sees none of this site's passes. */
static void who_may_do_what(void **state)
{
  (void)state;
  char number[32], code[8], path[96];
  approved(TOMORROW, number, code);
  snprintf(path, sizeof path, "/api/v1/releases/%s", number);
  static const char *const guard_forbidden[] = {
    "/api/v1/repairs", "/api/v1/complaints", "/api/v1/visits", "/api/v1/staff",
    "/api/v1/releases", "/api/v1/notices", "/api/v1/events"};
  for (size_t i = 0; i < sizeof guard_forbidden / sizeof guard_forbidden[0]; i++)
    json_decref(call("GET", guard_forbidden[i], guard, NULL, 403));
  json_decref(call("GET", path, guard, NULL, 403));
  json_decref(call("POST", "/api/v1/releases", guard, "{}", 403));
  json_decref(event(guard, number, "{\"event\":\"cancel\",\"reason\":\"x\"}", 403));
  json_decref(call("GET", "/api/v1/sites", guard, NULL, 200));
  json_decref(call("GET", "/api/v1/session", guard, NULL, 200));

  json_decref(call("GET", "/api/v1/releases", server.kiosk_token, NULL, 403));
  json_decref(call("GET", path, server.kiosk_token, NULL, 403));
  json_decref(event(server.kiosk_token, number, "{\"event\":\"cancel\",\"reason\":\"x\"}", 403));
  json_decref(gate(server.kiosk_token, code, 403));
  json_decref(use(server.kiosk_token, code, 403));
  json_decref(call("GET", "/api/v1/releases", tech, NULL, 403));
  json_decref(gate(tech, code, 403));

  /* Another site's desk and guard: nothing of main's. */
  json_t *j = call("GET", "/api/v1/releases", desk_north, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "releases")), 0);
  json_decref(j);
  json_decref(call("GET", path, desk_north, NULL, 404));
  json_decref(event(desk_north, number, "{\"event\":\"cancel\",\"reason\":\"x\"}", 404));
  j = gate(guard_north, code, 404);
  assert_string_equal(error_code(j), "release_not_found");
  json_decref(j);
  json_decref(use(desk_north, code, 404));
  /* The office may check at the gate too. */
  json_decref(gate(desk, code, 200));
  /* A guard signs in to the console with a password like other staff. */
  json_decref(test_admin(&server, "POST", "/api/v1/staff",
                         "{\"name\":\"guard-console\",\"role\":\"guard\","
                         "\"password\":\"gate-keeper-pass-7\"}", 201));
  json_t *session = call("POST", "/api/v1/session", NULL,
                         "{\"name\":\"guard-console\",\"password\":\"gate-keeper-pass-7\"}", 200);
  assert_string_equal(str(session, "role"), "guard");
  json_decref(session);
}

static void lists_filter_by_status_and_date(void **state)
{
  (void)state;
  json_t *j = test_admin(&server, "GET", "/api/v1/releases?status=submitted", NULL, 200);
  size_t i;
  json_t *p;
  assert_true(json_array_size(json_object_get(j, "releases")) >= 3);
  json_array_foreach(json_object_get(j, "releases"), i, p)
    assert_string_equal(str(p, "status"), "submitted");
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/releases?date=" TOMORROW "&status=approved", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "releases")), 2);
  json_array_foreach(json_object_get(j, "releases"), i, p)
    assert_string_equal(str(p, "date"), TOMORROW);
  json_decref(j);
  /* Newest first. */
  j = test_admin(&server, "GET", "/api/v1/releases?limit=2", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "releases")), 2);
  assert_true(strcmp(str(json_array_get(json_object_get(j, "releases"), 0), "number"),
                     str(json_array_get(json_object_get(j, "releases"), 1), "number")) > 0);
  json_decref(j);
  json_decref(test_admin(&server, "GET", "/api/v1/releases?limit=0", NULL, 400));
  json_decref(test_admin(&server, "GET", "/api/v1/releases?status=expired", NULL, 400));
  json_decref(test_admin(&server, "GET", "/api/v1/releases?date=2026-13-01", NULL, 400));
  json_decref(test_admin(&server, "GET", "/api/v1/releases?site=north", NULL, 200));
}

/* A guard's checks are limited (30 a minute), so codes cannot be walked. */
static void a_guards_checks_are_rate_limited(void **state)
{
  (void)state;
  char token[64];
  assert_int_equal(test_staff(&server, "guard-busy", "guard", token), 0);
  int limited = 0, not_found = 0;
  for (int i = 0; i < 35; i++) {
    test_response r;
    char path[64];
    snprintf(path, sizeof path, "/api/v1/gate/%06d", 100 + i);
    assert_int_equal(test_http(&server, "GET", path, token, NULL, NULL, &r), 0);
    if (r.status == 429) {
      limited++;
      assert_non_null(strstr(r.headers, "Retry-After:"));
    } else {
      assert_int_equal(r.status, 404);
      not_found++;
    }
    test_response_free(&r);
  }
  assert_int_equal(not_found, 30);
  assert_int_equal(limited, 5);
  /* Another guard's allowance is their own. */
  json_decref(gate(guard, "000100", 404));
}

/* A week later the passes of 4 and 5 December are expired: refused at
 * the gate, without a code at the kiosk. */
static void expired_passes_are_refused(void **state)
{
  (void)state;
  char number[32], code[8];
  approved(TOMORROW, number, code);
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", A_WEEK_LATER);
  assert_int_equal(test_server_restart(&server), 0);
  json_t *j = gate(guard, code, 200);
  assert_false(json_is_true(json_object_get(j, "valid")));
  assert_string_equal(str(j, "reason"), "expired");
  json_decref(j);
  j = use(guard, code, 409);
  assert_string_equal(error_code(j), "release_expired");
  assert_non_null(strstr(str(json_object_get(j, "error"), "message"), TOMORROW));
  json_decref(j);
  j = lookup(number, "8000", 200);
  assert_string_equal(str(j, "status"), "approved");
  assert_true(json_is_true(json_object_get(j, "expired")));
  assert_true(json_is_null(json_object_get(j, "code")));
  json_decref(j);
  char path[96];
  snprintf(path, sizeof path, "/api/v1/releases/%s", number);
  j = call("GET", path, desk, NULL, 200);
  assert_true(json_is_true(json_object_get(j, "expired")));
  json_decref(j);
  /* The window moved with the clock. */
  char body[400];
  body_for(TOMORROW, body, sizeof body);
  j = call("POST", "/api/v1/releases", server.kiosk_token, body, 400);
  assert_string_equal(error_field(j), "date");
  json_decref(j);
  body_for("2026-12-11", body, sizeof body);
  j = call("POST", "/api/v1/releases", server.kiosk_token, body, 201);
  assert_string_equal(str(j, "number"), "F-20261211-0001");
  json_decref(j);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_kiosk_applies_and_a_replay_files_nothing_new),
    cmocka_unit_test(bad_fields_each_name_their_field),
    cmocka_unit_test(approved_code_is_checked_and_used_once),
    cmocka_unit_test(racing_uses_let_out_exactly_once),
    cmocka_unit_test(refused_and_cancelled_passes_say_why),
    cmocka_unit_test(a_pass_for_tomorrow_is_not_yet_valid),
    cmocka_unit_test(who_may_do_what),
    cmocka_unit_test(lists_filter_by_status_and_date),
    cmocka_unit_test(a_guards_checks_are_rate_limited),
    cmocka_unit_test(expired_passes_are_refused),
  };
  return cmocka_run_group_tests_name("releases", tests, setup, teardown);
}
