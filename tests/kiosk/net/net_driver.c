/* A small program that drives kiosk_net the way the kiosk's UI thread does,
 * for the transport-level scenario tests (net_scenarios.sh).  Each command
 * starts kiosk_net, does one thing, prints what it saw as plain lines and
 * exits 0 when the expectation held.
 *
 *   net_driver [options] cached-feed SECONDS     a from_cache feed arrives
 *   net_driver [options] live-feed SECONDS       a feed from the server arrives
 *   net_driver [options] feed-change SECONDS     prints "ready", then the wall
 *                                                time of the next feed change
 *   net_driver [options] submit-repair SECONDS   prints the result, then waits
 *                                                (with --drain) until delivered
 *   net_driver [options] submit-visit SECONDS    as submit-repair, for a visit
 *   net_driver [options] submit-and-hang         submits, prints the result and
 *                                                sleeps until killed
 *   net_driver [options] drain SECONDS           waits until the outbox is empty
 *   net_driver [options] lookup REF SECONDS      prints the look-up body
 *   net_driver [options] call METHOD PATH SECONDS
 *   net_driver [options] call-during-poll PATH   once the feed long-poll is
 *                                                parked, a call; prints its time
 *   net_driver [options] cancel-poll             a direct long-poll on the feed,
 *                                                cancelled: no result may follow
 *   net_driver json-len FILE                     length of the (first) array
 *
 * options: --url URL --token TOKEN --state DIR [--backoff-max S]
 *          [--wait S] [--heartbeat S] [--unit B-U-R] [--marker TEXT]
 *          [--drain SECONDS] [--etag ETAG --call-wait S (for call)] [--verbose] */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk_net.h"
#include "lobby_log.h"
#include "lobby_time.h"

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool woken;
} waker;

typedef struct {
  kiosk_net_config cfg;
  const char *unit;
  const char *marker;
  const char *etag;
  int call_wait_s;
  int drain_s;
  waker wake;
  kiosk_net *net;
} driver;

static void on_wake(void *ctx)
{
  waker *w = ctx;
  pthread_mutex_lock(&w->lock);
  w->woken = true;
  pthread_cond_signal(&w->cond);
  pthread_mutex_unlock(&w->lock);
}

/* Sleeps until the network thread wakes us or until deadline_ms. */
static void wait_for_wake(waker *w, int64_t deadline_ms)
{
  pthread_mutex_lock(&w->lock);
  while (!w->woken) {
    int64_t left = deadline_ms - lobby_monotonic_ms();
    if (left <= 0)
      break;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t step = left < 200 ? left : 200;
    ts.tv_sec += (time_t)(step / 1000);
    ts.tv_nsec += (long)(step % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&w->cond, &w->lock, &ts);
  }
  w->woken = false;
  pthread_mutex_unlock(&w->lock);
}

static int64_t wall_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_json_line(const char *label, const json_t *value)
{
  char *text = value ? json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  printf("%s %s\n", label, text ? text : "null");
  free(text);
}

static const char *state_name(kiosk_result_state s)
{
  switch (s) {
  case KIOSK_RESULT_DELIVERED: return "delivered";
  case KIOSK_RESULT_QUEUED: return "queued";
  case KIOSK_RESULT_FAILED: return "failed";
  }
  return "?";
}

/* Prints one event as a line and frees its JSON. */
static void print_event(kiosk_event *ev)
{
  switch (ev->kind) {
  case KIOSK_EV_FEED:
    printf("feed from_cache=%d version=%s notices=%zu fetched_at=%lld wall_ms=%lld\n",
           ev->from_cache, json_string_value(json_object_get(ev->feed, "version")),
           json_array_size(json_object_get(ev->feed, "notices")), (long long)ev->fetched_at,
           (long long)wall_ms());
    break;
  case KIOSK_EV_CONNECTIVITY:
    printf("connectivity online=%d last_ok_at=%lld\n", ev->online, (long long)ev->last_ok_at);
    break;
  case KIOSK_EV_RESULT:
    printf("result id=%llu state=%s http=%d ref=%s etag=%s wall_ms=%lld\n",
           (unsigned long long)ev->request_id, state_name(ev->state), ev->http_status,
           ev->provisional_ref, ev->etag, (long long)wall_ms());
    print_json_line("body", ev->body);
    break;
  case KIOSK_EV_OUTBOX:
    printf("outbox queued=%d ref=%s\n", ev->queued, ev->provisional_ref);
    if (ev->body)
      print_json_line("record", ev->body);
    break;
  case KIOSK_EV_IMAGE:
    printf("image etag=%s\n", ev->etag);
    break;
  case KIOSK_EV_SCREENSHOT:
    printf("screenshot request=%s\n", ev->etag);
    break;
  }
  fflush(stdout);
}

