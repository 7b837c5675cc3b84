/* API tokens: random, shown once, stored as a hash.  Kiosk tokens start
 * with "lk_", staff tokens with "ls_", so a leaked token says what it is. */
#ifndef LOBBYD_AUTH_H
#define LOBBYD_AUTH_H

#include <stdint.h>
#include "store.h"

#define AUTH_TOKEN_LEN 48

/* A new token with the given prefix and its hash. */
void auth_token_new(const char *prefix, char token[AUTH_TOKEN_LEN], uint8_t hash[STORE_TOKEN_HASH_LEN]);
void auth_token_hash(const char *token, uint8_t hash[STORE_TOKEN_HASH_LEN]);

/* Reads "Authorization: Bearer <token>" and looks the token up. */
lobby_err auth_bearer(lobby_store *st, const char *header, lobby_principal *out);

#endif
