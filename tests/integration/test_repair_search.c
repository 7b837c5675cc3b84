/* The repair list at real volume (issue 15): a real lobbyd (SQLite, or
 * PostgreSQL under tests/support/with_postgres.sh) with 10,000 tickets,
 * the 10 overdue ones the oldest.  The list is a page of them; its total
 * and the cards' counts are over every match; the desk's order puts the
 * overdue first, then the emergencies; the search box finds a ticket by
 * number, phone, last four digits, room and the start of a name.
 *
 * The first 10 tickets are filed with lobbyd's clock two days back (small
 * repairs, due the same day, so overdue by now); then lobbyd restarts on
 * the real clock for the other 9,990. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

#define TICKETS 10000
#define OVERDUE 10
#define EMERGENCIES 3

static test_server server;
static char overdue[OVERDUE][32];
static char emergency[EMERGENCIES][32];
static char needle[32]; /* the one ticket of 赵敏 at A-10-1003, phone 13912349999 */

static void file(const char *body, char ticket[32])
{
  static unsigned counter;
  char key[80];
  snprintf(key, sizeof key, "Idempotency-Key: search-%ld-%u", (long)getpid(), ++counter);
  const char *headers[] = {key, NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.admin_token, body,
                             headers, &r), 0);
  if (r.status != 201)
    fprintf(stderr, "POST /api/v1/repairs: %ld %s\n", r.status, r.body ? r.body : "");
  assert_int_equal(r.status, 201);
  if (ticket)
    snprintf(ticket, 32, "%s", json_string_value(json_object_get(r.json, "ticket")));
  test_response_free(&r);
}

/* A small repair in building 1 or 2; i picks the unit, room and phone. */
static void file_small(int i, char ticket[32])
{
  static const char *const rooms[] = {"101", "102", "201", "202", "301", "302"};
  char body[512];
  snprintf(body, sizeof body,
           "{\"unit\":{\"building\":\"%d\",\"unit\":\"%d\",\"room\":\"%s\"},\"name\":\"住户%d\","
           "\"phone\":\"1380000%04d\",\"category\":\"water\",\"kind\":\"in_unit\","
           "\"urgency\":\"normal\",\"description\":\"厨房水龙头坏了 %d\"}",
           1 + i % 2, 1 + (i / 2) % 2, rooms[(i / 4) % 6], i, i, i);
  file(body, ticket);
}

static int setup(void **state)
{
  (void)state;
  memset(&server, 0, sizeof server);
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%lld",
           (long long)time(NULL) - 2 * 86400);
  if (test_server_start(&server) != 0)
    return -1;
  for (int i = 0; i < OVERDUE; i++)
    file_small(i, overdue[i]);
  server.extra_env[0] = '\0';
  if (test_server_restart(&server) != 0)
    return -1;
  for (int i = OVERDUE; i < TICKETS - EMERGENCIES - 1; i++)
    file_small(i, NULL);
  for (int i = 0; i < EMERGENCIES; i++)
    file("{\"unit\":{\"building\":\"2\",\"unit\":\"1\",\"room\":\"101\"},\"name\":\"钱七\","
         "\"phone\":\"13700001111\",\"category\":\"lift\",\"kind\":\"public_area\","
         "\"urgency\":\"emergency\",\"description\":\"电梯困人\"}", emergency[i]);
  file("{\"unit\":{\"building\":\"A\",\"unit\":\"10\",\"room\":\"1003\"},\"name\":\"赵敏\","
       "\"phone\":\"13912349999\",\"category\":\"water\",\"kind\":\"in_unit\","
       "\"urgency\":\"normal\",\"description\":\"卫生间天花板漏水\"}", needle);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

static json_t *list(const char *query)
{
  char path[512];
  snprintf(path, sizeof path, "/api/v1/repairs%s", query);
  return test_admin(&server, "GET", path, NULL, 200);
}

static json_int_t count(json_t *answer, const char *name)
{
  return json_integer_value(json_object_get(json_object_get(answer, "counts"), name));
}

static const char *ticket_at(json_t *answer, size_t i)
{
  json_t *row = json_array_get(json_object_get(answer, "repairs"), i);
  return json_string_value(json_object_get(row, "ticket"));
}

static bool lists(json_t *answer, const char *ticket)
{
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(answer, "repairs"), i, row)
    if (strcmp(json_string_value(json_object_get(row, "ticket")), ticket) == 0)
      return true;
  return false;
}

/* Counts are over all 10,000, though a page holds 50: the overdue ones,
 * the oldest, are counted though no page of the newest shows them. */
static void counts_are_over_every_match(void **state)
{
  (void)state;
  json_t *a = list("?limit=50");
  assert_int_equal(json_array_size(json_object_get(a, "repairs")), 50);
  assert_int_equal(json_integer_value(json_object_get(a, "total")), TICKETS);
  assert_int_equal(count(a, "open"), TICKETS);
  assert_int_equal(count(a, "submitted"), TICKETS);
  assert_int_equal(count(a, "overdue"), OVERDUE);
  assert_int_equal(count(a, "emergency"), EMERGENCIES);
  assert_int_equal(count(a, "today"), TICKETS - OVERDUE);
  assert_int_equal(count(a, "completed"), 0);
  for (int i = 0; i < OVERDUE; i++)
    assert_false(lists(a, overdue[i]));
  json_decref(a);
  /* Chosen by a card, the total follows and the cards stay. */
  /* The cards' groups of statuses. */
  a = list("?status=open&limit=1");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), TICKETS);
  json_decref(a);
  a = list("?status=done&limit=1");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), 0);
  assert_int_equal(json_array_size(json_object_get(a, "repairs")), 0);
  json_decref(a);
  a = list("?overdue=1&limit=50");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), OVERDUE);
  assert_int_equal(json_array_size(json_object_get(a, "repairs")), OVERDUE);
  assert_int_equal(count(a, "open"), TICKETS);
  json_decref(a);
}

