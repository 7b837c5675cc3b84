/* The feed: its cache on disk, the long-poll that keeps it current, and
 * the heartbeat that tells lobbyd the kiosk is alive. */
#include "kiosk_net_internal.h"
#include "lobby_tls_curl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "feed_cache.h"
#include "lobby_feed.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

/* ------------------------------------------------------------ feed cache */

static void feed_cache_save(kiosk_net *net, const json_t *feed, int64_t fetched_at)
{
  lobby_err err = kiosk_feed_cache_write(net->settings.feed_cache_path, feed, net->feed.feed_etag, fetched_at);
  if (err != LOBBY_OK)
    LOBBY_WARN("feed: could not save the cache: %s", lobby_strerror(err));
}

static void remember_feed_version(kiosk_net *net, const json_t *feed)
{
  const char *version = json_string_value(json_object_get(feed, "version"));
  snprintf(net->feed.feed_version, sizeof net->feed.feed_version, "%s", version ? version : "");
}

void kiosk_net__feed_cache_load(kiosk_net *net)
{
  json_t *feed = NULL;
  int64_t fetched_at = 0;
  lobby_err err = kiosk_feed_cache_read(net->settings.feed_cache_path, &feed, net->feed.feed_etag,
                                        sizeof net->feed.feed_etag, &fetched_at);
  if (err != LOBBY_OK) {
    if (err == LOBBY_EINVAL)
      LOBBY_WARN("feed: the cache is unreadable; ignoring it");
    else if (err != LOBBY_ENOTFOUND)
      LOBBY_WARN("feed: could not read the cache: %s", lobby_strerror(err));
    return;
  }
  remember_feed_version(net, feed);
  kiosk_net__images_want(net, feed);
  LOBBY_INFO("feed: showing the cached feed %s", net->feed.feed_version);
  kiosk_net__emit_feed(net, feed, true, fetched_at);
}

/* ------------------------------------------------------------ feed poll */

void kiosk_net__feed_start(kiosk_net *net)
{
  char path[128];
  bool conditional = net->feed.feed_etag_live && net->feed.feed_etag[0];
  /* shot: this kiosk takes screenshots, and has been told of this one. */
  const char *shot = net->feed.shot_told[0] ? net->feed.shot_told : "0";
  if (conditional)
    snprintf(path, sizeof path, "/api/v1/feed?wait=%d&shot=%s", net->settings.poll_wait_s, shot);
  else
    snprintf(path, sizeof path, "/api/v1/feed?shot=%s", shot);
  long timeout_ms = (long)(net->settings.poll_wait_s + LONG_POLL_GRACE_S) * 1000L;
  transfer *t = kiosk_net__transfer_new(net, XFER_FEED, path, FEED_RESPONSE_MAX_BYTES, timeout_ms);
  if (t && conditional) {
    snprintf(t->sent_etag, sizeof t->sent_etag, "%s", net->feed.feed_etag);
    if (kiosk_net__add_header_value(t, "If-None-Match", net->feed.feed_etag) != LOBBY_OK) {
      kiosk_net__transfer_free(t);
      t = NULL;
    }
  }
  if (!t || kiosk_net__transfer_start(net, t) != LOBBY_OK) {
    LOBBY_ERROR("feed: could not start a request");
    kiosk_net__backoff_fail(net, &net->feed.feed_backoff);
    return;
  }
  t->started_ms = lobby_monotonic_ms();
  net->feed.feed_transfer = t;
}

/* A held long-poll ends with a change or at its deadline; an instant 304,
 * or a 200 carrying the very ETag we sent, means the server did not hold
 * it, and asking again at once would spin. */
static void feed_space_out_instant_answers(kiosk_net *net, const transfer *t, long status)
{
  if (!t->sent_etag[0] || lobby_monotonic_ms() - t->started_ms >= FEED_MIN_SPACING_MS)
    return;
  bool unchanged = status == 304 || (status == 200 && strcmp(t->sent_etag, net->feed.feed_etag) == 0);
  if (unchanged)
    net->feed.feed_backoff.next_at_ms = t->started_ms + FEED_MIN_SPACING_MS;
}

static int64_t feed_fetched_at(const json_t *feed)
{
  int64_t t;
  const char *server_time = json_string_value(json_object_get(feed, "server_time"));
  if (server_time && lobby_time_parse(server_time, &t) == LOBBY_OK)
    return t;
  return lobby_now();
}

/* A feed is shown only when its content hashes to the version it carries
 * and the ETag, when there is one, names that same version: a body damaged
 * on the way then never replaces the feed on screen. */
static bool feed_intact(const transfer *t, const json_t *feed)
{
  if (lobby_feed_verify(feed) != LOBBY_OK)
    return false;
  if (!t->etag[0])
    return true;
  char quoted[LOBBY_FEED_VERSION_SIZE + 2];
  snprintf(quoted, sizeof quoted, "\"%s\"", json_string_value(json_object_get(feed, "version")));
  return strcmp(quoted, t->etag) == 0;
}

/* Keeps the previous feed and counts the refusal; the count is in the log
 * line so a soak test can total it. */
static void feed_refuse(kiosk_net *net)
{
  net->feed.feeds_refused++;
  LOBBY_WARN("feed: refused a damaged feed (%lu refused so far); keeping version %s",
             net->feed.feeds_refused, net->feed.feed_version[0] ? net->feed.feed_version : "none");
}

