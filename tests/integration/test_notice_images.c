/* Picture notices (posters): the office puts one JPEG or PNG on a notice,
 * lobbyd keeps it upright, at most 1920 pixels a side, as a JPEG without
 * metadata, lists it in the kiosks' feed with its ETag and size, and
 * serves it to the kiosks that show the notice.  A real lobbyd (SQLite,
 * or PostgreSQL under with_postgres.sh), real HTTP and pictures drawn
 * with libgd.  Two sites: "main" with the demo directory and kiosk
 * lobby-1, "north" with building N1 and kiosk north-1. */
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
static char desk[64], tech[64], north_kiosk[64], north_desk[64];

static const char *str(const json_t *j, const char *key)
{
  const char *s = json_string_value(json_object_get(j, key));
  return s ? s : "";
}

static json_int_t num(const json_t *j, const char *key)
{
  return json_integer_value(json_object_get(j, key));
}

static json_t *call(const char *method, const char *path, const char *token, const char *body,
                    long status)
{
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, NULL, &r), 0);
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

static bool near(int color, int r, int g, int b)
{
  return abs(gdTrueColorGetRed(color) - r) < 40 && abs(gdTrueColorGetGreen(color) - g) < 40 &&
         abs(gdTrueColorGetBlue(color) - b) < 40;
}

/* ---- requests ------------------------------------------------------ */

/* A new notice for the site ("" for every site); its id. */
static json_int_t post_notice(const char *site, const char *title)
{
  char body[256];
  snprintf(body, sizeof body, "{\"title\":\"%s\",\"body\":\"见海报\",\"category\":\"community\"%s%s%s}",
           title, site[0] ? ",\"site\":\"" : "", site, site[0] ? "\"" : "");
  json_t *n = test_admin(&server, "POST", "/api/v1/notices", body, 201);
  json_int_t id = num(n, "id");
  assert_true(json_is_null(json_object_get(n, "image")));
  json_decref(n);
  return id;
}

static json_t *put_image(json_int_t id, const char *token, const char *type, const void *data,
                         size_t len, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/notices/%lld/image", (long long)id);
  test_response r;
  assert_int_equal(test_http_bytes(&server, "PUT", path, token, type, data, len, NULL, &r), 0);
  if (r.status != status)
    fprintf(stderr, "PUT %s: %ld %s\n", path, r.status, r.body);
  assert_int_equal(r.status, status);
  json_t *j = json_incref(r.json);
  test_response_free(&r);
  return j;
}

static void delete_image(json_int_t id, long status)
{
  char path[96];
  snprintf(path, sizeof path, "/api/v1/notices/%lld/image", (long long)id);
  json_t *n = call("DELETE", path, desk, NULL, status);
  if (status == 200)
    assert_true(json_is_null(json_object_get(n, "image")));
  json_decref(n);
}

static const char *error_code(const json_t *j)
{
  return str(json_object_get(j, "error"), "code");
}

/* GET of the picture as token, with If-None-Match when held is not NULL
 * and a query when given; the answer for the caller to check and free. */
static void get_image(json_int_t id, const char *token, const char *held, const char *query,
                      test_response *r)
{
  char path[128], inm[96];
  snprintf(path, sizeof path, "/api/v1/notices/%lld/image%s", (long long)id, query ? query : "");
  snprintf(inm, sizeof inm, "If-None-Match: %s", held ? held : "");
  const char *headers[] = {held ? inm : NULL, NULL};
  assert_int_equal(test_http(&server, "GET", path, token, NULL, headers, r), 0);
}

/* The kept picture, decoded; its bytes carry no Exif. */
static gdImagePtr fetch_image(json_int_t id, const char *token)
{
  test_response r;
  get_image(id, token, NULL, NULL, &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "Content-Type: image/jpeg"));
  assert_non_null(strstr(r.headers, "X-Content-Type-Options: nosniff"));
  for (size_t i = 0; i + 4 <= r.len; i++)
    assert_false(memcmp(r.body + i, "Exif", 4) == 0);
  gdImagePtr im = gdImageCreateFromJpegPtr((int)r.len, r.body);
  assert_non_null(im);
  test_response_free(&r);
  return im;
}

