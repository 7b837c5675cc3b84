/* The staff console's API end to end: sessions and CSRF, accounts, the
 * audit log, settings and retention, the kiosk feed preview, the monthly
 * summary, the CSV export, the event long-poll and the static files. */
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

#define REPAIR_BODY_FMT                                                               \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","  \
  "\"phone\":\"13812345678\",\"category\":\"%s\",\"kind\":\"in_unit\","               \
  "\"urgency\":\"normal\",\"preferred_time\":null,\"description\":\"%s\"}"

/* ---- HTTP through the harness (tests/support/test_server.c) ------------- */

typedef test_response reply;

/* One exchange; extra is a NULL-terminated list of header lines. */
static void call(const char *method, const char *path, const char *body, const char *const *extra,
                 reply *out)
{
  assert_int_equal(test_http(&server, method, path, NULL, body, extra, out), 0);
}

static void reply_free(reply *r)
{
  test_response_free(r);
}

static const char *error_code(reply *r)
{
  return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

/* A console session: the cookie line and the CSRF header line. */
typedef struct {
  char cookie[128];
  char csrf[128];
} session;

static long sign_in(const char *name, const char *password, session *s, reply *keep)
{
  char body[256];
  reply r;
  snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
  call("POST", "/api/v1/session", body, NULL, &r);
  long status = r.status;
  if (status == 200 && s) {
    const char *c = strstr(r.headers, "lobby_session=");
    assert_non_null(c);
    snprintf(s->cookie, sizeof s->cookie, "Cookie: %.*s", (int)strcspn(c, ";\r\n"), c);
    snprintf(s->csrf, sizeof s->csrf, "X-CSRF-Token: %s",
             json_string_value(json_object_get(r.json, "csrf_token")));
  }
  if (keep)
    *keep = r;
  else
    reply_free(&r);
  return status;
}

static long as_session(const session *s, bool with_csrf, const char *method, const char *path,
                       const char *body, reply *out)
{
  const char *h[] = {s->cookie, with_csrf ? s->csrf : NULL, NULL};
  call(method, path, body, h, out);
  return out->status;
}

static long as_admin(const char *method, const char *path, const char *body, reply *out)
{
  char auth[128];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.admin_token);
  const char *h[] = {auth, NULL};
  call(method, path, body, h, out);
  return out->status;
}

static void expect_admin(const char *method, const char *path, const char *body, long status)
{
  reply r;
  if (as_admin(method, path, body, &r) != status)
    fprintf(stderr, "%s %s -> %ld %s\n", method, path, r.status, r.body);
  assert_int_equal(r.status, status);
  reply_free(&r);
}

static void make_account(const char *name, const char *role, const char *password)
{
  char body[256];
  snprintf(body, sizeof body, "{\"name\":\"%s\",\"role\":\"%s\",\"password\":\"%s\"}", name, role,
           password);
  expect_admin("POST", "/api/v1/staff", body, 201);
}

static void file_repair(const char *category, const char *description, char ticket[32])
{
  static unsigned n;
  char body[1024], key[80], auth[128];
  snprintf(body, sizeof body, REPAIR_BODY_FMT, category, description);
  snprintf(key, sizeof key, "Idempotency-Key: console-%ld-%u", (long)getpid(), ++n);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.kiosk_token);
  const char *h[] = {auth, key, NULL};
  reply r;
  call("POST", "/api/v1/repairs", body, h, &r);
  assert_int_equal(r.status, 201);
  snprintf(ticket, 32, "%s", json_string_value(json_object_get(r.json, "ticket")));
  reply_free(&r);
}

static void repair_event(const char *ticket, const char *body)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  expect_admin("POST", path, body, 200);
}

