/* lobbyd's API end to end: a real server process, a real database file,
 * real HTTP through libcurl.  Each group starts its own server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

static test_server server;

#define REPAIR_BODY                                                                  \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","  \
  "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","            \
  "\"urgency\":\"normal\",\"preferred_time\":null,\"description\":\"厨房水龙头漏水\"}"

static const char *key_header(char *buf, size_t size)
{
  static unsigned counter;
  snprintf(buf, size, "Idempotency-Key: test-%ld-%u", (long)getpid(), ++counter);
  return buf;
}

/* POST /api/v1/repairs as the kiosk; returns the ticket number. */
static void file_repair(const char *body, char ticket[32])
{
  char key[80];
  const char *headers[] = {key_header(key, sizeof key), NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, body, headers, &r), 0);
  assert_int_equal(r.status, 201);
  snprintf(ticket, 32, "%s", json_string_value(json_object_get(r.json, "ticket")));
  test_response_free(&r);
}

static const char *error_code(test_response *r)
{
  return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

static const char *error_field(test_response *r)
{
  const char *f = json_string_value(json_object_get(json_object_get(r->json, "error"), "field"));
  return f ? f : "";
}

static void expect_error(const char *method, const char *path, const char *token, const char *body,
                         const char *const *headers, long status, const char *code, const char *field)
{
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, headers, &r), 0);
  if (r.status != status)
    fprintf(stderr, "%s %s -> %ld %s\n", method, path, r.status, r.body);
  assert_int_equal(r.status, status);
  assert_non_null(r.json);
  assert_string_equal(error_code(&r), code);
  if (field)
    assert_string_equal(error_field(&r), field);
  test_response_free(&r);
}

static int group_setup(void **state)
{
  (void)state;
  return test_server_start(&server);
}

static int group_teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* ---- authentication ------------------------------------------------- */

static void tokens_and_roles(void **state)
{
  (void)state;
  char tech[64];
  assert_int_equal(test_staff(&server, "tech-auth", "technician", tech), 0);
  expect_error("GET", "/api/v1/feed", NULL, NULL, NULL, 401, "unauthorized", NULL);
  expect_error("GET", "/api/v1/feed", "lk_0000000000000000000000000000000000000000", NULL, NULL,
               401, "unauthorized", NULL);
  expect_error("GET", "/api/v1/feed", server.admin_token, NULL, NULL, 403, "forbidden", NULL);
  expect_error("POST", "/api/v1/notices", server.kiosk_token, "{\"title\":\"x\",\"body\":\"y\"}",
               NULL, 403, "forbidden", NULL);
  expect_error("GET", "/api/v1/repairs", server.kiosk_token, NULL, NULL, 403, "forbidden", NULL);
  expect_error("POST", "/api/v1/kiosks", tech, "{\"name\":\"k\",\"building\":\"1\"}", NULL, 403,
               "forbidden", NULL);
  /* A gate guard reaches the session, the gate, the sites and the
   * building directory (names, no one's data) only. */
  char guard[64];
  assert_int_equal(test_staff(&server, "guard-auth", "guard", guard), 0);
  static const char *const not_for_guards[][2] = {
    {"GET", "/api/v1/repairs"}, {"GET", "/api/v1/complaints"}, {"GET", "/api/v1/visits"},
    {"GET", "/api/v1/staff"}, {"GET", "/api/v1/notices"}, {"GET", "/api/v1/kiosks"},
    {"PUT", "/api/v1/directory"}, {"GET", "/api/v1/events"}, {"GET", "/api/v1/settings"},
    {"GET", "/api/v1/calendar"}, {"GET", "/api/v1/audit"}, {"GET", "/api/v1/feed"},
    {"GET", "/api/v1/repairs/lookup?ticket=R-20261126-0001&phone_last4=1234"},
    {"POST", "/api/v1/visits/checkout"},
  };
  for (size_t i = 0; i < sizeof not_for_guards / sizeof not_for_guards[0]; i++)
    expect_error(not_for_guards[i][0], not_for_guards[i][1], guard,
                 strcmp(not_for_guards[i][0], "GET") != 0 ? "{}" : NULL, NULL, 403, "forbidden", NULL);
  test_response g;
  assert_int_equal(test_http(&server, "GET", "/api/v1/directory", guard, NULL, NULL, &g), 0);
  assert_int_equal(g.status, 200);
  test_response_free(&g);
  assert_int_equal(test_http(&server, "GET", "/api/v1/session", guard, NULL, NULL, &g), 0);
  assert_int_equal(g.status, 200);
  test_response_free(&g);
  assert_int_equal(test_http(&server, "GET", "/api/v1/sites", guard, NULL, NULL, &g), 0);
  assert_int_equal(g.status, 200);
  test_response_free(&g);
  expect_error("DELETE", "/api/v1/feed", server.kiosk_token, NULL, NULL, 405, "method_not_allowed", NULL);
  expect_error("GET", "/api/v1/nothing", NULL, NULL, NULL, 404, "not_found", NULL);
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
}

static void revoked_kiosk_is_refused(void **state)
{
  (void)state;
  char token[64];
  assert_int_equal(test_kiosk(&server, "to-revoke", "1", "", token), 0);
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
  json_decref(test_admin(&server, "POST", "/api/v1/kiosks/to-revoke/revoke", "{}", 200));
  expect_error("GET", "/api/v1/feed", token, NULL, NULL, 401, "unauthorized", NULL);
  expect_error("POST", "/api/v1/kiosks", server.admin_token, "{\"name\":\"to-revoke\",\"building\":\"1\"}",
               NULL, 409, "conflict", NULL);
  expect_error("POST", "/api/v1/kiosks", server.admin_token, "{\"name\":\"nowhere\",\"building\":\"9\"}",
               NULL, 400, "invalid_field", NULL);
  json_t *list = test_admin(&server, "GET", "/api/v1/kiosks", NULL, 200);
  assert_non_null(list);
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(list, "kiosks"), i, k) {
    if (strcmp(json_string_value(json_object_get(k, "name")), "to-revoke") == 0)
      assert_true(json_is_false(json_object_get(k, "online")));
  }
  json_decref(list);
}

/* ---- input checking --------------------------------------------------- */

