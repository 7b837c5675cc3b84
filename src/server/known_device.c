#include "known_device.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD_LEN 16

/* The key never changes after creation, so threads read it unlocked. */
struct known_devices {
  unsigned char key[crypto_auth_KEYBYTES];
};

lobby_err known_device_create(known_devices **out)
{
  known_devices *kd = calloc(1, sizeof *kd);
  if (!kd)
    return LOBBY_ENOMEM;
  crypto_auth_keygen(kd->key);
  *out = kd;
  return LOBBY_OK;
}

void known_device_free(known_devices *kd)
{
  if (!kd)
    return;
  sodium_memzero(kd->key, sizeof kd->key);
  free(kd);
}

static void put_be64(unsigned char *p, uint64_t v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be64(const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

void known_device_issue(const known_devices *kd, int64_t staff_id, int64_t now,
                        char out[KNOWN_DEVICE_LEN])
{
  unsigned char raw[PAYLOAD_LEN + crypto_auth_BYTES];
  put_be64(raw, (uint64_t)staff_id);
  put_be64(raw + 8, (uint64_t)(now + KNOWN_DEVICE_TTL_S));
  crypto_auth(raw + PAYLOAD_LEN, raw, PAYLOAD_LEN, kd->key);
  sodium_bin2hex(out, KNOWN_DEVICE_LEN, raw, sizeof raw);
}

lobby_err known_device_check(const known_devices *kd, const char *value, int64_t now,
                             int64_t *staff_id)
{
  unsigned char raw[PAYLOAD_LEN + crypto_auth_BYTES];
  size_t got = 0;
  if (!value || strlen(value) != KNOWN_DEVICE_LEN - 1 ||
      sodium_hex2bin(raw, sizeof raw, value, KNOWN_DEVICE_LEN - 1, NULL, &got, NULL) != 0 ||
      got != sizeof raw)
    return LOBBY_EINVAL;
  if (crypto_auth_verify(raw + PAYLOAD_LEN, raw, PAYLOAD_LEN, kd->key) != 0)
    return LOBBY_EINVAL;
  if ((int64_t)get_be64(raw + 8) <= now)
    return LOBBY_EINVAL;
  *staff_id = (int64_t)get_be64(raw);
  return LOBBY_OK;
}
