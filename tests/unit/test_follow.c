/* Follow links (lobby_follow.h) and the follow page's words
 * (follow_page.h), without a server: which tokens, public addresses and
 * links are accepted, and what the page says of a repair in each state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "follow_page.h"
#include "lobby_follow.h"

static void tokens_have_one_form(void **state)
{
  (void)state;
  char a[LOBBY_FOLLOW_TOKEN_LEN + 1], b[LOBBY_FOLLOW_TOKEN_LEN + 1];
  lobby_follow_token_new(a);
  lobby_follow_token_new(b);
  assert_int_equal(strlen(a), LOBBY_FOLLOW_TOKEN_LEN);
  assert_true(lobby_follow_token_valid(a));
  assert_string_not_equal(a, b);
  assert_true(lobby_follow_token_valid("AAAAAAAAAAAAAAAAAAAAAA"));
  assert_true(lobby_follow_token_valid("abc-_xyz0123456789ABCw"));
  /* The last character holds 2 bits: only A, Q, g, w end a token. */
  assert_false(lobby_follow_token_valid("AAAAAAAAAAAAAAAAAAAAAB"));
  assert_false(lobby_follow_token_valid("AAAAAAAAAAAAAAAAAAAAA"));
  assert_false(lobby_follow_token_valid("AAAAAAAAAAAAAAAAAAAAAAA"));
  assert_false(lobby_follow_token_valid("AAAAAAAAAA/AAAAAAAAAAA"));
  assert_false(lobby_follow_token_valid("R-20261201-0001"));
  assert_false(lobby_follow_token_valid(""));
  assert_false(lobby_follow_token_valid(NULL));
}

