/* Rating at the kiosk, against a fake network thread: the levels appear
 * only under a completed repair or an answered complaint, the exact body
 * sent, the thanks (and the promise of a call when unsatisfied), the
 * server's refusals and a failed send in the resident's words, and the
 * idle wipe of the phone digits and the comment. */
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

/* Whether any widget on screen carries the rating action. */
static bool levels_shown(void)
{
  settle();
  for (int i = 0; i < app.ui.n; i++)
    if (app.ui.w[i].action == KIOSK_ACT_RATE)
      return true;
  return false;
}

/* R-20261126-0042 with phone digits 5678, answered with status. */
static void repair_looked_up(const char *status)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  kiosk_app_type(&app, "202611260042");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "5678");
  act(KIOSK_ACT_NEXT, 0);
  assert_string_equal(fake_net.last_path, "/api/v1/repairs/lookup?ticket=R-20261126-0042&phone_last4=5678");
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s}]}", "ticket", "R-20261126-0042", "status",
                            status, "category", "water", "due_at", "2026-11-26T18:00:00+08:00", "overdue", 0,
                            "timeline", "status", status, "at", "2026-11-26T15:02:00+08:00"),
                  NULL);
  settle();
  assert_int_equal(app.screens.status.step, STATUS_STEP_RESULT);
}

/* C-20261202-0001 with phone digits 8000; satisfaction NULL for null. */
static void complaint_looked_up(const char *status, const char *satisfaction)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  act(KIOSK_ACT_PREFIX, 2);
  kiosk_app_type(&app, "202612020001");
  act(KIOSK_ACT_FIELD, 1);
  kiosk_app_type(&app, "8000");
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "number", "C-20261202-0001", "kind",
                            "complaint", "category", "noise_neighbours", "status", status, "reply",
                            "已联系楼上住户，晚上10点后停止施工", "replied_at", "2026-12-03T09:30:00+08:00",
                            "reply_due_at", "2026-12-03T18:00:00+08:00", "satisfaction",
                            satisfaction ? json_string(satisfaction) : json_null()),
                  NULL);
  settle();
  assert_int_equal(app.screens.status.step, STATUS_STEP_RESULT);
}

static void answer_error(int status, const char *code)
{
  fake_net_answer(KIOSK_RESULT_DELIVERED, status,
                  json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", "refused"), NULL);
  settle();
}

static void test_levels_only_for_finished_records(void **state)
{
  (void)state;
  repair_looked_up("on_site");
  assert_false(levels_shown());
  assert_false(on_screen("您对处理结果满意吗？请点选评价"));
  act(KIOSK_ACT_RATE, 0); /* no tap can rate it either */
  assert_int_equal(app.screens.status.step, STATUS_STEP_RESULT);
  act(KIOSK_ACT_BACK, 0);
  repair_looked_up("completed");
  assert_true(levels_shown());
  assert_true(on_screen("您对处理结果满意吗？请点选评价"));
  assert_true(on_screen("满意"));
  assert_true(on_screen("基本满意"));
  assert_true(on_screen("不满意"));
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Fairly satisfied"));
  assert_true(on_screen("Not satisfied"));
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_BACK, 0);
  complaint_looked_up("replied", NULL);
  assert_true(levels_shown());
  assert_true(on_screen("已联系楼上住户，晚上10点后停止施工")); /* the answer stays readable */
  act(KIOSK_ACT_BACK, 0);
  complaint_looked_up("replied", "satisfied"); /* rated by the desk's call already */
  assert_false(levels_shown());
  act(KIOSK_ACT_BACK, 0);
  complaint_looked_up("return_visited", "basically_satisfied");
  assert_false(levels_shown());
  act(KIOSK_ACT_BACK, 0);
  complaint_looked_up("assigned", NULL);
  assert_false(levels_shown());
  assert_int_equal(fake_net.calls, 6); /* look-ups only */
}

static void test_repair_rated_with_comment(void **state)
{
  (void)state;
  repair_looked_up("completed");
  act(KIOSK_ACT_RATE, 1);
  assert_int_equal(app.screens.status.step, STATUS_STEP_RATE);
  assert_true(on_screen("评价 R-20261126-0042"));
  assert_true(on_screen("意见（可不填）"));
  kiosk_app_type(&app, "师傅很专业");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.status.step, STATUS_STEP_RATING);
  assert_int_equal(fake_net.submits, 0); /* sent directly, never through the outbox */
  assert_string_equal(fake_net.last_method, "POST");
  assert_string_equal(fake_net.last_path, "/api/v1/ratings");
  json_t *want = json_loads("{\"number\": \"R-20261126-0042\", \"phone_last4\": \"5678\","
                            " \"satisfaction\": \"basically_satisfied\", \"comment\": \"师傅很专业\"}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  assert_true(on_screen("正在提交评价，请稍候…"));
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:b, s:[]}", "ticket", "R-20261126-0042", "status", "return_visit",
                            "category", "water", "due_at", "2026-11-26T18:00:00+08:00", "overdue", 0, "timeline"),
                  NULL);
  assert_true(on_screen("感谢您的评价"));
  assert_true(on_screen("已回访 · 您的评价：基本满意"));
  assert_false(on_screen("客服将尽快与您联系"));
  assert_string_equal(app.screens.status.rating.comment.buf, "");
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Thank you for your rating"));
  assert_true(on_screen("Followed up · Your rating: Fairly satisfied"));
  /* Another look-up starts afresh. */
  act(KIOSK_ACT_BACK, 0);
  assert_int_equal(app.screens.status.step, STATUS_STEP_ENTRY);
  assert_int_equal(app.screens.status.rating.level, -1);
}

