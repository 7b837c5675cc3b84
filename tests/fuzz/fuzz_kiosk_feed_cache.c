/* The kiosk's feed cache file ($state_dir/feed.json), read at start-up
 * before anything is drawn. */
#include <jansson.h>
#include <unistd.h>
#include "feed_cache.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64], etag[128];
  json_t *feed = NULL;
  int64_t fetched_at = 0;
  fuzz_quiet();
  int fd = fuzz_file(data, size, path, sizeof path);
  if (fd < 0)
    return 0;
  if (kiosk_feed_cache_read(path, &feed, etag, sizeof etag, &fetched_at) == LOBBY_OK)
    json_decref(feed);
  close(fd);
  return 0;
}
