#include "notice_image_file.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

bool kiosk_image_etag_valid(const char *etag)
{
  if (!etag || strlen(etag) != KIOSK_IMAGE_ETAG_LEN)
    return false;
  for (const char *p = etag; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return false;
  return true;
}

lobby_err kiosk_image_dir(const char *state_dir, char *out, size_t cap)
{
  int n = snprintf(out, cap, "%s/images", state_dir);
  return n < 0 || (size_t)n >= cap ? LOBBY_ETOOBIG : LOBBY_OK;
}

lobby_err kiosk_image_path(const char *state_dir, const char *etag, char *out, size_t cap)
{
  if (!kiosk_image_etag_valid(etag))
    return LOBBY_EINVAL;
  int n = snprintf(out, cap, "%s/images/%s.jpg", state_dir, etag);
  return n < 0 || (size_t)n >= cap ? LOBBY_ETOOBIG : LOBBY_OK;
}

static unsigned be16(const uint8_t *p)
{
  return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static lobby_err probe_png(const uint8_t *d, size_t len, int *w, int *h)
{
  static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (len < 24 || memcmp(d, sig, sizeof sig) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
    return LOBBY_EINVAL;
  uint32_t pw = be32(d + 16), ph = be32(d + 20);
  if (pw > INT32_MAX || ph > INT32_MAX)
    return LOBBY_ETOOBIG;
  *w = (int)pw;
  *h = (int)ph;
  return LOBBY_OK;
}

/* The start-of-frame markers that carry a size: C0 to CF less DHT (C4),
 * JPG (C8) and DAC (CC). */
static bool is_sof(uint8_t m)
{
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static lobby_err probe_jpeg(const uint8_t *d, size_t len, int *w, int *h)
{
  if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
    return LOBBY_EINVAL;
  size_t i = 2;
  while (i + 4 <= len) {
    if (d[i] != 0xFF)
      return LOBBY_EINVAL;
    uint8_t m = d[i + 1];
    if (m == 0xFF) { /* fill byte */
      i++;
      continue;
    }
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
      i += 2;
      continue;
    }
    if (m == 0xDA || m == 0xD9) /* the scan or the end before any frame */
      return LOBBY_EINVAL;
    unsigned seg = be16(d + i + 2);
    if (seg < 2 || i + 2 + seg > len)
      return LOBBY_EINVAL;
    if (is_sof(m)) {
      if (seg < 7)
        return LOBBY_EINVAL;
      *h = (int)be16(d + i + 5);
      *w = (int)be16(d + i + 7);
      return LOBBY_OK;
    }
    i += 2 + seg;
  }
  return LOBBY_EINVAL;
}

lobby_err kiosk_image_probe(const uint8_t *data, size_t len, int *width, int *height)
{
  if (!data)
    return LOBBY_EINVAL;
  if (len >= 8 && data[0] == 0x89)
    return probe_png(data, len, width, height);
  return probe_jpeg(data, len, width, height);
}

static bool hash_names(const uint8_t *data, size_t len, const char *etag)
{
  unsigned char sum[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  if (crypto_hash_sha256(sum, data, len) != 0)
    return false;
  sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
  return strncmp(hex, etag, KIOSK_IMAGE_ETAG_LEN) == 0;
}

lobby_err kiosk_image_verify(const uint8_t *data, size_t len, const char *etag, int *width, int *height)
{
  if (len > KIOSK_IMAGE_MAX_BYTES)
    return LOBBY_ETOOBIG;
  if (!kiosk_image_etag_valid(etag) || len == 0 || !hash_names(data, len, etag))
    return LOBBY_EINVAL;
  lobby_err err = kiosk_image_probe(data, len, width, height);
  if (err != LOBBY_OK)
    return err;
  if (*width <= 0 || *height <= 0)
    return LOBBY_EINVAL;
  if (*width > KIOSK_IMAGE_MAX_SIDE || *height > KIOSK_IMAGE_MAX_SIDE ||
      (long)*width * (long)*height > KIOSK_IMAGE_MAX_PIXELS)
    return LOBBY_ETOOBIG;
  return LOBBY_OK;
}
