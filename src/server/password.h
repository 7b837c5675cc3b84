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

/* LOBBY_EINVAL when the password is too short or too long. */
lobby_err password_policy(const char *password);
lobby_err password_hash(const char *password, char out[PASSWORD_HASH_LEN]);
/* Verifies against hash; with an empty hash it still spends the same work
 * on a dummy hash, so a wrong name takes as long as a wrong password. */
bool password_verify(const char *hash, const char *password);

#endif