static void test_complaint_unsatisfied_gets_a_call(void **state)
{
  (void)state;
  complaint_looked_up("replied", NULL);
  act(KIOSK_ACT_RATE, 0);
  act(KIOSK_ACT_RATE, 2); /* changed on the rating step */
  assert_int_equal(app.screens.status.rating.level, 2);
  act(KIOSK_ACT_NEXT, 0);
  json_t *want = json_loads("{\"number\": \"C-20261202-0001\", \"phone_last4\": \"8000\","
                            " \"satisfaction\": \"unsatisfied\"}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body)); /* no comment: no member */
  json_decref(want);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:s}", "number", "C-20261202-0001", "kind", "complaint", "category",
                            "noise_neighbours", "status", "follow_up", "satisfaction", "unsatisfied"),
                  NULL);
  assert_true(on_screen("感谢您的评价"));
  assert_true(on_screen("客服将尽快与您联系"));
  assert_true(on_screen("跟进中 · 您的评价：不满意"));
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Our service staff will contact you soon"));
  assert_true(on_screen("Following up · Your rating: Not satisfied"));
}

static void test_refusals_in_plain_words(void **state)
{
  (void)state;
  /* Rated meanwhile (at another kiosk): said where the levels were. */
  repair_looked_up("completed");
  act(KIOSK_ACT_RATE, 0);
  act(KIOSK_ACT_NEXT, 0);
  answer_error(409, "not_awaiting_rating");
  assert_int_equal(app.screens.status.step, STATUS_STEP_RESULT);
  assert_true(on_screen("已评价过，感谢"));
  assert_false(levels_shown());
  act(KIOSK_ACT_RATE, 0);
  assert_int_equal(app.screens.status.step, STATUS_STEP_RESULT);
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Already rated, thank you"));
  act(KIOSK_ACT_LANG, 0);
  /* The record no longer matches. */
  act(KIOSK_ACT_BACK, 0);
  complaint_looked_up("replied", NULL);
  act(KIOSK_ACT_RATE, 0);
  act(KIOSK_ACT_NEXT, 0);
  answer_error(404, "not_found");
  assert_true(on_screen("没有找到这条记录，请重新查询"));
  assert_false(levels_shown());
  /* Too many tries: the comment is kept for another go. */
  act(KIOSK_ACT_BACK, 0);
  complaint_looked_up("replied", NULL);
  act(KIOSK_ACT_RATE, 1);
  kiosk_app_type(&app, "回复及时");
  act(KIOSK_ACT_NEXT, 0);
  answer_error(429, "rate_limited");
  assert_int_equal(app.screens.status.step, STATUS_STEP_RATE);
  assert_true(on_screen("操作太频繁了，请等一分钟再试"));
  assert_string_equal(app.screens.status.rating.comment.buf, "回复及时");
  /* Not sent (the network failed): try again or call. */
  act(KIOSK_ACT_NEXT, 0);
  fake_net_answer(KIOSK_RESULT_FAILED, 0, NULL, NULL);
  settle();
  assert_int_equal(app.screens.status.step, STATUS_STEP_RATE);
  assert_true(on_screen("评价没有发送成功，请稍后再试，或拨打服务电话 400-800-1234"));
  /* Offline (no network thread): the same, without leaving the step. */
  app.link.net = NULL;
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.status.step, STATUS_STEP_RATE);
  assert_true(on_screen("评价没有发送成功，请稍后再试，或拨打服务电话 400-800-1234"));
  app.link.net = fake_net_handle();
  /* Sent again, it goes through. */
  act(KIOSK_ACT_NEXT, 0);
  json_t *want = json_loads("{\"number\": \"C-20261202-0001\", \"phone_last4\": \"8000\","
                            " \"satisfaction\": \"basically_satisfied\", \"comment\": \"回复及时\"}", 0, NULL);
  assert_true(json_equal(want, fake_net.last_body));
  json_decref(want);
  fake_net_answer(KIOSK_RESULT_DELIVERED, 200,
                  json_pack("{s:s, s:s, s:s}", "number", "C-20261202-0001", "status", "return_visited",
                            "satisfaction", "basically_satisfied"),
                  NULL);
  assert_true(on_screen("已回访 · 您的评价：基本满意"));
}

/* The idle timeout clears the phone digits and the comment. */
static void test_idle_wipes_the_rating(void **state)
{
  (void)state;
  repair_looked_up("completed");
  act(KIOSK_ACT_RATE, 2);
  kiosk_app_type(&app, "还是漏水");
  assert_true(on_screen("还是漏水"));
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_string_equal(app.screens.status.last4.buf, "");
  assert_string_equal(app.screens.status.rating.comment.buf, "");
  assert_int_equal(app.screens.status.rating.level, -1);
  assert_string_equal(app.screens.status.found.ticket, "");
  act(KIOSK_ACT_GO, KIOSK_SCREEN_STATUS);
  assert_false(on_screen("还是漏水"));
  assert_false(levels_shown());
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_levels_only_for_finished_records, setup, teardown),
    cmocka_unit_test_setup_teardown(test_repair_rated_with_comment, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complaint_unsatisfied_gets_a_call, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refusals_in_plain_words, setup, teardown),
    cmocka_unit_test_setup_teardown(test_idle_wipes_the_rating, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
