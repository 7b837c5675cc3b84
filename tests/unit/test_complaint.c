/* The complaint ledger's rules and the working-day calendar
 * (lobby_complaint.c, lobby_workday.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "lobby_complaint.h"
#include "lobby_time.h"
#include "lobby_workday.h"

static int64_t at(const char *iso)
{
  int64_t t = 0;
  assert_int_equal(lobby_time_parse(iso, &t), LOBBY_OK);
  return t;
}

static void expect_to(complaint_kind k, complaint_status from, complaint_event ev,
                      complaint_satisfaction sat, complaint_status want)
{
  complaint_status to = COMPLAINT_STATUS_COUNT;
  assert_int_equal(complaint_transition(k, from, ev, sat, &to), LOBBY_OK);
  assert_int_equal(to, want);
}

static void refused(complaint_kind k, complaint_status from, complaint_event ev)
{
  complaint_status to = COMPLAINT_STATUS_COUNT;
  assert_int_equal(complaint_transition(k, from, ev, COMPLAINT_SATISFIED, &to), LOBBY_ECONFLICT);
  assert_int_equal(to, COMPLAINT_STATUS_COUNT);
}

static void a_complaint_needs_a_responsible_person_before_its_reply(void **state)
{
  (void)state;
  complaint_kind c = COMPLAINT_KIND_COMPLAINT;
  expect_to(c, COMPLAINT_STATUS_SUBMITTED, COMPLAINT_EVENT_ACCEPT, 0, COMPLAINT_STATUS_ACCEPTED);
  refused(c, COMPLAINT_STATUS_ACCEPTED, COMPLAINT_EVENT_REPLY);
  refused(c, COMPLAINT_STATUS_SUBMITTED, COMPLAINT_EVENT_ANSWER_CLOSE);
  expect_to(c, COMPLAINT_STATUS_SUBMITTED, COMPLAINT_EVENT_ASSIGN, 0, COMPLAINT_STATUS_ASSIGNED);
  expect_to(c, COMPLAINT_STATUS_ASSIGNED, COMPLAINT_EVENT_ASSIGN, 0, COMPLAINT_STATUS_ASSIGNED);
  expect_to(c, COMPLAINT_STATUS_ASSIGNED, COMPLAINT_EVENT_REPLY, 0, COMPLAINT_STATUS_REPLIED);
  /* Closed only after the return visit. */
  refused(c, COMPLAINT_STATUS_REPLIED, COMPLAINT_EVENT_CLOSE);
  expect_to(c, COMPLAINT_STATUS_REPLIED, COMPLAINT_EVENT_RETURN_VISIT, COMPLAINT_BASICALLY_SATISFIED,
            COMPLAINT_STATUS_RETURN_VISITED);
  expect_to(c, COMPLAINT_STATUS_RETURN_VISITED, COMPLAINT_EVENT_CLOSE, 0, COMPLAINT_STATUS_CLOSED);
  refused(c, COMPLAINT_STATUS_CLOSED, COMPLAINT_EVENT_REPLY);
  refused(c, COMPLAINT_STATUS_CLOSED, COMPLAINT_EVENT_ASSIGN);
}

static void an_unsatisfied_return_visit_reopens_the_complaint(void **state)
{
  (void)state;
  complaint_kind c = COMPLAINT_KIND_COMPLAINT;
  complaint_status to;
  expect_to(c, COMPLAINT_STATUS_REPLIED, COMPLAINT_EVENT_RETURN_VISIT, COMPLAINT_UNSATISFIED,
            COMPLAINT_STATUS_FOLLOW_UP);
  assert_int_equal(complaint_transition(c, COMPLAINT_STATUS_REPLIED, COMPLAINT_EVENT_RETURN_VISIT,
                                        COMPLAINT_SATISFACTION_NONE, &to), LOBBY_ECONFLICT);
  expect_to(c, COMPLAINT_STATUS_FOLLOW_UP, COMPLAINT_EVENT_REPLY, 0, COMPLAINT_STATUS_REPLIED);
  expect_to(c, COMPLAINT_STATUS_FOLLOW_UP, COMPLAINT_EVENT_ASSIGN, 0, COMPLAINT_STATUS_ASSIGNED);
  assert_true(complaint_overdue(COMPLAINT_STATUS_FOLLOW_UP, 100, 101));
  assert_false(complaint_overdue(COMPLAINT_STATUS_REPLIED, 100, 101));
  assert_false(complaint_overdue(COMPLAINT_STATUS_SUBMITTED, 100, 100));
}

