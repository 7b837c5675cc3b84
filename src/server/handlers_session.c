/* Console sign-in, sign-out and a staff member's own password. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "client_addr.h"
#include "known_device.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "password.h"
#include "password_pool.h"
#include "ratelimit.h"
#include "session.h"
#include "site_scope.h"

/* Names are at most this many characters, each at most 4 bytes of UTF-8. */
#define LOBBY_SIGNIN_NAME_CHARS 32
#define LOBBY_SIGNIN_NAME_MAX (4 * LOBBY_SIGNIN_NAME_CHARS)

static enum MHD_Result signin_answer(http_request *r);

static enum MHD_Result reply_session(http_request *r, unsigned status, const lobby_principal *who,
                                     const char *csrf, int64_t expires_at, const char *cookie)
{
  json_t *sites = site_codes_of(r->d, &who->sites);
  if (!sites)
    return http_reply_store_error(r, LOBBY_EIO, "sites");
  json_t *out = json_pack("{s:s, s:s, s:s, s:o}", "name", who->name, "role",
                          lobby_role_name(who->role), "csrf_token", csrf ? csrf : "", "sites", sites);
  if (expires_at)
    json_object_set_new(out, "expires_at", json_integer(expires_at));
  return http_reply_json_header(r, status, out, cookie ? "Set-Cookie" : NULL, cookie);
}

/* What a sign-in keeps while its password is checked on the pool. */
struct signin_wait {
  store_staff_auth auth;
  bool usable;                     /* found, with a password */
  bool disabled;                   /* found and disabled by an admin */
  char name[LOBBY_SIGNIN_NAME_MAX + 1];
  password_pool_result result;
};

/* The staff id a valid known-device cookie vouches for, or 0. */
static int64_t known_device_of(http_request *r, char tag[17])
{
  const char *value = http_cookie(r, KNOWN_DEVICE_COOKIE);
  int64_t id = 0;
  tag[0] = '\0';
  if (!value || known_device_check(r->d->devices, value, lobby_now(), &id) != LOBBY_OK)
    return 0;
  /* The tag's end tells one device's cookie from another's. */
  snprintf(tag, 17, "%s", value + strlen(value) - 16);
  return id;
}

/* The limits, checked before the password is: per address; then, from a
 * device that signed in as this member before, per (name, device) only;
 * else per (name, address) and per name.  A request refused by one limit
 * does not spend the later ones, so an attacker refused for its address
 * cannot use up the name's allowance; and the member's own device is
 * not held back by the name's allowance, which anyone can spend. */
static bool signin_allowed(http_request *r, const char *address, const char *name, int64_t staff_id)
{
  char key[200], tag[17];
  int64_t now_ms = lobby_monotonic_ms();
  rate_key(RATE_ADDRESS, address, key, sizeof key);
  if (!rate_limiter_allow(r->d->signin_addresses, key, now_ms))
    return false;
  int64_t device = known_device_of(r, tag);
  if (device && device == staff_id) {
    rate_key_pair(RATE_NAME_DEVICE, name, tag, key, sizeof key);
    return rate_limiter_allow(r->d->signin_pairs, key, now_ms);
  }
  rate_key_pair(RATE_NAME_ADDRESS, name, address, key, sizeof key);
  if (!rate_limiter_allow(r->d->signin_pairs, key, now_ms))
    return false;
  rate_key(RATE_NAME, name, key, sizeof key);
  return rate_limiter_allow(r->d->signin_names, key, now_ms);
}

/* A sign-in refused for its rate is audited, but only the first few from
 * an address each minute (lobbyd_parts.c says why); the rest are counted
 * on /metrics as lobbyd_requests_total's 429s of the sign-in route. */
static void audit_rate_limited(http_request *r, const char *address, const char *name)
{
  char key[200];
  rate_key(RATE_ADDRESS, address, key, sizeof key);
  if (rate_limiter_allow(r->d->refusal_audits, key, lobby_monotonic_ms()))
    audit_record(r, name, "", "session.rate_limited", "", "");
}

/* Runs on a password-pool thread: hands the verdict to the suspended
 * request, which libmicrohttpd then calls again (http.c: poll_answer). */