static int group_setup(void **state)
{
  (void)state;
  if (test_server_start(&server) != 0)
    return -1;
  char cmd[512];
  snprintf(cmd, sizeof cmd, "echo 'admin-pass-1' | '%s' set-password --db '%s' --name admin",
           LOBBYD_PATH, server.db);
  return system(cmd) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* ---- sessions --------------------------------------------------------- */

static void sign_in_sets_a_safe_cookie(void **state)
{
  (void)state;
  session s;
  reply r;
  assert_int_equal(sign_in("admin", "admin-pass-1", &s, &r), 200);
  assert_non_null(strstr(r.headers, "HttpOnly"));
  assert_non_null(strstr(r.headers, "SameSite=Strict"));
  assert_null(strstr(r.headers, "Secure"));
  assert_string_equal(json_string_value(json_object_get(r.json, "role")), "admin");
  reply_free(&r);

  /* Behind a TLS proxy the cookie is Secure. */
  const char *https[] = {"X-Forwarded-Proto: https", NULL};
  call("POST", "/api/v1/session", "{\"name\":\"admin\",\"password\":\"admin-pass-1\"}", https, &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "; Secure"));
  reply_free(&r);

  assert_int_equal(as_session(&s, false, "GET", "/api/v1/session", NULL, &r), 200);
  assert_string_equal(json_string_value(json_object_get(r.json, "name")), "admin");
  reply_free(&r);

  assert_int_equal(sign_in("admin", "not-the-password", NULL, &r), 401);
  assert_string_equal(error_code(&r), "unauthorized");
  reply_free(&r);
  assert_int_equal(sign_in("nobody-here", "whatever-1", NULL, NULL), 401);
  /* A token-only staff member has no password and cannot sign in. */
  char token[64];
  assert_int_equal(test_staff(&server, "token-only", "front_desk", token), 0);
  assert_int_equal(sign_in("token-only", "", NULL, NULL), 400);
  assert_int_equal(sign_in("token-only", "anything-1", NULL, NULL), 401);

  /* Sign-out ends the session on the server. */
  assert_int_equal(as_session(&s, true, "DELETE", "/api/v1/session", NULL, &r), 200);
  assert_non_null(strstr(r.headers, "Max-Age=0"));
  reply_free(&r);
  assert_int_equal(as_session(&s, false, "GET", "/api/v1/session", NULL, &r), 401);
  reply_free(&r);
}

static void cookie_changes_need_the_csrf_token(void **state)
{
  (void)state;
  session s;
  reply r;
  const char *notice = "{\"title\":\"CSRF test\",\"body\":\"body\"}";
  assert_int_equal(sign_in("admin", "admin-pass-1", &s, NULL), 200);
  assert_int_equal(as_session(&s, false, "POST", "/api/v1/notices", notice, &r), 403);
  assert_string_equal(error_code(&r), "csrf");
  reply_free(&r);
  session forged = s;
  snprintf(forged.csrf, sizeof forged.csrf, "X-CSRF-Token: %064d", 0);
  assert_int_equal(as_session(&forged, true, "POST", "/api/v1/notices", notice, &r), 403);
  reply_free(&r);
  assert_int_equal(as_session(&s, true, "POST", "/api/v1/notices", notice, &r), 201);
  reply_free(&r);
  /* Reads need no token, and bearer tokens are not cookies: no CSRF. */
  assert_int_equal(as_session(&s, false, "GET", "/api/v1/notices", NULL, &r), 200);
  reply_free(&r);
  expect_admin("POST", "/api/v1/notices", notice, 201);
}

static void sign_in_is_rate_limited(void **state)
{
  (void)state;
  reply r;
  make_account("guessed", "front_desk", "right-pass-1");
  long last = 0;
  for (int i = 0; i < 7; i++)
    last = sign_in("guessed", "wrong-pass", NULL, i == 6 ? &r : NULL);
  assert_int_equal(last, 429);
  assert_string_equal(error_code(&r), "rate_limited");
  assert_non_null(strstr(r.body, "try again"));
  reply_free(&r);
  /* Even the right password waits out the limit. */
  assert_int_equal(sign_in("guessed", "right-pass-1", NULL, NULL), 429);
}

