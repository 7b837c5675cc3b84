/* The TLS rules shared by lobbyctl and the kiosk: what a CA file and a
 * public-key pin must look like, and that they go only with an https://
 * server (with http:// nothing would be checked, and a setting that
 * checks nothing must not look as if it did).  No libcurl here, so
 * lobbyd and the kiosk's UI can link it; lobby_tls_curl.h applies the
 * settings to a transfer. */
#ifndef LOBBY_TLS_H
#define LOBBY_TLS_H

#include <stdbool.h>
#include "lobby_error.h"

/* What lobby_tls_check found wrong, so each caller can word it for its
 * own setting names (--ca-file, [server] ca_file). */
typedef enum {
  LOBBY_TLS_FINE = 0,
  LOBBY_TLS_CA_NOT_HTTPS,  /* a CA file is set but the server is not https:// */
  LOBBY_TLS_CA_UNREADABLE, /* the CA file cannot be read */
  LOBBY_TLS_PIN_NOT_HTTPS, /* a pin is set but the server is not https:// */
  LOBBY_TLS_PIN_BAD        /* the pin is not sha256//BASE64[;sha256//BASE64...] */
} lobby_tls_problem;

/* Why a transfer failed, as far as TLS is concerned.  The kiosk shows
 * staff a reason for each; none of them is ever retried in clear. */
typedef enum {
  LOBBY_TLS_FAIL_NONE = 0,   /* not a TLS failure (or none at all) */
  LOBBY_TLS_FAIL_UNTRUSTED,  /* the certificate does not chain to the CA, or a bad name */
  LOBBY_TLS_FAIL_PIN,        /* the server's public key is not the pinned one */
  LOBBY_TLS_FAIL_CA_FILE,    /* the CA file could not be loaded */
  LOBBY_TLS_FAIL_HANDSHAKE   /* the handshake itself failed (no TLS, no common cipher) */
} lobby_tls_failure;

/* True when url starts with "https://". */
bool lobby_tls_is_https(const char *url);

/* One pin or several joined by ';', each "sha256//" and the 44 base64
 * characters of a SHA-256 digest: LOBBY_OK or LOBBY_EINVAL. */
lobby_err lobby_tls_check_pin(const char *pin);

/* Checks a server URL with its optional CA file and pin (NULL or "" =
 * not set).  LOBBY_OK, or LOBBY_EINVAL with *problem saying why. */
lobby_err lobby_tls_check(const char *server, const char *ca_file, const char *pin,
                          lobby_tls_problem *problem);

#endif
