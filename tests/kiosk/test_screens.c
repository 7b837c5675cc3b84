/* The screens against a fake network thread: the exact body a repair
 * submits, server errors shown in the user's language at the right field,
 * look-ups, the approval long-poll, check-out and the emergency takeover. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_net.h"
#include "kiosk_app.h"
#include "kiosk_app_internal.h"
#include "kiosk_test.h"

static kiosk_app app;

static int setup(void **state)
{
  (void)state;
  kiosk_config cfg;
  kiosk_test_config(&cfg);
  if (kiosk_app_init(&app, &cfg) != LOBBY_OK)
    return -1;
  json_t *feed = kiosk_test_demo_feed();
  if (!feed)
    return -1;
  kiosk_app_set_feed(&app, feed, 0);
  app.link.net = fake_net_handle();
  fake_net_reset();
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  kiosk_app_free(&app);
  fake_net_reset();
  memset(&app, 0, sizeof app);
  return 0;
}

/* Lets the screen rebuild (which sets the focused field) and take events. */
static void settle(void)
{
  kiosk_app_drain_net(&app);
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
}

static void act(int action, int arg)
{
  kiosk_app_action(&app, action, arg);
  settle();
}

static bool on_screen(const char *text)
{
  settle();
  return kiosk_ui_find(&app.ui, text, false) != NULL;
}

/* Through the repair form to its contact step. */
static void repair_to_contact(int unit, int room, int category, int urgency)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_REPAIR);
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, unit);
  act(KIOSK_ACT_PICK_ROOM, room);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_CATEGORY, category);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_URGENCY, urgency);
  act(KIOSK_ACT_NEXT, 0);
}

/* A valid name and phone, on to the description. */
static void contact_to_description(void)
{
  kiosk_app_type(&app, "张先生");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "13812345678");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_DESC);
}

static void fill_repair_to_review(void)
{
  repair_to_contact(1, 4, 0, 1); /* unit "2", room "301", water, normal */
  contact_to_description();
  kiosk_app_type(&app, "厨房水龙头漏水");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_REVIEW);
}

static void test_repair_body_and_ticket(void **state)
{
  (void)state;
  fill_repair_to_review();
  assert_true(on_screen("138****5678")); /* the review masks the phone */
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.submits, 1);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_REPAIR);
  json_t *want = json_loads("{\"unit\": {\"building\": \"1\", \"unit\": \"2\", \"room\": \"301\"}, \"name\": \"张先生\","
                            " \"phone\": \"13812345678\", \"category\": \"water\", \"kind\": \"in_unit\","
                            " \"urgency\": \"normal\", \"preferred_time\": null, \"description\": \"厨房水龙头漏水\"}",
                            0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 201,
                  json_pack("{s:s, s:s, s:s}", "ticket", "R-20261126-0042", "status", "submitted", "due_at",
                            "2026-11-26T18:00:00+08:00"),
                  NULL);
  assert_true(on_screen("R-20261126-0042"));
  assert_true(on_screen("LOBBY-REPAIR R-20261126-0042")); /* the QR payload */
  assert_true(on_screen("我们将在 11月26日 18:00 前完成维修"));
}

static void test_repair_server_error_goes_to_field(void **state)
{
  (void)state;
  fill_repair_to_review();
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 400,
                  json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "invalid_field", "field", "phone", "message",
                            "phone: not a mainland mobile or landline number"),
                  NULL);
  settle();
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_CONTACT);
  assert_int_equal(app.screens.repair.focus, 1);
  assert_true(app.screens.repair.phone.error);
  assert_true(on_screen("电话号码不对，请检查：手机是11位，座机请带区号"));
  assert_false(on_screen("not a mainland")); /* never the server's English */
  /* In English the same error reads in English. */
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_NEXT, 0); /* the phone is valid locally: on to the description */
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_FAILED, 0, NULL, NULL);
  assert_true(on_screen("The network is not available. Please try again later or call 400-800-1234"));
}