static void bad_input_is_refused_clearly(void **state)
{
  (void)state;
  char key[80];
  const char *h[] = {key_header(key, sizeof key), NULL};
  const char *k = server.kiosk_token;
  expect_error("POST", "/api/v1/repairs", k, "{\"unit\":", h, 400, "bad_json", NULL);
  expect_error("POST", "/api/v1/repairs", k, "[1,2]", h, 400, "bad_json", NULL);
  expect_error("POST", "/api/v1/repairs", k, "{\"name\":\"\xC3\x28\"}", h, 400, "invalid_utf8", NULL);
  expect_error("POST", "/api/v1/repairs", k, "{\"colour\":\"red\"}", h, 400, "unknown_field", "colour");
  expect_error("POST", "/api/v1/repairs", k, REPAIR_BODY, NULL, 400, "missing_idempotency_key", NULL);
  const char *short_key[] = {"Idempotency-Key: abc", NULL};
  expect_error("POST", "/api/v1/repairs", k, REPAIR_BODY, short_key, 400, "invalid_field", NULL);

  char body[1024];
  snprintf(body, sizeof body, "%s", REPAIR_BODY);
  char *phone = strstr(body, "13812345678");
  memcpy(phone, "12812345678", 11);
  expect_error("POST", "/api/v1/repairs", k, body, h, 400, "invalid_field", "phone");

  snprintf(body, sizeof body, "%s", REPAIR_BODY);
  memcpy(strstr(body, "\"301\""), "\"999\"", 5);
  expect_error("POST", "/api/v1/repairs", k, body, h, 400, "invalid_field", "unit");

  snprintf(body, sizeof body, "%s", REPAIR_BODY);
  memcpy(strstr(body, "water"), "fire!", 5);
  expect_error("POST", "/api/v1/repairs", k, body, h, 400, "invalid_field", "category");

  /* A description over 500 characters (Chinese counts one each). */
  char *long_body = malloc(8192);
  char *desc = malloc(6000);
  desc[0] = '\0';
  for (int i = 0; i < 501; i++)
    strcat(desc, "漏");
  snprintf(long_body, 8192,
           "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","
           "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","
           "\"urgency\":\"normal\",\"description\":\"%s\"}", desc);
  expect_error("POST", "/api/v1/repairs", k, long_body, h, 400, "invalid_field", "description");
  free(desc);
  free(long_body);

  /* A body over the 64 KiB limit. */
  char *huge = malloc(70 * 1024 + 1);
  memset(huge, ' ', 70 * 1024);
  huge[0] = '{';
  huge[70 * 1024 - 1] = '}';
  huge[70 * 1024] = '\0';
  expect_error("POST", "/api/v1/repairs", k, huge, h, 413, "body_too_large", NULL);
  free(huge);

  /* Nothing above created a ticket. */
  json_t *list = test_admin(&server, "GET", "/api/v1/repairs", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(list, "repairs")), 0);
  json_decref(list);
}

/* The error object names the field even where the check only wrote it
 * into the message, and gives a length's or a number's bounds, so a client
 * can say what is wrong in its own language (issue 15). */
static void errors_name_their_field_and_bounds(void **state)
{
  (void)state;
  char key[80];
  const char *h[] = {key_header(key, sizeof key), NULL};
  test_response r;
  char body[2048];
  snprintf(body, sizeof body, "{\"title\":\"%0*d\",\"body\":\"b\"}", 61, 0);
  assert_int_equal(test_http(&server, "POST", "/api/v1/notices", server.admin_token, body, NULL, &r), 0);
  json_t *e = json_object_get(r.json, "error");
  assert_int_equal(r.status, 400);
  assert_string_equal(error_field(&r), "title");
  assert_int_equal(json_integer_value(json_object_get(e, "min_length")), 1);
  assert_int_equal(json_integer_value(json_object_get(e, "max_length")), 60);
  assert_null(json_object_get(e, "maximum"));
  test_response_free(&r);

  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", server.kiosk_token,
                             "{\"name\":\"赵六\",\"phone\":\"13700002222\",\"host\":\"1-2-301\","
                             "\"purpose\":\"family\",\"party_size\":99}", h, &r), 0);
  e = json_object_get(r.json, "error");
  assert_int_equal(r.status, 400);
  assert_string_equal(error_field(&r), "party_size");
  assert_int_equal(json_integer_value(json_object_get(e, "minimum")), 1);
  assert_true(json_integer_value(json_object_get(e, "maximum")) > 1);
  assert_null(json_object_get(e, "max_length"));
  test_response_free(&r);

  /* Named only in the message: "limit: must be …". */
  expect_error("GET", "/api/v1/audit?limit=0", server.admin_token, NULL, NULL, 400, "invalid_field", "limit");
  /* A name already taken is a conflict on the field "name". */
  const char *kiosk = "{\"name\":\"dup-k\",\"building\":\"1\"}";
  json_decref(test_admin(&server, "POST", "/api/v1/kiosks", kiosk, 201));
  expect_error("POST", "/api/v1/kiosks", server.admin_token, kiosk, NULL, 409, "conflict", "name");
}

static void appointment_needs_a_window(void **state)
{
  (void)state;
  char key[80];
  const char *h[] = {key_header(key, sizeof key), NULL};
  const char *base =
    "{\"unit\":{\"building\":\"1\",\"unit\":\"1\",\"room\":\"101\"},\"name\":\"李四\","
    "\"phone\":\"010-12345678\",\"category\":\"electric\",\"kind\":\"in_unit\","
    "\"urgency\":\"appointment\",\"description\":\"插座没电\"";
  char body[600];
  snprintf(body, sizeof body, "%s}", base);
  expect_error("POST", "/api/v1/repairs", server.kiosk_token, body, h, 400, "missing_field",
               "preferred_time");
  snprintf(body, sizeof body, "%s,\"preferred_time\":{\"from\":\"2099-01-01T14:00:00+08:00\","
           "\"to\":\"2099-01-01T12:00:00+08:00\"}}", base);
  expect_error("POST", "/api/v1/repairs", server.kiosk_token, body, h, 400, "invalid_field",
               "preferred_time");
  snprintf(body, sizeof body, "%s,\"preferred_time\":{\"from\":\"2099-01-01T14:00:00+08:00\","
           "\"to\":\"2099-01-01T17:00:00+08:00\"}}", base);
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, body, h, &r), 0);
  assert_int_equal(r.status, 201);
  assert_string_equal(json_string_value(json_object_get(r.json, "due_at")), "2099-01-01T17:00:00+08:00");
  test_response_free(&r);
}

