#include "screenshot_wants.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "feed.h"
#include "lobby_log.h"

typedef struct {
  int64_t kiosk_id;
  int64_t requested_at;
  char id[STORE_SCREENSHOT_ID_SIZE];
} want;

/* Every poll reads the list; only the first after a change writes it. */
struct screenshot_wants {
  lobbyd *d;
  pthread_rwlock_t lock;
  unsigned long generation;   /* the feed cache's when the list was read; 0: never */
  want *v;
  size_t n;
};

lobby_err screenshot_wants_create(lobbyd *d, screenshot_wants **out)
{
  screenshot_wants *w = calloc(1, sizeof *w);
  if (!w)
    return LOBBY_ENOMEM;
  if (pthread_rwlock_init(&w->lock, NULL) != 0) {
    free(w);
    return LOBBY_ENOMEM;
  }
  w->d = d;
  *out = w;
  return LOBBY_OK;
}

void screenshot_wants_free(screenshot_wants *w)
{
  if (!w)
    return;
  pthread_rwlock_destroy(&w->lock);
  free(w->v);
  free(w);
}

/* The store's rows as the list (malloc'd; NULL when empty). */
static lobby_err rows_to_list(const json_t *rows, want **out, size_t *n)
{
  size_t count = json_array_size(rows), i;
  json_t *row;
  *out = NULL;
  *n = 0;
  if (count == 0)
    return LOBBY_OK;
  want *v = calloc(count, sizeof *v);
  if (!v)
    return LOBBY_ENOMEM;
  json_array_foreach(rows, i, row) {
    const char *id = json_string_value(json_object_get(row, "request_id"));
    v[i].kiosk_id = json_integer_value(json_object_get(row, "kiosk_id"));
    v[i].requested_at = json_integer_value(json_object_get(row, "requested_at"));
    snprintf(v[i].id, sizeof v[i].id, "%s", id ? id : "");
  }
  *out = v;
  *n = count;
  return LOBBY_OK;
}

/* Reads the list again when the feed cache moved on since it was read.
 * The generation is taken before the read: a change that lands during it
 * leaves the list one generation behind, so it is read again next time. */
static lobby_err refresh(screenshot_wants *w, int64_t since)
{
  unsigned long now_gen = feed_generation(w->d->feed);
  pthread_rwlock_rdlock(&w->lock);
  bool fresh = w->generation == now_gen;
  pthread_rwlock_unlock(&w->lock);
  if (fresh)
    return LOBBY_OK;
  json_t *rows = NULL;
  want *v = NULL;
  size_t n = 0;
  lobby_err err = w->d->store->ops->screenshot_pending_all(w->d->store, since, &rows);
  if (err == LOBBY_OK)
    err = rows_to_list(rows, &v, &n);
  json_decref(rows);
  if (err != LOBBY_OK)
    return err;
  pthread_rwlock_wrlock(&w->lock);
  free(w->v);
  w->v = v;
  w->n = n;
  w->generation = now_gen;
  pthread_rwlock_unlock(&w->lock);
  return LOBBY_OK;
}

bool screenshot_wants_pending(screenshot_wants *w, int64_t kiosk_id, int64_t since,
                              char id[STORE_SCREENSHOT_ID_SIZE])
{
  if (refresh(w, since) != LOBBY_OK)
    return false;
  bool found = false;
  pthread_rwlock_rdlock(&w->lock);
  for (size_t i = 0; i < w->n && !found; i++) {
    if (w->v[i].kiosk_id != kiosk_id || w->v[i].requested_at < since)
      continue;
    memcpy(id, w->v[i].id, STORE_SCREENSHOT_ID_SIZE);
    found = true;
  }
  pthread_rwlock_unlock(&w->lock);
  return found;
}
