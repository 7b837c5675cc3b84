/* What an uploaded picture says about itself before anything decodes it:
 * its format, its size and the EXIF orientation a phone camera wrote.
 * Read from the bytes alone, bounds-checked, so a hostile upload that
 * claims 50,000 × 50,000 pixels is refused before memory is spent. */
#ifndef LOBBYD_PHOTO_PROBE_H
#define LOBBYD_PHOTO_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

typedef enum { PHOTO_FORMAT_NONE, PHOTO_FORMAT_JPEG, PHOTO_FORMAT_PNG } photo_format;

typedef struct {
  photo_format format;
  unsigned width, height;   /* as stored, before orientation */
  int orientation;          /* EXIF 1..8; 1 (upright) when none is given */
} photo_header;

/* The format the first bytes announce, PHOTO_FORMAT_NONE for anything
 * but JPEG and PNG. */
photo_format photo_sniff(const uint8_t *data, size_t len);

/* Fills h from a JPEG's frame header (and APP1 Exif) or a PNG's IHDR.
 * LOBBY_EINVAL when the format is neither or the header is cut short,
 * malformed or gives a zero size. */
lobby_err photo_probe(const uint8_t *data, size_t len, photo_header *h);

#endif
