#include "screenshot_file.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lobby_fs.h"

#define PREFIX "screenshot-"
#define SUFFIX ".png"
#define ID_DIGITS 32

bool screenshot_id_valid(const char *id)
{
  if (!id || strlen(id) != ID_DIGITS)
    return false;
  for (int i = 0; i < ID_DIGITS; i++)
    if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
      return false;
  return true;
}

static bool is_screenshot_name(const char *name)
{
  size_t plen = strlen(PREFIX);
  if (strncmp(name, PREFIX, plen) != 0 || strlen(name) != plen + ID_DIGITS + strlen(SUFFIX))
    return false;
  char id[ID_DIGITS + 1];
  memcpy(id, name + plen, ID_DIGITS);
  id[ID_DIGITS] = '\0';
  return screenshot_id_valid(id) && strcmp(name + plen + ID_DIGITS, SUFFIX) == 0;
}

static lobby_err path_of(const char *dir, const char *id, char path[PATH_MAX])
{
  if (!screenshot_id_valid(id))
    return LOBBY_EINVAL;
  int n = snprintf(path, PATH_MAX, "%s/" PREFIX "%s" SUFFIX, dir, id);
  return n > 0 && n < PATH_MAX ? LOBBY_OK : LOBBY_EINVAL;
}

lobby_err screenshot_file_write(const char *dir, const char *id, const uint8_t *data, size_t len)
{
  char path[PATH_MAX];
  lobby_err err = path_of(dir, id, path);
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(dir);
  if (err == LOBBY_OK)
    err = lobby_fs_write_atomic(path, data, len);
  return err;
}

lobby_err screenshot_file_read(const char *dir, const char *id, char **data, size_t *len)
{
  char path[PATH_MAX];
  lobby_err err = path_of(dir, id, path);
  if (err != LOBBY_OK)
    return err;
  if (access(path, F_OK) != 0)
    return LOBBY_ENOTFOUND;
  return lobby_fs_read_all(path, SCREENSHOT_UPLOAD_MAX, data, len);
}

lobby_err screenshot_file_sweep(const char *dir, int64_t older_than, int *removed)
{
  *removed = 0;
  DIR *d = opendir(dir);
  if (!d)
    return errno == ENOENT ? LOBBY_OK : LOBBY_EIO;
  lobby_err err = LOBBY_OK;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char path[PATH_MAX];
    struct stat st;
    if (!is_screenshot_name(e->d_name) ||
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
        stat(path, &st) != 0 || (int64_t)st.st_mtime >= older_than)
      continue;
    if (unlink(path) == 0)
      (*removed)++;
    else if (errno != ENOENT)
      err = LOBBY_EIO; /* another instance may have swept it first */
  }
  closedir(d);
  return err;
}
