/* Remote screenshots.  Staff ask for one (POST /api/v1/kiosks/{name}/
 * screenshot); the kiosk hears of it on its feed long-poll
 * (handlers_kiosk.c, the Lobby-Screenshot header) and sends the PNG of
 * its screen with every private field and the keyboard's candidates
 * blanked (PUT /api/v1/screenshots/{request}); staff then read its state
 * and its picture.  The row is in the store and the picture a file in the
 * photo directory, so any instance sharing the database and the directory
 * answers any step; both go after [screenshots] keep_seconds
 * (screenshot_sweep).  The picture is never decoded here: its header is
 * checked and it is served back as it came, to staff only. */
#include "handlers.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "config.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "photo_probe.h"
#include "screenshot_file.h"
#include "store.h"

#define BLANKED_MAX 1000

static int64_t live_since(http_request *r, int64_t now)
{
  return now - r->d->cfg->retention.screenshot_seconds;
}

/* The kiosk named in the path, if the caller's sites reach it. */
static bool kiosk_reached(http_request *r, lobby_principal *k, enum MHD_Result *ret)
{
  lobby_err err = r->d->store->ops->kiosk_find(r->d->store, r->params[0], k);
  if (err == LOBBY_OK && !store_site_set_has(&r->who.sites, k->site_id))
    err = LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    return true;
  *ret = http_reply_store_error(r, err, "kiosk");
  return false;
}

/* The row as the API shows it: its state, when it goes, and where its
 * picture is once taken. */
static json_t *shot_json(http_request *r, json_t *row)
{
  json_t *taken = json_object_get(row, "taken_at");
  int64_t last = json_is_integer(taken) ? json_integer_value(taken)
                                        : json_integer_value(json_object_get(row, "requested_at"));
  json_object_del(row, "kiosk_id");
  json_object_set_new(row, "kiosk", json_string(r->params[0]));
  json_object_set_new(row, "state", json_string(json_is_integer(taken) ? "ready" : "pending"));
  json_object_set_new(row, "expires_at",
                      json_integer(last + r->d->cfg->retention.screenshot_seconds));
  if (json_is_integer(taken)) {
    char url[160];
    snprintf(url, sizeof url, "/api/v1/kiosks/%s/screenshot.png", r->params[0]);
    json_object_set_new(row, "image", json_string(url));
  }
  return row;
}

/* A pending request younger than [screenshots] answer_seconds is kept
 * (the kiosk is on it); an older one was lost and is replaced.  Never
 * older than keep_seconds, past which every operation treats a row as
 * gone. */
static int64_t pending_since(http_request *r, int64_t now)
{
  const lobbyd_retention_config *k = &r->d->cfg->retention;
  return now - (k->screenshot_answer_seconds < k->screenshot_seconds ? k->screenshot_answer_seconds
                                                                     : k->screenshot_seconds);
}

enum MHD_Result handle_screenshot_request(http_request *r)
{
  lobby_principal k;
  enum MHD_Result ret;
  if (!kiosk_reached(r, &k, &ret))
    return ret;
  unsigned char raw[16];
  char id[STORE_SCREENSHOT_ID_SIZE];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(id, sizeof id, raw, sizeof raw);
  audit_note note;
  json_t *row = NULL;
  int64_t now = lobby_now();
  lobby_err err = r->d->store->ops->screenshot_request(r->d->store, k.id, id, r->who.name, now,
                                                       pending_since(r, now), audit_of(r, &note),
                                                       &row);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "kiosk");
  /* A new request is published as a feed change: that wakes the kiosk's
   * long-poll, on whichever instance holds it, whose feed_ready then finds
   * the request.  Asking again while it is pending publishes nothing. */
  const char *kept = json_string_value(json_object_get(row, "request_id"));
  if (kept && strcmp(kept, id) == 0) {
    feed_changed(r);
    LOBBY_INFO("kiosk %s: screenshot asked for", r->params[0]);
  }
  return http_reply_json(r, 202, shot_json(r, row));
}

enum MHD_Result handle_screenshot_get(http_request *r)
{
  lobby_principal k;
  enum MHD_Result ret;
  json_t *row = NULL;
  if (!kiosk_reached(r, &k, &ret))
    return ret;
  lobby_err err = r->d->store->ops->screenshot_get(r->d->store, k.id, live_since(r, lobby_now()), &row);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "screenshot");
  return http_reply_json(r, 200, shot_json(r, row));
}

