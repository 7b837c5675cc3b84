#include "password.h"

#include <pthread.h>
#include <string.h>
#include "lobby_text.h"

static char dummy_hash[PASSWORD_HASH_LEN];
static bool dummy_ready;

lobby_err password_policy(const char *password)
{
  size_t bytes = strlen(password);
  if (bytes > PASSWORD_MAX_BYTES || !lobby_utf8_valid(password, bytes) ||
      lobby_utf8_count(password) < PASSWORD_MIN_CHARS)
    return LOBBY_EINVAL;
  return LOBBY_OK;
}

lobby_err password_hash(const char *password, char out[PASSWORD_HASH_LEN])
{
  if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return LOBBY_ENOMEM; /* libsodium fails only when it cannot allocate */
  return LOBBY_OK;
}

static void make_dummy(void)
{
  dummy_ready = password_hash("not a password of anyone", dummy_hash) == LOBBY_OK;
}

bool password_verify(const char *hash, const char *password)
{
  if (!hash || !*hash) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_dummy);
    /* The answer is always "no"; only the time spent matters. */
    if (dummy_ready && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
      return false;
    return false;
  }
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
