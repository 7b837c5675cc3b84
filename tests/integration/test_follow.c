#define _GNU_SOURCE /* strcasestr */
/* Follow pages (扫码查进度) through a real lobbyd (SQLite, or PostgreSQL
 * under with_postgres.sh): a repair filed at a kiosk is answered with the
 * link its receipt's QR code carries; the page it leads to shows the
 * status in plain words, in Chinese and in English, as the ledger moves,
 * and nothing of the resident but the phone's last four digits; a wrong,
 * malformed or expired token gets the same plain 404; an address that
 * asks too often gets a 429.  The kiosk's side (the QR code decoded from
 * its screen) is tests/kiosk/e2e/follow_qr.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"

#define PUBLIC_URL "https://wuye.example.com/lobby"
#define PER_MINUTE 8

#define REPAIR_BODY                                                                  \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三丰\","  \
  "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","            \
  "\"urgency\":\"emergency\",\"preferred_time\":null,\"description\":\"厨房水管爆裂\"}"

static test_server server;
static char tech[64], desk[64];

static int setup(void **state)
{
  (void)state;
  memset(&server, 0, sizeof server);
  snprintf(server.ini, sizeof server.ini,
           "[server]\npublic_url = " PUBLIC_URL "/\ntrusted_proxies = 127.0.0.1\n"
           "[follow]\nkeep_days = 0\npass_keep_hours = 0\nper_minute = %d\n"
           "[limits]\nkiosk_submissions_per_minute = 100000\n",
           PER_MINUTE);
  if (test_server_start(&server) != 0 || test_staff(&server, "王师傅", "technician", tech) != 0 ||
      test_staff(&server, "前台小周", "front_desk", desk) != 0)
    return -1;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* POST /api/v1/repairs as the kiosk with this idempotency key. */
static json_t *file_repair(const char *key)
{
  char line[96];
  snprintf(line, sizeof line, "Idempotency-Key: follow-%ld-%s", (long)getpid(), key);
  const char *headers[] = {line, NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY,
                             headers, &r), 0);
  assert_int_equal(r.status, 201);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

