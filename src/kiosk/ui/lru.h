/* A small least-recently-used map from byte keys to owned values, used for
 * rendered text textures and for measured line layouts. */
#ifndef KIOSK_LRU_H
#define KIOSK_LRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

typedef struct kiosk_lru kiosk_lru;
typedef void (*kiosk_lru_free_fn)(void *value);

/* cost_max bounds the sum of the costs given to kiosk_lru_put (0 = only
 * count_max applies). */
lobby_err kiosk_lru_new(size_t count_max, size_t cost_max, kiosk_lru_free_fn free_fn, kiosk_lru **out);
void kiosk_lru_free(kiosk_lru *lru);

/* The value for key or NULL; a hit makes the entry most recent. */
void *kiosk_lru_get(kiosk_lru *lru, const void *key, size_t key_len);

/* Stores value under key (the key is copied), evicting old entries. */
lobby_err kiosk_lru_put(kiosk_lru *lru, const void *key, size_t key_len, void *value, size_t cost,
                        bool private_data);

/* Drops every entry stored with private_data, wiping its key, so personal
 * data typed into a form does not outlive the form. */
void kiosk_lru_purge_private(kiosk_lru *lru);
void kiosk_lru_clear(kiosk_lru *lru);

size_t kiosk_lru_count(const kiosk_lru *lru);
uint64_t kiosk_lru_hits(const kiosk_lru *lru);
uint64_t kiosk_lru_misses(const kiosk_lru *lru);

#endif
