#define _GNU_SOURCE /* strcasestr */
/* Remote screenshots through a real lobbyd (SQLite, or PostgreSQL under
 * with_postgres.sh): the desk asks for kiosk lobby-1's screen, the
 * kiosk's feed long-poll is woken and carries the request, the kiosk
 * sends a PNG, the desk reads its state and the very bytes back; what is
 * refused (other roles, another site's desk, another kiosk, not a PNG,
 * too big) and that everything is gone after [screenshots] keep_seconds.
 * The kiosk's side, its capture and the privacy blanking, is
 * tests/kiosk/e2e/screenshot.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

#define KEEP_S 5
#define ANSWER_S 3

static test_server server;
static char desk[64], tech[64], north_kiosk[64], north_desk[64];

static const char *str(const json_t *j, const char *key)
{
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static json_t *call(const char *method, const char *path, const char *token, long status)
{
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, NULL, NULL, &r), 0);
  if (r.status != status)
    fprintf(stderr, "%s %s: %ld %s\n", method, path, r.status, r.body);
  assert_int_equal(r.status, status);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

static int setup(void **state)
{
  (void)state;
  memset(&server, 0, sizeof server);
  snprintf(server.ini, sizeof server.ini,
           "[limits]\nkiosk_submissions_per_minute = 100000\n[screenshots]\nkeep_seconds = %d\n"
           "answer_seconds = %d\n",
           KEEP_S, ANSWER_S);
  if (test_server_start(&server) != 0 || test_staff(&server, "前台小周", "front_desk", desk) != 0 ||
      test_staff(&server, "李师傅", "technician", tech) != 0)
    return -1;
  json_decref(test_admin(&server, "POST", "/api/v1/sites", "{\"code\":\"north\",\"name\":\"北苑\"}", 201));
  json_decref(test_admin(&server, "PUT", "/api/v1/directory?site=north",
                         "{\"buildings\":[{\"code\":\"N1\",\"name\":\"北1栋\",\"units\":"
                         "[{\"code\":\"1\",\"rooms\":[\"101\"]}]}]}", 200));
  json_t *d = test_admin(&server, "POST", "/api/v1/staff",
                         "{\"name\":\"北苑前台\",\"role\":\"front_desk\",\"sites\":[\"north\"]}", 201);
  if (!d || test_kiosk(&server, "north-1", "N1", "", north_kiosk) != 0)
    return -1;
  snprintf(north_desk, sizeof north_desk, "%s", str(d, "token"));
  json_decref(d);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

typedef struct {
  uint8_t *data;
  size_t len;
} picture;

static picture draw_png(int w, int h)
{
  gdImagePtr im = gdImageCreateTrueColor(w, h);
  gdImageFilledRectangle(im, 0, 0, w - 1, h - 1, gdTrueColor(30, 120, 200));
  int size = 0;
  void *bytes = gdImagePngPtr(im, &size);
  gdImageDestroy(im);
  picture p = {malloc((size_t)size), (size_t)size};
  memcpy(p.data, bytes, (size_t)size);
  gdFree(bytes);
  return p;
}

static long upload(const char *id, const char *token, const char *type, const void *data,
                   size_t len, test_response *out)
{
  char path[128];
  snprintf(path, sizeof path, "/api/v1/screenshots/%s?blanked=2", id);
  assert_int_equal(test_http_bytes(&server, "PUT", path, token, type, data, len, NULL, out), 0);
  return out->status;
}

static long upload_status(const char *id, const char *token, const char *type, const void *data,
                          size_t len)
{
  test_response r;
  long status = upload(id, token, type, data, len, &r);
  test_response_free(&r);
  return status;
}

/* The request id a feed answer carries, or "". */
static void shot_header(const test_response *r, char out[40])
{
  const char *h = strcasestr(r->headers, "\nLobby-Screenshot: ");
  out[0] = '\0';
  if (h)
    sscanf(h + strlen("\nLobby-Screenshot: "), "%32[0-9a-f]", out);
}

static void feed_etag(char etag[64])
{
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", server.kiosk_token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  snprintf(etag, 64, "%s", r.etag);
  test_response_free(&r);
}

typedef struct {
  char path[128];
  char etag[64];
  test_response r;
} feed_poll;

static void *poll_feed(void *arg)
{
  feed_poll *p = arg;
  char inm[96];
  snprintf(inm, sizeof inm, "If-None-Match: %s", p->etag);
  const char *const headers[] = {inm, NULL};
  test_http(&server, "GET", p->path, server.kiosk_token, NULL, headers, &p->r);
  return NULL;
}