static void test_local_validation(void **state)
{
  (void)state;
  repair_to_contact(0, 0, 1, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请填写您的称呼"));
  kiosk_app_type(&app, "李");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "1381234");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_CONTACT);
  assert_true(app.screens.repair.phone.error);
  assert_true(on_screen("电话号码不对"));
  assert_int_equal(fake_net.submits, 0);
}

static void test_status_lookup(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  kiosk_app_type(&app, "R-20261126-0042");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "5678");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(fake_net.last_method, "GET");
  assert_string_equal(fake_net.last_path, "/api/v1/repairs/lookup?ticket=R-20261126-0042&phone_last4=5678");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 404,
                  json_pack("{s:{s:s, s:s}}", "error", "code", "not_found", "message", "not found"), NULL);
  assert_true(on_screen("没有找到这张报修单，请核对单号和手机后四位后再试"));
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s}, {s:s, s:s}]}", "ticket", "R-20261126-0042",
                            "status", "on_site", "category", "water", "due_at", "2026-11-26T18:00:00+08:00",
                            "overdue", 0, "timeline", "status", "submitted", "at", "2026-11-26T09:12:00+08:00",
                            "status", "on_site", "at", "2026-11-26T10:02:00+08:00"),
                  NULL);
  assert_true(on_screen("师傅已到场"));
  assert_true(on_screen("11月26日 10:02"));
  /* A provisional number is looked up on the kiosk itself. */
  act(KIOSK_ACT_BACK, 0);
  act(KIOSK_ACT_PREFIX, 1);
  kiosk_app_type(&app, "q-7k3m9x");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.lookups, 1);
  assert_string_equal(fake_net.last_ref, "Q-7K3M9X");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:n}", "ref", "Q-7K3M9X", "state", "queued", "ticket"), NULL);
  assert_true(on_screen("排队中，网络恢复后自动提交"));
}

static void test_visit_waits_for_approval(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_VISIT);
  act(KIOSK_ACT_NEXT, 0);
  kiosk_app_type(&app, "王女士");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "010-12345678");
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_HOST_MODE, 1);
  kiosk_app_type(&app, "ACME");
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_PURPOSE, 0);
  act(KIOSK_ACT_PARTY, 1);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.submits, 1);
  json_t *want = json_loads("{\"name\": \"王女士\", \"phone\": \"010-12345678\", \"host\": \"ACME\","
                            " \"purpose\": \"business\", \"party_size\": 2, \"plate\": null}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 201,
                  json_pack("{s:s, s:s, s:n}", "id", "v_9", "state", "pending", "pass_code"), NULL);
  assert_true(on_screen("正在等待确认"));
  /* First a plain status call, then long-polls with the ETag. */
  assert_string_equal(fake_net.last_path, "/api/v1/visits/v_9/status");
  assert_string_equal(fake_net.last_etag, "");
  assert_int_equal(fake_net.last_wait, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s, s:s}", "id", "v_9", "state", "pending"), "\"pending\"");
  settle();
  int calls = fake_net.calls;
  app.clock.idle_shift_ms += 3000;
  kiosk_app_tick(&app);
  assert_int_equal(fake_net.calls, calls + 1);
  assert_string_equal(fake_net.last_etag, "\"pending\"");
  assert_int_equal(fake_net.last_wait, 50);
  /* Waiting is not idling. */
  app.clock.idle_shift_ms += 120000;
  kiosk_app_tick(&app);
  assert_int_equal(app.screen, KIOSK_SCREEN_VISIT);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s}", "id", "v_9", "state", "approved", "pass_code", "K7M3QX"), "\"approved\"");
  assert_true(on_screen("K7M3QX"));
  assert_true(on_screen("LOBBY-VISIT K7M3QX"));
}

static void test_visit_cancel_while_waiting(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_VISIT);
  app.screens.visit.step = VISIT_STEP_SENDING;
  app.screens.visit.req = 99;
  fake_net.last_id = 99;
  fake_net_answer(KIOSK_RESULT_DELIVERED, 201, json_pack("{s:s, s:s}", "id", "v_5", "state", "pending"), NULL);
  settle();
  assert_int_equal(app.screens.visit.step, VISIT_STEP_WAITING);
  act(KIOSK_ACT_BACK, 0);
  assert_string_equal(fake_net.last_method, "POST");
  assert_string_equal(fake_net.last_path, "/api/v1/visits/v_5/cancel");
  assert_true(fake_net.cancels >= 1);
  assert_true(on_screen("已取消登记"));
}

