/* Contractor workers (施工人员) signing in and out at the kiosk, against a
 * fake network thread: the ways in (访客登记's first step and 访客离开),
 * the exact request (sent at once, never through the outbox), each answer
 * rendered — in, out, each of the three refusals with the phone the
 * answer named or the feed's, the unknown code, too many guesses — the
 * network down (said plainly, the desk and the phone named), and the idle
 * wipe of the code and the answer.  The answers are drawn at the three
 * sizes in both languages with no overflow and no small target, and kept
 * as PNGs under the test's work directory to be looked at. */
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

static void reply(kiosk_result_state st, int status, json_t *body)
{
  fake_net_answer(st, status, body, NULL);
  settle();
}

static bool on_screen(const char *text)
{
  settle();
  return kiosk_ui_find(&app.ui, text, false) != NULL;
}

/* Taps the widget showing text, as a finger would. */
static void tap(const char *text)
{
  settle();
  const kiosk_widget *w = kiosk_ui_find(&app.ui, text, true);
  if (!w)
    fail_msg("nothing tappable shows \"%s\"", text);
  kiosk_app_tap(&app, w->rect.x + w->rect.w / 2, w->rect.y + w->rect.h / 2);
  settle();
}

static void shots_everywhere(const char *name)
{
  kiosk_test_shots_everywhere(&app, KIOSK_TEST_WORK_DIR, name);
}

/* On the worker screen, the code typed and confirmed: one direct call. */
static void send_code(const char *typed)
{
  act(KIOSK_ACT_GO, KIOSK_SCREEN_WORKER);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_ENTRY);
  kiosk_app_type(&app, typed);
  act(KIOSK_ACT_NEXT, 0);
}

static json_t *attendance(const char *action, const char *name)
{
  return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:s}", "action", action, "name", name, "company",
                   "安居装饰工程有限公司", "unit", "building", "1", "unit", "2", "room", "301", "valid_until",
                   "2026-12-31", "at", action[0] == 'i' ? "2026-12-03T10:05:00+08:00" : "2026-12-03T17:42:00+08:00");
}

static json_t *refusal(const char *code, const char *contact)
{
  json_t *b = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", "通行证不可用 / pass not usable");
  if (contact)
    json_object_set_new(b, "contact", json_string(contact));
  return b;
}

/* Both visitor screens lead a worker in; the home screen keeps its six. */
static void test_ways_in(void **state)
{
  (void)state;
  settle();
  assert_null(kiosk_ui_find(&app.ui, "施工人员签到 / 签离", true));
  act(KIOSK_ACT_GO, KIOSK_SCREEN_VISIT);
  assert_int_equal(app.screens.visit.step, VISIT_STEP_START);
  tap("施工人员签到 / 签离");
  assert_int_equal(app.screen, KIOSK_SCREEN_WORKER);
  assert_true(on_screen("请输入临时出入证上的通行码"));
  act(KIOSK_ACT_BACK, 0);
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  act(KIOSK_ACT_GO, KIOSK_SCREEN_CHECKOUT);
  tap("施工人员签到 / 签离");
  assert_int_equal(app.screen, KIOSK_SCREEN_WORKER);
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_GO, KIOSK_SCREEN_VISIT);
  tap("Contractor workers: sign in / out");
  assert_true(on_screen("Enter the code on your temporary pass"));
  act(KIOSK_ACT_GO, KIOSK_SCREEN_VISIT);
  shots_everywhere("visit_start");
  act(KIOSK_ACT_GO, KIOSK_SCREEN_CHECKOUT);
  shots_everywhere("checkout_entry");
  act(KIOSK_ACT_GO, KIOSK_SCREEN_WORKER);
  kiosk_app_type(&app, "K7M3");
  shots_everywhere("worker_entry");
}

/* The exact request: POST /api/v1/workers/attendance {"pass_code"}, at
 * once and not through the outbox; then 签到成功 with the masked name, the
 * company, the flat, the time and the pass's last day. */