static void password_change_and_reset(void **state)
{
  (void)state;
  session s, other;
  reply r;
  make_account("desk-pw", "front_desk", "first-pass-1");
  assert_int_equal(sign_in("desk-pw", "first-pass-1", &s, NULL), 200);
  assert_int_equal(sign_in("desk-pw", "first-pass-1", &other, NULL), 200);
  assert_int_equal(as_session(&s, true, "POST", "/api/v1/session/password",
                              "{\"current\":\"wrong\",\"new\":\"second-pass-2\"}", &r), 400);
  reply_free(&r);
  assert_int_equal(as_session(&s, true, "POST", "/api/v1/session/password",
                              "{\"current\":\"first-pass-1\",\"new\":\"short\"}", &r), 400);
  reply_free(&r);
  assert_int_equal(as_session(&s, true, "POST", "/api/v1/session/password",
                              "{\"current\":\"first-pass-1\",\"new\":\"second-pass-2\"}", &r), 200);
  reply_free(&r);
  /* This session goes on; the other one ended. */
  assert_int_equal(as_session(&s, false, "GET", "/api/v1/session", NULL, &r), 200);
  reply_free(&r);
  assert_int_equal(as_session(&other, false, "GET", "/api/v1/session", NULL, &r), 401);
  reply_free(&r);
  assert_int_equal(sign_in("desk-pw", "second-pass-2", NULL, NULL), 200);

  /* An admin's reset signs the member out everywhere. */
  expect_admin("POST", "/api/v1/staff/desk-pw/password", "{\"password\":\"third-pass-3\"}", 200);
  assert_int_equal(as_session(&s, false, "GET", "/api/v1/session", NULL, &r), 401);
  reply_free(&r);
  assert_int_equal(sign_in("desk-pw", "third-pass-3", NULL, NULL), 200);
  expect_admin("POST", "/api/v1/staff/nobody/password", "{\"password\":\"third-pass-3\"}", 404);
}

static void accounts_are_managed_by_admins(void **state)
{
  (void)state;
  session desk;
  reply r;
  make_account("desk-acct", "front_desk", "desk-pass-1");
  make_account("tech-acct", "technician", "tech-pass-1");
  expect_admin("POST", "/api/v1/staff", "{\"name\":\"tech-acct\",\"role\":\"technician\",\"password\":\"x-pass-123\"}", 409);
  expect_admin("POST", "/api/v1/staff", "{\"name\":\"weak\",\"role\":\"technician\",\"password\":\"short\"}", 400);
  expect_admin("POST", "/api/v1/staff", "{\"name\":\"bad\",\"role\":\"boss\",\"password\":\"long-enough\"}", 400);
  /* Token creation keeps working for lobbyctl. */
  assert_int_equal(as_admin("POST", "/api/v1/staff", "{\"name\":\"ctl-user\",\"role\":\"front_desk\"}", &r), 201);
  assert_non_null(strstr(json_string_value(json_object_get(r.json, "token")), "ls_"));
  reply_free(&r);

  assert_int_equal(sign_in("desk-acct", "desk-pass-1", &desk, NULL), 200);
  assert_int_equal(as_session(&desk, false, "GET", "/api/v1/staff", NULL, &r), 200);
  assert_true(json_array_size(json_object_get(r.json, "staff")) >= 3);
  reply_free(&r);
  assert_int_equal(as_session(&desk, true, "POST", "/api/v1/staff/tech-acct/disable", NULL, &r), 403);
  reply_free(&r);

  expect_admin("POST", "/api/v1/staff/desk-acct/disable", NULL, 200);
  assert_int_equal(as_session(&desk, false, "GET", "/api/v1/session", NULL, &r), 401);
  reply_free(&r);
  /* The disabled person is told so, once the password is right; a wrong
   * one still says only "wrong name or password". */
  assert_int_equal(sign_in("desk-acct", "desk-pass-1", NULL, &r), 403);
  assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")),
                      "account_disabled");
  reply_free(&r);
  assert_int_equal(sign_in("desk-acct", "not-the-password", NULL, &r), 401);
  assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")),
                      "unauthorized");
  reply_free(&r);
  expect_admin("POST", "/api/v1/staff/desk-acct/enable", NULL, 200);
  assert_int_equal(sign_in("desk-acct", "desk-pass-1", NULL, NULL), 200);
  /* The bearer token here is admin's own: nobody locks themselves out. */
  expect_admin("POST", "/api/v1/staff/admin/disable", NULL, 409);
  expect_admin("POST", "/api/v1/staff/nobody/disable", NULL, 404);
}

