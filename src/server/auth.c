#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_time.h"

/* Direct-mapped: a token hash picks one slot; a collision just evicts.
 * The hash is uniformly random, so its first bytes index well. */
#define AUTH_CACHE_SLOTS 8192

typedef struct {
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  lobby_principal who;
  int64_t expires;       /* 0: empty */
} cache_slot;

struct auth_cache {
  pthread_rwlock_t lock;
  cache_slot slots[AUTH_CACHE_SLOTS];
  uint64_t generation;   /* clears so far, under lock */
};

void auth_token_hash(const char *token, uint8_t hash[STORE_TOKEN_HASH_LEN])
{
  /* Tokens carry 160 random bits, so a fast hash is enough: nobody can
   * search that space, and the hash keeps a stolen database useless. */
  crypto_generichash(hash, STORE_TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token),
                     NULL, 0);
}

void auth_token_new(const char *prefix, char token[AUTH_TOKEN_LEN], uint8_t hash[STORE_TOKEN_HASH_LEN])
{
  unsigned char raw[20];
  char hex[41];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  snprintf(token, AUTH_TOKEN_LEN, "%s%s", prefix, hex);
  auth_token_hash(token, hash);
}

lobby_err auth_cache_create(auth_cache **out)
{
  auth_cache *c = calloc(1, sizeof *c);
  if (!c)
    return LOBBY_ENOMEM;
  pthread_rwlock_init(&c->lock, NULL);
  *out = c;
  return LOBBY_OK;
}

void auth_cache_free(auth_cache *c)
{
  if (!c)
    return;
  pthread_rwlock_destroy(&c->lock);
  free(c);
}

void auth_cache_clear(auth_cache *c)
{
  if (!c)
    return;
  pthread_rwlock_wrlock(&c->lock);
  memset(c->slots, 0, sizeof c->slots);
  c->generation++;
  pthread_rwlock_unlock(&c->lock);
}

uint64_t auth_cache_generation(auth_cache *c)
{
  pthread_rwlock_rdlock(&c->lock);
  uint64_t g = c->generation;
  pthread_rwlock_unlock(&c->lock);
  return g;
}

static cache_slot *slot_of(auth_cache *c, const uint8_t *hash)
{
  uint32_t i;
  memcpy(&i, hash, sizeof i);
  return &c->slots[i % AUTH_CACHE_SLOTS];
}

static bool cache_get(auth_cache *c, const uint8_t *hash, int64_t now, lobby_principal *out)
{
  bool hit = false;
  pthread_rwlock_rdlock(&c->lock);
  cache_slot *s = slot_of(c, hash);
  if (s->expires > now && sodium_memcmp(s->hash, hash, STORE_TOKEN_HASH_LEN) == 0) {
    *out = s->who;
    hit = true;
  }
  pthread_rwlock_unlock(&c->lock);
  return hit;
}

static void cache_put(auth_cache *c, const uint8_t *hash, int64_t now, const lobby_principal *who)
{
  pthread_rwlock_wrlock(&c->lock);
  cache_slot *s = slot_of(c, hash);
  memcpy(s->hash, hash, STORE_TOKEN_HASH_LEN);
  s->who = *who;
  s->expires = now + AUTH_CACHE_TTL_S;
  pthread_rwlock_unlock(&c->lock);
}

lobby_err auth_bearer(lobby_store *st, auth_cache *cache, const char *header, lobby_principal *out)
{
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  if (!header || strncmp(header, "Bearer ", 7) != 0)
    return LOBBY_EPERM;
  const char *token = header + 7;
  size_t n = strlen(token);
  if (n < 10 || n >= AUTH_TOKEN_LEN)
    return LOBBY_ENOTFOUND;
  auth_token_hash(token, hash);
  /* Monotonic time: a clock pinned by LOBBY_FAKE_NOW must not freeze TTLs. */
  int64_t now = lobby_monotonic_ms() / 1000;
  if (cache && cache_get(cache, hash, now, out))
    return LOBBY_OK;
  lobby_err err = st->ops->token_lookup(st, hash, out);
  if (err == LOBBY_OK && cache)
    cache_put(cache, hash, now, out);
  return err;
}