/* Overdue and never escalated: escalated, once; staff cannot record it. */
static void an_overdue_reply_is_escalated_once(void **state)
{
  (void)state;
  assert_true(complaint_escalates(COMPLAINT_STATUS_ASSIGNED, 100, 0, 101));
  assert_false(complaint_escalates(COMPLAINT_STATUS_ASSIGNED, 100, 0, 100));
  assert_false(complaint_escalates(COMPLAINT_STATUS_REPLIED, 100, 0, 101));
  /* Reopened by an unhappy return visit, overdue again, not again escalated. */
  assert_false(complaint_escalates(COMPLAINT_STATUS_FOLLOW_UP, 100, 101, 200));
  for (complaint_status st = 0; st < COMPLAINT_STATUS_COUNT; st++)
    refused(COMPLAINT_KIND_COMPLAINT, st, COMPLAINT_EVENT_ESCALATE);
  complaint_event ev;
  assert_int_equal(complaint_event_parse("escalate", &ev), LOBBY_OK);
  assert_int_equal(ev, COMPLAINT_EVENT_ESCALATE);
}

static void suggestions_are_answered_and_closed_in_one_step(void **state)
{
  (void)state;
  for (complaint_kind k = COMPLAINT_KIND_SUGGESTION; k < COMPLAINT_KIND_COUNT; k++) {
    expect_to(k, COMPLAINT_STATUS_SUBMITTED, COMPLAINT_EVENT_ANSWER_CLOSE, 0, COMPLAINT_STATUS_CLOSED);
    expect_to(k, COMPLAINT_STATUS_ACCEPTED, COMPLAINT_EVENT_REPLY, 0, COMPLAINT_STATUS_REPLIED);
    expect_to(k, COMPLAINT_STATUS_REPLIED, COMPLAINT_EVENT_CLOSE, 0, COMPLAINT_STATUS_CLOSED);
    refused(k, COMPLAINT_STATUS_CLOSED, COMPLAINT_EVENT_ANSWER_CLOSE);
    assert_false(complaint_kind_needs_contact(k));
  }
  assert_true(complaint_kind_needs_contact(COMPLAINT_KIND_COMPLAINT));
  refused(COMPLAINT_KIND_SUGGESTION, COMPLAINT_STATUS_SUBMITTED, COMPLAINT_EVENT_SUBMIT);
}

static void names_round_trip(void **state)
{
  (void)state;
  complaint_satisfaction s;
  complaint_status st;
  complaint_kind k;
  assert_int_equal(complaint_satisfaction_parse("basically_satisfied", &s), LOBBY_OK);
  assert_int_equal(s, COMPLAINT_BASICALLY_SATISFIED);
  assert_string_equal(complaint_satisfaction_name(s), "basically_satisfied");
  assert_string_equal(complaint_satisfaction_name(COMPLAINT_SATISFACTION_NONE), "");
  assert_int_equal(complaint_status_parse("follow_up", &st), LOBBY_OK);
  assert_string_equal(complaint_status_name(st), "follow_up");
  assert_int_equal(complaint_kind_parse("enquiry", &k), LOBBY_OK);
  assert_int_equal(k, COMPLAINT_KIND_ENQUIRY);
  assert_int_equal(complaint_kind_parse("Complaint", &k), LOBBY_EINVAL);
  assert_int_equal(complaint_satisfaction_parse(NULL, &s), LOBBY_EINVAL);
}

static void numbers(void **state)
{
  (void)state;
  char buf[24];
  complaint_number_format("20261202", 7, buf, sizeof buf);
  assert_string_equal(buf, "C-20261202-0007");
  assert_true(complaint_number_valid(buf));
  assert_true(complaint_number_valid("C-20261202-10000"));
  assert_false(complaint_number_valid("R-20261202-0007"));
  assert_false(complaint_number_valid("C-2026120-00070"));
  assert_false(complaint_number_valid("C-20261202-00a7"));
  assert_false(complaint_number_valid(NULL));
}

static void dates_are_checked(void **state)
{
  (void)state;
  assert_true(calendar_date_valid("2026-10-01"));
  assert_true(calendar_date_valid("2028-02-29"));
  assert_false(calendar_date_valid("2026-02-29"));
  assert_false(calendar_date_valid("2026-13-01"));
  assert_false(calendar_date_valid("2026-1-01"));
  assert_false(calendar_date_valid("2026-10-01x"));
  assert_false(calendar_date_valid("1999-10-01"));
}

static const lobby_calendar_day national_day[] = {
  {"2026-09-20", true, "国庆节调休上班"}, {"2026-10-01", false, "国庆节"},
  {"2026-10-02", false, "国庆节"},       {"2026-10-05", false, "国庆节"},
  {"2026-10-06", false, "国庆节"},       {"2026-10-07", false, "国庆节"},
  {"2026-10-10", true, "国庆节调休上班"},
};