static void test_sign_in(void **state)
{
  (void)state;
  send_code("k7m3qx4a");
  assert_int_equal(fake_net.calls, 1);
  assert_int_equal(fake_net.submits, 0);
  assert_string_equal(fake_net.last_method, "POST");
  assert_string_equal(fake_net.last_path, "/api/v1/workers/attendance");
  json_t *want = json_pack("{s:s}", "pass_code", "K7M3QX4A");
  assert_true(json_equal(fake_net.last_body, want));
  json_decref(want);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_SENDING);
  assert_true(on_screen("正在办理，请稍候…"));
  reply(KIOSK_RESULT_DELIVERED, 200, attendance("in", "王*"));
  assert_int_equal(app.screens.worker.step, WORKER_STEP_DONE);
  assert_true(on_screen("签到成功"));
  assert_true(on_screen("王*"));
  assert_true(on_screen("安居装饰工程有限公司"));
  assert_true(on_screen("1号楼 2单元 301室"));
  assert_true(on_screen("签到时间 12月3日 10:05"));
  assert_true(on_screen("出入证有效期至 12月31日 周四"));
  /* The code is no longer kept once the answer is in. */
  assert_string_equal(app.screens.worker.code.buf, "");
  shots_everywhere("worker_in");
  act(KIOSK_ACT_LANG, 0);
  assert_true(on_screen("Signed in"));
  assert_true(on_screen("Building 1, unit 2, room 301"));
  assert_true(on_screen("Pass valid until Thu, Dec 31"));
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
}

/* 签离成功 with the time; a full name from the server is masked anyway. */
static void test_sign_out_masks_the_name(void **state)
{
  (void)state;
  send_code("K7M3QX4A");
  reply(KIOSK_RESULT_DELIVERED, 200, attendance("out", "王小明"));
  assert_true(on_screen("签离成功"));
  assert_true(on_screen("王**"));
  assert_false(on_screen("王小明"));
  assert_false(kiosk_test_contains(&app.screens.worker, sizeof app.screens.worker, "小明"));
  assert_true(on_screen("签离时间 12月3日 17:42"));
  assert_false(on_screen("出入证有效期至 12月31日 周四"));
  shots_everywhere("worker_out");
}

/* Each refusal: why in plain words, that the desk was told, and the
 * phone the answer named (else the site's from the feed). */
static void test_refusals(void **state)
{
  (void)state;
  static const struct {
    const char *code, *contact, *why, *why_en, *shot;
  } cases[] = {
    {"worker_pass_expired", "0755-8888-6666", "您的临时出入证已过期，\n请装修负责人到前台续办",
     "Your temporary pass has expired. Ask the renovation manager to renew it at the front desk.",
     "worker_refused_expired"},
    {"worker_pass_revoked", "0755-8888-6666", "您的临时出入证已被物业停用，\n暂时不能进场",
     "Your temporary pass has been cancelled by the management office.", "worker_refused_revoked"},
    {"renovation_not_active", NULL, "这户的装修登记已结束或不在施工期内，\n暂时不能进场施工",
     "This flat's renovation has ended or is outside its approved dates, so work cannot start.",
     "worker_refused_not_active"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    send_code("K7M3QX4A");
    reply(KIOSK_RESULT_DELIVERED, 409, refusal(cases[i].code, cases[i].contact));
    assert_int_equal(app.screens.worker.step, WORKER_STEP_REFUSED);
    assert_true(on_screen("无法签到"));
    assert_true(on_screen(cases[i].why));
    char told[256];
    snprintf(told, sizeof told, "前台已经收到通知。请到前台办理，\n或拨打服务电话 %s",
             cases[i].contact ? cases[i].contact : "400-800-1234");
    assert_true(on_screen(told));
    assert_false(on_screen("通行证不可用 / pass not usable"));
    assert_string_equal(app.screens.worker.code.buf, "");
    act(KIOSK_ACT_LANG, 0);
    assert_true(on_screen("Cannot sign in"));
    assert_true(on_screen(cases[i].why_en));
    act(KIOSK_ACT_LANG, 0);
    if (i == 0 || i == 2)
      shots_everywhere(cases[i].shot);
    act(KIOSK_ACT_NEXT, 0);
    assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  }
}

/* A 409 of another kind is not taken for a refusal of the pass. */
static void test_other_conflict_is_an_error(void **state)
{
  (void)state;
  send_code("K7M3QX4A");
  reply(KIOSK_RESULT_DELIVERED, 409, refusal("conflict", NULL));
  assert_int_equal(app.screens.worker.step, WORKER_STEP_ENTRY);
  assert_false(on_screen("无法签到"));
  assert_true(on_screen("这条记录已经办理过了"));
}

/* An unknown code (404) and too many guesses (429): back at the code,
 * which stays typed, with what to do. */
static void test_unknown_code_and_wait(void **state)
{
  (void)state;
  send_code("K7M3QX4A");
  reply(KIOSK_RESULT_DELIVERED, 404, json_pack("{s:{s:s, s:s}}", "error", "code", "not_found", "message", "no"));
  assert_int_equal(app.screens.worker.step, WORKER_STEP_ENTRY);
  assert_true(on_screen("没有找到这个通行码。请核对出入证上的 8 位通行码，或到前台询问"));
  assert_string_equal(app.form.error_field, "pass_code");
  assert_true(app.screens.worker.code.error);
  assert_string_equal(app.screens.worker.code.buf, "K7M3QX4A");
  shots_everywhere("worker_not_found");
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(fake_net.calls, 2);
  reply(KIOSK_RESULT_DELIVERED, 429, json_pack("{s:{s:s, s:s}}", "error", "code", "rate_limited", "message", "slow"));
  assert_true(on_screen("这台机器上输错的次数太多了，请等一分钟再试，或到前台办理"));
  /* A message is put in words when it comes: in English after a switch. */
  act(KIOSK_ACT_LANG, 0);
  act(KIOSK_ACT_NEXT, 0);
  reply(KIOSK_RESULT_DELIVERED, 429, json_pack("{s:{s:s, s:s}}", "error", "code", "rate_limited", "message", "slow"));
  assert_true(on_screen("Too many wrong codes on this screen. Please wait a minute, or go to the front desk."));
}

/* A code that is not 8 characters is not sent. */
static void test_short_code_not_sent(void **state)
{
  (void)state;
  send_code("K7M3QX");
  assert_int_equal(fake_net.calls, 0);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_ENTRY);
  assert_true(on_screen("通行码是 8 位字母和数字，请核对出入证后再输入"));
}

