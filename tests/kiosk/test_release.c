/* Item release (物品放行) at the kiosk, against a fake network thread: the
 * exact body sent through the outbox, the receipt (delivered, queued, held
 * back by a 429), local and server errors in the resident's words at the
 * right step, the status screen's rendering of each status from canned
 * look-up answers (no personal data), and the idle wipe.  The receipt and
 * every status are also drawn at the three supported sizes in both
 * languages with no text overflowing and no small target, and saved as
 * PNGs under the test's work directory to be looked at. */
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
#include "lobby_time.h"

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
  /* Thursday 3 December 2026, 10:00 in Beijing. */
  int64_t t = 0;
  if (lobby_time_parse("2026-12-03T10:00:00+08:00", &t) != LOBBY_OK)
    return -1;
  app.clock.clock_offset_s = t - lobby_now();
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

/* The network's answer to the last request, taken by the screen. */
static void reply(kiosk_result_state st, int status, json_t *body, const char *etag)
{
  fake_net_answer(st, status, body, etag);
  settle();
}

static bool on_screen(const char *text)
{
  settle();
  return kiosk_ui_find(&app.ui, text, false) != NULL;
}

static void shots_everywhere(const char *name)
{
  kiosk_test_shots_everywhere(&app, KIOSK_TEST_WORK_DIR, name);
}

/* Through the form to its plate step: 1号楼 2单元 301, the items, the day
 * after tomorrow (Saturday 5 December). */
static void release_to_plate(const char *items)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_RELEASE);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_WHERE);
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 1);
  act(KIOSK_ACT_PICK_ROOM, 4);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_ITEMS);
  kiosk_app_type(&app, items);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_DATE);
  act(KIOSK_ACT_DAY, 2);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_PLATE);
}

/* From the plate step: 王女士 13800138000, on to the review. */
static void contact_to_review(void)
{
  assert_int_equal(app.screens.release.step, RELEASE_STEP_CONTACT);
  kiosk_app_type(&app, "王女士");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "13800138000");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_REVIEW);
}

static void test_release_body_and_receipt(void **state)
{
  (void)state;
  assert_true(on_screen("物品放行")); /* the home screen's entry */
  release_to_plate("旧沙发一张，冰箱一台");
  kiosk_app_type(&app, "粤B12345");
  act(KIOSK_ACT_NEXT, 0);
  contact_to_review();
  assert_true(on_screen("138****8000"));
  assert_true(on_screen("12月5日 周六"));
  assert_true(on_screen("粤B12345"));
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.submits, 1);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_RELEASE);
  json_t *want = json_loads("{\"unit\": {\"building\": \"1\", \"unit\": \"2\", \"room\": \"301\"},"
                            " \"items\": \"旧沙发一张，冰箱一台\", \"date\": \"2026-12-05\", \"plate\": \"粤B12345\","
                            " \"name\": \"王女士\", \"phone\": \"13800138000\"}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  reply(KIOSK_RESULT_DELIVERED, 201,
                  json_pack("{s:s, s:s, s:s, s:s}", "number", "F-20261203-0001", "status", "submitted", "date",
                            "2026-12-05", "created_at", "2026-12-03T10:00:05+08:00"),
                  NULL);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_DONE);
  assert_true(on_screen("申请已提交"));
  assert_true(on_screen("F-20261203-0001"));
  assert_true(on_screen("LOBBY-RELEASE F-20261203-0001")); /* the QR payload */
  assert_true(on_screen("前台审核后，凭编号和手机后四位在「进度查询」查看放行码"));
  assert_true(on_screen("放行日期：12月5日 周六（当天有效）"));
  assert_true(on_screen("联系电话 138****8000"));
  assert_false(on_screen("13800138000"));
  shots_everywhere("release_done");
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Once approved, read the code under Check status with the number and last 4 phone digits"));
  assert_true(on_screen("For Sat, Dec 5, that day only"));
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_string_equal(app.screens.release.phone.buf, "");
}

