#include "lobby_paths.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The directory of the running binary, or LOBBY_ENOTFOUND where /proc is
 * not mounted (then only the absolute install paths are tried). */
static lobby_err exe_dir(char *out, size_t out_size)
{
  ssize_t n = readlink("/proc/self/exe", out, out_size - 1);
  if (n <= 0 || (size_t)n >= out_size - 1)
    return LOBBY_ENOTFOUND;
  out[n] = '\0';
  char *slash = strrchr(out, '/');
  if (!slash)
    return LOBBY_ENOTFOUND;
  *slash = '\0';
  return LOBBY_OK;
}

static lobby_err join(char *out, size_t out_size, const char *a, const char *b, const char *c)
{
  int n = snprintf(out, out_size, "%s%s%s%s%s", a, *b ? "/" : "", b, *c ? "/" : "", c);
  return n >= 0 && (size_t)n < out_size ? LOBBY_OK : LOBBY_ETOOBIG;
}

/* rel/sub beside the binary if it exists, else abs/sub. */
static lobby_err resolve(const char *rel, const char *abs, const char *sub, char *out,
                         size_t out_size)
{
  char dir[PATH_MAX];
  if (exe_dir(dir, sizeof dir) == LOBBY_OK) {
    char beside[PATH_MAX];
    if (join(beside, sizeof beside, dir, rel, sub) == LOBBY_OK && access(beside, F_OK) == 0)
      return join(out, out_size, beside, "", "");
  }
  return join(out, out_size, abs, sub, "");
}

lobby_err lobby_path_data(const char *sub, char *out, size_t out_size)
{
  return resolve(LOBBY_REL_PKGDATADIR, LOBBY_PKGDATADIR, sub, out, out_size);
}

lobby_err lobby_path_module(const char *file, char *out, size_t out_size)
{
  return resolve(LOBBY_REL_PKGLIBDIR, LOBBY_PKGLIBDIR, file, out, out_size);
}