/* ---- repairs ------------------------------------------------------------ */

static void repair_replay_returns_the_same_ticket(void **state)
{
  (void)state;
  const char *h[] = {"Idempotency-Key: replay-key-0001", NULL};
  test_response a, b;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY, h, &a), 0);
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY, h, &b), 0);
  assert_int_equal(a.status, 201);
  assert_int_equal(b.status, 201);
  assert_false(a.replayed);
  assert_true(b.replayed);
  const char *ticket = json_string_value(json_object_get(a.json, "ticket"));
  assert_string_equal(ticket, json_string_value(json_object_get(b.json, "ticket")));
  assert_string_equal(json_string_value(json_object_get(a.json, "status")), "submitted");
  assert_non_null(json_string_value(json_object_get(a.json, "due_at")));

  /* The same key with another body is a client bug, not a retry. */
  char other[1024];
  snprintf(other, sizeof other, "%s", REPAIR_BODY);
  memcpy(strstr(other, "301"), "302", 3);
  expect_error("POST", "/api/v1/repairs", server.kiosk_token, other, h, 422, "idempotency_key_reused", NULL);

  /* Exactly one ticket with those fields exists. */
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s", ticket);
  json_t *t = test_admin(&server, "GET", path, NULL, 200);
  assert_non_null(t);
  assert_string_equal(json_string_value(json_object_get(t, "name")), "张三");
  assert_string_equal(json_string_value(json_object_get(t, "phone")), "13812345678");
  assert_string_equal(json_string_value(json_object_get(t, "description")), "厨房水龙头漏水");
  assert_string_equal(json_string_value(json_object_get(json_object_get(t, "unit"), "room")), "301");
  assert_string_equal(json_string_value(json_object_get(t, "source")), "kiosk");
  assert_string_equal(json_string_value(json_object_get(t, "source_detail")), "lobby-1");
  json_decref(t);
  json_t *list = test_admin(&server, "GET", "/api/v1/repairs?status=submitted&category=water", NULL, 200);
  size_t count = 0, i;
  json_t *row;
  json_array_foreach(json_object_get(list, "repairs"), i, row) {
    if (strcmp(json_string_value(json_object_get(row, "ticket")), ticket) == 0)
      count++;
  }
  assert_int_equal(count, 1);
  json_decref(list);
  test_response_free(&a);
  test_response_free(&b);
}

static void post_event(const char *token, const char *ticket, const char *body, long status)
{
  char path[96];
  test_response r;
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  assert_int_equal(test_http(&server, "POST", path, token, body, NULL, &r), 0);
  if (r.status != status)
    fprintf(stderr, "event %s -> %ld %s\n", body, r.status, r.body);
  assert_int_equal(r.status, status);
  test_response_free(&r);
}