/* The network down: nothing happened, said plainly; the desk or the
 * phone.  "Try again" keeps the code; without a network thread at all the
 * same message comes at once. */
static void test_offline(void **state)
{
  (void)state;
  send_code("K7M3QX4A");
  reply(KIOSK_RESULT_FAILED, 0, NULL);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_OFFLINE);
  assert_true(on_screen("网络暂时不通"));
  assert_true(on_screen("现在无法签到签离。请到前台登记，\n或拨打服务电话 400-800-1234"));
  shots_everywhere("worker_offline");
  act(KIOSK_ACT_BACK, 0);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_ENTRY);
  assert_string_equal(app.screens.worker.code.buf, "K7M3QX4A");
  app.link.net = NULL;
  act(KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_OFFLINE);
  assert_int_equal(fake_net.calls, 1);
}

/* The idle timeout wipes the code typed and, later, the answer shown; an
 * answer arriving after the worker left is not shown to the next person. */
static void test_idle_wipe(void **state)
{
  (void)state;
  act(KIOSK_ACT_GO, KIOSK_SCREEN_WORKER);
  kiosk_app_type(&app, "K7M3QX4A");
  assert_true(on_screen("K7M3QX4A"));
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_false(kiosk_test_contains(&app.screens.worker, sizeof app.screens.worker, "K7M3QX4A"));
  send_code("K7M3QX4A");
  reply(KIOSK_RESULT_DELIVERED, 200, attendance("in", "王*"));
  assert_true(on_screen("安居装饰工程有限公司"));
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_false(kiosk_test_contains(&app.screens.worker, sizeof app.screens.worker, "安居装饰"));
  assert_false(kiosk_test_contains(&app.screens.worker, sizeof app.screens.worker, "王*"));
  act(KIOSK_ACT_GO, KIOSK_SCREEN_WORKER);
  assert_false(on_screen("安居装饰工程有限公司"));
  /* Sent, then left before the answer: the late answer is dropped. */
  kiosk_app_type(&app, "K7M3QX4A");
  act(KIOSK_ACT_NEXT, 0);
  app.clock.idle_shift_ms += 61000;
  kiosk_app_tick(&app);
  settle();
  reply(KIOSK_RESULT_DELIVERED, 200, attendance("in", "王*"));
  act(KIOSK_ACT_GO, KIOSK_SCREEN_WORKER);
  assert_int_equal(app.screens.worker.step, WORKER_STEP_ENTRY);
  assert_false(on_screen("签到成功"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_ways_in, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sign_out_masks_the_name, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_other_conflict_is_an_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_code_and_wait, setup, teardown),
    cmocka_unit_test_setup_teardown(test_short_code_not_sent, setup, teardown),
    cmocka_unit_test_setup_teardown(test_offline, setup, teardown),
    cmocka_unit_test_setup_teardown(test_idle_wipe, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
