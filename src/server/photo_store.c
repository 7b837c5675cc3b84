#include "photo_store.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lobby_fs.h"
#include "lobby_repair.h"

#define NAME_DIGITS 32 /* 128 bits of the digest: no two uploads share a name */
/* A kept photo is a JPEG of at most 1600 pixels a side: well under this. */
#define PHOTO_READ_MAX (8u * 1024 * 1024)

void photo_store_sha256(const uint8_t *data, size_t len, char hex[PHOTO_SHA256_HEX_SIZE])
{
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, data, len);
  sodium_bin2hex(hex, PHOTO_SHA256_HEX_SIZE, digest, sizeof digest);
}

static bool is_hex(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

lobby_err photo_store_name(const char *ticket, const char *sha256_hex, char name[PHOTO_NAME_SIZE])
{
  if (!repair_ticket_valid(ticket) || strlen(sha256_hex) < NAME_DIGITS ||
      !is_hex(sha256_hex, NAME_DIGITS))
    return LOBBY_EINVAL;
  int n = snprintf(name, PHOTO_NAME_SIZE, "%s-%.*s.jpg", ticket, NAME_DIGITS, sha256_hex);
  return n > 0 && n < PHOTO_NAME_SIZE ? LOBBY_OK : LOBBY_EINVAL;
}

/* A name photo_store_name makes: a ticket, a dash, the digits, ".jpg". */
static bool name_ok(const char *name)
{
  size_t len = strlen(name), tail = 1 + NAME_DIGITS + 4;
  if (len <= tail || len >= PHOTO_NAME_SIZE)
    return false;
  char ticket[PHOTO_NAME_SIZE];
  memcpy(ticket, name, len - tail);
  ticket[len - tail] = '\0';
  const char *rest = name + len - tail;
  return repair_ticket_valid(ticket) && rest[0] == '-' && is_hex(rest + 1, NAME_DIGITS) &&
         strcmp(rest + 1 + NAME_DIGITS, ".jpg") == 0;
}

static lobby_err join(const char *dir, const char *name, char *path, size_t size)
{
  if (!name_ok(name))
    return LOBBY_EINVAL;
  int n = snprintf(path, size, "%s/%s", dir, name);
  return n > 0 && (size_t)n < size ? LOBBY_OK : LOBBY_ETOOBIG;
}

lobby_err photo_store_write(const char *dir, const char *name, const uint8_t *data, size_t len)
{
  char path[PATH_MAX];
  lobby_err err = join(dir, name, path, sizeof path);
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(dir);
  if (err == LOBBY_OK)
    err = lobby_fs_write_atomic(path, data, len);
  return err;
}

lobby_err photo_store_read(const char *dir, const char *name, char **data, size_t *len)
{
  char path[PATH_MAX];
  lobby_err err = join(dir, name, path, sizeof path);
  if (err != LOBBY_OK)
    return err;
  return lobby_fs_read_all(path, PHOTO_READ_MAX, data, len);
}

void photo_store_remove(const char *dir, const char *name)
{
  char path[PATH_MAX];
  if (join(dir, name, path, sizeof path) == LOBBY_OK && unlink(path) == 0)
    (void)lobby_fs_sync_dir(path);
}