static const char *str(const json_t *j, const char *key)
{
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

/* GET path from client address `from` (X-Forwarded-For, believed from
 * the loopback proxy): each test asks from its own address, so the
 * per-address limit is the rate-limit test's alone. */
static void get_page(const char *path, const char *from, test_response *r)
{
  char line[64];
  snprintf(line, sizeof line, "X-Forwarded-For: %s", from);
  const char *headers[] = {line, NULL};
  assert_int_equal(test_http(&server, "GET", path, NULL, NULL, headers, r), 0);
}

/* The page's path: the follow URL without the public address. */
static void page_path(const json_t *answer, char *out, size_t size)
{
  const char *url = str(answer, "follow_url");
  assert_true(strncmp(url, PUBLIC_URL "/f/", strlen(PUBLIC_URL) + 3) == 0);
  snprintf(out, size, "%s", url + strlen(PUBLIC_URL));
}

static void post_event(const char *token, const char *ticket, const char *body)
{
  char path[96];
  test_response r;
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  assert_int_equal(test_http(&server, "POST", path, token, body, NULL, &r), 0);
  if (r.status != 200)
    fprintf(stderr, "event %s -> %ld %s\n", body, r.status, r.body);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
}

static void a_filing_is_answered_with_its_link(void **state)
{
  (void)state;
  json_t *a = file_repair("link"), *again = file_repair("link");
  const char *token = str(a, "follow_token");
  assert_int_equal(strlen(token), 22);
  char want[160];
  snprintf(want, sizeof want, PUBLIC_URL "/f/%s", token);
  assert_string_equal(str(a, "follow_url"), want);
  /* A retried filing links to the same page. */
  assert_string_equal(str(again, "ticket"), str(a, "ticket"));
  assert_string_equal(str(again, "follow_url"), want);
  /* Another filing has a token of its own. */
  json_t *other = file_repair("link-other");
  assert_string_not_equal(str(other, "follow_token"), token);
  json_decref(other);
  json_decref(again);
  json_decref(a);
}

static void the_page_follows_the_ledger_in_plain_words(void **state)
{
  (void)state;
  json_t *a = file_repair("page");
  char path[96], path_en[112];
  page_path(a, path, sizeof path);
  snprintf(path_en, sizeof path_en, "%s?lang=en", path);
  test_response r;
  get_page(path, "203.0.113.1", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strcasestr(r.headers, "Content-Type: text/html; charset=utf-8"));
  assert_non_null(strcasestr(r.headers, "Referrer-Policy: no-referrer"));
  assert_non_null(strcasestr(r.headers, "Content-Security-Policy: default-src 'none'"));
  assert_non_null(strstr(r.body, str(a, "ticket")));
  assert_non_null(strstr(r.body, "报修已收到，客服会尽快受理"));
  assert_non_null(strstr(r.body, "前到场"));
  assert_non_null(strstr(r.body, "尾号 5678"));
  assert_non_null(strstr(r.body, "<body data-v=\"submitted.1\">"));
  assert_non_null(strstr(r.body, "<script>(function(){"));
  assert_non_null(strcasestr(r.headers, "script-src 'sha256-"));
  /* Nothing else of the resident: not the name, the phone or what they wrote. */
  assert_null(strstr(r.body, "张三丰"));
  assert_null(strstr(r.body, "13812345678"));
  assert_null(strstr(r.body, "水管爆裂"));
  test_response_free(&r);

  post_event(server.admin_token, str(a, "ticket"), "{\"event\":\"accept\"}");
  post_event(server.admin_token, str(a, "ticket"), "{\"event\":\"dispatch\",\"technician\":\"王师傅\"}");
  post_event(tech, str(a, "ticket"), "{\"event\":\"on_site\"}");
  get_page(path, "203.0.113.1", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "维修师傅已到场"));
  assert_non_null(strstr(r.body, "师傅到场时间："));
  assert_non_null(strstr(r.body, "已按承诺时间完成"));
  assert_null(strstr(r.body, "王师傅"));
  test_response_free(&r);

  get_page(path_en, "203.0.113.1", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "<html lang=\"en\">"));
  assert_non_null(strstr(r.body, "The technician is on site."));
  assert_non_null(strstr(r.body, "Promised: on site by"));
  assert_non_null(strstr(r.body, "Phone: ending 5678"));
  assert_null(strstr(r.body, "<form"));
  test_response_free(&r);
  json_decref(a);
}

static void post_rating(const char *path, const char *body, test_response *r)
{
  const char *headers[] = {"X-Forwarded-For: 203.0.113.7", "Content-Type: application/x-www-form-urlencoded",
                           NULL};
  assert_int_equal(test_http(&server, "POST", path, NULL, body, headers, r), 0);
}

/* The return visit from the phone: the completed repair's page asks, one
 * tap answers, the ledger records it once, and the page says thank you. */