static void set_password_cli_makes_a_console_login(void **state)
{
  (void)state;
  char cmd[512];
  snprintf(cmd, sizeof cmd, "echo 'cli-pass-123' | '%s' set-password --db '%s' --name 'cli-tech' "
           "--role technician", LOBBYD_PATH, server.db);
  assert_int_equal(system(cmd), 0);
  reply r;
  assert_int_equal(sign_in("cli-tech", "cli-pass-123", NULL, &r), 200);
  assert_string_equal(json_string_value(json_object_get(r.json, "role")), "technician");
  reply_free(&r);
  snprintf(cmd, sizeof cmd, "echo 'short' | '%s' set-password --db '%s' --name x 2>/dev/null",
           LOBBYD_PATH, server.db);
  assert_int_not_equal(system(cmd), 0);
}

/* How many audit entries a query returns, each checked to be by actor and
 * to start with action_prefix (when given). */
static size_t audit_count(const char *query, const char *actor, const char *action_prefix)
{
  char path[160];
  reply r;
  snprintf(path, sizeof path, "/api/v1/audit%s", query);
  assert_int_equal(as_admin("GET", path, NULL, &r), 200);
  json_t *list = json_object_get(r.json, "entries");
  size_t i;
  json_t *e;
  json_array_foreach(list, i, e) {
    if (actor)
      assert_string_equal(json_string_value(json_object_get(e, "actor")), actor);
    if (action_prefix)
      assert_true(strncmp(json_string_value(json_object_get(e, "action")), action_prefix,
                          strlen(action_prefix)) == 0);
  }
  size_t n = json_array_size(list);
  /* Under a page's size, the page is everything lobbyd counted. */
  assert_int_equal(json_integer_value(json_object_get(r.json, "total")), n);
  reply_free(&r);
  return n;
}

/* The total of a query, and that a page of one and the page before the
 * newest entry still count every match. */
static void audit_total_is_every_match(const char *query)
{
  char path[200];
  reply r;
  snprintf(path, sizeof path, "/api/v1/audit?limit=500&%s", query);
  assert_int_equal(as_admin("GET", path, NULL, &r), 200);
  json_int_t total = json_integer_value(json_object_get(r.json, "total"));
  json_int_t newest = json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "entries"), 0), "id"));
  assert_int_equal(json_array_size(json_object_get(r.json, "entries")), total);
  assert_true(total >= 2);
  reply_free(&r);
  snprintf(path, sizeof path, "/api/v1/audit?limit=1&before=%lld&%s", (long long)newest, query);
  assert_int_equal(as_admin("GET", path, NULL, &r), 200);
  assert_int_equal(json_array_size(json_object_get(r.json, "entries")), 1);
  assert_int_equal(json_integer_value(json_object_get(r.json, "total")), total);
  assert_true(json_integer_value(json_object_get(json_array_get(json_object_get(r.json, "entries"), 0), "id")) < newest);
  reply_free(&r);
}