static void test_checkout_conflict(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_CHECKOUT);
  kiosk_app_type(&app, "k7m3qx");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(fake_net.last_path, "/api/v1/visits/checkout");
  assert_string_equal(json_string_value(json_object_get(fake_net.last_body, "pass_code")), "K7M3QX");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 409,
                  json_pack("{s:{s:s, s:s}}", "error", "code", "conflict", "message", "already checked out"), NULL);
  assert_true(on_screen("这个通行码已经登记过离开了，祝您一路平安"));
}

/* A 429 on a filed repair: it stays queued, and the resident is told it
 * is saved and goes shortly, not that the network is down (issue 11). */
static void test_repair_queued_by_429_says_so(void **state)
{
  (void)state;
  fill_repair_to_review();
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_QUEUED, 429, NULL, NULL);
  assert_true(on_screen("已保存，稍后自动提交，不用再填"));
  assert_false(on_screen("已保存，网络恢复后自动提交"));
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Saved; it will be sent in a moment"));
}

/* New 8-character codes are sent; a kiosk past its failed-checkout limit
 * sends the visitor to the front desk. */
static void test_checkout_rate_limited(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_CHECKOUT);
  kiosk_app_type(&app, "k7m3qx4a");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(json_string_value(json_object_get(fake_net.last_body, "pass_code")), "K7M3QX4A");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 429,
                  json_pack("{s:{s:s, s:s}}", "error", "code", "rate_limited", "message", "too many"), NULL);
  assert_true(on_screen("这台机器上输错的次数太多了，请稍后再试，或到前台办理离开"));
}

static void test_emergency_takes_over_and_wipes(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_REPAIR);
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 0);
  act(KIOSK_ACT_PICK_ROOM, 0);
  act(KIOSK_ACT_NEXT, 0);
  json_t *feed = json_deep_copy(app.link.feed);
  json_object_set_new(feed, "emergency",
                      json_pack("{s:i, s:s, s:s, s:s}", "id", 9, "title", "燃气泄漏，请立即撤离", "body",
                                "请从楼梯撤离。", "category", "safety"));
  kiosk_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_FEED;
  ev.feed = feed;
  fake_net_push(&ev);
  assert_true(on_screen("燃气泄漏，请立即撤离"));
  assert_true(on_screen("紧急通知"));
  assert_false(on_screen("报修"));
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_int_equal(app.screens.repair.room, -1);
  /* Taps do nothing while it lasts. */
  kiosk_app_tap(&app, 540, 1800);
  assert_true(on_screen("紧急通知"));
  feed = json_deep_copy(app.link.feed);
  json_object_set_new(feed, "emergency", json_null());
  ev.feed = feed;
  fake_net_push(&ev);
  assert_true(on_screen("报修"));
  assert_false(on_screen("紧急通知"));
}

/* The app reaches screens only through the table: the waiting visitor's
 * screen asks for a tick each second, and the emergency and the night are
 * overlays over whatever screen is current. */