static bool feed_accept(kiosk_net *net, transfer *t)
{
  json_t *feed = kiosk_net__response_json(t);
  if (!json_is_object(feed) || !feed_intact(t, feed)) {
    json_decref(feed);
    feed_refuse(net);
    return false;
  }
  const char *version = json_string_value(json_object_get(feed, "version"));
  snprintf(net->feed.feed_etag, sizeof net->feed.feed_etag, "%s", t->etag[0] ? t->etag : version ? version : "");
  remember_feed_version(net, feed);
  int64_t fetched_at = feed_fetched_at(feed);
  feed_cache_save(net, feed, fetched_at);
  kiosk_net__images_want(net, feed);
  LOBBY_INFO("feed: version %s", net->feed.feed_version);
  kiosk_net__emit_feed(net, feed, false, fetched_at);
  return true;
}

void kiosk_net__feed_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = kiosk_net__classify(rc, status);
  if (outcome == OUTCOME_OK && (status == 200 || status == 304)) {
    kiosk_net__note_exchange_ok(net); /* before the feed, so the screen drops "offline" first */
    kiosk_net__retry_outbox_now(net);
  }
  bool ok = outcome == OUTCOME_OK && (status == 304 || (status == 200 && feed_accept(net, t)));
  if (ok && t->shot[0] && strcmp(t->shot, net->feed.shot_told) != 0) {
    memcpy(net->feed.shot_told, t->shot, sizeof net->feed.shot_told);
    LOBBY_INFO("screenshot: asked for (request %.8s...)", t->shot);
    kiosk_net__emit_screenshot(net, t->shot);
  }
  if (ok) {
    kiosk_net__backoff_reset(&net->feed.feed_backoff);
    /* The first heartbeat waits for the first feed, so it can already
     * report which feed version the kiosk shows. */
    if (!net->heartbeat.heartbeat_sent)
      net->heartbeat.heartbeat_due_ms = 0;
    feed_space_out_instant_answers(net, t, status);
    net->feed.feed_etag_live = net->feed.feed_etag[0] != '\0';
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  kiosk_net__describe_failure(t, rc, status, why, sizeof why);
  if (outcome == OUTCOME_OK) {
    /* The server answered, but not with a feed: it is there, so this is
     * not an outage; retry with back-off without going offline. */
    LOBBY_WARN("feed: unexpected answer (%s)", why);
    net->feed.feed_etag_live = false;
  } else {
    kiosk_net__note_exchange_failed(net, outcome, lobby_tls_curl_failure(rc), why);
  }
  int64_t delay = kiosk_net__backoff_fail(net, &net->feed.feed_backoff);
  LOBBY_DEBUG("feed: retry in %lld ms", (long long)delay);
}

/* ------------------------------------------------------------ heartbeat */

/* Adds to body what staff see of the kiosk's health on the fleet page:
 * how long it has run, the free space where it keeps its outbox and
 * feed (a full disk stops it queuing), and its sound. */
static void heartbeat_add_health(kiosk_net *net, json_t *body)
{
  static const char *const audio_names[] = {[KIOSK_NET_AUDIO_OK] = "ok", [KIOSK_NET_AUDIO_NONE] = "none",
                                            [KIOSK_NET_AUDIO_OFF] = "off"};
  int64_t uptime_s = (lobby_monotonic_ms() - net->settings.started_ms) / 1000;
  json_object_set_new(body, "uptime_s", json_integer(uptime_s < INT_MAX ? uptime_s : INT_MAX));
  struct statvfs fs;
  if (statvfs(net->settings.state_dir, &fs) == 0) {
    uint64_t mb = (uint64_t)fs.f_bavail * fs.f_frsize / (1024 * 1024);
    json_object_set_new(body, "disk_free_mb", json_integer(mb < INT_MAX ? (json_int_t)mb : INT_MAX));
  }
  int audio = atomic_load(&net->audio);
  if (audio > KIOSK_NET_AUDIO_UNREPORTED && audio <= KIOSK_NET_AUDIO_OFF)
    json_object_set_new(body, "audio", json_string(audio_names[audio]));
}

void kiosk_net__heartbeat_start(kiosk_net *net)
{
  net->heartbeat.heartbeat_sent = true;
  net->heartbeat.heartbeat_due_ms = lobby_monotonic_ms() + (int64_t)net->settings.heartbeat_s * 1000;
  json_t *body = json_pack("{s:s, s:s, s:i}", "version", net->settings.version, "feed_version",
                           net->feed.feed_version, "queued", atomic_load(&net->queued));
  if (body)
    heartbeat_add_health(net, body);
  transfer *t = body ? kiosk_net__transfer_new(net, XFER_HEARTBEAT, "/api/v1/kiosks/heartbeat",
                                               CALL_RESPONSE_MAX_BYTES, HEARTBEAT_TIMEOUT_MS)
                     : NULL;
  lobby_err err = t ? kiosk_net__set_request_body(t, body) : LOBBY_ENOMEM;
  json_decref(body);
  if (err == LOBBY_OK)
    err = kiosk_net__set_method(t, "POST");
  if (err != LOBBY_OK) {
    kiosk_net__transfer_free(t);
    LOBBY_ERROR("heartbeat: could not start a request");
    return;
  }
  if (kiosk_net__transfer_start(net, t) == LOBBY_OK)
    net->heartbeat.heartbeat_transfer = t;
}

void kiosk_net__heartbeat_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = kiosk_net__classify(rc, status);
  if (outcome == OUTCOME_OK) {
    if (status >= 400)
      LOBBY_WARN("heartbeat: refused with HTTP %ld", status);
    kiosk_net__note_exchange_ok(net);
    kiosk_net__retry_outbox_now(net);
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  kiosk_net__describe_failure(t, rc, status, why, sizeof why);
  kiosk_net__note_exchange_failed(net, outcome, lobby_tls_curl_failure(rc), why);
}
