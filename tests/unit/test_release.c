/* The item-release pass's rules (lobby_release.c): who may move it where,
 * the leaving date's window, what the gate says, codes and numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include "lobby_release.h"
#include "lobby_time.h"

#define CN 480   /* +08:00 */

static int64_t at(const char *iso)
{
  int64_t t = 0;
  assert_int_equal(lobby_time_parse(iso, &t), LOBBY_OK);
  return t;
}

static void moves(release_status from, release_event ev, release_status want)
{
  release_status to = RELEASE_STATUS_COUNT;
  assert_int_equal(release_transition(from, ev, &to), LOBBY_OK);
  assert_int_equal(to, want);
}

static void refused(release_status from, release_event ev)
{
  release_status to = RELEASE_STATUS_COUNT;
  assert_int_equal(release_transition(from, ev, &to), LOBBY_ECONFLICT);
  assert_int_equal(to, RELEASE_STATUS_COUNT);
}

/* submitted -> approved | refused; approved -> used | cancelled; the
 * ends are final and nothing is submitted twice. */
static void the_desk_decides_and_the_gate_uses_once(void **state)
{
  (void)state;
  moves(RELEASE_STATUS_SUBMITTED, RELEASE_EVENT_APPROVE, RELEASE_STATUS_APPROVED);
  moves(RELEASE_STATUS_SUBMITTED, RELEASE_EVENT_REFUSE, RELEASE_STATUS_REFUSED);
  moves(RELEASE_STATUS_APPROVED, RELEASE_EVENT_USE, RELEASE_STATUS_USED);
  moves(RELEASE_STATUS_APPROVED, RELEASE_EVENT_CANCEL, RELEASE_STATUS_CANCELLED);
  refused(RELEASE_STATUS_SUBMITTED, RELEASE_EVENT_USE);
  refused(RELEASE_STATUS_SUBMITTED, RELEASE_EVENT_CANCEL);
  refused(RELEASE_STATUS_APPROVED, RELEASE_EVENT_APPROVE);
  refused(RELEASE_STATUS_APPROVED, RELEASE_EVENT_REFUSE);
  refused(RELEASE_STATUS_USED, RELEASE_EVENT_USE);
  refused(RELEASE_STATUS_USED, RELEASE_EVENT_CANCEL);
  refused(RELEASE_STATUS_REFUSED, RELEASE_EVENT_APPROVE);
  refused(RELEASE_STATUS_CANCELLED, RELEASE_EVENT_USE);
  for (int s = 0; s < RELEASE_STATUS_COUNT; s++)
    refused((release_status)s, RELEASE_EVENT_SUBMIT);
}

/* From the site's today to 14 days ahead, in local time: at 00:30 on
 * 5 December in Beijing it is still 4 December in UTC. */
static void the_date_is_today_to_two_weeks_ahead(void **state)
{
  (void)state;
  int64_t now = at("2026-12-05T00:30:00+08:00");
  assert_true(release_date_in_window("2026-12-05", now, CN));
  assert_true(release_date_in_window("2026-12-19", now, CN));
  assert_false(release_date_in_window("2026-12-20", now, CN));
  assert_false(release_date_in_window("2026-12-04", now, CN));
  assert_true(release_date_in_window("2026-12-04", now, 0));
  assert_false(release_date_in_window("2026-12-5", now, CN));
  assert_false(release_date_in_window("2026-02-30", now, CN));
  assert_false(release_date_in_window(NULL, now, CN));
  /* Across a year's end. */
  now = at("2026-12-25T23:59:00+08:00");
  assert_true(release_date_in_window("2027-01-08", now, CN));
  assert_false(release_date_in_window("2027-01-09", now, CN));
}

