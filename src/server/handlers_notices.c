/* Notices: staff post, edit and withdraw; kiosks see them in the feed. */
#include "handlers.h"

#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_domain.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "site_scope.h"

static const char *const notice_fields[] = {
  "title", "body", "category", "priority", "pinned", "emergency", "starts_at", "ends_at",
  "target", "site", NULL};

static lobby_err read_target(json_t *in, store_notice *n, bool *present, http_error *e)
{
  static const char *const target_fields[] = {"type", "building", "group", NULL};
  static const char *const types[] = {"all", "building", "group", NULL};
  json_t *t = json_object_get(in, "target");
  *present = t && !json_is_null(t);
  if (!*present)
    return LOBBY_OK;
  if (!json_is_object(t)) {
    http_error_set(e, 400, "invalid_field", "target", "target must be an object like {\"type\":\"all\"}");
    return LOBBY_EINVAL;
  }
  lobby_err err = jin_only(t, target_fields, "target.", e);
  if (err == LOBBY_OK)
    err = jin_enum(t, "type", true, types, &n->target_type, e);
  if (err == LOBBY_OK && strcmp(n->target_type, "building") == 0)
    err = jin_code(t, "building", true, 16, false, &n->target_value, e);
  if (err == LOBBY_OK && strcmp(n->target_type, "group") == 0)
    err = jin_code(t, "group", true, 32, false, &n->target_value, e);
  if (err == LOBBY_OK && strcmp(n->target_type, "all") == 0)
    n->target_value = "";
  if (err != LOBBY_OK && e->field[0] && strncmp(e->field, "target.", 7) != 0) {
    char field[48];
    snprintf(field, sizeof field, "target.%.38s", e->field);
    snprintf(e->field, sizeof e->field, "%s", field);
  }
  return err;
}

/* Reads the notice fields; for an update (partial) absent fields are left
 * out of *set, for a create the required ones must be there. */
static lobby_err read_notice(json_t *in, bool create, store_notice *n, unsigned *set, http_error *e)
{
  bool has_target = false;
  *set = 0;
  lobby_err err = jin_string(in, "title", create, 1, NOTICE_TITLE_MAX, false, &n->title, e);
  if (err == LOBBY_OK && n->title) *set |= NOTICE_SET_TITLE;
  if (err == LOBBY_OK) err = jin_string(in, "body", create, 1, NOTICE_BODY_MAX, true, &n->body, e);
  if (err == LOBBY_OK && n->body) *set |= NOTICE_SET_BODY;
  if (err == LOBBY_OK) err = jin_enum(in, "category", false, notice_category_names, &n->category, e);
  if (err == LOBBY_OK && n->category) *set |= NOTICE_SET_CATEGORY;
  if (err == LOBBY_OK && json_object_get(in, "priority")) {
    err = jin_int(in, "priority", false, 0, NOTICE_PRIORITY_MAX, &n->priority, e);
    *set |= NOTICE_SET_PRIORITY;
  }
  if (err == LOBBY_OK && json_object_get(in, "pinned")) {
    err = jin_bool(in, "pinned", &n->pinned, e);
    *set |= NOTICE_SET_PINNED;
  }
  if (err == LOBBY_OK && json_object_get(in, "emergency")) {
    err = jin_bool(in, "emergency", &n->emergency, e);
    *set |= NOTICE_SET_EMERGENCY;
  }
  if (err == LOBBY_OK && json_object_get(in, "starts_at")) {
    err = jin_time(in, "starts_at", false, &n->starts_at, e);
    *set |= NOTICE_SET_STARTS;
  }
  if (err == LOBBY_OK && json_object_get(in, "ends_at")) {
    err = jin_time(in, "ends_at", false, &n->ends_at, e);
    *set |= NOTICE_SET_ENDS;
  }
  if (err == LOBBY_OK) err = read_target(in, n, &has_target, e);
  if (err == LOBBY_OK && has_target) *set |= NOTICE_SET_TARGET;
  if (err == LOBBY_OK && n->ends_at && n->starts_at && n->ends_at <= n->starts_at) {
    http_error_set(e, 400, "invalid_field", "ends_at", "ends_at must be after starts_at");
    err = LOBBY_EINVAL;
  }
  return err;
}

/* The site a new notice is for: the one "site" names; without one, every
 * site for staff who reach them all, else their only site.  A building
 * target must be a building of that site. */
