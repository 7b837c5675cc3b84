#include "feed.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_feed.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "http.h"

typedef struct feed_entry {
  int64_t site_id;
  char building[17];
  char group[33];
  unsigned long generation;
  char etag[FEED_ETAG_LEN];
  char *rest;       /* the JSON object's members after its opening brace */
  size_t rest_len;
  struct feed_entry *next;
} feed_entry;

/* Every poll reads the cache and almost none changes it: readers share
 * the lock, and only a rebuild after a change (or a new building and
 * group) takes it alone. */
struct feed_cache {
  lobbyd *d;
  pthread_rwlock_t lock;
  unsigned long generation;
  feed_entry *entries;
};

lobby_err feed_cache_create(lobbyd *d, feed_cache **out)
{
  feed_cache *fc = calloc(1, sizeof *fc);
  if (!fc)
    return LOBBY_ENOMEM;
  fc->d = d;
  fc->generation = 1;
  if (pthread_rwlock_init(&fc->lock, NULL) != 0) {
    free(fc);
    return LOBBY_ENOMEM;
  }
  *out = fc;
  return LOBBY_OK;
}

void feed_cache_free(feed_cache *fc)
{
  if (!fc)
    return;
  while (fc->entries) {
    feed_entry *e = fc->entries;
    fc->entries = e->next;
    free(e->rest);
    free(e);
  }
  pthread_rwlock_destroy(&fc->lock);
  free(fc);
}

void feed_invalidate(feed_cache *fc)
{
  pthread_rwlock_wrlock(&fc->lock);
  fc->generation++;
  pthread_rwlock_unlock(&fc->lock);
}

unsigned long feed_generation(feed_cache *fc)
{
  pthread_rwlock_rdlock(&fc->lock);
  unsigned long g = fc->generation;
  pthread_rwlock_unlock(&fc->lock);
  return g;
}

/* Splits the current emergency (the first emergency notice in display
 * order) out of the notice list. */
static json_t *take_emergency(json_t *notices)
{
  size_t i;
  json_t *n;
  json_array_foreach(notices, i, n) {
    if (json_is_true(json_object_get(n, "emergency"))) {
      json_t *e = json_incref(n);
      json_array_remove(notices, i);
      return e;
    }
  }
  return json_null();
}

/* The site's name and service phone, or the ini's [site] where the
 * site has none set (a database made before sites, until staff set them). */
static json_t *site_header(lobbyd *d, const store_site *site)
{
  return json_pack("{s:s, s:s}",
                   "name", site->name[0] ? site->name : d->cfg->site_name,
                   "service_phone", site->service_phone[0] ? site->service_phone
                                                           : d->cfg->service_phone);
}

static lobby_err build_content(lobbyd *d, int64_t site_id, const char *building,
                               const char *group, json_t **out)
{
  lobby_store *st = d->store;
  json_t *notices = NULL, *bld = NULL, *dir = NULL;
  store_site site;
  store_site_set own = store_site_one(site_id);
  lobby_err err = st->ops->site_get_by_id(st, site_id, &site);
  if (err == LOBBY_OK)
    err = st->ops->notice_for_kiosk(st, site_id, building, group, lobby_now(), &notices);
  if (err == LOBBY_OK)
    err = st->ops->building_get(st, building, &bld);
  if (err == LOBBY_ENOTFOUND) {
    bld = json_pack("{s:s, s:s, s:b}", "code", building, "name", building, "requires_approval", 0);
    err = LOBBY_OK;
  }
  if (err == LOBBY_OK)
    err = st->ops->directory_get(st, &own, &dir);
  if (err != LOBBY_OK) {
    json_decref(notices);
    json_decref(bld);
    json_decref(dir);
    return err;
  }
  json_t *emergency = take_emergency(notices);
  *out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "site", site_header(d, &site),
                   "building", bld, "notices", notices, "emergency", emergency, "directory", dir);
  http_format_times(*out, d->cfg->sla.offset_min);
  return *out ? LOBBY_OK : LOBBY_ENOMEM;
}

static lobby_err entry_rebuild(feed_cache *fc, feed_entry *e)
{
  json_t *content;
  lobby_err err = build_content(fc->d, e->site_id, e->building, e->group, &content);
  if (err != LOBBY_OK)
    return err;
  char hex[LOBBY_FEED_VERSION_SIZE];
  err = lobby_feed_version(content, hex);
  if (err != LOBBY_OK) {
    json_decref(content);
    return err;
  }
  json_object_set_new(content, "version", json_string(hex));
  char *text = json_dumps(content, JSON_COMPACT);
  json_decref(content);
  if (!text)
    return LOBBY_ENOMEM;
  free(e->rest);
  e->rest_len = strlen(text) - 1;
  e->rest = text;
  memmove(e->rest, e->rest + 1, e->rest_len + 1);
  snprintf(e->etag, sizeof e->etag, "\"%s\"", hex);
  e->generation = fc->generation;
  return LOBBY_OK;
}

/* The kiosk's entry, fresh or not, or NULL; with fc->lock held. */
static feed_entry *entry_find(feed_cache *fc, const lobby_principal *k)
{
  feed_entry *e = fc->entries;
  while (e && (e->site_id != k->site_id || strcmp(e->building, k->building) != 0 ||
               strcmp(e->group, k->group) != 0))
    e = e->next;
  return e;
}

