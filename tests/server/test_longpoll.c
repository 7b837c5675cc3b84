/* Long-polls cost nothing when abandoned or idle (issue 11): a client that
 * hangs up while waiting frees its connection at once, one token holds at
 * most [limits] longpolls_per_token waiters, and a change wakes only the
 * waiters of what it changed, with one wake of the long-poll thread however
 * many keys it touched.  A real lobbyd; the waiting requests are raw
 * sockets so that the test can hang up without reading.
 *
 *   test_longpoll dropped|cap|wake|once */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

static test_server server;

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Starts lobbyd with [limits] longpolls_per_token = cap.  Every socket
 * here comes from 127.0.0.1, so the per-address connection cap is off. */
static int start_with_cap(int cap)
{
  memset(&server, 0, sizeof server);
  snprintf(server.ini, sizeof server.ini,
           "[limits]\nlongpolls_per_token = %d\nconnections_per_address = 0\n"
           "kiosk_submissions_per_minute = 100000\n", cap);
  return test_server_start(&server);
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

static int setup_no_cap(void **state)
{
  (void)state;
  return start_with_cap(0);
}

static int setup_default_cap(void **state)
{
  (void)state;
  return start_with_cap(4);
}

/* Sends one GET on a connection (a new one, or one kept alive). */
static void send_again(int fd, const char *path, const char *token, const char *etag)
{
  char req[512];
  int len = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "If-None-Match: %s\r\n\r\n", path, token, etag);
  assert_int_equal(write(fd, req, (size_t)len), len);
}

/* Opens a connection and sends one GET; returns the socket. */
static int send_get(const char *path, const char *token, const char *etag)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  send_again(fd, path, token, etag);
  return fd;
}

/* The status line's code of an answer arriving within ms, or 0. */
static int read_status(int fd, int ms)
{
  struct pollfd p = {.fd = fd, .events = POLLIN};
  if (poll(&p, 1, ms) != 1)
    return 0;
  char buf[1024];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  int status = 0;
  sscanf(buf, "HTTP/1.1 %d", &status);
  return status;
}

/* A series' value from /metrics (read from loopback, no token needed). */
static long long metric(const char *name)
{
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  char line[128];
  snprintf(line, sizeof line, "\n%s ", name);
  const char *at = strstr(r.body, line);
  long long v = at ? atoll(at + strlen(line)) : -1;
  test_response_free(&r);
  return v;
}

static long long waiting(void)
{
  return metric("lobbyd_longpoll_waiting");
}

static void wait_for_waiting(long long want)
{
  double give_up = now_ms() + 10000;
  while (waiting() != want && now_ms() < give_up)
    usleep(10000);
  assert_int_equal(waiting(), want);
}

static void feed_etag(const char *token, char etag[64])
{
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  snprintf(etag, 64, "%s", r.etag);
  test_response_free(&r);
}

#define DROPPED 500

/* 500 feed long-polls sent and closed at once: within 2 s lobbyd holds
 * none of them and /healthz answers.  Without the hang-up watch they
 * would wait out their 60 s. */
static void dropped_polls_are_freed(void **state)
{
  (void)state;
  char etag[64];
  feed_etag(server.kiosk_token, etag);
  static int fds[DROPPED];
  for (int i = 0; i < DROPPED; i++)
    fds[i] = send_get("/api/v1/feed?wait=60", server.kiosk_token, etag);
  wait_for_waiting(DROPPED);
  long long gone_before = metric("lobbyd_longpoll_gone_total");
  double closed_at = now_ms();
  for (int i = 0; i < DROPPED; i++)
    close(fds[i]);
  while (waiting() != 0 && now_ms() - closed_at < 2000)
    usleep(10000);
  assert_int_equal(waiting(), 0);
  assert_true(now_ms() - closed_at < 2000);
  assert_int_equal(metric("lobbyd_longpoll_gone_total") - gone_before, DROPPED);
  test_response h;
  assert_int_equal(test_http(&server, "GET", "/healthz", NULL, NULL, NULL, &h), 0);
  assert_int_equal(h.status, 200);
  assert_true(h.seconds < 1.0);
  test_response_free(&h);

  /* The attack's way: each closed right after it is sent, so most are
   * gone before lobbyd even suspends them. */
  for (int i = 0; i < DROPPED; i++)
    close(send_get("/api/v1/feed?wait=60", server.kiosk_token, etag));
  closed_at = now_ms();
  usleep(300000); /* let lobbyd read what it can of them */
  while (waiting() != 0 && now_ms() - closed_at < 2000)
    usleep(10000);
  assert_int_equal(waiting(), 0);
  assert_int_equal(test_http(&server, "GET", "/healthz", NULL, NULL, NULL, &h), 0);
  assert_int_equal(h.status, 200);
  test_response_free(&h);
}

