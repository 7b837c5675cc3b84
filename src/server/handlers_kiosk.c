/* What kiosks call all day: the feed (long-polled) and the heartbeat. */
#include "handlers.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "feed.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "longpoll.h"
#include "presence.h"
#include "screenshot_file.h"
#include "screenshot_wants.h"

#define FEED_WAIT_MAX_S 60

/* A kiosk that can take screenshots says so with `shot`: the request it
 * answered last, or "0".  The long-poll carries a staff member's request
 * to it (handlers_screenshots.c): while a live request other than that
 * one is pending, the poll answers at once with its id in this header.
 * The feed route has no path parameters, so params[0] keeps `shot` for
 * the long-poll thread. */
#define SHOT_HEADER "Lobby-Screenshot"
#define SHOT_HELD(r) ((r)->params[0])

static bool shot_wanted(http_request *r, char id[STORE_SCREENSHOT_ID_SIZE])
{
  if (!SHOT_HELD(r)[0])
    return false; /* a kiosk that takes none */
  int64_t since = lobby_now() - r->d->cfg->retention.screenshot_seconds;
  return screenshot_wants_pending(r->d->shots, r->who.id, since, id) && strcmp(id, SHOT_HELD(r)) != 0;
}

/* Most polls find the feed unchanged: the 304 is decided on the ETag alone,
 * so the body is built only when it is sent. */
static enum MHD_Result feed_reply(http_request *r)
{
  char etag[FEED_ETAG_LEN], shot[STORE_SCREENSHOT_ID_SIZE];
  const char *held = http_header(r, "If-None-Match");
  lobby_err err = feed_etag(r->d->feed, &r->who, etag);
  bool wanted = err == LOBBY_OK && shot_wanted(r, shot);
  const char *names[] = {"ETag", SHOT_HEADER}, *values[] = {etag, shot};
  if (err == LOBBY_OK && held && strcmp(held, etag) == 0)
    return http_reply_buffer(r, 304, NULL, "", 0, names, values, wanted ? 2 : 1);
  char *body;
  size_t len;
  if (err == LOBBY_OK)
    err = feed_body(r->d->feed, &r->who, &body, &len, etag);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "feed");
  return http_reply_buffer_take(r, 200, "application/json; charset=utf-8", body, len, names, values,
                                wanted ? 2 : 1);
}

static bool feed_ready(http_request *r)
{
  char etag[FEED_ETAG_LEN], shot[STORE_SCREENSHOT_ID_SIZE];
  if (feed_etag(r->d->feed, &r->who, etag) != LOBBY_OK)
    return true; /* let the answer report the error */
  return strcmp(etag, r->poll.etag) != 0 || shot_wanted(r, shot);
}

/* The `shot` query parameter into SHOT_HELD; false with a 400 queued. */
static bool shot_query(http_request *r, enum MHD_Result *ret)
{
  const char *shot = http_query(r, "shot");
  SHOT_HELD(r)[0] = '\0';
  if (!shot)
    return true;
  if (strcmp(shot, "0") != 0 && !screenshot_id_valid(shot)) {
    *ret = http_fail_field(r, 400, "invalid_field", "shot", "shot: 0 or a screenshot request id");
    return false;
  }
  snprintf(SHOT_HELD(r), sizeof SHOT_HELD(r), "%s", shot);
  return true;
}

static enum MHD_Result feed_answer(http_request *r)
{
  presence_touch(r->d->kiosks, r->who.id, lobby_now(), -1);
  if (r->poll.state == POLL_TIMEOUT)
    return http_reply_empty(r, 304, r->poll.etag);
  return feed_reply(r);
}

enum MHD_Result handle_feed(http_request *r)
{
  const char *held = http_header(r, "If-None-Match");
  int wait_s;
  enum MHD_Result ret;
  if (!longpoll_query_wait(r, FEED_WAIT_MAX_S, &wait_s, &ret) || !shot_query(r, &ret))
    return ret;
  char etag[FEED_ETAG_LEN];
  lobby_err err = feed_etag(r->d->feed, &r->who, etag);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "feed");
  char shot[STORE_SCREENSHOT_ID_SIZE];
  if (wait_s > 0 && held && strcmp(held, etag) == 0 && !shot_wanted(r, shot)) {
    snprintf(r->poll.etag, sizeof r->poll.etag, "%s", held);
    r->poll.ready = feed_ready;
    r->poll.answer = feed_answer;
    presence_touch(r->d->kiosks, r->who.id, lobby_now(), +1);
    return longpoll_wait(r->d->poll, r, WATCH_FEED, (int64_t)wait_s * 1000);
  }
  presence_touch(r->d->kiosks, r->who.id, lobby_now(), 0);
  return feed_reply(r);
}

enum MHD_Result handle_heartbeat(http_request *r)
{
  static const char *const fields[] = {"version", "feed_version", "queued", "uptime_s", "disk_free_mb", "audio",
                                       NULL};
  static const char *const audio_states[] = {"ok", "none", "off", NULL};
  json_t *in;
  enum MHD_Result ret;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  http_error e;
  store_kiosk_status k = {.uptime_s = -1, .disk_free_mb = -1};
  if (jin_string(in, "version", false, 0, 32, false, &k.version, &e) != LOBBY_OK ||
      jin_string(in, "feed_version", false, 0, 32, false, &k.feed_version, &e) != LOBBY_OK ||
      jin_int(in, "queued", false, 0, 1000000, &k.queued, &e) != LOBBY_OK ||
      jin_int(in, "uptime_s", false, 0, INT_MAX, &k.uptime_s, &e) != LOBBY_OK ||
      jin_int(in, "disk_free_mb", false, 0, INT_MAX, &k.disk_free_mb, &e) != LOBBY_OK ||
      jin_enum(in, "audio", false, audio_states, &k.audio, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  int64_t now = lobby_now();
  lobby_err err = r->d->store->ops->kiosk_heartbeat(r->d->store, r->who.id, &k, now);
  json_decref(in);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "kiosk");
  presence_touch(r->d->kiosks, r->who.id, now, 0);
  char iso[LOBBY_ISO_LEN];
  lobby_time_format(now, r->d->cfg->sla.offset_min, iso);
  return http_reply_json(r, 200, json_pack("{s:s}", "server_time", iso));
}
