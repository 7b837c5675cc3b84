/* Complaints and suggestions end to end: a real lobbyd (SQLite, or
 * PostgreSQL under tests/support/with_postgres.sh), real HTTP, kiosk
 * lobby-1 and the demo directory.  The server's clock starts at Friday
 * 2026-12-04 10:00 (+08:00), so "within one working day" is Monday
 * 10:00; later cases restart it a week on to see what became overdue
 * and was escalated to the managers, and four days more. */
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

static test_server server;
static char desk[64], tech[64], guard[64];

static const char *key_header(char *buf, size_t size)
{
  static unsigned counter;
  snprintf(buf, size, "Idempotency-Key: complaints-%ld-%u", (long)getpid(), ++counter);
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

static const char *error_field(json_t *j)
{
  return str(json_object_get(j, "error"), "field");
}

#define NOISE_COMPLAINT                                                                 \
  "{\"kind\":\"complaint\",\"category\":\"noise_neighbours\","                          \
  "\"description\":\"楼上每晚十一点后还在装修，噪音很大\","                             \
  "\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},"                      \
  "\"name\":\"王芳\",\"phone\":\"13800138000\"}"

static void file(const char *token, const char *body, char number[32])
{
  json_t *j = call("POST", "/api/v1/complaints", token, body, 201);
  snprintf(number, 32, "%s", str(j, "number"));
  json_decref(j);
}

/* Records an event as the admin; returns the record. */
static json_t *event(const char *number, const char *body, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/complaints/%s/events", number);
  return call("POST", path, server.admin_token, body, status);
}

static int setup(void **state)
{
  (void)state;
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", FRIDAY_10AM);
  if (test_server_start(&server) != 0 || test_staff(&server, "desk-1", "front_desk", desk) != 0 ||
      test_staff(&server, "tech-1", "technician", tech) != 0 ||
      test_staff(&server, "guard-1", "guard", guard) != 0)
    return -1;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* Filed on a Friday morning, a complaint is to be answered by Monday at
 * the same time; a retry with the same key files nothing new. */
static void a_complaint_is_due_one_working_day_later(void **state)
{
  (void)state;
  const char *headers[] = {"Idempotency-Key: complaint-retry-1", NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/complaints", server.kiosk_token,
                             NOISE_COMPLAINT, headers, &r), 0);
  assert_int_equal(r.status, 201);
  assert_string_equal(str(r.json, "number"), "C-20261204-0001");
  assert_string_equal(str(r.json, "status"), "submitted");
  assert_string_equal(str(r.json, "kind"), "complaint");
  assert_string_equal(str(r.json, "reply_due_at"), "2026-12-07T10:00:00+08:00");
  test_response_free(&r);
  assert_int_equal(test_http(&server, "POST", "/api/v1/complaints", server.kiosk_token,
                             NOISE_COMPLAINT, headers, &r), 0);
  assert_int_equal(r.status, 201);
  assert_true(r.replayed);
  assert_string_equal(str(r.json, "number"), "C-20261204-0001");
  test_response_free(&r);
  json_t *j = test_admin(&server, "GET", "/api/v1/complaints?kind=complaint", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "complaints")), 1);
  json_t *c = json_array_get(json_object_get(j, "complaints"), 0);
  assert_string_equal(str(c, "site"), "main");
  assert_string_equal(str(c, "source"), "kiosk");
  assert_string_equal(str(c, "phone"), "13800138000");
  assert_string_equal(str(json_object_get(c, "unit"), "room"), "301");
  assert_false(json_is_true(json_object_get(c, "overdue")));
  json_decref(j);
}

