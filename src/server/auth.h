/* API tokens: random, shown once, stored as a hash.  Kiosk tokens start
 * with "lk_", staff tokens with "ls_", so a leaked token says what it is.
 *
 * Every kiosk request carries its token, so lookups are cached in memory.
 * Revocation goes through this server, which clears the cache, and entries
 * also expire after AUTH_CACHE_TTL_S as a bound for any other change. */
#ifndef LOBBYD_AUTH_H
#define LOBBYD_AUTH_H

#include <stdint.h>
#include "store.h"

#define AUTH_TOKEN_LEN 48
#define AUTH_CACHE_TTL_S 60

typedef struct auth_cache auth_cache;

/* A new token with the given prefix and its hash. */
void auth_token_new(const char *prefix, char token[AUTH_TOKEN_LEN], uint8_t hash[STORE_TOKEN_HASH_LEN]);
void auth_token_hash(const char *token, uint8_t hash[STORE_TOKEN_HASH_LEN]);

lobby_err auth_cache_create(auth_cache **out);
void auth_cache_free(auth_cache *c);
/* Forgets every cached token (after a revocation). */
void auth_cache_clear(auth_cache *c);
/* Counts the clears: a long-poll that waited across one re-checks its
 * token, so a revoked kiosk's waiting request ends with 401. */
uint64_t auth_cache_generation(auth_cache *c);

/* Reads "Authorization: Bearer <token>" and looks the token up, through
 * the cache when one is given. */
lobby_err auth_bearer(lobby_store *st, auth_cache *cache, const char *header, lobby_principal *out);

#endif