/* No vehicle: the plate is skipped by a button that says so and sent as
 * null.  Queued offline it shows the Q- number, then the F- number once
 * the outbox delivers it; a 429 says it is saved and will go by itself. */
static void test_release_skip_plate_queued_and_busy(void **state)
{
  (void)state;
  release_to_plate("纸箱五个");
  assert_true(on_screen("没有车辆，跳过"));
  act(KIOSK_ACT_NEXT, 0);
  contact_to_review();
  assert_true(on_screen("无")); /* the plate's row */
  act(KIOSK_ACT_NEXT, 0);
  json_t *want = json_loads("{\"unit\": {\"building\": \"1\", \"unit\": \"2\", \"room\": \"301\"},"
                            " \"items\": \"纸箱五个\", \"date\": \"2026-12-05\", \"plate\": null,"
                            " \"name\": \"王女士\", \"phone\": \"13800138000\"}", 0, NULL);
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
  assert_true(on_screen("已保存，网络恢复后自动提交"));
  assert_true(on_screen("LOBBY-RELEASE Q-7K3M9X"));
  shots_everywhere("release_queued");
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_OUTBOX;
  snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "Q-7K3M9X");
  ev.body = json_pack("{s:s, s:s, s:s}", "ref", "Q-7K3M9X", "state", "delivered", "ticket", "F-20261203-0002");
  fake_net_push(&ev);
  assert_true(on_screen("F-20261203-0002"));
  assert_true(on_screen("LOBBY-RELEASE F-20261203-0002"));
  assert_true(on_screen("申请已提交"));
  /* Held back by the server's limit. */
  act(KIOSK_ACT_HOME, 0);
  release_to_plate("纸箱五个");
  act(KIOSK_ACT_NEXT, 0);
  contact_to_review();
  act(KIOSK_ACT_NEXT, 0);
  reply(KIOSK_RESULT_QUEUED, 429, NULL, NULL);
  assert_true(on_screen("已保存，稍后自动提交，不用再填"));
  assert_true(on_screen("提交太频繁，系统请您稍等片刻。已经保存好了，几分钟内会自动再提交，不用再填"));
}

/* Each missing piece is said in the resident's language at its step; a
 * server error goes back to the step with the field. */
static void test_release_local_and_server_errors(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_RELEASE);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_WHERE); /* no flat yet */
  act(KIOSK_ACT_PICK_BUILDING, 0);
  act(KIOSK_ACT_PICK_UNIT, 0);
  act(KIOSK_ACT_PICK_ROOM, 0);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请写下要搬出的物品（200字以内），再点「下一步」"));
  assert_int_equal(app.screens.release.step, RELEASE_STEP_ITEMS);
  kiosk_app_type(&app, "床垫");
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请点选搬出的日期"));
  assert_int_equal(app.screens.release.step, RELEASE_STEP_DATE);
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("Please choose the day the items leave"));
  act(KIOSK_ACT_LANG, 0);
  /* 15 chips: today (Thursday) to 17 December. */
  assert_true(on_screen("12月3日\n今天 周四"));
  assert_true(on_screen("12月4日\n明天 周五"));
  assert_true(on_screen("12月17日\n周四"));
  assert_false(on_screen("12月18日\n周五"));
  act(KIOSK_ACT_DAY, 15);
  assert_int_equal(app.screens.release.day, -1);
  act(KIOSK_ACT_DAY, 0);
  assert_string_equal(app.screens.release.date, "2026-12-03");
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请填写您的称呼（点选常用姓氏即可），再点「下一步」"));
  kiosk_app_type(&app, "李");
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("请填写电话号码，前台审核时可能联系您"));
  assert_int_equal(app.screens.release.focus, 1);
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "13900001111");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_REVIEW);
  assert_int_equal(fake_net.submits, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.submits, 1);
  /* Midnight passed while the resident read the review: the day is chosen again. */
  reply(KIOSK_RESULT_DELIVERED, 400,
                  json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "invalid_field", "field", "date", "message",
                            "date: must be from today to 14 days ahead"),
                  NULL);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_DATE);
  assert_int_equal(app.screens.release.day, -1);
  assert_true(on_screen("这个日期不能办理，请选择今天到14天内的日期"));
  assert_false(on_screen("must be from today"));
  act(KIOSK_ACT_DAY, 1);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.submits, 2);
  reply(KIOSK_RESULT_DELIVERED, 400,
                  json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "invalid_field", "field", "unit", "message",
                            "unit: no such room"),
                  NULL);
  assert_int_equal(app.screens.release.step, RELEASE_STEP_WHERE);
  assert_true(on_screen("房号不存在，请重新选择"));
}