static void event_release(kiosk_event *ev)
{
  json_decref(ev->feed);
  json_decref(ev->body);
}

/* Waits for the first event matching want (kind, and for results the
 * request id); prints every event on the way.  *out gets a copy of the
 * match with its JSON still owned (NULL to free it). */
typedef bool (*event_filter)(const kiosk_event *ev, const void *arg);

static bool wait_event(driver *d, int seconds, event_filter want, const void *arg, kiosk_event *out)
{
  int64_t deadline = lobby_monotonic_ms() + (int64_t)seconds * 1000;
  for (;;) {
    kiosk_event ev;
    while (kiosk_net_poll(d->net, &ev)) {
      print_event(&ev);
      bool match = want(&ev, arg);
      if (match && out) {
        *out = ev;
        return true;
      }
      event_release(&ev);
      if (match)
        return true;
    }
    if (lobby_monotonic_ms() >= deadline)
      return false;
    wait_for_wake(&d->wake, deadline);
  }
}

static bool is_feed_from_cache(const kiosk_event *ev, const void *arg)
{
  (void)arg;
  return ev->kind == KIOSK_EV_FEED && ev->from_cache;
}

static bool is_live_feed(const kiosk_event *ev, const void *arg)
{
  (void)arg;
  return ev->kind == KIOSK_EV_FEED && !ev->from_cache;
}

static bool is_result_for(const kiosk_event *ev, const void *arg)
{
  return ev->kind == KIOSK_EV_RESULT && ev->request_id == *(const uint64_t *)arg;
}

/* The outbox event that reports it empty: the network thread lowers its
 * count before it posts the delivered record, so reading the count on
 * any other event could end the wait before that record is printed. */
static bool outbox_empty(const kiosk_event *ev, const void *arg)
{
  (void)arg;
  return ev->kind == KIOSK_EV_OUTBOX && ev->queued == 0;
}

static int cmd_cached_feed(driver *d, int seconds)
{
  return wait_event(d, seconds, is_feed_from_cache, NULL, NULL) ? 0 : 1;
}

static int cmd_live_feed(driver *d, int seconds)
{
  return wait_event(d, seconds, is_live_feed, NULL, NULL) ? 0 : 1;
}

/* After the first live feed the long-poll is parked in the server; the
 * test posts a notice after "ready" and compares the wall times. */
static int cmd_feed_change(driver *d, int seconds)
{
  kiosk_event first;
  if (!wait_event(d, seconds, is_live_feed, NULL, &first))
    return 1;
  char version[128];
  const char *first_version = json_string_value(json_object_get(first.feed, "version"));
  snprintf(version, sizeof version, "%s", first_version ? first_version : "");
  event_release(&first);
  printf("ready\n");
  fflush(stdout);
  kiosk_event next;
  if (!wait_event(d, seconds, is_live_feed, NULL, &next))
    return 1;
  const char *now_version = json_string_value(json_object_get(next.feed, "version"));
  int changed = now_version && strcmp(now_version, version) != 0;
  printf("changed=%d wall_ms=%lld\n", changed, (long long)wall_ms());
  event_release(&next);
  return changed ? 0 : 1;
}

static json_t *repair_body(const driver *d)
{
  char building[16] = "1", unit[16] = "1", room[16] = "101";
  if (d->unit && sscanf(d->unit, "%15[^-]-%15[^-]-%15s", building, unit, room) != 3)
    return NULL;
  char description[200];
  snprintf(description, sizeof description, "厨房水龙头漏水 %s", d->marker ? d->marker : "");
  return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:n, s:s}", "unit", "building",
                   building, "unit", unit, "room", room, "name", "张三", "phone", "13812345678",
                   "category", "water", "kind", "in_unit", "urgency", "normal", "preferred_time",
                   "description", description);
}

static json_t *visit_body(const driver *d)
{
  char host[48];
  snprintf(host, sizeof host, "%s", d->unit ? d->unit : "1-1-101");
  return json_pack("{s:s, s:s, s:s, s:s, s:i, s:n}", "name", "李四", "phone", "13900001111",
                   "host", host, "purpose", "family", "party_size", 1, "plate");
}