/* A complaint must be answerable; a suggestion may be anonymous. */
static void a_complaint_needs_a_unit_and_a_phone(void **state)
{
  (void)state;
  json_t *j = call("POST", "/api/v1/complaints", server.kiosk_token,
                   "{\"kind\":\"complaint\",\"category\":\"cleaning\",\"description\":\"垃圾没清\","
                   "\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"}}", 400);
  assert_string_equal(error_field(j), "name");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"complaint\",\"category\":\"cleaning\",\"description\":\"垃圾没清\","
           "\"name\":\"王芳\",\"phone\":\"13800138000\"}", 400);
  assert_string_equal(error_field(j), "unit");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"suggestion\",\"category\":\"cleaning\",\"description\":\"建议增加垃圾桶\","
           "\"phone\":\"13800138000\"}", 400);
  assert_string_equal(error_field(j), "name");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"complaint\",\"category\":\"fees\",\"description\":\"x\",\"source\":\"phone\"}",
           400);
  assert_string_equal(error_field(j), "source");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"gripe\",\"category\":\"fees\",\"description\":\"x\"}", 400);
  assert_string_equal(error_field(j), "kind");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"complaint\",\"category\":\"fees\",\"description\":\"物业费\","
           "\"unit\":{\"building\":\"9\",\"unit\":\"9\",\"room\":\"999\"},"
           "\"name\":\"王芳\",\"phone\":\"13800138000\"}", 400);
  assert_string_equal(error_field(j), "unit");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"suggestion\",\"category\":\"facilities\","
           "\"description\":\"建议在东门加装一个快递柜\"}", 201);
  assert_string_equal(str(j, "kind"), "suggestion");
  json_decref(j);
}

/* The whole ledger: accepted, given a responsible person, replied (the
 * resident reads the reply at a kiosk), visited back unsatisfied, so
 * followed up, replied again, visited back satisfied, closed. */
static void a_complaint_is_answered_followed_up_and_closed(void **state)
{
  (void)state;
  char number[32], path[128];
  file(server.kiosk_token, NOISE_COMPLAINT, number);
  json_decref(event(number, "{\"event\":\"accept\"}", 200));
  /* Replies come from the responsible person, so one is named first. */
  json_decref(event(number, "{\"event\":\"reply\",\"reply\":\"已处理\"}", 409));
  json_t *j = event(number, "{\"event\":\"assign\",\"responsible\":\"nobody\"}", 400);
  assert_string_equal(error_field(j), "responsible");
  json_decref(j);
  j = event(number, "{\"event\":\"assign\",\"responsible\":\"desk-1\"}", 200);
  assert_string_equal(str(j, "responsible"), "desk-1");
  assert_string_equal(str(j, "status"), "assigned");
  json_decref(j);
  snprintf(path, sizeof path, "/api/v1/complaints/%s/events", number);
  json_decref(call("POST", path, desk,
                   "{\"event\":\"reply\",\"reply\":\"已联系楼上住户，晚上十点后停止施工。\"}", 200));
  /* The resident reads the reply at a kiosk, without name, phone or unit. */
  snprintf(path, sizeof path, "/api/v1/complaints/lookup?number=%s&phone_last4=8000", number);
  j = call("GET", path, server.kiosk_token, NULL, 200);
  assert_string_equal(str(j, "status"), "replied");
  assert_string_equal(str(j, "reply"), "已联系楼上住户，晚上十点后停止施工。");
  assert_null(json_object_get(j, "phone"));
  assert_null(json_object_get(j, "name"));
  assert_null(json_object_get(j, "unit"));
  json_decref(j);
  snprintf(path, sizeof path, "/api/v1/complaints/lookup?number=%s&phone_last4=1234", number);
  json_decref(call("GET", path, server.kiosk_token, NULL, 404));
  json_decref(event(number, "{\"event\":\"close\"}", 409));
  j = event(number, "{\"event\":\"return_visit\",\"satisfaction\":\"unsatisfied\","
                    "\"comment\":\"还是很吵\"}", 200);
  assert_string_equal(str(j, "status"), "follow_up");
  json_decref(j);
  json_decref(event(number, "{\"event\":\"reply\",\"reply\":\"已约谈施工队，装修时间改为九点到十八点。\"}", 200));
  json_decref(event(number, "{\"event\":\"return_visit\",\"satisfaction\":\"satisfied\"}", 200));
  j = event(number, "{\"event\":\"close\",\"note\":\"住户满意\"}", 200);
  assert_string_equal(str(j, "status"), "closed");
  assert_string_equal(str(j, "satisfaction"), "satisfied");
  assert_string_equal(str(j, "reply"), "已约谈施工队，装修时间改为九点到十八点。");
  json_t *events = json_object_get(j, "events");
  assert_int_equal(json_array_size(events), 8);
  assert_string_equal(str(json_array_get(events, 0), "event"), "submit");
  assert_string_equal(str(json_array_get(events, 2), "responsible"), "desk-1");
  assert_string_equal(str(json_array_get(events, 3), "by"), "desk-1");
  assert_string_equal(str(json_array_get(events, 4), "satisfaction"), "unsatisfied");
  assert_string_equal(str(json_array_get(events, 4), "comment"), "还是很吵");
  assert_string_equal(str(json_array_get(events, 7), "note"), "住户满意");
  assert_null(json_object_get(json_array_get(events, 1), "reply"));
  json_decref(j);
}

