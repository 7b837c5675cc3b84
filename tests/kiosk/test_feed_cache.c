/* The feed cache: what the network thread writes, the kiosk reads back at
 * start-up; a damaged or missing cache is reported, never half-used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "feed_cache.h"
#include "lobby_fs.h"

static void cache_path(char *out, size_t cap)
{
  assert_int_equal(lobby_fs_mkdirs(KIOSK_TEST_WORK_DIR), LOBBY_OK);
  assert_int_equal(kiosk_feed_cache_path(KIOSK_TEST_WORK_DIR, out, cap), LOBBY_OK);
}

static void test_round_trip(void **state)
{
  (void)state;
  char path[512];
  cache_path(path, sizeof path);
  json_t *feed = json_pack("{s:s, s:[{s:s}]}", "version", "v7", "notices", "title", "停水通知");
  assert_int_equal(kiosk_feed_cache_write(path, feed, "\"v7\"", 1795730000), LOBBY_OK);
  json_t *back = NULL;
  char etag[72];
  int64_t fetched_at = 0;
  assert_int_equal(kiosk_feed_cache_read(path, &back, etag, sizeof etag, &fetched_at), LOBBY_OK);
  assert_true(json_equal(feed, back));
  assert_string_equal(etag, "\"v7\"");
  assert_int_equal(fetched_at, 1795730000);
  json_decref(back);
  json_decref(feed);
}

static void test_missing_and_damaged(void **state)
{
  (void)state;
  char path[512];
  cache_path(path, sizeof path);
  json_t *feed = (json_t *)path; /* must be reset to NULL */
  int64_t fetched_at = 0;
  remove(path);
  assert_int_equal(kiosk_feed_cache_read(path, &feed, NULL, 0, &fetched_at), LOBBY_ENOTFOUND);
  assert_null(feed);
  /* Cut short, and valid JSON that is not a cache. */
  static const char *const damaged[] = {"{\"etag\":\"x\",\"fetched_at\":1,\"feed\":{\"no", "[1,2]",
                                        "{\"feed\":\"text\"}"};
  for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
    assert_int_equal(lobby_fs_write_atomic(path, damaged[i], strlen(damaged[i])), LOBBY_OK);
    assert_int_equal(kiosk_feed_cache_read(path, &feed, NULL, 0, &fetched_at), LOBBY_EINVAL);
    assert_null(feed);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_missing_and_damaged),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
