/* Header reading for uploaded pictures.  Every offset is checked against
 * the buffer before it is read; nothing here allocates. */
#include "photo_probe.h"

#include <string.h>

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

photo_format photo_sniff(const uint8_t *data, size_t len)
{
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return PHOTO_FORMAT_JPEG;
  if (len >= sizeof png_signature && memcmp(data, png_signature, sizeof png_signature) == 0)
    return PHOTO_FORMAT_PNG;
  return PHOTO_FORMAT_NONE;
}

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned tiff16(const uint8_t *p, int little)
{
  return little ? (unsigned)p[1] << 8 | p[0] : be16(p);
}

static uint32_t tiff32(const uint8_t *p, int little)
{
  return little ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]
                : be32(p);
}

/* The Orientation tag (0x0112) of IFD0 in a TIFF block, or 1. */
static int tiff_orientation(const uint8_t *t, size_t len)
{
  if (len < 8)
    return 1;
  int little = t[0] == 'I' && t[1] == 'I';
  if (!little && !(t[0] == 'M' && t[1] == 'M'))
    return 1;
  uint32_t ifd = tiff32(t + 4, little);
  if (ifd > len || len - ifd < 2)
    return 1;
  unsigned entries = tiff16(t + ifd, little);
  for (unsigned i = 0; i < entries; i++) {
    size_t at = (size_t)ifd + 2 + (size_t)i * 12;
    if (at + 12 > len)
      return 1;
    if (tiff16(t + at, little) == 0x0112 && tiff16(t + at + 2, little) == 3) {
      unsigned v = tiff16(t + at + 8, little);
      return v >= 1 && v <= 8 ? (int)v : 1;
    }
  }
  return 1;
}

/* A start-of-frame marker: C0..CF but DHT (C4), JPG (C8) and DAC (CC). */
static int is_frame_marker(unsigned m)
{
  return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

static lobby_err probe_jpeg(const uint8_t *d, size_t len, photo_header *h)
{
  size_t at = 2;
  while (at < len) {
    if (d[at] != 0xff)
      return LOBBY_EINVAL;
    while (at < len && d[at] == 0xff)
      at++; /* fill bytes */
    if (at >= len)
      return LOBBY_EINVAL;
    unsigned marker = d[at++];
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
      continue; /* no length */
    if (marker == 0xd8 || marker == 0xd9 || marker == 0xda || at + 2 > len)
      return LOBBY_EINVAL; /* scan data or the end before any frame */
    size_t seg = be16(d + at);
    if (seg < 2 || at + seg > len)
      return LOBBY_EINVAL;
    const uint8_t *body = d + at + 2;
    size_t body_len = seg - 2;
    if (marker == 0xe1 && body_len > 6 && memcmp(body, "Exif\0\0", 6) == 0)
      h->orientation = tiff_orientation(body + 6, body_len - 6);
    if (is_frame_marker(marker)) {
      if (body_len < 5)
        return LOBBY_EINVAL;
      h->height = be16(body + 1);
      h->width = be16(body + 3);
      return h->width && h->height ? LOBBY_OK : LOBBY_EINVAL;
    }
    at += seg;
  }
  return LOBBY_EINVAL;
}

static lobby_err probe_png(const uint8_t *d, size_t len, photo_header *h)
{
  /* The signature, then IHDR first: length 13, type, width, height. */
  if (len < 8 + 8 + 13 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
    return LOBBY_EINVAL;
  uint32_t w = be32(d + 16), hgt = be32(d + 20);
  if (w == 0 || hgt == 0 || w > 0x7fffffffu || hgt > 0x7fffffffu)
    return LOBBY_EINVAL;
  h->width = w;
  h->height = hgt;
  return LOBBY_OK;
}

lobby_err photo_probe(const uint8_t *data, size_t len, photo_header *h)
{
  memset(h, 0, sizeof *h);
  h->orientation = 1;
  h->format = photo_sniff(data, len);
  if (h->format == PHOTO_FORMAT_JPEG)
    return probe_jpeg(data, len, h);
  if (h->format == PHOTO_FORMAT_PNG)
    return probe_png(data, len, h);
  return LOBBY_EINVAL;
}
