/* The renovation's rules (lobby_renovation.c): the three-month period and
 * its extensions with the month's end, events, expired and ending soon,
 * and what the kiosk does with a worker's pass code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "lobby_renovation.h"
#include "lobby_time.h"
#include "lobby_workday.h"

#define CN 480   /* +08:00 */
#define ACTIVE RENOVATION_STATUS_ACTIVE

static int64_t at(const char *iso)
{
  int64_t t = 0;
  assert_int_equal(lobby_time_parse(iso, &t), LOBBY_OK);
  return t;
}

static void latest(const char *from, const char *want)
{
  char out[11] = "";
  assert_int_equal(renovation_latest_end(from, out), LOBBY_OK);
  assert_string_equal(out, want);
}

/* Three calendar months; a day the month lacks becomes its last day. */
static void the_period_is_three_calendar_months(void **state)
{
  (void)state;
  char l[11];
  latest("2026-12-03", "2027-03-03");
  latest("2026-11-30", "2027-02-28");
  latest("2027-11-30", "2028-02-29");   /* a leap year */
  latest("2026-12-31", "2027-03-31");
  latest("2026-05-31", "2026-08-31");
  latest("2026-03-31", "2026-06-30");
  latest("2026-10-15", "2027-01-15");   /* across a year's end */
  assert_int_equal(renovation_latest_end("2026-02-30", l), LOBBY_EINVAL);
  assert_int_equal(renovation_latest_end("2099-11-01", l), LOBBY_EINVAL);
  assert_true(renovation_period_valid("2026-12-03", "2027-03-03", l));
  assert_string_equal(l, "2027-03-03");
  assert_false(renovation_period_valid("2026-12-03", "2027-03-04", l));
  assert_string_equal(l, "2027-03-03");
  assert_true(renovation_period_valid("2026-12-03", "2026-12-03", l));
  assert_false(renovation_period_valid("2026-12-03", "2026-12-02", l));
  assert_true(renovation_period_valid("2026-11-30", "2027-02-28", l));
  assert_false(renovation_period_valid("2026-11-30", "2027-03-01", l));
  assert_false(renovation_period_valid("2026-12-3", "2027-01-01", l));
  assert_string_equal(l, "");
  assert_false(renovation_period_valid("2026-12-03", NULL, l));
}

/* An extension moves the end later, by at most three months from the
 * current end. */
static void an_extension_is_later_and_within_three_months(void **state)
{
  (void)state;
  char l[11];
  assert_true(renovation_extension_valid("2027-03-03", "2027-06-03", l));
  assert_string_equal(l, "2027-06-03");
  assert_false(renovation_extension_valid("2027-03-03", "2027-06-04", l));
  assert_false(renovation_extension_valid("2027-03-03", "2027-03-03", l));
  assert_false(renovation_extension_valid("2027-03-03", "2027-03-02", l));
  assert_true(renovation_extension_valid("2027-03-03", "2027-03-04", l));
  assert_true(renovation_extension_valid("2026-11-30", "2027-02-28", l));
  assert_false(renovation_extension_valid("2026-11-30", "2027-03-01", l));
}

static void moves(renovation_status from, renovation_event ev, renovation_status want)
{
  renovation_status to = RENOVATION_STATUS_COUNT;
  assert_int_equal(renovation_transition(from, ev, &to), LOBBY_OK);
  assert_int_equal(to, want);
}

static void refused(renovation_status from, renovation_event ev)
{
  renovation_status to = RENOVATION_STATUS_COUNT;
  assert_int_equal(renovation_transition(from, ev, &to), LOBBY_ECONFLICT);
  assert_int_equal(to, RENOVATION_STATUS_COUNT);
}

