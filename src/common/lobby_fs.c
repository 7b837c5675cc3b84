/* nftw() is an X/Open function. */
#define _XOPEN_SOURCE 700

#include "lobby_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static lobby_err write_all(int fd, const void *data, size_t len)
{
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return LOBBY_EIO;
    }
    p += n;
    len -= (size_t)n;
  }
  return LOBBY_OK;
}

lobby_err lobby_fs_sync_dir(const char *path)
{
  char copy[4096];
  size_t len = strlen(path);
  if (len >= sizeof copy)
    return LOBBY_EINVAL;
  memcpy(copy, path, len + 1);
  int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return LOBBY_EIO;
  int rc = fsync(fd);
  close(fd);
  return rc == 0 ? LOBBY_OK : LOBBY_EIO;
}

lobby_err lobby_fs_write_atomic(const char *path, const void *data, size_t len)
{
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
    return LOBBY_EINVAL;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return LOBBY_EIO;
  lobby_err err = write_all(fd, data, len);
  if (err == LOBBY_OK && fsync(fd) != 0)
    err = LOBBY_EIO;
  if (close(fd) != 0 && err == LOBBY_OK)
    err = LOBBY_EIO;
  if (err == LOBBY_OK && rename(tmp, path) != 0)
    err = LOBBY_EIO;
  if (err != LOBBY_OK) {
    unlink(tmp);
    return err;
  }
  return lobby_fs_sync_dir(path);
}

lobby_err lobby_fs_read_all(const char *path, size_t max, char **out, size_t *out_len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? LOBBY_ENOTFOUND : LOBBY_EIO;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return LOBBY_EIO;
  }
  if ((size_t)st.st_size > max) {
    close(fd);
    return LOBBY_ETOOBIG;
  }
  char *buf = malloc((size_t)st.st_size + 1);
  if (!buf) {
    close(fd);
    return LOBBY_ENOMEM;
  }
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  close(fd);
  buf[got] = '\0';
  *out = buf;
  if (out_len)
    *out_len = got;
  return LOBBY_OK;
}

lobby_err lobby_fs_mkdirs(const char *dir)
{
  char buf[4096];
  size_t len = strlen(dir);
  if (len >= sizeof buf)
    return LOBBY_EINVAL;
  memcpy(buf, dir, len + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
      return LOBBY_EIO;
    *p = '/';
  }
  if (mkdir(buf, 0700) != 0 && errno != EEXIST)
    return LOBBY_EIO;
  return LOBBY_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

lobby_err lobby_fs_remove_tree(const char *dir)
{
  struct stat st;
  if (lstat(dir, &st) != 0)
    return errno == ENOENT ? LOBBY_OK : LOBBY_EIO;
  return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? LOBBY_OK : LOBBY_EIO;
}