static void audit_log_records_staff_actions(void **state)
{
  (void)state;
  char ticket[32];
  session desk;
  reply r;
  make_account("desk-audit", "front_desk", "desk-pass-1");
  file_repair("water", "audit", ticket);
  repair_event(ticket, "{\"event\":\"accept\"}");
  assert_int_equal(sign_in("desk-audit", "desk-pass-1", &desk, NULL), 200);
  assert_int_equal(as_session(&desk, false, "GET", "/api/v1/audit", NULL, &r), 403);
  reply_free(&r);
  assert_int_equal(as_admin("GET", "/api/v1/audit?limit=500", NULL, &r), 200);
  bool accepted = false, signed_in = false, failed = false;
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r.json, "entries"), i, e) {
    const char *action = json_string_value(json_object_get(e, "action"));
    const char *target = json_string_value(json_object_get(e, "target"));
    const char *actor = json_string_value(json_object_get(e, "actor"));
    if (strcmp(action, "repair.event") == 0 && strcmp(target, ticket) == 0 &&
        strcmp(json_string_value(json_object_get(e, "detail")), "accept") == 0 &&
        strcmp(actor, "admin") == 0)
      accepted = true;
    if (strcmp(action, "session.sign_in") == 0 && strcmp(actor, "desk-audit") == 0)
      signed_in = true;
    if (strcmp(action, "session.sign_in_failed") == 0)
      failed = true;
  }
  assert_true(accepted && signed_in && failed);
  /* No resident's phone anywhere in the log. */
  assert_null(strstr(r.body, "13812345678"));
  reply_free(&r);
  expect_admin("GET", "/api/v1/audit?limit=0", NULL, 400);
  expect_admin("GET", "/api/v1/audit?action=Repair!", NULL, 400);
  expect_admin("GET", "/api/v1/audit?from=tomorrow", NULL, 400);
  /* Filters: one person, a kind of action (the part before the dot, whole)
   * or one action, a time range. */
  assert_int_equal(audit_count("?actor=desk-audit&action=session", "desk-audit", "session."), 1);
  assert_true(audit_count("?action=repair.event", NULL, "repair.event") >= 1);
  assert_true(audit_count("?action=repair", NULL, "repair.") >= 1);
  assert_int_equal(audit_count("?action=rep", NULL, NULL), 0);
  assert_int_equal(audit_count("?from=2999-01-01", NULL, NULL), 0);
  assert_int_equal(audit_count("?to=2000-01-01", NULL, NULL), 0);
  assert_true(audit_count("?from=2000-01-01&to=2999-01-01&actor=admin", "admin", NULL) >= 1);
  audit_total_is_every_match("actor=admin");
  audit_total_is_every_match("action=session");
}

static void settings_override_the_ini(void **state)
{
  (void)state;
  session desk;
  reply r;
  assert_int_equal(as_admin("GET", "/api/v1/settings", NULL, &r), 200);
  assert_int_equal(json_integer_value(json_object_get(r.json, "auto_checkout_hours")), 4);
  assert_int_equal(json_integer_value(json_object_get(r.json, "visit_retention_days")), 180);
  reply_free(&r);
  expect_admin("PUT", "/api/v1/settings", "{\"auto_checkout_hours\":0}", 400);
  expect_admin("PUT", "/api/v1/settings", "{\"colour\":1}", 400);
  assert_int_equal(as_admin("PUT", "/api/v1/settings", "{\"auto_checkout_hours\":6}", &r), 200);
  assert_int_equal(json_integer_value(json_object_get(r.json, "auto_checkout_hours")), 6);
  assert_int_equal(json_integer_value(json_object_get(r.json, "visit_retention_days")), 180);
  reply_free(&r);
  make_account("desk-settings", "front_desk", "desk-pass-1");
  assert_int_equal(sign_in("desk-settings", "desk-pass-1", &desk, NULL), 200);
  assert_int_equal(as_session(&desk, true, "PUT", "/api/v1/settings", "{\"auto_checkout_hours\":5}", &r), 403);
  reply_free(&r);
  expect_admin("PUT", "/api/v1/settings", "{\"auto_checkout_hours\":4}", 200);
}

