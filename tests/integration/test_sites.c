/* Sites (compounds) end to end: a real lobbyd (SQLite, or PostgreSQL
 * under tests/support/with_postgres.sh), real HTTP.  One company with two
 * sites: "main", where the demo directory and kiosk lobby-1 are, and
 * "north", added here with building N1 and kiosk north-1.  The server's
 * clock is fixed at 2026-12-02 10:00 (+08:00) so repair deadlines are
 * exact. */
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

#define FAKE_NOW 1796176800           /* 2026-12-02T10:00:00+08:00 */

static test_server server;
static char north_kiosk[64], desk_north[64], tech_main[64], tech_north[64];

static const char *key_header(char *buf, size_t size)
{
  static unsigned counter;
  snprintf(buf, size, "Idempotency-Key: sites-%ld-%u", (long)getpid(), ++counter);
  return buf;
}

/* One request that must answer status; returns the body (caller decrefs). */
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

static const char *error_field(json_t *j)
{
  const char *f = json_string_value(json_object_get(json_object_get(j, "error"), "field"));
  return f ? f : "";
}

static char *repair_body(const char *building, const char *unit, const char *room)
{
  static char body[512];
  snprintf(body, sizeof body,
           "{\"unit\":{\"building\":\"%s\",\"unit\":\"%s\",\"room\":\"%s\"},\"name\":\"张三\","
           "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","
           "\"urgency\":\"normal\",\"description\":\"厨房水龙头漏水\"}", building, unit, room);
  return body;
}

static void file_repair(const char *token, const char *building, const char *unit,
                        const char *room, char ticket[32])
{
  json_t *j = call("POST", "/api/v1/repairs", token, repair_body(building, unit, room), 201);
  snprintf(ticket, 32, "%s", json_string_value(json_object_get(j, "ticket")));
  json_decref(j);
}

static int setup(void **state)
{
  (void)state;
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", FAKE_NOW);
  if (test_server_start(&server) != 0)
    return -1;
  json_decref(test_admin(&server, "POST", "/api/v1/sites",
                         "{\"code\":\"north\",\"name\":\"北苑\",\"service_phone\":\"400-800-2222\","
                         "\"workday\":{\"start\":\"08:00\",\"end\":\"20:00\"}}", 201));
  json_decref(test_admin(&server, "PUT", "/api/v1/directory?site=north",
                         "{\"buildings\":[{\"code\":\"N1\",\"name\":\"北1栋\",\"units\":"
                         "[{\"code\":\"1\",\"rooms\":[\"101\",\"102\"]}]}]}", 200));
  if (test_kiosk(&server, "north-1", "N1", "", north_kiosk) != 0 ||
      test_staff(&server, "tech-main", "technician", tech_main) != 0 ||
      test_staff(&server, "tech-north", "technician", tech_north) != 0)
    return -1;
  /* The front desk works for north from its first request on. */
  json_t *desk = test_admin(&server, "POST", "/api/v1/staff",
                            "{\"name\":\"desk-north\",\"role\":\"front_desk\",\"sites\":[\"north\"]}",
                            201);
  if (!desk)
    return -1;
  snprintf(desk_north, sizeof desk_north, "%s", json_string_value(json_object_get(desk, "token")));
  json_decref(desk);
  json_decref(test_admin(&server, "PUT", "/api/v1/staff/tech-main/sites",
                         "{\"sites\":[\"main\"]}", 200));
  json_decref(test_admin(&server, "PUT", "/api/v1/staff/tech-north/sites",
                         "{\"sites\":[\"north\"]}", 200));
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* A database made before sites has one, "main"; admins add more. */
static void sites_are_listed_and_checked(void **state)
{
  (void)state;
  json_t *j = test_admin(&server, "GET", "/api/v1/sites", NULL, 200);
  json_t *sites = json_object_get(j, "sites");
  assert_int_equal(json_array_size(sites), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(sites, 0), "code")), "main");
  json_t *north = json_array_get(sites, 1);
  assert_string_equal(json_string_value(json_object_get(north, "name")), "北苑");
  assert_string_equal(json_string_value(json_object_get(north, "service_phone")), "400-800-2222");
  assert_string_equal(json_string_value(json_object_get(json_object_get(north, "workday"), "end")),
                      "20:00");
  json_decref(j);
  json_decref(test_admin(&server, "POST", "/api/v1/sites", "{\"code\":\"north\",\"name\":\"x\"}", 409));
  j = test_admin(&server, "POST", "/api/v1/sites",
                 "{\"code\":\"east\",\"name\":\"东苑\",\"workday\":{\"start\":\"18:00\",\"end\":\"08:00\"}}",
                 400);
  assert_string_equal(error_field(j), "workday");
  json_decref(j);
  j = test_admin(&server, "POST", "/api/v1/sites", "{\"code\":\"a b\",\"name\":\"x\"}", 400);
  assert_string_equal(error_field(j), "code");
  json_decref(j);
  /* An account for no such site is not made at all. */
  json_decref(test_admin(&server, "POST", "/api/v1/staff",
                         "{\"name\":\"desk-x\",\"role\":\"front_desk\",\"sites\":[\"nowhere\"]}", 404));
  j = test_admin(&server, "GET", "/api/v1/staff", NULL, 200);
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(j, "staff"), i, row) {
    assert_string_not_equal(json_string_value(json_object_get(row, "name")), "desk-x");
    if (strcmp(json_string_value(json_object_get(row, "name")), "desk-north") == 0)
      assert_string_equal(json_string_value(json_array_get(json_object_get(row, "sites"), 0)), "north");
  }
  json_decref(j);
  /* A front desk of one site sees that site only and cannot add sites. */
  j = call("GET", "/api/v1/sites", desk_north, NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "sites")), 1);
  json_decref(j);
  json_decref(call("POST", "/api/v1/sites", desk_north, "{\"code\":\"x\",\"name\":\"x\"}", 403));
}

