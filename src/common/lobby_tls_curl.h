/* The TLS settings (lobby_tls.h) applied to a libcurl transfer, and what a
 * failed transfer means for TLS.  A library of its own (lobby_tls_curl),
 * linked by lobbyctl and the kiosk's network module only: lobby_common,
 * which lobbyd links, stays free of libcurl. */
#ifndef LOBBY_TLS_CURL_H
#define LOBBY_TLS_CURL_H

#include <curl/curl.h>
#include "lobby_error.h"
#include "lobby_tls.h"

/* For an https:// server: the CA file (when set) replaces the system's,
 * the pin (when set) must match the server's key, and the transfer and
 * any redirect may only use https, so a server, a proxy or a redirect can
 * never turn it into plain http.  Peer and host-name checks stay on
 * (libcurl's default).  For http:// nothing is set.  LOBBY_EINVAL when
 * libcurl refuses an option (too old for CURLOPT_PROTOCOLS_STR, or built
 * without pinning). */
lobby_err lobby_tls_curl_apply(CURL *c, const char *server, const char *ca_file, const char *pin);

/* The TLS meaning of a transfer's result; LOBBY_TLS_FAIL_NONE for CURLE_OK
 * and for failures that are not about TLS (no route, timeout). */
lobby_tls_failure lobby_tls_curl_failure(CURLcode rc);

#endif
