/* Staff accounts: API tokens (lobbyctl, scripts) and console accounts
 * with a password; admins create, disable and reset them. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "auth.h"
#include "lobby_time.h"
#include "password.h"
#include "ratelimit.h"
#include "site_scope.h"

static enum MHD_Result create_with_token(http_request *r, const char *name, lobby_role role,
                                         const store_site_set *sites)
{
  char token[AUTH_TOKEN_LEN];
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  auth_token_new("ls_", token, hash);
  audit_note note;
  lobby_err err = r->d->store->ops->staff_create(r->d->store, name, role, sites, hash,
                                                 lobby_now(), audit_of(r, &note));
  if (err == LOBBY_EDUP)
    return http_fail_field(r, 409, "conflict", "name", "a staff member with that name already exists");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "staff");
  return http_reply_json(r, 201, json_pack("{s:s, s:s, s:s}", "name", name, "role",
                                           lobby_role_name(role), "token", token));
}

/* A console account signs in with its password and gets no API token. */
static enum MHD_Result create_with_password(http_request *r, const char *name, lobby_role role,
                                            const store_site_set *sites, const char *password)
{
  char hash[PASSWORD_HASH_LEN];
  password_verdict verdict = password_policy(password, name);
  if (verdict != PASSWORD_OK)
    return password_refused(r, "password", verdict);
  audit_note note;
  lobby_err err = password_hash(password, hash);
  if (err == LOBBY_OK)
    err = r->d->store->ops->staff_account_create(r->d->store, name, role, sites, hash,
                                                 lobby_now(), audit_of(r, &note));
  if (err == LOBBY_EDUP)
    return http_fail_field(r, 409, "conflict", "name", "a staff member with that name already exists");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "staff");
  return http_reply_json(r, 201, json_pack("{s:s, s:s}", "name", name, "role", lobby_role_name(role)));
}

enum MHD_Result handle_staff_create(http_request *r)
{
  static const char *const fields[] = {"name", "role", "password", "sites", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *name, *role_name, *password = NULL;
  http_error e;
  if (!require_every_site(r, "add staff accounts", &ret) || !body_object(r, &in, fields, &ret))
    return ret;
  if (jin_string(in, "name", true, 1, 32, false, &name, &e) != LOBBY_OK ||
      jin_enum(in, "role", true, lobby_staff_role_names, &role_name, &e) != LOBBY_OK ||
      jin_string(in, "password", false, 1, PASSWORD_MAX_BYTES, false, &password, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  lobby_role role;
  store_site_set sites = {0};
  json_t *codes = json_object_get(in, "sites");
  /* The account works for its sites from its first request on. */
  if (codes && !sites_from_codes(r, codes, &sites, &ret)) {
    json_decref(in);
    return ret;
  }
  (void)lobby_role_parse(role_name, &role);
  snprintf(r->outcome.audit_target, sizeof r->outcome.audit_target, "%s", name);
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s", role_name);
  ret = password ? create_with_password(r, name, role, &sites, password)
                 : create_with_token(r, name, role, &sites);
  json_decref(in);
  return ret;
}

/* Whether a staff row's sites ([] for every site) meet the codes. */
static bool works_for_any(json_t *row, json_t *codes)
{
  json_t *sites = json_object_get(row, "sites");
  size_t i, j;
  json_t *a, *b;
  if (json_array_size(sites) == 0)
    return true;
  json_array_foreach(sites, i, a) json_array_foreach(codes, j, b) {
    if (json_equal(a, b))
      return true;
  }
  return false;
}

/* Staff who reach some sites see the colleagues of those sites and those
 * who work for every site. */
enum MHD_Result handle_staff_list(http_request *r)
{
  json_t *out = NULL, *codes = site_codes_of(r->d, &r->who.sites);
  lobby_err err = codes ? r->d->store->ops->staff_list(r->d->store, &out) : LOBBY_EIO;
  if (err != LOBBY_OK) {
    json_decref(codes);
    return http_reply_store_error(r, err, "staff");
  }
  for (size_t i = json_array_size(out); r->who.sites.count > 0 && i-- > 0;)
    if (!works_for_any(json_array_get(out, i), codes))
      json_array_remove(out, i);
  json_decref(codes);
  return http_reply_json(r, 200, json_pack("{s:o}", "staff", out));
}

static enum MHD_Result set_disabled(http_request *r, bool disabled)
{
  enum MHD_Result ret;
  if (!require_every_site(r, disabled ? "disable accounts" : "enable accounts", &ret))
    return ret;
  if (disabled && strcmp(r->params[0], r->who.name) == 0)
    return http_fail(r, 409, "conflict", "you cannot disable your own account");
  audit_note note;
  lobby_err err = r->d->store->ops->staff_set_disabled(r->d->store, r->params[0], disabled,
                                                       audit_of(r, &note));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "staff member");
  /* Cached API tokens of a disabled member must stop working now. */
  auth_cache_clear(r->d->tokens);
  return http_reply_json(r, 200, json_pack("{s:s, s:b}", "name", r->params[0], "disabled", disabled));
}

enum MHD_Result handle_staff_disable(http_request *r) { return set_disabled(r, true); }
enum MHD_Result handle_staff_enable(http_request *r) { return set_disabled(r, false); }

enum MHD_Result handle_staff_password_reset(http_request *r)
{
  static const char *const fields[] = {"password", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *password;
  http_error e;
  store_staff_auth auth;
  char hash[PASSWORD_HASH_LEN];
  if (!require_every_site(r, "reset passwords", &ret))
    return ret;
  if (!password_change_allowed(r))
    return http_fail(r, 429, "rate_limited", "too many password resets; wait a minute and try again");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (jin_string(in, "password", true, 1, PASSWORD_MAX_BYTES, false, &password, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  password_verdict verdict = password_policy(password, r->params[0]);
  if (verdict != PASSWORD_OK) {
    json_decref(in);
    return password_refused(r, "password", verdict);
  }
  audit_note note;
  lobby_err err = r->d->store->ops->staff_auth_get(r->d->store, r->params[0], &auth);
  if (err == LOBBY_OK) err = password_hash(password, hash);
  json_decref(in);
  /* A reset signs the member out everywhere. */
  if (err == LOBBY_OK) err = r->d->store->ops->staff_set_password(r->d->store, r->params[0], hash, NULL,
                                                       audit_of(r, &note));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "staff member");
  return http_reply_json(r, 200, json_pack("{s:s, s:b}", "name", r->params[0], "reset", 1));
}