static void the_calendar_moves_weekends(void **state)
{
  (void)state;
  lobby_calendar cal = {national_day, sizeof national_day / sizeof national_day[0]};
  assert_true(workday_is_working(&cal, at("2026-09-20T10:00:00+08:00"), 480));   /* a Sunday */
  assert_false(workday_is_working(&cal, at("2026-10-01T10:00:00+08:00"), 480));  /* a Thursday */
  assert_false(workday_is_working(&cal, at("2026-10-03T10:00:00+08:00"), 480));  /* a Saturday */
  assert_true(workday_is_working(&cal, at("2026-10-10T10:00:00+08:00"), 480));   /* a Saturday */
  assert_true(workday_is_working(NULL, at("2026-10-01T10:00:00+08:00"), 480));
  /* 2026-10-01 00:30 in Beijing is still 30 September in UTC. */
  assert_false(workday_is_working(&cal, at("2026-10-01T00:30:00+08:00"), 480));
}

static void a_reply_is_due_within_one_working_day(void **state)
{
  (void)state;
  lobby_calendar cal = {national_day, sizeof national_day / sizeof national_day[0]};
  workday_hours h = {480, 9 * 60, 18 * 60};
  /* Within hours on a Wednesday: the same time on Thursday. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-12-02T10:15:00+08:00")),
                   at("2026-12-03T10:15:00+08:00"));
  /* Before the day starts: the end of that day. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-12-02T07:00:00+08:00")),
                   at("2026-12-02T18:00:00+08:00"));
  /* After hours on a Friday: the end of Monday. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-12-04T19:30:00+08:00")),
                   at("2026-12-07T18:00:00+08:00"));
  /* Within hours on a Friday: Monday, same time. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-12-04T11:00:00+08:00")),
                   at("2026-12-07T11:00:00+08:00"));
  /* On the eve of the National Day holiday: the make-up Saturday 10 October
   * is the next working day... after the 8th and 9th, which are working. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-09-30T16:00:00+08:00")),
                   at("2026-10-08T16:00:00+08:00"));
  /* Filed during the holiday: the end of the first working day after it. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-10-03T12:00:00+08:00")),
                   at("2026-10-08T18:00:00+08:00"));
  /* Filed on Friday 9 October: the make-up Saturday counts. */
  assert_int_equal(workday_reply_due(&cal, &h, at("2026-10-09T12:00:00+08:00")),
                   at("2026-10-10T12:00:00+08:00"));
}

static void calendar_files_are_read_strictly(void **state)
{
  (void)state;
  lobby_calendar_day *days = NULL;
  size_t n = 0;
  char why[128] = "";
  const char good[] = "# comment\n\n2026-10-02 holiday 国庆节\r\n2026-10-01\tholiday\t国庆节 \n"
                      "2026-10-10 workday\n";
  assert_int_equal(calendar_file_parse(good, strlen(good), 2026, &days, &n, why, sizeof why), LOBBY_OK);
  assert_int_equal(n, 3);
  assert_string_equal(days[0].date, "2026-10-01");
  assert_string_equal(days[0].note, "国庆节");
  assert_false(days[0].workday);
  assert_true(days[2].workday);
  assert_string_equal(days[2].note, "");
  free(days);
  const char *bad[] = {"2026-10-01 vacation\n", "2027-01-01 holiday 元旦\n", "2026-02-30 holiday\n",
                       "2026-10-01 holiday a\n2026-10-01 workday b\n", "2026-10-01holiday\n",
                       "2026-10-01 holiday \xff\xfe\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    days = NULL;
    assert_int_equal(calendar_file_parse(bad[i], strlen(bad[i]), 2026, &days, &n, why, sizeof why),
                     LOBBY_EINVAL);
    assert_null(days);
    assert_true(why[0] != '\0');
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_complaint_needs_a_responsible_person_before_its_reply),
    cmocka_unit_test(an_unsatisfied_return_visit_reopens_the_complaint),
    cmocka_unit_test(an_overdue_reply_is_escalated_once),
    cmocka_unit_test(suggestions_are_answered_and_closed_in_one_step),
    cmocka_unit_test(names_round_trip),
    cmocka_unit_test(numbers),
    cmocka_unit_test(dates_are_checked),
    cmocka_unit_test(the_calendar_moves_weekends),
    cmocka_unit_test(a_reply_is_due_within_one_working_day),
    cmocka_unit_test(calendar_files_are_read_strictly),
  };
  return cmocka_run_group_tests_name("complaint", tests, NULL, NULL);
}
