/* A list of client addresses and networks ("127.0.0.1, ::1, 10.0.0.0/8"),
 * for endpoints served only to some machines (/metrics). */
#ifndef LOBBYD_ADDR_ALLOW_H
#define LOBBYD_ADDR_ALLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include "lobby_error.h"

#define ADDR_ALLOW_MAX 16

typedef struct {
  int family;          /* AF_INET or AF_INET6 */
  uint8_t addr[16];    /* network byte order; 4 bytes used for IPv4 */
  int prefix;          /* bits that must match */
} addr_net;

typedef struct {
  int count;
  addr_net nets[ADDR_ALLOW_MAX];
} addr_allow;

/* Parses addresses and CIDRs separated by commas (white space allowed).
 * Host bits set under the prefix (10.0.0.1/8) are refused, since they
 * usually mean a typo; an empty list allows nobody.  LOBBY_EINVAL on a
 * malformed entry, LOBBY_ETOOBIG past ADDR_ALLOW_MAX entries. */
lobby_err addr_allow_parse(const char *text, addr_allow *out);

/* Loopback only: 127.0.0.1 and ::1. */
void addr_allow_loopback(addr_allow *out);

/* Whether the peer address is in the list; an IPv4-mapped IPv6 address
 * (::ffff:10.1.2.3) matches as the IPv4 address it carries. */
bool addr_allow_match(const addr_allow *a, const struct sockaddr *sa);

#endif