static void test_screen_hooks_and_overlays(void **state)
{
  (void)state;
  const kiosk_screen *visit = kiosk_screen_get(KIOSK_SCREEN_VISIT);
  assert_non_null(visit->tick);
  assert_non_null(visit->next_wake_ms);
  act(KIOSK_ACT_GO, KIOSK_SCREEN_VISIT);
  assert_int_equal(visit->next_wake_ms(&app), -1);
  app.screens.visit.step = VISIT_STEP_SENDING;
  app.screens.visit.req = 7;
  fake_net.last_id = 7;
  fake_net_answer(KIOSK_RESULT_DELIVERED, 201, json_pack("{s:s, s:s}", "id", "v_7", "state", "pending"), NULL);
  settle();
  assert_int_equal(app.screens.visit.step, VISIT_STEP_WAITING);
  assert_int_equal(visit->next_wake_ms(&app), 1000);
  assert_true(kiosk__next_timeout(&app) <= 1000);
  assert_null(kiosk_screen_overlay(&app));
  assert_ptr_equal(kiosk_screen_shown(&app), visit);
  app.clock.night_dark = true;
  assert_ptr_equal(kiosk_screen_overlay(&app), &kiosk_screen_night);
  assert_string_equal(kiosk_app_screen_name(&app), "night");
  app.clock.night_dark = false;
  json_t *feed = json_deep_copy(app.link.feed);
  json_object_set_new(feed, "emergency", json_pack("{s:i, s:s, s:s}", "id", 9, "title", "停电", "body", "请走楼梯。"));
  kiosk_app_set_feed(&app, feed, 0);
  assert_ptr_equal(kiosk_screen_shown(&app), &kiosk_screen_emergency);
  assert_string_equal(kiosk_app_screen_name(&app), "emergency");
  assert_true(on_screen("停电"));
}

/* A description at its limit: the caption counts, typing stops at 500
 * characters, and what was typed is kept. */
static void test_description_limit_is_shown(void **state)
{
  (void)state;
  repair_to_contact(0, 0, 0, 1);
  contact_to_description();
  assert_false(on_screen("已输入"));
  for (int i = 0; i < 240; i++)
    kiosk_app_type(&app, "漏水");
  assert_true(on_screen("已输入 480/500 字"));
  for (int i = 0; i < 30; i++)
    kiosk_app_type(&app, "漏水");
  assert_true(on_screen("已输入 500/500 字"));
  assert_int_equal(kiosk_field_chars(&app.screens.repair.desc), 500);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_REVIEW);
}

/* Through the complaint form: kind, category, text; then the flat step. */
static void complaint_to_where(int kind, int category, const char *text)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_COMPLAINT);
  act(KIOSK_ACT_KIND, kind);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_CATEGORY, category);
  act(KIOSK_ACT_NEXT, 0);
  kiosk_app_type(&app, text);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_WHERE);
}

/* A complaint: 1号楼 2单元 301, 王女士 13800138000, on to the review. */
static void fill_complaint_to_review(void)
{
  complaint_to_where(0, 3, "楼上每晚11点后装修噪音"); /* complaint, noise_neighbours */
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 1);
  act(KIOSK_ACT_PICK_ROOM, 4);
  act(KIOSK_ACT_NEXT, 0);
  kiosk_app_type(&app, "王女士");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "13800138000");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_REVIEW);
}

static void test_complaint_body_and_receipt(void **state)
{
  (void)state;
  assert_true(on_screen("投诉建议")); /* the home screen's entry */
  fill_complaint_to_review();
  assert_true(on_screen("138****8000"));
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.submits, 1);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_COMPLAINT);
  json_t *want = json_loads("{\"kind\": \"complaint\", \"category\": \"noise_neighbours\","
                            " \"description\": \"楼上每晚11点后装修噪音\","
                            " \"unit\": {\"building\": \"1\", \"unit\": \"2\", \"room\": \"301\"},"
                            " \"name\": \"王女士\", \"phone\": \"13800138000\"}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 201,
                  json_pack("{s:s, s:s, s:s, s:s}", "number", "C-20261202-0001", "status", "submitted", "kind",
                            "complaint", "reply_due_at", "2026-12-03T10:15:00+08:00"),
                  NULL);
  assert_true(on_screen("C-20261202-0001"));
  assert_true(on_screen("LOBBY-COMPLAINT C-20261202-0001")); /* the QR payload */
  assert_true(on_screen("我们将在一个工作日内答复（最迟 12月3日 10:15）"));
  assert_true(on_screen("联系电话 138****8000"));
  assert_false(on_screen("13800138000"));
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("We will answer within one working day (by Dec 3, 10:15 at the latest)"));
}

/* A suggestion may be anonymous: no flat, no name, no phone are sent, and
 * the screen says it may; queued offline it promises without a time and
 * shows the real number once the outbox delivers it. */