static void a_completed_repair_is_rated_from_its_page(void **state)
{
  (void)state;
  json_t *a = file_repair("rate");
  const char *ticket = str(a, "ticket");
  char path[96], rate[128];
  page_path(a, path, sizeof path);
  snprintf(rate, sizeof rate, "%s/rate", path);
  test_response r;
  post_rating(rate, "satisfaction=satisfied", &r);
  assert_int_equal(r.status, 303); /* not completed yet: nothing recorded, back to the page */
  test_response_free(&r);
  post_event(server.admin_token, ticket, "{\"event\":\"accept\"}");
  post_event(server.admin_token, ticket, "{\"event\":\"dispatch\",\"technician\":\"王师傅\"}");
  post_event(tech, ticket, "{\"event\":\"on_site\"}");
  post_event(tech, ticket, "{\"event\":\"complete\",\"note\":\"换了阀门\"}");
  get_page(path, "203.0.113.7", &r);
  assert_non_null(strstr(r.body, "您对这次维修满意吗？"));
  assert_non_null(strstr(r.body, "<button name=\"satisfaction\" value=\"basically_satisfied\">基本满意</button>"));
  test_response_free(&r);

  post_rating(rate, "satisfaction=sort-of", &r);
  assert_int_equal(r.status, 400);
  assert_non_null(strstr(r.body, "没有收到您的评价"));
  test_response_free(&r);
  post_rating(rate, "satisfaction=unsatisfied", &r);
  assert_int_equal(r.status, 303);
  assert_non_null(strcasestr(r.headers, "Location: "));
  {
    char back[128];
    snprintf(back, sizeof back, "Location: ../%s", path + 3); /* the page, relative to its /rate */
    assert_non_null(strcasestr(r.headers, back));
  }
  test_response_free(&r);
  post_rating(rate, "satisfaction=satisfied", &r); /* a second tap changes nothing */
  assert_int_equal(r.status, 303);
  test_response_free(&r);

  get_page(path, "203.0.113.7", &r);
  assert_non_null(strstr(r.body, "已回访，感谢您的评价"));
  assert_null(strstr(r.body, "<form"));
  test_response_free(&r);
  char staff_path[64];
  snprintf(staff_path, sizeof staff_path, "/api/v1/repairs/%s", ticket);
  json_t *t = test_admin(&server, "GET", staff_path, NULL, 200);
  assert_string_equal(str(t, "status"), "return_visit");
  json_t *tl = json_object_get(t, "timeline"), *last = json_array_get(tl, json_array_size(tl) - 1);
  assert_string_equal(str(last, "event"), "return_visit");
  assert_string_equal(str(last, "by"), "扫码评价");
  assert_int_equal(json_integer_value(json_object_get(last, "satisfaction")), 1);
  size_t visits = 0, i;
  json_t *ev;
  json_array_foreach(tl, i, ev) visits += strcmp(str(ev, "event"), "return_visit") == 0;
  assert_int_equal(visits, 1);
  json_decref(t);
  json_decref(a);
}

typedef struct {
  char path[160];
  test_response r;
} waiter;

static void *wait_for_change(void *arg)
{
  waiter *w = arg;
  get_page(w->path, "203.0.113.5", &w->r);
  return NULL;
}

/* The page's long-poll: answered at once when the page is behind, held
 * while it is current, woken by the ticket's next event. */
static void the_page_long_polls_its_repair(void **state)
{
  (void)state;
  json_t *a = file_repair("wait");
  char path[96], wait_path[160];
  page_path(a, path, sizeof path);
  test_response r;
  snprintf(wait_path, sizeof wait_path, "%s/wait?v=old.0&wait=20", path);
  get_page(wait_path, "203.0.113.5", &r);
  assert_int_equal(r.status, 200);
  assert_string_equal(str(r.json, "v"), "submitted.1");
  test_response_free(&r);
  snprintf(wait_path, sizeof wait_path, "%s/wait?v=submitted.1&wait=1", path);
  get_page(wait_path, "203.0.113.5", &r);
  assert_int_equal(r.status, 304);
  assert_true(r.seconds >= 0.9);
  test_response_free(&r);

  waiter w;
  memset(&w, 0, sizeof w);
  snprintf(w.path, sizeof w.path, "%s/wait?v=submitted.1&wait=20", path);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, wait_for_change, &w), 0);
  usleep(500 * 1000);
  post_event(server.admin_token, str(a, "ticket"), "{\"event\":\"accept\"}");
  pthread_join(t, NULL);
  assert_int_equal(w.r.status, 200);
  assert_string_equal(str(w.r.json, "v"), "accepted.2");
  /* Woken by the event, not by the end of its 20 s. */
  assert_true(w.r.seconds < 10);
  test_response_free(&w.r);
  json_decref(a);
}