/* Suggestions are answered on the spot: reply and close in one step;
 * a complaint cannot skip its return visit that way. */
static void a_suggestion_is_answered_and_closed_at_once(void **state)
{
  (void)state;
  char number[32], complaint[32];
  file(desk, "{\"kind\":\"suggestion\",\"category\":\"parking\",\"description\":\"建议增加访客车位\","
             "\"name\":\"李雷\",\"phone\":\"13900001111\",\"source\":\"phone\"}", number);
  json_t *j = event(number, "{\"event\":\"answer_close\",\"reply\":\"感谢建议，已纳入明年改造计划。\"}", 200);
  assert_string_equal(str(j, "status"), "closed");
  assert_string_equal(str(j, "source"), "phone");
  assert_true(json_is_null(json_object_get(j, "unit")));
  json_decref(j);
  file(server.kiosk_token, NOISE_COMPLAINT, complaint);
  json_decref(event(complaint, "{\"event\":\"answer_close\",\"reply\":\"x\"}", 409));
}

/* Kiosks file and look up; only the office reads the ledger; technicians
 * have no business with complaints. */
static void who_may_do_what(void **state)
{
  (void)state;
  char number[32], path[96];
  file(server.kiosk_token, NOISE_COMPLAINT, number);
  snprintf(path, sizeof path, "/api/v1/complaints/%s", number);
  json_decref(call("GET", "/api/v1/complaints", server.kiosk_token, NULL, 403));
  json_decref(call("GET", path, server.kiosk_token, NULL, 403));
  json_decref(call("GET", "/api/v1/complaints", tech, NULL, 403));
  /* A gate guard has no business with them either. */
  json_decref(call("GET", "/api/v1/complaints", guard, NULL, 403));
  json_decref(call("GET", path, guard, NULL, 403));
  json_decref(call("POST", "/api/v1/complaints", guard, NOISE_COMPLAINT, 403));
  json_decref(call("GET", path, desk, NULL, 200));
  json_decref(call("GET", "/api/v1/complaints/C-20261204-9999", desk, NULL, 404));
  json_decref(call("GET", "/api/v1/complaints/not-a-number", desk, NULL, 404));
  snprintf(path, sizeof path, "/api/v1/complaints/%s/events", number);
  json_decref(call("POST", path, server.kiosk_token, "{\"event\":\"accept\"}", 403));
  json_decref(call("PUT", "/api/v1/calendar/2026-12-31", desk, "{\"workday\":false}", 403));
}