static void repair_lifecycle_and_lookup(void **state)
{
  (void)state;
  char ticket[32], tech[64], path[128];
  assert_int_equal(test_staff(&server, "王师傅", "technician", tech), 0);
  file_repair(REPAIR_BODY, ticket);

  post_event(server.admin_token, ticket, "{\"event\":\"complete\"}", 409);
  post_event(tech, ticket, "{\"event\":\"accept\"}", 404); /* not theirs: invisible */
  post_event(server.admin_token, ticket, "{\"event\":\"accept\"}", 200);
  post_event(server.admin_token, ticket, "{\"event\":\"dispatch\",\"technician\":\"nobody\"}", 400);
  post_event(server.admin_token, ticket, "{\"event\":\"dispatch\",\"technician\":\"王师傅\"}", 200);
  post_event(tech, ticket, "{\"event\":\"close\"}", 403);
  post_event(tech, ticket, "{\"event\":\"on_site\"}", 200);
  post_event(tech, ticket, "{\"event\":\"complete\",\"note\":\"换了阀芯\"}", 200);
  post_event(server.admin_token, ticket, "{\"event\":\"return_visit\"}", 400); /* needs satisfaction */
  post_event(server.admin_token, ticket, "{\"event\":\"return_visit\",\"satisfaction\":6}", 400);
  post_event(server.admin_token, ticket, "{\"event\":\"return_visit\",\"satisfaction\":5,\"comment\":\"很及时\"}", 200);
  post_event(server.admin_token, ticket, "{\"event\":\"cancel\",\"reason\":\"x\"}", 409);
  post_event(server.admin_token, ticket, "{\"event\":\"close\"}", 200);

  snprintf(path, sizeof path, "/api/v1/repairs/%s", ticket);
  json_t *t = test_admin(&server, "GET", path, NULL, 200);
  assert_string_equal(json_string_value(json_object_get(t, "status")), "closed");
  assert_string_equal(json_string_value(json_object_get(t, "technician")), "王师傅");
  assert_string_equal(json_string_value(json_object_get(t, "first_contact")), "admin");
  assert_int_equal(json_integer_value(json_object_get(t, "satisfaction")), 5);
  json_t *timeline = json_object_get(t, "timeline");
  assert_int_equal(json_array_size(timeline), 7);
  assert_string_equal(json_string_value(json_object_get(json_array_get(timeline, 2), "by")), "admin");
  assert_string_equal(json_string_value(json_object_get(json_array_get(timeline, 3), "by")), "王师傅");
  json_decref(t);

  /* The public look-up: the timeline, nothing personal. */
  test_response r;
  snprintf(path, sizeof path, "/api/v1/repairs/lookup?ticket=%s&phone_last4=5678", ticket);
  assert_int_equal(test_http(&server, "GET", path, server.kiosk_token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  assert_int_equal(json_array_size(json_object_get(r.json, "timeline")), 7);
  json_t *last = json_array_get(json_object_get(r.json, "timeline"), 6);
  assert_string_equal(json_string_value(json_object_get(last, "status")), "closed");
  assert_int_equal(strlen(json_string_value(json_object_get(last, "at"))), 25); /* ISO with +08:00 */
  assert_null(strstr(r.body, "张三"));
  assert_null(strstr(r.body, "13812345678"));
  assert_null(strstr(r.body, "王师傅"));
  test_response_free(&r);

  /* Wrong phone and unknown ticket look the same. */
  snprintf(path, sizeof path, "/api/v1/repairs/lookup?ticket=%s&phone_last4=0000", ticket);
  expect_error("GET", path, server.kiosk_token, NULL, NULL, 404, "not_found", NULL);
  expect_error("GET", "/api/v1/repairs/lookup?ticket=R-20000101-0001&phone_last4=5678",
               server.kiosk_token, NULL, NULL, 404, "not_found", NULL);
}

static void technicians_see_only_their_tickets(void **state)
{
  (void)state;
  char a_ticket[32], b_ticket[32], tech_a[64], tech_b[64], path[96];
  assert_int_equal(test_staff(&server, "tech-a", "technician", tech_a), 0);
  assert_int_equal(test_staff(&server, "tech-b", "technician", tech_b), 0);
  file_repair(REPAIR_BODY, a_ticket);
  file_repair(REPAIR_BODY, b_ticket);
  post_event(server.admin_token, a_ticket, "{\"event\":\"accept\"}", 200);
  post_event(server.admin_token, a_ticket, "{\"event\":\"dispatch\",\"technician\":\"tech-a\"}", 200);
  post_event(server.admin_token, b_ticket, "{\"event\":\"accept\"}", 200);
  post_event(server.admin_token, b_ticket, "{\"event\":\"dispatch\",\"technician\":\"tech-b\"}", 200);

  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/repairs", tech_a, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  assert_int_equal(json_array_size(json_object_get(r.json, "repairs")), 1);
  assert_non_null(strstr(r.body, a_ticket));
  assert_null(strstr(r.body, b_ticket));
  test_response_free(&r);
  snprintf(path, sizeof path, "/api/v1/repairs/%s", b_ticket);
  expect_error("GET", path, tech_a, NULL, NULL, 404, "not_found", NULL);
  post_event(tech_a, b_ticket, "{\"event\":\"on_site\"}", 404);
}

/* True when the dumped JSON contains text. */
static bool json_has(json_t *j, const char *text)
{
  char *dump = json_dumps(j, JSON_COMPACT);
  bool found = dump && strstr(dump, text);
  free(dump);
  return found;
}

static void overdue_filter(void **state)
{
  (void)state;
  /* An emergency filed now is due in 30 minutes: not overdue yet. */
  char ticket[32];
  file_repair("{\"unit\":{\"building\":\"2\",\"unit\":\"1\",\"room\":\"101\"},\"name\":\"王五\","
              "\"phone\":\"13811112222\",\"category\":\"lift\",\"kind\":\"public_area\","
              "\"urgency\":\"emergency\",\"description\":\"电梯困人\"}", ticket);
  json_t *list = test_admin(&server, "GET", "/api/v1/repairs?overdue=1", NULL, 200);
  assert_false(json_has(list, ticket));
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(list, "repairs"), i, row)
    assert_true(json_is_true(json_object_get(row, "overdue")));
  json_decref(list);
  list = test_admin(&server, "GET", "/api/v1/repairs?urgency=emergency&building=2", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(list, "repairs")), 1);
  assert_true(json_has(list, ticket));
  json_decref(list);
  expect_error("GET", "/api/v1/repairs?status=bogus", server.admin_token, NULL, NULL, 400,
               "invalid_field", NULL);
}

static void lookups_are_rate_limited(void **state)
{
  (void)state;
  char token[64];
  assert_int_equal(test_kiosk(&server, "guesser", "1", "", token), 0);
  int limited = 0;
  for (int i = 0; i < 30; i++) {
    test_response r;
    assert_int_equal(test_http(&server, "GET", "/api/v1/repairs/lookup?ticket=R-20261126-0001&phone_last4=1234",
                               token, NULL, NULL, &r), 0);
    if (r.status == 429)
      limited++;
    else
      assert_int_equal(r.status, 404);
    test_response_free(&r);
  }
  assert_true(limited >= 5);
}

/* ---- the feed and long-polls ------------------------------------------- */

typedef struct {
  int delay_ms;
  const char *method, *path, *body, *token;
  long status;
} delayed_call;

static void *delayed_call_run(void *arg)
{
  delayed_call *c = arg;
  usleep((useconds_t)c->delay_ms * 1000);
  test_response r;
  test_http(&server, c->method, c->path, c->token ? c->token : server.admin_token, c->body, NULL, &r);
  c->status = r.status;
  test_response_free(&r);
  return NULL;
}

static void feed_get(const char *token, test_response *r)
{
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", token, NULL, NULL, r), 0);
  assert_int_equal(r->status, 200);
  assert_true(r->etag[0] != '\0');
}

static void feed_etag_and_long_poll(void **state)
{
  (void)state;
  test_response r;
  char inm[96];
  feed_get(server.kiosk_token, &r);
  snprintf(inm, sizeof inm, "If-None-Match: %s", r.etag);
  assert_non_null(json_object_get(r.json, "directory"));
  assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "building"), "name")), "1号楼");
  assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "kiosk"), "name")), "lobby-1");
  test_response_free(&r);
  const char *h[] = {inm, NULL};

  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", server.kiosk_token, NULL, h, &r), 0);
  assert_int_equal(r.status, 304);
  test_response_free(&r);

  /* Nothing changes: the wait ends with 304 at its deadline. */
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed?wait=1", server.kiosk_token, NULL, h, &r), 0);
  assert_int_equal(r.status, 304);
  assert_true(r.seconds >= 0.9 && r.seconds < 3.0);
  test_response_free(&r);
  expect_error("GET", "/api/v1/feed?wait=61", server.kiosk_token, NULL, h, 400, "invalid_field", NULL);

  /* A notice posted while the kiosk waits wakes it with the new feed. */
  delayed_call post = {300, "POST", "/api/v1/notices",
                       "{\"title\":\"停水通知\",\"body\":\"11月28日9:00-12:00停水\",\"category\":\"outage\",\"pinned\":true}",
                       NULL, 0};
  pthread_t th;
  pthread_create(&th, NULL, delayed_call_run, &post);
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed?wait=20", server.kiosk_token, NULL, h, &r), 0);
  pthread_join(th, NULL);
  assert_int_equal(post.status, 201);
  assert_int_equal(r.status, 200);
  assert_true(r.seconds < 2.0);
  assert_non_null(strstr(r.body, "停水通知"));
  test_response_free(&r);
}