/* Building codes are unique across the company; each site replaces only
 * its own buildings, and a kiosk sees its own site's directory. */
static void directories_are_per_site(void **state)
{
  (void)state;
  json_t *j = test_admin(&server, "PUT", "/api/v1/directory?site=north",
                         "{\"buildings\":[{\"code\":\"1\",\"name\":\"x\",\"units\":[]}]}", 409);
  assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
                         "main"));
  json_decref(j);
  /* With two sites, a directory must say whose it is. */
  j = test_admin(&server, "PUT", "/api/v1/directory", "{\"buildings\":[]}", 400);
  assert_string_equal(error_field(j), "site");
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/directory?site=north", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "buildings")), 1);
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/directory", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "buildings")), 4);
  json_decref(j);
  j = call("GET", "/api/v1/directory", north_kiosk, NULL, 200);
  json_t *b = json_array_get(json_object_get(j, "buildings"), 0);
  assert_int_equal(json_array_size(json_object_get(j, "buildings")), 1);
  assert_string_equal(json_string_value(json_object_get(b, "code")), "N1");
  assert_string_equal(json_string_value(json_object_get(b, "site")), "north");
  json_decref(j);
  json_decref(test_admin(&server, "GET", "/api/v1/directory?site=nowhere", NULL, 404));
}

/* Each kiosk shows its own site's name, phone and notices, and the
 * notices for every site. */