static void signin_checked(void *ctx, password_pool_result result)
{
  http_request *r = ctx;
  r->signin->result = result;
  r->poll.answer = signin_answer;
  r->poll.state = POLL_READY;
  MHD_resume_connection(r->conn);
}

static enum MHD_Result reply_busy(http_request *r)
{
  char seconds[16];
  snprintf(seconds, sizeof seconds, "%d", password_pool_retry_after(r->d->passwords));
  json_t *out = json_pack("{s:{s:s, s:s}}", "error", "code", "busy", "message",
                          "the server is checking many sign-ins; try again in a few seconds");
  return http_reply_json_header(r, 503, out, "Retry-After", seconds);
}

/* The session's and the known device's cookies, with the session. */
static enum MHD_Result reply_signed_in(http_request *r, const lobby_principal *who, const char *csrf,
                                       int64_t expires_at, const char *session, const char *device)
{
  json_t *sites = site_codes_of(r->d, &who->sites);
  json_t *out = json_pack("{s:s, s:s, s:s, s:I, s:o}", "name", who->name, "role",
                          lobby_role_name(who->role), "csrf_token", csrf, "expires_at",
                          (json_int_t)expires_at, "sites", sites ? sites : json_array());
  http_format_times(out, r->d->cfg->sla.offset_min);
  char *text = json_dumps(out, JSON_COMPACT);
  json_decref(out);
  if (!text)
    return MHD_NO;
  static const char *const names[] = {"Set-Cookie", "Set-Cookie"};
  const char *const values[] = {session, device};
  enum MHD_Result ret = http_reply_buffer(r, 200, "application/json; charset=utf-8", text,
                                          strlen(text), names, values, 2);
  free(text);
  return ret;
}

static enum MHD_Result signin_answer(http_request *r)
{
  struct signin_wait *w = r->signin;
  if (w->result == PASSWORD_POOL_CANCELLED)
    return reply_busy(r);
  if (w->result != PASSWORD_POOL_MATCH || !w->usable) {
    audit_record(r, w->name, "", "session.sign_in_failed", "", "");
    return http_fail(r, 401, "unauthorized", "wrong name or password");
  }
  /* Told only to whoever knows the password, so that the answer does
   * not say which names exist. */
  if (w->disabled) {
    audit_record(r, w->name, "", "session.sign_in_failed", "", "disabled");
    return http_fail(r, 403, "account_disabled",
                     "this account is disabled; ask an administrator to enable it");
  }
  char token[SESSION_TOKEN_LEN], csrf[SESSION_CSRF_LEN], cookie[160], device[KNOWN_DEVICE_LEN],
    device_cookie[KNOWN_DEVICE_LEN + 120];
  int64_t expires_at;
  audit_note note;
  const char *role = lobby_role_name(w->auth.who.role);
  lobby_err err = session_start(r, &w->auth.who,
                                audit_entry(r, &note, w->auth.who.name, role, "session.sign_in",
                                            "", ""),
                                token, &expires_at);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "session");
  session_csrf_of(token, csrf);
  session_cookie(r, token, cookie, sizeof cookie);
  known_device_issue(r->d->devices, w->auth.who.id, lobby_now(), device);
  session_device_cookie(r, device, device_cookie, sizeof device_cookie);
  return reply_signed_in(r, &w->auth.who, csrf, expires_at, cookie, device_cookie);
}

static enum MHD_Result sign_in(http_request *r, const char *name, const char *password)
{
  struct signin_wait *w = calloc(1, sizeof *w);
  if (!w)
    return MHD_NO;
  r->signin = w;
  snprintf(w->name, sizeof w->name, "%s", name);
  lobby_err err = r->d->store->ops->staff_auth_get(r->d->store, name, &w->auth);
  if (err != LOBBY_OK && err != LOBBY_ENOTFOUND)
    return http_reply_store_error(r, err, "staff");
  char address[CLIENT_ADDR_LEN];
  client_addr_get(r, address);
  if (!signin_allowed(r, address, name, err != LOBBY_OK ? 0 : w->auth.who.id)) {
    audit_rate_limited(r, address, name);
    return http_fail(r, 429, "rate_limited",
                     "too many sign-in attempts; wait a minute and try again");
  }
  w->usable = err == LOBBY_OK && w->auth.password_hash[0];
  w->disabled = err == LOBBY_OK && w->auth.disabled;
  if (!r->conn) {
    /* A request made without a connection (tests/fuzz) cannot be
     * suspended: its password is checked here, on the caller's thread. */
    bool match = password_verify(w->usable ? w->auth.password_hash : "", password);
    w->result = match ? PASSWORD_POOL_MATCH : PASSWORD_POOL_MISMATCH;
    return signin_answer(r);
  }
  err = password_pool_submit(r->d->passwords, r->conn, w->usable ? w->auth.password_hash : "",
                             password, signin_checked, r);
  if (err == LOBBY_ETOOBIG)
    return reply_busy(r);
  if (err != LOBBY_OK)
    return http_fail(r, 500, "internal", "the server could not complete the request");
  return MHD_YES; /* answered by signin_answer once the check is done */
}

