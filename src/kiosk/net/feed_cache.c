#include "feed_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_fs.h"

/* Larger than any feed lobbyd sends; a bigger file is not a cache of ours. */
#define FEED_CACHE_MAX_BYTES (8u * 1024 * 1024)

lobby_err kiosk_feed_cache_path(const char *state_dir, char *out, size_t cap)
{
  int n = snprintf(out, cap, "%s/feed.json", state_dir);
  return n < 0 || (size_t)n >= cap ? LOBBY_ETOOBIG : LOBBY_OK;
}

lobby_err kiosk_feed_cache_write(const char *path, const json_t *feed, const char *etag,
                                 int64_t fetched_at)
{
  json_t *wrapper = json_pack("{s:s, s:I, s:O}", "etag", etag ? etag : "", "fetched_at",
                              (json_int_t)fetched_at, "feed", feed);
  char *text = wrapper ? json_dumps(wrapper, JSON_COMPACT) : NULL;
  json_decref(wrapper);
  lobby_err err = text ? lobby_fs_write_atomic(path, text, strlen(text)) : LOBBY_ENOMEM;
  free(text);
  return err;
}

lobby_err kiosk_feed_cache_read(const char *path, json_t **feed, char *etag, size_t etag_cap,
                                int64_t *fetched_at)
{
  *feed = NULL;
  char *text = NULL;
  size_t len = 0;
  lobby_err err = lobby_fs_read_all(path, FEED_CACHE_MAX_BYTES, &text, &len);
  if (err != LOBBY_OK)
    return err;
  json_t *wrapper = json_loadb(text, len, 0, NULL);
  free(text);
  json_t *cached = json_object_get(wrapper, "feed");
  if (!json_is_object(cached)) {
    json_decref(wrapper);
    return LOBBY_EINVAL;
  }
  if (etag) {
    const char *e = json_string_value(json_object_get(wrapper, "etag"));
    snprintf(etag, etag_cap, "%s", e ? e : "");
  }
  *fetched_at = json_integer_value(json_object_get(wrapper, "fetched_at"));
  *feed = json_incref(cached);
  json_decref(wrapper);
  return LOBBY_OK;
}
