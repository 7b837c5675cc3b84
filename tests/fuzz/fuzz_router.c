/* A request line as a client may send it: the first byte picks who asks,
 * then "METHOD URL".  The URL is split at '?' and percent-decoded as
 * libmicrohttpd does, then lobbyd's router (router.c) matches the path,
 * authenticates and runs the handler, console files included, with an
 * empty body. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "fuzz_lobbyd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_lobbyd_start();
  if (size < 2)
    return 0;
  fuzz_role as = (fuzz_role)(data[0] % (FUZZ_KIOSK + 1));
  char *line = fuzz_text(data + 1, size - 1);
  if (!line)
    return 0;
  char *url = strchr(line, ' ');
  if (url) {
    *url++ = '\0';
    char *query = strchr(url, '?');
    http_fake_value args[8];
    size_t n = 0;
    if (query) {
      *query++ = '\0';
      n = fuzz_query_split(query, args, sizeof args / sizeof args[0]);
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
