/* The kiosk feed's version: a hash of its content, computed the same way by
 * lobbyd (which sends it as the feed's "version" and ETag) and by the kiosk
 * (which refuses a feed whose body does not hash to the version it carries,
 * so a feed damaged on the way is never shown).  The content is the feed
 * without the members that differ per request or per kiosk: "server_time",
 * "kiosk" and "version" itself. */
#ifndef LOBBY_FEED_H
#define LOBBY_FEED_H

#include <jansson.h>
#include "lobby_error.h"

/* Hex digits of a version plus the terminating NUL. */
#define LOBBY_FEED_VERSION_SIZE 17

/* Writes the version of feed (a JSON object) to out: 16 lowercase hex
 * digits of a BLAKE2b hash of the compact, key-sorted JSON of its content.
 * LOBBY_EINVAL when feed is not an object, LOBBY_ENOMEM on allocation
 * failure. */
lobby_err lobby_feed_version(const json_t *feed, char out[LOBBY_FEED_VERSION_SIZE]);

/* LOBBY_OK when feed carries a "version" equal to the hash of its content;
 * LOBBY_EINVAL when it does not (damaged, or no version at all). */
lobby_err lobby_feed_verify(const json_t *feed);

#endif