static long image_status(json_int_t id, const char *token)
{
  test_response r;
  get_image(id, token, NULL, NULL, &r);
  long status = r.status;
  test_response_free(&r);
  return status;
}

/* The notice as the kiosk's feed lists it (NULL when it does not), and
 * the feed's version. */
static json_t *feed_notice(const char *kiosk, json_int_t id, char version[64])
{
  json_t *feed = call("GET", "/api/v1/feed", kiosk, NULL, 200);
  snprintf(version, 64, "%s", str(feed, "version"));
  size_t i;
  json_t *n, *found = NULL;
  json_array_foreach(json_object_get(feed, "notices"), i, n)
    if (num(n, "id") == id)
      found = json_incref(n);
  json_decref(feed);
  return found;
}

static int notice_files(void)
{
  char dir[256];
  snprintf(dir, sizeof dir, "%s/photos", server.dir);
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += strncmp(e->d_name, "notice-", 7) == 0;
  closedir(d);
  return n;
}

/* How many audit entries of this action name the notice. */
static int audit_entries(const char *action, json_int_t id)
{
  char path[128], target[32];
  snprintf(path, sizeof path, "/api/v1/audit?action=%s&limit=500", action);
  snprintf(target, sizeof target, "%lld", (long long)id);
  json_t *log = test_admin(&server, "GET", path, NULL, 200);
  size_t i;
  json_t *e;
  int n = 0;
  json_array_foreach(json_object_get(log, "entries"), i, e)
    n += strcmp(str(e, "target"), target) == 0;
  json_decref(log);
  return n;
}

/* ---- the tests ----------------------------------------------------- */

/* A portrait poster bigger than the screen: kept at 960 × 1920, red still
 * on the left; the same upload again changes nothing; the feed lists it
 * and its version moves; the staff list and detail show it. */
static void a_poster_is_kept_listed_and_served(void **state)
{
  (void)state;
  json_int_t id = post_notice("main", "业主大会");
  char before[64], after[64], again[64];
  json_t *n = feed_notice(server.kiosk_token, id, before);
  assert_non_null(n);
  assert_null(json_object_get(n, "image")); /* a text notice's feed is as it was */
  json_decref(n);

  picture poster = draw(1200, 2400, false, false);
  json_t *kept = put_image(id, desk, "image/jpeg", poster.data, poster.len, 200);
  json_t *image = json_object_get(kept, "image");
  assert_int_equal(num(image, "width"), 960);
  assert_int_equal(num(image, "height"), 1920);
  char etag[64], url[64];
  snprintf(etag, sizeof etag, "%s", str(image, "etag"));
  snprintf(url, sizeof url, "/api/v1/notices/%lld/image", (long long)id);
  assert_int_equal(strlen(etag), 32);
  assert_string_equal(str(image, "url"), url);
  assert_true(num(image, "bytes") > 0);
  assert_int_equal(strlen(str(image, "sha256")), 64);
  json_decref(kept);

  n = feed_notice(server.kiosk_token, id, after);
  image = json_object_get(n, "image");
  assert_string_equal(str(image, "url"), url);
  assert_string_equal(str(image, "etag"), etag);
  assert_int_equal(num(image, "width"), 960);
  assert_int_equal(num(image, "height"), 1920);
  assert_null(json_object_get(image, "sha256")); /* kiosks need no more than this */
  assert_string_not_equal(before, after);
  json_decref(n);

  /* The same upload again: the same picture, the feed unchanged, no
   * second audit entry. */
  kept = put_image(id, desk, "image/jpeg", poster.data, poster.len, 200);
  assert_string_equal(str(json_object_get(kept, "image"), "etag"), etag);
  json_decref(kept);
  json_decref(feed_notice(server.kiosk_token, id, again));
  assert_string_equal(after, again);
  free(poster.data);
  assert_int_equal(audit_entries("notice.image", id), 1);

  gdImagePtr im = fetch_image(id, server.kiosk_token);
  assert_int_equal(gdImageSX(im), 960);
  assert_int_equal(gdImageSY(im), 1920);
  assert_true(near(gdImageGetTrueColorPixel(im, 100, 960), 220, 20, 20));
  assert_true(near(gdImageGetTrueColorPixel(im, 860, 960), 20, 20, 220));
  gdImageDestroy(im);

  char path[96];
  snprintf(path, sizeof path, "/api/v1/notices/%lld", (long long)id);
  json_t *detail = call("GET", path, desk, NULL, 200);
  assert_string_equal(str(json_object_get(detail, "image"), "etag"), etag);
  json_decref(detail);
  json_t *list = call("GET", "/api/v1/notices?state=all", desk, NULL, 200);
  size_t i;
  json_t *row;
  bool seen = false;
  json_array_foreach(json_object_get(list, "notices"), i, row) {
    if (num(row, "id") == id) {
      assert_string_equal(str(json_object_get(row, "image"), "etag"), etag);
      seen = true;
    } else {
      assert_true(json_is_null(json_object_get(row, "image")));
    }
  }
  assert_true(seen);
  json_decref(list);
}

