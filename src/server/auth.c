#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

lobby_err auth_bearer(lobby_store *st, const char *header, lobby_principal *out)
{
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  if (!header || strncmp(header, "Bearer ", 7) != 0)
    return LOBBY_EPERM;
  const char *token = header + 7;
  size_t n = strlen(token);
  if (n < 10 || n >= AUTH_TOKEN_LEN)
    return LOBBY_ENOTFOUND;
  auth_token_hash(token, hash);
  return st->ops->token_lookup(st, hash, out);
}
