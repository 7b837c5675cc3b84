/* The kiosk feed.  Kiosks of the same building and group see the same
 * notices, so the feed is built once per (building, group) and cached until
 * something it depends on changes.  Its version is a hash of its content:
 * the ETag stays the same across restarts when nothing changed. */
#ifndef LOBBYD_FEED_H
#define LOBBYD_FEED_H

#include <stddef.h>
#include "lobbyd.h"

#define FEED_ETAG_LEN 40

lobby_err feed_cache_create(lobbyd *d, feed_cache **out);
void feed_cache_free(feed_cache *fc);

/* Marks every cached feed stale; the next read rebuilds it.  Only
 * events_publish() calls it: a change reaches feeds as it reaches waiters. */
void feed_invalidate(feed_cache *fc);

/* A number that moves at every feed_invalidate(): what was read from the
 * store under an older one may be stale (screenshot_wants.c). */
unsigned long feed_generation(feed_cache *fc);

/* The current ETag ("\"<version>\"") of a kiosk's feed. */
lobby_err feed_etag(feed_cache *fc, const lobby_principal *kiosk, char etag[FEED_ETAG_LEN]);

/* The whole body for this kiosk, with the server time and the kiosk's own
 * name spliced in; malloc'd. */
lobby_err feed_body(feed_cache *fc, const lobby_principal *kiosk, char **body, size_t *len,
                    char etag[FEED_ETAG_LEN]);

#endif