/* One canned look-up answer on the status screen, F- mode. */
static void look_up(const char *digits, json_t *answer)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  act(KIOSK_ACT_PREFIX, 3);
  assert_true(on_screen("请输入放行编号和手机号后四位"));
  kiosk_app_type(&app, digits);
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "8000");
  act(KIOSK_ACT_NEXT, 0);
  reply(KIOSK_RESULT_DELIVERED, 200, answer, NULL);
  assert_int_equal(app.screens.status.step, STATUS_STEP_RESULT);
}

/* The look-up's answer for one status; code, reason and used_at given as
 * NULL are null. */
static json_t *lookup_answer(const char *status, const char *code, const char *reason, bool expired,
                             const char *used_at)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:s?, s:s}", "number", "F-20261203-0001", "status",
                   status, "date", "2026-12-05", "items", "旧沙发一张，冰箱一台", "plate", "粤B12345", "code", code,
                   "reason", reason, "expired", expired, "used_at", used_at, "created_at",
                   "2026-12-03T10:00:05+08:00");
}

static void test_status_release_each_status(void **state)
{
  (void)state;
  look_up("202612030001", lookup_answer("submitted", NULL, NULL, false, NULL));
  assert_string_equal(fake_net.last_method, "GET");
  assert_string_equal(fake_net.last_path, "/api/v1/releases/lookup?number=F-20261203-0001&phone_last4=8000");
  assert_true(on_screen("F-20261203-0001"));
  assert_true(on_screen("等待前台审核"));
  assert_true(on_screen("前台审核后，这里会显示放行码"));
  assert_true(on_screen("放行日期：12月5日 周六"));
  assert_true(on_screen("物品：旧沙发一张，冰箱一台"));
  assert_false(on_screen("已批准"));
  shots_everywhere("status_release_submitted");

  act(KIOSK_ACT_BACK, 0);
  look_up("202612030001", lookup_answer("approved", "482915", NULL, false, NULL));
  assert_true(on_screen("已批准"));
  assert_true(on_screen("放行码"));
  const kiosk_widget *code = kiosk_ui_find(&app.ui, "482915", false);
  assert_non_null(code);
  assert_int_equal(code->role, KW_LABEL); /* the code large, then its QR */
  assert_true(code->font_px > app.m.huge);
  bool qr = false;
  for (int i = 0; i < app.ui.n; i++)
    qr |= app.ui.w[i].role == KW_QR && !strcmp(app.ui.w[i].text, "482915");
  assert_true(qr);
  assert_true(on_screen("请在 12月5日 周六 当天把放行码出示给门岗"));
  assert_true(on_screen("物品：旧沙发一张，冰箱一台"));
  shots_everywhere("status_release_approved");
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Show this code to the gate guard on Sat, Dec 5"));
  act(KIOSK_ACT_LANG, 0);

  act(KIOSK_ACT_BACK, 0);
  look_up("202612030001", lookup_answer("refused", NULL, "经核实您不是该房屋的业主或住户，请业主本人到前台办理", false, NULL));
  assert_true(on_screen("未通过"));
  assert_true(on_screen("经核实您不是该房屋的业主或住户，请业主本人到前台办理"));
  assert_false(on_screen("482915"));
  shots_everywhere("status_release_refused");

  act(KIOSK_ACT_BACK, 0);
  look_up("202612030001", lookup_answer("cancelled", NULL, "住户来电取消", false, NULL));
  assert_true(on_screen("已取消"));
  assert_true(on_screen("住户来电取消"));
  shots_everywhere("status_release_cancelled");

  act(KIOSK_ACT_BACK, 0);
  look_up("202612030001", lookup_answer("used", NULL, NULL, false, "2026-12-05T14:05:00+08:00"));
  assert_true(on_screen("已放行"));
  assert_true(on_screen("已于 12月5日 14:05 放行"));
  shots_everywhere("status_release_used");

  act(KIOSK_ACT_BACK, 0);
  look_up("202612030001", lookup_answer("approved", NULL, NULL, true, NULL));
  assert_true(on_screen("已过期"));
  assert_true(on_screen("放行日期 12月5日 周六 已过，如仍需搬出请重新申请"));
  assert_false(on_screen("已批准"));
  shots_everywhere("status_release_expired");

  /* Unknown number or wrong phone: one message. */
  act(KIOSK_ACT_BACK, 0);
  act(KIOSK_ACT_PREFIX, 3);
  kiosk_app_type(&app, "202612030009");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "1111");
  act(KIOSK_ACT_NEXT, 0);
  reply(KIOSK_RESULT_DELIVERED, 404,
                  json_pack("{s:{s:s, s:s}}", "error", "code", "not_found", "message", "no release"), NULL);
  assert_true(on_screen("没有找到这张放行单，请核对编号和手机后四位后再试"));
  /* An incomplete number is caught before anything is sent. */
  int calls = fake_net.calls;
  act(KIOSK_ACT_BACK, 0);
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  act(KIOSK_ACT_PREFIX, 3);
  kiosk_app_type(&app, "2026120");
  act(KIOSK_ACT_NEXT, 0);
  assert_true(on_screen("编号不完整，应为 F- 加 8 位日期和 4 位序号，例如 F-20261202-0001"));
  assert_int_equal(fake_net.calls, calls);
}