static void test_suggestion_anonymous_queued(void **state)
{
  (void)state;
  complaint_to_where(1, 4, "希望增加充电桩"); /* suggestion, parking */
  assert_true(on_screen("不填，下一步"));
  /* A room picked by mistake is unpicked by tapping it again. */
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 1);
  act(KIOSK_ACT_PICK_ROOM, 4);
  assert_false(on_screen("不填，下一步"));
  act(KIOSK_ACT_PICK_ROOM, 4);
  assert_int_equal(app.screens.complaint.room, -1);
  assert_true(on_screen("不填，下一步"));
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_CONTACT);
  assert_true(on_screen("建议可匿名提交"));
  assert_true(on_screen("不留姓名，下一步"));
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_REVIEW);
  assert_true(on_screen("匿名提交"));
  act(KIOSK_ACT_NEXT, 0);
  json_t *want = json_loads("{\"kind\": \"suggestion\", \"category\": \"parking\","
                            " \"description\": \"希望增加充电桩\", \"unit\": null}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  kiosk_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_RESULT;
  ev.request_id = fake_net.last_id;
  ev.state = KIOSK_RESULT_QUEUED;
  snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "Q-7K3M9X");
  fake_net_push(&ev);
  assert_true(on_screen("Q-7K3M9X"));
  assert_true(on_screen("网络恢复后自动提交，我们将在一个工作日内答复"));
  assert_false(on_screen("最迟"));
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_OUTBOX;
  snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "Q-7K3M9X");
  ev.body = json_pack("{s:s, s:s, s:s}", "ref", "Q-7K3M9X", "state", "delivered", "ticket", "C-20261202-0002");
  fake_net_push(&ev);
  assert_true(on_screen("C-20261202-0002"));
  assert_true(on_screen("LOBBY-COMPLAINT C-20261202-0002"));
  assert_true(on_screen("我们将在一个工作日内答复"));
}

/* A complaint needs the flat and both name and phone; the other kinds take
 * both or neither; each problem is said in the resident's language. */
static void test_complaint_local_validation(void **state)
{
  (void)state;
  complaint_to_where(0, 0, "前台态度不好");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_WHERE); /* no flat yet */
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 0);
  act(KIOSK_ACT_PICK_ROOM, 0);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请填写您的称呼"));
  kiosk_app_type(&app, "李");
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("投诉需要留下电话，方便我们答复您"));
  assert_int_equal(app.screens.complaint.focus, 1);
  assert_true(app.screens.complaint.phone.error);
  kiosk_app_type(&app, "1381234");
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("电话号码不对"));
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("That phone number looks wrong"));
  assert_int_equal(fake_net.submits, 0);
  /* An enquiry with a name but no phone: both or neither. */
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_HOME, 0);
  complaint_to_where(3, 5, "物业费怎么交");
  act(KIOSK_ACT_NEXT, 0);
  kiosk_app_type(&app, "赵");
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请把称呼和电话都填上，或者都不填（匿名提交）"));
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_CONTACT);
  /* No text at all. */
  act(KIOSK_ACT_HOME, 0);
  act(KIOSK_ACT_GO, KIOSK_SCREEN_COMPLAINT);
  act(KIOSK_ACT_KIND, 2);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_CATEGORY, 1);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请写下具体内容（500字以内），再点「下一步」"));
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_DESC);
}

/* A 429 keeps the complaint queued and says so in the resident's words;
 * a server error goes back to the step with the field. */
static void test_complaint_busy_and_server_error(void **state)
{
  (void)state;
  fill_complaint_to_review();
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_QUEUED, 429, NULL, NULL);
  assert_true(on_screen("已保存，稍后自动提交，不用再填"));
  assert_true(on_screen("提交太频繁"));
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Saved; it will be sent in a moment"));
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_HOME, 0);
  fill_complaint_to_review();
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 400,
                  json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "missing_field", "field", "unit", "message",
                            "unit: required for a complaint"),
                  NULL);
  assert_true(on_screen("投诉需要留下房号，请选择房号"));
  assert_int_equal(app.screens.complaint.step, COMPLAINT_STEP_WHERE);
  assert_false(on_screen("required for a complaint"));
}