static void notices_reach_only_their_targets(void **state)
{
  (void)state;
  char other[64];
  assert_int_equal(test_kiosk(&server, "lobby-2b", "2", "", other), 0);
  json_t *n1 = test_admin(&server, "POST", "/api/v1/notices",
    "{\"title\":\"1号楼电梯保养\",\"body\":\"周五上午\",\"category\":\"works\",\"target\":{\"type\":\"building\",\"building\":\"1\"}}", 201);
  json_t *n2 = test_admin(&server, "POST", "/api/v1/notices",
    "{\"title\":\"东区活动\",\"body\":\"周六下午\",\"category\":\"community\",\"target\":{\"type\":\"group\",\"group\":\"east\"}}", 201);
  json_t *n3 = test_admin(&server, "POST", "/api/v1/notices",
    "{\"title\":\"明年的通知\",\"body\":\"以后\",\"starts_at\":\"2099-01-01T00:00:00+08:00\"}", 201);
  assert_non_null(n1);
  assert_non_null(n2);
  assert_non_null(n3);
  test_response mine, theirs;
  feed_get(server.kiosk_token, &mine);
  feed_get(other, &theirs);
  assert_non_null(strstr(mine.body, "1号楼电梯保养"));
  assert_non_null(strstr(mine.body, "东区活动"));
  assert_null(strstr(mine.body, "明年的通知"));
  assert_null(strstr(theirs.body, "1号楼电梯保养"));
  assert_null(strstr(theirs.body, "东区活动"));
  test_response_free(&mine);
  test_response_free(&theirs);

  char path[64];
  snprintf(path, sizeof path, "/api/v1/notices/%lld/withdraw", json_integer_value(json_object_get(n1, "id")));
  json_decref(test_admin(&server, "POST", path, "{}", 200));
  expect_error("POST", path, server.admin_token, "{}", NULL, 409, "conflict", NULL);
  feed_get(server.kiosk_token, &mine);
  assert_null(strstr(mine.body, "1号楼电梯保养"));
  test_response_free(&mine);

  snprintf(path, sizeof path, "/api/v1/notices/%lld", json_integer_value(json_object_get(n2, "id")));
  json_decref(test_admin(&server, "PATCH", path, "{\"title\":\"东区活动（改期）\"}", 200));
  feed_get(server.kiosk_token, &mine);
  assert_non_null(strstr(mine.body, "东区活动（改期）"));
  test_response_free(&mine);
  expect_error("POST", "/api/v1/notices", server.admin_token,
               "{\"title\":\"x\",\"body\":\"y\",\"target\":{\"type\":\"planet\"}}", NULL, 400,
               "invalid_field", "target.type");
  expect_error("POST", "/api/v1/notices", server.admin_token, "{\"title\":\"\",\"body\":\"y\"}",
               NULL, 400, "invalid_field", "title");
  json_decref(n1);
  json_decref(n2);
  json_decref(n3);
}

static void emergency_takes_the_emergency_slot(void **state)
{
  (void)state;
  json_t *n = test_admin(&server, "POST", "/api/v1/notices",
    "{\"title\":\"燃气泄漏，请立即撤离\",\"body\":\"请走楼梯\",\"category\":\"safety\",\"emergency\":true,\"priority\":3}", 201);
  test_response r;
  feed_get(server.kiosk_token, &r);
  json_t *e = json_object_get(r.json, "emergency");
  assert_true(json_is_object(e));
  assert_string_equal(json_string_value(json_object_get(e, "title")), "燃气泄漏，请立即撤离");
  test_response_free(&r);
  char path[64];
  snprintf(path, sizeof path, "/api/v1/notices/%lld/withdraw", json_integer_value(json_object_get(n, "id")));
  json_decref(test_admin(&server, "POST", path, "{}", 200));
  feed_get(server.kiosk_token, &r);
  assert_true(json_is_null(json_object_get(r.json, "emergency")));
  test_response_free(&r);
  json_decref(n);
}

static void scheduled_notice_wakes_waiting_kiosks(void **state)
{
  (void)state;
  char start[40], body[300], inm[96];
  time_t at = time(NULL) + 2;
  struct tm tm;
  gmtime_r(&at, &tm);
  strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%SZ", &tm);
  snprintf(body, sizeof body, "{\"title\":\"定时通知\",\"body\":\"到点出现\",\"starts_at\":\"%s\"}", start);
  json_decref(test_admin(&server, "POST", "/api/v1/notices", body, 201));
  test_response r;
  feed_get(server.kiosk_token, &r);
  assert_null(strstr(r.body, "定时通知"));
  snprintf(inm, sizeof inm, "If-None-Match: %s", r.etag);
  test_response_free(&r);
  const char *h[] = {inm, NULL};
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed?wait=10", server.kiosk_token, NULL, h, &r), 0);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "定时通知"));
  assert_true(r.seconds < 5.0);
  test_response_free(&r);
}

/* lobby-1's row of the fleet list (the caller frees list). */
static json_t *kiosk_row(json_t **list)
{
  *list = test_admin(&server, "GET", "/api/v1/kiosks", NULL, 200);
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(*list, "kiosks"), i, k)
    if (strcmp(json_string_value(json_object_get(k, "name")), "lobby-1") == 0)
      return k;
  fail_msg("lobby-1 is not in the fleet list");
  return NULL;
}

static long heartbeat(const char *body)
{
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/kiosks/heartbeat", server.kiosk_token, body, NULL, &r),
                   0);
  long status = r.status;
  test_response_free(&r);
  return status;
}

/* The fleet page shows what the last heartbeat said: version and queue,
 * and the health fields (uptime, free state space, sound), which a kiosk
 * too old to send them leaves unknown (null). */