/* GET answers the bytes with their ETag, 304 for that ETag, and lets a
 * URL pinned to the ETag be cached for good. */
static void the_picture_is_cached_by_its_etag(void **state)
{
  (void)state;
  json_int_t id = post_notice("", "停水通知");
  picture p = draw(300, 400, false, false);
  json_t *kept = put_image(id, desk, "image/jpeg", p.data, p.len, 200);
  char etag[64], quoted[80], query[80];
  snprintf(etag, sizeof etag, "%s", str(json_object_get(kept, "image"), "etag"));
  snprintf(quoted, sizeof quoted, "\"%s\"", etag);
  json_decref(kept);
  free(p.data);

  test_response r;
  get_image(id, server.kiosk_token, NULL, NULL, &r);
  assert_int_equal(r.status, 200);
  assert_string_equal(r.etag, quoted);
  assert_non_null(strstr(r.headers, "Cache-Control: private, no-cache"));
  assert_null(strstr(r.headers, "no-store"));
  test_response_free(&r);

  get_image(id, server.kiosk_token, quoted, NULL, &r);
  assert_int_equal(r.status, 304);
  assert_int_equal(r.len, 0);
  assert_string_equal(r.etag, quoted);
  test_response_free(&r);
  char list[128];
  snprintf(list, sizeof list, "\"0123\", W/%s", quoted);
  get_image(id, desk, list, NULL, &r);
  assert_int_equal(r.status, 304);
  test_response_free(&r);
  get_image(id, desk, "\"0123\"", NULL, &r);
  assert_int_equal(r.status, 200);
  test_response_free(&r);

  snprintf(query, sizeof query, "?v=%s", etag);
  get_image(id, desk, NULL, query, &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "Cache-Control: private, max-age=31536000, immutable"));
  test_response_free(&r);
  get_image(id, desk, NULL, "?v=0123", &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "Cache-Control: private, no-cache"));
  test_response_free(&r);
}

/* A PNG with transparency is kept as a JPEG on white; a photo taken
 * sideways (EXIF orientation 6) comes out upright. */
