/* Complaints and suggestions over HTTP: residents file at kiosks (or the
 * desk records one taken by phone), staff accept, assign, reply, visit
 * back and close.  The ledger's rules are lobby_complaint.c's. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_complaint.h"
#include "lobby_domain.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "ratelimit.h"
#include "site_scope.h"

/* Name and phone: both for a complaint; both or neither for the rest. */
static lobby_err read_contact(json_t *in, bool required, store_complaint_new *c, http_error *e)
{
  lobby_err err = jin_string(in, "name", required, 1, PERSON_NAME_MAX, false, &c->name, e);
  if (err == LOBBY_OK)
    err = jin_phone(in, "phone", required, &c->phone, e);
  if (err == LOBBY_OK && !c->name != !c->phone) {
    http_error_set(e, 400, "missing_field", c->name ? "phone" : "name",
                   "give both name and phone, or neither for an anonymous suggestion");
    err = LOBBY_EINVAL;
  }
  return err;
}

static lobby_err read_source(http_request *r, json_t *in, store_complaint_new *c, http_error *e)
{
  static const char *const staff_sources[] = {"front_desk", "phone", NULL};
  if (r->who.role == ROLE_KIOSK) {
    if (json_object_get(in, "source") || json_object_get(in, "site")) {
      http_error_set(e, 400, "unknown_field", json_object_get(in, "source") ? "source" : "site",
                     "kiosks cannot set source or site");
      return LOBBY_EINVAL;
    }
    c->source = "kiosk";
    return LOBBY_OK;
  }
  lobby_err err = jin_enum(in, "source", false, staff_sources, &c->source, e);
  if (err == LOBBY_OK && !c->source)
    c->source = "front_desk";
  return err;
}

static lobby_err read_complaint(http_request *r, json_t *in, store_complaint_new *c,
                                const char **site, http_error *e)
{
  complaint_kind kind = COMPLAINT_KIND_COMPLAINT;
  lobby_err err = jin_enum(in, "kind", true, complaint_kind_names, &c->kind, e);
  if (err == LOBBY_OK) (void)complaint_kind_parse(c->kind, &kind);
  bool contact = complaint_kind_needs_contact(kind);
  if (err == LOBBY_OK) err = jin_enum(in, "category", true, complaint_category_names, &c->category, e);
  if (err == LOBBY_OK) err = jin_string(in, "description", true, 1, COMPLAINT_TEXT_MAX, true, &c->description, e);
  if (err == LOBBY_OK) err = read_source(r, in, c, e);
  if (err == LOBBY_OK)
    err = read_unit_object(in, contact, "unit is required for a complaint, so that it can be answered",
                           &c->unit, e);
  if (err == LOBBY_OK) err = read_contact(in, contact, c, e);
  if (err == LOBBY_OK && r->who.role != ROLE_KIOSK)
    err = jin_code(in, "site", false, 16, false, site, e);
  return err;
}

/* The site the complaint goes to: its unit's building's; without a unit
 * the kiosk's own, or the one staff name (or their only one). */
static bool complaint_site(http_request *r, store_complaint_new *c, const char *site,
                           enum MHD_Result *ret)
{
  if (!c->unit.building) {
    if (r->who.role == ROLE_KIOSK) {
      c->site_id = r->who.site_id;
      return true;
    }
    return site_for_create(r, site, "site", &c->site_id, ret);
  }
  return unit_site_checked(r, &c->unit, &c->site_id, ret);
}

static enum MHD_Result create_checked(http_request *r, json_t *in, const char *key)
{
  lobbyd *d = r->d;
  store_complaint_new c = {0};
  const char *site = NULL;
  http_error e;
  enum MHD_Result ret;
  if (read_complaint(r, in, &c, &site, &e))
    return http_reply_error(r, &e);
  if (!complaint_site(r, &c, site, &ret))
    return ret;
  int64_t now = lobby_now();
  lobby_err err = complaint_reply_due(d, c.site_id, now, &c.reply_due_at);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "calendar");
  idem_ctx idem;
  json_t *out = NULL;
  idem_init(r, key, &idem);
  /* Kind, category and source only: the text may name people. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s %s %s", c.source, c.kind,
           c.category);
  audit_note note;
  err = d->store->ops->complaint_create(d->store, &c, &r->who, &idem.idem, audit_of_new(r, &note),
                                        d->cfg->sla.offset_min, now, &out);
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "complaint");
  if (!idem.idem.replayed)
    LOBBY_INFO("complaint %s filed, %s, %s", json_string_value(json_object_get(out, "number")),
               c.kind, c.category);
  follow_link_add(r, out);
  return http_reply_json_header(r, 201, out, idem.idem.replayed ? "Idempotent-Replay" : NULL, "true");
}

enum MHD_Result handle_complaint_create(http_request *r)
{
  static const char *const fields[] = {"kind", "category", "description", "unit", "name",
                                       "phone", "source", "site", NULL};
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

enum MHD_Result handle_complaint_lookup(http_request *r)
{
  const char *number = http_query(r, "number"), *last4;
  enum MHD_Result ret;
  if (!lookup_allowed(r, number && complaint_number_valid(number), "number: must look like C-20261202-0007", &last4, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->complaint_lookup(r->d->store, number, last4, &r->who.sites,
                                                     lobby_now(), &out);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "no complaint or suggestion with that number and phone");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "complaint");
  return http_reply_json(r, 200, out);
}

static bool filter_from_query(http_request *r, store_complaint_filter *f, store_site_set *sites,
                              lobby_search *search, enum MHD_Result *ret)
{
  const char *overdue = http_query(r, "overdue");
  const char *escalated = http_query(r, "escalated");
  const char *limit = http_query(r, "limit");
  memset(f, 0, sizeof *f);
  if (!site_scope_of_request(r, sites, ret))
    return false;
  f->sites = sites;
  if (!query_enum(r, "status", complaint_status_names, &f->status, ret) ||
      !query_enum(r, "kind", complaint_kind_names, &f->kind, ret) ||
      !query_enum(r, "category", complaint_category_names, &f->category, ret) ||
      !query_date(r, "from", &f->from, ret) || !query_date(r, "to", &f->to, ret))
    return false;
  if (f->to && strlen(http_query(r, "to")) == 10)
    f->to += 86400; /* "to" a date includes that whole day */
  f->overdue_only = overdue && (strcmp(overdue, "1") == 0 || strcmp(overdue, "true") == 0);
  f->escalated_only = escalated && (strcmp(escalated, "1") == 0 || strcmp(escalated, "true") == 0);
  if (!query_waiting_days(r, lobby_now(), &f->changed_before, ret) ||
      !query_search(r, search, ret))
    return false;
  f->search = search;
  int64_t n = 200;
  if (limit && lobby_parse_int64(limit, 1, 1000, &n) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "limit: must be a whole number from 1 to 1000");
    return false;
  }
  f->limit = (int)n;
  return true;
}