static void feeds_are_per_site(void **state)
{
  (void)state;
  json_decref(test_admin(&server, "POST", "/api/v1/notices",
                         "{\"title\":\"北苑停水\",\"body\":\"北1栋停水。\",\"site\":\"north\"}", 201));
  json_decref(test_admin(&server, "POST", "/api/v1/notices",
                         "{\"title\":\"全公司通知\",\"body\":\"春节值班安排。\"}", 201));
  json_t *j = call("GET", "/api/v1/feed", north_kiosk, NULL, 200);
  json_t *site = json_object_get(j, "site");
  assert_string_equal(json_string_value(json_object_get(site, "name")), "北苑");
  assert_string_equal(json_string_value(json_object_get(site, "service_phone")), "400-800-2222");
  assert_int_equal(json_array_size(json_object_get(j, "notices")), 2);
  json_decref(j);
  j = call("GET", "/api/v1/feed", server.kiosk_token, NULL, 200);
  size_t i;
  json_t *n;
  json_array_foreach(json_object_get(j, "notices"), i, n)
    assert_string_not_equal(json_string_value(json_object_get(n, "title")), "北苑停水");
  /* Site main has no name of its own yet: the ini's [site] shows. */
  assert_string_not_equal(json_string_value(json_object_get(json_object_get(j, "site"), "name")),
                          "北苑");
  json_decref(j);
  /* A notice for one site cannot target another site's building. */
  j = test_admin(&server, "POST", "/api/v1/notices",
                 "{\"title\":\"t\",\"body\":\"b\",\"site\":\"north\",\"target\":{\"type\":\"building\","
                 "\"building\":\"1\"}}", 400);
  assert_string_equal(error_field(j), "target.building");
  json_decref(j);
}

/* A front desk of north reaches north's tickets only; another site's
 * ticket reads as no such ticket, for reading and for writing alike. */
static void front_desk_reaches_its_site_only(void **state)
{
  (void)state;
  char main_ticket[32], north_ticket[32];
  file_repair(server.kiosk_token, "1", "2", "301", main_ticket);
  file_repair(north_kiosk, "N1", "1", "101", north_ticket);
  json_t *j = call("GET", "/api/v1/repairs", desk_north, NULL, 200);
  json_t *list = json_object_get(j, "repairs");
  size_t i;
  json_t *r;
  assert_true(json_array_size(list) >= 1);
  json_array_foreach(list, i, r)
    assert_string_equal(json_string_value(json_object_get(r, "site")), "north");
  json_decref(j);
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s", main_ticket);
  json_decref(call("GET", path, desk_north, NULL, 404));
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", main_ticket);
  json_decref(call("POST", path, desk_north, "{\"event\":\"accept\"}", 404));
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", north_ticket);
  json_decref(call("POST", path, desk_north, "{\"event\":\"accept\"}", 200));
  /* Filing for another site's building, and asking for another site. */
  j = call("POST", "/api/v1/repairs", desk_north, repair_body("1", "2", "301"), 400);
  assert_string_equal(error_field(j), "unit");
  json_decref(j);
  json_decref(call("GET", "/api/v1/repairs?site=main", desk_north, NULL, 403));
  /* A kiosk cannot file for another site's building either. */
  j = call("POST", "/api/v1/repairs", north_kiosk, repair_body("1", "2", "301"), 400);
  assert_string_equal(error_field(j), "unit");
  json_decref(j);
  /* Company-wide work is for admins of every site. */
  json_decref(call("PUT", "/api/v1/staff/tech-main/sites", desk_north, "{\"sites\":[]}", 403));
  /* The staff list shows north's colleagues and those of every site. */
  j = call("GET", "/api/v1/staff", desk_north, NULL, 200);
  json_array_foreach(json_object_get(j, "staff"), i, r)
    assert_string_not_equal(json_string_value(json_object_get(r, "name")), "tech-main");
  json_decref(j);
}

/* A technician of one site cannot be sent to another site's ticket. */
static void dispatch_stays_within_the_site(void **state)
{
  (void)state;
  char ticket[32], path[96];
  file_repair(north_kiosk, "N1", "1", "102", ticket);
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"accept\"}", 200));
  json_t *j = test_admin(&server, "POST", path,
                         "{\"event\":\"dispatch\",\"technician\":\"tech-main\"}", 400);
  assert_string_equal(error_field(j), "technician");
  json_decref(j);
  json_decref(test_admin(&server, "POST", path,
                         "{\"event\":\"dispatch\",\"technician\":\"tech-north\"}", 200));
}