/* Waits until lobbyd holds none, and checks that it saw between
 * gone_min and gone_max hang-ups. */
static void expect_freed(long long gone_before, long long gone_min, long long gone_max)
{
  double from = now_ms();
  while (waiting() != 0 && now_ms() - from < 2000)
    usleep(10000);
  assert_int_equal(waiting(), 0);
  assert_in_range(metric("lobbyd_longpoll_gone_total") - gone_before, gone_min, gone_max);
}

/* A socket stays in the hang-up watch after its wait ends, and its next
 * wait on the same connection re-arms it: a hang-up during that wait is
 * seen, and so is one sent right behind its request. */
static void a_kept_alive_connection_is_watched_again(void **state)
{
  (void)state;
  char etag[64];
  feed_etag(server.kiosk_token, etag);
  int fd = send_get("/api/v1/feed?wait=1", server.kiosk_token, etag);
  assert_int_equal(read_status(fd, 3000), 304);
  long long gone_before = metric("lobbyd_longpoll_gone_total");
  send_again(fd, "/api/v1/feed?wait=60", server.kiosk_token, etag);
  wait_for_waiting(1);
  close(fd);
  expect_freed(gone_before, 1, 1);

  fd = send_get("/api/v1/feed?wait=1", server.kiosk_token, etag);
  assert_int_equal(read_status(fd, 3000), 304);
  gone_before = metric("lobbyd_longpoll_gone_total");
  send_again(fd, "/api/v1/feed?wait=60", server.kiosk_token, etag);
  assert_int_equal(shutdown(fd, SHUT_WR), 0);
  /* On a busy machine libmicrohttpd may read the hang-up together with
   * the request and end the connection itself (no hang-up counted here);
   * either way it must not wait out its 60 s. */
  expect_freed(gone_before, 0, 1);
  close(fd);
}

/* The 5th long-poll of one token answers the token's oldest at once (304,
 * as if its wait ended); the other four keep waiting. */
static void fifth_poll_ends_the_oldest(void **state)
{
  (void)state;
  char etag[64];
  feed_etag(server.kiosk_token, etag);
  int fds[5];
  for (int i = 0; i < 4; i++) {
    fds[i] = send_get("/api/v1/feed?wait=60", server.kiosk_token, etag);
    wait_for_waiting(i + 1); /* in order: fds[0] is the oldest */
  }
  fds[4] = send_get("/api/v1/feed?wait=60", server.kiosk_token, etag);
  assert_int_equal(read_status(fds[0], 2000), 304);
  for (int i = 1; i < 5; i++)
    assert_int_equal(read_status(fds[i], 200), 0);
  assert_int_equal(waiting(), 4);
  /* Another token is not limited by this one's waiters. */
  char other[64], other_etag[64];
  assert_int_equal(test_kiosk(&server, "lobby-2", "1", "east", other), 0);
  feed_etag(other, other_etag);
  int fd = send_get("/api/v1/feed?wait=60", other, other_etag);
  wait_for_waiting(5);
  for (int i = 1; i < 5; i++)
    assert_int_equal(read_status(fds[i], 100), 0);
  close(fd);
  for (int i = 0; i < 5; i++)
    close(fds[i]);
  wait_for_waiting(0);
}

#define VISIT_WAITERS 200
#define VISIT_BODY                                                               \
  "{\"name\":\"李四\",\"phone\":\"13900001111\",\"host\":\"1-2-301\","           \
  "\"purpose\":\"family\",\"party_size\":2,\"plate\":\"京A12345\"}"
#define REPAIR_BODY                                                                 \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\"," \
  "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","           \
  "\"urgency\":\"normal\",\"description\":\"厨房水龙头漏水\"}"

/* One visit registered at the kiosk (building 1 approves at once). */
static void register_visit(int i, char id[32], char code[16], char etag[64])
{
  char key[64];
  snprintf(key, sizeof key, "Idempotency-Key: lpoll-visit-%d", i);
  const char *h[] = {key, NULL};
  test_response r;
  assert_int_equal(
    test_http(&server, "POST", "/api/v1/visits", server.kiosk_token, VISIT_BODY, h, &r), 0);
  assert_int_equal(r.status, 201);
  snprintf(id, 32, "%s", json_string_value(json_object_get(r.json, "id")));
  snprintf(code, 16, "%s", json_string_value(json_object_get(r.json, "pass_code")));
  snprintf(etag, 64, "\"%s\"", json_string_value(json_object_get(r.json, "state")));
  test_response_free(&r);
}

/* With 200 visit long-polls waiting, a repair asks none of them whether
 * it changed; signing one visit out asks only its own waiter, which gets
 * the new status. */
