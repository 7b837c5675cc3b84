#include "lobby_feed.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Members left out of the hash: they change with every request or kiosk
 * while the content stays the same. */
static const char *const volatile_members[] = {"server_time", "kiosk", "version"};

static lobby_err content_text(const json_t *feed, char **out)
{
  json_t *content = json_copy((json_t *)feed);
  if (!content)
    return LOBBY_ENOMEM;
  for (size_t i = 0; i < sizeof volatile_members / sizeof volatile_members[0]; i++)
    json_object_del(content, volatile_members[i]);
  *out = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(content);
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

lobby_err lobby_feed_version(const json_t *feed, char out[LOBBY_FEED_VERSION_SIZE])
{
  if (!json_is_object(feed))
    return LOBBY_EINVAL;
  char *text;
  lobby_err err = content_text(feed, &text);
  if (err != LOBBY_OK)
    return err;
  unsigned char hash[(LOBBY_FEED_VERSION_SIZE - 1) / 2];
  crypto_generichash(hash, sizeof hash, (const unsigned char *)text, strlen(text), NULL, 0);
  free(text);
  sodium_bin2hex(out, LOBBY_FEED_VERSION_SIZE, hash, sizeof hash);
  return LOBBY_OK;
}

lobby_err lobby_feed_verify(const json_t *feed)
{
  const char *claimed = json_string_value(json_object_get(feed, "version"));
  if (!claimed)
    return LOBBY_EINVAL;
  char actual[LOBBY_FEED_VERSION_SIZE];
  lobby_err err = lobby_feed_version(feed, actual);
  if (err != LOBBY_OK)
    return err;
  return strcmp(claimed, actual) == 0 ? LOBBY_OK : LOBBY_EINVAL;
}
