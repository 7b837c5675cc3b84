/* A technician's day on one ticket (issue 15): take the job (接单) or hand
 * it back with a reason (退单), then finish it with up to three photos.
 * A real lobbyd (SQLite, or PostgreSQL under with_postgres.sh) and real
 * pictures made with libgd: the kept JPEG is scaled, turned upright as
 * its EXIF says and flattened onto white; hostile uploads are refused
 * before decoding, and a refused upload leaves no file behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_server.h"

static test_server server;
static char desk[64], tech[64], other_tech[64];

static const char *str(json_t *j, const char *key)
{
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static json_t *call(const char *method, const char *path, const char *token, const char *body,
                    long status)
{
  static unsigned counter;
  char key[80];
  snprintf(key, sizeof key, "Idempotency-Key: photos-%ld-%u", (long)getpid(), ++counter);
  const char *headers[] = {key, NULL};
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, headers, &r), 0);
  if (r.status != status)
    fprintf(stderr, "%s %s: %ld %s\n", method, path, r.status, r.body);
  assert_int_equal(r.status, status);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

static void event(const char *ticket, const char *token, const char *body, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  json_decref(call("POST", path, token, body, status));
}

/* A dispatched ticket: filed by the desk, accepted, sent to 李师傅. */
static void dispatched_ticket(char ticket[32])
{
  json_t *j = call("POST", "/api/v1/repairs", desk,
                   "{\"unit\":{\"building\":\"1\",\"unit\":\"1\",\"room\":\"301\"},\"name\":\"张三\","
                   "\"phone\":\"13800001111\",\"category\":\"water\",\"kind\":\"in_unit\","
                   "\"urgency\":\"normal\",\"description\":\"厨房漏水\",\"source\":\"phone\"}", 201);
  snprintf(ticket, 32, "%s", str(j, "ticket"));
  json_decref(j);
  event(ticket, desk, "{\"event\":\"accept\"}", 200);
  event(ticket, desk, "{\"event\":\"dispatch\",\"technician\":\"李师傅\"}", 200);
}

static json_t *ticket_as(const char *ticket, const char *token, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s", ticket);
  return call("GET", path, token, NULL, status);
}