static void only_an_active_renovation_moves(void **state)
{
  (void)state;
  moves(ACTIVE, RENOVATION_EVENT_EXTEND, ACTIVE);
  moves(ACTIVE, RENOVATION_EVENT_FINISH, RENOVATION_STATUS_FINISHED);
  moves(ACTIVE, RENOVATION_EVENT_CANCEL, RENOVATION_STATUS_CANCELLED);
  for (int s = 0; s < RENOVATION_STATUS_COUNT; s++)
    refused((renovation_status)s, RENOVATION_EVENT_REGISTER);
  for (int e = 0; e < RENOVATION_EVENT_COUNT; e++) {
    refused(RENOVATION_STATUS_FINISHED, (renovation_event)e);
    refused(RENOVATION_STATUS_CANCELLED, (renovation_event)e);
  }
  renovation_status s;
  renovation_event ev;
  worker_pass_status ps;
  assert_int_equal(renovation_status_parse("finished", &s), LOBBY_OK);
  assert_int_equal(s, RENOVATION_STATUS_FINISHED);
  assert_int_equal(renovation_status_parse("expired", &s), LOBBY_EINVAL);
  assert_int_equal(renovation_event_parse("extend", &ev), LOBBY_OK);
  assert_int_equal(ev, RENOVATION_EVENT_EXTEND);
  assert_int_equal(worker_pass_status_parse("revoked", &ps), LOBBY_OK);
  assert_int_equal(ps, WORKER_PASS_REVOKED);
  assert_string_equal(renovation_status_name(RENOVATION_STATUS_CANCELLED), "cancelled");
  assert_string_equal(renovation_event_name(RENOVATION_EVENT_REGISTER), "register");
  assert_string_equal(worker_pass_status_name(WORKER_PASS_ACTIVE), "active");
}

/* Local dates: at 00:30 on 5 December in Beijing it is still 4 December
 * in UTC.  Ending soon is today up to six days on (seven days). */
static void expired_and_ending_soon_use_the_local_today(void **state)
{
  (void)state;
  int64_t now = at("2026-12-05T00:30:00+08:00");
  assert_true(renovation_expired(ACTIVE, "2026-12-04", now, CN));
  assert_false(renovation_expired(ACTIVE, "2026-12-04", now, 0));
  assert_false(renovation_expired(ACTIVE, "2026-12-05", now, CN));
  assert_false(renovation_expired(RENOVATION_STATUS_FINISHED, "2026-12-04", now, CN));
  assert_true(renovation_ending_soon(ACTIVE, "2026-12-05", now, CN));
  assert_true(renovation_ending_soon(ACTIVE, "2026-12-11", now, CN));
  assert_false(renovation_ending_soon(ACTIVE, "2026-12-12", now, CN));
  assert_false(renovation_ending_soon(ACTIVE, "2026-12-04", now, CN));   /* expired */
  assert_false(renovation_ending_soon(RENOVATION_STATUS_CANCELLED, "2026-12-06", now, CN));
  assert_true(renovation_ending_within(ACTIVE, "2026-12-05", 1, now, CN));
  assert_false(renovation_ending_within(ACTIVE, "2026-12-06", 1, now, CN));
  assert_true(renovation_ending_within(ACTIVE, "2027-01-03", 30, now, CN));
  assert_false(renovation_ending_within(ACTIVE, "2026-12-05", 0, now, CN));
  assert_true(renovation_live(ACTIVE, "2026-12-05", now, CN));
  assert_false(renovation_live(ACTIVE, "2026-12-04", now, CN));
  assert_false(renovation_live(RENOVATION_STATUS_FINISHED, "2027-01-01", now, CN));
}

/* A pass is valid from today to the renovation's end; it expires with its
 * date or its renovation. */
static void a_pass_expires_with_its_date_or_its_renovation(void **state)
{
  (void)state;
  int64_t now = at("2026-12-05T09:00:00+08:00");
  assert_true(worker_valid_until_ok("2026-12-05", "2027-01-10", now, CN));
  assert_true(worker_valid_until_ok("2027-01-10", "2027-01-10", now, CN));
  assert_false(worker_valid_until_ok("2027-01-11", "2027-01-10", now, CN));
  assert_false(worker_valid_until_ok("2026-12-04", "2027-01-10", now, CN));
  assert_false(worker_valid_until_ok("2026-12-32", "2027-01-10", now, CN));
  assert_false(worker_pass_expired("2026-12-05", ACTIVE, "2027-01-10", now, CN));
  assert_true(worker_pass_expired("2026-12-04", ACTIVE, "2027-01-10", now, CN));
  assert_true(worker_pass_expired("2026-12-10", ACTIVE, "2026-12-04", now, CN));
  assert_true(worker_pass_expired("2026-12-10", RENOVATION_STATUS_FINISHED, "2027-01-10", now, CN));
}