static void heartbeat_is_recorded(void **state)
{
  (void)state;
  assert_int_equal(heartbeat("{\"version\":\"0.1.0\",\"feed_version\":\"abc\",\"queued\":2,"
                             "\"uptime_s\":93784,\"disk_free_mb\":512,\"audio\":\"none\"}"), 200);
  json_t *list, *k = kiosk_row(&list);
  assert_int_equal(json_integer_value(json_object_get(k, "queued")), 2);
  assert_string_equal(json_string_value(json_object_get(k, "version")), "0.1.0");
  assert_true(json_is_true(json_object_get(k, "online")));
  assert_int_equal(json_integer_value(json_object_get(k, "uptime_s")), 93784);
  assert_int_equal(json_integer_value(json_object_get(k, "disk_free_mb")), 512);
  assert_string_equal(json_string_value(json_object_get(k, "audio")), "none");
  json_decref(list);

  assert_int_equal(heartbeat("{\"version\":\"0.1.0\",\"audio\":\"loud\"}"), 400);
  assert_int_equal(heartbeat("{\"version\":\"0.1.0\",\"disk_free_mb\":-5}"), 400);
  assert_int_equal(heartbeat("{\"version\":\"0.1.0\",\"uptime_s\":\"1 day\"}"), 400);

  assert_int_equal(heartbeat("{\"version\":\"0.0.9\",\"feed_version\":\"abc\",\"queued\":0}"), 200);
  k = kiosk_row(&list);
  assert_true(json_is_null(json_object_get(k, "uptime_s")));
  assert_true(json_is_null(json_object_get(k, "disk_free_mb")));
  assert_true(json_is_null(json_object_get(k, "audio")));
  json_decref(list);
}

/* ---- visits --------------------------------------------------------------- */

#define VISIT_BODY \
  "{\"name\":\"李四\",\"phone\":\"13900001111\",\"host\":\"1-2-301\",\"purpose\":\"family\",\"party_size\":2,\"plate\":\"京A12345\"}"

static void visit_check_in_and_out(void **state)
{
  (void)state;
  char key[80];
  const char *h[] = {key_header(key, sizeof key), NULL};
  test_response r, again;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", server.kiosk_token, VISIT_BODY, h, &r), 0);
  assert_int_equal(r.status, 201);
  assert_string_equal(json_string_value(json_object_get(r.json, "state")), "approved");
  const char *code = json_string_value(json_object_get(r.json, "pass_code"));
  assert_non_null(code);
  assert_int_equal(strlen(code), 8);
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", server.kiosk_token, VISIT_BODY, h, &again), 0);
  assert_true(again.replayed);
  assert_string_equal(json_string_value(json_object_get(again.json, "id")),
                      json_string_value(json_object_get(r.json, "id")));
  test_response_free(&again);

  json_t *onsite = test_admin(&server, "GET", "/api/v1/visits/onsite", NULL, 200);
  assert_true(json_has(onsite, "李四"));
  json_decref(onsite);

  char body[64], lower[9];
  for (int i = 0; i < 8; i++)
    lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
  lower[8] = '\0';
  snprintf(body, sizeof body, "{\"pass_code\":\"%s\"}", lower);
  test_response out;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits/checkout", server.kiosk_token, body, NULL, &out), 0);
  assert_int_equal(out.status, 200);
  assert_string_equal(json_string_value(json_object_get(out.json, "state")), "checked_out");
  assert_null(strstr(out.body, "李四"));
  test_response_free(&out);
  expect_error("POST", "/api/v1/visits/checkout", server.kiosk_token, body, NULL, 409, "conflict", NULL);
  expect_error("POST", "/api/v1/visits/checkout", server.kiosk_token, "{\"pass_code\":\"000000\"}",
               NULL, 400, "invalid_field", NULL);
  expect_error("POST", "/api/v1/visits", server.kiosk_token,
               "{\"name\":\"李四\",\"phone\":\"139\",\"host\":\"1-2-301\",\"purpose\":\"family\"}",
               h, 400, "invalid_field", "phone");
  test_response_free(&r);
  /* The visitor log by dates: a range that holds the visit, and ones that
   * do not. */
  json_t *log = test_admin(&server, "GET", "/api/v1/visits?from=2000-01-01&to=2999-01-01", NULL, 200);
  assert_true(json_has(log, "李四"));
  json_decref(log);
  log = test_admin(&server, "GET", "/api/v1/visits?from=2999-01-01", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(log, "visits")), 0);
  json_decref(log);
  log = test_admin(&server, "GET", "/api/v1/visits?to=2000-01-01", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(log, "visits")), 0);
  json_decref(log);
  expect_error("GET", "/api/v1/visits?from=soon", server.admin_token, NULL, NULL, 400, "invalid_field", "from");
}