/* The admin edits the calendar; a day off moves the next deadline. */
static void the_calendar_is_shipped_and_edited(void **state)
{
  (void)state;
  json_t *j = test_admin(&server, "GET", "/api/v1/calendar?year=2026", NULL, 200);
  json_t *days = json_object_get(j, "days");
  assert_int_equal(json_array_size(days), 39);
  assert_string_equal(str(json_array_get(days, 0), "date"), "2026-01-01");
  assert_string_equal(str(json_array_get(days, 0), "note"), "元旦");
  assert_false(json_is_true(json_object_get(json_array_get(days, 0), "workday")));
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/calendar?year=2027", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "days")), 13);
  json_decref(j);
  /* Monday 7 December off: a Friday complaint is due on Tuesday. */
  j = test_admin(&server, "PUT", "/api/v1/calendar/2026-12-07", "{\"workday\":false,\"note\":\"停电检修\"}", 200);
  assert_string_equal(str(j, "note"), "停电检修");
  json_decref(j);
  j = call("POST", "/api/v1/complaints", server.kiosk_token, NOISE_COMPLAINT, 201);
  assert_string_equal(str(j, "reply_due_at"), "2026-12-08T10:00:00+08:00");
  json_decref(j);
  json_decref(test_admin(&server, "DELETE", "/api/v1/calendar/2026-12-07", NULL, 204));
  json_decref(test_admin(&server, "DELETE", "/api/v1/calendar/2026-12-07", NULL, 404));
  j = test_admin(&server, "PUT", "/api/v1/calendar/2026-02-30", "{\"workday\":false}", 400);
  json_decref(j);
  j = test_admin(&server, "PUT", "/api/v1/calendar/2026-12-12", "{\"note\":\"x\"}", 400);
  assert_string_equal(error_field(j), "workday");
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/calendar?year=1999", NULL, 400);
  json_decref(j);
}

/* A resident rates a replied complaint and a completed repair at a kiosk,
 * once each; an unhappy rating sends the complaint back for follow-up
 * and puts the repair on the desk's follow-up list. */
static void residents_rate_at_the_kiosk(void **state)
{
  (void)state;
  char number[32], body[256];
  file(server.kiosk_token, NOISE_COMPLAINT, number);
  snprintf(body, sizeof body, "{\"number\":\"%s\",\"phone_last4\":\"8000\",\"satisfaction\":\"satisfied\"}",
           number);
  json_t *j = call("POST", "/api/v1/ratings", server.kiosk_token, body, 409);
  assert_string_equal(str(json_object_get(j, "error"), "code"), "not_awaiting_rating");
  json_decref(j);
  json_decref(event(number, "{\"event\":\"assign\",\"responsible\":\"desk-1\"}", 200));
  json_decref(event(number, "{\"event\":\"reply\",\"reply\":\"已协调\"}", 200));
  snprintf(body, sizeof body, "{\"number\":\"%s\",\"phone_last4\":\"1234\",\"satisfaction\":\"satisfied\"}",
           number);
  json_decref(call("POST", "/api/v1/ratings", server.kiosk_token, body, 404));
  snprintf(body, sizeof body, "{\"number\":\"%s\",\"phone_last4\":\"8000\",\"satisfaction\":\"unsatisfied\","
                              "\"comment\":\"还是吵\"}", number);
  j = call("POST", "/api/v1/ratings", server.kiosk_token, body, 200);
  assert_string_equal(str(j, "status"), "follow_up");
  assert_string_equal(str(j, "satisfaction"), "unsatisfied");
  assert_null(json_object_get(j, "phone"));
  json_decref(j);
  json_decref(call("POST", "/api/v1/ratings", server.kiosk_token, body, 409));
  char path[96];
  snprintf(path, sizeof path, "/api/v1/complaints/%s", number);
  j = test_admin(&server, "GET", path, NULL, 200);
  json_t *last = json_array_get(json_object_get(j, "events"), json_array_size(json_object_get(j, "events")) - 1);
  assert_string_equal(str(last, "by_role"), "kiosk");
  assert_string_equal(str(last, "by"), "lobby-1");
  assert_string_equal(str(last, "comment"), "还是吵");
  json_decref(j);
  json_decref(call("POST", "/api/v1/ratings", desk, body, 403));

  /* A repair, completed by staff, rated basically satisfied: score 3. */
  j = call("POST", "/api/v1/repairs", server.kiosk_token,
           "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"王芳\","
           "\"phone\":\"13800138000\",\"category\":\"water\",\"kind\":\"in_unit\","
           "\"urgency\":\"normal\",\"description\":\"厨房漏水\"}", 201);
  char ticket[32];
  snprintf(ticket, sizeof ticket, "%s", str(j, "ticket"));
  json_decref(j);
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"accept\"}", 200));
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"on_site\"}", 200));
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"complete\"}", 200));
  snprintf(body, sizeof body, "{\"number\":\"%s\",\"phone_last4\":\"8000\",\"satisfaction\":\"unsatisfied\"}",
           ticket);
  j = call("POST", "/api/v1/ratings", server.kiosk_token, body, 200);
  assert_string_equal(str(j, "status"), "return_visit");
  json_decref(j);
  json_decref(call("POST", "/api/v1/ratings", server.kiosk_token, body, 409));
  j = test_admin(&server, "GET", "/api/v1/repairs?follow_up=1", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "repairs")), 1);
  json_t *rep = json_array_get(json_object_get(j, "repairs"), 0);
  assert_string_equal(str(rep, "ticket"), ticket);
  assert_int_equal(json_integer_value(json_object_get(rep, "satisfaction")), 1);
  assert_true(json_is_string(json_object_get(rep, "follow_up_at")));
  json_decref(j);
  /* The month's repair figures count the resident's rating. */
  j = test_admin(&server, "GET", "/api/v1/repairs/summary?month=2026-12", NULL, 200);
  json_t *water = json_object_get(json_object_get(json_object_get(j, "satisfaction"), "by_category"),
                                  "water");
  assert_int_equal(json_integer_value(json_object_get(water, "count")), 1);
  assert_true(json_real_value(json_object_get(water, "average")) == 1.0);
  assert_true(json_real_value(json_object_get(j, "return_visit_rate")) == 1.0);
  assert_int_equal(json_object_size(json_object_get(json_object_get(j, "satisfaction"), "by_technician")), 0);
  json_decref(j);
  snprintf(body, sizeof body, "{\"number\":\"X-1\",\"phone_last4\":\"8000\",\"satisfaction\":\"satisfied\"}");
  j = call("POST", "/api/v1/ratings", server.kiosk_token, body, 400);
  assert_string_equal(error_field(j), "number");
  json_decref(j);
}

