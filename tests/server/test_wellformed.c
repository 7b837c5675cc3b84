/* Every answer lobbyd sends is well-formed: the JSON error object even
 * when the request echoes invalid UTF-8, a 400 for ambiguous framing,
 * rate-limit keys that keep kinds of caller apart.  A real lobbyd, real
 * HTTP (libcurl, or a raw socket where curl would not send the request). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "test_server.h"

static test_server server;

static const char *error_code(const test_response *r)
{
  return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

/* Sends raw bytes and reads the whole answer (lobbyd closes after it). */
static void raw_exchange(const char *request, char *answer, size_t size)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  size_t len = strlen(request);
  assert_int_equal(write(fd, request, len), (ssize_t)len);
  size_t used = 0;
  ssize_t n;
  while (used + 1 < size && (n = read(fd, answer + used, size - 1 - used)) > 0)
    used += (size_t)n;
  answer[used] = '\0';
  close(fd);
}

/* The answer's body parsed as the JSON error object; returns its code. */
static const char *raw_error_code(const char *answer, json_t **keep)
{
  const char *body = strstr(answer, "\r\n\r\n");
  assert_non_null(body);
  *keep = json_loads(body + 4, 0, NULL);
  assert_non_null(*keep);
  return json_string_value(json_object_get(json_object_get(*keep, "error"), "code"));
}

static int setup(void **state)
{
  (void)state;
  return test_server_start(&server);
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* A path that is not UTF-8 once decoded is echoed in the 404's message:
 * the byte is replaced, and the answer still comes. */
static void test_bad_utf8_path(void **state)
{
  (void)state;
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/%ff", NULL, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 404);
  assert_non_null(r.json);
  assert_string_equal(error_code(&r), "not_found");
  const char *message = json_string_value(json_object_get(json_object_get(r.json, "error"), "message"));
  assert_string_equal(message, "no such endpoint: /api/v1/\xEF\xBF\xBD");
  test_response_free(&r);
}

/* jansson's excerpt of a bad escape after a Chinese character cuts the
 * character in two; the 400 still comes back as JSON. */
static void test_bad_escape_after_chinese(void **state)
{
  (void)state;
  const char *headers[] = {"Idempotency-Key: wellformed-escape-1", NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token,
                             "{\"name\":\"不\\在家\"}", headers, &r), 0);
  assert_int_equal(r.status, 400);
  assert_non_null(r.json);
  assert_string_equal(error_code(&r), "bad_json");
  test_response_free(&r);
}

static void expect_framing_refused(const char *framing_headers)
{
  char request[512], answer[4096];
  json_t *body;
  snprintf(request, sizeof request,
           "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: application/json\r\n%s\r\n{}", framing_headers);
  raw_exchange(request, answer, sizeof answer);
  assert_true(strncmp(answer, "HTTP/1.1 400 ", 13) == 0);
  assert_string_equal(raw_error_code(answer, &body), "bad_request");
  json_decref(body);
}

static void test_conflicting_content_length(void **state)
{
  (void)state;
  expect_framing_refused("Content-Length: 2\r\nContent-Length: 40\r\n");
}

static void test_content_length_with_chunked(void **state)
{
  (void)state;
  expect_framing_refused("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n");
}

/* The same Content-Length twice is unambiguous and is served. */
static void test_repeated_equal_content_length(void **state)
{
  (void)state;
  char answer[4096];
  json_t *body;
  raw_exchange("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n"
               "Connection: close\r\n\r\n{}", answer, sizeof answer);
  assert_true(strncmp(answer, "HTTP/1.1 400 ", 13) == 0);
  assert_string_equal(raw_error_code(answer, &body), "missing_field");
  json_decref(body);
}

/* The admin (staff id 1) spends every look-up it has; kiosk lobby-1
 * (kiosk id 1) still has all of its own. */
