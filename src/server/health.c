#include "health.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lobby_log.h"
#include "lobby_time.h"

struct lobby_health {
  pthread_mutex_t probing;   /* held by the one thread probing */
  pthread_mutex_t lock;      /* guards the fields below */
  int64_t checked_ms;        /* monotonic; 0 = never */
  bool ok;
  char reason[256];
};

lobby_err health_create(lobby_health **out)
{
  lobby_health *h = calloc(1, sizeof *h);
  if (!h)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&h->probing, NULL);
  pthread_mutex_init(&h->lock, NULL);
  h->ok = true;
  *out = h;
  return LOBBY_OK;
}

void health_free(lobby_health *h)
{
  if (!h)
    return;
  pthread_mutex_destroy(&h->probing);
  pthread_mutex_destroy(&h->lock);
  free(h);
}

static int64_t monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void probe(lobby_health *h, lobby_store *st)
{
  char why[200];
  lobby_err err = st->ops->write_probe(st, lobby_now(), why, sizeof why);
  pthread_mutex_lock(&h->lock);
  bool was_ok = h->ok;
  h->checked_ms = monotonic_ms();
  /* Another writer holding the lock for a second says nothing either way. */
  if (err != LOBBY_ECONFLICT) {
    h->ok = err == LOBBY_OK;
    snprintf(h->reason, sizeof h->reason, "database not writable: %s", err != LOBBY_OK ? why : "");
  }
  bool now_ok = h->ok;
  pthread_mutex_unlock(&h->lock);
  if (was_ok && !now_ok)
    LOBBY_ERROR("unhealthy: database not writable: %s", why);
  else if (!was_ok && now_ok)
    LOBBY_INFO("healthy again: the database takes writes");
}

bool health_check(lobby_health *h, lobby_store *st, char *reason, size_t size)
{
  pthread_mutex_lock(&h->lock);
  bool stale = h->checked_ms == 0 || monotonic_ms() - h->checked_ms >= HEALTH_PROBE_INTERVAL_MS;
  pthread_mutex_unlock(&h->lock);
  if (stale && pthread_mutex_trylock(&h->probing) == 0) {
    probe(h, st);
    pthread_mutex_unlock(&h->probing);
  }
  pthread_mutex_lock(&h->lock);
  bool ok = h->ok;
  snprintf(reason, size, "%s", ok ? "" : h->reason);
  pthread_mutex_unlock(&h->lock);
  return ok;
}
