/* Console sign-in, sign-out and a staff member's own password. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "password.h"
#include "ratelimit.h"
#include "session.h"

static enum MHD_Result reply_session(http_request *r, unsigned status, const lobby_principal *who,
                                     const char *csrf, int64_t expires_at, const char *cookie)
{
  json_t *out = json_pack("{s:s, s:s, s:s}", "name", who->name, "role",
                          lobby_role_name(who->role), "csrf_token", csrf ? csrf : "");
  if (expires_at)
    json_object_set_new(out, "expires_at", json_integer(expires_at));
  return http_reply_json_header(r, status, out, cookie ? "Set-Cookie" : NULL, cookie);
}

/* Both limits are checked before the password is: a guesser gets a few
 * tries per name and per address each minute, whatever the answers. */
static bool signin_allowed(http_request *r, const char *name, const char *address)
{
  char name_key[80], address_key[80];
  int64_t now_ms = lobby_monotonic_ms();
  rate_key(RATE_NAME, name, name_key, sizeof name_key);
  rate_key(RATE_ADDRESS, address, address_key, sizeof address_key);
  bool by_address = rate_limiter_allow(r->d->signin_addresses, address_key, now_ms);
  bool by_name = rate_limiter_allow(r->d->signin_names, name_key, now_ms);
  return by_address && by_name;
}

static enum MHD_Result sign_in(http_request *r, const char *name, const char *password)
{
  char address[64];
  store_staff_auth auth;
  http_client_address(r, address, sizeof address);
  if (!signin_allowed(r, name, address)) {
    audit_record(r, name, "", "session.rate_limited", "", "");
    return http_fail(r, 429, "rate_limited",
                     "too many sign-in attempts; wait a minute and try again");
  }
  lobby_err err = r->d->store->ops->staff_auth_get(r->d->store, name, &auth);
  if (err && err != LOBBY_ENOTFOUND)
    return http_reply_store_error(r, err, "staff");
  bool usable = !err && !auth.disabled && auth.password_hash[0];
  bool ok = password_verify(usable ? auth.password_hash : "", password) && usable;
  if (!ok) {
    audit_record(r, name, "", "session.sign_in_failed", "", "");
    return http_fail(r, 401, "unauthorized", "wrong name or password");
  }
  char token[SESSION_TOKEN_LEN], csrf[SESSION_CSRF_LEN], cookie[160];
  int64_t expires_at;
  if ((err = session_start(r, &auth.who, token, &expires_at)))
    return http_reply_store_error(r, err, "session");
  session_csrf_of(token, csrf);
  session_cookie(r, token, cookie, sizeof cookie);
  audit_record(r, auth.who.name, lobby_role_name(auth.who.role), "session.sign_in", "", "");
  return reply_session(r, 200, &auth.who, csrf, expires_at, cookie);
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
  if (jin_string(in, "name", true, 1, 32, false, &name, &e) ||
      jin_string(in, "password", true, 1, PASSWORD_MAX_BYTES, false, &password, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  ret = sign_in(r, name, password);
  json_decref(in);
  return ret;
}

enum MHD_Result handle_session_get(http_request *r)
{
  return reply_session(r, 200, &r->who, r->via_session ? r->csrf : NULL, 0, NULL);
}

enum MHD_Result handle_session_delete(http_request *r)
{
  char cookie[160];
  if (r->via_session) {
    lobby_err err = r->d->store->ops->session_delete(r->d->store, r->session_hash);
    if (err)
      return http_reply_store_error(r, err, "session");
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
  if (jin_string(in, "current", true, 1, PASSWORD_MAX_BYTES, false, &current, &e) ||
      jin_string(in, "new", true, 1, PASSWORD_MAX_BYTES, false, &fresh, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  char hash[PASSWORD_HASH_LEN];
  password_verdict verdict = PASSWORD_OK;
  lobby_err err = r->d->store->ops->staff_auth_get(r->d->store, r->who.name, &auth);
  if (!err && !password_verify(auth.password_hash, current))
    ret = http_fail(r, 400, "invalid_field", "current: the current password is wrong");
  else if (!err && (verdict = password_policy(fresh, r->who.name)) != PASSWORD_OK)
    ret = password_refused(r, "new", verdict);
  else {
    if (!err) err = password_hash(fresh, hash);
    if (!err) err = r->d->store->ops->staff_set_password(r->d->store, r->who.name, hash);
    /* Other sessions end: whoever knew the old password is signed out. */
    if (!err) err = r->d->store->ops->session_delete_staff(r->d->store, r->who.id,
                                                           r->via_session ? r->session_hash : NULL);
    ret = err ? http_reply_store_error(r, err, "staff")
              : http_reply_json(r, 200, json_pack("{s:b}", "changed", 1));
  }
  json_decref(in);
  return ret;
}
