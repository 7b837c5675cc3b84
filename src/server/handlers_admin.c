/* Kiosk enrolment, what a kiosk shows, and the building directory. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "auth.h"
#include "feed.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "presence.h"
#include "site_scope.h"

/* The site of a new kiosk: its building's, which must be in the site the
 * request names, if it names one. */
static bool kiosk_site(http_request *r, const char *building, const char *code, int64_t *site_id,
                       enum MHD_Result *ret)
{
  int64_t named = 0;
  if (code && !site_for_create(r, code, "site", &named, ret))
    return false;
  lobby_err err = site_of_building(r, building, site_id);
  if (err == LOBBY_OK && (!code || named == *site_id))
    return true;
  if (err != LOBBY_OK && err != LOBBY_ENOTFOUND) {
    *ret = http_reply_store_error(r, err, "directory");
    return false;
  }
  *ret = http_fail(r, 400, "invalid_field", code ? "building: no such building in site %s"
                                                 : "building: no such building in the directory%s",
                   code ? code : "");
  return false;
}

enum MHD_Result handle_kiosk_create(http_request *r)
{
  static const char *const fields[] = {"name", "building", "group", "site", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *name, *building, *group = NULL, *site = NULL;
  int64_t site_id;
  http_error e;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (jin_code(in, "name", true, 32, false, &name, &e) != LOBBY_OK ||
      jin_code(in, "building", true, 16, false, &building, &e) != LOBBY_OK ||
      jin_code(in, "group", false, 32, true, &group, &e) != LOBBY_OK ||
      jin_code(in, "site", false, 16, false, &site, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  if (!kiosk_site(r, building, site, &site_id, &ret)) {
    json_decref(in);
    return ret;
  }
  char token[AUTH_TOKEN_LEN];
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  auth_token_new("lk_", token, hash);
  snprintf(r->outcome.audit_target, sizeof r->outcome.audit_target, "%s", name);
  audit_note note;
  lobby_err err = r->d->store->ops->kiosk_create(r->d->store, name, building, group ? group : "",
                                                 site_id, hash, lobby_now(), audit_of(r, &note));
  /* name, building and group point into `in`: reply before freeing it. */
  if (err == LOBBY_ENOTFOUND)
    ret = http_fail(r, 400, "invalid_field", "building: no such building in the directory");
  else if (err == LOBBY_EDUP)
    ret = http_fail_field(r, 409, "conflict", "name", "a kiosk named %s already exists", name);
  else if (err != LOBBY_OK)
    ret = http_reply_store_error(r, err, "kiosk");
  json_t *out = err != LOBBY_OK ? NULL : json_pack("{s:s, s:s, s:s, s:s}", "name", name, "building", building,
                                       "group", group ? group : "", "token", token);
  json_decref(in);
  if (err != LOBBY_OK)
    return ret;
  LOBBY_INFO("kiosk %s enrolled", json_string_value(json_object_get(out, "name")));
  return http_reply_json(r, 201, out);
}

enum MHD_Result handle_kiosk_list(http_request *r)
{
  json_t *list = NULL;
  store_site_set sites;
  enum MHD_Result ret;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  lobby_err err = r->d->store->ops->kiosk_list(r->d->store, &sites, &list);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "kiosks");
  int64_t now = lobby_now();
  size_t i;
  json_t *k;
  json_array_foreach(list, i, k) {
    (void)kiosk_row_presence(r->d, k, now);
    json_object_del(k, "id");
  }
  return http_reply_json(r, 200, json_pack("{s:o}", "kiosks", list));
}

/* What a kiosk shows right now: its own feed, built by feed.c exactly as
 * the kiosk would fetch it. */
enum MHD_Result handle_kiosk_feed_preview(http_request *r)
{
  lobby_principal kiosk;
  char *body;
  size_t len;
  char etag[FEED_ETAG_LEN];
  lobby_err err = r->d->store->ops->kiosk_find(r->d->store, r->params[0], &kiosk);
  if (err == LOBBY_OK && !store_site_set_has(&r->who.sites, kiosk.site_id))
    err = LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    err = feed_body(r->d->feed, &kiosk, &body, &len, etag);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "kiosk");
  enum MHD_Result ret = http_reply_text(r, 200, "application/json; charset=utf-8", body, len, etag);
  free(body);
  return ret;
}

enum MHD_Result handle_kiosk_revoke(http_request *r)
{
  audit_note note;
  lobby_principal kiosk;
  /* An admin of some sites revokes only their kiosks. */
  lobby_err err = r->who.sites.count == 0
    ? LOBBY_OK : r->d->store->ops->kiosk_find(r->d->store, r->params[0], &kiosk);
  if (err == LOBBY_OK && r->who.sites.count > 0 && !store_site_set_has(&r->who.sites, kiosk.site_id))
    err = LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    err = r->d->store->ops->kiosk_revoke(r->d->store, r->params[0], lobby_now(), audit_of(r, &note));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "kiosk");
  auth_cache_clear(r->d->tokens);
  LOBBY_INFO("kiosk %s revoked", r->params[0]);
  return http_reply_json(r, 200, json_pack("{s:s, s:b}", "name", r->params[0], "revoked", 1));
}