enum MHD_Result handle_complaint_list(http_request *r)
{
  store_complaint_filter f;
  store_site_set sites;
  lobby_search search;
  enum MHD_Result ret;
  if (!filter_from_query(r, &f, &sites, &search, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->complaint_list(r->d->store, &f, lobby_now(), &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "complaints");
  return http_reply_json(r, 200, json_pack("{s:o}", "complaints", out));
}

enum MHD_Result handle_complaint_get(http_request *r)
{
  json_t *out = NULL;
  lobby_err err = complaint_number_valid(r->params[0])
    ? r->d->store->ops->complaint_get(r->d->store, r->params[0], &r->who.sites, lobby_now(), &out)
    : LOBBY_ENOTFOUND;
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "complaint");
  return http_reply_json(r, 200, out);
}

static lobby_err read_event(json_t *in, store_complaint_event *ev, http_error *e)
{
  static const char *const events[] = {"accept", "assign", "reply", "return_visit", "close",
                                       "answer_close", NULL};
  const char *name = NULL, *satisfaction = NULL;
  lobby_err err = jin_enum(in, "event", true, events, &name, e);
  if (err == LOBBY_OK) (void)complaint_event_parse(name, &ev->event);
  bool replies = ev->event == COMPLAINT_EVENT_REPLY || ev->event == COMPLAINT_EVENT_ANSWER_CLOSE;
  bool visit = ev->event == COMPLAINT_EVENT_RETURN_VISIT;
  if (err == LOBBY_OK) err = jin_string(in, "note", false, 0, COMPLAINT_TEXT_MAX, true, &ev->note, e);
  if (err == LOBBY_OK) err = jin_string(in, "responsible", ev->event == COMPLAINT_EVENT_ASSIGN, 1, 64,
                                        false, &ev->responsible, e);
  if (err == LOBBY_OK) err = jin_string(in, "reply", replies, 1, COMPLAINT_TEXT_MAX, true, &ev->reply, e);
  if (err == LOBBY_OK) err = jin_enum(in, "satisfaction", visit, complaint_satisfaction_names,
                                      &satisfaction, e);
  if (err == LOBBY_OK && satisfaction)
    (void)complaint_satisfaction_parse(satisfaction, &ev->satisfaction);
  if (err == LOBBY_OK) err = jin_string(in, "comment", false, 0, COMPLAINT_TEXT_MAX, true, &ev->comment, e);
  /* Each detail belongs to one event: keep the others out of the record. */
  if (!replies) ev->reply = NULL;
  if (!visit) ev->satisfaction = COMPLAINT_SATISFACTION_NONE, ev->comment = NULL;
  if (ev->event != COMPLAINT_EVENT_ASSIGN) ev->responsible = NULL;
  return err;
}

enum MHD_Result handle_complaint_event(http_request *r)
{
  static const char *const fields[] = {"event", "note", "responsible", "reply", "satisfaction",
                                       "comment", NULL};
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  store_complaint_event ev = {0};
  http_error e;
  if (!complaint_number_valid(r->params[0]))
    return http_reply_store_error(r, LOBBY_ENOTFOUND, "complaint");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (read_event(in, &ev, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  /* The responsible person is staff, not a resident: it may be audited.
   * Replies and comments stay out of the audit text. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s%s%s%s",
           complaint_event_name(ev.event), ev.responsible ? " -> " : "",
           ev.responsible ? ev.responsible : "", complaint_satisfaction_name(ev.satisfaction));
  audit_note note;
  lobby_err err = r->d->store->ops->complaint_event_add(r->d->store, r->params[0], &ev, &r->who,
                                                        lobby_now(), audit_of(r, &note), &out);
  json_decref(in);
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "invalid_transition", "%s is not allowed for this %s's status",
                     complaint_event_name(ev.event), "complaint");
  if (err == LOBBY_EINVAL) {
    http_error_set(&e, 400, "invalid_field", "responsible",
                   "responsible: no staff member with that name works for this complaint's site");
    return http_reply_error(r, &e);
  }
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "complaint");
  LOBBY_INFO("complaint %s: %s", r->params[0], complaint_event_name(ev.event));
  /* Wakes its follow pages (handlers_follow.c). */
  item_changed(r, r->params[0]);
  return http_reply_json(r, 200, out);
}
