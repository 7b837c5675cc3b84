/* A kiosk's token can neither guess pass codes, flood the ledger nor touch
 * another kiosk's visits (issue 11): failed checkouts and submissions are
 * limited per kiosk (429 with Retry-After), new pass codes have 8
 * characters while old 6-character ones still sign out, and a visit made
 * at one kiosk does not exist for another.  A real lobbyd with the
 * shipped limits, real HTTP, the real database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"

#define VISIT_BODY                                                                   \
  "{\"name\":\"李四\",\"phone\":\"13900001111\",\"host\":\"1-2-301\","             \
  "\"purpose\":\"family\"}"
#define REPAIR_BODY                                                                  \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","  \
  "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","            \
  "\"urgency\":\"normal\",\"preferred_time\":null,\"description\":\"厨房水龙头漏水\"}"

static test_server server;

static int setup(void **state)
{
  (void)state;
  /* The limits config/lobbyd.ini ships, not the suites' lenient ones. */
  snprintf(server.ini, sizeof server.ini,
           "[visits]\ncheckout_failures_per_hour = 20\n"
           "[limits]\nkiosk_submissions_per_minute = 6\n");
  return test_server_start(&server);
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

static const char *key_header(char *buf, size_t size)
{
  static unsigned counter;
  snprintf(buf, size, "Idempotency-Key: guess-%ld-%u", (long)getpid(), ++counter);
  return buf;
}

static const char *error_code(const test_response *r)
{
  return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

/* A 429 in the API's shape: the JSON error object and a Retry-After of
 * at least a second and at most the limit's window. */
static void assert_limited(const test_response *r, long max_s)
{
  assert_int_equal(r->status, 429);
  assert_non_null(r->json);
  assert_string_equal(error_code(r), "rate_limited");
  const char *h = strstr(r->headers, "Retry-After: ");
  assert_non_null(h);
  long s = strtol(h + 13, NULL, 10);
  assert_true(s >= 1 && s <= max_s);
}

static void post(const char *path, const char *token, const char *body, test_response *r)
{
  char key[80];
  const char *h[] = {key_header(key, sizeof key), NULL};
  assert_int_equal(test_http(&server, "POST", path, token, body, h, r), 0);
}

/* Files a visit at a kiosk; returns the answer (201) for the caller to free. */
static void visit_at(const char *token, test_response *r)
{
  post("/api/v1/visits", token, VISIT_BODY, r);
  assert_int_equal(r->status, 201);
}

static long checkout(const char *token, const char *code)
{
  char body[64];
  test_response r;
  snprintf(body, sizeof body, "{\"pass_code\":\"%s\"}", code);
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits/checkout", token, body, NULL, &r), 0);
  long status = r.status;
  if (status == 429)
    assert_limited(&r, 3600);
  test_response_free(&r);
  return status;
}

static size_t stored(const char *path, const char *list)
{
  json_t *all = test_admin(&server, "GET", path, NULL, 200);
  assert_non_null(all);
  size_t n = json_array_size(json_object_get(all, list));
  json_decref(all);
  return n;
}

/* The 21st failed checkout in an hour is 429, a right code included;
 * another kiosk still gets its own 20; successes spend nothing. */
static void checkout_failures_are_limited_per_kiosk(void **state)
{
  (void)state;
  char other[64];
  test_response v;
  assert_int_equal(test_kiosk(&server, "lobby-2", "1", "east", other), 0);
  /* Two successful sign-outs first: they do not count. */
  for (int i = 0; i < 2; i++) {
    visit_at(server.kiosk_token, &v);
    assert_int_equal(checkout(server.kiosk_token,
                              json_string_value(json_object_get(v.json, "pass_code"))), 200);
    test_response_free(&v);
  }
  visit_at(server.kiosk_token, &v);
  const char *right = json_string_value(json_object_get(v.json, "pass_code"));
  for (int i = 0; i < 20; i++)
    assert_int_equal(checkout(server.kiosk_token, "3467AC9D"), 404);
  assert_int_equal(checkout(server.kiosk_token, "3467AC9D"), 429);
  assert_int_equal(checkout(server.kiosk_token, right), 429);
  assert_int_equal(checkout(other, "3467AC9D"), 404);
  /* Staff at the front desk are not held to a kiosk's limit. */
  json_t *out = test_admin(&server, "POST", "/api/v1/visits/checkout", "{\"pass_code\":\"3467AC9D\"}", 404);
  json_decref(out);
  test_response_free(&v);
}

/* Six repairs and visits a minute from one kiosk; the seventh is 429 and
 * stores nothing; another kiosk is unaffected. */
static void submissions_are_limited_per_kiosk(void **state)
{
  (void)state;
  char other[64];
  test_response r;
  assert_int_equal(test_kiosk(&server, "lobby-2", "1", "east", other), 0);
  for (int i = 0; i < 6; i++) {
    post(i % 2 ? "/api/v1/repairs" : "/api/v1/visits", server.kiosk_token,
         i % 2 ? REPAIR_BODY : VISIT_BODY, &r);
    assert_int_equal(r.status, 201);
    test_response_free(&r);
  }
  post("/api/v1/visits", server.kiosk_token, VISIT_BODY, &r);
  assert_limited(&r, 60);
  test_response_free(&r);
  post("/api/v1/repairs", server.kiosk_token, REPAIR_BODY, &r);
  assert_limited(&r, 60);
  test_response_free(&r);
  assert_int_equal(stored("/api/v1/visits", "visits"), 3);
  assert_int_equal(stored("/api/v1/repairs", "repairs"), 3);
  post("/api/v1/visits", other, VISIT_BODY, &r);
  assert_int_equal(r.status, 201);
  test_response_free(&r);
}

static long call(const char *method, const char *path, const char *token, const char *body)
{
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, NULL, &r), 0);
  long status = r.status;
  if (status == 404)
    assert_string_equal(error_code(&r), "not_found");
  test_response_free(&r);
  return status;
}

