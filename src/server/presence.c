#include "presence.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* last_seen is atomic because every poll stores it with the lock only
 * shared; waiting changes with the lock held alone. */
typedef struct {
  _Atomic int64_t last_seen;
  int waiting;
} presence_slot;

/* Kiosk ids are small row ids, so a plain array indexed by id suffices.
 * The lock is taken alone only to grow the array or count a long-poll
 * in or out: a poll that only says "seen" shares it, so kiosks' polls
 * on several threads never wait for one another. */
struct presence {
  pthread_rwlock_t lock;
  presence_slot *slots;
  size_t size;
};

lobby_err presence_create(presence **out)
{
  presence *p = calloc(1, sizeof *p);
  if (!p)
    return LOBBY_ENOMEM;
  if (pthread_rwlock_init(&p->lock, NULL) != 0) {
    free(p);
    return LOBBY_ENOMEM;
  }
  *out = p;
  return LOBBY_OK;
}

void presence_free(presence *p)
{
  if (!p)
    return;
  pthread_rwlock_destroy(&p->lock);
  free(p->slots);
  free(p);
}

/* The slot for id, made when missing; with the lock held alone. */
static presence_slot *slot_for(presence *p, int64_t id)
{
  if (id < 0 || id > 1000000)
    return NULL;
  if ((size_t)id >= p->size) {
    size_t size = (size_t)id * 2 + 16;
    presence_slot *grown = realloc(p->slots, size * sizeof *grown);
    if (!grown)
      return NULL;
    for (size_t i = p->size; i < size; i++) {
      atomic_init(&grown[i].last_seen, 0);
      grown[i].waiting = 0;
    }
    p->slots = grown;
    p->size = size;
  }
  return &p->slots[id];
}

/* Only says "seen" when the kiosk's slot exists; false when it must be
 * made first. */
static bool touch_shared(presence *p, int64_t kiosk_id, int64_t now)
{
  pthread_rwlock_rdlock(&p->lock);
  bool found = kiosk_id >= 0 && (size_t)kiosk_id < p->size;
  if (found)
    atomic_store_explicit(&p->slots[kiosk_id].last_seen, now, memory_order_relaxed);
  pthread_rwlock_unlock(&p->lock);
  return found;
}

void presence_touch(presence *p, int64_t kiosk_id, int64_t now, int waiting_delta)
{
  if (waiting_delta == 0 && touch_shared(p, kiosk_id, now))
    return;
  pthread_rwlock_wrlock(&p->lock);
  presence_slot *s = slot_for(p, kiosk_id);
  if (s) {
    atomic_store_explicit(&s->last_seen, now, memory_order_relaxed);
    s->waiting += waiting_delta;
    if (s->waiting < 0)
      s->waiting = 0;
  }
  pthread_rwlock_unlock(&p->lock);
}

void presence_get(presence *p, int64_t kiosk_id, int64_t *last_seen, bool *waiting)
{
  pthread_rwlock_rdlock(&p->lock);
  presence_slot *s = (kiosk_id >= 0 && (size_t)kiosk_id < p->size) ? &p->slots[kiosk_id] : NULL;
  *last_seen = s ? atomic_load_explicit(&s->last_seen, memory_order_relaxed) : 0;
  *waiting = s && s->waiting > 0;
  pthread_rwlock_unlock(&p->lock);
}
