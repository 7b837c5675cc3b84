/* Sites (compounds): the list a caller reaches, and what company-wide
 * admins add and change: a site's name, service phone and working day,
 * and which sites a staff member works for. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "auth.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "site_scope.h"

bool require_every_site(http_request *r, const char *what, enum MHD_Result *ret)
{
  if (r->who.sites.count == 0)
    return true;
  *ret = http_fail(r, 403, "forbidden", "only an admin of every site (company-wide) may %s", what);
  return false;
}

static enum MHD_Result reply_site(http_request *r, unsigned status, const char *code)
{
  store_site site;
  lobby_err err = r->d->store->ops->site_get(r->d->store, code, &site);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "site");
  store_site_set one = store_site_one(site.id);
  json_t *list = NULL;
  err = r->d->store->ops->site_list(r->d->store, &one, &list);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "site");
  json_t *row = json_incref(json_array_get(list, 0));
  json_decref(list);
  site_row_for_api(r->d, row);
  return http_reply_json(r, status, row);
}

enum MHD_Result handle_site_list(http_request *r)
{
  json_t *list = NULL;
  lobby_err err = r->d->store->ops->site_list(r->d->store, &r->who.sites, &list);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "sites");
  size_t i;
  json_t *row;
  json_array_foreach(list, i, row) site_row_for_api(r->d, row);
  return http_reply_json(r, 200, json_pack("{s:o}", "sites", list));
}

/* A service phone as people dial it: digits, spaces, '+' and '-'. */
static lobby_err check_service_phone(json_t *in, const char **out, http_error *e)
{
  lobby_err err = jin_string(in, "service_phone", false, 3, 32, false, out, e);
  if (err != LOBBY_OK || !*out)
    return err;
  if (strspn(*out, "0123456789 +-") != strlen(*out)) {
    http_error_set(e, 400, "invalid_field", "service_phone",
                   "service_phone: digits, spaces, '+' and '-' only, e.g. 400-800-1234");
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}

/* "workday": {"start": "08:30", "end": "18:00"}, or null for [repairs]'s. */
static lobby_err check_workday(json_t *in, store_site *site, http_error *e)
{
  static const char *const fields[] = {"start", "end", NULL};
  json_t *w = json_object_get(in, "workday");
  if (!w || json_is_null(w)) {
    site->workday_start_min = site->workday_end_min = -1;
    return LOBBY_OK;
  }
  const char *start, *end;
  lobby_err err = json_is_object(w) ? jin_only(w, fields, "workday.", e) : LOBBY_EINVAL;
  if (err == LOBBY_OK) err = jin_string(w, "start", true, 4, 5, false, &start, e);
  if (err == LOBBY_OK) err = jin_string(w, "end", true, 4, 5, false, &end, e);
  if (err == LOBBY_OK && (lobby_hhmm_parse(start, &site->workday_start_min) != LOBBY_OK ||
                          lobby_hhmm_parse(end, &site->workday_end_min) != LOBBY_OK ||
                          site->workday_end_min <= site->workday_start_min))
    err = LOBBY_EINVAL;
  if (err != LOBBY_OK && !e->field[0])
    http_error_set(e, 400, "invalid_field", "workday",
                   "workday must be {\"start\":\"08:30\",\"end\":\"18:00\"}: times HH:MM, end after start");
  return err;
}

/* An optional number of a site, null for the company's: *out stays as it
 * is when key is absent. */
static lobby_err check_optional_int(json_t *in, const char *key, int min, int max, int *out,
                                    http_error *e)
{
  json_t *v = json_object_get(in, key);
  if (!v)
    return LOBBY_OK;
  if (json_is_null(v)) {
    *out = -1;
    return LOBBY_OK;
  }
  return jin_int(in, key, true, min, max, out, e);
}

/* The visitor settings a site may hold instead of the company's. */
static lobby_err check_visitor_settings(json_t *in, store_site *site, http_error *e)
{
  lobby_err err = check_optional_int(in, "auto_checkout_hours", 1, AUTO_CHECKOUT_HOURS_MAX,
                                     &site->auto_checkout_hours, e);
  if (err == LOBBY_OK)
    err = check_optional_int(in, "visit_retention_days", 0, RETENTION_DAYS_MAX,
                             &site->retention_days, e);
  return err;
}

enum MHD_Result handle_site_create(http_request *r)
{
  static const char *const fields[] = {"code", "name", "service_phone", "workday",
                                       "auto_checkout_hours", "visit_retention_days", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *code, *name, *phone = NULL;
  store_site site = {.auto_checkout_hours = -1, .retention_days = -1};
  http_error e = {0};
  if (!require_every_site(r, "add a site", &ret) || !body_object(r, &in, fields, &ret))
    return ret;
  lobby_err err = jin_code(in, "code", true, 16, false, &code, &e);
  if (err == LOBBY_OK) err = jin_string(in, "name", true, 1, 40, false, &name, &e);
  if (err == LOBBY_OK) err = check_service_phone(in, &phone, &e);
  if (err == LOBBY_OK) err = check_workday(in, &site, &e);
  if (err == LOBBY_OK) err = check_visitor_settings(in, &site, &e);
  if (err != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  snprintf(site.code, sizeof site.code, "%s", code);
  snprintf(site.name, sizeof site.name, "%s", name);
  snprintf(site.service_phone, sizeof site.service_phone, "%s", phone ? phone : "");
  json_decref(in);
  snprintf(r->outcome.audit_target, sizeof r->outcome.audit_target, "%s", site.code);
  audit_note note;
  err = r->d->store->ops->site_create(r->d->store, &site, lobby_now(), audit_of(r, &note));
  if (err == LOBBY_EDUP)
    return http_fail_field(r, 409, "conflict", "code", "a site with the code %s already exists", site.code);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "site");
  LOBBY_INFO("site %s added", site.code);
  return reply_site(r, 201, site.code);
}

enum MHD_Result handle_site_update(http_request *r)
{
  static const char *const fields[] = {"name", "service_phone", "workday", "auto_checkout_hours",
                                       "visit_retention_days", NULL};
  json_t *in;
  enum MHD_Result ret;
  const char *name = NULL, *phone = NULL;
  store_site site;
  http_error e = {0};
  int64_t id;
  if (!site_for_create(r, r->params[0], "site", &id, &ret) || !body_object(r, &in, fields, &ret))
    return ret;
  lobby_err err = r->d->store->ops->site_get_by_id(r->d->store, id, &site);
  if (err != LOBBY_OK) {
    json_decref(in);
    return http_reply_store_error(r, err, "site");
  }
  err = jin_string(in, "name", false, 1, 40, false, &name, &e);
  if (err == LOBBY_OK) err = check_service_phone(in, &phone, &e);
  if (err == LOBBY_OK && json_object_get(in, "workday")) err = check_workday(in, &site, &e);
  if (err == LOBBY_OK) err = check_visitor_settings(in, &site, &e);
  if (err != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  if (name)
    snprintf(site.name, sizeof site.name, "%s", name);
  if (phone)
    snprintf(site.service_phone, sizeof site.service_phone, "%s", phone);
  json_decref(in);
  audit_note note;
  err = r->d->store->ops->site_update(r->d->store, &site, audit_of(r, &note));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "site");
  /* The name and phone are on every kiosk of the site. */
  feed_changed(r);
  return reply_site(r, 200, site.code);
}

bool sites_from_codes(http_request *r, json_t *list, store_site_set *out,
                             enum MHD_Result *ret)
{
  size_t i;
  json_t *v;
  out->count = 0;
  if (!json_is_array(list) || json_array_size(list) > STORE_SITES_MAX) {
    *ret = http_fail(r, 400, "invalid_field",
                     "sites must be an array of up to %d site codes ([] for every site)",
                     STORE_SITES_MAX);
    return false;
  }
  json_array_foreach(list, i, v) {
    store_site site;
    const char *code = json_string_value(v);
    lobby_err err = code && lobby_code_valid(code, 16)
      ? r->d->store->ops->site_get(r->d->store, code, &site) : LOBBY_ENOTFOUND;
    if (err == LOBBY_ENOTFOUND) {
      *ret = http_fail(r, 404, "not_found", "sites[%zu]: no site (compound) has that code", i);
      return false;
    }
    if (err != LOBBY_OK) {
      *ret = http_reply_store_error(r, err, "site");
      return false;
    }
    bool seen = false;
    for (int k = 0; k < out->count; k++)
      seen = seen || out->id[k] == site.id;
    if (!seen)
      out->id[out->count++] = site.id;
  }
  return true;
}

enum MHD_Result handle_staff_sites_put(http_request *r)
{
  static const char *const fields[] = {"sites", NULL};
  json_t *in;
  enum MHD_Result ret;
  store_site_set sites;
  if (!require_every_site(r, "choose the sites of staff", &ret) ||
      !body_object(r, &in, fields, &ret))
    return ret;
  bool ok = sites_from_codes(r, json_object_get(in, "sites"), &sites, &ret);
  json_t *codes = json_incref(json_object_get(in, "sites"));
  json_decref(in);
  if (!ok) {
    json_decref(codes);
    return ret;
  }
  char *detail = json_dumps(codes, JSON_COMPACT);
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "sites %s", detail ? detail : "");
  free(detail);
  audit_note note;
  lobby_err err = r->d->store->ops->staff_set_sites(r->d->store, r->params[0], &sites,
                                                    audit_of(r, &note));
  if (err != LOBBY_OK) {
    json_decref(codes);
    return http_reply_store_error(r, err, "staff member");
  }
  /* Cached tokens carry the old reach. */
  auth_cache_clear(r->d->tokens);
  return http_reply_json(r, 200, json_pack("{s:s, s:o}", "name", r->params[0], "sites", codes));
}
