#include "site_scope.h"

#include <stdio.h>
#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"

/* The site code names, if the caller reaches it; otherwise the 404 or 403
 * is queued in *ret. */
static bool site_reached(http_request *r, const char *code, const char *field, int64_t *site_id,
                         enum MHD_Result *ret)
{
  store_site site;
  http_error e;
  lobby_err err = lobby_code_valid(code, 16) ? r->d->store->ops->site_get(r->d->store, code, &site)
                                             : LOBBY_ENOTFOUND;
  if (err == LOBBY_ENOTFOUND) {
    http_error_set(&e, 404, "not_found", field, "%s: no site (compound) has the code %.16s", field,
                   lobby_code_valid(code, 16) ? code : "given");
    *ret = http_reply_error(r, &e);
    return false;
  }
  if (err != LOBBY_OK) {
    *ret = http_reply_store_error(r, err, "site");
    return false;
  }
  if (!store_site_set_has(&r->who.sites, site.id)) {
    http_error_set(&e, 403, "forbidden", field, "%s: you do not work for site %s", field, site.code);
    *ret = http_reply_error(r, &e);
    return false;
  }
  *site_id = site.id;
  return true;
}

bool site_scope_of_request(http_request *r, store_site_set *out, enum MHD_Result *ret)
{
  const char *code = http_query(r, "site");
  int64_t id;
  if (!code || !*code) {
    *out = r->who.sites;
    return true;
  }
  if (!site_reached(r, code, "site", &id, ret))
    return false;
  *out = store_site_one(id);
  return true;
}

/* The only site there is, for callers who reach every site. */
static lobby_err only_site(lobby_store *st, int64_t *site_id)
{
  json_t *list = NULL;
  lobby_err err = st->ops->site_list(st, NULL, &list);
  if (err == LOBBY_OK && json_array_size(list) != 1)
    err = LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    *site_id = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
  json_decref(list);
  return err;
}

bool site_for_create(http_request *r, const char *code, const char *field, int64_t *site_id,
                     enum MHD_Result *ret)
{
  if (code && *code)
    return site_reached(r, code, field, site_id, ret);
  if (r->who.sites.count == 1) {
    *site_id = r->who.sites.id[0];
    return true;
  }
  lobby_err err = r->who.sites.count == 0 ? only_site(r->d->store, site_id) : LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    return true;
  if (err != LOBBY_ENOTFOUND) {
    *ret = http_reply_store_error(r, err, "site");
    return false;
  }
  http_error e;
  http_error_set(&e, 400, "missing_field", field,
                 "%s is required: you work for several sites (compounds); name the one this is for",
                 field);
  *ret = http_reply_error(r, &e);
  return false;
}

lobby_err site_of_building(http_request *r, const char *building, int64_t *site_id)
{
  lobby_err err = r->d->store->ops->building_site(r->d->store, building, site_id);
  if (err == LOBBY_OK && !store_site_set_has(&r->who.sites, *site_id))
    err = LOBBY_ENOTFOUND;
  return err;
}

lobby_err site_sla_policy(lobbyd *d, int64_t site_id, repair_sla_policy *out)
{
  store_site site;
  *out = d->cfg->sla;
  lobby_err err = d->store->ops->site_get_by_id(d->store, site_id, &site);
  if (err != LOBBY_OK || site.workday_end_min < 0)
    return err;
  int lead = d->cfg->sla.workday_end_min - d->cfg->sla.same_day_cutoff_min;
  out->workday_end_min = site.workday_end_min;
  out->same_day_cutoff_min = site.workday_end_min - lead;
  if (out->same_day_cutoff_min < 0)
    out->same_day_cutoff_min = 0;
  return LOBBY_OK;
}

lobby_err site_summaries(lobbyd *d, const store_site_set *sites, site_summary_fn summary,
                         int64_t from, int64_t to, int64_t now, json_t **out)
{
  lobby_store *st = d->store;
  json_t *list = NULL;
  lobby_err err = st->ops->site_list(st, sites, &list);
  size_t i;
  json_t *row;
  if (err == LOBBY_OK)
    json_array_foreach(list, i, row) {
      store_site_set one = store_site_one(json_integer_value(json_object_get(row, "id")));
      json_t *figures = NULL;
      err = summary(st, &one, from, to, now, &figures);
      if (err != LOBBY_OK)
        break;
      site_row_for_api(d, row);
      json_object_set(figures, "code", json_object_get(row, "code"));
      json_object_set(figures, "name", json_object_get(row, "name"));
      json_array_set_new(list, i, figures);
    }
  if (err != LOBBY_OK) {
    json_decref(list);
    return err;
  }
  *out = list;
  return LOBBY_OK;
}

/* Where no working day is set, offices open at nine. */
#define WORKDAY_DEFAULT_START_MIN (9 * 60)

void site_workday_hours(lobbyd *d, int64_t site_id, workday_hours *out)
{
  store_site site;
  out->offset_min = d->cfg->sla.offset_min;
  out->start_min = WORKDAY_DEFAULT_START_MIN;
  out->end_min = d->cfg->sla.workday_end_min;
  if (d->store->ops->site_get_by_id(d->store, site_id, &site) == LOBBY_OK &&
      site.workday_start_min >= 0 && site.workday_end_min > site.workday_start_min) {
    out->start_min = site.workday_start_min;
    out->end_min = site.workday_end_min;
  }
  if (out->end_min <= out->start_min)
    out->start_min = 0;
}

static json_t *hhmm_or_null(json_t *minutes)
{
  char buf[6];
  if (!json_is_integer(minutes))
    return json_null();
  lobby_hhmm_format((int)json_integer_value(minutes), buf);
  return json_string(buf);
}

void site_service_phone(lobbyd *d, int64_t site_id, char *out, size_t size)
{
  store_site site;
  bool own = d->store->ops->site_get_by_id(d->store, site_id, &site) == LOBBY_OK &&
             site.service_phone[0];
  snprintf(out, size, "%s", own ? site.service_phone : d->cfg->service_phone);
}

void site_row_for_api(lobbyd *d, json_t *row)
{
  json_t *start = json_object_get(row, "workday_start_min");
  json_t *end = json_object_get(row, "workday_end_min");
  json_t *workday = json_is_integer(start) && json_is_integer(end)
    ? json_pack("{s:o, s:o}", "start", hhmm_or_null(start), "end", hhmm_or_null(end))
    : json_null();
  json_object_set_new(row, "workday", workday);
  const char *name = json_string_value(json_object_get(row, "name"));
  const char *phone = json_string_value(json_object_get(row, "service_phone"));
  if (!name || !*name)
    json_object_set_new(row, "name", json_string(d->cfg->site_name));
  if (!phone || !*phone)
    json_object_set_new(row, "service_phone", json_string(d->cfg->service_phone));
  json_object_del(row, "workday_start_min");
  json_object_del(row, "workday_end_min");
  json_object_del(row, "id");
  /* The API names it as the company's setting does. */
  json_object_set(row, "visit_retention_days", json_object_get(row, "retention_days"));
  json_object_del(row, "retention_days");
}

json_t *site_codes_of(lobbyd *d, const store_site_set *sites)
{
  json_t *list = NULL, *codes = json_array();
  if (sites->count == 0)
    return codes;
  if (d->store->ops->site_list(d->store, sites, &list) != LOBBY_OK) {
    json_decref(codes);
    return NULL;
  }
  size_t i;
  json_t *row;
  json_array_foreach(list, i, row) json_array_append(codes, json_object_get(row, "code"));
  json_decref(list);
  return codes;
}