/* The fresh entry for a kiosk; the caller holds fc->lock for writing. */
static lobby_err entry_get(feed_cache *fc, const lobby_principal *k, feed_entry **out)
{
  feed_entry *e = entry_find(fc, k);
  if (!e) {
    e = calloc(1, sizeof *e);
    if (!e)
      return LOBBY_ENOMEM;
    e->site_id = k->site_id;
    snprintf(e->building, sizeof e->building, "%s", k->building);
    snprintf(e->group, sizeof e->group, "%s", k->group);
    e->next = fc->entries;
    fc->entries = e;
  }
  if (e->generation != fc->generation || !e->rest) {
    lobby_err err = entry_rebuild(fc, e);
    if (err != LOBBY_OK)
      return err;
  }
  *out = e;
  return LOBBY_OK;
}

/* Locks fc and gives the kiosk's fresh entry: shared when it is fresh
 * already, alone when it must be made or rebuilt.  The caller unlocks,
 * on error too. */
static lobby_err lock_entry(feed_cache *fc, const lobby_principal *k, feed_entry **out)
{
  pthread_rwlock_rdlock(&fc->lock);
  feed_entry *e = entry_find(fc, k);
  if (e && e->rest && e->generation == fc->generation) {
    *out = e;
    return LOBBY_OK;
  }
  pthread_rwlock_unlock(&fc->lock);
  pthread_rwlock_wrlock(&fc->lock);
  return entry_get(fc, k, out);
}

lobby_err feed_etag(feed_cache *fc, const lobby_principal *kiosk, char etag[FEED_ETAG_LEN])
{
  feed_entry *e;
  lobby_err err = lock_entry(fc, kiosk, &e);
  if (err == LOBBY_OK)
    memcpy(etag, e->etag, FEED_ETAG_LEN);
  pthread_rwlock_unlock(&fc->lock);
  return err;
}

/* The parts one after another in one malloc'd string, or NULL. */
static char *text_join(const char *const *parts, size_t count)
{
  size_t lens[8], total = 1;
  if (count > sizeof lens / sizeof *lens)
    return NULL;
  for (size_t i = 0; i < count; i++)
    total += lens[i] = strlen(parts[i]);
  char *out = malloc(total), *at = out;
  if (!out)
    return NULL;
  for (size_t i = 0; i < count; i++) {
    memcpy(at, parts[i], lens[i]);
    at += lens[i];
  }
  *at = '\0';
  return out;
}

/* The server's time as text, formatted at most once a second by each
 * thread rather than for every 200 of the feed. */
static const char *server_time_text(int offset_min)
{
  static _Thread_local int64_t at = INT64_MIN;
  static _Thread_local int at_offset;
  static _Thread_local char text[LOBBY_ISO_LEN];
  int64_t now = lobby_now();
  if (now != at || offset_min != at_offset) {
    lobby_time_format(now, offset_min, text);
    at = now;
    at_offset = offset_min;
  }
  return text;
}

/* Letters, digits, '_' and '-' only (or nothing): as enrolment checks a
 * kiosk's name, building and group, a JSON string needs no escape for it. */
static bool plain_code(const char *s)
{
  for (; *s; s++) {
    char c = *s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-'))
      return false;
  }
  return true;
}

/* The kiosk's own object, {"name":…,"building":…,"group":…}; malloc'd.
 * Plain codes are copied as they are; anything else is left to jansson to
 * escape, should a database hold what enrolment would refuse. */
static char *kiosk_json(const lobby_principal *k)
{
  if (!plain_code(k->name) || !plain_code(k->building) || !plain_code(k->group)) {
    json_t *who = json_pack("{s:s, s:s, s:s}", "name", k->name, "building", k->building,
                            "group", k->group);
    char *text = json_dumps(who, JSON_COMPACT);
    json_decref(who);
    return text;
  }
  const char *parts[] = {"{\"name\":\"", k->name, "\",\"building\":\"", k->building,
                         "\",\"group\":\"", k->group, "\"}"};
  return text_join(parts, sizeof parts / sizeof *parts);
}

lobby_err feed_body(feed_cache *fc, const lobby_principal *kiosk, char **body, size_t *len,
                    char etag[FEED_ETAG_LEN])
{
  feed_entry *e;
  char *who_text = kiosk_json(kiosk);
  if (!who_text)
    return LOBBY_ENOMEM;
  lobby_err err = lock_entry(fc, kiosk, &e);
  if (err == LOBBY_OK) {
    const char *parts[] = {"{\"server_time\":\"", server_time_text(fc->d->cfg->sla.offset_min),
                           "\",\"kiosk\":", who_text, ",", e->rest};
    *body = text_join(parts, sizeof parts / sizeof *parts);
    if (!*body) {
      err = LOBBY_ENOMEM;
    } else {
      *len = strlen(*body);
      memcpy(etag, e->etag, FEED_ETAG_LEN);
    }
  }
  pthread_rwlock_unlock(&fc->lock);
  free(who_text);
  return err;
}
