#include "password.h"

#include <pthread.h>
#include <crack.h>
#include <string.h>
#include <strings.h>
#include "lobby_log.h"
#include "lobby_text.h"

static char dummy_hash[PASSWORD_HASH_LEN];
static bool dummy_ready;

/* True when needle occurs in haystack, ASCII letters in any case. */
static bool contains_nocase(const char *haystack, const char *needle)
{
  size_t n = strlen(needle);
  for (; *haystack; haystack++)
    if (strncasecmp(haystack, needle, n) == 0)
      return true;
  return false;
}

/* cracklib keeps state in statics while it reads its dictionary. */
static pthread_mutex_t crack_lock = PTHREAD_MUTEX_INITIALIZER;

static bool common_password(const char *password)
{
  char why[160] = "";
  pthread_mutex_lock(&crack_lock);
  /* FascistCheck exits the process when the dictionary is missing
   * (Debian #682735); the safe variant reports it instead. */
  int ran = __DEBIAN_SPECIFIC__SafeFascistCheck(password, GetDefaultCracklibDict(), why, sizeof why);
  pthread_mutex_unlock(&crack_lock);
  if (!ran) {
    LOBBY_WARN("password: cracklib's dictionary %s cannot be read (install cracklib-runtime); "
               "common passwords are not refused", GetDefaultCracklibDict());
    return false;
  }
  return why[0] != '\0';
}

password_verdict password_policy(const char *password, const char *name)
{
  size_t bytes = strlen(password);
  if (bytes > PASSWORD_MAX_BYTES || !lobby_utf8_valid(password, bytes) ||
      lobby_utf8_count(password) < PASSWORD_MIN_CHARS)
    return PASSWORD_LENGTH;
  if (name && contains_nocase(name, password))
    return PASSWORD_IS_NAME;
  if (common_password(password))
    return PASSWORD_COMMON;
  return PASSWORD_OK;
}

const char *password_verdict_code(password_verdict v)
{
  switch (v) {
  case PASSWORD_LENGTH: return "invalid_field";
  case PASSWORD_IS_NAME: return "password_is_name";
  case PASSWORD_COMMON: return "password_common";
  default: return "ok";
  }
}

const char *password_verdict_message(password_verdict v)
{
  switch (v) {
  case PASSWORD_LENGTH: return "the password must have 8 to 128 characters";
  case PASSWORD_IS_NAME: return "the password must not be the account's name";
  case PASSWORD_COMMON: return "the password is too common or too simple to be safe";
  default: return "";
  }
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
