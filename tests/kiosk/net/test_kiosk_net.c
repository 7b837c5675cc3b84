/* Unit tests of kiosk_net that need no server: the server URL points at a
 * closed port, so every exchange fails at once, which is exactly the
 * "lobbyd is down" case.  The scenarios with a real lobbyd are in
 * net_scenarios.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk_net.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

/* Nothing listens on port 1 of the loopback address. */
#define DEAD_SERVER "http://127.0.0.1:1"

typedef struct {
  char dir[64];
  atomic_int wakes;
  kiosk_net *net;
} fixture;

static void on_wake(void *ctx)
{
  fixture *f = ctx;
  atomic_fetch_add(&f->wakes, 1);
}

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/kiosk-net-XXXXXX");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  kiosk_net_stop(f->net);
  assert_int_equal(lobby_fs_remove_tree(f->dir), LOBBY_OK);
  free(f);
  return 0;
}

static void start(fixture *f)
{
  kiosk_net_config cfg = {.server_url = DEAD_SERVER, .token = "lk_test", .state_dir = f->dir,
                          .version = "test", .backoff_max_s = 1, .wake = on_wake, .wake_ctx = f};
  assert_int_equal(kiosk_net_start(&cfg, &f->net), LOBBY_OK);
}

static void restart(fixture *f)
{
  kiosk_net_stop(f->net);
  f->net = NULL;
  start(f);
}

/* Polls until an event of this kind (and, for results, this request)
 * arrives; other events are freed on the way. */
static bool wait_for(fixture *f, kiosk_ev_kind kind, uint64_t request_id, kiosk_event *out)
{
  int64_t deadline = lobby_monotonic_ms() + 8000;
  while (lobby_monotonic_ms() < deadline) {
    kiosk_event ev;
    while (kiosk_net_poll(f->net, &ev)) {
      if (ev.kind == kind && (kind != KIOSK_EV_RESULT || ev.request_id == request_id)) {
        *out = ev;
        return true;
      }
      json_decref(ev.feed);
      json_decref(ev.body);
    }
    usleep(10 * 1000);
  }
  return false;
}

static json_t *repair_body(void)
{
  return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:n, s:s}", "unit", "building",
                   "1", "unit", "1", "room", "101", "name", "张三", "phone", "13812345678",
                   "category", "water", "kind", "in_unit", "urgency", "normal", "preferred_time",
                   "description", "漏水");
}

static void test_poll_is_empty_at_start_without_cache(void **state)
{
  fixture *f = *state;
  start(f);
  kiosk_event ev = {0};
  /* No cache, no server: the first event is the news of being offline. */
  assert_true(wait_for(f, KIOSK_EV_CONNECTIVITY, 0, &ev));
  assert_false(ev.online);
  assert_true(atomic_load(&f->wakes) > 0);
}

static void test_submit_while_down_is_queued_and_durable(void **state)
{
  fixture *f = *state;
  start(f);
  json_t *body = repair_body();
  uint64_t id = 0;
  assert_int_equal(kiosk_net_submit(f->net, KIOSK_SUBMIT_REPAIR, body, &id), LOBBY_OK);
  json_decref(body);
  assert_true(id > 0);
  kiosk_event ev;
  assert_true(wait_for(f, KIOSK_EV_RESULT, id, &ev));
  assert_int_equal(ev.state, KIOSK_RESULT_QUEUED);
  assert_int_equal(ev.http_status, 0);
  assert_memory_equal(ev.provisional_ref, "Q-", 2);
  assert_int_equal(strlen(ev.provisional_ref), 8);
  assert_int_equal(kiosk_net_queued(f->net), 1);
  char ref[sizeof ev.provisional_ref];
  snprintf(ref, sizeof ref, "%s", ev.provisional_ref);
  json_decref(ev.body);

  /* The item survives a restart and is still known by its ref. */
  restart(f);
  assert_int_equal(kiosk_net_queued(f->net), 1);
  uint64_t lookup = 0;
  assert_int_equal(kiosk_net_lookup_provisional(f->net, ref, &lookup), LOBBY_OK);
  assert_true(wait_for(f, KIOSK_EV_RESULT, lookup, &ev));
  assert_int_equal(ev.http_status, 200);
  assert_string_equal(json_string_value(json_object_get(ev.body, "state")), "queued");
  assert_string_equal(json_string_value(json_object_get(ev.body, "ref")), ref);
  json_decref(ev.body);
}

static void test_lookup_unknown_ref_is_404(void **state)
{
  fixture *f = *state;
  start(f);
  uint64_t id = 0;
  assert_int_equal(kiosk_net_lookup_provisional(f->net, "Q-AAAAAA", &id), LOBBY_OK);
  kiosk_event ev;
  assert_true(wait_for(f, KIOSK_EV_RESULT, id, &ev));
  assert_int_equal(ev.http_status, 404);
  assert_null(ev.body);
}