/* An approved pass is good 00:00-24:00 on its date, local time. */
static void the_gate_says_why_not(void **state)
{
  (void)state;
  const char *d = "2026-12-05";
  release_status ok = RELEASE_STATUS_APPROVED;
  assert_int_equal(release_gate_of(ok, d, at("2026-12-04T23:59:59+08:00"), CN), RELEASE_GATE_NOT_YET);
  assert_int_equal(release_gate_of(ok, d, at("2026-12-05T00:00:00+08:00"), CN), RELEASE_GATE_VALID);
  assert_int_equal(release_gate_of(ok, d, at("2026-12-05T23:59:59+08:00"), CN), RELEASE_GATE_VALID);
  assert_int_equal(release_gate_of(ok, d, at("2026-12-06T00:00:00+08:00"), CN), RELEASE_GATE_EXPIRED);
  int64_t now = at("2026-12-05T12:00:00+08:00");
  assert_int_equal(release_gate_of(RELEASE_STATUS_SUBMITTED, d, now, CN), RELEASE_GATE_NOT_APPROVED);
  assert_int_equal(release_gate_of(RELEASE_STATUS_REFUSED, d, now, CN), RELEASE_GATE_REFUSED);
  assert_int_equal(release_gate_of(RELEASE_STATUS_CANCELLED, d, now, CN), RELEASE_GATE_CANCELLED);
  assert_int_equal(release_gate_of(RELEASE_STATUS_USED, d, now, CN), RELEASE_GATE_USED);
  /* A used pass stays used, never expired. */
  assert_int_equal(release_gate_of(RELEASE_STATUS_USED, d, at("2026-12-09T12:00:00+08:00"), CN),
                   RELEASE_GATE_USED);
  assert_true(release_expired(ok, d, at("2026-12-06T00:00:00+08:00"), CN));
  assert_false(release_expired(ok, d, now, CN));
  assert_false(release_expired(RELEASE_STATUS_USED, d, at("2026-12-09T00:00:00+08:00"), CN));
  assert_false(release_expired(RELEASE_STATUS_SUBMITTED, d, at("2026-12-09T00:00:00+08:00"), CN));

  assert_null(release_gate_reason(RELEASE_GATE_VALID));
  assert_string_equal(release_gate_reason(RELEASE_GATE_NOT_APPROVED), "not_approved");
  assert_string_equal(release_gate_reason(RELEASE_GATE_REFUSED), "refused");
  assert_string_equal(release_gate_reason(RELEASE_GATE_CANCELLED), "cancelled");
  assert_string_equal(release_gate_reason(RELEASE_GATE_USED), "used");
  assert_string_equal(release_gate_reason(RELEASE_GATE_EXPIRED), "expired");
  assert_string_equal(release_gate_reason(RELEASE_GATE_NOT_YET), "not_yet");
  assert_null(release_gate_error_code(RELEASE_GATE_VALID));
  assert_string_equal(release_gate_error_code(RELEASE_GATE_USED), "release_used");
  assert_string_equal(release_gate_error_code(RELEASE_GATE_EXPIRED), "release_expired");
  assert_string_equal(release_gate_error_code(RELEASE_GATE_NOT_YET), "release_not_yet");
  assert_string_equal(release_gate_error_code(RELEASE_GATE_NOT_APPROVED), "release_not_approved");
  assert_string_equal(release_gate_error_code(RELEASE_GATE_REFUSED), "release_not_approved");
  assert_string_equal(release_gate_error_code(RELEASE_GATE_CANCELLED), "release_not_approved");
}

static void codes_are_six_digits_and_numbers_start_with_f(void **state)
{
  (void)state;
  char code[RELEASE_CODE_LEN + 1], number[24];
  int seen_nonzero_first = 0;
  for (int i = 0; i < 200; i++) {
    release_code_random(code);
    assert_true(release_code_valid(code));
    seen_nonzero_first |= code[0] != '0';
  }
  assert_true(seen_nonzero_first);
  assert_false(release_code_valid("12345"));
  assert_false(release_code_valid("1234567"));
  assert_false(release_code_valid("12a456"));
  assert_false(release_code_valid(NULL));
  release_number_format("20261204", 7, number, sizeof number);
  assert_string_equal(number, "F-20261204-0007");
  assert_true(release_number_valid(number));
  release_number_format("20261204", 12345, number, sizeof number);
  assert_string_equal(number, "F-20261204-12345");
  assert_true(release_number_valid(number));
  assert_false(release_number_valid("C-20261204-0007"));
  assert_false(release_number_valid("F-2026120-0007"));
  assert_false(release_number_valid("F-20261204-07"));
  assert_false(release_number_valid(NULL));
}

static void names_round_trip(void **state)
{
  (void)state;
  release_status s;
  release_event e;
  for (int i = 0; i < RELEASE_STATUS_COUNT; i++) {
    assert_int_equal(release_status_parse(release_status_name((release_status)i), &s), LOBBY_OK);
    assert_int_equal(s, i);
  }
  for (int i = 0; i < RELEASE_EVENT_COUNT; i++) {
    assert_int_equal(release_event_parse(release_event_name((release_event)i), &e), LOBBY_OK);
    assert_int_equal(e, i);
  }
  assert_int_equal(release_status_parse("expired", &s), LOBBY_EINVAL);
  assert_string_equal(release_status_name(RELEASE_STATUS_COUNT), "unknown");
}

int main(void)
{
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_desk_decides_and_the_gate_uses_once),
    cmocka_unit_test(the_date_is_today_to_two_weeks_ahead),
    cmocka_unit_test(the_gate_says_why_not),
    cmocka_unit_test(codes_are_six_digits_and_numbers_start_with_f),
    cmocka_unit_test(names_round_trip),
  };
  return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
