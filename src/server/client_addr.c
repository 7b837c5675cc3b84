#include "client_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

/* At most this many hops are read; a longer chain is malformed. */
#define XFF_MAX_HOPS 16

/* The peer as text; an IPv4-mapped IPv6 peer as its IPv4 address. */
static lobby_err peer_text(const struct sockaddr *sa, char out[CLIENT_ADDR_LEN])
{
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  out[0] = '\0';
  if (!sa)
    return LOBBY_ENOTFOUND;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    return inet_ntop(AF_INET, &in->sin_addr, out, CLIENT_ADDR_LEN) ? LOBBY_OK : LOBBY_EINVAL;
  }
  if (sa->sa_family == AF_INET6) {
    const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
    if (memcmp(b, mapped, sizeof mapped) == 0)
      return inet_ntop(AF_INET, b + 12, out, CLIENT_ADDR_LEN) ? LOBBY_OK : LOBBY_EINVAL;
    return inet_ntop(AF_INET6, b, out, CLIENT_ADDR_LEN) ? LOBBY_OK : LOBBY_EINVAL;
  }
  return LOBBY_EINVAL;
}

/* One hop of the header, trimmed, as a socket address (no port). */
static lobby_err parse_hop(const char *text, size_t n, struct sockaddr_storage *ss)
{
  char hop[CLIENT_ADDR_LEN];
  while (n > 0 && (*text == ' ' || *text == '\t')) {
    text++;
    n--;
  }
  while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
    n--;
  if (n == 0 || n >= sizeof hop)
    return LOBBY_EINVAL;
  memcpy(hop, text, n);
  hop[n] = '\0';
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *in = (struct sockaddr_in *)(void *)ss;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;
  if (inet_pton(AF_INET, hop, &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    return LOBBY_OK;
  }
  if (inet_pton(AF_INET6, hop, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    return LOBBY_OK;
  }
  return LOBBY_EINVAL;
}

/* Splits the header into hops; every hop must be an address, else the
 * whole header is refused (LOBBY_EINVAL). */
static lobby_err parse_hops(const char *value, struct sockaddr_storage hops[XFF_MAX_HOPS], int *count)
{
  *count = 0;
  const char *p = value;
  for (;;) {
    size_t n = strcspn(p, ",");
    if (*count == XFF_MAX_HOPS || parse_hop(p, n, &hops[*count]) != LOBBY_OK)
      return LOBBY_EINVAL;
    (*count)++;
    if (p[n] == '\0')
      return LOBBY_OK;
    p += n + 1;
  }
}

lobby_err client_addr_decide(const struct sockaddr *peer, const char *forwarded,
                             const addr_allow *trusted, char out[CLIENT_ADDR_LEN])
{
  struct sockaddr_storage hops[XFF_MAX_HOPS];
  int count;
  lobby_err err = peer_text(peer, out);
  if (err != LOBBY_OK || !forwarded || !addr_allow_match(trusted, peer))
    return err;
  if (parse_hops(forwarded, hops, &count) != LOBBY_OK)
    return LOBBY_OK; /* the peer, as if no header had come */
  /* From the right: the first hop our own proxies did not add.  When all
   * of them are proxies the leftmost is the client. */
  int i = count - 1;
  while (i > 0 && addr_allow_match(trusted, (const struct sockaddr *)&hops[i]))
    i--;
  return peer_text((const struct sockaddr *)&hops[i], out);
}

static enum MHD_Result count_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
  int *count = cls;
  (void)kind;
  (void)value;
  if (strcasecmp(key, "X-Forwarded-For") == 0)
    (*count)++;
  return MHD_YES;
}

void client_addr_get(http_request *r, char out[CLIENT_ADDR_LEN])
{
  if (!r->conn) { /* a request made without a network (tests/fuzz) */
    out[0] = '\0';
    return;
  }
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *peer = info ? info->client_addr : NULL;
  int headers = 0;
  MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_forwarded, &headers);
  /* libmicrohttpd gives the first of several headers, but the last one is
   * the proxy's: several are refused as malformed. */
  const char *forwarded = headers == 1 ? http_header(r, "X-Forwarded-For") : NULL;
  if (client_addr_decide(peer, forwarded, &r->d->cfg->server.trusted_proxies, out) != LOBBY_OK)
    out[0] = '\0';
}