static void poll_now(const char *shot, int wait_s, test_response *out)
{
  feed_poll p;
  feed_etag(p.etag);
  snprintf(p.path, sizeof p.path, "/api/v1/feed?wait=%d&shot=%s", wait_s, shot);
  poll_feed(&p);
  *out = p.r;
}

static void a_screenshot_goes_round_the_long_poll(void **state)
{
  (void)state;
  /* The kiosk waits first; the desk's request wakes it at once. */
  feed_poll p;
  feed_etag(p.etag);
  snprintf(p.path, sizeof p.path, "/api/v1/feed?wait=30&shot=0");
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, poll_feed, &p), 0);
  usleep(500 * 1000);
  json_t *asked = call("POST", "/api/v1/kiosks/lobby-1/screenshot", desk, 202);
  assert_string_equal(str(asked, "state"), "pending");
  char id[40];
  snprintf(id, sizeof id, "%s", str(asked, "request_id"));
  assert_int_equal(strlen(id), 32);
  pthread_join(t, NULL);
  char carried[40];
  shot_header(&p.r, carried);
  assert_true(p.r.seconds < 5);
  assert_string_equal(carried, id);
  test_response_free(&p.r);

  /* Asked again while pending: the same request, not a second one. */
  json_t *again = call("POST", "/api/v1/kiosks/lobby-1/screenshot", desk, 202);
  assert_string_equal(str(again, "request_id"), id);
  json_decref(again);
  /* A kiosk that answered it waits as before; one that says nothing of
   * screenshots is never told. */
  test_response r;
  poll_now(id, 1, &r);
  shot_header(&r, carried);
  assert_int_equal(r.status, 304);
  assert_string_equal(carried, "");
  test_response_free(&r);

  picture png = draw_png(120, 90);
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 200);
  /* Answered: no longer pending, so not answered twice. */
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 404);
  json_t *got = call("GET", "/api/v1/kiosks/lobby-1/screenshot", desk, 200);
  assert_string_equal(str(got, "state"), "ready");
  assert_int_equal(json_integer_value(json_object_get(got, "width")), 120);
  assert_int_equal(json_integer_value(json_object_get(got, "blanked")), 2);
  assert_string_equal(str(got, "image"), "/api/v1/kiosks/lobby-1/screenshot.png");
  assert_true(json_is_string(json_object_get(got, "taken_at")));
  assert_true(json_is_string(json_object_get(got, "expires_at")));
  test_response img;
  assert_int_equal(test_http(&server, "GET", "/api/v1/kiosks/lobby-1/screenshot.png", desk, NULL,
                             NULL, &img), 0);
  assert_int_equal(img.status, 200);
  assert_int_equal(img.len, png.len);
  assert_memory_equal(img.body, png.data, png.len);
  assert_non_null(strcasestr(img.headers, "Content-Type: image/png"));
  test_response_free(&img);
  free(png.data);
  json_decref(got);
  json_decref(asked);
}

static void only_staff_and_the_kiosk_asked(void **state)
{
  (void)state;
  json_decref(call("POST", "/api/v1/kiosks/lobby-1/screenshot", tech, 403));
  json_decref(call("POST", "/api/v1/kiosks/lobby-1/screenshot", server.kiosk_token, 403));
  json_decref(call("POST", "/api/v1/kiosks/lobby-1/screenshot", north_desk, 404));
  json_decref(call("POST", "/api/v1/kiosks/nobody/screenshot", desk, 404));
  json_t *asked = call("POST", "/api/v1/kiosks/north-1/screenshot", north_desk, 202);
  const char *id = str(asked, "request_id");
  json_decref(call("GET", "/api/v1/kiosks/north-1/screenshot", tech, 403));
  json_decref(call("GET", "/api/v1/kiosks/north-1/screenshot.png", north_desk, 404));
  picture png = draw_png(64, 48);
  /* lobby-1 cannot answer north-1's request. */
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 404);
  assert_int_equal(upload_status("00000000000000000000000000000000", north_kiosk, "image/png",
                                 png.data, png.len), 404);
  assert_int_equal(upload_status(id, desk, "image/png", png.data, png.len), 403);
  /* Not a PNG, too big, a screen no kiosk has. */
  test_response r;
  assert_int_equal(upload(id, north_kiosk, "image/jpeg", "GIF89a....", 10, &r), 415);
  assert_string_equal(str(json_object_get(r.json, "error"), "code"), "unsupported_media_type");
  test_response_free(&r);
  size_t big_len = 5u * 1024 * 1024;
  uint8_t *big = calloc(1, big_len);
  memcpy(big, png.data, png.len);
  assert_int_equal(upload_status(id, north_kiosk, "image/png", big, big_len), 413);
  free(big);
  picture huge = draw_png(5000, 10);
  assert_int_equal(upload(id, north_kiosk, "image/png", huge.data, huge.len, &r), 413);
  assert_string_equal(str(json_object_get(r.json, "error"), "code"), "image_too_large");
  test_response_free(&r);
  free(huge.data);
  /* Refused uploads left the request pending; the right one is taken. */
  assert_int_equal(upload_status(id, north_kiosk, "image/png", png.data, png.len), 200);
  json_decref(call("GET", "/api/v1/kiosks/lobby-1/screenshot", north_desk, 404));
  json_decref(call("GET", "/api/v1/kiosks/north-1/screenshot.png", north_desk, 200));
  free(png.data);
  json_decref(asked);
}

