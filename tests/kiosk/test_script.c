/* The headless script parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "script.h"

static void test_all_steps(void **state)
{
  (void)state;
  const char *text =
    "# a comment\n"
    "clock \"2026-11-26T10:00:00+08:00\"\n"
    "\n"
    "tap 100 200\n"
    "tap \"报修\"   # trailing comment\n"
    "type \"say \\\"hi\\\"\\n\"\n"
    "wait \"R-2026\" 5000\n"
    "wait \"已提交\"\n"
    "expect \"进度查询\"\n"
    "expect-not \"网络中断\"\n"
    "shot home_1080\n"
    "sleep 250\n"
    "idle 61\n"
    "lang en\n"
    "dump\n"
    "size 1280x800\n"
    "no-overflow\n"
    "backspace 3\n"
    "backspace\r\n"
    "drag 500 1500 500 400 250\n";
  kiosk_script s;
  char err[160] = "";
  assert_int_equal(kiosk_script_parse(text, &s, err, sizeof err), LOBBY_OK);
  assert_int_equal(s.n, 18);
  assert_int_equal(s.steps[0].kind, KIOSK_STEP_CLOCK);
  assert_int_equal(s.steps[0].line, 2);
  assert_int_equal(s.steps[1].kind, KIOSK_STEP_TAP_XY);
  assert_int_equal(s.steps[1].x, 100);
  assert_int_equal(s.steps[1].y, 200);
  assert_int_equal(s.steps[2].kind, KIOSK_STEP_TAP_TEXT);
  assert_string_equal(s.steps[2].text, "报修");
  assert_string_equal(s.steps[3].text, "say \"hi\"\n");
  assert_int_equal(s.steps[4].kind, KIOSK_STEP_WAIT);
  assert_int_equal(s.steps[4].ms, 5000);
  assert_int_equal(s.steps[5].ms, 10000);
  assert_int_equal(s.steps[7].kind, KIOSK_STEP_EXPECT_NOT);
  assert_string_equal(s.steps[8].text, "home_1080");
  assert_int_equal(s.steps[9].ms, 250);
  assert_int_equal(s.steps[10].kind, KIOSK_STEP_IDLE);
  assert_int_equal(s.steps[10].ms, 61000);
  assert_string_equal(s.steps[11].text, "en");
  assert_int_equal(s.steps[12].kind, KIOSK_STEP_DUMP);
  assert_int_equal(s.steps[13].x, 1280);
  assert_int_equal(s.steps[13].y, 800);
  assert_int_equal(s.steps[14].kind, KIOSK_STEP_NO_OVERFLOW);
  assert_int_equal(s.steps[15].ms, 3);
  assert_int_equal(s.steps[16].ms, 1);
  assert_int_equal(s.steps[16].line, 19);
  assert_int_equal(s.steps[17].kind, KIOSK_STEP_DRAG);
  assert_int_equal(s.steps[17].y2, 400);
  assert_int_equal(s.steps[17].ms, 250);
  kiosk_script_free(&s);
}

static void expect_error(const char *text, const char *msg)
{
  kiosk_script s;
  char err[160] = "";
  assert_int_not_equal(kiosk_script_parse(text, &s, err, sizeof err), LOBBY_OK);
  if (!strstr(err, msg))
    fail_msg("error [%s] lacks [%s]", err, msg);
}

static void test_errors_name_the_line(void **state)
{
  (void)state;
  expect_error("tap \"a\"\nfly away\n", "line 2: unknown step 'fly'");
  expect_error("\n\ntap 10\n", "line 3: tap needs X Y");
  expect_error("type unquoted\n", "line 1: type needs a \"quoted\" argument");
  expect_error("wait \"x\" soon\n", "line 1: wait timeout");
  expect_error("lang fr\n", "lang must be zh or en");
  expect_error("shot ../evil\n", "shot name");
  expect_error("size 10x10\n", "size needs WxH");
  expect_error("expect \"a\" extra\n", "unexpected text");
  expect_error("tap \"unterminated\n", "quoted");
  expect_error("drag 1 2 3\n", "drag needs");
  /* Found by fuzz.fuzz_kiosk_script: idle's seconds times 1000 overflowed. */
  expect_error("idle 9223372036854775807\n", "line 1: idle needs a number");
  expect_error("tap 99999999999 5\n", "line 1: tap needs X Y");
  expect_error("sleep 86400001\n", "line 1: sleep needs a number");
}

/* The keyboard steps: key, layout, candidate and hold. */
static void test_keyboard_steps(void **state)
{
  (void)state;
  kiosk_script s;
  char err[160];
  const char *text = "key \"w\"\nkey \"空格\"  # space\nlayout 拼音\nlayout \"ABC\"\ncandidate \"维修\"\n"
                     "hold \"删除\"\nhold \"删除\" 1500\n";
  assert_int_equal(kiosk_script_parse(text, &s, err, sizeof err), LOBBY_OK);
  assert_int_equal(s.n, 7);
  assert_int_equal(s.steps[0].kind, KIOSK_STEP_KEY);
  assert_string_equal(s.steps[0].text, "w");
  assert_string_equal(s.steps[1].text, "空格");
  assert_int_equal(s.steps[2].kind, KIOSK_STEP_LAYOUT);
  assert_string_equal(s.steps[2].text, "拼音");
  assert_string_equal(s.steps[3].text, "ABC");
  assert_int_equal(s.steps[4].kind, KIOSK_STEP_CANDIDATE);
  assert_string_equal(s.steps[4].text, "维修");
  assert_int_equal(s.steps[5].kind, KIOSK_STEP_HOLD);
  assert_int_equal(s.steps[5].ms, 1000);
  assert_int_equal(s.steps[6].ms, 1500);
  assert_string_equal(kiosk_step_name(KIOSK_STEP_CANDIDATE), "candidate");
  kiosk_script_free(&s);
  expect_error("key w\n", "key needs a \"quoted\" argument");
  expect_error("candidate\n", "candidate needs");
  expect_error("hold \"删除\" long\n", "hold time must be milliseconds");
  expect_error("layout\n", "layout needs");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_all_steps),
    cmocka_unit_test(test_errors_name_the_line),
    cmocka_unit_test(test_keyboard_steps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