static void approval_building_waits_for_the_front_desk(void **state)
{
  (void)state;
  char token[64], key[80], path[96], inm[64];
  assert_int_equal(test_kiosk(&server, "tower-a", "A", "", token), 0);
  const char *h[] = {key_header(key, sizeof key), NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", token,
                             "{\"name\":\"赵六\",\"phone\":\"13700002222\",\"host\":\"某某科技\",\"purpose\":\"interview\"}",
                             h, &r), 0);
  assert_int_equal(r.status, 201);
  assert_string_equal(json_string_value(json_object_get(r.json, "state")), "pending");
  assert_true(json_is_null(json_object_get(r.json, "pass_code")));
  char id[32];
  snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
  test_response_free(&r);

  /* The kiosk long-polls; the front desk approves 300 ms later. */
  snprintf(path, sizeof path, "/api/v1/visits/%s/approve", id);
  delayed_call approve = {300, "POST", path, "{}", NULL, 0};
  pthread_t th;
  pthread_create(&th, NULL, delayed_call_run, &approve);
  snprintf(inm, sizeof inm, "If-None-Match: \"pending\"");
  const char *wait_h[] = {inm, NULL};
  char status_path[96];
  snprintf(status_path, sizeof status_path, "/api/v1/visits/%s/status?wait=20", id);
  assert_int_equal(test_http(&server, "GET", status_path, token, NULL, wait_h, &r), 0);
  pthread_join(th, NULL);
  assert_int_equal(approve.status, 200);
  assert_int_equal(r.status, 200);
  assert_true(r.seconds < 2.0);
  assert_string_equal(json_string_value(json_object_get(r.json, "state")), "approved");
  assert_int_equal(strlen(json_string_value(json_object_get(r.json, "pass_code"))), 8);
  test_response_free(&r);
  expect_error("POST", path, server.admin_token, "{}", NULL, 409, "conflict", NULL);

  /* A refusal carries its reason; a pending visit can be cancelled. */
  const char *h2[] = {key_header(key, sizeof key), NULL};
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", token,
                             "{\"name\":\"钱七\",\"phone\":\"13700003333\",\"host\":\"某某科技\",\"purpose\":\"business\"}",
                             h2, &r), 0);
  snprintf(path, sizeof path, "/api/v1/visits/%s/refuse", json_string_value(json_object_get(r.json, "id")));
  test_response_free(&r);
  expect_error("POST", path, server.admin_token, "{}", NULL, 400, "missing_field", "reason");
  json_t *refused = test_admin(&server, "POST", path, "{\"reason\":\"被访人不在\"}", 200);
  assert_string_equal(json_string_value(json_object_get(refused, "state")), "refused");
  assert_string_equal(json_string_value(json_object_get(refused, "reason")), "被访人不在");
  json_decref(refused);

  const char *h3[] = {key_header(key, sizeof key), NULL};
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", token,
                             "{\"name\":\"孙八\",\"phone\":\"13700004444\",\"host\":\"某某科技\",\"purpose\":\"delivery\"}",
                             h3, &r), 0);
  snprintf(path, sizeof path, "/api/v1/visits/%s/cancel", json_string_value(json_object_get(r.json, "id")));
  test_response_free(&r);
  assert_int_equal(test_http(&server, "POST", path, token, "{}", NULL, &r), 0);
  assert_int_equal(r.status, 200);
  assert_string_equal(json_string_value(json_object_get(r.json, "state")), "cancelled");
  test_response_free(&r);
}

static void invite_checks_in_once(void **state)
{
  (void)state;
  json_t *inv = test_admin(&server, "POST", "/api/v1/invites",
                           "{\"name\":\"周九\",\"phone\":\"13600005555\",\"host\":\"1-1-101\",\"purpose\":\"family\"}", 201);
  assert_non_null(inv);
  const char *code = json_string_value(json_object_get(inv, "invite_code"));
  assert_int_equal(strlen(code), 8);
  char body[64];
  snprintf(body, sizeof body, "{\"invite_code\":\"%s\"}", code);
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits/invite-checkin", server.kiosk_token, body, NULL, &r), 0);
  assert_int_equal(r.status, 201);
  assert_string_equal(json_string_value(json_object_get(r.json, "state")), "approved");
  assert_int_equal(strlen(json_string_value(json_object_get(r.json, "pass_code"))), 8);
  test_response_free(&r);
  expect_error("POST", "/api/v1/visits/invite-checkin", server.kiosk_token, body, NULL, 409, "conflict", NULL);
  expect_error("POST", "/api/v1/visits/invite-checkin", server.kiosk_token,
               "{\"invite_code\":\"AAAAAAAA\"}", NULL, 404, "not_found", NULL);
  json_decref(inv);
}

/* The state an invite shows in the desk's list. */
static json_t *listed_invite(json_t *list, const char *code)
{
  size_t i;
  json_t *inv;
  json_array_foreach(json_object_get(list, "invites"), i, inv)
    if (strcmp(json_string_value(json_object_get(inv, "code")), code) == 0)
      return inv;
  return NULL;
}

static void invites_are_listed_and_revoked(void **state)
{
  (void)state;
  json_t *inv = test_admin(&server, "POST", "/api/v1/invites",
                           "{\"name\":\"吴十\",\"phone\":\"13600006666\",\"host\":\"1-1-102\",\"purpose\":\"business\"}", 201);
  char code[16], path[64], body[64];
  snprintf(code, sizeof code, "%s", json_string_value(json_object_get(inv, "invite_code")));
  json_decref(inv);
  json_t *list = test_admin(&server, "GET", "/api/v1/invites", NULL, 200);
  json_t *row = listed_invite(list, code);
  assert_non_null(row);
  assert_string_equal(json_string_value(json_object_get(row, "name")), "吴十");
  assert_true(json_is_null(json_object_get(row, "revoked_at")) && json_is_null(json_object_get(row, "used_at")));
  json_decref(list);

  snprintf(path, sizeof path, "/api/v1/invites/%s/revoke", code);
  json_decref(test_admin(&server, "POST", path, NULL, 200));
  expect_error("POST", path, server.admin_token, NULL, NULL, 409, "conflict", NULL);
  expect_error("POST", "/api/v1/invites/AAAAAAAA/revoke", server.admin_token, NULL, NULL, 404, "not_found", NULL);
  expect_error("POST", "/api/v1/invites/nope/revoke", server.admin_token, NULL, NULL, 404, "not_found", NULL);
  list = test_admin(&server, "GET", "/api/v1/invites", NULL, 200);
  assert_false(json_is_null(json_object_get(listed_invite(list, code), "revoked_at")));
  json_decref(list);
  /* A revoked invite lets nobody in. */
  snprintf(body, sizeof body, "{\"invite_code\":\"%s\"}", code);
  expect_error("POST", "/api/v1/visits/invite-checkin", server.kiosk_token, body, NULL, 404, "not_found", NULL);
  json_t *audit = test_admin(&server, "GET", "/api/v1/audit?action=invite.revoke", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(audit, "entries")), 1);
  json_decref(audit);
}

/* ---- durability ------------------------------------------------------------- */

/* The roll-call's marks in the onsite list, for people on site only. */
static size_t rollcall_marks(const char *id)
{
  json_t *onsite = test_admin(&server, "GET", "/api/v1/visits/onsite", NULL, 200);
  size_t n = 0, i;
  json_t *m;
  json_array_foreach(json_object_get(onsite, "rollcall"), i, m) {
    if (strcmp(json_string_value(json_object_get(m, "id")), id) == 0) {
      assert_string_equal(json_string_value(json_object_get(m, "kind")), "visit");
      assert_string_equal(json_string_value(json_object_get(m, "marked_by")), "admin");
      n++;
    }
  }
  json_decref(onsite);
  return n;
}