static bool notice_site(http_request *r, json_t *in, store_notice *n, enum MHD_Result *ret)
{
  json_t *code = json_object_get(in, "site");
  if (code && !json_is_null(code) && !json_is_string(code)) {
    *ret = http_fail(r, 400, "invalid_field", "site: a site code, or null for every site");
    return false;
  }
  n->site_id = 0;
  bool every_site = (!code || json_is_null(code)) && r->who.sites.count == 0;
  if (!every_site && !site_for_create(r, json_string_value(code), "site", &n->site_id, ret))
    return false;
  int64_t building_site;
  if (strcmp(n->target_type, "building") != 0)
    return true;
  lobby_err err = site_of_building(r, n->target_value, &building_site);
  if (err == LOBBY_OK && (every_site || building_site == n->site_id))
    return true;
  if (err != LOBBY_OK && err != LOBBY_ENOTFOUND) {
    *ret = http_reply_store_error(r, err, "directory");
    return false;
  }
  *ret = http_fail(r, 400, "invalid_field",
                   "target.building: no such building in the notice's site (compound)");
  return false;
}

enum MHD_Result handle_notice_create(http_request *r)
{
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  if (!body_object(r, &in, notice_fields, &ret))
    return ret;
  store_notice n = {.category = "other", .priority = 1, .target_type = "all", .target_value = ""};
  unsigned set;
  http_error e;
  int64_t now = lobby_now();
  if (read_notice(in, true, &n, &set, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  if (!n.category)
    n.category = "other";
  if (n.ends_at && n.ends_at <= (n.starts_at ? n.starts_at : now)) {
    json_decref(in);
    return http_fail(r, 400, "invalid_field", "ends_at: must be in the future");
  }
  if (!notice_site(r, in, &n, &ret)) {
    json_decref(in);
    return ret;
  }
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s%.120s", n.emergency ? "[emergency] " : "",
           n.title);
  audit_note note;
  lobby_err err = r->d->store->ops->notice_create(r->d->store, &n, r->who.id, now,
                                                  audit_of_new(r, &note), &out);
  json_decref(in);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "notice");
  feed_changed(r);
  return http_reply_json(r, 201, out);
}

static bool parse_id(const char *text, int64_t *id)
{
  return lobby_parse_int64(text, 1, INT64_MAX, id) == LOBBY_OK;
}

enum MHD_Result handle_notice_update(http_request *r)
{
  int64_t id;
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  if (!parse_id(r->params[0], &id))
    return http_fail(r, 404, "not_found", "notice not found");
  if (!body_object(r, &in, notice_fields, &ret))
    return ret;
  store_notice n = {0};
  unsigned set;
  http_error e;
  if (json_object_get(in, "site")) {
    json_decref(in);
    return http_fail(r, 400, "invalid_field",
                     "site: a notice keeps the site it was posted for; withdraw it and post anew");
  }
  if (read_notice(in, false, &n, &set, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  if (n.title)
    snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%.120s", n.title);
  audit_note note;
  lobby_err err = r->d->store->ops->notice_update(r->d->store, id, &r->who.sites, &n, set,
                                                  lobby_now(), audit_of(r, &note), &out);
  json_decref(in);
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "the notice was withdrawn and cannot be edited");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "notice");
  feed_changed(r);
  return http_reply_json(r, 200, out);
}

enum MHD_Result handle_notice_withdraw(http_request *r)
{
  int64_t id;
  json_t *out = NULL;
  if (!parse_id(r->params[0], &id))
    return http_fail(r, 404, "not_found", "notice not found");
  audit_note note;
  lobby_err err = r->d->store->ops->notice_withdraw(r->d->store, id, &r->who.sites, lobby_now(),
                                                    audit_of(r, &note), &out);
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "the notice was already withdrawn");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "notice");
  feed_changed(r);
  return http_reply_json(r, 200, out);
}

enum MHD_Result handle_notice_list(http_request *r)
{
  const char *state = http_query(r, "state");
  json_t *out = NULL;
  if (state && strcmp(state, "active") != 0 && strcmp(state, "all") != 0)
    return http_fail(r, 400, "invalid_field", "state: must be active or all");
  bool active = !state || strcmp(state, "active") == 0;
  store_site_set sites;
  enum MHD_Result ret;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  lobby_err err = r->d->store->ops->notice_list(r->d->store, &sites, active, lobby_now(), &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "notices");
  return http_reply_json(r, 200, json_pack("{s:o}", "notices", out));
}

enum MHD_Result handle_notice_get(http_request *r)
{
  int64_t id;
  json_t *out = NULL;
  if (!parse_id(r->params[0], &id))
    return http_fail(r, 404, "not_found", "notice not found");
  lobby_err err = r->d->store->ops->notice_get(r->d->store, id, &r->who.sites, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "notice");
  return http_reply_json(r, 200, out);
}