enum MHD_Result handle_session_create(http_request *r)
{
  static const char *const fields[] = {"name", "password", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *name, *password;
  http_error e;
  /* A plain cross-site form cannot send this type without a preflight, so
   * another site cannot sign a browser in to an account of its choosing. */
  const char *type = http_header(r, "Content-Type");
  if (!type || strncmp(type, "application/json", 16) != 0)
    return http_fail(r, 400, "bad_json", "sign-in takes Content-Type: application/json");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (jin_string(in, "name", true, 1, LOBBY_SIGNIN_NAME_CHARS, false, &name, &e) != LOBBY_OK ||
      jin_string(in, "password", true, 1, PASSWORD_MAX_BYTES, false, &password, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  ret = sign_in(r, name, password);
  json_decref(in);
  return ret;
}

enum MHD_Result handle_session_get(http_request *r)
{
  return reply_session(r, 200, &r->who, r->session.via_session ? r->session.csrf : NULL, 0, NULL);
}

enum MHD_Result handle_session_delete(http_request *r)
{
  char cookie[160];
  audit_note note;
  if (r->session.via_session) {
    lobby_err err = r->d->store->ops->session_delete(r->d->store, r->session.session_hash,
                                                     audit_of(r, &note));
    if (err != LOBBY_OK)
      return http_reply_store_error(r, err, "session");
  } else {
    /* A bearer token has no session to end: the entry is all there is
     * to write. */
    audit_record(r, r->who.name, lobby_role_name(r->who.role), r->outcome.audit_action, "", "");
  }
  session_cookie(r, NULL, cookie, sizeof cookie);
  return http_reply_json_header(r, 200, json_pack("{s:b}", "signed_out", 1), "Set-Cookie", cookie);
}

enum MHD_Result handle_password_change(http_request *r)
{
  static const char *const fields[] = {"current", "new", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *current, *fresh;
  http_error e;
  store_staff_auth auth;
  if (!password_change_allowed(r))
    return http_fail(r, 429, "rate_limited", "too many password changes; wait a minute and try again");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (jin_string(in, "current", true, 1, PASSWORD_MAX_BYTES, false, &current, &e) != LOBBY_OK ||
      jin_string(in, "new", true, 1, PASSWORD_MAX_BYTES, false, &fresh, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  char hash[PASSWORD_HASH_LEN];
  password_verdict verdict = PASSWORD_OK;
  lobby_err err = r->d->store->ops->staff_auth_get(r->d->store, r->who.name, &auth);
  if (err == LOBBY_OK && !password_verify(auth.password_hash, current))
    ret = http_fail(r, 400, "invalid_field", "current: the current password is wrong");
  else if (err == LOBBY_OK && (verdict = password_policy(fresh, r->who.name)) != PASSWORD_OK)
    ret = password_refused(r, "new", verdict);
  else {
    audit_note note;
    if (err == LOBBY_OK) err = password_hash(fresh, hash);
    /* Other sessions end: whoever knew the old password is signed out. */
    if (err == LOBBY_OK) err = r->d->store->ops->staff_set_password(r->d->store, r->who.name, hash,
                                                         r->session.via_session ? r->session.session_hash : NULL,
                                                         audit_of(r, &note));
    ret = err != LOBBY_OK ? http_reply_store_error(r, err, "staff")
              : http_reply_json(r, 200, json_pack("{s:b}", "changed", 1));
  }
  json_decref(in);
  return ret;
}
