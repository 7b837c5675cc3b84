/* Item-release passes (物品放行) over HTTP: residents apply at kiosks (or
 * the desk enters one taken by phone), the front desk approves, refuses
 * or cancels, residents read their code by look-up.  The gate's side is
 * handlers_gate.c; the rules are lobby_release.c's. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_domain.h"
#include "lobby_log.h"
#include "lobby_release.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"
#include "ratelimit.h"
#include "site_scope.h"

static lobby_err read_source(http_request *r, json_t *in, store_release_new *n, const char **site,
                             http_error *e)
{
  static const char *const staff_sources[] = {"front_desk", "phone", NULL};
  if (r->who.role == ROLE_KIOSK) {
    if (json_object_get(in, "source") || json_object_get(in, "site")) {
      http_error_set(e, 400, "unknown_field", json_object_get(in, "source") ? "source" : "site",
                     "kiosks cannot set source or site");
      return LOBBY_EINVAL;
    }
    n->source = "kiosk";
    return LOBBY_OK;
  }
  lobby_err err = jin_enum(in, "source", false, staff_sources, &n->source, e);
  if (err == LOBBY_OK && !n->source)
    n->source = "front_desk";
  if (err == LOBBY_OK)
    err = jin_code(in, "site", false, 16, false, site, e);
  return err;
}

/* The day things leave: the site's today to 14 days ahead. */
static lobby_err read_date(http_request *r, json_t *in, store_release_new *n, http_error *e)
{
  lobby_err err = jin_string(in, "date", true, 10, 10, false, &n->date, e);
  if (err == LOBBY_OK &&
      !release_date_in_window(n->date, lobby_now(), r->d->cfg->sla.offset_min)) {
    http_error_set(e, 400, "invalid_field", "date",
                   "date: must be a date YYYY-MM-DD from today to %d days ahead",
                   RELEASE_DAYS_AHEAD);
    err = LOBBY_EINVAL;
  }
  return err;
}

static lobby_err read_release(http_request *r, json_t *in, store_release_new *n, const char **site,
                              http_error *e)
{
  lobby_err err = read_unit_object(in, true, "unit is required: the home things leave from",
                                   &n->unit, e);
  if (err == LOBBY_OK) err = jin_string(in, "items", true, 1, RELEASE_ITEMS_MAX, true, &n->items, e);
  if (err == LOBBY_OK) err = read_date(r, in, n, e);
  if (err == LOBBY_OK) err = jin_string(in, "plate", false, 0, VISIT_PLATE_MAX, false, &n->plate, e);
  if (err == LOBBY_OK) err = jin_string(in, "name", true, 1, PERSON_NAME_MAX, false, &n->name, e);
  if (err == LOBBY_OK) err = jin_phone(in, "phone", true, &n->phone, e);
  if (err == LOBBY_OK) err = read_source(r, in, n, site, e);
  return err;
}

