/* A request line as a client may send it: the first byte picks who asks,
 * then "METHOD URL".  The URL is split at '?' and percent-decoded as
 * libmicrohttpd does, then lobbyd's router (router.c) matches the path,
 * authenticates and runs the handler, console files included, with an
 * empty body.  Lines after the first are headers ("Name: value"; a
 * "Cookie: NAME=VALUE" line is that cookie): with the first byte picking
 * nobody, a fuzzed Authorization, session cookie or X-CSRF-Token is what
 * authenticates. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "fuzz_lobbyd.h"

/* Splits the lines after the request line into headers and cookies. */
static size_t headers_of(char *lines, http_fake_value *out, size_t max)
{
  size_t n = 0;
  while (lines && *lines && n < max) {
    char *next = strchr(lines, '\n');
    if (next)
      *next++ = '\0';
    char *colon = strstr(lines, ": ");
    if (colon) {
      *colon = '\0';
      char *value = colon + 2;
      char *eq = strchr(value, '=');
      if (strcmp(lines, "Cookie") == 0 && eq) {
        *eq = '\0';
        out[n++] = (http_fake_value){MHD_COOKIE_KIND, value, eq + 1};
      } else {
        out[n++] = (http_fake_value){MHD_HEADER_KIND, lines, value};
      }
    }
    lines = next;
  }
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_lobbyd_start();
  if (size < 2)
    return 0;
  fuzz_role as = (fuzz_role)(data[0] % (FUZZ_KIOSK + 1));
  char *line = fuzz_text(data + 1, size - 1);
  if (!line)
    return 0;
  char *headers = strchr(line, '\n');
  if (headers)
    *headers++ = '\0';
  char *url = strchr(line, ' ');
  if (url) {
    *url++ = '\0';
    char *query = strchr(url, '?');
    http_fake_value args[14];
    size_t n = headers_of(headers, args, 6);
    if (query) {
      *query++ = '\0';
      n += fuzz_query_split(query, args + n, sizeof args / sizeof args[0] - n);
    }
    fuzz_url_path(url);
    /* libmicrohttpd answers a request with no method or an empty URL
     * itself. */
    if (line[0] && url[0]) {
      unsigned status = fuzz_lobbyd_call(line, url, as, args, n, NULL, 0, NULL);
      /* A console file is served only from under the console directory
       * and only to GET or HEAD. */
      if (status == 200 && strncmp(url, "/console/", 9) == 0 &&
          (strstr(url, "..") || (strcmp(line, "GET") != 0 && strcmp(line, "HEAD") != 0)))
        abort();
    }
  }
  free(line);
  return 0;
}