static void png_and_turned_photos_come_out_upright(void **state)
{
  (void)state;
  json_int_t id = post_notice("main", "活动海报");
  picture clear = draw(120, 80, true, true);
  json_t *kept = put_image(id, desk, "image/png", clear.data, clear.len, 200);
  assert_int_equal(num(json_object_get(kept, "image"), "width"), 120);
  json_decref(kept);
  free(clear.data);
  gdImagePtr im = fetch_image(id, desk);
  assert_true(near(gdImageGetTrueColorPixel(im, 60, 40), 255, 255, 255));
  gdImageDestroy(im);

  /* 300 × 200 stored sideways: kept 200 × 300, the stored left (red) on top. */
  picture turned = with_orientation_6(draw(300, 200, false, false));
  kept = put_image(id, desk, "image/jpeg", turned.data, turned.len, 200);
  assert_int_equal(num(json_object_get(kept, "image"), "width"), 200);
  assert_int_equal(num(json_object_get(kept, "image"), "height"), 300);
  json_decref(kept);
  free(turned.data);
  im = fetch_image(id, server.kiosk_token);
  assert_int_equal(gdImageSX(im), 200);
  assert_true(near(gdImageGetTrueColorPixel(im, 100, 30), 220, 20, 20));
  assert_true(near(gdImageGetTrueColorPixel(im, 100, 270), 20, 20, 220));
  gdImageDestroy(im);
}

/* Text is 415, a PNG claiming 50,000 × 50,000 pixels 413 before anything
 * decodes it, a JPEG cut in half 400, a big body from someone not allowed
 * to upload 413 unread; none leaves a file, and only the office uploads. */
static void hostile_uploads_are_refused(void **state)
{
  (void)state;
  json_int_t id = post_notice("main", "平面图");
  int files_before = notice_files();
  json_t *e = put_image(id, desk, "text/plain", "hello", 5, 415);
  assert_string_equal(error_code(e), "unsupported_media_type");
  assert_string_equal(str(json_object_get(e, "error"), "field"), "image");
  json_decref(e);

  picture bomb = draw(16, 16, true, false);
  bomb.data[16] = 0; bomb.data[17] = 0; bomb.data[18] = 0xc3; bomb.data[19] = 0x50;
  bomb.data[20] = 0; bomb.data[21] = 0; bomb.data[22] = 0xc3; bomb.data[23] = 0x50;
  e = put_image(id, desk, "image/png", bomb.data, bomb.len, 413);
  assert_string_equal(error_code(e), "image_too_large");
  assert_string_equal(str(json_object_get(e, "error"), "field"), "image");
  json_decref(e);
  free(bomb.data);

  picture cut = draw(400, 300, false, false);
  e = put_image(id, desk, "image/jpeg", cut.data, cut.len / 2, 400);
  assert_string_equal(error_code(e), "invalid_image");
  json_decref(e);
  json_decref(put_image(id, tech, "image/jpeg", cut.data, cut.len, 403));
  json_decref(put_image(id, server.kiosk_token, "image/jpeg", cut.data, cut.len, 403));
  free(cut.data);

  size_t big = 7u * 1024 * 1024;
  uint8_t *junk = calloc(1, big);
  junk[0] = 0xff; junk[1] = 0xd8; junk[2] = 0xff;
  e = put_image(id, server.kiosk_token, "image/jpeg", junk, big, 413);
  assert_string_equal(error_code(e), "body_too_large");
  json_decref(e);
  e = put_image(id, desk, "image/jpeg", junk, big, 400);
  assert_string_equal(error_code(e), "invalid_image");
  json_decref(e);
  free(junk);
  assert_int_equal(notice_files(), files_before);

  char version[64];
  json_t *n = feed_notice(server.kiosk_token, id, version);
  assert_null(json_object_get(n, "image"));
  json_decref(n);
}

/* A kiosk fetches only pictures of notices its feed shows: not another
 * site's, not a withdrawn one's; a desk of another site reaches neither
 * the notice nor its picture. */