/* C- numbers are looked up at the complaints' look-up, R- numbers still at
 * the repairs'; the answer's text is shown; the idle wipe clears it all. */
static void test_status_complaint_lookup(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  act(KIOSK_ACT_PREFIX, 2);
  kiosk_app_type(&app, "202612020001");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "8000");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(fake_net.last_method, "GET");
  assert_string_equal(fake_net.last_path, "/api/v1/complaints/lookup?number=C-20261202-0001&phone_last4=8000");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 404,
                  json_pack("{s:{s:s, s:s}}", "error", "code", "not_found", "message", "no complaint"), NULL);
  assert_true(on_screen("没有找到这条投诉建议，请核对编号和手机后四位后再试"));
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:n}", "number", "C-20261202-0001", "kind",
                            "complaint", "category", "noise_neighbours", "status", "replied", "created_at",
                            "2026-12-02T20:05:00+08:00", "reply_due_at", "2026-12-03T18:00:00+08:00", "reply",
                            "已联系楼上住户，晚上10点后停止施工", "replied_at", "2026-12-03T09:30:00+08:00",
                            "satisfaction"),
                  NULL);
  assert_true(on_screen("已答复"));
  assert_true(on_screen("已联系楼上住户，晚上10点后停止施工"));
  assert_true(on_screen("物业答复（12月3日 09:30）"));
  assert_true(on_screen("投诉 · 噪音邻里"));
  /* Not answered yet: when it will be. */
  act(KIOSK_ACT_BACK, 0);
  act(KIOSK_ACT_PREFIX, 2);
  kiosk_app_type(&app, "202612020002");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "8000");
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:n}", "number", "C-20261202-0002", "kind", "suggestion",
                            "category", "parking", "status", "submitted", "reply_due_at", "2026-12-03T18:00:00+08:00",
                            "reply", "replied_at"),
                  NULL);
  assert_true(on_screen("还没有答复，我们将在 12月3日 18:00 前答复您"));
  /* R- numbers keep going to repairs. */
  act(KIOSK_ACT_BACK, 0);
  act(KIOSK_ACT_PREFIX, 0);
  kiosk_app_type(&app, "202611260042");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "5678");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(fake_net.last_path, "/api/v1/repairs/lookup?ticket=R-20261126-0042&phone_last4=5678");
  /* A number typed in the C- mode: wiped by the idle timeout. */
  fake_net_answer(KIOSK_RESULT_FAILED, 0, NULL, NULL);
  settle();
  act(KIOSK_ACT_PREFIX, 2);
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_false(app.screens.status.complaint);
  assert_string_equal(app.screens.status.ticket.buf, "");
  assert_string_equal(app.screens.status.last4.buf, "");
  assert_string_equal(app.screens.status.complaint_found.reply, "");
}

/* A queue number whose item went through as a complaint names its "C-"
 * number and how to look up the answer, not a repair ticket. */
static void test_queue_ref_of_complaint(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  act(KIOSK_ACT_PREFIX, 1);
  kiosk_app_type(&app, "q-7k3m9x");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(fake_net.last_ref, "Q-7K3M9X");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s}", "ref", "Q-7K3M9X", "state", "delivered", "ticket", "C-20261202-0002"),
                  NULL);
  assert_true(on_screen("已提交成功，编号 C-20261202-0002\n请用编号和手机后四位查询答复"));
  assert_false(on_screen("报修单号 C-"));
}

/* The idle timeout wipes a half-filled complaint. */
static void test_complaint_idle_wipe(void **state)
{
  (void)state;
  complaint_to_where(0, 3, "楼上噪音");
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 1);
  act(KIOSK_ACT_PICK_ROOM, 4);
  act(KIOSK_ACT_NEXT, 0);
  kiosk_app_type(&app, "王女士");
  assert_true(on_screen("王女士"));
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_string_equal(app.screens.complaint.name.buf, "");
  assert_string_equal(app.screens.complaint.desc.buf, "");
  assert_int_equal(app.screens.complaint.room, -1);
  assert_false(on_screen("王女士"));
}