static enum MHD_Result create_checked(http_request *r, json_t *in, const char *key)
{
  lobbyd *d = r->d;
  store_release_new n = {0};
  const char *site = NULL;
  http_error e;
  enum MHD_Result ret;
  if (read_release(r, in, &n, &site, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!unit_site_for_create(r, &n.unit, site, &n.site_id, &ret))
    return ret;
  idem_ctx idem;
  json_t *out = NULL;
  idem_init(r, key, &idem);
  /* The source and date only: the items and names may be personal. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s %s", n.source, n.date);
  audit_note note;
  lobby_err err = d->store->ops->release_create(d->store, &n, &r->who, &idem.idem,
                                                audit_of_new(r, &note), d->cfg->sla.offset_min,
                                                lobby_now(), &out);
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "release");
  if (!idem.idem.replayed)
    LOBBY_INFO("release %s applied for, %s", json_string_value(json_object_get(out, "number")),
               n.source);
  return http_reply_json_header(r, 201, out, idem.idem.replayed ? "Idempotent-Replay" : NULL, "true");
}

enum MHD_Result handle_release_create(http_request *r)
{
  static const char *const fields[] = {"unit", "items", "date", "plate", "name", "phone",
                                       "source", "site", NULL};
  http_error e;
  const char *key;
  json_t *in;
  enum MHD_Result ret;
  if (jin_idempotency_key(r, true, &key, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!kiosk_submission_allowed(r, &ret))
    return ret;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  ret = create_checked(r, in, key);
  json_decref(in);
  return ret;
}

/* Number and the phone's last four digits, as a repair's look-up; an
 * unknown number and a wrong phone answer the same 404. */
enum MHD_Result handle_release_lookup(http_request *r)
{
  const char *number = http_query(r, "number"), *last4;
  enum MHD_Result ret;
  if (!lookup_allowed(r, number && release_number_valid(number), "number: must look like F-20261204-0007", &last4, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->release_lookup(r->d->store, number, last4, &r->who.sites,
                                                   r->d->cfg->sla.offset_min, lobby_now(), &out);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "no release pass with that number and phone");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "release");
  return http_reply_json(r, 200, out);
}

static bool filter_from_query(http_request *r, store_release_filter *f, store_site_set *sites,
                              enum MHD_Result *ret)
{
  const char *limit = http_query(r, "limit");
  memset(f, 0, sizeof *f);
  if (!site_scope_of_request(r, sites, ret))
    return false;
  f->sites = sites;
  if (!query_enum(r, "status", release_status_names, &f->status, ret))
    return false;
  f->date = http_query(r, "date");
  if (f->date && !calendar_date_valid(f->date)) {
    *ret = http_fail(r, 400, "invalid_field", "date: must be a date like 2026-12-04");
    return false;
  }
  int64_t n = 200;
  if (limit && lobby_parse_int64(limit, 1, 1000, &n) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "limit: must be a whole number from 1 to 1000");
    return false;
  }
  f->limit = (int)n;
  return true;
}

enum MHD_Result handle_release_list(http_request *r)
{
  store_release_filter f;
  store_site_set sites;
  enum MHD_Result ret;
  if (!filter_from_query(r, &f, &sites, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->release_list(r->d->store, &f, r->d->cfg->sla.offset_min,
                                                 lobby_now(), &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "releases");
  return http_reply_json(r, 200, json_pack("{s:o}", "releases", out));
}

enum MHD_Result handle_release_get(http_request *r)
{
  json_t *out = NULL;
  lobby_err err = release_number_valid(r->params[0])
    ? r->d->store->ops->release_get(r->d->store, r->params[0], &r->who.sites,
                                    r->d->cfg->sla.offset_min, lobby_now(), &out)
    : LOBBY_ENOTFOUND;
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "release");
  return http_reply_json(r, 200, out);
}

/* approve needs verified: true (the desk checked the applicant belongs to
 * the unit); refuse and cancel need a reason. */
static lobby_err read_event(json_t *in, store_release_event *ev, http_error *e)
{
  static const char *const events[] = {"approve", "refuse", "cancel", NULL};
  const char *name = NULL;
  lobby_err err = jin_enum(in, "event", true, events, &name, e);
  if (err == LOBBY_OK) (void)release_event_parse(name, &ev->event);
  bool approve = ev->event == RELEASE_EVENT_APPROVE;
  if (err == LOBBY_OK && approve && !json_is_true(json_object_get(in, "verified"))) {
    http_error_set(e, 400, "missing_field", "verified",
                   "verified: true is required: check that the applicant lives in or owns the unit");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK)
    err = jin_string(in, "note", false, 0, RELEASE_NOTE_MAX, true, &ev->note, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "reason", !approve, 1, RELEASE_REASON_MAX, true, &ev->reason, e);
  if (approve)
    ev->reason = NULL;
  return err;
}

enum MHD_Result handle_release_event(http_request *r)
{
  static const char *const fields[] = {"event", "verified", "note", "reason", NULL};
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  store_release_event ev = {0};
  http_error e;
  if (!release_number_valid(r->params[0]))
    return http_reply_store_error(r, LOBBY_ENOTFOUND, "release");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (read_event(in, &ev, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  /* The event only: reasons and notes may name residents. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s",
           release_event_name(ev.event));
  audit_note note;
  lobby_err err = r->d->store->ops->release_event_add(r->d->store, r->params[0], &ev, &r->who,
                                                      r->d->cfg->sla.offset_min, lobby_now(),
                                                      audit_of(r, &note), &out);
  json_decref(in);
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "invalid_transition", "%s is not allowed for this release's status",
                     release_event_name(ev.event));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "release");
  LOBBY_INFO("release %s: %s", r->params[0], release_event_name(ev.event));
  return http_reply_json(r, 200, out);
}
