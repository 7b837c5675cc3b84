#include "presence.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int64_t last_seen;
  int waiting;
} presence_slot;

/* Kiosk ids are small row ids, so a plain array indexed by id suffices. */
struct presence {
  pthread_mutex_t lock;
  presence_slot *slots;
  size_t size;
};

lobby_err presence_create(presence **out)
{
  presence *p = calloc(1, sizeof *p);
  if (!p)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&p->lock, NULL);
  *out = p;
  return LOBBY_OK;
}

void presence_free(presence *p)
{
  if (!p)
    return;
  pthread_mutex_destroy(&p->lock);
  free(p->slots);
  free(p);
}

static presence_slot *slot_for(presence *p, int64_t id)
{
  if (id < 0 || id > 1000000)
    return NULL;
  if ((size_t)id >= p->size) {
    size_t size = (size_t)id * 2 + 16;
    presence_slot *grown = realloc(p->slots, size * sizeof *grown);
    if (!grown)
      return NULL;
    memset(grown + p->size, 0, (size - p->size) * sizeof *grown);
    p->slots = grown;
    p->size = size;
  }
  return &p->slots[id];
}

void presence_touch(presence *p, int64_t kiosk_id, int64_t now, int waiting_delta)
{
  pthread_mutex_lock(&p->lock);
  presence_slot *s = slot_for(p, kiosk_id);
  if (s) {
    s->last_seen = now;
    s->waiting += waiting_delta;
    if (s->waiting < 0)
      s->waiting = 0;
  }
  pthread_mutex_unlock(&p->lock);
}

void presence_get(presence *p, int64_t kiosk_id, int64_t *last_seen, bool *waiting)
{
  pthread_mutex_lock(&p->lock);
  presence_slot *s = (kiosk_id >= 0 && (size_t)kiosk_id < p->size) ? &p->slots[kiosk_id] : NULL;
  *last_seen = s ? s->last_seen : 0;
  *waiting = s && s->waiting > 0;
  pthread_mutex_unlock(&p->lock);
}