static void a_change_wakes_only_its_waiters(void **state)
{
  (void)state;
  static char ids[VISIT_WAITERS][32], codes[VISIT_WAITERS][16];
  static int fds[VISIT_WAITERS];
  for (int i = 0; i < VISIT_WAITERS; i++) {
    char etag[64], path[96];
    register_visit(i, ids[i], codes[i], etag);
    assert_string_equal(etag, "\"approved\"");
    snprintf(path, sizeof path, "/api/v1/visits/%s/status?wait=60", ids[i]);
    fds[i] = send_get(path, server.kiosk_token, etag);
  }
  wait_for_waiting(VISIT_WAITERS);

  long long checks = metric("lobbyd_longpoll_checks_total");
  assert_true(checks >= 0);
  const char *h[] = {"Idempotency-Key: lpoll-repair-1", NULL};
  test_response r;
  assert_int_equal(
    test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY, h, &r), 0);
  assert_int_equal(r.status, 201);
  test_response_free(&r);
  usleep(200000); /* what the long-poll thread would do, it has done by now */
  assert_int_equal(metric("lobbyd_longpoll_checks_total"), checks);
  assert_int_equal(waiting(), VISIT_WAITERS);

  char body[64];
  snprintf(body, sizeof body, "{\"pass_code\":\"%s\"}", codes[7]);
  assert_int_equal(
    test_http(&server, "POST", "/api/v1/visits/checkout", server.kiosk_token, body, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  test_response_free(&r);
  assert_int_equal(read_status(fds[7], 2000), 200);
  wait_for_waiting(VISIT_WAITERS - 1);
  assert_int_equal(metric("lobbyd_longpoll_checks_total"), checks + 1);
  for (int i = 0; i < VISIT_WAITERS; i++) {
    if (i != 7)
      assert_int_equal(read_status(fds[i], 0), 0);
    close(fds[i]);
  }
  wait_for_waiting(0);
}

#define NOTICE_BODY "{\"title\":\"停水通知\",\"body\":\"11月28日9:00-12:00停水\"}"

/* Posting a notice changes the kiosks' feed and the console's notices:
 * with a kiosk waiting on its feed and a console on its events, the post
 * wakes the long-poll thread exactly once, each waiter is asked once and
 * both get their answer.  With nobody waiting, a post wakes nothing. */
static void a_post_wakes_each_waiter_once(void **state)
{
  (void)state;
  char etag[64], path[96];
  feed_etag(server.kiosk_token, etag);
  json_t *events = test_admin(&server, "GET", "/api/v1/events", NULL, 200);
  snprintf(path, sizeof path, "/api/v1/events?since=%lld&wait=60",
           (long long)json_integer_value(json_object_get(events, "seq")));
  json_decref(events);
  int feed_fd = send_get("/api/v1/feed?wait=60", server.kiosk_token, etag);
  int events_fd = send_get(path, server.admin_token, "-");
  wait_for_waiting(2);

  long long wakes = metric("lobbyd_longpoll_wakes_total");
  long long checks = metric("lobbyd_longpoll_checks_total");
  assert_true(wakes >= 0 && checks >= 0);
  json_decref(test_admin(&server, "POST", "/api/v1/notices", NOTICE_BODY, 201));
  assert_int_equal(read_status(feed_fd, 2000), 200);
  assert_int_equal(read_status(events_fd, 2000), 200);
  wait_for_waiting(0);
  assert_int_equal(metric("lobbyd_longpoll_wakes_total") - wakes, 1);
  assert_int_equal(metric("lobbyd_longpoll_checks_total") - checks, 2);
  close(feed_fd);
  close(events_fd);

  json_decref(test_admin(&server, "POST", "/api/v1/notices", NOTICE_BODY, 201));
  usleep(200000);
  assert_int_equal(metric("lobbyd_longpoll_wakes_total") - wakes, 1);
  assert_int_equal(metric("lobbyd_longpoll_checks_total") - checks, 2);
}

int main(int argc, char **argv)
{
  const char *which = argc > 1 ? argv[1] : "";
  if (strcmp(which, "dropped") == 0) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(dropped_polls_are_freed),
                                       cmocka_unit_test(a_kept_alive_connection_is_watched_again)};
    return cmocka_run_group_tests(tests, setup_no_cap, teardown);
  }
  if (strcmp(which, "cap") == 0) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(fifth_poll_ends_the_oldest)};
    return cmocka_run_group_tests(tests, setup_default_cap, teardown);
  }
  if (strcmp(which, "wake") == 0) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(a_change_wakes_only_its_waiters)};
    return cmocka_run_group_tests(tests, setup_no_cap, teardown);
  }
  if (strcmp(which, "once") == 0) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(a_post_wakes_each_waiter_once)};
    return cmocka_run_group_tests(tests, setup_no_cap, teardown);
  }
  fprintf(stderr, "usage: test_longpoll dropped|cap|wake|once\n");
  return 2;
}