/* North's working day ends at 20:00: a normal repair filed at 10:00 is
 * due at 20:00 there and at [repairs]'s 18:00 in main. */
static void deadlines_follow_the_site_working_day(void **state)
{
  (void)state;
  char main_ticket[32], north_ticket[32], path[96];
  file_repair(server.kiosk_token, "2", "1", "101", main_ticket);
  file_repair(north_kiosk, "N1", "1", "101", north_ticket);
  snprintf(path, sizeof path, "/api/v1/repairs/%s", main_ticket);
  json_t *m = test_admin(&server, "GET", path, NULL, 200);
  snprintf(path, sizeof path, "/api/v1/repairs/%s", north_ticket);
  json_t *n = test_admin(&server, "GET", path, NULL, 200);
  assert_string_equal(json_string_value(json_object_get(m, "due_at")), "2026-12-02T18:00:00+08:00");
  assert_string_equal(json_string_value(json_object_get(n, "due_at")), "2026-12-02T20:00:00+08:00");
  json_decref(m);
  json_decref(n);
}

/* The month's figures per site add up to the figures across sites. */
static void monthly_summary_per_site_and_across(void **state)
{
  (void)state;
  json_t *all = test_admin(&server, "GET", "/api/v1/repairs/summary?month=2026-12", NULL, 200);
  json_t *north = test_admin(&server, "GET", "/api/v1/repairs/summary?month=2026-12&site=north",
                             NULL, 200);
  json_t *main = test_admin(&server, "GET", "/api/v1/repairs/summary?month=2026-12&site=main",
                            NULL, 200);
  json_int_t total = json_integer_value(json_object_get(all, "total"));
  json_int_t n = json_integer_value(json_object_get(north, "total"));
  json_int_t m = json_integer_value(json_object_get(main, "total"));
  assert_true(n > 0 && m > 0);
  assert_int_equal(total, n + m);
  json_t *per_site = json_object_get(all, "sites");
  assert_int_equal(json_array_size(per_site), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(per_site, 1), "code")), "north");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(per_site, 1), "total")), n);
  assert_null(json_object_get(north, "sites"));
  json_decref(all);
  json_decref(north);
  json_decref(main);
  json_decref(call("GET", "/api/v1/repairs/summary?month=2026-12&site=main", desk_north, NULL, 403));
}

/* Visits belong to the kiosk's site; staff of several sites must say
 * which site a visitor they register is for. */
static void visits_belong_to_a_site(void **state)
{
  (void)state;
  json_t *v = call("POST", "/api/v1/visits", north_kiosk,
                   "{\"name\":\"赵六\",\"phone\":\"13700002222\",\"host\":\"N1-1-101\","
                   "\"purpose\":\"family\"}", 201);
  char north_visit[40], main_visit[40], body[160];
  snprintf(north_visit, sizeof north_visit, "%s", json_string_value(json_object_get(v, "id")));
  json_decref(v);
  v = call("POST", "/api/v1/visits", server.kiosk_token,
           "{\"name\":\"孙八\",\"phone\":\"13700003333\",\"host\":\"1-2-301\","
           "\"purpose\":\"family\"}", 201);
  snprintf(main_visit, sizeof main_visit, "%s", json_string_value(json_object_get(v, "id")));
  json_decref(v);
  /* The roll-call: north's desk ticks north's visitor, not main's. */
  snprintf(body, sizeof body, "{\"kind\":\"visit\",\"id\":\"%s\",\"safe\":true}", north_visit);
  json_decref(call("POST", "/api/v1/rollcall/marks", desk_north, body, 200));
  snprintf(body, sizeof body, "{\"kind\":\"visit\",\"id\":\"%s\",\"safe\":true}", main_visit);
  json_decref(call("POST", "/api/v1/rollcall/marks", desk_north, body, 409));
  json_decref(call("POST", "/api/v1/rollcall/marks", server.admin_token, body, 200));
  json_t *j = call("POST", "/api/v1/visits", server.admin_token,
                   "{\"name\":\"钱七\",\"phone\":\"13600003333\",\"host\":\"1-1-101\","
                   "\"purpose\":\"delivery\"}", 400);
  assert_string_equal(error_field(j), "site");
  json_decref(j);
  json_decref(call("POST", "/api/v1/visits", north_kiosk,
                   "{\"name\":\"x\",\"phone\":\"13600003333\",\"host\":\"h\",\"purpose\":\"delivery\","
                   "\"site\":\"main\"}", 400));
  j = call("GET", "/api/v1/visits", desk_north, NULL, 200);
  size_t i;
  json_t *row;
  assert_true(json_array_size(json_object_get(j, "visits")) >= 1);
  json_array_foreach(json_object_get(j, "visits"), i, row)
    assert_string_equal(json_string_value(json_object_get(row, "site")), "north");
  json_decref(j);
}

