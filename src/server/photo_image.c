/* libgd does the decoding, resampling, rotating and encoding. */
#include "photo_image.h"

#include <gd.h>
#include <gd_errors.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define JPEG_QUALITY 82

static pthread_mutex_t one_at_a_time = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

/* Set when libgd warned while decoding (under one_at_a_time): libjpeg
 * decodes a picture cut short as gray below the cut and only warns, and
 * such a picture is refused rather than kept half gray. */
static bool gd_warned;

/* libgd prints a damaged picture's complaints to stderr; here they only
 * mark the picture refused, and the log stays clean of them. */
static void note_gd_message(int priority, const char *format, va_list args)
{
  (void)format;
  (void)args;
  if (priority <= GD_WARNING)
    gd_warned = true;
}

static void quiet_gd(void)
{
  gdSetErrorMethod(note_gd_message);
}

static gdImagePtr decode(const uint8_t *data, size_t len, photo_format format)
{
  if (len > (size_t)INT32_MAX)
    return NULL;
  if (format == PHOTO_FORMAT_JPEG)
    return gdImageCreateFromJpegPtrEx((int)len, (void *)data, 0); /* warnings fail too */
  return gdImageCreateFromPngPtr((int)len, (void *)data);
}

/* The size that fits side_max, keeping the proportions. */
static void fit(int w, int h, int side_max, int *out_w, int *out_h)
{
  int longer = w > h ? w : h;
  if (longer <= side_max) {
    *out_w = w;
    *out_h = h;
    return;
  }
  *out_w = (int)((int64_t)w * side_max / longer);
  *out_h = (int)((int64_t)h * side_max / longer);
  if (*out_w < 1) *out_w = 1;
  if (*out_h < 1) *out_h = 1;
}

/* Resamples onto white, so a transparent PNG does not turn black. */
static gdImagePtr scale_onto_white(gdImagePtr src, int side_max)
{
  int w, h;
  fit(gdImageSX(src), gdImageSY(src), side_max, &w, &h);
  gdImagePtr dst = gdImageCreateTrueColor(w, h);
  if (!dst)
    return NULL;
  gdImageFilledRectangle(dst, 0, 0, w - 1, h - 1, gdTrueColor(255, 255, 255));
  gdImageAlphaBlending(dst, 1);
  gdImageCopyResampled(dst, src, 0, 0, 0, 0, w, h, gdImageSX(src), gdImageSY(src));
  return dst;
}

static gdImagePtr rotated(gdImagePtr im, int degrees_clockwise)
{
  /* libgd turns counter-clockwise for positive angles. */
  gdImagePtr out = gdImageRotateInterpolated(im, (float)(360 - degrees_clockwise), 0);
  gdImageDestroy(im);
  return out;
}

/* Applies EXIF orientation 2..8 (the transform that shows the picture as
 * the camera saw it). */
static gdImagePtr upright(gdImagePtr im, int orientation)
{
  switch (orientation) {
  case 2: gdImageFlipHorizontal(im); return im;
  case 3: return rotated(im, 180);
  case 4: gdImageFlipVertical(im); return im;
  case 5: im = rotated(im, 90); if (im) gdImageFlipHorizontal(im); return im;
  case 6: return rotated(im, 90);
  case 7: im = rotated(im, 90); if (im) gdImageFlipVertical(im); return im;
  case 8: return rotated(im, 270);
  default: return im;
  }
}

static lobby_err encode(gdImagePtr im, uint8_t **jpeg, size_t *jpeg_len)
{
  int size = 0;
  void *bytes = gdImageJpegPtr(im, &size, JPEG_QUALITY);
  if (!bytes || size <= 0) {
    gdFree(bytes);
    return LOBBY_ENOMEM;
  }
  *jpeg = malloc((size_t)size);
  if (*jpeg)
    memcpy(*jpeg, bytes, (size_t)size);
  gdFree(bytes);
  *jpeg_len = (size_t)size;
  return *jpeg ? LOBBY_OK : LOBBY_ENOMEM;
}

static lobby_err normalise_locked(const uint8_t *data, size_t len, const photo_header *h,
                                  int side_max, uint8_t **jpeg, size_t *jpeg_len, int *width,
                                  int *height)
{
  gd_warned = false;
  gdImagePtr src = decode(data, len, h->format);
  if (src && gd_warned) {
    gdImageDestroy(src);
    src = NULL;
  }
  if (!src)
    return LOBBY_EINVAL;
  /* The picture decoded must be the one the header announced. */
  if ((unsigned)gdImageSX(src) != h->width || (unsigned)gdImageSY(src) != h->height) {
    gdImageDestroy(src);
    return LOBBY_EINVAL;
  }
  gdImagePtr im = scale_onto_white(src, side_max);
  gdImageDestroy(src);
  if (im)
    im = upright(im, h->orientation);
  if (!im)
    return LOBBY_ENOMEM;
  lobby_err err = encode(im, jpeg, jpeg_len);
  *width = gdImageSX(im);
  *height = gdImageSY(im);
  gdImageDestroy(im);
  return err;
}

lobby_err photo_image_normalise(const uint8_t *data, size_t len, const photo_header *h,
                                int side_max, uint8_t **jpeg, size_t *jpeg_len, int *width,
                                int *height)
{
  *jpeg = NULL;
  *jpeg_len = 0;
  if ((uint64_t)h->width * h->height > PHOTO_PIXELS_MAX)
    return LOBBY_ETOOBIG;
  if (side_max < 1)
    return LOBBY_EINVAL;
  pthread_once(&quiet_once, quiet_gd);
  pthread_mutex_lock(&one_at_a_time);
  lobby_err err = normalise_locked(data, len, h, side_max, jpeg, jpeg_len, width, height);
  pthread_mutex_unlock(&one_at_a_time);
  return err;
}