/* On site: always out.  Not on site: in, or refused as revoked, then the
 * renovation, then the pass's date. */
static void the_kiosk_lets_in_refuses_or_lets_out(void **state)
{
  (void)state;
  int64_t now = at("2026-12-05T09:00:00+08:00");
  const worker_pass_status A = WORKER_PASS_ACTIVE, R = WORKER_PASS_REVOKED;
  assert_int_equal(worker_attendance_of(false, A, "2026-12-05", ACTIVE, "2027-01-10", now, CN),
                   WORKER_ATTEND_IN);
  assert_int_equal(worker_attendance_of(false, A, "2026-12-04", ACTIVE, "2027-01-10", now, CN),
                   WORKER_ATTEND_REFUSED_EXPIRED);
  assert_int_equal(worker_attendance_of(false, R, "2027-01-10", ACTIVE, "2027-01-10", now, CN),
                   WORKER_ATTEND_REFUSED_REVOKED);
  assert_int_equal(worker_attendance_of(false, A, "2026-12-04", ACTIVE, "2026-12-04", now, CN),
                   WORKER_ATTEND_REFUSED_RENOVATION);
  assert_int_equal(worker_attendance_of(false, A, "2027-01-10", RENOVATION_STATUS_CANCELLED,
                                        "2027-01-10", now, CN),
                   WORKER_ATTEND_REFUSED_RENOVATION);
  assert_int_equal(worker_attendance_of(false, R, "2026-12-04", RENOVATION_STATUS_FINISHED,
                                        "2026-12-04", now, CN),
                   WORKER_ATTEND_REFUSED_REVOKED);
  /* Check-out is never refused. */
  assert_int_equal(worker_attendance_of(true, R, "2026-12-04", RENOVATION_STATUS_FINISHED,
                                        "2026-12-04", now, CN),
                   WORKER_ATTEND_OUT);
  assert_int_equal(worker_attendance_of(true, A, "2027-01-10", ACTIVE, "2027-01-10", now, CN),
                   WORKER_ATTEND_OUT);
  assert_null(worker_attendance_error_code(WORKER_ATTEND_IN));
  assert_null(worker_attendance_error_code(WORKER_ATTEND_OUT));
  assert_null(worker_attendance_message(WORKER_ATTEND_OUT));
  assert_string_equal(worker_attendance_error_code(WORKER_ATTEND_REFUSED_EXPIRED),
                      "worker_pass_expired");
  assert_string_equal(worker_attendance_error_code(WORKER_ATTEND_REFUSED_REVOKED),
                      "worker_pass_revoked");
  assert_string_equal(worker_attendance_error_code(WORKER_ATTEND_REFUSED_RENOVATION),
                      "renovation_not_active");
  assert_non_null(strstr(worker_attendance_message(WORKER_ATTEND_REFUSED_EXPIRED), "已过期"));
  assert_non_null(strstr(worker_attendance_message(WORKER_ATTEND_REFUSED_EXPIRED), "expired"));
}

static void numbers_are_z_numbers(void **state)
{
  (void)state;
  char buf[24];
  renovation_number_format("20261204", 7, buf, sizeof buf);
  assert_string_equal(buf, "Z-20261204-0007");
  assert_true(renovation_number_valid(buf));
  assert_true(renovation_number_valid("Z-20261204-12345"));
  assert_false(renovation_number_valid("F-20261204-0007"));
  assert_false(renovation_number_valid("Z-2026120-0007"));
  assert_false(renovation_number_valid(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_period_is_three_calendar_months),
    cmocka_unit_test(an_extension_is_later_and_within_three_months),
    cmocka_unit_test(only_an_active_renovation_moves),
    cmocka_unit_test(expired_and_ending_soon_use_the_local_today),
    cmocka_unit_test(a_pass_expires_with_its_date_or_its_renovation),
    cmocka_unit_test(the_kiosk_lets_in_refuses_or_lets_out),
    cmocka_unit_test(numbers_are_z_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
