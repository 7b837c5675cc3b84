/* Notices' pictures: the checks a fetched or cached picture passes (its
 * ETag, the size caps, a header's size read without decoding), how a
 * picture is fitted into a box, and the UI thread's store of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notice_image_file.h"
#include "pictures.h"

/* The ETag lobbyd gives bytes: the first 32 hex digits of their SHA-256. */
static void etag_of(const uint8_t *data, size_t len, char etag[KIOSK_IMAGE_ETAG_LEN + 1])
{
  unsigned char sum[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  crypto_hash_sha256(sum, data, len);
  sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
  memcpy(etag, hex, KIOSK_IMAGE_ETAG_LEN);
  etag[KIOSK_IMAGE_ETAG_LEN] = '\0';
}

/* The start of a PNG of w x h: signature and IHDR. */
static size_t png_header(uint8_t *b, uint32_t w, uint32_t h)
{
  static const uint8_t head[16] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  memcpy(b, head, sizeof head);
  for (int i = 0; i < 4; i++) {
    b[16 + i] = (uint8_t)(w >> (24 - 8 * i));
    b[20 + i] = (uint8_t)(h >> (24 - 8 * i));
  }
  memset(b + 24, 0, 9);
  b[24] = 8;
  b[25] = 2;
  return 33;
}

static void test_probe(void **state)
{
  (void)state;
  uint8_t png[64];
  int w = 0, h = 0;
  size_t n = png_header(png, 1234, 567);
  assert_int_equal(kiosk_image_probe(png, n, &w, &h), LOBBY_OK);
  assert_int_equal(w, 1234);
  assert_int_equal(h, 567);
  /* A JPEG: SOI, an APP0 segment, then SOF0 with height 600, width 800. */
  static const uint8_t jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J', 'F', 0xFF, 0xC0, 0x00, 0x11, 0x08,
                                0x02, 0x58, 0x03, 0x20, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
  assert_int_equal(kiosk_image_probe(jpg, sizeof jpg, &w, &h), LOBBY_OK);
  assert_int_equal(w, 800);
  assert_int_equal(h, 600);
  /* Cut short, or the scan before any frame: no size. */
  assert_int_equal(kiosk_image_probe(jpg, 10, &w, &h), LOBBY_EINVAL);
  static const uint8_t scan_first[] = {0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x04, 0, 0};
  assert_int_equal(kiosk_image_probe(scan_first, sizeof scan_first, &w, &h), LOBBY_EINVAL);
  static const uint8_t text[] = "<html>not a picture</html>";
  assert_int_equal(kiosk_image_probe(text, sizeof text, &w, &h), LOBBY_EINVAL);
}

static void test_verify(void **state)
{
  (void)state;
  uint8_t png[64];
  char etag[KIOSK_IMAGE_ETAG_LEN + 1];
  int w = 0, h = 0;
  size_t n = png_header(png, 800, 600);
  etag_of(png, n, etag);
  assert_int_equal(kiosk_image_verify(png, n, etag, &w, &h), LOBBY_OK);
  assert_int_equal(w, 800);
  /* One byte changed: not the picture the ETag names. */
  png[30] ^= 1;
  assert_int_equal(kiosk_image_verify(png, n, etag, &w, &h), LOBBY_EINVAL);
  /* A header claiming 50000 x 50000 (a decompression bomb), even with its
   * own ETag, is refused before anything decodes it. */
  n = png_header(png, 50000, 50000);
  etag_of(png, n, etag);
  assert_int_equal(kiosk_image_verify(png, n, etag, &w, &h), LOBBY_ETOOBIG);
  n = png_header(png, 4096, 4097);
  etag_of(png, n, etag);
  assert_int_equal(kiosk_image_verify(png, n, etag, &w, &h), LOBBY_ETOOBIG);
  /* More bytes than any picture of ours. */
  size_t big = KIOSK_IMAGE_MAX_BYTES + 1;
  uint8_t *huge = calloc(1, big);
  assert_non_null(huge);
  png_header(huge, 10, 10);
  etag_of(huge, big, etag);
  assert_int_equal(kiosk_image_verify(huge, big, etag, &w, &h), LOBBY_ETOOBIG);
  free(huge);
  /* An ETag that is no file name. */
  assert_false(kiosk_image_etag_valid("../../etc/passwd0000000000000000"));
  assert_false(kiosk_image_etag_valid("ABCDEF0123456789ABCDEF0123456789"));
  assert_true(kiosk_image_etag_valid("abcdef0123456789abcdef0123456789"));
  char path[256];
  assert_int_equal(kiosk_image_path("/s", "../x", path, sizeof path), LOBBY_EINVAL);
  assert_int_equal(kiosk_image_path("/s", "abcdef0123456789abcdef0123456789", path, sizeof path), LOBBY_OK);
  assert_string_equal(path, "/s/images/abcdef0123456789abcdef0123456789.jpg");
}

static void test_fit(void **state)
{
  (void)state;
  /* Wider box: as tall as the box, centred, aspect kept. */
  SDL_Rect r = kiosk_picture_fit(800, 600, (SDL_Rect){10, 20, 1000, 300});
  assert_int_equal(r.h, 300);
  assert_int_equal(r.w, 400);
  assert_int_equal(r.x, 10 + 300);
  assert_int_equal(r.y, 20);
  /* Taller box: as wide as the box. */
  r = kiosk_picture_fit(800, 600, (SDL_Rect){0, 0, 400, 1000});
  assert_int_equal(r.w, 400);
  assert_int_equal(r.h, 300);
  assert_int_equal(r.y, 350);
  /* A small picture grows at most twice its size. */
  r = kiosk_picture_fit(100, 50, (SDL_Rect){0, 0, 1000, 1000});
  assert_int_equal(r.w, 200);
  assert_int_equal(r.h, 100);
  /* Nothing to fit, or nowhere to put it. */
  r = kiosk_picture_fit(0, 50, (SDL_Rect){0, 0, 100, 100});
  assert_int_equal(r.w, 0);
  r = kiosk_picture_fit(10, 10, (SDL_Rect){0, 0, 0, 100});
  assert_int_equal(r.w, 0);
}

static Uint32 pixel_at(const SDL_Surface *s, int x, int y)
{
  return ((const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

/* Shrinking to the screen: aspect kept, every pixel the average of those
 * it covers (a one-pixel checkerboard halves to even grey, where nearest-
 * pixel scaling keeps only black or only white), small pictures as they
 * are. */
static void test_shrink(void **state)
{
  (void)state;
  SDL_Surface *src = SDL_CreateRGBSurfaceWithFormat(0, 400, 300, 32, SDL_PIXELFORMAT_ARGB8888);
  assert_non_null(src);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++) {
      Uint32 *p = (Uint32 *)((Uint8 *)src->pixels + (size_t)y * (size_t)src->pitch) + x;
      *p = x < 200 ? 0xFFFF0000u : (((x + y) & 1) ? 0xFFFFFFFFu : 0xFF000000u);
    }
  SDL_Surface *out = NULL;
  assert_int_equal(kiosk_picture_shrink(src, 400, 300, &out), LOBBY_OK);
  assert_ptr_equal(out, src);
  assert_int_equal(kiosk_picture_shrink(src, 200, 1000, &out), LOBBY_OK);
  assert_ptr_not_equal(out, src);
  assert_int_equal(out->w, 200);
  assert_int_equal(out->h, 150);
  assert_int_equal(pixel_at(out, 10, 10), 0xFFFF0000u);
  assert_int_equal(pixel_at(out, 150, 70), 0xFF7F7F7Fu); /* (255 + 255 + 0 + 0) / 4 */
  SDL_FreeSurface(out);
  /* The height decides when it shrinks more. */
  assert_int_equal(kiosk_picture_shrink(src, 1000, 30, &out), LOBBY_OK);
  assert_int_equal(out->w, 40);
  assert_int_equal(out->h, 30);
  SDL_FreeSurface(out);
  SDL_Surface *rgb = SDL_CreateRGBSurfaceWithFormat(0, 40, 30, 24, SDL_PIXELFORMAT_RGB24);
  assert_int_equal(kiosk_picture_shrink(rgb, 10, 10, &out), LOBBY_EINVAL);
  SDL_FreeSurface(rgb);
  SDL_FreeSurface(src);
}

static void test_store(void **state)
{
  (void)state;
  kiosk_pictures p = {0};
  kiosk_picture *a = NULL, *b = NULL;
  assert_int_equal(kiosk_pictures_add(&p, "aaaa", &a), LOBBY_OK);
  assert_int_equal(a->state, KIOSK_PICTURE_PENDING);
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 4, 3, 32, SDL_PIXELFORMAT_ARGB8888);
  assert_non_null(s);
  kiosk_picture_set_surface(a, s);
  assert_int_equal(kiosk_pictures_add(&p, "bbbb", &b), LOBBY_OK);
  assert_ptr_equal(kiosk_pictures_find(&p, "bbbb"), b);
  /* Only pictures marked again after the unmark survive the sweep. */
  kiosk_pictures_unmark(&p);
  kiosk_pictures_find(&p, "bbbb")->wanted = true;
  kiosk_pictures_sweep(&p);
  assert_null(kiosk_pictures_find(&p, "aaaa"));
  assert_non_null(kiosk_pictures_find(&p, "bbbb"));
  /* Not decoded yet: no texture to draw. */
  SDL_Texture *t = NULL;
  assert_int_equal(kiosk_picture_texture(&p, kiosk_pictures_find(&p, "bbbb"), NULL, &t), LOBBY_ENOTFOUND);
  /* Once its texture is made the surface goes; a lost renderer sends the
   * picture back to the decoder. */
  SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer *ren = target ? SDL_CreateSoftwareRenderer(target) : NULL;
  assert_non_null(ren);
  b = kiosk_pictures_find(&p, "bbbb");
  kiosk_picture_set_surface(b, SDL_CreateRGBSurfaceWithFormat(0, 5, 7, 32, SDL_PIXELFORMAT_ARGB8888));
  assert_int_equal(kiosk_picture_texture(&p, b, ren, &t), LOBBY_OK);
  assert_non_null(t);
  assert_null(b->surface);
  assert_int_equal(b->w, 5);
  assert_int_equal(b->h, 7);
  SDL_Texture *again = NULL;
  assert_int_equal(kiosk_picture_texture(&p, b, ren, &again), LOBBY_OK);
  assert_ptr_equal(again, t);
  SDL_DestroyRenderer(ren);
  kiosk_pictures_forget_textures(&p);
  assert_int_equal(b->state, KIOSK_PICTURE_PENDING);
  assert_int_equal(kiosk_picture_texture(&p, b, NULL, &t), LOBBY_ENOTFOUND);
  SDL_FreeSurface(target);
  kiosk_pictures_free(&p);
}

int main(void)
{
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_probe),
    cmocka_unit_test(test_verify),
    cmocka_unit_test(test_fit),
    cmocka_unit_test(test_shrink),
    cmocka_unit_test(test_store),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