static void test_lookup_limit_per_kind_of_caller(void **state)
{
  (void)state;
  const char *path = "/api/v1/repairs/lookup?ticket=R-20261126-0001&phone_last4=5678";
  test_response r;
  int answered = 0;
  for (;; answered++) {
    assert_int_equal(test_http(&server, "GET", path, server.admin_token, NULL, NULL, &r), 0);
    long status = r.status;
    test_response_free(&r);
    if (status == 429)
      break;
    assert_int_equal(status, 404);
    assert_true(answered < 100);
  }
  assert_int_equal(answered, 20);
  assert_int_equal(test_http(&server, "GET", path, server.kiosk_token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 404);
  test_response_free(&r);
}

static void *revoke_later(void *arg)
{
  (void)arg;
  usleep(300 * 1000);
  json_decref(test_admin(&server, "POST", "/api/v1/kiosks/revokee/revoke", "{}", 200));
  return NULL;
}

/* A kiosk waiting on its feed when it is revoked is answered 401 at
 * once, not the next feed and not a 304 at its deadline. */
static void test_revoked_kiosk_waiting_gets_401(void **state)
{
  (void)state;
  char token[64], etag[96];
  assert_int_equal(test_kiosk(&server, "revokee", "1", "east", token), 0);
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  snprintf(etag, sizeof etag, "If-None-Match: %s", r.etag);
  test_response_free(&r);
  const char *headers[] = {etag, NULL};
  pthread_t th;
  pthread_create(&th, NULL, revoke_later, NULL);
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed?wait=20", token, NULL, headers, &r), 0);
  pthread_join(th, NULL);
  assert_int_equal(r.status, 401);
  assert_string_equal(error_code(&r), "unauthorized");
  assert_true(r.seconds >= 0.2 && r.seconds < 5.0);
  test_response_free(&r);
  /* The other kiosk's token still works. */
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", server.kiosk_token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
}

static void expect_password_refused(const char *name, const char *password, const char *code,
                                    const char *message)
{
  char body[256];
  snprintf(body, sizeof body, "{\"name\":\"%s\",\"role\":\"front_desk\",\"password\":\"%s\"}",
           name, password);
  json_t *out = test_admin(&server, "POST", "/api/v1/staff", body, 400);
  json_t *err = json_object_get(out, "error");
  assert_string_equal(json_string_value(json_object_get(err, "code")), code);
  assert_string_equal(json_string_value(json_object_get(err, "field")), "password");
  assert_string_equal(json_string_value(json_object_get(err, "message")), message);
  json_decref(out);
}

/* The password policy: common passwords (cracklib) and the account's own
 * name are refused with their own codes; a sound password is taken. */
static void test_password_policy(void **state)
{
  (void)state;
  expect_password_refused("desk-a", "12345678", "password_common",
                          "password: the password is too common or too simple to be safe");
  expect_password_refused("desk-a", "password", "password_common",
                          "password: the password is too common or too simple to be safe");
  expect_password_refused("LiMing-Frontdesk", "liming-frontdesk", "password_is_name",
                          "password: the password must not be the account's name");
  expect_password_refused("desk-a", "short", "invalid_field",
                          "password: the password must have 8 to 128 characters");
  json_decref(test_admin(&server, "POST", "/api/v1/staff",
                         "{\"name\":\"desk-a\",\"role\":\"front_desk\",\"password\":\"tea-kettle-42\"}",
                         201));
}

/* Password resets by one admin: 5 a minute, the 6th is 429. */
static void test_password_change_limit(void **state)
{
  (void)state;
  json_decref(test_admin(&server, "POST", "/api/v1/staff",
                         "{\"name\":\"desk-b\",\"role\":\"front_desk\",\"password\":\"tea-kettle-42\"}",
                         201));
  for (int i = 0; i < 5; i++)
    json_decref(test_admin(&server, "POST", "/api/v1/staff/desk-b/password",
                           "{\"password\":\"copper-lantern-7\"}", 200));
  json_t *out = test_admin(&server, "POST", "/api/v1/staff/desk-b/password",
                           "{\"password\":\"copper-lantern-7\"}", 429);
  assert_string_equal(json_string_value(json_object_get(json_object_get(out, "error"), "code")),
                      "rate_limited");
  json_decref(out);
}

/* A member's own password changes: 5 a minute, the 6th is 429 before
 * the current password is even checked (each check is a guess). */
static void test_own_password_change_limit(void **state)
{
  (void)state;
  char token[64];
  test_response r;
  assert_int_equal(test_staff(&server, "desk-c", "front_desk", token), 0);
  const char *body = "{\"current\":\"guess-guess-1\",\"new\":\"copper-lantern-7\"}";
  for (int i = 0; i < 5; i++) {
    assert_int_equal(test_http(&server, "POST", "/api/v1/session/password", token, body, NULL, &r), 0);
    assert_int_equal(r.status, 400);
    test_response_free(&r);
  }
  assert_int_equal(test_http(&server, "POST", "/api/v1/session/password", token, body, NULL, &r), 0);
  assert_int_equal(r.status, 429);
  assert_string_equal(error_code(&r), "rate_limited");
  test_response_free(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bad_utf8_path),
    cmocka_unit_test(test_bad_escape_after_chinese),
    cmocka_unit_test(test_conflicting_content_length),
    cmocka_unit_test(test_content_length_with_chunked),
    cmocka_unit_test(test_repeated_equal_content_length),
    cmocka_unit_test(test_lookup_limit_per_kind_of_caller),
    cmocka_unit_test(test_revoked_kiosk_waiting_gets_401),
    cmocka_unit_test(test_password_policy),
    cmocka_unit_test(test_password_change_limit),
    cmocka_unit_test(test_own_password_change_limit),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