/* A completed repair through staff, its ticket in `ticket`. */
static void completed_repair(char ticket[32])
{
  json_t *j = call("POST", "/api/v1/repairs", desk,
                         "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"王芳\","
                         "\"phone\":\"13800138000\",\"category\":\"door_lock\",\"kind\":\"in_unit\","
                         "\"urgency\":\"normal\",\"description\":\"门锁打不开\",\"source\":\"phone\"}",
                   201);
  snprintf(ticket, 32, "%s", str(j, "ticket"));
  json_decref(j);
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"accept\"}", 200));
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"on_site\"}", 200));
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"complete\"}", 200));
}

/* Whether GET /repairs?follow_up=1 lists the ticket. */
static bool on_follow_up_list(const char *ticket)
{
  json_t *j = test_admin(&server, "GET", "/api/v1/repairs?follow_up=1", NULL, 200);
  json_t *r;
  size_t i;
  bool found = false;
  json_array_foreach(json_object_get(j, "repairs"), i, r)
    found = found || strcmp(str(r, "ticket"), ticket) == 0;
  json_decref(j);
  return found;
}

/* A return visit made by a call that finds the resident unhappy (1 or 2
 * of 5) puts the repair on the follow-up list like a kiosk rating does;
 * a happy one does not, and closing the ticket takes it off. */
static void an_unhappy_call_puts_a_repair_on_follow_up(void **state)
{
  (void)state;
  char unhappy[32], happy[32], path[96];
  completed_repair(unhappy);
  completed_repair(happy);
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", unhappy);
  json_decref(test_admin(&server, "POST", path,
                         "{\"event\":\"return_visit\",\"satisfaction\":2,\"comment\":\"锁还是紧\"}", 200));
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", happy);
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"return_visit\",\"satisfaction\":4}", 200));
  assert_true(on_follow_up_list(unhappy));
  assert_false(on_follow_up_list(happy));
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", unhappy);
  json_decref(test_admin(&server, "POST", path, "{\"event\":\"close\",\"note\":\"已上门调好\"}", 200));
  assert_false(on_follow_up_list(unhappy));
}

/* The return-visit queue: replied complaints and completed repairs that
 * nobody has visited back for N days, with the phone to call. */
