#include "addr_allow.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "lobby_text.h"

static bool prefix_matches(const uint8_t *a, const uint8_t *b, int bits)
{
  int whole = bits / 8, rest = bits % 8;
  if (memcmp(a, b, (size_t)whole) != 0)
    return false;
  if (rest == 0)
    return true;
  uint8_t mask = (uint8_t)(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

/* One "ADDR" or "ADDR/BITS", already trimmed. */
static lobby_err parse_one(const char *item, addr_net *out)
{
  char addr[64];
  const char *slash = strchr(item, '/');
  size_t n = slash ? (size_t)(slash - item) : strlen(item);
  if (n == 0 || n >= sizeof addr)
    return LOBBY_EINVAL;
  memcpy(addr, item, n);
  addr[n] = '\0';
  memset(out, 0, sizeof *out);
  int max;
  if (inet_pton(AF_INET, addr, out->addr) == 1) {
    out->family = AF_INET;
    max = 32;
  } else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
    out->family = AF_INET6;
    max = 128;
  } else {
    return LOBBY_EINVAL;
  }
  out->prefix = max;
  if (slash) {
    int64_t bits;
    if (lobby_parse_int64(slash + 1, 0, max, &bits) != LOBBY_OK)
      return LOBBY_EINVAL;
    out->prefix = (int)bits;
  }
  /* The network address itself, so 10.0.0.1/8 is caught as a typo. */
  for (int bit = out->prefix; bit < max; bit++)
    if (out->addr[bit / 8] & (0x80 >> (bit % 8)))
      return LOBBY_EINVAL;
  return LOBBY_OK;
}

lobby_err addr_allow_parse(const char *text, addr_allow *out)
{
  addr_allow list;
  memset(&list, 0, sizeof list);
  const char *p = text;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    if (!*p)
      break;
    size_t n = strcspn(p, ", \t");
    char item[80];
    if (n >= sizeof item)
      return LOBBY_EINVAL;
    memcpy(item, p, n);
    item[n] = '\0';
    if (list.count == ADDR_ALLOW_MAX)
      return LOBBY_ETOOBIG;
    lobby_err err = parse_one(item, &list.nets[list.count]);
    if (err != LOBBY_OK)
      return err;
    list.count++;
    p += n;
  }
  *out = list;
  return LOBBY_OK;
}

void addr_allow_loopback(addr_allow *out)
{
  lobby_err err = addr_allow_parse("127.0.0.1, ::1", out);
  (void)err;   /* a constant that parses */
}

bool addr_allow_match(const addr_allow *a, const struct sockaddr *sa)
{
  uint8_t addr[16];
  int family;
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!sa)
    return false;
  if (sa->sa_family == AF_INET) {
    family = AF_INET;
    memcpy(addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
    if (memcmp(b, mapped, sizeof mapped) == 0) {
      family = AF_INET;
      memcpy(addr, b + 12, 4);
    } else {
      family = AF_INET6;
      memcpy(addr, b, 16);
    }
  } else {
    return false;
  }
  for (int i = 0; i < a->count; i++)
    if (a->nets[i].family == family && prefix_matches(addr, a->nets[i].addr, a->nets[i].prefix))
      return true;
  return false;
}
