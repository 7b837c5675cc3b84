/* Turns an uploaded picture into the one lobbyd keeps: decoded by libgd
 * (libjpeg, libpng), turned upright as its EXIF orientation says, scaled
 * down to at most a given number of pixels a side (a completion photo's
 * PHOTO_SIDE_MAX, a notice's poster NOTICE_IMAGE_SIDE_MAX) and encoded as
 * a JPEG with no metadata, so no camera's location or serial number is
 * kept. */
#ifndef LOBBYD_PHOTO_IMAGE_H
#define LOBBYD_PHOTO_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"
#include "photo_probe.h"

#define PHOTO_UPLOAD_MAX (8u * 1024 * 1024)   /* bytes of one upload */
#define PHOTO_PIXELS_MAX (32u * 1000 * 1000)  /* width × height decoded */
#define PHOTO_SIDE_MAX 1600                   /* the longer side of a photo kept */
/* A poster's longer side: a portrait A4 notice fills a 1080 × 1920 screen
 * with its small print still readable. */
#define NOTICE_IMAGE_SIDE_MAX 1920

/* Keeps at most side_max pixels on the longer side (a smaller picture
 * keeps its size).  LOBBY_ETOOBIG when h's size exceeds PHOTO_PIXELS_MAX
 * (nothing decoded), LOBBY_EINVAL when the picture does not decode or
 * side_max is below 1.  *jpeg is malloc'd; the caller frees it.  Decodes
 * one picture at a time, so however many uploads arrive together memory
 * stays bounded by one. */
lobby_err photo_image_normalise(const uint8_t *data, size_t len, const photo_header *h,
                                int side_max, uint8_t **jpeg, size_t *jpeg_len, int *width,
                                int *height);

#endif