static void the_return_visit_queue_lists_what_waits(void **state)
{
  (void)state;
  char number[32];
  file(server.kiosk_token, NOISE_COMPLAINT, number);
  json_decref(event(number, "{\"event\":\"assign\",\"responsible\":\"desk-1\"}", 200));
  json_decref(event(number, "{\"event\":\"reply\",\"reply\":\"已处理\"}", 200));
  /* Replied just now: not yet waiting for two days. */
  json_t *j = test_admin(&server, "GET", "/api/v1/complaints?status=replied&waiting_days=2", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "complaints")), 0);
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/complaints?status=replied", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "complaints")), 1);
  json_decref(j);
  json_decref(test_admin(&server, "GET", "/api/v1/complaints?waiting_days=0", NULL, 400));
  json_decref(test_admin(&server, "GET", "/api/v1/repairs?waiting_days=x", NULL, 400));
}

/* A week later, complaints still waiting for a reply are overdue and
 * listed first for the desk; a restart does not load the shipped days
 * over the admin's edits. */
static void unanswered_complaints_become_overdue(void **state)
{
  (void)state;
  json_decref(test_admin(&server, "PUT", "/api/v1/calendar/2026-10-01",
                         "{\"workday\":true,\"note\":\"值班\"}", 200));
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", A_WEEK_LATER);
  assert_int_equal(test_server_restart(&server), 0);
  json_t *j = test_admin(&server, "GET", "/api/v1/complaints?overdue=1", NULL, 200);
  json_t *list = json_object_get(j, "complaints");
  size_t i;
  json_t *c;
  assert_true(json_array_size(list) >= 3);
  json_array_foreach(list, i, c) {
    assert_true(json_is_true(json_object_get(c, "overdue")));
    assert_string_not_equal(str(c, "status"), "closed");
    assert_string_not_equal(str(c, "status"), "replied");
  }
  json_decref(j);
  /* A week on, the replied complaint waits for its return visit: the
   * desk's call list has it, with the phone to call. */
  j = test_admin(&server, "GET", "/api/v1/complaints?status=replied&waiting_days=2", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(j, "complaints")), 1);
  assert_string_equal(str(json_array_get(json_object_get(j, "complaints"), 0), "phone"), "13800138000");
  json_decref(j);
  j = test_admin(&server, "GET", "/api/v1/calendar?year=2026", NULL, 200);
  json_array_foreach(json_object_get(j, "days"), i, c)
    if (strcmp(str(c, "date"), "2026-10-01") == 0)
      assert_string_equal(str(c, "note"), "值班");
  json_decref(j);
}

/* The month in figures, as the service plan asks to summarise it. */
static void the_month_is_summarised(void **state)
{
  (void)state;
  json_t *j = test_admin(&server, "GET", "/api/v1/complaints/summary?month=2026-12", NULL, 200);
  json_t *by_kind = json_object_get(j, "by_kind");
  json_int_t complaints = json_integer_value(json_object_get(by_kind, "complaint"));
  assert_int_equal(json_integer_value(json_object_get(j, "total")),
                   complaints + json_integer_value(json_object_get(by_kind, "suggestion")) +
                   json_integer_value(json_object_get(by_kind, "praise")) +
                   json_integer_value(json_object_get(by_kind, "enquiry")));
  assert_int_equal(complaints, 7);
  assert_int_equal(json_integer_value(json_object_get(by_kind, "suggestion")), 2);
  assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "by_category"),
                                                      "noise_neighbours")), 7);
  /* Four replied (three complaints and the suggestion), all at once. */
  assert_int_equal(json_integer_value(json_object_get(j, "replied")), 4);
  assert_int_equal(json_integer_value(json_object_get(j, "replied_on_time")), 4);
  assert_true(json_real_value(json_object_get(j, "on_time_rate")) == 1.0);
  assert_true(json_real_value(json_object_get(j, "reply_minutes_median")) == 0.0);
  /* Of the three complaints replied to, two were visited back: one by
   * staff (satisfied), one rated at the kiosk (unsatisfied). */
  assert_true(json_real_value(json_object_get(j, "return_visit_rate")) == 2.0 / 3.0);
  json_t *sat = json_object_get(j, "satisfaction");
  assert_int_equal(json_integer_value(json_object_get(sat, "satisfied")), 1);
  assert_int_equal(json_integer_value(json_object_get(sat, "unsatisfied")), 1);
  assert_int_equal(json_array_size(json_object_get(j, "sites")), 1);
  json_decref(j);
  json_decref(test_admin(&server, "GET", "/api/v1/complaints/summary?month=2026-13", NULL, 400));
}

