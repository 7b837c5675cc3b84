#include "handlers.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "lobby_time.h"
#include "password.h"
#include "presence.h"
#include "ratelimit.h"
#include "site_scope.h"

void idem_init(http_request *r, const char *key, idem_ctx *ctx)
{
  memset(ctx, 0, sizeof *ctx);
  snprintf(ctx->scope, sizeof ctx->scope, "%s:%lld", r->who.role == ROLE_KIOSK ? "kiosk" : "staff",
           (long long)r->who.id);
  ctx->idem.scope = ctx->scope;
  ctx->idem.key = key;
  /* The hash binds the key to this exact request: the same key with
   * another body is a client bug, not a retry. */
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof ctx->idem.request_hash);
  crypto_generichash_update(&st, (const unsigned char *)r->method, strlen(r->method));
  crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
  crypto_generichash_update(&st, (const unsigned char *)r->path, strlen(r->path));
  crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
  if (r->body)
    crypto_generichash_update(&st, (const unsigned char *)r->body, r->body_len);
  crypto_generichash_final(&st, ctx->idem.request_hash, sizeof ctx->idem.request_hash);
}

void feed_changed(http_request *r)
{
  r->outcome.change.feed = true;
}

void change_recorded(http_request *r, unsigned topics)
{
  r->outcome.change.topics = topics;
  r->outcome.recorded = true;
}

void item_changed(http_request *r, const char *key)
{
  snprintf(r->outcome.change.item, sizeof r->outcome.change.item, "%s", key ? key : "");
}

bool body_object(http_request *r, json_t **obj, const char *const *allowed, enum MHD_Result *ret)
{
  http_error e;
  if (jin_parse(r, obj, &e) == LOBBY_OK) {
    if (jin_only(*obj, allowed, NULL, &e) == LOBBY_OK)
      return true;
    json_decref(*obj);
    *obj = NULL;
  }
  *ret = http_reply_error(r, &e);
  return false;
}

/* A kiosk counts as online while it waits on the feed or was seen within
 * this many seconds (two missed heartbeats). */
#define KIOSK_ONLINE_WINDOW_S 120

bool kiosk_row_presence(lobbyd *d, json_t *k, int64_t now)
{
  int64_t seen;
  bool waiting;
  presence_get(d->kiosks, json_integer_value(json_object_get(k, "id")), &seen, &waiting);
  int64_t stored = json_integer_value(json_object_get(k, "last_seen_at"));
  if (seen > stored)
    json_object_set_new(k, "last_seen_at", json_integer(seen));
  else
    seen = stored;
  bool revoked = !json_is_null(json_object_get(k, "revoked_at"));
  bool online = !revoked && (waiting || (seen && now - seen <= KIOSK_ONLINE_WINDOW_S));
  json_object_set_new(k, "online", json_boolean(online));
  return online;
}

/* A refused new password: the field named, cracklib's verdict in words. */
enum MHD_Result password_refused(http_request *r, const char *field, password_verdict v)
{
  http_error e;
  http_error_set(&e, 400, password_verdict_code(v), field, "%s: %s", field,
                 password_verdict_message(v));
  if (v == PASSWORD_LENGTH)
    http_error_bound(&e, HTTP_BOUND_LENGTH, PASSWORD_MIN_CHARS, PASSWORD_MAX_BYTES);
  return http_reply_error(r, &e);
}

/* Password changes and resets by one account: as few a minute as sign-ins
 * for one name, since each change also checks a password. */
bool password_change_allowed(http_request *r)
{
  char key[48];
  rate_key_of(&r->who, key, sizeof key);
  return rate_limiter_allow(r->d->signin_names, key, lobby_monotonic_ms());
}

bool lookup_allowed(http_request *r, bool number_ok, const char *number_message, const char **last4,
                    enum MHD_Result *ret)
{
  char client[48];
  rate_key_of(&r->who, client, sizeof client);
  *last4 = http_query(r, "phone_last4");
  if (!rate_limiter_allow(r->d->lookups, client, lobby_monotonic_ms()))
    *ret = http_fail(r, 429, "rate_limited", "too many look-ups; try again in a minute");
  else if (!number_ok)
    *ret = http_fail(r, 400, "invalid_field", "%s", number_message);
  else if (!*last4 || strlen(*last4) != 4 || strspn(*last4, "0123456789") != 4)
    *ret = http_fail(r, 400, "invalid_field", "phone_last4: must be the last 4 digits of the phone");
  else
    return true;
  return false;
}

lobby_err read_unit_object(json_t *in, bool required, const char *missing, store_unit_ref *u,
                           http_error *e)
{
  static const char *const unit_fields[] = {"building", "unit", "room", NULL};
  json_t *unit = json_object_get(in, "unit");
  if (!unit || json_is_null(unit)) {
    if (!required)
      return LOBBY_OK;
    http_error_set(e, 400, "missing_field", "unit", "%s", missing);
    return LOBBY_EINVAL;
  }
  if (!json_is_object(unit)) {
    http_error_set(e, 400, "invalid_field", "unit",
                   "unit must be an object like {\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"}");
    return LOBBY_EINVAL;
  }
  lobby_err err = jin_only(unit, unit_fields, "unit.", e);
  if (err == LOBBY_OK) err = jin_code(unit, "building", true, 16, false, &u->building, e);
  if (err == LOBBY_OK) err = jin_code(unit, "unit", true, 16, false, &u->unit, e);
  if (err == LOBBY_OK) err = jin_code(unit, "room", true, 16, false, &u->room, e);
  if (err != LOBBY_OK && e->field[0] && strncmp(e->field, "unit.", 5) != 0) {
    char field[48];
    snprintf(field, sizeof field, "unit.%.40s", e->field);
    snprintf(e->field, sizeof e->field, "%s", field);
  }
  return err;
}

bool unit_site_checked(http_request *r, const store_unit_ref *unit, int64_t *site_id,
                       enum MHD_Result *ret)
{
  lobby_err err = site_of_building(r, unit->building, site_id);
  if (err == LOBBY_OK)
    err = r->d->store->ops->unit_check(r->d->store, unit, true);
  if (err == LOBBY_ENOTFOUND) {
    http_error e;
    http_error_set(&e, 400, "invalid_field", "unit",
                   "unit: no such building, unit or room in the directory");
    *ret = http_reply_error(r, &e);
    return false;
  }
  if (err != LOBBY_OK) {
    *ret = http_reply_store_error(r, err, "directory");
    return false;
  }
  return true;
}

bool unit_site_for_create(http_request *r, const store_unit_ref *unit, const char *site,
                          int64_t *site_id, enum MHD_Result *ret)
{
  int64_t named = 0;
  if (!unit_site_checked(r, unit, site_id, ret))
    return false;
  if (!site)
    return true;
  if (!site_for_create(r, site, "site", &named, ret))
    return false;
  if (named != *site_id) {
    http_error e;
    http_error_set(&e, 400, "invalid_field", "unit", "unit: building %s is not in site %s",
                   unit->building, site);
    *ret = http_reply_error(r, &e);
    return false;
  }
  return true;
}