/* The desk's order: the overdue first, by due time (the oldest first),
 * then the open emergencies, then the rest. */
static void the_desk_sees_overdue_then_emergencies_first(void **state)
{
  (void)state;
  json_t *a = list("?sort=priority&limit=20");
  for (int i = 0; i < OVERDUE; i++)
    assert_string_equal(ticket_at(a, (size_t)i), overdue[i]);
  for (int i = 0; i < EMERGENCIES; i++)
    assert_string_equal(ticket_at(a, (size_t)(OVERDUE + i)), emergency[i]);
  json_decref(a);
}

/* Pages follow one another without a gap or a repeat, to the last. */
static void pages_cover_every_ticket_once(void **state)
{
  (void)state;
  json_t *first = list("?limit=100&offset=0"), *second = list("?limit=100&offset=100");
  assert_int_equal(json_array_size(json_object_get(second, "repairs")), 100);
  for (size_t i = 0; i < 100; i++)
    assert_false(lists(first, ticket_at(second, i)));
  json_decref(first);
  json_decref(second);
  json_t *last = list("?limit=100&offset=9950");
  assert_int_equal(json_array_size(json_object_get(last, "repairs")), 50);
  assert_string_equal(ticket_at(last, 49), overdue[0]);
  assert_int_equal(json_integer_value(json_object_get(last, "offset")), 9950);
  json_decref(last);
}

/* One box: a number (or its start), a whole phone, its last four, a room,
 * a name or its start. */
static void the_search_box_finds_a_ticket(void **state)
{
  (void)state;
  /* No small repair's phone ends 9999 (they run 13800000000-13800009995). */
  const char *queries[] = {needle, "13912349999", "9999", "A-10-1003", "赵", "赵敏"};
  char query[256];
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
    char *escaped = curl_easy_escape(NULL, queries[i], 0);
    snprintf(query, sizeof query, "?q=%s", escaped);
    curl_free(escaped);
    json_t *a = list(query);
    if (json_integer_value(json_object_get(a, "total")) != 1)
      fprintf(stderr, "q=%s: %lld found\n", queries[i],
              (long long)json_integer_value(json_object_get(a, "total")));
    assert_int_equal(json_integer_value(json_object_get(a, "total")), 1);
    assert_string_equal(ticket_at(a, 0), needle);
    assert_int_equal(count(a, "open"), 1);
    json_decref(a);
  }
  /* The start of a number: every ticket of the day starts R-YYYYMMDD. */
  char day[16];
  snprintf(day, sizeof day, "%.10s", needle);
  snprintf(query, sizeof query, "?q=%s&limit=1", day);
  json_t *a = list(query);
  assert_true(json_integer_value(json_object_get(a, "total")) >= TICKETS - OVERDUE - 1);
  json_decref(a);
  /* A room's building and unit: 2-1 holds every emergency and a quarter
   * of the small repairs. */
  a = list("?q=2-1&urgency=emergency");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), EMERGENCIES);
  json_decref(a);
  /* LIKE's wildcards are text: "%" and "住_" find nothing. */
  a = list("?q=%25");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), 0);
  json_decref(a);
  a = list("?q=%E4%BD%8F_");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), 0);
  json_decref(a);
  /* Every small repair's name starts 住户. */
  a = list("?q=%E4%BD%8F%E6%88%B7&limit=1");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), TICKETS - EMERGENCIES - 1);
  json_decref(a);
  /* Words inside a name are not its start. */
  a = list("?q=%E6%95%8F");
  assert_int_equal(json_integer_value(json_object_get(a, "total")), 0);
  json_decref(a);
}

static void bad_paging_and_search_are_refused(void **state)
{
  (void)state;
  const char *bad[] = {"?limit=0", "?limit=501", "?offset=-1", "?offset=x", "?sort=oldest",
                       "?q=%01", "?q=12345678901234567890123456789012345678901234567890123456789012345"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char path[256];
    snprintf(path, sizeof path, "/api/v1/repairs%s", bad[i]);
    test_response r;
    assert_int_equal(test_http(&server, "GET", path, server.admin_token, NULL, NULL, &r), 0);
    if (r.status != 400)
      fprintf(stderr, "%s: %ld\n", bad[i], r.status);
    assert_int_equal(r.status, 400);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")),
                        "invalid_field");
    test_response_free(&r);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(counts_are_over_every_match),
    cmocka_unit_test(the_desk_sees_overdue_then_emergencies_first),
    cmocka_unit_test(pages_cover_every_ticket_once),
    cmocka_unit_test(the_search_box_finds_a_ticket),
    cmocka_unit_test(bad_paging_and_search_are_refused),
  };
  return cmocka_run_group_tests_name("repair_search", tests, setup, teardown);
}