enum MHD_Result handle_directory_get(http_request *r)
{
  json_t *out = NULL;
  store_site_set sites;
  enum MHD_Result ret;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  lobby_err err = r->d->store->ops->directory_get(r->d->store, &sites, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "directory");
  return http_reply_json(r, 200, json_pack("{s:o}", "buildings", out));
}

static lobby_err check_codes(json_t *list, const char *field, size_t max, http_error *e)
{
  size_t i;
  json_t *v;
  if (!json_is_array(list)) {
    http_error_set(e, 400, "invalid_field", field, "%s must be an array", field);
    return LOBBY_EINVAL;
  }
  json_array_foreach(list, i, v) {
    if (!json_is_string(v) || !lobby_code_valid(json_string_value(v), max)) {
      http_error_set(e, 400, "invalid_field", field, "%s[%zu]: 1 to %zu letters, digits, '-' or '_'",
                     field, i, max);
      return LOBBY_EINVAL;
    }
  }
  return LOBBY_OK;
}

static lobby_err check_unit(json_t *u, http_error *e)
{
  static const char *const fields[] = {"code", "rooms", NULL};
  const char *code;
  if (!json_is_object(u)) {
    http_error_set(e, 400, "invalid_field", "units", "each unit must be an object");
    return LOBBY_EINVAL;
  }
  lobby_err err = jin_only(u, fields, "units.", e);
  if (err == LOBBY_OK) err = jin_code(u, "code", true, 16, false, &code, e);
  if (err == LOBBY_OK) err = check_codes(json_object_get(u, "rooms"), "rooms", 16, e);
  return err;
}

static lobby_err check_building(json_t *b, http_error *e)
{
  static const char *const fields[] = {"code", "name", "requires_approval", "units", NULL};
  const char *code, *name;
  bool approval = false;
  size_t i;
  json_t *u;
  if (!json_is_object(b)) {
    http_error_set(e, 400, "invalid_field", "buildings", "each building must be an object");
    return LOBBY_EINVAL;
  }
  lobby_err err = jin_only(b, fields, "buildings.", e);
  if (err == LOBBY_OK) err = jin_code(b, "code", true, 16, false, &code, e);
  if (err == LOBBY_OK) err = jin_string(b, "name", true, 1, 40, false, &name, e);
  if (err == LOBBY_OK) err = jin_bool(b, "requires_approval", &approval, e);
  if (err == LOBBY_OK && !json_is_array(json_object_get(b, "units"))) {
    http_error_set(e, 400, "invalid_field", "units", "units must be an array");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK)
    json_array_foreach(json_object_get(b, "units"), i, u) {
      if ((err = check_unit(u, e)))
        break;
    }
  return err;
}

/* Building codes are unique across the company: a code another site
 * uses is refused with that site's name before anything is written. */
static bool codes_free_for(http_request *r, json_t *list, int64_t site_id, enum MHD_Result *ret)
{
  size_t i;
  json_t *b;
  json_array_foreach(list, i, b) {
    const char *code = json_string_value(json_object_get(b, "code"));
    int64_t owner;
    store_site other;
    lobby_err err = r->d->store->ops->building_site(r->d->store, code, &owner);
    if (err == LOBBY_ENOTFOUND || (err == LOBBY_OK && owner == site_id))
      continue;
    if (err == LOBBY_OK)
      err = r->d->store->ops->site_get_by_id(r->d->store, owner, &other);
    if (err != LOBBY_OK) {
      *ret = http_reply_store_error(r, err, "directory");
      return false;
    }
    *ret = http_fail(r, 409, "conflict",
                     "buildings[%zu]: building code %s already belongs to site %s; building codes "
                     "are unique across all sites", i, code, other.code);
    return false;
  }
  return true;
}

enum MHD_Result handle_directory_put(http_request *r)
{
  static const char *const fields[] = {"buildings", NULL};
  json_t *in;
  enum MHD_Result ret;
  http_error e;
  size_t i;
  json_t *b;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  json_t *list = json_object_get(in, "buildings");
  lobby_err err = json_is_array(list) ? LOBBY_OK : LOBBY_EINVAL;
  if (err != LOBBY_OK)
    http_error_set(&e, 400, "missing_field", "buildings", "buildings must be an array");
  if (err == LOBBY_OK)
    json_array_foreach(list, i, b) {
      if ((err = check_building(b, &e)))
        break;
    }
  if (err != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  int64_t site_id;
  if (!site_for_create(r, http_query(r, "site"), "site", &site_id, &ret) ||
      !codes_free_for(r, list, site_id, &ret)) {
    json_decref(in);
    return ret;
  }
  audit_note note;
  err = r->d->store->ops->directory_replace(r->d->store, site_id, list, audit_of(r, &note));
  json_decref(in);
  if (err == LOBBY_EDUP)
    return http_fail(r, 400, "invalid_field", "buildings: a building, unit or room code appears twice");
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "a kiosk still belongs to a building that would be removed");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "directory");
  feed_changed(r);
  return handle_directory_get(r);
}
