#include "lru.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
  struct entry *prev, *next;   /* recency list, most recent at head */
  struct entry *chain;         /* hash bucket chain */
  uint64_t hash;
  void *value;
  size_t cost;
  bool private_data;
  size_t key_len;
  unsigned char key[];
} entry;

struct kiosk_lru {
  entry **buckets;
  size_t n_buckets;
  entry *head, *tail;
  size_t count, count_max, cost, cost_max;
  /* Entries stored with private_data: a purge walks the list only when
   * some are held, and a screen change purges every time. */
  size_t private_count;
  kiosk_lru_free_fn free_fn;
  uint64_t hits, misses;
};

static uint64_t hash_bytes(const void *key, size_t len)
{
  const unsigned char *p = key;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

lobby_err kiosk_lru_new(size_t count_max, size_t cost_max, kiosk_lru_free_fn free_fn, kiosk_lru **out)
{
  kiosk_lru *lru = calloc(1, sizeof *lru);
  if (!lru)
    return LOBBY_ENOMEM;
  lru->n_buckets = 64;
  while (lru->n_buckets < count_max * 2)
    lru->n_buckets *= 2;
  lru->buckets = calloc(lru->n_buckets, sizeof *lru->buckets);
  if (!lru->buckets) {
    free(lru);
    return LOBBY_ENOMEM;
  }
  lru->count_max = count_max ? count_max : 1;
  lru->cost_max = cost_max;
  lru->free_fn = free_fn;
  *out = lru;
  return LOBBY_OK;
}

static void list_unlink(kiosk_lru *lru, entry *e)
{
  if (e->prev)
    e->prev->next = e->next;
  else
    lru->head = e->next;
  if (e->next)
    e->next->prev = e->prev;
  else
    lru->tail = e->prev;
  e->prev = e->next = NULL;
}

static void list_push_head(kiosk_lru *lru, entry *e)
{
  e->prev = NULL;
  e->next = lru->head;
  if (lru->head)
    lru->head->prev = e;
  lru->head = e;
  if (!lru->tail)
    lru->tail = e;
}

static void remove_entry(kiosk_lru *lru, entry *e)
{
  entry **pp = &lru->buckets[e->hash & (lru->n_buckets - 1)];
  while (*pp && *pp != e)
    pp = &(*pp)->chain;
  if (*pp)
    *pp = e->chain;
  list_unlink(lru, e);
  lru->count--;
  lru->cost -= e->cost;
  if (lru->free_fn && e->value)
    lru->free_fn(e->value);
  if (e->private_data) {
    explicit_bzero(e->key, e->key_len);
    lru->private_count--;
  }
  free(e);
}

void kiosk_lru_clear(kiosk_lru *lru)
{
  while (lru->head)
    remove_entry(lru, lru->head);
}

void kiosk_lru_free(kiosk_lru *lru)
{
  if (!lru)
    return;
  kiosk_lru_clear(lru);
  free(lru->buckets);
  free(lru);
}

static entry *find(kiosk_lru *lru, const void *key, size_t key_len, uint64_t h)
{
  for (entry *e = lru->buckets[h & (lru->n_buckets - 1)]; e; e = e->chain)
    if (e->hash == h && e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
      return e;
  return NULL;
}

void *kiosk_lru_get(kiosk_lru *lru, const void *key, size_t key_len)
{
  uint64_t h = hash_bytes(key, key_len);
  entry *e = find(lru, key, key_len, h);
  if (!e) {
    lru->misses++;
    return NULL;
  }
  lru->hits++;
  list_unlink(lru, e);
  list_push_head(lru, e);
  return e->value;
}

lobby_err kiosk_lru_put(kiosk_lru *lru, const void *key, size_t key_len, void *value, size_t cost,
                        bool private_data)
{
  uint64_t h = hash_bytes(key, key_len);
  entry *old = find(lru, key, key_len, h);
  if (old)
    remove_entry(lru, old);
  entry *e = calloc(1, sizeof *e + key_len);
  if (!e)
    return LOBBY_ENOMEM;
  memcpy(e->key, key, key_len);
  e->key_len = key_len;
  e->hash = h;
  e->value = value;
  e->cost = cost;
  e->private_data = private_data;
  size_t b = h & (lru->n_buckets - 1);
  e->chain = lru->buckets[b];
  lru->buckets[b] = e;
  list_push_head(lru, e);
  lru->count++;
  lru->cost += cost;
  if (private_data)
    lru->private_count++;
  /* Evict from the cold end, but never the entry just added. */
  while (lru->tail != e && (lru->count > lru->count_max || (lru->cost_max && lru->cost > lru->cost_max)))
    remove_entry(lru, lru->tail);
  return LOBBY_OK;
}

void kiosk_lru_purge_private(kiosk_lru *lru)
{
  entry *e = lru->head;
  while (e && lru->private_count > 0) {
    entry *next = e->next;
    if (e->private_data)
      remove_entry(lru, e);
    e = next;
  }
}

size_t kiosk_lru_count(const kiosk_lru *lru) { return lru->count; }
uint64_t kiosk_lru_hits(const kiosk_lru *lru) { return lru->hits; }
uint64_t kiosk_lru_misses(const kiosk_lru *lru) { return lru->misses; }
