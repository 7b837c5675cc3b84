/* The search box of the visitor log and of the complaints ledger (the
 * staff console at real volume): a real lobbyd (SQLite, or PostgreSQL
 * under tests/support/with_postgres.sh), real HTTP.  The server does the
 * search, parsed as the repair list's is (lobby_search): a visitor by the
 * whole phone or its last four digits, or the start of the name, the
 * place visited or the plate; a complaint by its number, the whole phone
 * or its last four digits, the room or the start of the name.  The log
 * shows at most 1000 visits and says when more matched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"

#define LOG_MAX 1000
#define ALL_DAYS "from=2000-01-01&to=2999-01-01"

static test_server server;
static char complaint_wang[32], complaint_xiaoming[32], complaint_lina[32];

static const char *str(json_t *j, const char *key)
{
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static void create(const char *path, const char *body, char number[32])
{
  static unsigned counter;
  char key[80];
  snprintf(key, sizeof key, "Idempotency-Key: list-search-%ld-%u", (long)getpid(), ++counter);
  const char *headers[] = {key, NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", path, server.admin_token, body, headers, &r), 0);
  if (r.status != 201)
    fprintf(stderr, "POST %s: %ld %s\n", path, r.status, r.body ? r.body : "");
  assert_int_equal(r.status, 201);
  if (number)
    snprintf(number, 32, "%s", str(r.json, "number"));
  test_response_free(&r);
}

static void visit(const char *name, const char *phone, const char *host, const char *plate)
{
  char body[512], plate_json[64] = "null";
  if (plate)
    snprintf(plate_json, sizeof plate_json, "\"%s\"", plate);
  snprintf(body, sizeof body,
           "{\"name\":\"%s\",\"phone\":\"%s\",\"host\":\"%s\",\"purpose\":\"business\","
           "\"party_size\":1,\"plate\":%s}", name, phone, host, plate_json);
  create("/api/v1/visits", body, NULL);
}

static void complaint(const char *name, const char *phone, const char *building, const char *unit,
                      const char *room, char number[32])
{
  char body[512];
  snprintf(body, sizeof body,
           "{\"kind\":\"complaint\",\"category\":\"noise_neighbours\",\"description\":\"楼上噪音\","
           "\"unit\":{\"building\":\"%s\",\"unit\":\"%s\",\"room\":\"%s\"},"
           "\"name\":\"%s\",\"phone\":\"%s\",\"source\":\"phone\"}",
           building, unit, room, name, phone);
  create("/api/v1/complaints", body, number);
}

static int setup(void **state)
{
  (void)state;
  if (test_server_start(&server) != 0)
    return -1;
  visit("李四", "13900001111", "1-2-301", "京A12345");
  visit("李明", "13800005678", "3-1-502", "沪B66789");
  visit("张伟", "13700001111", "某某科技", NULL);
  visit("Wang Lei", "13600002468", "2-1-101", "粤C11111");
  complaint("王芳", "13800138000", "1", "2", "301", complaint_wang);
  complaint("王小明", "13900008000", "2", "1", "101", complaint_xiaoming);
  complaint("李娜", "13700001234", "1", "2", "302", complaint_lina);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* GET path+query; the names (visits) or numbers (complaints) listed, in
 * the answer's order, joined by ",", into out. */
static json_t *get_list(const char *path, const char *list_key, const char *row_key,
                        const char *query, char *out, size_t size)
{
  char url[512];
  snprintf(url, sizeof url, "%s?%s", path, query);
  json_t *answer = test_admin(&server, "GET", url, NULL, 200);
  size_t i, used = 0;
  json_t *row;
  out[0] = '\0';
  json_array_foreach(json_object_get(answer, list_key), i, row)
    used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "", str(row, row_key));
  return answer;
}