/* A queue number whose item went through as a release names its F-
 * number and how to read the code. */
static void test_queue_ref_of_release(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  act(KIOSK_ACT_PREFIX, 1);
  kiosk_app_type(&app, "q-7k3m9x");
  act(KIOSK_ACT_NEXT, 0);
  reply(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s}", "ref", "Q-7K3M9X", "state", "delivered", "ticket", "F-20261203-0002"),
                  NULL);
  assert_true(on_screen("已提交成功，编号 F-20261203-0002\n前台审核后，凭编号和手机后四位查询放行码"));
}

/* The idle timeout wipes a half-filled application, and on the status
 * screen the number typed, the phone digits and the code shown. */
static void test_release_idle_wipe(void **state)
{
  (void)state;
  release_to_plate("旧沙发一张");
  act(KIOSK_ACT_NEXT, 0);
  kiosk_app_type(&app, "王女士");
  assert_true(on_screen("王女士"));
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_string_equal(app.screens.release.name.buf, "");
  assert_string_equal(app.screens.release.items.buf, "");
  assert_string_equal(app.screens.release.date, "");
  assert_int_equal(app.screens.release.room, -1);
  assert_int_equal(app.screens.release.day, -1);
  assert_false(on_screen("王女士"));
  look_up("202612030001", lookup_answer("approved", "482915", NULL, false, NULL));
  assert_true(on_screen("482915"));
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_false(app.screens.status.release);
  assert_string_equal(app.screens.status.ticket.buf, "");
  assert_string_equal(app.screens.status.last4.buf, "");
  assert_string_equal(app.screens.status.release_found.code, "");
  assert_string_equal(app.screens.status.release_found.items, "");
  assert_false(kiosk_test_contains(&app.screens.status, sizeof app.screens.status, "482915"));
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  assert_false(on_screen("482915"));
  assert_false(on_screen("F-20261203-0001"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_release_body_and_receipt, setup, teardown),
    cmocka_unit_test_setup_teardown(test_release_skip_plate_queued_and_busy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_release_local_and_server_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_status_release_each_status, setup, teardown),
    cmocka_unit_test_setup_teardown(test_queue_ref_of_release, setup, teardown),
    cmocka_unit_test_setup_teardown(test_release_idle_wipe, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