/* ---- escalation of overdue replies --------------------------------- */

static json_t *record(const char *number)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/complaints/%s", number);
  return test_admin(&server, "GET", path, NULL, 200);
}

/* The record's escalate events, each checked for who recorded it. */
static int escalate_events(json_t *c)
{
  int n = 0;
  size_t i;
  json_t *ev;
  json_array_foreach(json_object_get(c, "events"), i, ev)
    if (strcmp(str(ev, "event"), "escalate") == 0) {
      assert_string_equal(str(ev, "by"), "lobbyd");
      assert_string_equal(str(ev, "by_role"), "system");
      assert_string_equal(str(ev, "status"), str(c, "status"));
      n++;
    }
  return n;
}

static const char *escalate_note(json_t *c)
{
  size_t i;
  json_t *ev;
  json_array_foreach(json_object_get(c, "events"), i, ev)
    if (strcmp(str(ev, "event"), "escalate") == 0)
      return str(ev, "note");
  return "";
}

/* Waits (up to 10 s) until every complaint of `path` has escalated_at:
 * lobbyd's sweep runs at its first tick after a start. */
static json_t *wait_escalated(const char *path)
{
  for (int tries = 0;; tries++) {
    json_t *j = test_admin(&server, "GET", path, NULL, 200);
    json_t *list = json_object_get(j, "complaints"), *c;
    size_t i, done = 0;
    json_array_foreach(list, i, c) done += json_is_string(json_object_get(c, "escalated_at"));
    if (done == json_array_size(list) && done > 0)
      return j;
    json_decref(j);
    assert_true(tries < 100);
    usleep(100 * 1000);
  }
}

/* The complaints topic moved since lobbyd started: the releases topic,
 * which nothing touched since, stays where the start put it (0 with
 * SQLite, the shared sequence's value with PostgreSQL).  The sweep
 * announces its change after the commit the test saw (with PostgreSQL
 * after a round trip to the shared sequence), so this waits up to 10 s. */
static void complaints_topic_moved(void)
{
  for (int tries = 0;; tries++) {
    json_t *j = test_admin(&server, "GET", "/api/v1/events", NULL, 200);
    bool moved = json_integer_value(json_object_get(j, "complaints")) >
                 json_integer_value(json_object_get(j, "releases"));
    json_decref(j);
    if (moved)
      return;
    assert_true(tries < 100);
    usleep(100 * 1000);
  }
}

static bool listed(json_t *j, const char *number)
{
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(j, "complaints"), i, c)
    if (strcmp(str(c, "number"), number) == 0)
      return true;
  return false;
}

/* The week-later start escalated every overdue complaint to the
 * managers, once: an escalate event by lobbyd with the minutes overdue,
 * escalated_at kept after a reply and after a follow-up reopens it, and
 * the next start escalates only what became overdue since. */
