/* Names of notice categories, visit purposes and visit states, shared by
 * the server (validation), the kiosk (display) and lobbyctl. */
#ifndef LOBBY_DOMAIN_H
#define LOBBY_DOMAIN_H

#include <stddef.h>
#include "lobby_error.h"

extern const char *const notice_category_names[]; /* NULL-terminated */
extern const char *const visit_purpose_names[];
extern const char *const visit_state_names[];

/* Field limits in characters (a Chinese character counts one), shared so
 * the server, the kiosk and lobbyctl refuse the same things. */
#define NOTICE_TITLE_MAX 60
#define NOTICE_BODY_MAX 2000
#define PERSON_NAME_MAX 32
#define REPAIR_DESCRIPTION_MAX 500
#define REPAIR_NOTE_MAX 200
#define VISIT_HOST_MAX 64
#define VISIT_PLATE_MAX 10
#define VISIT_REASON_MAX 200

#define NOTICE_PRIORITY_MAX 3
#define VISIT_PARTY_MAX 20
/* A visitor's pass code.  New codes have 8 characters of the 25-letter
 * alphabet below: 25^8 = 152,587,890,625 codes.  With 500 visitors on site
 * one guess hits a live code with odds 500 / 1.5e11 = 3.3e-9, so guessing
 * 1 % of them (5 codes) takes 1.5e9 guesses; at the failed-checkout limit
 * ([visits] checkout_failures_per_hour = 20) on 20 kiosks, 400 guesses an
 * hour or 3.5e6 a year, that is about 435 years (6 characters: 8 months).
 * Codes of the old 6-character form stay valid for visits made before. */
#define LOBBY_PASS_CODE_LEN 8
#define LOBBY_PASS_CODE_OLD_LEN 6
#define LOBBY_INVITE_CODE_LEN 8

/* A random code of unambiguous characters (no 0/O, 1/I/L, 2/Z, 5/S, 8/B)
 * so it can be read aloud and typed on a kiosk.  Uses libsodium's CSPRNG;
 * sodium_init() must have been called.  buf holds len+1 bytes. */
void lobby_code_random(char *buf, size_t len);

/* True when s has exactly len characters from that alphabet (any case). */
int lobby_code_alphabet_valid(const char *s, size_t len);

/* True when s is a pass code of either form: LOBBY_PASS_CODE_LEN or
 * LOBBY_PASS_CODE_OLD_LEN characters of the code alphabet. */
int lobby_pass_code_valid(const char *s);

/* Upper-cases a code typed in lower case, in place. */
void lobby_code_normalize(char *s);

#endif