static void kiosk_feed_preview_matches_the_kiosk(void **state)
{
  (void)state;
  reply r, k;
  expect_admin("POST", "/api/v1/notices",
               "{\"title\":\"只给2号楼\",\"body\":\"b\",\"target\":{\"type\":\"building\",\"building\":\"2\"}}", 201);
  expect_admin("POST", "/api/v1/notices",
               "{\"title\":\"给east组\",\"body\":\"b\",\"target\":{\"type\":\"group\",\"group\":\"east\"}}", 201);
  assert_int_equal(as_admin("GET", "/api/v1/kiosks/lobby-1/feed", NULL, &r), 200);
  assert_non_null(strstr(r.body, "给east组"));
  assert_null(strstr(r.body, "只给2号楼"));
  char auth[128];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.kiosk_token);
  const char *h[] = {auth, NULL};
  call("GET", "/api/v1/feed", NULL, h, &k);
  assert_string_equal(json_string_value(json_object_get(r.json, "version")),
                      json_string_value(json_object_get(k.json, "version")));
  reply_free(&r);
  reply_free(&k);
  expect_admin("GET", "/api/v1/kiosks/no-such-kiosk/feed", NULL, 404);
}

static void monthly_summary(void **state)
{
  (void)state;
  char a[32], b[32], c[32];
  reply r;
  make_account("tech-sum", "technician", "tech-pass-1");
  file_repair("lift", "summary a", a);
  file_repair("lift", "summary b", b);
  file_repair("door_lock", "summary c", c);
  repair_event(a, "{\"event\":\"accept\"}");
  repair_event(a, "{\"event\":\"dispatch\",\"technician\":\"tech-sum\"}");
  repair_event(a, "{\"event\":\"on_site\"}");
  repair_event(a, "{\"event\":\"complete\"}");
  repair_event(a, "{\"event\":\"return_visit\",\"satisfaction\":3}");
  repair_event(b, "{\"event\":\"accept\"}");
  repair_event(c, "{\"event\":\"cancel\",\"reason\":\"住户自行修好\"}");
  char path[64], month[8];
  time_t now = time(NULL) + 8 * 3600;
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(month, sizeof month, "%Y-%m", &tm);
  snprintf(path, sizeof path, "/api/v1/repairs/summary?month=%s", month);
  assert_int_equal(as_admin("GET", path, NULL, &r), 200);
  json_t *cat = json_object_get(r.json, "by_category");
  assert_true(json_integer_value(json_object_get(cat, "lift")) >= 2);
  assert_true(json_integer_value(json_object_get(json_object_get(r.json, "by_status"), "cancelled")) >= 1);
  assert_true(json_is_number(json_object_get(r.json, "median_minutes_to_accept")));
  assert_true(json_is_number(json_object_get(r.json, "median_minutes_to_complete")));
  json_t *sla = json_object_get(r.json, "sla");
  assert_true(json_integer_value(json_object_get(sla, "met")) >= 1);
  assert_true(json_real_value(json_object_get(sla, "rate")) > 0.0);
  assert_true(json_real_value(json_object_get(json_object_get(r.json, "satisfaction"), "average")) > 0.0);
  assert_string_equal(json_string_value(json_object_get(r.json, "month")), month);
  reply_free(&r);
  expect_admin("GET", "/api/v1/repairs/summary?month=2026-13", NULL, 400);
  expect_admin("GET", "/api/v1/repairs/summary?month=November", NULL, 400);
  assert_int_equal(as_admin("GET", "/api/v1/repairs/summary?month=2001-01", NULL, &r), 200);
  assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
  assert_true(json_is_null(json_object_get(json_object_get(r.json, "sla"), "rate")));
  reply_free(&r);
}

