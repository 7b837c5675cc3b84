/* The kiosk's last good feed on disk, $state_dir/feed.json: the feed with
 * its ETag and the time the server produced it.  The network thread writes
 * it after every new feed (write, fsync, rename: a power cut leaves the
 * old feed or the new one) and reads it when it starts; the kiosk reads it
 * at start-up too, so that a restart's first frame shows the notices
 * before the network is up. */
#ifndef KIOSK_FEED_CACHE_H
#define KIOSK_FEED_CACHE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

/* The cache file of a state directory. */
lobby_err kiosk_feed_cache_path(const char *state_dir, char *out, size_t cap);
lobby_err kiosk_feed_cache_write(const char *path, const json_t *feed, const char *etag,
                                 int64_t fetched_at);
/* *feed becomes the caller's; etag (etag_cap bytes, may be NULL) and
 * *fetched_at are filled in.  LOBBY_ENOTFOUND when there is no cache,
 * LOBBY_EINVAL when it cannot be read as one. */
lobby_err kiosk_feed_cache_read(const char *path, json_t **feed, char *etag, size_t etag_cap,
                                int64_t *fetched_at);

#endif