static int setup(void **state)
{
  (void)state;
  memset(&server, 0, sizeof server);
  if (test_server_start(&server) != 0 || test_staff(&server, "前台小周", "front_desk", desk) != 0 ||
      test_staff(&server, "李师傅", "technician", tech) != 0 ||
      test_staff(&server, "赵师傅", "technician", other_tech) != 0)
    return -1;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

static void technician_takes_the_job(void **state)
{
  (void)state;
  char ticket[32];
  dispatched_ticket(ticket);
  json_t *t = ticket_as(ticket, tech, 200);
  assert_true(json_is_null(json_object_get(t, "taken_at")));
  json_decref(t);
  event(ticket, other_tech, "{\"event\":\"take\"}", 404); /* not theirs */
  event(ticket, tech, "{\"event\":\"take\"}", 200);
  t = ticket_as(ticket, desk, 200);
  assert_string_equal(str(t, "status"), "dispatched");
  assert_string_equal(str(t, "technician"), "李师傅");
  assert_true(json_is_string(json_object_get(t, "taken_at")));
  json_t *timeline = json_object_get(t, "timeline");
  json_t *last = json_array_get(timeline, json_array_size(timeline) - 1);
  assert_string_equal(str(last, "event"), "take");
  assert_string_equal(str(last, "by"), "李师傅");
  json_decref(t);
  event(ticket, tech, "{\"event\":\"take\"}", 200);       /* taking it again changes nothing */
  event(ticket, tech, "{\"event\":\"on_site\"}", 200);
  event(ticket, tech, "{\"event\":\"take\"}", 409);       /* on site: nothing to take */
  event(ticket, tech, "{\"event\":\"decline\",\"reason\":\"x\"}", 409);
}

static void technician_declines_with_a_reason(void **state)
{
  (void)state;
  char ticket[32];
  dispatched_ticket(ticket);
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
  json_t *e = call("POST", path, tech, "{\"event\":\"decline\"}", 400);
  assert_string_equal(str(json_object_get(e, "error"), "field"), "reason");
  json_decref(e);
  event(ticket, tech, "{\"event\":\"take\"}", 200);
  event(ticket, tech, "{\"event\":\"decline\",\"reason\":\"需要电工证，我没有\"}", 200);
  json_t *t = ticket_as(ticket, desk, 200);
  assert_string_equal(str(t, "status"), "accepted");
  assert_true(json_is_null(json_object_get(t, "technician")));
  assert_true(json_is_null(json_object_get(t, "taken_at")));
  json_t *timeline = json_object_get(t, "timeline");
  json_t *last = json_array_get(timeline, json_array_size(timeline) - 1);
  assert_string_equal(str(last, "event"), "decline");
  assert_string_equal(str(last, "reason"), "需要电工证，我没有");
  json_decref(t);
  json_decref(ticket_as(ticket, tech, 404)); /* handed back: no longer theirs */
  event(ticket, desk, "{\"event\":\"dispatch\",\"technician\":\"赵师傅\"}", 200);
  event(ticket, other_tech, "{\"event\":\"take\"}", 200);
}

/* ---- pictures ------------------------------------------------------ */

typedef struct {
  uint8_t *data;
  size_t len;
} picture;

/* w × h, the left half red and the right half blue (fully transparent
 * when alpha), as JPEG or PNG. */
static picture draw(int w, int h, bool png, bool alpha)
{
  gdImagePtr im = gdImageCreateTrueColor(w, h);
  gdImageAlphaBlending(im, 0);
  gdImageSaveAlpha(im, 1);
  int a = alpha ? gdAlphaTransparent : 0;
  gdImageFilledRectangle(im, 0, 0, w / 2 - 1, h - 1, gdTrueColorAlpha(220, 20, 20, a));
  gdImageFilledRectangle(im, w / 2, 0, w - 1, h - 1, gdTrueColorAlpha(20, 20, 220, a));
  int size = 0;
  void *bytes = png ? gdImagePngPtr(im, &size) : gdImageJpegPtr(im, &size, 90);
  gdImageDestroy(im);
  picture p = {malloc((size_t)size), (size_t)size};
  memcpy(p.data, bytes, (size_t)size);
  gdFree(bytes);
  return p;
}

/* The JPEG with an APP1 Exif segment saying orientation 6 (turn 90°
 * clockwise to show), as a phone held upright writes it. */
static picture with_orientation_6(picture jpeg)
{
  static const uint8_t app1[] = {
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,  /* TIFF, IFD0 at 8 */
    0x00, 0x01,                                   /* one entry */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00};                      /* no next IFD */
  picture p = {malloc(jpeg.len + sizeof app1), jpeg.len + sizeof app1};
  memcpy(p.data, jpeg.data, 2);
  memcpy(p.data + 2, app1, sizeof app1);
  memcpy(p.data + 2 + sizeof app1, jpeg.data + 2, jpeg.len - 2);
  free(jpeg.data);
  return p;
}

static json_t *upload(const char *ticket, const char *token, const char *type, const void *data,
                      size_t len, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/repairs/%s/photos", ticket);
  test_response r;
  assert_int_equal(test_http_bytes(&server, "POST", path, token, type, data, len, NULL, &r), 0);
  if (r.status != status)
    fprintf(stderr, "POST %s: %ld %s\n", path, r.status, r.body);
  assert_int_equal(r.status, status);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

static const char *error_code(json_t *j)
{
  return str(json_object_get(j, "error"), "code");
}

/* The kept picture, fetched as token sees it. */
static gdImagePtr fetch_photo(const char *ticket, json_int_t id, const char *token, long status)
{
  char path[128];
  snprintf(path, sizeof path, "/api/v1/repairs/%s/photos/%lld", ticket, (long long)id);
  test_response r;
  assert_int_equal(test_http(&server, "GET", path, token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, status);
  gdImagePtr im = NULL;
  if (status == 200) {
    assert_non_null(strstr(r.headers, "Content-Type: image/jpeg"));
    assert_non_null(strstr(r.headers, "X-Content-Type-Options: nosniff"));
    /* No metadata kept: no Exif segment in what lobbyd wrote. */
    for (size_t i = 0; i + 4 <= r.len; i++)
      assert_false(memcmp(r.body + i, "Exif", 4) == 0);
    im = gdImageCreateFromJpegPtr((int)r.len, r.body);
    assert_non_null(im);
  }
  test_response_free(&r);
  return im;
}

static bool near(int color, int r, int g, int b)
{
  return abs(gdTrueColorGetRed(color) - r) < 40 && abs(gdTrueColorGetGreen(color) - g) < 40 &&
         abs(gdTrueColorGetBlue(color) - b) < 40;
}

static int files_in_photo_dir(void)
{
  char dir[256];
  snprintf(dir, sizeof dir, "%s/photos", server.dir);
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

static void photos_are_refused_before_the_work_is_done(void **state)
{
  (void)state;
  char ticket[32];
  dispatched_ticket(ticket);
  picture p = draw(64, 48, false, false);
  json_t *e = upload(ticket, tech, "image/jpeg", p.data, p.len, 409);
  assert_string_equal(error_code(e), "invalid_transition");
  json_decref(e);
  e = upload(ticket, server.kiosk_token, "image/jpeg", p.data, p.len, 403);
  json_decref(e);
  free(p.data);
}

static void hostile_uploads_are_refused(void **state)
{
  (void)state;
  char ticket[32];
  dispatched_ticket(ticket);
  event(ticket, tech, "{\"event\":\"on_site\"}", 200);
  int files_before = files_in_photo_dir();
  json_t *e = upload(ticket, tech, "text/plain", "hello", 5, 415);
  assert_string_equal(error_code(e), "unsupported_media_type");
  assert_string_equal(str(json_object_get(e, "error"), "field"), "photo");
  json_decref(e);
  /* A PNG whose header claims 50,000 × 50,000 pixels: refused unread. */
  picture small = draw(16, 16, true, false);
  small.data[16] = 0; small.data[17] = 0; small.data[18] = 0xc3; small.data[19] = 0x50;
  small.data[20] = 0; small.data[21] = 0; small.data[22] = 0xc3; small.data[23] = 0x50;
  e = upload(ticket, tech, "image/png", small.data, small.len, 413);
  assert_string_equal(error_code(e), "image_too_large");
  json_decref(e);
  free(small.data);
  /* A JPEG cut short. */
  picture cut = draw(400, 300, false, false);
  e = upload(ticket, tech, "image/jpeg", cut.data, cut.len / 2, 400);
  assert_string_equal(error_code(e), "invalid_image");
  json_decref(e);
  free(cut.data);
  /* 7 MB: too big to buffer for no one, allowed to staff (and then not a
   * picture). */
  size_t big = 7u * 1024 * 1024;
  uint8_t *junk = calloc(1, big);
  junk[0] = 0xff; junk[1] = 0xd8; junk[2] = 0xff;
  e = upload(ticket, NULL, "image/jpeg", junk, big, 413);
  json_decref(e);
  e = upload(ticket, tech, "image/jpeg", junk, big, 400);
  assert_string_equal(error_code(e), "invalid_image");
  json_decref(e);
  free(junk);
  e = upload(ticket, other_tech, "image/jpeg", "\xff\xd8\xff", 3, 400);
  json_decref(e);
  assert_int_equal(files_in_photo_dir(), files_before);
}

static void three_photos_scaled_upright_and_seen_by_the_desk(void **state)
{
  (void)state;
  char ticket[32];
  dispatched_ticket(ticket);
  event(ticket, tech, "{\"event\":\"take\"}", 200);
  event(ticket, tech, "{\"event\":\"on_site\"}", 200);
  int files_before = files_in_photo_dir();

  /* 2400 × 1200: kept at 1600 × 800, the red half still on the left. */
  picture wide = draw(2400, 1200, false, false);
  json_t *first = upload(ticket, tech, "image/jpeg", wide.data, wide.len, 201);
  assert_int_equal(json_integer_value(json_object_get(first, "width")), 1600);
  assert_int_equal(json_integer_value(json_object_get(first, "height")), 800);
  json_int_t first_id = json_integer_value(json_object_get(first, "id"));
  /* The same upload again (a retry): the same photo, nothing added. */
  json_t *again = upload(ticket, tech, "image/jpeg", wide.data, wide.len, 200);
  assert_int_equal(json_integer_value(json_object_get(again, "id")), first_id);
  json_decref(again);
  json_decref(first);
  free(wide.data);
  gdImagePtr im = fetch_photo(ticket, first_id, desk, 200);
  assert_int_equal(gdImageSX(im), 1600);
  assert_int_equal(gdImageSY(im), 800);
  assert_true(near(gdImageGetTrueColorPixel(im, 100, 400), 220, 20, 20));
  assert_true(near(gdImageGetTrueColorPixel(im, 1500, 400), 20, 20, 220));
  gdImageDestroy(im);

  /* 300 × 200 stored sideways with orientation 6: kept 200 × 300, the
   * stored left (red) now on top. */
  picture turned = with_orientation_6(draw(300, 200, false, false));
  json_t *second = upload(ticket, tech, "image/jpeg", turned.data, turned.len, 201);
  assert_int_equal(json_integer_value(json_object_get(second, "width")), 200);
  assert_int_equal(json_integer_value(json_object_get(second, "height")), 300);
  im = fetch_photo(ticket, json_integer_value(json_object_get(second, "id")), tech, 200);
  assert_true(near(gdImageGetTrueColorPixel(im, 100, 30), 220, 20, 20));
  assert_true(near(gdImageGetTrueColorPixel(im, 100, 270), 20, 20, 220));
  gdImageDestroy(im);
  json_decref(second);
  free(turned.data);

  /* A transparent PNG: kept as a JPEG on white. */
  picture clear = draw(120, 80, true, true);
  json_t *third = upload(ticket, tech, "image/png", clear.data, clear.len, 201);
  im = fetch_photo(ticket, json_integer_value(json_object_get(third, "id")), desk, 200);
  assert_true(near(gdImageGetTrueColorPixel(im, 60, 40), 255, 255, 255));
  gdImageDestroy(im);
  /* Another technician sees neither the ticket nor its photos. */
  gdImagePtr none = fetch_photo(ticket, json_integer_value(json_object_get(third, "id")), other_tech, 404);
  assert_null(none);
  json_decref(third);
  free(clear.data);

  picture fourth = draw(64, 64, false, false);
  json_t *e = upload(ticket, tech, "image/jpeg", fourth.data, fourth.len, 409);
  assert_string_equal(error_code(e), "too_many_photos");
  json_decref(e);
  free(fourth.data);
  assert_int_equal(files_in_photo_dir(), files_before + 3);

  event(ticket, tech, "{\"event\":\"complete\",\"note\":\"换了阀门\"}", 200);
  json_t *t = ticket_as(ticket, desk, 200);
  assert_string_equal(str(t, "status"), "completed");
  json_t *photos = json_object_get(t, "photos");
  assert_int_equal(json_array_size(photos), 3);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(photos, 0), "id")), first_id);
  assert_string_equal(str(json_array_get(photos, 0), "by"), "李师傅");
  json_decref(t);
  /* The list says how many each ticket has. */
  json_t *list = call("GET", "/api/v1/repairs?q=13800001111&limit=200", desk, NULL, 200);
  size_t i;
  json_t *row;
  bool seen = false;
  json_array_foreach(json_object_get(list, "repairs"), i, row) {
    if (strcmp(str(row, "ticket"), ticket) == 0) {
      assert_int_equal(json_integer_value(json_object_get(row, "photo_count")), 3);
      seen = true;
    }
  }
  assert_true(seen);
  json_decref(list);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(technician_takes_the_job),
    cmocka_unit_test(technician_declines_with_a_reason),
    cmocka_unit_test(photos_are_refused_before_the_work_is_done),
    cmocka_unit_test(hostile_uploads_are_refused),
    cmocka_unit_test(three_photos_scaled_upright_and_seen_by_the_desk),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
