/* The one place the client's address is decided, for rate-limit keys and
 * the audit log: the socket's peer, or, when that peer is one of
 * [server] trusted_proxies, the address the proxies say they received the
 * request from (X-Forwarded-For). */
#ifndef LOBBYD_CLIENT_ADDR_H
#define LOBBYD_CLIENT_ADDR_H

#include <stddef.h>
#include "addr_allow.h"
#include "http.h"

/* Long enough for any IPv6 address in text (INET6_ADDRSTRLEN). */
#define CLIENT_ADDR_LEN 46

/* The client of r as text ("" when even the peer is unknown).  Only a
 * trusted peer's X-Forwarded-For is read, and in it only the rightmost
 * hop that is not itself a trusted proxy: hops to its left were written
 * by the client and prove nothing.  A malformed header is ignored (the
 * peer is the client then). */
void client_addr_get(http_request *r, char out[CLIENT_ADDR_LEN]);

/* The same decision without a connection, for tests and tools: the peer,
 * the X-Forwarded-For value (NULL when absent) and the trusted list. */
lobby_err client_addr_decide(const struct sockaddr *peer, const char *forwarded,
                             const addr_allow *trusted, char out[CLIENT_ADDR_LEN]);

#endif
