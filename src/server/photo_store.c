#include "photo_store.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lobby_fs.h"
#include "lobby_repair.h"

#define NAME_DIGITS 32 /* 128 bits of the digest: no two uploads share a name */
#define NOTICE_PREFIX "notice"
/* A kept photo or poster is a JPEG of at most 1920 pixels a side: well
 * under this. */
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

lobby_err photo_store_notice_name(const char *sha256_hex, char name[PHOTO_NAME_SIZE])
{
  if (strlen(sha256_hex) < NAME_DIGITS || !is_hex(sha256_hex, NAME_DIGITS))
    return LOBBY_EINVAL;
  int n = snprintf(name, PHOTO_NAME_SIZE, "%s-%.*s.jpg", NOTICE_PREFIX, NAME_DIGITS, sha256_hex);
  return n > 0 && n < PHOTO_NAME_SIZE ? LOBBY_OK : LOBBY_EINVAL;
}

/* A name either function makes: a ticket or "notice", a dash, the
 * digits, ".jpg". */
static bool name_ok(const char *name)
{
  size_t len = strlen(name), tail = 1 + NAME_DIGITS + 4;
  if (len <= tail || len >= PHOTO_NAME_SIZE)
    return false;
  char owner[PHOTO_NAME_SIZE];
  memcpy(owner, name, len - tail);
  owner[len - tail] = '\0';
  const char *rest = name + len - tail;
  return (repair_ticket_valid(owner) || strcmp(owner, NOTICE_PREFIX) == 0) && rest[0] == '-' &&
         is_hex(rest + 1, NAME_DIGITS) && strcmp(rest + 1 + NAME_DIGITS, ".jpg") == 0;
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

/* A file's name in dir when it is an old photo no row names. */
static lobby_err sweep_one(const char *dir, const char *name, int64_t older_than,
                           lobby_err (*named)(void *, const char *, bool *), void *ctx, bool *gone)
{
  char path[PATH_MAX];
  struct stat st;
  bool is_named = true;
  *gone = false;
  if (join(dir, name, path, sizeof path) != LOBBY_OK || lstat(path, &st) != 0 ||
      !S_ISREG(st.st_mode) || (int64_t)st.st_mtime >= older_than)
    return LOBBY_OK;
  lobby_err err = named(ctx, name, &is_named);
  if (err != LOBBY_OK || is_named)
    return err;
  if (unlink(path) != 0)
    return errno == ENOENT ? LOBBY_OK : LOBBY_EIO;
  *gone = true;
  return LOBBY_OK;
}

lobby_err photo_store_sweep(const char *dir, int64_t older_than,
                            lobby_err (*named)(void *ctx, const char *name, bool *is_named),
                            void *ctx, int *removed)
{
  *removed = 0;
  DIR *d = opendir(dir);
  if (!d)
    return errno == ENOENT ? LOBBY_OK : LOBBY_EIO; /* no photo was ever kept */
  lobby_err err = LOBBY_OK;
  struct dirent *e;
  while (err == LOBBY_OK && (e = readdir(d)) != NULL) {
    bool gone = false;
    err = sweep_one(dir, e->d_name, older_than, named, ctx, &gone);
    *removed += gone;
  }
  closedir(d);
  char inside[PATH_MAX];
  if (*removed > 0 && err == LOBBY_OK && snprintf(inside, sizeof inside, "%s/.", dir) < (int)sizeof inside)
    err = lobby_fs_sync_dir(inside);
  return err;
}