/* One finger drag on the screen, a frame after each step, each frame
 * checked against a full redraw: while a list scrolls its pixels are moved
 * and only the strip uncovered is drawn (app_frame.c's scrolled_damage). */
static int drag_checking_frames(int x, int y0, int y1, int steps)
{
  SDL_Surface *s = app.display.surface;
  size_t bytes = (size_t)s->pitch * (size_t)s->h;
  unsigned char *moved = malloc(bytes);
  assert_non_null(moved);
  int moved_frames = 0;
  kiosk_app_pointer(&app, SDL_MOUSEBUTTONDOWN, x, y0);
  settle();
  for (int k = 1; k <= steps; k++) {
    kiosk_app_pointer(&app, SDL_MOUSEMOTION, x, y0 + (y1 - y0) * k / steps);
    settle();
    moved_frames += app.display.moved.h > 0;
    memcpy(moved, s->pixels, bytes);
    app.display.frame_kept = false;
    settle();
    if (memcmp(moved, s->pixels, bytes) != 0)
      fail_msg("step %d of the drag: the moved pixels differ from a full redraw", k);
  }
  kiosk_app_pointer(&app, SDL_MOUSEBUTTONUP, x, y1);
  settle();
  free(moved);
  return moved_frames;
}

static void test_scrolled_frames_match_full(void **state)
{
  (void)state;
  /* A notice long enough to scroll, and the board of seven notices. */
  json_t *feed = kiosk_test_demo_feed();
  assert_non_null(feed);
  json_t *notices = json_object_get(feed, "notices");
  json_t *first = json_array_get(notices, 0);
  char body[6000] = "";
  for (int i = 0; i < 60; i++)
    snprintf(body + strlen(body), sizeof body - strlen(body), "第%d条：电梯更新改造期间请走楼梯，注意安全。\n", i + 1);
  json_object_set_new(first, "body", json_string(body));
  kiosk_app_set_feed(&app, feed, 0);
  settle();
  SDL_Rect view = app.pointer.scroll_view;
  assert_true(view.h > 0);
  int cx = view.x + view.w / 2, top = view.y + 40, bottom = view.y + view.h - 40;
  assert_true(drag_checking_frames(cx, bottom, top, 12) > 0);
  act(KIOSK_ACT_NOTICE, 0);
  view = app.pointer.scroll_view;
  cx = view.x + view.w / 2, top = view.y + 40, bottom = view.y + view.h - 40;
  assert_true(drag_checking_frames(cx, bottom, top, 12) > 0);
  assert_true(drag_checking_frames(cx, top, bottom, 7) > 0);
}

/* The ARGB pixel at x, y of a packed frame w wide. */
static uint32_t pixel_at(const uint8_t *frame, int w, int x, int y)
{
  uint32_t v;
  memcpy(&v, frame + ((size_t)y * (size_t)w + (size_t)x) * 4, sizeof v);
  return v;
}