static void public_urls_are_checked(void **state)
{
  (void)state;
  assert_int_equal(lobby_public_url_check("https://wuye.example.com"), LOBBY_OK);
  assert_int_equal(lobby_public_url_check("http://10.0.0.5:8080/lobby/"), LOBBY_OK);
  assert_int_equal(lobby_public_url_check(""), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("wuye.example.com"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("ftp://wuye.example.com"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https:///path"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://user:pw@wuye.example.com"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://wuye.example.com/?a=1"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://wuye.example.com/#x"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://wuye.example.com/a b"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://wuye.example.com/\"><script>"), LOBBY_EINVAL);
  assert_int_equal(lobby_public_url_check("https://物业.example.com"), LOBBY_EINVAL);
  char long_url[160];
  memset(long_url, 'a', sizeof long_url);
  memcpy(long_url, "https://", 8);
  long_url[LOBBY_PUBLIC_URL_MAX + 1] = '\0';
  assert_int_equal(lobby_public_url_check(long_url), LOBBY_EINVAL);
  long_url[LOBBY_PUBLIC_URL_MAX] = '\0';
  assert_int_equal(lobby_public_url_check(long_url), LOBBY_OK);
}

static void links_join_without_a_double_slash(void **state)
{
  (void)state;
  char url[LOBBY_FOLLOW_URL_MAX];
  const char *token = "AAAAAAAAAAAAAAAAAAAAAw";
  assert_int_equal(lobby_follow_url("https://wuye.example.com/lobby//", token, url, sizeof url), LOBBY_OK);
  assert_string_equal(url, "https://wuye.example.com/lobby/f/AAAAAAAAAAAAAAAAAAAAAw");
  assert_true(lobby_follow_url_valid(url));
  assert_int_equal(lobby_follow_url("https://wuye.example.com", token, url, 20), LOBBY_ETOOBIG);
  assert_int_equal(lobby_follow_url("https://wuye.example.com", "short", url, sizeof url), LOBBY_EINVAL);
  /* The kiosk puts only such links in a QR code. */
  assert_false(lobby_follow_url_valid("https://wuye.example.com/f/AAAAAAAAAAAAAAAAAAAAAB"));
  assert_false(lobby_follow_url_valid("https://wuye.example.com/x/AAAAAAAAAAAAAAAAAAAAAw"));
  assert_false(lobby_follow_url_valid("javascript:alert(1)//f/AAAAAAAAAAAAAAAAAAAAAw"));
  assert_false(lobby_follow_url_valid("https://a b/f/AAAAAAAAAAAAAAAAAAAAAw"));
  assert_false(lobby_follow_url_valid("/f/AAAAAAAAAAAAAAAAAAAAAw"));
  assert_false(lobby_follow_url_valid(""));
  assert_false(lobby_follow_url_valid(NULL));
}

/* 2025-12-01 10:00 +08:00, the page's "now". */
#define NOW 1764554400

static char *page_of(const char *json, follow_lang lang)
{
  json_error_t e;
  json_t *r = json_loads(json, 0, &e);
  assert_non_null(r);
  follow_page_ctx ctx = {.lang = lang, .offset_min = 480, .now = NOW, .site_name = "阳光花园",
                         .service_phone = "400-800-1234"};
  char *html = NULL;
  size_t len = 0;
  assert_int_equal(follow_page_repair(r, &ctx, &html, &len), LOBBY_OK);
  assert_int_equal(strlen(html), len);
  json_decref(r);
  return html;
}

static void the_page_says_where_the_repair_is(void **state)
{
  (void)state;
  /* Normal, due 18:00 today, done at 15:30: the promise kept. */
  char *p = page_of("{\"ticket\":\"R-20261201-0007\",\"status\":\"completed\",\"category\":\"electric\","
                    "\"urgency\":\"normal\",\"created_at\":1764550800,\"due_at\":1764583200,"
                    "\"sla_done_at\":1764574200,\"phone_last4\":\"2222\",\"overdue\":false,"
                    "\"timeline\":[{\"status\":\"submitted\",\"at\":1764550800},"
                    "{\"status\":\"completed\",\"at\":1764574200}]}",
                    FOLLOW_LANG_ZH);
  assert_non_null(strstr(p, "维修已完成"));
  assert_non_null(strstr(p, "承诺：今天 18:00 前完成"));
  assert_non_null(strstr(p, "已按承诺时间完成"));
  assert_non_null(strstr(p, "电路电灯"));
  assert_non_null(strstr(p, "<header><p>阳光花园</p>"));
  assert_non_null(strstr(p, "href=\"tel:4008001234\">400-800-1234</a>"));
  /* Newest first. */
  assert_true(strstr(p, "已完成</span>") < strstr(p, "已提交</span>"));
  assert_non_null(strstr(p, "<body data-v=\"completed.2\">"));
  assert_non_null(strstr(p, follow_page_script));
  free(p);

  /* An emergency past its 30 minutes with no one on site yet. */
  p = page_of("{\"ticket\":\"R-20261201-0008\",\"status\":\"dispatched\",\"category\":\"water\","
              "\"urgency\":\"emergency\",\"created_at\":1764550800,\"due_at\":1764552600,"
              "\"overdue\":true,\"site_name\":\"北苑\",\"site_phone\":\"\","
              "\"timeline\":[{\"status\":\"submitted\",\"at\":1764550800}]}",
              FOLLOW_LANG_EN);
  assert_non_null(strstr(p, "<html lang=\"en\">"));
  assert_non_null(strstr(p, "Promised: on site by today 09:30"));
  assert_non_null(strstr(p, "Past the promised time. We are hurrying."));
  assert_non_null(strstr(p, "<header><p>北苑</p>"));
  assert_non_null(strstr(p, "href=\"?lang=zh\""));
  assert_null(strstr(p, "http-equiv"));
  free(p);

  /* A booked window on another day, and a cancelled ticket's page. */
  p = page_of("{\"ticket\":\"R-20261201-0009\",\"status\":\"accepted\",\"category\":\"lift\","
              "\"urgency\":\"appointment\",\"due_at\":1764648000,\"window_from\":1764637200,"
              "\"window_to\":1764648000,\"overdue\":false,\"timeline\":[]}",
              FOLLOW_LANG_ZH);
  assert_non_null(strstr(p, "预约上门时间：12月2日 09:00 至 12月2日 12:00"));
  free(p);
  p = page_of("{\"ticket\":\"R-20261201-0010\",\"status\":\"cancelled\",\"urgency\":\"normal\","
              "\"due_at\":1764583200,\"closed_at\":1764552600,\"timeline\":[]}",
              FOLLOW_LANG_ZH);
  assert_non_null(strstr(p, "本单已取消"));
  assert_null(strstr(p, "承诺"));
  /* Nothing more will happen to it: no long-poll. */
  assert_null(strstr(p, "<script"));
  free(p);
}

static void what_staff_typed_is_escaped(void **state)
{
  (void)state;
  char *p = page_of("{\"ticket\":\"R-20261201-0011\",\"status\":\"submitted\",\"urgency\":\"normal\","
                    "\"due_at\":1764583200,\"site_name\":\"<b>&花园\",\"site_phone\":\"400\\\"><i>\","
                    "\"timeline\":[]}",
                    FOLLOW_LANG_ZH);
  assert_non_null(strstr(p, "&lt;b&gt;&amp;花园"));
  assert_non_null(strstr(p, "href=\"tel:400\">400&quot;&gt;&lt;i&gt;</a>"));
  assert_null(strstr(p, "<b>"));
  assert_null(strstr(p, "<i>"));
  free(p);
}

/* The policy allows the page's script by its hash: a changed script with
 * an old hash would silently stop the page following the repair. */
static void the_script_is_the_one_the_policy_allows(void **state)
{
  (void)state;
  unsigned char digest[crypto_hash_sha256_BYTES];
  char b64[64];
  assert_int_equal(sodium_init() >= 0, 1);
  crypto_hash_sha256(digest, (const unsigned char *)follow_page_script, strlen(follow_page_script));
  sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  assert_string_equal(b64, FOLLOW_PAGE_SCRIPT_SHA256);
}

static void a_missing_page_says_nothing_more(void **state)
{
  (void)state;
  char *html = NULL;
  size_t len = 0;
  assert_int_equal(follow_page_missing(&html, &len), LOBBY_OK);
  assert_non_null(strstr(html, "页面不存在"));
  assert_non_null(strstr(html, "Page not found."));
  free(html);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tokens_have_one_form),
    cmocka_unit_test(public_urls_are_checked),
    cmocka_unit_test(links_join_without_a_double_slash),
    cmocka_unit_test(the_page_says_where_the_repair_is),
    cmocka_unit_test(what_staff_typed_is_escaped),
    cmocka_unit_test(the_script_is_the_one_the_policy_allows),
    cmocka_unit_test(a_missing_page_says_nothing_more),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