static void rollcall_marks_people_on_site(void **state)
{
  (void)state;
  char key[80], body[160], path[96];
  const char *h[] = {key_header(key, sizeof key), NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", server.kiosk_token,
                             "{\"name\":\"钱七\",\"phone\":\"13700007777\",\"host\":\"1-2-301\","
                             "\"purpose\":\"family\"}", h, &r), 0);
  assert_int_equal(r.status, 201);
  char id[40];
  snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
  test_response_free(&r);

  snprintf(body, sizeof body, "{\"kind\":\"visit\",\"id\":\"%s\",\"safe\":true}", id);
  json_decref(test_admin(&server, "POST", "/api/v1/rollcall/marks", body, 200));
  json_decref(test_admin(&server, "POST", "/api/v1/rollcall/marks", body, 200)); /* again: one mark */
  assert_int_equal(rollcall_marks(id), 1);
  snprintf(body, sizeof body, "{\"kind\":\"visit\",\"id\":\"%s\",\"safe\":false}", id);
  json_decref(test_admin(&server, "POST", "/api/v1/rollcall/marks", body, 200));
  assert_int_equal(rollcall_marks(id), 0);
  expect_error("POST", "/api/v1/rollcall/marks", server.admin_token,
               "{\"kind\":\"visit\",\"id\":\"v_0000000000000000\",\"safe\":true}", NULL, 409, "not_on_site", NULL);
  expect_error("POST", "/api/v1/rollcall/marks", server.admin_token, "{\"kind\":\"cat\",\"id\":\"1\"}",
               NULL, 400, "invalid_field", "kind");
  expect_error("POST", "/api/v1/rollcall/marks", server.kiosk_token, body, NULL, 403, "forbidden", NULL);

  /* A new roll-call clears the marks. */
  snprintf(body, sizeof body, "{\"kind\":\"visit\",\"id\":\"%s\",\"safe\":true}", id);
  json_decref(test_admin(&server, "POST", "/api/v1/rollcall/marks", body, 200));
  json_decref(test_admin(&server, "POST", "/api/v1/rollcall/reset", NULL, 200));
  assert_int_equal(rollcall_marks(id), 0);

  /* Marked, then gone: the mark goes with the presence, and none is made. */
  json_decref(test_admin(&server, "POST", "/api/v1/rollcall/marks", body, 200));
  snprintf(path, sizeof path, "/api/v1/visits/%s/checkout", id);
  json_decref(test_admin(&server, "POST", path, NULL, 200));
  assert_int_equal(rollcall_marks(id), 0);
  expect_error("POST", "/api/v1/rollcall/marks", server.admin_token, body, NULL, 409, "not_on_site", NULL);

  json_t *audit = test_admin(&server, "GET", "/api/v1/audit?action=rollcall", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(audit, "entries")), 6);
  json_decref(audit);
}

static void ticket_survives_kill9_right_after_201(void **state)
{
  (void)state;
  const char *h[] = {"Idempotency-Key: crash-test-0001", NULL};
  test_response r, again;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY, h, &r), 0);
  assert_int_equal(r.status, 201);
  test_server_kill9(&server);
  assert_int_equal(test_server_restart(&server), 0);
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s", json_string_value(json_object_get(r.json, "ticket")));
  json_t *t = test_admin(&server, "GET", path, NULL, 200);
  assert_non_null(t);
  json_decref(t);
  /* The kiosk's retry after the crash finds the same ticket. */
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY, h, &again), 0);
  assert_int_equal(again.status, 201);
  assert_true(again.replayed);
  assert_string_equal(json_string_value(json_object_get(r.json, "ticket")),
                      json_string_value(json_object_get(again.json, "ticket")));
  test_response_free(&r);
  test_response_free(&again);
}

static void visits_open_too_long_are_signed_out(void **state)
{
  (void)state;
  char key[80];
  const char *h[] = {key_header(key, sizeof key), NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", server.kiosk_token, VISIT_BODY, h, &r), 0);
  assert_int_equal(r.status, 201);
  char id[32];
  snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
  test_response_free(&r);
  /* Restart lobbyd five hours in the future; its first sweep signs out. */
  test_server_kill9(&server);
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%lld",
           (long long)time(NULL) + 5 * 3600);
  assert_int_equal(test_server_restart(&server), 0);
  server.extra_env[0] = '\0';
  int done = 0;
  for (int i = 0; i < 40 && !done; i++) {
    usleep(100 * 1000);
    json_t *list = test_admin(&server, "GET", "/api/v1/visits?state=checked_out", NULL, 200);
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(list, "visits"), k, v) {
      if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0 &&
          json_is_true(json_object_get(v, "auto_checked_out")))
        done = 1;
    }
    json_decref(list);
  }
  assert_true(done);
  assert_int_equal(test_server_restart(&server), 0);
}

int main(void)
{
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tokens_and_roles),
    cmocka_unit_test(revoked_kiosk_is_refused),
    cmocka_unit_test(bad_input_is_refused_clearly),
    cmocka_unit_test(errors_name_their_field_and_bounds),
    cmocka_unit_test(rollcall_marks_people_on_site),
    cmocka_unit_test(invites_are_listed_and_revoked),
    cmocka_unit_test(appointment_needs_a_window),
    cmocka_unit_test(repair_replay_returns_the_same_ticket),
    cmocka_unit_test(repair_lifecycle_and_lookup),
    cmocka_unit_test(technicians_see_only_their_tickets),
    cmocka_unit_test(overdue_filter),
    cmocka_unit_test(lookups_are_rate_limited),
    cmocka_unit_test(feed_etag_and_long_poll),
    cmocka_unit_test(notices_reach_only_their_targets),
    cmocka_unit_test(emergency_takes_the_emergency_slot),
    cmocka_unit_test(scheduled_notice_wakes_waiting_kiosks),
    cmocka_unit_test(heartbeat_is_recorded),
    cmocka_unit_test(visit_check_in_and_out),
    cmocka_unit_test(approval_building_waits_for_the_front_desk),
    cmocka_unit_test(invite_checks_in_once),
    cmocka_unit_test(ticket_survives_kill9_right_after_201),
    cmocka_unit_test(visits_open_too_long_are_signed_out),
  };
  int failed = cmocka_run_group_tests_name("api", tests, group_setup, group_teardown);
  curl_global_cleanup();
  return failed;
}