static void overdue_complaints_are_escalated_once(void **state)
{
  (void)state;
  json_t *overdue = wait_escalated("/api/v1/complaints?overdue=1"), *c;
  json_t *list = json_object_get(overdue, "complaints");
  size_t i;
  assert_true(json_array_size(list) >= 3);
  json_array_foreach(list, i, c) {
    assert_string_equal(str(c, "escalated_at"), "2026-12-11T10:00:00+08:00");
    json_t *rec = record(str(c, "number"));
    assert_int_equal(escalate_events(rec), 1);
    /* Due Monday 10:00, four days (5760 minutes) before. */
    if (strcmp(str(c, "reply_due_at"), "2026-12-07T10:00:00+08:00") == 0)
      assert_string_equal(escalate_note(rec), "答复超时 5760 分钟 / reply overdue by 5760 min");
    else
      assert_memory_equal(escalate_note(rec), "答复超时 ", strlen("答复超时 "));
    json_decref(rec);
  }
  complaints_topic_moved();
  /* The managers' list: escalated and still waiting, the same ones. */
  json_t *escalated = test_admin(&server, "GET", "/api/v1/complaints?escalated=1", NULL, 200);
  assert_int_equal(json_array_size(json_object_get(escalated, "complaints")), json_array_size(list));
  json_array_foreach(list, i, c) assert_true(listed(escalated, str(c, "number")));
  json_decref(escalated);
  /* Replied, it leaves the managers' list but keeps its escalated_at;
   * reopened by an unhappy return visit it waits (and is overdue) again,
   * listed again, but is not escalated a second time. */
  char number[32];
  snprintf(number, sizeof number, "%s", str(json_array_get(list, 0), "number"));
  json_decref(overdue);
  json_decref(event(number, "{\"event\":\"assign\",\"responsible\":\"desk-1\"}", 200));
  json_t *rec = event(number, "{\"event\":\"reply\",\"reply\":\"已处理\"}", 200);
  assert_string_equal(str(rec, "escalated_at"), "2026-12-11T10:00:00+08:00");
  json_decref(rec);
  escalated = test_admin(&server, "GET", "/api/v1/complaints?escalated=1", NULL, 200);
  assert_false(listed(escalated, number));
  json_decref(escalated);
  json_decref(event(number, "{\"event\":\"return_visit\",\"satisfaction\":\"unsatisfied\"}", 200));
  /* Filed now, due Monday 14 December 10:00. */
  char fresh[32];
  file(server.kiosk_token, NOISE_COMPLAINT, fresh);

  /* Tuesday 10:00: the fresh one is a day (1440 minutes) overdue. */
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%d", A_WEEK_LATER + 4 * 86400);
  assert_int_equal(test_server_restart(&server), 0);
  for (int tries = 0;; tries++) {
    rec = record(fresh);
    if (json_is_string(json_object_get(rec, "escalated_at")))
      break;
    json_decref(rec);
    assert_true(tries < 100);
    usleep(100 * 1000);
  }
  assert_string_equal(str(rec, "escalated_at"), "2026-12-15T10:00:00+08:00");
  assert_int_equal(escalate_events(rec), 1);
  assert_string_equal(escalate_note(rec), "答复超时 1440 分钟 / reply overdue by 1440 min");
  json_decref(rec);
  complaints_topic_moved();
  /* The sweep that escalated it left the others as they were. */
  escalated = test_admin(&server, "GET", "/api/v1/complaints?escalated=1", NULL, 200);
  assert_true(listed(escalated, number));
  assert_true(listed(escalated, fresh));
  json_array_foreach(json_object_get(escalated, "complaints"), i, c) {
    rec = record(str(c, "number"));
    assert_int_equal(escalate_events(rec), 1);
    if (strcmp(str(c, "number"), fresh) != 0)
      assert_string_equal(str(rec, "escalated_at"), "2026-12-11T10:00:00+08:00");
    json_decref(rec);
  }
  rec = record(number);
  assert_string_equal(str(rec, "status"), "follow_up");
  assert_true(json_is_true(json_object_get(rec, "overdue")));
  json_decref(rec);
  json_decref(escalated);
  /* Staff cannot record an escalation themselves. */
  json_decref(event(number, "{\"event\":\"escalate\"}", 400));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_complaint_is_due_one_working_day_later),
    cmocka_unit_test(a_complaint_needs_a_unit_and_a_phone),
    cmocka_unit_test(a_complaint_is_answered_followed_up_and_closed),
    cmocka_unit_test(a_suggestion_is_answered_and_closed_at_once),
    cmocka_unit_test(who_may_do_what),
    cmocka_unit_test(the_calendar_is_shipped_and_edited),
    cmocka_unit_test(residents_rate_at_the_kiosk),
    cmocka_unit_test(an_unhappy_call_puts_a_repair_on_follow_up),
    cmocka_unit_test(the_return_visit_queue_lists_what_waits),
    cmocka_unit_test(unanswered_complaints_become_overdue),
    cmocka_unit_test(the_month_is_summarised),
    cmocka_unit_test(overdue_complaints_are_escalated_once),
  };
  return cmocka_run_group_tests_name("complaints", tests, setup, teardown);
}