/* Under PostgreSQL, two instances on one database: the kiosk waits on
 * one, the desk asks on the other and fetches the picture there too. */
static void instances_share_requests(void **state)
{
  (void)state;
  if (!getenv("LOBBY_TEST_PG"))
    skip();
  test_server peer;
  assert_int_equal(test_server_start_peer(&server, &peer), 0);
  feed_poll p;
  feed_etag(p.etag);
  snprintf(p.path, sizeof p.path, "/api/v1/feed?wait=30&shot=0");
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, poll_feed, &p), 0);
  usleep(500 * 1000);
  test_response r;
  assert_int_equal(test_http(&peer, "POST", "/api/v1/kiosks/lobby-1/screenshot", desk, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 202);
  char id[40];
  snprintf(id, sizeof id, "%s", str(r.json, "request_id"));
  test_response_free(&r);
  pthread_join(t, NULL);
  char carried[40];
  shot_header(&p.r, carried);
  assert_true(p.r.seconds < 5);
  assert_string_equal(carried, id);
  test_response_free(&p.r);
  picture png = draw_png(40, 30);
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 200);
  assert_int_equal(test_http(&peer, "GET", "/api/v1/kiosks/lobby-1/screenshot.png", desk, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  assert_int_equal(r.len, png.len);
  test_response_free(&r);
  free(png.data);
  assert_int_equal(test_server_stop(&peer), 0);
}

/* The kiosk's upload failed (or it went away): asked again once the
 * request has gone unanswered for answer_seconds, the desk gets a new
 * request, and the kiosk, which answered the old one, is told of it. */
static void a_lost_request_is_made_anew(void **state)
{
  (void)state;
  json_t *asked = call("POST", "/api/v1/kiosks/lobby-1/screenshot", desk, 202);
  char lost[40];
  snprintf(lost, sizeof lost, "%s", str(asked, "request_id"));
  json_decref(asked);
  sleep(ANSWER_S + 1);
  asked = call("POST", "/api/v1/kiosks/lobby-1/screenshot", desk, 202);
  char id[40];
  snprintf(id, sizeof id, "%s", str(asked, "request_id"));
  json_decref(asked);
  assert_string_not_equal(id, lost);
  test_response r;
  poll_now(lost, 1, &r);
  char carried[40];
  shot_header(&r, carried);
  assert_string_equal(carried, id);
  test_response_free(&r);
  picture png = draw_png(32, 32);
  assert_int_equal(upload_status(lost, server.kiosk_token, "image/png", png.data, png.len), 404);
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 200);
  free(png.data);
}

static void screenshots_expire(void **state)
{
  (void)state;
  json_t *asked = call("POST", "/api/v1/kiosks/lobby-1/screenshot", desk, 202);
  char id[40];
  snprintf(id, sizeof id, "%s", str(asked, "request_id"));
  json_decref(asked);
  picture png = draw_png(32, 32);
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 200);
  json_decref(call("GET", "/api/v1/kiosks/lobby-1/screenshot.png", desk, 200));
  sleep(KEEP_S + 2);
  json_decref(call("GET", "/api/v1/kiosks/lobby-1/screenshot", desk, 404));
  json_decref(call("GET", "/api/v1/kiosks/lobby-1/screenshot.png", desk, 404));
  /* A request the kiosk never answered lapses too. */
  asked = call("POST", "/api/v1/kiosks/lobby-1/screenshot", desk, 202);
  snprintf(id, sizeof id, "%s", str(asked, "request_id"));
  json_decref(asked);
  sleep(KEEP_S + 2);
  test_response r;
  poll_now("0", 1, &r);
  char carried[40];
  shot_header(&r, carried);
  assert_string_equal(carried, "");
  test_response_free(&r);
  assert_int_equal(upload_status(id, server.kiosk_token, "image/png", png.data, png.len), 404);
  free(png.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_screenshot_goes_round_the_long_poll),
    cmocka_unit_test(only_staff_and_the_kiosk_asked),
    cmocka_unit_test(instances_share_requests),
    cmocka_unit_test(a_lost_request_is_made_anew),
    cmocka_unit_test(screenshots_expire),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
