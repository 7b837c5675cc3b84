/* Staff passwords: Argon2id through libsodium's crypto_pwhash_str, with
 * the interactive limits (a sign-in takes a fraction of a second). */
#ifndef LOBBYD_PASSWORD_H
#define LOBBYD_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>
#include "lobby_error.h"

#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_BYTES 128
#define PASSWORD_HASH_LEN crypto_pwhash_STRBYTES

/* Why a new password is refused, if it is. */
typedef enum {
  PASSWORD_OK,
  PASSWORD_LENGTH,    /* not 8 to 128 characters */
  PASSWORD_IS_NAME,   /* the account's name, or a part of it (any case) */
  PASSWORD_COMMON,    /* cracklib: a dictionary word, too simple, too short */
} password_verdict;

/* Checks a new password for the account `name`.  The common-password
 * check uses cracklib's default dictionary (cracklib-runtime); without
 * it that check is skipped and logged, the others still apply. */
password_verdict password_policy(const char *password, const char *name);
/* The API's error code and an English sentence for a refusal. */
const char *password_verdict_code(password_verdict v);
const char *password_verdict_message(password_verdict v);
lobby_err password_hash(const char *password, char out[PASSWORD_HASH_LEN]);
/* Verifies against hash; with an empty hash it still spends the same work
 * on a dummy hash, so a wrong name takes as long as a wrong password. */
bool password_verify(const char *hash, const char *password);

#endif