static void test_call_while_down_fails(void **state)
{
  fixture *f = *state;
  start(f);
  uint64_t id = 0;
  assert_int_equal(kiosk_net_call(f->net, "GET", "/api/v1/repairs/lookup?ticket=R-1", NULL, NULL, 0, &id),
                   LOBBY_OK);
  kiosk_event ev;
  assert_true(wait_for(f, KIOSK_EV_RESULT, id, &ev));
  assert_int_equal(ev.state, KIOSK_RESULT_FAILED);
  assert_int_equal(ev.http_status, 0);
  assert_null(ev.body);
}

static void test_bad_arguments_are_refused(void **state)
{
  fixture *f = *state;
  start(f);
  uint64_t id = 0;
  assert_int_equal(kiosk_net_call(f->net, "GET", "no-slash", NULL, NULL, 0, &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_net_call(f->net, "GET", "/a\r\nX: y", NULL, NULL, 0, &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_net_call(f->net, "BREW", "/a", NULL, NULL, 0, &id), LOBBY_EINVAL);
  json_t *not_object = json_string("x");
  assert_int_equal(kiosk_net_submit(f->net, KIOSK_SUBMIT_REPAIR, not_object, &id), LOBBY_EINVAL);
  json_decref(not_object);
  kiosk_net_config cfg = {.server_url = DEAD_SERVER, .state_dir = f->dir};
  kiosk_net *other = NULL;
  assert_int_equal(kiosk_net_start(&cfg, &other), LOBBY_EINVAL);
  assert_null(other);
}

static void test_second_instance_on_same_state_dir_is_refused(void **state)
{
  fixture *f = *state;
  start(f);
  kiosk_net_config cfg = {.server_url = DEAD_SERVER, .token = "lk_test", .state_dir = f->dir};
  kiosk_net *second = NULL;
  assert_int_equal(kiosk_net_start(&cfg, &second), LOBBY_ECONFLICT);
  assert_null(second);
  /* Once the first stops, the directory is free again. */
  restart(f);
}

static void test_cached_feed_is_shown_at_start(void **state)
{
  fixture *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/feed.json", f->dir);
  static const char cache[] =
    "{\"etag\":\"abc123\",\"fetched_at\":1795700000,"
    "\"feed\":{\"version\":\"abc123\",\"notices\":[{\"id\":1,\"title\":\"停水通知\"}]}}";
  assert_int_equal(lobby_fs_write_atomic(path, cache, strlen(cache)), LOBBY_OK);
  start(f);
  kiosk_event ev;
  assert_true(wait_for(f, KIOSK_EV_FEED, 0, &ev));
  assert_true(ev.from_cache);
  assert_int_equal(ev.fetched_at, 1795700000);
  assert_string_equal(ev.etag, "abc123");
  assert_int_equal(json_array_size(json_object_get(ev.feed, "notices")), 1);
  json_decref(ev.feed);
}

static void test_corrupt_feed_cache_is_ignored(void **state)
{
  fixture *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/feed.json", f->dir);
  assert_int_equal(lobby_fs_write_atomic(path, "{\"feed\": [", 10), LOBBY_OK);
  start(f);
  /* The cache is read before the first exchange, so a feed from it would
   * come before the news of being offline. */
  bool saw_feed = false, saw_offline = false;
  int64_t deadline = lobby_monotonic_ms() + 8000;
  while (!saw_offline && lobby_monotonic_ms() < deadline) {
    kiosk_event ev;
    while (!saw_offline && kiosk_net_poll(f->net, &ev)) {
      saw_feed = saw_feed || ev.kind == KIOSK_EV_FEED;
      saw_offline = ev.kind == KIOSK_EV_CONNECTIVITY && !ev.online;
      json_decref(ev.feed);
      json_decref(ev.body);
    }
    usleep(10 * 1000);
  }
  assert_true(saw_offline);
  assert_false(saw_feed);
}

static void test_stop_with_work_in_flight_frees_everything(void **state)
{
  fixture *f = *state;
  start(f);
  json_t *body = repair_body();
  for (int i = 0; i < 3; i++)
    assert_int_equal(kiosk_net_submit(f->net, KIOSK_SUBMIT_REPAIR, body, NULL), LOBBY_OK);
  json_decref(body);
  uint64_t id = 0;
  assert_int_equal(kiosk_net_call(f->net, "GET", "/api/v1/feed", NULL, "x", 30, &id), LOBBY_OK);
  kiosk_net_cancel(f->net, id);
  /* Stopped by teardown with commands, transfers and events pending;
   * LeakSanitizer checks that nothing is left behind. */
}

int main(void)
{
  lobby_log_set_level(LOBBY_LOG_ERROR);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_poll_is_empty_at_start_without_cache, setup, teardown),
    cmocka_unit_test_setup_teardown(test_submit_while_down_is_queued_and_durable, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lookup_unknown_ref_is_404, setup, teardown),
    cmocka_unit_test_setup_teardown(test_call_while_down_fails, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_arguments_are_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(test_second_instance_on_same_state_dir_is_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cached_feed_is_shown_at_start, setup, teardown),
    cmocka_unit_test_setup_teardown(test_corrupt_feed_cache_is_ignored, setup, teardown),
    cmocka_unit_test_setup_teardown(test_stop_with_work_in_flight_frees_everything, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
