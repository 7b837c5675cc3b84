/* The parts of lobbyctl's HTTP client that need no server: status to exit
 * code mapping, the error object, URL building and idempotency keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctl_http.h"
#include "lobby_text.h"

static void test_exit_codes(void **state)
{
  (void)state;
  assert_int_equal(ctl_http_exit_for_status(200), CTL_EXIT_OK);
  assert_int_equal(ctl_http_exit_for_status(201), CTL_EXIT_OK);
  assert_int_equal(ctl_http_exit_for_status(400), CTL_EXIT_REJECTED);
  assert_int_equal(ctl_http_exit_for_status(404), CTL_EXIT_REJECTED);
  assert_int_equal(ctl_http_exit_for_status(409), CTL_EXIT_REJECTED);
  assert_int_equal(ctl_http_exit_for_status(422), CTL_EXIT_REJECTED);
  assert_int_equal(ctl_http_exit_for_status(401), CTL_EXIT_AUTH);
  assert_int_equal(ctl_http_exit_for_status(403), CTL_EXIT_AUTH);
  assert_int_equal(ctl_http_exit_for_status(500), CTL_EXIT_UNREACHABLE);
  assert_int_equal(ctl_http_exit_for_status(503), CTL_EXIT_UNREACHABLE);
  assert_int_equal(ctl_http_exit_for_status(0), CTL_EXIT_UNREACHABLE);
  assert_int_equal(ctl_http_exit_for_status(302), CTL_EXIT_UNREACHABLE);
}

static void test_parse_error_object(void **state)
{
  (void)state;
  ctl_http_response r = {0};
  r.json = json_loads("{\"error\": {\"code\": \"invalid_field\", \"message\": "
                      "\"phone: not a mainland mobile or landline number\", \"field\": \"phone\"}}",
                      0, NULL);
  assert_non_null(r.json);
  ctl_http_parse_error(&r);
  assert_string_equal(r.code, "invalid_field");
  assert_string_equal(r.message, "phone: not a mainland mobile or landline number");
  assert_string_equal(r.field, "phone");
  json_decref(r.json);
}

static void test_report_includes_message_and_field(void **state)
{
  (void)state;
  ctl_http_response r = {.status = 409};
  snprintf(r.code, sizeof r.code, "invalid_transition");
  snprintf(r.message, sizeof r.message, "close is not allowed in status submitted");
  snprintf(r.field, sizeof r.field, "event");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  ctl_http_report(f, "http://x", &r, CTL_EXIT_REJECTED);
  assert_int_equal(fclose(f), 0);
  assert_string_equal(buf, "lobbyctl: the server refused the request (HTTP 409 invalid_transition): "
                           "close is not allowed in status submitted [field: event]\n");
  free(buf);
}

static void test_report_hints_at_sites(void **state)
{
  (void)state;
  ctl_http_response r = {.status = 403};
  snprintf(r.code, sizeof r.code, "forbidden");
  snprintf(r.message, sizeof r.message, "site: you do not work for site main");
  snprintf(r.field, sizeof r.field, "site");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  ctl_http_report(f, "http://x", &r, CTL_EXIT_AUTH);
  assert_int_equal(fclose(f), 0);
  assert_string_equal(buf, "lobbyctl: not authorised (HTTP 403 forbidden): site: you do not work for "
                           "site main [field: site]; drop --site (or LOBBY_SITE) to see the sites "
                           "you work for, or ask an admin to add this one (lobbyctl staff sites)\n");
  free(buf);
}

static void test_path_escapes(void **state)
{
  (void)state;
  ctl_path p;
  ctl_path_init(&p, "/api/v1/kiosks");
  ctl_path_segment(&p, "a/../b c");
  ctl_path_segment(&p, "revoke");
  assert_int_equal(ctl_path_done(&p), LOBBY_OK);
  assert_string_equal(p.buf, "/api/v1/kiosks/a%2F..%2Fb%20c/revoke");
  ctl_path_init(&p, "/api/v1/repairs");
  ctl_path_query(&p, "status", "on_site");
  ctl_path_query(&p, "category", NULL);
  ctl_path_query(&p, "building", "1号&x=y");
  assert_int_equal(ctl_path_done(&p), LOBBY_OK);
  assert_string_equal(p.buf, "/api/v1/repairs?status=on_site&building=1%E5%8F%B7%26x%3Dy");
}

static void test_path_overflow_is_sticky(void **state)
{
  (void)state;
  char big[2000];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  ctl_path p;
  ctl_path_init(&p, "/api/v1/x");
  ctl_path_segment(&p, big);
  ctl_path_segment(&p, "y");
  assert_int_equal(ctl_path_done(&p), LOBBY_ETOOBIG);
  ctl_path_init(&p, "/api/v1/x");
  ctl_path_query(&p, "a", "b");
  ctl_path_segment(&p, "late"); /* a segment after the query is refused */
  assert_int_equal(ctl_path_done(&p), LOBBY_ETOOBIG);
}

static void test_idempotency_keys(void **state)
{
  (void)state;
  char a[64], b[64], tiny[8];
  assert_int_equal(ctl_idempotency_key(a, sizeof a), LOBBY_OK);
  assert_int_equal(ctl_idempotency_key(b, sizeof b), LOBBY_OK);
  assert_true(lobby_idempotency_key_valid(a));
  assert_int_equal(strlen(a), 28);
  assert_string_not_equal(a, b);
  assert_int_equal(ctl_idempotency_key(tiny, sizeof tiny), LOBBY_ETOOBIG);
}

static void test_unreachable_server(void **state)
{
  (void)state;
  assert_int_equal(ctl_http_global_init(), LOBBY_OK);
  /* Port 1 on loopback: nothing listens, the connect fails at once. */
  ctl_http_target t = {.server = "http://127.0.0.1:1", .token = "ls_test", .timeout_s = 5};
  ctl_http_request req = {.method = "GET", .path = "/healthz"};
  ctl_http_response resp;
  assert_int_equal(ctl_http_send(&t, &req, &resp), CTL_EXIT_UNREACHABLE);
  assert_int_equal(resp.status, 0);
  assert_string_equal(resp.code, "transport");
  assert_true(strlen(resp.message) > 0);
  ctl_http_response_free(&resp);
  ctl_http_global_cleanup();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_exit_codes), cmocka_unit_test(test_parse_error_object),
    cmocka_unit_test(test_report_includes_message_and_field), cmocka_unit_test(test_report_hints_at_sites),
    cmocka_unit_test(test_path_escapes),
    cmocka_unit_test(test_path_overflow_is_sticky), cmocka_unit_test(test_idempotency_keys),
    cmocka_unit_test(test_unreachable_server)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