static int drain(driver *d, int seconds)
{
  if (kiosk_net_queued(d->net) == 0 ||
      wait_event(d, seconds, outbox_empty, &d->net, NULL)) {
    printf("drained queued=0\n");
    fflush(stdout);
    return 0;
  }
  printf("not drained queued=%d\n", kiosk_net_queued(d->net));
  return 1;
}

static int submit(driver *d, kiosk_submit_kind kind, int seconds, kiosk_event *result)
{
  json_t *body = kind == KIOSK_SUBMIT_VISIT ? visit_body(d) : repair_body(d);
  uint64_t id = 0;
  lobby_err err = body ? kiosk_net_submit(d->net, kind, body, &id) : LOBBY_EINVAL;
  json_decref(body);
  if (err != LOBBY_OK) {
    fprintf(stderr, "submit: %s\n", lobby_strerror(err));
    return 1;
  }
  return wait_event(d, seconds, is_result_for, &id, result) ? 0 : 1;
}

static int cmd_submit(driver *d, kiosk_submit_kind kind, int seconds)
{
  kiosk_event result;
  if (submit(d, kind, seconds, &result) != 0)
    return 1;
  bool ok = result.state != KIOSK_RESULT_FAILED;
  event_release(&result);
  if (ok && d->drain_s > 0)
    return drain(d, d->drain_s);
  return ok ? 0 : 1;
}

static int cmd_submit_and_hang(driver *d)
{
  kiosk_event result;
  if (submit(d, KIOSK_SUBMIT_REPAIR, 30, &result) != 0)
    return 1;
  event_release(&result);
  printf("hanging\n");
  fflush(stdout);
  for (;;)
    pause();
}

static int cmd_lookup(driver *d, const char *ref, int seconds)
{
  uint64_t id = 0;
  if (kiosk_net_lookup_provisional(d->net, ref, &id) != LOBBY_OK)
    return 1;
  return wait_event(d, seconds, is_result_for, &id, NULL) ? 0 : 1;
}

static int cmd_call(driver *d, const char *method, const char *path, int seconds)
{
  uint64_t id = 0;
  if (kiosk_net_call(d->net, method, path, NULL, d->etag, d->call_wait_s, &id) != LOBBY_OK)
    return 1;
  return wait_event(d, seconds, is_result_for, &id, NULL) ? 0 : 1;
}

static bool is_any_result(const kiosk_event *ev, const void *arg)
{
  (void)arg;
  return ev->kind == KIOSK_EV_RESULT;
}

/* The feed long-poll must not hold up a direct call. */
static int cmd_call_during_poll(driver *d, const char *path)
{
  if (!wait_event(d, 10, is_live_feed, NULL, NULL))
    return 1;
  usleep(500 * 1000); /* the conditional long-poll is now parked in the server */
  int64_t t0 = lobby_monotonic_ms();
  uint64_t id = 0;
  if (kiosk_net_call(d->net, "GET", path, NULL, NULL, 0, &id) != LOBBY_OK)
    return 1;
  if (!wait_event(d, 10, is_result_for, &id, NULL))
    return 1;
  printf("call_ms=%lld\n", (long long)(lobby_monotonic_ms() - t0));
  return 0;
}

/* A direct long-poll on the feed with its current ETag, cancelled after a
 * moment: its answer must never reach the screen. */
static int cmd_cancel_poll(driver *d)
{
  kiosk_event first;
  if (!wait_event(d, 10, is_live_feed, NULL, &first))
    return 1;
  char etag[sizeof first.etag];
  snprintf(etag, sizeof etag, "%s", first.etag);
  event_release(&first);
  uint64_t id = 0;
  if (kiosk_net_call(d->net, "GET", "/api/v1/feed", NULL, etag, 3, &id) != LOBBY_OK)
    return 1;
  usleep(300 * 1000);
  kiosk_net_cancel(d->net, id);
  bool answered = wait_event(d, 5, is_any_result, NULL, NULL);
  printf("cancelled answered=%d\n", answered);
  return answered ? 1 : 0;
}

/* Length of a top-level array, or of the first array member of an object
 * (e.g. {"repairs": [...]}); lets the shell test count rows without jq. */
static int cmd_json_len(const char *file)
{
  json_error_t error;
  json_t *root = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &error) : json_load_file(file, 0, &error);
  if (!root)
    return 1;
  json_t *array = json_is_array(root) ? root : NULL;
  const char *key;
  json_t *value;
  json_object_foreach(root, key, value) {
    if (!array && json_is_array(value))
      array = value;
  }
  printf("%zu\n", array ? json_array_size(array) : (size_t)0);
  json_decref(root);
  return array ? 0 : 1;
}