static void a_wrong_or_ended_link_is_a_plain_404(void **state)
{
  (void)state;
  test_response wrong, malformed, ended;
  /* A token of the right form that no repair has. */
  get_page("/f/AAAAAAAAAAAAAAAAAAAAAA", "203.0.113.2", &wrong);
  get_page("/f/R-20261201-0001", "203.0.113.2", &malformed);
  json_t *a = file_repair("ended");
  char path[96];
  page_path(a, path, sizeof path);
  post_event(server.admin_token, str(a, "ticket"), "{\"event\":\"cancel\",\"reason\":\"住户自行修好了\"}");
  /* keep_days = 0: a cancelled repair's page ends at once. */
  get_page(path, "203.0.113.2", &ended);
  assert_int_equal(wrong.status, 404);
  assert_int_equal(malformed.status, 404);
  assert_int_equal(ended.status, 404);
  /* The same words whatever the reason: no hint of which it was. */
  assert_string_equal(wrong.body, malformed.body);
  assert_string_equal(wrong.body, ended.body);
  assert_non_null(strstr(wrong.body, "页面不存在"));
  assert_null(strstr(wrong.body, "error"));
  test_response_free(&wrong);
  test_response_free(&malformed);
  test_response_free(&ended);
  json_decref(a);
}

/* The visitor's pass on their phone, as a guard checks it at the gate:
 * valid, until when, the name masked, where and how many, the code; then
 * signed out, and the page gone (pass_keep_hours = 0). */
static void a_visitors_pass_opens_on_their_phone(void **state)
{
  (void)state;
  char line[96];
  snprintf(line, sizeof line, "Idempotency-Key: follow-visit-%ld", (long)getpid());
  const char *headers[] = {line, NULL};
  test_response r;
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits", server.kiosk_token,
                             "{\"name\":\"欧阳娜娜\",\"phone\":\"13900001111\",\"host\":\"1-2-301\","
                             "\"purpose\":\"family\",\"party_size\":2,\"plate\":\"京A12345\"}",
                             headers, &r), 0);
  assert_int_equal(r.status, 201);
  json_t *v = json_incref(r.json);
  test_response_free(&r);
  assert_string_equal(str(v, "state"), "approved");
  char path[96], code[16];
  page_path(v, path, sizeof path);
  snprintf(code, sizeof code, "%s", str(v, "pass_code"));

  get_page(path, "203.0.113.6", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "访客通行证"));
  assert_non_null(strstr(r.body, "通行证有效"));
  assert_non_null(strstr(r.body, "有效至："));
  assert_non_null(strstr(r.body, "欧***"));
  assert_non_null(strstr(r.body, "1-2-301"));
  assert_non_null(strstr(r.body, code));
  assert_non_null(strstr(r.body, "<body data-v=\"approved\">"));
  assert_null(strstr(r.body, "欧阳娜娜"));
  assert_null(strstr(r.body, "13900001111"));
  assert_null(strstr(r.body, "京A12345"));
  test_response_free(&r);

  char body[64];
  snprintf(body, sizeof body, "{\"pass_code\":\"%s\"}", code);
  assert_int_equal(test_http(&server, "POST", "/api/v1/visits/checkout", server.kiosk_token, body, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
  get_page(path, "203.0.113.6", &r);
  assert_int_equal(r.status, 404);
  test_response_free(&r);
  json_decref(v);
}

static json_t *call(const char *method, const char *path, const char *token, const char *body, long status)
{
  char line[96];
  static int n;
  snprintf(line, sizeof line, "Idempotency-Key: follow-call-%ld-%d", (long)getpid(), ++n);
  const char *headers[] = {line, NULL};
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, headers, &r), 0);
  if (r.status != status)
    fprintf(stderr, "%s %s -> %ld %s\n", method, path, r.status, r.body);
  assert_int_equal(r.status, status);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

/* A complaint followed from the phone: by when it is answered, the
 * answer as the desk wrote it (escaped), then the return visit; and an
 * anonymous suggestion, which a look-up could never find, followed too. */
