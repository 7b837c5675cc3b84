#include "session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "auth.h"
#include "known_device.h"
#include "lobby_time.h"

static const char csrf_key[] = "lobby-console-csrf-v1";

void session_csrf_of(const char *token, char out[SESSION_CSRF_LEN])
{
  unsigned char mac[32];
  crypto_generichash(mac, sizeof mac, (const unsigned char *)token, strlen(token),
                     (const unsigned char *)csrf_key, sizeof csrf_key - 1);
  sodium_bin2hex(out, SESSION_CSRF_LEN, mac, sizeof mac);
}

lobby_err session_start(http_request *r, const lobby_principal *who,
                        const store_audit_entry *audit, char token[SESSION_TOKEN_LEN],
                        int64_t *expires_at)
{
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  int64_t now = lobby_now();
  auth_token_new("ss_", token, hash);
  *expires_at = now + SESSION_TTL_S;
  return r->d->store->ops->session_create(r->d->store, hash, who->id, now, *expires_at, audit);
}

lobby_err session_authenticate(http_request *r)
{
  const char *token = http_cookie(r, SESSION_COOKIE);
  if (!token || strncmp(token, "ss_", 3) != 0 || strlen(token) >= SESSION_TOKEN_LEN)
    return LOBBY_ENOTFOUND;
  int64_t expires;
  auth_token_hash(token, r->session.session_hash);
  lobby_err err = r->d->store->ops->session_lookup(r->d->store, r->session.session_hash, lobby_now(),
                                                   &r->who, &expires);
  if (err != LOBBY_OK)
    return err;
  r->session.via_session = true;
  session_csrf_of(token, r->session.csrf);
  return LOBBY_OK;
}

bool session_csrf_ok(http_request *r)
{
  if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
    return true;
  const char *sent = http_header(r, "X-CSRF-Token");
  size_t n = strlen(r->session.csrf);
  return sent && strlen(sent) == n && sodium_memcmp(sent, r->session.csrf, n) == 0;
}

/* Secure when lobbyd is configured for it, serves TLS itself, or a TLS
 * proxy in front says the browser's connection is https. */
static bool secure_transport(http_request *r)
{
  const char *proto = http_header(r, "X-Forwarded-Proto");
  const lobbyd_config *cfg = r->d->cfg;
  return cfg->server.cookie_secure || cfg->tls.cert[0] || (proto && strcmp(proto, "https") == 0);
}

void session_cookie(http_request *r, const char *token, char *out, size_t size)
{
  snprintf(out, size, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", SESSION_COOKIE,
           token ? token : "", token ? SESSION_TTL_S : 0, secure_transport(r) ? "; Secure" : "");
}

void session_device_cookie(http_request *r, const char *value, char *out, size_t size)
{
  snprintf(out, size, "%s=%s; Path=/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=%d%s",
           KNOWN_DEVICE_COOKIE, value, KNOWN_DEVICE_TTL_S, secure_transport(r) ? "; Secure" : "");
}