enum MHD_Result handle_screenshot_png(http_request *r)
{
  lobby_principal k;
  enum MHD_Result ret;
  json_t *row = NULL;
  if (!kiosk_reached(r, &k, &ret))
    return ret;
  lobby_err err = r->d->store->ops->screenshot_get(r->d->store, k.id, live_since(r, lobby_now()), &row);
  if (err == LOBBY_OK && !json_is_integer(json_object_get(row, "taken_at")))
    err = LOBBY_ENOTFOUND; /* asked for, not yet taken */
  char *png = NULL;
  size_t len = 0;
  char dir[512];
  lobbyd_config_photo_dir(r->d->cfg, dir, sizeof dir);
  if (err == LOBBY_OK)
    err = screenshot_file_read(dir, json_string_value(json_object_get(row, "request_id")), &png, &len);
  json_decref(row);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "screenshot");
  static const char *const names[] = {"Cache-Control"};
  static const char *const values[] = {"private, no-store"};
  ret = http_reply_buffer(r, 200, "image/png", png, len, names, values, 1);
  free(png);
  return ret;
}

/* A PNG within the sides a screen has, checked from its header alone. */
static bool upload_checked(http_request *r, photo_header *h, enum MHD_Result *ret)
{
  const uint8_t *body = (const uint8_t *)(r->body ? r->body : "");
  if (photo_sniff(body, r->body_len) != PHOTO_FORMAT_PNG)
    *ret = http_fail_field(r, 415, "unsupported_media_type", "screenshot",
                           "screenshot: send a PNG picture as the body");
  else if (photo_probe(body, r->body_len, h) != LOBBY_OK)
    *ret = http_fail_field(r, 400, "invalid_image", "screenshot", "screenshot: the picture is damaged");
  else if (h->width > SCREENSHOT_SIDE_MAX || h->height > SCREENSHOT_SIDE_MAX)
    *ret = http_fail_field(r, 413, "image_too_large", "screenshot",
                           "screenshot: at most %u pixels a side (this one has %u × %u)",
                           SCREENSHOT_SIDE_MAX, h->width, h->height);
  else
    return true;
  return false;
}

/* Only the kiosk asked may answer, and only its live, pending request:
 * another kiosk's request is not found, as if it did not exist. */
static bool request_is_mine(http_request *r, int64_t since, enum MHD_Result *ret)
{
  char pending[STORE_SCREENSHOT_ID_SIZE];
  lobby_err err = screenshot_id_valid(r->params[0]) ? LOBBY_OK : LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    err = r->d->store->ops->screenshot_pending(r->d->store, r->who.id, since, pending);
  if (err == LOBBY_OK && strcmp(pending, r->params[0]) != 0)
    err = LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    return true;
  *ret = http_reply_store_error(r, err, "screenshot request");
  return false;
}

enum MHD_Result handle_screenshot_upload(http_request *r)
{
  photo_header h;
  enum MHD_Result ret;
  int64_t now = lobby_now(), blanked = 0;
  if (!query_int(r, "blanked", 0, BLANKED_MAX, &blanked, &ret) || !upload_checked(r, &h, &ret) ||
      !request_is_mine(r, live_since(r, now), &ret))
    return ret;
  char dir[512];
  lobbyd_config_photo_dir(r->d->cfg, dir, sizeof dir);
  store_screenshot_shot shot = {.taken_at = now, .width = (int)h.width, .height = (int)h.height,
                                .blanked = (int)blanked};
  lobby_err err = screenshot_file_write(dir, r->params[0], (const uint8_t *)r->body, r->body_len);
  if (err == LOBBY_OK)
    err = r->d->store->ops->screenshot_taken(r->d->store, r->who.id, r->params[0], &shot,
                                             live_since(r, now));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "screenshot request");
  /* Every instance's list of wanted screenshots (screenshot_wants.h) is
   * read again, without this one. */
  feed_changed(r);
  LOBBY_INFO("kiosk %s: screenshot taken, %ux%u, %d private areas blanked", r->who.name, h.width,
             h.height, shot.blanked);
  return http_reply_json(r, 200, json_pack("{s:s, s:I}", "request_id", r->params[0], "taken_at",
                                           (json_int_t)now));
}

void screenshot_sweep(lobbyd *d, int64_t now)
{
  int rows = 0, files = 0;
  char dir[512];
  int64_t since = now - d->cfg->retention.screenshot_seconds;
  lobbyd_config_photo_dir(d->cfg, dir, sizeof dir);
  lobby_err err = d->store->ops->screenshot_expire(d->store, since, &rows);
  if (err != LOBBY_OK)
    LOBBY_WARN("screenshots: expiring rows failed: %s", lobby_strerror(err));
  err = screenshot_file_sweep(dir, since, &files);
  if (err != LOBBY_OK)
    LOBBY_WARN("screenshots: sweeping %s failed: %s", dir, lobby_strerror(err));
  if (rows > 0 || files > 0)
    LOBBY_INFO("screenshots: %d requests and %d pictures expired", rows, files);
}
