/* The read-aloud text (speech_text.h): times, phone numbers, ticket
 * numbers, years and ranges become what a person says; everything else
 * is left as it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "lobby_text.h"
#include "speech_text.h"

static void expect_spoken(const char *text, kiosk_speech_lang lang, const char *want)
{
  char out[512];
  assert_int_equal(kiosk_speech_text(text, lang, out, sizeof out), LOBBY_OK);
  assert_string_equal(out, want);
}

static void zh(const char *text, const char *want)
{
  expect_spoken(text, KIOSK_SPEECH_ZH, want);
}

static void en(const char *text, const char *want)
{
  expect_spoken(text, KIOSK_SPEECH_EN, want);
}

static void zh_times_are_o_clock(void **state)
{
  (void)state;
  zh("9:00", "九点");
  zh("2:00", "两点");
  zh("2:30", "两点半");
  zh("8:05", "八点零五分");
  zh("14:15", "十四点十五分");
  zh("0:00", "零点");
  zh("12:00", "十二点");
  zh("20:45", "二十点四十五分");
}

static void zh_time_ranges(void **state)
{
  (void)state;
  zh("停水时间9:00-17:00", "停水时间九点到十七点");
  zh("9:00 ~ 11:30维修", "九点到十一点半维修");
  zh("11月28日9:00至20:00二次供水设备检修", "11月28日九点至二十点二次供水设备检修");
}

static void zh_phone_numbers_digit_by_digit(void **state)
{
  (void)state;
  zh("服务电话400-800-1234", "服务电话四零零，八零零，幺二三四");
  zh("13812345678", "幺三八幺二三四五六七八");
  zh("请拨打 010-62345678。", "请拨打 零幺零，六二三四五六七八。");
  zh("138 0013 8000", "幺三八，零零幺三，八零零零");
}

static void zh_ticket_numbers(void **state)
{
  (void)state;
  zh("单号R-20261201-0001", "单号阿尔，二零二六幺二零幺，零零零幺");
  zh("F-20261204-0012", "艾弗，二零二六幺二零四，零零幺二");
}

static void zh_years_and_dates(void **state)
{
  (void)state;
  zh("2026年12月4日", "二零二六年12月4日");
  zh("2026-12-01起", "二零二六年12月1日起");
}

static void zh_plain_numbers_stay(void **state)
{
  (void)state;
  zh("30分钟内到场", "30分钟内到场");
  zh("1-2号楼", "1到2号楼");
  zh("3号楼2单元1801", "3号楼2单元1801");
  zh("费用500元", "费用500元");
  zh("25:00", "25:00");
  zh("A1栋", "A1栋");
  zh("WiFi", "WiFi");
}

static void en_times_say_am_pm(void **state)
{
  (void)state;
  en("9:00", "9 AM");
  en("9:05", "9 oh 5 AM");
  en("14:30", "2 30 PM");
  en("12:00", "12 noon");
  en("0:00", "12 midnight");
  en("Water off 9:00-17:00.", "Water off 9 AM to 5 PM.");
}

static void en_digits_and_tickets(void **state)
{
  (void)state;
  en("Call 400-800-1234", "Call 4 0 0, 8 0 0, 1 2 3 4");
  en("Ticket R-20261201-0001", "Ticket R, 2 0 2 6 1 2 0 1, 0 0 0 1");
  en("From 2026-12-01", "From December 1, 2026");
  en("Blocks 1-2", "Blocks 1 to 2");
}

static void bad_utf8_is_refused(void **state)
{
  (void)state;
  char out[64] = "x";
  assert_int_equal(kiosk_speech_text("停\xff水", KIOSK_SPEECH_ZH, out, sizeof out), LOBBY_EINVAL);
  assert_string_equal(out, "");
}

/* What fits is kept, cut between characters, never inside one. */
static void too_long_is_cut_between_characters(void **state)
{
  (void)state;
  char out[11];
  assert_int_equal(kiosk_speech_text("停水通知9:00", KIOSK_SPEECH_ZH, out, sizeof out), LOBBY_ETOOBIG);
  assert_string_equal(out, "停水通");
  assert_true(lobby_utf8_valid(out, strlen(out)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(zh_times_are_o_clock),
    cmocka_unit_test(zh_time_ranges),
    cmocka_unit_test(zh_phone_numbers_digit_by_digit),
    cmocka_unit_test(zh_ticket_numbers),
    cmocka_unit_test(zh_years_and_dates),
    cmocka_unit_test(zh_plain_numbers_stay),
    cmocka_unit_test(en_times_say_am_pm),
    cmocka_unit_test(en_digits_and_tickets),
    cmocka_unit_test(bad_utf8_is_refused),
    cmocka_unit_test(too_long_is_cut_between_characters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
