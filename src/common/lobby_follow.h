/* Follow links (扫码查进度): the address of the page on which a resident
 * follows their repair, or a visitor shows their pass, from their own
 * phone.  The receipt's QR code carries it.  The page is found by a token
 * of its own, never by the ticket number alone: numbers are on screens
 * and easy to guess, a token is 128 random bits. */
#ifndef LOBBY_FOLLOW_H
#define LOBBY_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

/* 16 random bytes in base64url without padding. */
#define LOBBY_FOLLOW_TOKEN_LEN 22
/* [server] public_url's longest value: a QR code must stay easy to scan. */
#define LOBBY_PUBLIC_URL_MAX 100
/* The path under public_url ("/f/" and a token). */
#define LOBBY_FOLLOW_PATH "/f/"
/* A whole link: public_url, the path, the token, a NUL. */
#define LOBBY_FOLLOW_URL_MAX (LOBBY_PUBLIC_URL_MAX + 3 + LOBBY_FOLLOW_TOKEN_LEN + 1)

/* A new token; out has LOBBY_FOLLOW_TOKEN_LEN + 1 bytes. */
void lobby_follow_token_new(char *out);
/* Whether t has a token's form (length and alphabet): anything else is
 * refused before the store is asked. */
bool lobby_follow_token_valid(const char *t);

/* Whether url may be [server] public_url: http:// or https://, a host,
 * an optional port and path, printable ASCII without spaces, quotes,
 * angle brackets, query or fragment, at most LOBBY_PUBLIC_URL_MAX.
 * LOBBY_EINVAL otherwise. */
lobby_err lobby_public_url_check(const char *url);

/* public_url + "/f/" + token, without a doubled slash.  LOBBY_ETOOBIG when
 * out is too small, LOBBY_EINVAL for a bad url or token. */
lobby_err lobby_follow_url(const char *public_url, const char *token, char *out, size_t size);

/* Whether a link the server sent is one the kiosk may put in a QR code:
 * what lobby_follow_url makes, nothing else. */
bool lobby_follow_url_valid(const char *url);

#endif