/* Whether rect r of the screen shows more than one colour. */
static bool screen_varies(SDL_Rect r)
{
  SDL_Surface *s = app.display.surface;
  uint32_t first = ((const uint32_t *)(const void *)((const uint8_t *)s->pixels + (size_t)r.y * (size_t)s->pitch))[r.x];
  for (int y = r.y; y < r.y + r.h; y++)
    for (int x = r.x; x < r.x + r.w; x++)
      if (((const uint32_t *)(const void *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x] != first)
        return true;
  return false;
}

/* lobbyd's screenshot request: the next frame goes to the network once,
 * each private widget one flat colour in it, the rest and the screen
 * itself as they are. */
static void test_screenshot_blanks_private_widgets(void **state)
{
  (void)state;
  repair_to_contact(1, 4, 0, 1);
  kiosk_app_type(&app, "张先生");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "13812345678");
  settle();
  kiosk_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_SCREENSHOT;
  snprintf(ev.etag, sizeof ev.etag, "%s", "0123456789abcdef0123456789abcdef");
  fake_net_push(&ev);
  settle();
  settle();
  assert_int_equal(fake_net.screenshots, 1);
  assert_string_equal(fake_net.shot_request, "0123456789abcdef0123456789abcdef");
  assert_int_equal(fake_net.shot_w, 1080);
  assert_int_equal(fake_net.shot_h, 1920);
  int privates = 0;
  for (int i = 0; i < app.ui.n; i++) {
    const kiosk_widget *w = &app.ui.w[i];
    SDL_Rect r = w->rect;
    if (!(w->flags & KF_PRIVATE))
      continue;
    privates++;
    uint32_t blank = pixel_at(fake_net.shot_pixels, 1080, r.x, r.y);
    for (int y = r.y; y < r.y + r.h; y += 3)
      for (int x = r.x; x < r.x + r.w; x += 3)
        assert_int_equal(pixel_at(fake_net.shot_pixels, 1080, x, y), blank);
    assert_true(screen_varies(r)); /* the screen still shows the text */
  }
  assert_true(privates >= 2);
  assert_int_equal(fake_net.shot_blanked, privates);
  const kiosk_widget *title = kiosk_ui_find(&app.ui, "请留下您的称呼和电话", false);
  assert_non_null(title);
  SDL_Surface *s = app.display.surface;
  for (int y = title->rect.y; y < title->rect.y + title->rect.h; y++)
    for (int x = title->rect.x; x < title->rect.x + title->rect.w; x++)
      assert_int_equal(pixel_at(fake_net.shot_pixels, 1080, x, y),
                       ((const uint32_t *)(const void *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x]);
}

/* A key held down when the request comes: no frame goes until the finger
 * lifts, so the keypad never shows which digit is being typed. */
static void test_screenshot_waits_for_a_held_key(void **state)
{
  (void)state;
  repair_to_contact(1, 4, 0, 1);
  act(KIOSK_ACT_FIELD, 1);
  const kiosk_widget *five = kiosk_ui_find(&app.ui, "5", false);
  assert_non_null(five);
  int x = five->rect.x + five->rect.w / 2, y = five->rect.y + five->rect.h / 2;
  kiosk_app_pointer(&app, SDL_MOUSEBUTTONDOWN, x, y);
  kiosk_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_SCREENSHOT;
  snprintf(ev.etag, sizeof ev.etag, "%s", "0123456789abcdef0123456789abcdef");
  fake_net_push(&ev);
  settle();
  settle();
  assert_int_equal(fake_net.screenshots, 0);
  kiosk_app_pointer(&app, SDL_MOUSEBUTTONUP, x, y);
  settle();
  assert_int_equal(fake_net.screenshots, 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_repair_body_and_ticket, setup, teardown),
    cmocka_unit_test_setup_teardown(test_repair_server_error_goes_to_field, setup, teardown),
    cmocka_unit_test_setup_teardown(test_local_validation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_description_limit_is_shown, setup, teardown),
    cmocka_unit_test_setup_teardown(test_status_lookup, setup, teardown),
    cmocka_unit_test_setup_teardown(test_visit_waits_for_approval, setup, teardown),
    cmocka_unit_test_setup_teardown(test_visit_cancel_while_waiting, setup, teardown),
    cmocka_unit_test_setup_teardown(test_repair_queued_by_429_says_so, setup, teardown),
    cmocka_unit_test_setup_teardown(test_checkout_rate_limited, setup, teardown),
    cmocka_unit_test_setup_teardown(test_checkout_conflict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_emergency_takes_over_and_wipes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_screenshot_blanks_private_widgets, setup, teardown),
    cmocka_unit_test_setup_teardown(test_screenshot_waits_for_a_held_key, setup, teardown),
    cmocka_unit_test_setup_teardown(test_screen_hooks_and_overlays, setup, teardown),
    cmocka_unit_test_setup_teardown(test_scrolled_frames_match_full, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complaint_body_and_receipt, setup, teardown),
    cmocka_unit_test_setup_teardown(test_suggestion_anonymous_queued, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complaint_local_validation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complaint_busy_and_server_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_status_complaint_lookup, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complaint_idle_wipe, setup, teardown),
    cmocka_unit_test_setup_teardown(test_queue_ref_of_complaint, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