/* A visit's state as staff see it. */
static const char *visit_state(const char *id, char *buf, size_t size)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/visits/%s/status", id);
  json_t *j = test_admin(&server, "GET", path, NULL, 200);
  snprintf(buf, size, "%s", json_string_value(json_object_get(j, "state")));
  json_decref(j);
  return buf;
}

/* North signs its visitors out after 1 hour; main keeps the company's
 * hours.  Two hours on, only north's visitor is signed out. */
static void visitor_settings_are_per_site(void **state)
{
  (void)state;
  char north_id[32], main_id[32], buf[32];
  json_t *j = test_admin(&server, "PATCH", "/api/v1/sites/north", "{\"auto_checkout_hours\":1}", 200);
  assert_int_equal(json_integer_value(json_object_get(j, "auto_checkout_hours")), 1);
  assert_true(json_is_null(json_object_get(j, "visit_retention_days")));
  json_decref(j);
  json_decref(test_admin(&server, "PATCH", "/api/v1/sites/north", "{\"auto_checkout_hours\":0}", 400));
  j = call("POST", "/api/v1/visits", north_kiosk,
           "{\"name\":\"孙八\",\"phone\":\"13700004444\",\"host\":\"N1-1-102\",\"purpose\":\"family\"}",
           201);
  snprintf(north_id, sizeof north_id, "%s", json_string_value(json_object_get(j, "id")));
  json_decref(j);
  j = call("POST", "/api/v1/visits", server.kiosk_token,
           "{\"name\":\"周九\",\"phone\":\"13700005555\",\"host\":\"1-1-102\",\"purpose\":\"family\"}",
           201);
  snprintf(main_id, sizeof main_id, "%s", json_string_value(json_object_get(j, "id")));
  json_decref(j);
  assert_string_equal(visit_state(north_id, buf, sizeof buf), "approved");
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", FAKE_NOW + 2 * 3600);
  assert_int_equal(test_server_restart(&server), 0);
  for (int i = 0; i < 50 && strcmp(visit_state(north_id, buf, sizeof buf), "approved") == 0; i++)
    usleep(100 * 1000);
  assert_string_equal(visit_state(north_id, buf, sizeof buf), "checked_out");
  assert_string_equal(visit_state(main_id, buf, sizeof buf), "approved");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(sites_are_listed_and_checked),
    cmocka_unit_test(directories_are_per_site),
    cmocka_unit_test(feeds_are_per_site),
    cmocka_unit_test(front_desk_reaches_its_site_only),
    cmocka_unit_test(dispatch_stays_within_the_site),
    cmocka_unit_test(deadlines_follow_the_site_working_day),
    cmocka_unit_test(monthly_summary_per_site_and_across),
    cmocka_unit_test(visits_belong_to_a_site),
    cmocka_unit_test(visitor_settings_are_per_site),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