static int run_command(driver *d, int argc, char **argv)
{
  const char *cmd = argv[0];
  if (strcmp(cmd, "cached-feed") == 0 && argc == 2)
    return cmd_cached_feed(d, atoi(argv[1]));
  if (strcmp(cmd, "live-feed") == 0 && argc == 2)
    return cmd_live_feed(d, atoi(argv[1]));
  if (strcmp(cmd, "feed-change") == 0 && argc == 2)
    return cmd_feed_change(d, atoi(argv[1]));
  if (strcmp(cmd, "submit-repair") == 0 && argc == 2)
    return cmd_submit(d, KIOSK_SUBMIT_REPAIR, atoi(argv[1]));
  if (strcmp(cmd, "submit-visit") == 0 && argc == 2)
    return cmd_submit(d, KIOSK_SUBMIT_VISIT, atoi(argv[1]));
  if (strcmp(cmd, "submit-and-hang") == 0 && argc == 1)
    return cmd_submit_and_hang(d);
  if (strcmp(cmd, "drain") == 0 && argc == 2)
    return drain(d, atoi(argv[1]));
  if (strcmp(cmd, "lookup") == 0 && argc == 3)
    return cmd_lookup(d, argv[1], atoi(argv[2]));
  if (strcmp(cmd, "call-during-poll") == 0 && argc == 2)
    return cmd_call_during_poll(d, argv[1]);
  if (strcmp(cmd, "cancel-poll") == 0 && argc == 1)
    return cmd_cancel_poll(d);
  if (strcmp(cmd, "call") == 0 && argc == 4)
    return cmd_call(d, argv[1], argv[2], atoi(argv[3]));
  fprintf(stderr, "net_driver: unknown command or wrong arguments: %s\n", cmd);
  return 2;
}

static int parse_options(driver *d, int argc, char **argv)
{
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *opt = argv[i];
    if (strcmp(opt, "--verbose") == 0) {
      lobby_log_set_level(LOBBY_LOG_DEBUG);
      continue;
    }
    if (i + 1 >= argc)
      return -1;
    const char *val = argv[++i];
    if (strcmp(opt, "--url") == 0) d->cfg.server_url = val;
    else if (strcmp(opt, "--token") == 0) d->cfg.token = val;
    else if (strcmp(opt, "--state") == 0) d->cfg.state_dir = val;
    else if (strcmp(opt, "--backoff-max") == 0) d->cfg.backoff_max_s = atoi(val);
    else if (strcmp(opt, "--wait") == 0) d->cfg.poll_wait_s = atoi(val);
    else if (strcmp(opt, "--heartbeat") == 0) d->cfg.heartbeat_s = atoi(val);
    else if (strcmp(opt, "--unit") == 0) d->unit = val;
    else if (strcmp(opt, "--marker") == 0) d->marker = val;
    else if (strcmp(opt, "--drain") == 0) d->drain_s = atoi(val);
    else if (strcmp(opt, "--etag") == 0) d->etag = val;
    else if (strcmp(opt, "--call-wait") == 0) d->call_wait_s = atoi(val);
    else return -1;
  }
  return i;
}

int main(int argc, char **argv)
{
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 3 && strcmp(argv[1], "json-len") == 0)
    return cmd_json_len(argv[2]);
  driver d = {.cfg = {.version = "net-driver"}};
  pthread_mutex_init(&d.wake.lock, NULL);
  pthread_cond_init(&d.wake.cond, NULL);
  d.cfg.wake = on_wake;
  d.cfg.wake_ctx = &d.wake;
  int first = parse_options(&d, argc, argv);
  if (first < 0 || first >= argc) {
    fprintf(stderr, "usage: see the comment at the top of net_driver.c\n");
    return 2;
  }
  lobby_err err = kiosk_net_start(&d.cfg, &d.net);
  if (err != LOBBY_OK) {
    fprintf(stderr, "net_driver: kiosk_net_start: %s\n", lobby_strerror(err));
    return 1;
  }
  int rc = run_command(&d, argc - first, argv + first);
  kiosk_net_stop(d.net);
  pthread_cond_destroy(&d.wake.cond);
  pthread_mutex_destroy(&d.wake.lock);
  return rc;
}