/* A visit made at kiosk A does not exist for kiosk B: status, sign-out by
 * its code and cancel are 404; A and staff see it. */
static void visits_are_scoped_to_their_kiosk(void **state)
{
  (void)state;
  char tower_a[64], tower_b[64], path[96];
  test_response v;
  assert_int_equal(test_kiosk(&server, "tower-a", "A", "", tower_a), 0);
  assert_int_equal(test_kiosk(&server, "tower-b", "A", "", tower_b), 0);
  /* Building A needs approval: a pending visit can be cancelled. */
  post("/api/v1/visits", tower_a,
       "{\"name\":\"孙八\",\"phone\":\"13700004444\",\"host\":\"某某科技\",\"purpose\":\"delivery\"}", &v);
  assert_int_equal(v.status, 201);
  const char *id = json_string_value(json_object_get(v.json, "id"));
  snprintf(path, sizeof path, "/api/v1/visits/%s/status", id);
  assert_int_equal(call("GET", path, tower_b, NULL), 404);
  assert_int_equal(call("GET", path, tower_a, NULL), 200);
  assert_int_equal(call("GET", path, server.admin_token, NULL), 200);
  snprintf(path, sizeof path, "/api/v1/visits/%s/cancel", id);
  assert_int_equal(call("POST", path, tower_b, "{}"), 404);
  assert_int_equal(call("POST", path, tower_a, "{}"), 200);
  test_response_free(&v);

  visit_at(server.kiosk_token, &v);
  const char *code = json_string_value(json_object_get(v.json, "pass_code"));
  assert_int_equal(checkout(tower_b, code), 404);
  snprintf(path, sizeof path, "/api/v1/visits/%s/status", json_string_value(json_object_get(v.json, "id")));
  assert_int_equal(call("GET", path, tower_b, NULL), 404);
  assert_int_equal(checkout(server.kiosk_token, code), 200);
  test_response_free(&v);
}

/* New codes: 8 characters of the code alphabet. */
static void new_pass_codes_have_8_characters(void **state)
{
  (void)state;
  test_response v;
  visit_at(server.kiosk_token, &v);
  const char *code = json_string_value(json_object_get(v.json, "pass_code"));
  assert_non_null(code);
  assert_int_equal(strlen(code), 8);
  assert_int_equal(strspn(code, "34679ACDEFGHJKMNPQRTUVWXY"), 8);
  test_response_free(&v);
}

/* A pass printed before the change (a 6-character code in the database)
 * still signs its visitor out, typed in lower case too. */
static void old_6_character_codes_still_sign_out(void **state)
{
  (void)state;
  test_response v;
  sqlite3 *db;
  char sql[160];
  visit_at(server.kiosk_token, &v);
  snprintf(sql, sizeof sql, "UPDATE visits SET pass_code = 'K7M3QX' WHERE id = '%s'",
           json_string_value(json_object_get(v.json, "id")));
  assert_int_equal(sqlite3_open(server.db, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(checkout(server.kiosk_token, "k7m3qx"), 200);
  assert_int_equal(checkout(server.kiosk_token, "K7M3QX"), 409);
  test_response_free(&v);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(checkout_failures_are_limited_per_kiosk, setup, teardown),
    cmocka_unit_test_setup_teardown(submissions_are_limited_per_kiosk, setup, teardown),
    cmocka_unit_test_setup_teardown(visits_are_scoped_to_their_kiosk, setup, teardown),
    cmocka_unit_test_setup_teardown(new_pass_codes_have_8_characters, setup, teardown),
    cmocka_unit_test_setup_teardown(old_6_character_codes_still_sign_out, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