static void csv_export_opens_in_excel(void **state)
{
  (void)state;
  char ticket[32];
  reply r;
  file_repair("appliance", "=HYPERLINK(\\\"http://x\\\") 说 \\\"漏\\\"", ticket);
  assert_int_equal(as_admin("GET", "/api/v1/repairs/export.csv?category=appliance", NULL, &r), 200);
  assert_non_null(strstr(r.headers, "text/csv; charset=utf-8"));
  assert_non_null(strstr(r.headers, "attachment"));
  assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
  assert_int_equal(strncmp(r.body + 3, "\"工单号\",\"状态\",\"报修时间\"", strlen("\"工单号\",\"状态\",\"报修时间\"")), 0);
  char *row = strstr(r.body, ticket);
  assert_non_null(row);
  /* CRLF line ends, the formula neutralised, quotes doubled. */
  assert_memory_equal(row - 3, "\r\n\"", 3);
  assert_non_null(strstr(row, "\"'=HYPERLINK(\"\"http://x\"\") 说 \"\"漏\"\"\""));
  assert_non_null(strstr(row, "\"家电\""));
  assert_null(strstr(r.body, "\"water\""));
  assert_int_equal(r.body[r.len - 2], '\r');
  assert_int_equal(r.body[r.len - 1], '\n');
  reply_free(&r);
  expect_admin("GET", "/api/v1/repairs/export.csv?status=bogus", NULL, 400);
  /* Technicians cannot export the ledger. */
  session tech;
  make_account("tech-csv", "technician", "tech-pass-1");
  assert_int_equal(sign_in("tech-csv", "tech-pass-1", &tech, NULL), 200);
  assert_int_equal(as_session(&tech, false, "GET", "/api/v1/repairs/export.csv", NULL, &r), 403);
  reply_free(&r);
}

typedef struct {
  long long since;
  double seconds;
  long status;
  long long seq;
} waiter;

static void *wait_for_events(void *arg)
{
  waiter *w = arg;
  char path[96];
  struct timespec a, b;
  reply r;
  snprintf(path, sizeof path, "/api/v1/events?since=%lld&wait=10", w->since);
  clock_gettime(CLOCK_MONOTONIC, &a);
  as_admin("GET", path, NULL, &r);
  clock_gettime(CLOCK_MONOTONIC, &b);
  w->seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  w->status = r.status;
  w->seq = json_integer_value(json_object_get(r.json, "seq"));
  reply_free(&r);
  return NULL;
}

static void events_wake_the_console_at_once(void **state)
{
  (void)state;
  reply r;
  assert_int_equal(as_admin("GET", "/api/v1/events", NULL, &r), 200);
  long long seq = json_integer_value(json_object_get(r.json, "seq"));
  long long repairs = json_integer_value(json_object_get(r.json, "repairs"));
  reply_free(&r);
  waiter w = {.since = seq};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, wait_for_events, &w), 0);
  usleep(300 * 1000);
  char ticket[32];
  file_repair("water", "events", ticket);
  pthread_join(th, NULL);
  assert_int_equal(w.status, 200);
  assert_true(w.seq > seq);
  assert_true(w.seconds < 1.5);
  assert_int_equal(as_admin("GET", "/api/v1/events", NULL, &r), 200);
  assert_true(json_integer_value(json_object_get(r.json, "repairs")) > repairs);
  reply_free(&r);
  /* With nothing new, the wait ends on time with the same sequence. */
  char path[96];
  snprintf(path, sizeof path, "/api/v1/events?since=%lld&wait=1", w.seq);
  assert_int_equal(as_admin("GET", path, NULL, &r), 200);
  assert_int_equal(json_integer_value(json_object_get(r.json, "seq")), w.seq);
  reply_free(&r);
  expect_admin("GET", "/api/v1/events?wait=61&since=1", NULL, 400);
  char auth[128];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.kiosk_token);
  const char *h[] = {auth, NULL};
  call("GET", "/api/v1/events", NULL, h, &r);
  assert_int_equal(r.status, 403);
  reply_free(&r);
}

