/* Console sessions: a random id in an HttpOnly, SameSite=Strict cookie,
 * stored only as a hash with an expiry.  State changes made with the
 * cookie must also carry the session's CSRF token in X-CSRF-Token; the
 * token is derived from the session id with a keyed hash, so the server
 * stores nothing more and a database reader cannot compute it. */
#ifndef LOBBYD_SESSION_H
#define LOBBYD_SESSION_H

#include "http.h"

#define SESSION_COOKIE "lobby_session"
#define SESSION_TTL_S (12 * 3600)
#define SESSION_TOKEN_LEN 48
#define SESSION_CSRF_LEN 65

/* Starts a session for who, its audit entry (NULL: none) written in the
 * same transaction; token is what the cookie carries. */
lobby_err session_start(http_request *r, const lobby_principal *who,
                        const store_audit_entry *audit, char token[SESSION_TOKEN_LEN],
                        int64_t *expires_at);

/* Authenticates r from its cookie: LOBBY_ENOTFOUND when there is none or
 * it is unknown or expired.  Sets r->who, r->session.via_session, r->session.csrf. */
lobby_err session_authenticate(http_request *r);

/* True for GET and HEAD, or when X-CSRF-Token matches the session. */
bool session_csrf_ok(http_request *r);

void session_csrf_of(const char *token, char out[SESSION_CSRF_LEN]);

/* The Set-Cookie value for token (NULL clears the cookie). */
void session_cookie(http_request *r, const char *token, char *out, size_t size);

/* The Set-Cookie value for a known-device cookie (known_device.h): sent
 * only with sign-ins, HttpOnly, SameSite=Strict, Secure like the session's. */
void session_device_cookie(http_request *r, const char *value, char *out, size_t size);

#endif