static void pictures_stay_within_their_site(void **state)
{
  (void)state;
  json_int_t main_id = post_notice("main", "主苑通知");
  json_int_t every_id = post_notice("", "全体通知");
  picture p = draw(64, 48, false, false);
  json_decref(put_image(main_id, desk, "image/jpeg", p.data, p.len, 200));
  json_decref(put_image(every_id, desk, "image/jpeg", p.data, p.len, 200));
  free(p.data);

  assert_int_equal(image_status(main_id, server.kiosk_token), 200);
  assert_int_equal(image_status(main_id, north_kiosk), 404);
  assert_int_equal(image_status(every_id, north_kiosk), 200);
  assert_int_equal(image_status(main_id, north_desk), 404);
  assert_int_equal(image_status(main_id, tech), 403);
  char version[64];
  assert_null(feed_notice(north_kiosk, main_id, version));

  char path[96];
  snprintf(path, sizeof path, "/api/v1/notices/%lld", (long long)main_id);
  json_decref(call("GET", path, north_desk, NULL, 404));
  p = draw(32, 32, false, false);
  json_decref(put_image(main_id, north_desk, "image/jpeg", p.data, p.len, 404));

  snprintf(path, sizeof path, "/api/v1/notices/%lld/withdraw", (long long)main_id);
  json_decref(call("POST", path, desk, NULL, 200));
  assert_int_equal(image_status(main_id, server.kiosk_token), 404);
  assert_int_equal(image_status(main_id, desk), 200); /* the office keeps its record */
  json_t *e = put_image(main_id, desk, "image/jpeg", p.data, p.len, 409);
  assert_string_equal(error_code(e), "conflict");
  json_decref(e);
  delete_image(main_id, 409);
  free(p.data);
}

/* Replacing the picture gives a new ETag and feed version; removing it
 * takes it out of the feed, and removing it again changes nothing. */
static void replacing_and_removing_move_the_feed(void **state)
{
  (void)state;
  json_int_t id = post_notice("main", "电梯维保");
  picture first = draw(200, 100, false, false), second = draw(100, 200, false, false);
  char v1[64], v2[64], v3[64], v4[64];
  json_t *a = put_image(id, desk, "image/jpeg", first.data, first.len, 200);
  json_decref(feed_notice(server.kiosk_token, id, v1));
  json_t *b = put_image(id, desk, "image/jpeg", second.data, second.len, 200);
  json_t *n = feed_notice(server.kiosk_token, id, v2);
  assert_string_not_equal(str(json_object_get(a, "image"), "etag"),
                          str(json_object_get(b, "image"), "etag"));
  assert_string_equal(str(json_object_get(n, "image"), "etag"), str(json_object_get(b, "image"), "etag"));
  assert_int_equal(num(json_object_get(n, "image"), "width"), 100);
  assert_string_not_equal(v1, v2);
  json_decref(a);
  json_decref(b);
  json_decref(n);
  free(first.data);
  free(second.data);

  delete_image(id, 200);
  n = feed_notice(server.kiosk_token, id, v3);
  assert_non_null(n);
  assert_null(json_object_get(n, "image"));
  assert_string_not_equal(v2, v3);
  json_decref(n);
  assert_int_equal(image_status(id, server.kiosk_token), 404);
  assert_int_equal(image_status(id, desk), 404);
  delete_image(id, 200);
  json_decref(feed_notice(server.kiosk_token, id, v4));
  assert_string_equal(v3, v4);
  assert_int_equal(audit_entries("notice.image", id), 2);
  assert_int_equal(audit_entries("notice.image_remove", id), 1);
  delete_image(999999, 404);
  json_decref(call("GET", "/api/v1/notices/999999/image", desk, NULL, 404));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_poster_is_kept_listed_and_served),
    cmocka_unit_test(the_picture_is_cached_by_its_etag),
    cmocka_unit_test(png_and_turned_photos_come_out_upright),
    cmocka_unit_test(hostile_uploads_are_refused),
    cmocka_unit_test(pictures_stay_within_their_site),
    cmocka_unit_test(replacing_and_removing_move_the_feed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
