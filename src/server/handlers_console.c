/* The staff console's static files under /console/, read from the
 * configured directory.  Only plain names of known types are served: no
 * dot segments, no hidden files, and the resolved path must stay inside
 * the directory, so nothing else on the machine can be reached. */
#include "handlers.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lobby_log.h"

#define CONSOLE_FILE_MAX (2 * 1024 * 1024)

/* Only the console's own files run or load; no inline script or style, no
 * framing by other sites. */
#define CONSOLE_CSP                                                                   \
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "  \
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

typedef struct {
  const char *ext;
  const char *type;
} mime_type;

static const mime_type mime_types[] = {
  {".html", "text/html; charset=utf-8"},
  {".css", "text/css; charset=utf-8"},
  {".js", "text/javascript; charset=utf-8"},
  {".json", "application/json; charset=utf-8"},
  {".svg", "image/svg+xml"},
  {".png", "image/png"},
  {".ico", "image/x-icon"},
};

static const char *type_of(const char *path)
{
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof mime_types / sizeof mime_types[0]; i++)
    if (strcmp(dot, mime_types[i].ext) == 0)
      return mime_types[i].type;
  return NULL;
}

/* Each segment: 1..64 of [A-Za-z0-9_.-], not starting with a dot. */
static bool relative_path_safe(const char *rel)
{
  if (*rel == '\0' || strlen(rel) > 200)
    return false;
  const char *seg = rel;
  while (*seg) {
    size_t n = strcspn(seg, "/");
    if (n == 0 || n > 64 || seg[0] == '.')
      return false;
    for (size_t i = 0; i < n; i++) {
      char c = seg[i];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
      if (!ok)
        return false;
    }
    seg += n;
    if (*seg == '/')
      seg++;
  }
  return true;
}

static lobby_err read_inside(const char *dir, const char *rel, char **data, size_t *len)
{
  char root[PATH_MAX], joined[PATH_MAX + 256], real[PATH_MAX];
  if (!realpath(dir, root))
    return LOBBY_ENOTFOUND;
  snprintf(joined, sizeof joined, "%s/%s", root, rel);
  if (!realpath(joined, real))
    return LOBBY_ENOTFOUND;
  size_t rn = strlen(root);
  /* A symlink inside the directory must not lead out of it either. */
  if (strncmp(real, root, rn) != 0 || real[rn] != '/')
    return LOBBY_ENOTFOUND;
  struct stat sb;
  if (stat(real, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > CONSOLE_FILE_MAX)
    return LOBBY_ENOTFOUND;
  FILE *f = fopen(real, "rb");
  if (!f)
    return LOBBY_ENOTFOUND;
  *data = malloc((size_t)sb.st_size + 1);
  *len = *data ? fread(*data, 1, (size_t)sb.st_size, f) : 0;
  fclose(f);
  if (!*data)
    return LOBBY_ENOMEM;
  return LOBBY_OK;
}

static enum MHD_Result serve(http_request *r, const char *rel)
{
  static const char *const names[] = {"Content-Security-Policy", "X-Content-Type-Options",
                                      "X-Frame-Options", "Referrer-Policy"};
  static const char *const values[] = {CONSOLE_CSP, "nosniff", "DENY", "no-referrer"};
  const char *type = type_of(rel);
  char *data = NULL;
  size_t len = 0;
  if (!type || !relative_path_safe(rel) || !r->d->cfg->server.console_dir[0] ||
      read_inside(r->d->cfg->server.console_dir, rel, &data, &len) != LOBBY_OK)
    return http_fail(r, 404, "not_found", "no such console file");
  enum MHD_Result ret = http_reply_buffer(r, 200, type, data, len, names, values,
                                          sizeof names / sizeof names[0]);
  free(data);
  return ret;
}

enum MHD_Result handle_console_file(http_request *r)
{
  if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
    return http_fail(r, 405, "method_not_allowed", "%s is not allowed on %s", r->method, r->path);
  if (strcmp(r->path, "/console") == 0) {
    static const char *const names[] = {"Location"};
    static const char *const values[] = {"/console/"};
    return http_reply_buffer(r, 302, "text/plain; charset=utf-8", "", 0, names, values, 1);
  }
  const char *rel = r->path + strlen("/console/");
  return serve(r, *rel ? rel : "index.html");
}

lobby_err console_dir_check(const char *dir)
{
  char index[PATH_MAX];
  int n = snprintf(index, sizeof index, "%s/index.html", dir);
  if (dir[0] && n > 0 && (size_t)n < sizeof index && access(index, R_OK) == 0)
    return LOBBY_OK;
  LOBBY_WARN("no staff console at '%s': /console/ answers 404; remove [server] console_dir "
             "to serve the installed one, or point it at a directory with index.html", dir);
  return LOBBY_ENOTFOUND;
}