static void console_files_are_served_safely(void **state)
{
  (void)state;
  reply r;
  call("GET", "/console/", NULL, NULL, &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "Content-Security-Policy: default-src 'self'"));
  assert_non_null(strstr(r.headers, "X-Content-Type-Options: nosniff"));
  assert_non_null(strstr(r.headers, "text/html; charset=utf-8"));
  reply_free(&r);
  call("GET", "/console/app.js", NULL, NULL, &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "text/javascript"));
  reply_free(&r);
  call("GET", "/console", NULL, NULL, &r);
  assert_int_equal(r.status, 302);
  assert_non_null(strstr(r.headers, "Location: /console/"));
  reply_free(&r);
  static const char *const bad[] = {
    "/console/../CMakeLists.txt", "/console/%2e%2e/%2e%2e/etc/passwd", "/console/..%2f..%2fREADME.md",
    "/console/x/../../lobbyd.h", "/console/.git", "/console//etc/passwd", "/console/index.html/..",
    "/console/nothing.js", "/console/i18n.js.bak", NULL};
  for (int i = 0; bad[i]; i++) {
    call("GET", bad[i], NULL, NULL, &r);
    if (r.status != 404)
      fprintf(stderr, "%s -> %ld\n", bad[i], r.status);
    assert_int_equal(r.status, 404);
    reply_free(&r);
  }
  call("POST", "/console/index.html", "{}", NULL, &r);
  assert_int_equal(r.status, 405);
  reply_free(&r);
}

/* Runs last: it restarts lobbyd 200 days in the future. */
static void old_visits_are_anonymised(void **state)
{
  (void)state;
  char key[80], auth[128];
  reply r;
  snprintf(key, sizeof key, "Idempotency-Key: retention-%ld", (long)getpid());
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.kiosk_token);
  const char *h[] = {auth, key, NULL};
  call("POST", "/api/v1/visits", "{\"name\":\"王五\",\"phone\":\"13900009999\",\"host\":\"1-2-301\","
       "\"purpose\":\"family\",\"party_size\":1,\"plate\":\"京A88888\"}", h, &r);
  assert_int_equal(r.status, 201);
  char id[32];
  snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
  reply_free(&r);
  test_server_kill9(&server);
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%lld",
           (long long)time(NULL) + 200LL * 86400);
  assert_int_equal(test_server_restart(&server), 0);
  server.extra_env[0] = '\0';
  bool done = false;
  for (int i = 0; i < 40 && !done; i++) {
    usleep(100 * 1000);
    assert_int_equal(as_admin("GET", "/api/v1/visits", NULL, &r), 200);
    done = strstr(r.body, id) && !strstr(r.body, "13900009999") && !strstr(r.body, "王五") &&
           !strstr(r.body, "京A88888");
    reply_free(&r);
  }
  assert_true(done);
  assert_int_equal(test_server_restart(&server), 0);
}

int main(void)
{
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(sign_in_sets_a_safe_cookie),
    cmocka_unit_test(cookie_changes_need_the_csrf_token),
    cmocka_unit_test(sign_in_is_rate_limited),
    cmocka_unit_test(password_change_and_reset),
    cmocka_unit_test(accounts_are_managed_by_admins),
    cmocka_unit_test(set_password_cli_makes_a_console_login),
    cmocka_unit_test(audit_log_records_staff_actions),
    cmocka_unit_test(settings_override_the_ini),
    cmocka_unit_test(kiosk_feed_preview_matches_the_kiosk),
    cmocka_unit_test(monthly_summary),
    cmocka_unit_test(csv_export_opens_in_excel),
    cmocka_unit_test(events_wake_the_console_at_once),
    cmocka_unit_test(console_files_are_served_safely),
    cmocka_unit_test(old_visits_are_anonymised),
  };
  int failed = cmocka_run_group_tests_name("console_api", tests, group_setup, group_teardown);
  curl_global_cleanup();
  return failed;
}