static int by_bytes(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The visitors' names that q finds in every day, sorted by their bytes
 * (visits made in one second have no order among them), joined by ",". */
static void expect_visitors(const char *q, const char *names)
{
  char url[256], got[4096] = "";
  const char *list[16];
  snprintf(url, sizeof url, "/api/v1/visits?" ALL_DAYS "&q=%s", q);
  json_t *answer = test_admin(&server, "GET", url, NULL, 200), *visits = json_object_get(answer, "visits");
  size_t n = json_array_size(visits), used = 0;
  assert_true(n <= 16);
  for (size_t i = 0; i < n; i++)
    list[i] = str(json_array_get(visits, i), "name");
  qsort(list, n, sizeof list[0], by_bytes);
  for (size_t i = 0; i < n; i++)
    used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", i ? "," : "", list[i]);
  if (strcmp(got, names) != 0)
    fprintf(stderr, "visits q=%s: got [%s], expected [%s]\n", q, got, names);
  assert_string_equal(got, names);
  assert_true(json_is_false(json_object_get(answer, "more")));
  json_decref(answer);
}

static void expect_complaints(const char *q, const char *const *numbers)
{
  char query[256], got[1024], want[1024];
  size_t used = 0;
  want[0] = '\0';
  for (int i = 0; numbers[i]; i++)
    used += (size_t)snprintf(want + used, sizeof want - used, "%s%s", i ? "," : "", numbers[i]);
  snprintf(query, sizeof query, "q=%s", q);
  json_decref(get_list("/api/v1/complaints", "complaints", "number", query, got, sizeof got));
  if (strcmp(got, want) != 0)
    fprintf(stderr, "complaints q=%s: got [%s], expected [%s]\n", q, got, want);
  assert_string_equal(got, want);
}

static void expect_bad(const char *path, const char *field)
{
  test_response r;
  assert_int_equal(test_http(&server, "GET", path, server.admin_token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 400);
  assert_string_equal(str(json_object_get(r.json, "error"), "field"), field);
  test_response_free(&r);
}

static void expect_bad_q(const char *path)
{
  expect_bad(path, "q");
}

#define LONG_Q "q=12345678901234567890123456789012345678901234567890123456789012345"

static void visits_by_phone_or_its_last_four(void **state)
{
  (void)state;
  expect_visitors("1111", "张伟,李四");
  expect_visitors("13900001111", "李四");
  expect_visitors("13700001111", "张伟");
  expect_visitors("2468", "Wang Lei");
  expect_visitors("9999", "");
  expect_visitors("13900009999", "");
}

static void visits_by_the_start_of_name_place_or_plate(void **state)
{
  (void)state;
  expect_visitors("%E6%9D%8E", "李四,李明");              /* 李 */
  expect_visitors("%E6%9D%8E%E6%98%8E", "李明");          /* 李明 */
  expect_visitors("wang", "Wang Lei");                   /* ASCII case aside */
  expect_visitors("Lei", "");                            /* not the start */
  expect_visitors("%E4%BA%ACA", "李四");                  /* 京A */
  expect_visitors("%E4%BA%ACa12", "李四");                /* 京a12 */
  expect_visitors("%E6%B2%AAB66", "李明");                /* 沪B66 */
  expect_visitors("3-1-502", "李明");                     /* a room: where */
  expect_visitors("1-2", "李四");
  expect_visitors("%E6%9F%90%E6%9F%90", "张伟");          /* 某某 */
  expect_visitors("%E7%8E%8B", "");                      /* 王: nobody */
  expect_visitors("%25", "");                            /* % is no wildcard */
  expect_visitors("_", "");
  /* The search stays inside the days asked for. */
  char got[256];
  json_decref(get_list("/api/v1/visits", "visits", "name", "from=2999-01-01&q=%E6%9D%8E", got,
                       sizeof got));
  assert_string_equal(got, "");
}

static void visits_refuse_a_bad_q(void **state)
{
  (void)state;
  expect_bad_q("/api/v1/visits?" LONG_Q);
  expect_bad_q("/api/v1/visits?q=%FF%FE");
  expect_bad_q("/api/v1/visits?q=a%01b");
}

static void complaints_by_number_phone_room_or_name(void **state)
{
  (void)state;
  const char *none[] = {NULL};
  expect_complaints(complaint_wang, (const char *[]){complaint_wang, NULL});
  /* A number's start: all three were filed today. */
  char day[16];
  snprintf(day, sizeof day, "%.10s", complaint_wang);
  expect_complaints(day, (const char *[]){complaint_lina, complaint_xiaoming, complaint_wang, NULL});
  expect_complaints("C-20000101", none);
  expect_complaints("8000", (const char *[]){complaint_xiaoming, complaint_wang, NULL});
  expect_complaints("13800138000", (const char *[]){complaint_wang, NULL});
  expect_complaints("13800130000", none);
  expect_complaints("1-2-301", (const char *[]){complaint_wang, NULL});
  expect_complaints("1-2", (const char *[]){complaint_lina, complaint_wang, NULL});
  expect_complaints("%E7%8E%8B", (const char *[]){complaint_xiaoming, complaint_wang, NULL}); /* 王 */
  expect_complaints("%E7%8E%8B%E5%B0%8F", (const char *[]){complaint_xiaoming, NULL});      /* 王小 */
  expect_complaints("%E8%B5%B5", none);                                                   /* 赵 */
  expect_complaints("%25", none);
  /* With the ledger's other filters. */
  char got[256];
  json_decref(get_list("/api/v1/complaints", "complaints", "number",
                       "status=closed&q=%E7%8E%8B", got, sizeof got));
  assert_string_equal(got, "");
  json_decref(get_list("/api/v1/complaints", "complaints", "number",
                       "status=submitted&q=1-2-302", got, sizeof got));
  assert_string_equal(got, complaint_lina);
}

static void complaints_refuse_a_bad_q(void **state)
{
  (void)state;
  expect_bad_q("/api/v1/complaints?" LONG_Q);
  expect_bad_q("/api/v1/complaints?q=%FF%FE");
}

/* 1000 visits more: the log shows the newest 1000, says more matched and
 * how many; a search that finds 1000 says not; pages of 100 cover them. */
static void the_log_says_when_it_was_capped(void **state)
{
  (void)state;
  for (int i = 0; i < LOG_MAX; i++) {
    char name[32], phone[16];
    snprintf(name, sizeof name, "访客%d", i);
    snprintf(phone, sizeof phone, "1350000%04d", i);
    visit(name, phone, "5-1-101", NULL);
  }
  char got[32768];
  json_t *answer = get_list("/api/v1/visits", "visits", "name", ALL_DAYS, got, sizeof got);
  assert_int_equal(json_array_size(json_object_get(answer, "visits")), LOG_MAX);
  assert_true(json_is_true(json_object_get(answer, "more")));
  json_int_t total = json_integer_value(json_object_get(answer, "total"));
  assert_true(total > LOG_MAX);
  json_decref(answer);
  answer = get_list("/api/v1/visits", "visits", "name", ALL_DAYS "&q=5-1-101", got, sizeof got);
  assert_int_equal(json_array_size(json_object_get(answer, "visits")), LOG_MAX);
  assert_int_equal(json_integer_value(json_object_get(answer, "total")), LOG_MAX);
  assert_true(json_is_false(json_object_get(answer, "more")));
  json_decref(answer);
  /* Pages of 100: the total is every match; the pages neither repeat nor
   * skip a visit, and the last says no more. */
  char seen[LOG_MAX] = {0};
  for (int offset = 0; offset < LOG_MAX; offset += 100) {
    char query[160];
    snprintf(query, sizeof query, ALL_DAYS "&q=5-1-101&limit=100&offset=%d", offset);
    answer = get_list("/api/v1/visits", "visits", "name", query, got, sizeof got);
    json_t *page = json_object_get(answer, "visits");
    assert_int_equal(json_array_size(page), 100);
    assert_int_equal(json_integer_value(json_object_get(answer, "total")), LOG_MAX);
    assert_true(json_is_true(json_object_get(answer, "more")) == (offset + 100 < LOG_MAX));
    size_t i;
    json_t *v;
    json_array_foreach(page, i, v) {
      int n = atoi(json_string_value(json_object_get(v, "name")) + strlen("访客"));
      assert_false(seen[n]);
      seen[n] = 1;
    }
    json_decref(answer);
  }
  expect_bad("/api/v1/visits?" ALL_DAYS "&limit=1001", "limit");
  expect_bad("/api/v1/visits?" ALL_DAYS "&offset=-1", "offset");
  expect_visitors("%E6%9D%8E", "李四,李明");
  expect_visitors("0999", "访客999");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(visits_by_phone_or_its_last_four),
    cmocka_unit_test(visits_by_the_start_of_name_place_or_plate),
    cmocka_unit_test(visits_refuse_a_bad_q),
    cmocka_unit_test(complaints_by_number_phone_room_or_name),
    cmocka_unit_test(complaints_refuse_a_bad_q),
    cmocka_unit_test(the_log_says_when_it_was_capped),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