static void a_complaint_and_its_answer_on_the_phone(void **state)
{
  (void)state;
  json_t *c = call("POST", "/api/v1/complaints", server.kiosk_token,
                   "{\"kind\":\"complaint\",\"category\":\"noise_neighbours\","
                   "\"description\":\"楼上每晚十一点后还在装修\",\"unit\":{\"building\":\"1\",\"unit\":\"2\","
                   "\"room\":\"301\"},\"name\":\"王芳\",\"phone\":\"13800138000\"}", 201);
  const char *number = str(c, "number");
  char path[96], events[96], rate[128];
  page_path(c, path, sizeof path);
  snprintf(events, sizeof events, "/api/v1/complaints/%s/events", number);
  snprintf(rate, sizeof rate, "%s/rate", path);
  test_response r;
  get_page(path, "203.0.113.8", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "投诉建议进度"));
  assert_non_null(strstr(r.body, number));
  assert_non_null(strstr(r.body, "已收到，我们会尽快受理"));
  assert_non_null(strstr(r.body, "前答复您"));
  assert_non_null(strstr(r.body, "尾号 8000"));
  assert_null(strstr(r.body, "王芳"));
  assert_null(strstr(r.body, "13800138000"));
  assert_null(strstr(r.body, "装修"));
  test_response_free(&r);

  json_decref(call("POST", events, server.admin_token, "{\"event\":\"accept\"}", 200));
  json_decref(call("POST", events, server.admin_token, "{\"event\":\"assign\",\"responsible\":\"前台小周\"}", 200));
  json_decref(call("POST", events, desk,
                   "{\"event\":\"reply\",\"reply\":\"已联系楼上住户，<b>晚上十点后</b>停止施工。\"}", 200));
  get_page(path, "203.0.113.8", &r);
  assert_non_null(strstr(r.body, "物业已答复"));
  assert_non_null(strstr(r.body, "已联系楼上住户，&lt;b&gt;晚上十点后&lt;/b&gt;停止施工。"));
  assert_non_null(strstr(r.body, "您对这次答复满意吗？"));
  assert_null(strstr(r.body, "前答复您"));
  test_response_free(&r);
  post_rating(rate, "satisfaction=unsatisfied", &r);
  assert_int_equal(r.status, 303);
  test_response_free(&r);
  get_page(path, "203.0.113.8", &r);
  assert_non_null(strstr(r.body, "正在跟进处理")); /* unhappy: back on the desk's list */
  assert_null(strstr(r.body, "<form"));
  test_response_free(&r);
  json_decref(c);

  c = call("POST", "/api/v1/complaints", server.kiosk_token,
           "{\"kind\":\"suggestion\",\"category\":\"facilities\",\"description\":\"大堂加几把椅子\"}", 201);
  page_path(c, path, sizeof path);
  get_page(path, "203.0.113.8", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "建议 · 设施设备"));
  assert_null(strstr(r.body, "尾号"));
  test_response_free(&r);
  json_decref(c);
}

static void an_address_asking_too_often_is_slowed(void **state)
{
  (void)state;
  json_t *a = file_repair("limit");
  char path[96];
  page_path(a, path, sizeof path);
  test_response r;
  for (int i = 0; i < PER_MINUTE; i++) {
    get_page(i % 2 ? path : "/f/AAAAAAAAAAAAAAAAAAAAAA", "203.0.113.3", &r);
    assert_int_equal(r.status, i % 2 ? 200 : 404);
    test_response_free(&r);
  }
  get_page(path, "203.0.113.3", &r);
  assert_int_equal(r.status, 429);
  assert_non_null(strcasestr(r.headers, "Retry-After: "));
  assert_non_null(strstr(r.body, "访问太频繁"));
  test_response_free(&r);
  /* Another address is not held back by it. */
  get_page(path, "203.0.113.4", &r);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
  json_decref(a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_filing_is_answered_with_its_link),
    cmocka_unit_test(the_page_follows_the_ledger_in_plain_words),
    cmocka_unit_test(the_page_long_polls_its_repair),
    cmocka_unit_test(a_completed_repair_is_rated_from_its_page),
    cmocka_unit_test(a_wrong_or_ended_link_is_a_plain_404),
    cmocka_unit_test(a_visitors_pass_opens_on_their_phone),
    cmocka_unit_test(a_complaint_and_its_answer_on_the_phone),
    cmocka_unit_test(an_address_asking_too_often_is_slowed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
