/* photo_probe: a picture's format, size and EXIF orientation read from
 * its header alone, and every way a header can lie or stop short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "photo_probe.h"

/* SOI, an APP1 Exif block (little- or big-endian TIFF) with the given
 * orientation, then a baseline frame header of 640 × 480. */
static size_t jpeg_with_exif(uint8_t *out, int little, unsigned orientation)
{
  static const uint8_t sof[] = {0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03,
                                1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
  size_t n = 0;
  out[n++] = 0xff; out[n++] = 0xd8;
  out[n++] = 0xff; out[n++] = 0xe1; out[n++] = 0x00; out[n++] = 0x22;
  memcpy(out + n, "Exif\0\0", 6); n += 6;
  if (little) {
    static const uint8_t tiff[] = {'I', 'I', 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0};
    memcpy(out + n, tiff, sizeof tiff); n += sizeof tiff;
    out[n++] = (uint8_t)orientation; out[n++] = 0; out[n++] = 0; out[n++] = 0;
  } else {
    static const uint8_t tiff[] = {'M', 'M', 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1};
    memcpy(out + n, tiff, sizeof tiff); n += sizeof tiff;
    out[n++] = 0; out[n++] = (uint8_t)orientation; out[n++] = 0; out[n++] = 0;
  }
  memset(out + n, 0, 4); n += 4; /* no next IFD */
  memcpy(out + n, sof, sizeof sof); n += sizeof sof;
  return n;
}

static void jpeg_size_and_orientation(void **state)
{
  (void)state;
  uint8_t buf[128];
  photo_header h;
  for (int little = 0; little <= 1; little++) {
    size_t n = jpeg_with_exif(buf, little, 6);
    assert_int_equal(photo_probe(buf, n, &h), LOBBY_OK);
    assert_int_equal(h.format, PHOTO_FORMAT_JPEG);
    assert_int_equal(h.width, 640);
    assert_int_equal(h.height, 480);
    assert_int_equal(h.orientation, 6);
  }
  /* An orientation outside 1..8 counts as upright. */
  size_t n = jpeg_with_exif(buf, 1, 9);
  assert_int_equal(photo_probe(buf, n, &h), LOBBY_OK);
  assert_int_equal(h.orientation, 1);
}

static void jpeg_cut_anywhere_is_refused(void **state)
{
  (void)state;
  uint8_t buf[128];
  photo_header h;
  size_t n = jpeg_with_exif(buf, 0, 3);
  /* Up to the frame header's size fields every cut is refused. */
  for (size_t cut = 0; cut < n - 10; cut++)
    assert_int_equal(photo_probe(buf, cut, &h), LOBBY_EINVAL);
  /* A segment whose length runs past the end. */
  buf[5] = 0xff;
  assert_int_equal(photo_probe(buf, n, &h), LOBBY_EINVAL);
}

static void jpeg_without_a_frame_or_with_zero_size(void **state)
{
  (void)state;
  photo_header h;
  const uint8_t scan_first[] = {0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9};
  assert_int_equal(photo_probe(scan_first, sizeof scan_first, &h), LOBBY_EINVAL);
  const uint8_t zero[] = {0xff, 0xd8, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x00, 0x00, 0x02, 0x80, 0x01, 1, 0x11, 0};
  assert_int_equal(photo_probe(zero, sizeof zero, &h), LOBBY_EINVAL);
  /* DHT (C4) is no frame: its bytes are not taken for a size. */
  const uint8_t dht_then_sof[] = {0xff, 0xd8, 0xff, 0xc4, 0x00, 0x07, 0x08, 0x00, 0x10, 0x00, 0x20,
                                  0xff, 0xc1, 0x00, 0x0b, 0x08, 0x00, 0x30, 0x00, 0x40, 0x01, 1, 0x11, 0};
  assert_int_equal(photo_probe(dht_then_sof, sizeof dht_then_sof, &h), LOBBY_OK);
  assert_int_equal(h.width, 64);
  assert_int_equal(h.height, 48);
  assert_int_equal(h.orientation, 1);
}

static void png_ihdr(void **state)
{
  (void)state;
  photo_header h;
  uint8_t png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                     0, 0, 0xc3, 0x50, 0, 0, 0x01, 0x00, 8, 6, 0, 0, 0};
  assert_int_equal(photo_probe(png, sizeof png, &h), LOBBY_OK);
  assert_int_equal(h.format, PHOTO_FORMAT_PNG);
  assert_int_equal(h.width, 50000);
  assert_int_equal(h.height, 256);
  assert_int_equal(photo_probe(png, 28, &h), LOBBY_EINVAL);
  png[16] = 0x80; /* over 2^31 */
  assert_int_equal(photo_probe(png, sizeof png, &h), LOBBY_EINVAL);
  png[16] = 0; png[18] = 0; png[19] = 0;
  assert_int_equal(photo_probe(png, sizeof png, &h), LOBBY_EINVAL);
}

static void anything_else_is_no_picture(void **state)
{
  (void)state;
  photo_header h;
  const uint8_t gif[] = "GIF89a\x01\x00\x01\x00";
  assert_int_equal(photo_sniff(gif, sizeof gif), PHOTO_FORMAT_NONE);
  assert_int_equal(photo_probe(gif, sizeof gif, &h), LOBBY_EINVAL);
  assert_int_equal(photo_sniff((const uint8_t *)"", 0), PHOTO_FORMAT_NONE);
  const uint8_t two[] = {0xff, 0xd8};
  assert_int_equal(photo_sniff(two, 2), PHOTO_FORMAT_NONE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(jpeg_size_and_orientation),
    cmocka_unit_test(jpeg_cut_anywhere_is_refused),
    cmocka_unit_test(jpeg_without_a_frame_or_with_zero_size),
    cmocka_unit_test(png_ihdr),
    cmocka_unit_test(anything_else_is_no_picture),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
