/* The repair ledger over HTTP: residents file at kiosks, staff work tickets. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_domain.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "ratelimit.h"
#include "site_scope.h"

static lobby_err read_unit(json_t *in, const char *kind, store_unit_ref *u, http_error *e)
{
  static const char *const unit_fields[] = {"building", "unit", "room", NULL};
  json_t *unit = json_object_get(in, "unit");
  if (!unit || json_is_null(unit)) {
    http_error_set(e, 400, "missing_field", "unit", "unit is required");
    return LOBBY_EINVAL;
  }
  if (!json_is_object(unit)) {
    http_error_set(e, 400, "invalid_field", "unit",
                   "unit must be an object like {\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"}");
    return LOBBY_EINVAL;
  }
  /* Public-area repairs (a corridor light) have no unit or room. */
  bool public_area = strcmp(kind, "public_area") == 0;
  lobby_err err = jin_only(unit, unit_fields, "unit.", e);
  if (err == LOBBY_OK) err = jin_code(unit, "building", true, 16, false, &u->building, e);
  if (err == LOBBY_OK) err = jin_code(unit, "unit", !public_area, 16, public_area, &u->unit, e);
  if (err == LOBBY_OK) err = jin_code(unit, "room", !public_area, 16, public_area, &u->room, e);
  if (err != LOBBY_OK && e->field[0] && strncmp(e->field, "unit.", 5) != 0) {
    char field[48];
    snprintf(field, sizeof field, "unit.%.40s", e->field);
    snprintf(e->field, sizeof e->field, "%s", field);
  }
  return err;
}

static lobby_err read_window(json_t *in, store_repair_new *r, http_error *e)
{
  static const char *const window_fields[] = {"from", "to", NULL};
  json_t *w = json_object_get(in, "preferred_time");
  if (!w || json_is_null(w)) {
    if (r->urgency == REPAIR_URGENCY_APPOINTMENT) {
      http_error_set(e, 400, "missing_field", "preferred_time",
                     "an appointment needs preferred_time {\"from\":…,\"to\":…}");
      return LOBBY_EINVAL;
    }
    return LOBBY_OK;
  }
  if (!json_is_object(w)) {
    http_error_set(e, 400, "invalid_field", "preferred_time", "preferred_time must be an object or null");
    return LOBBY_EINVAL;
  }
  lobby_err err = jin_only(w, window_fields, "preferred_time.", e);
  if (err == LOBBY_OK) err = jin_time(w, "from", true, &r->window_from, e);
  if (err == LOBBY_OK) err = jin_time(w, "to", true, &r->window_to, e);
  if (err == LOBBY_OK && r->window_to <= r->window_from) {
    http_error_set(e, 400, "invalid_field", "preferred_time", "preferred_time.to must be after from");
    err = LOBBY_EINVAL;
  }
  return err;
}

static lobby_err read_repair(http_request *req, json_t *in, store_repair_new *r, http_error *e)
{
  const char *urgency = NULL;
  lobby_err err = jin_enum(in, "kind", true, repair_kind_names, &r->kind, e);
  if (err == LOBBY_OK) err = read_unit(in, r->kind, &r->unit, e);
  if (err == LOBBY_OK) err = jin_string(in, "name", true, 1, PERSON_NAME_MAX, false, &r->name, e);
  if (err == LOBBY_OK) err = jin_phone(in, "phone", true, &r->phone, e);
  if (err == LOBBY_OK) err = jin_enum(in, "category", true, repair_category_names, &r->category, e);
  if (err == LOBBY_OK) err = jin_enum(in, "urgency", true, repair_urgency_names, &urgency, e);
  if (err == LOBBY_OK) (void)repair_urgency_parse(urgency, &r->urgency);
  if (err == LOBBY_OK) err = read_window(in, r, e);
  if (err == LOBBY_OK) err = jin_string(in, "description", true, 1, REPAIR_DESCRIPTION_MAX, true, &r->description, e);
  if (err == LOBBY_OK && req->who.role == ROLE_KIOSK) {
    if (json_object_get(in, "source")) {
      http_error_set(e, 400, "unknown_field", "source", "kiosks cannot set source");
      return LOBBY_EINVAL;
    }
    r->source = "kiosk";
  } else if (err == LOBBY_OK) {
    static const char *const staff_sources[] = {"front_desk", "phone", NULL};
    err = jin_enum(in, "source", false, staff_sources, &r->source, e);
    if (err == LOBBY_OK && !r->source)
      r->source = "front_desk";
  }
  return err;
}

static enum MHD_Result create_checked(http_request *r, json_t *in, const char *key)
{
  lobbyd *d = r->d;
  store_repair_new rep = {0};
  http_error e;
  if (read_repair(r, in, &rep, &e))
    return http_reply_error(r, &e);
  int64_t now = lobby_now();
  repair_sla_policy sla;
  bool public_area = strcmp(rep.kind, "public_area") == 0 && !(rep.unit.room && *rep.unit.room);
  /* Another site's building reads as no such building: a kiosk files for
   * its own compound, staff for the ones they work for. */
  lobby_err err = site_of_building(r, rep.unit.building, &rep.site_id);
  if (err == LOBBY_OK)
    err = d->store->ops->unit_check(d->store, &rep.unit, !public_area);
  if (err == LOBBY_ENOTFOUND) {
    http_error_set(&e, 400, "invalid_field", "unit", "unit: no such building, unit or room in the directory");
    return http_reply_error(r, &e);
  }
  if (err == LOBBY_OK)
    err = site_sla_policy(d, rep.site_id, &sla);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "directory");
  if (repair_sla_due(&sla, rep.urgency, now, rep.window_to, &rep.due_at) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "preferred_time: the window must end in the future");
  idem_ctx idem;
  json_t *out = NULL;
  idem_init(r, key, &idem);
  /* Source and category only: names and phones never reach the audit log. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s %s", rep.source, rep.category);
  audit_note note;
  err = d->store->ops->repair_create(d->store, &rep, &r->who, &idem.idem, audit_of_new(r, &note),
                                     d->cfg->sla.offset_min, now, &out);
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "repair");
  /* Log the ticket number only: names and phones never reach the log. */
  if (!idem.idem.replayed)
    LOBBY_INFO("repair %s filed, %s, %s", json_string_value(json_object_get(out, "ticket")),
               rep.category, repair_urgency_names[rep.urgency]);
  follow_link_add(r, out);
  return http_reply_json_header(r, 201, out, idem.idem.replayed ? "Idempotent-Replay" : NULL, "true");
}

static const char *const repair_fields[] = {
  "unit", "name", "phone", "category", "kind", "urgency", "preferred_time", "description",
  "source", NULL};

enum MHD_Result handle_repair_create(http_request *r)
{
  http_error e;
  const char *key;
  json_t *in;
  enum MHD_Result ret;
  if (jin_idempotency_key(r, true, &key, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!kiosk_submission_allowed(r, &ret))
    return ret;
  if (!body_object(r, &in, repair_fields, &ret))
    return ret;
  ret = create_checked(r, in, key);
  json_decref(in);
  return ret;
}

enum MHD_Result handle_repair_lookup(http_request *r)
{
  const char *ticket = http_query(r, "ticket"), *last4;
  enum MHD_Result ret;
  if (!lookup_allowed(r, ticket && repair_ticket_valid(ticket), "ticket: must look like R-20261126-0042", &last4, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->repair_lookup(r->d->store, ticket, last4, &r->who.sites,
                                                  lobby_now(), &out);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "no ticket with that number and phone");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "repair");
  return http_reply_json(r, 200, out);
}

bool repair_filter_from_query(http_request *r, store_repair_filter *f, store_site_set *sites,
                              lobby_search *search, enum MHD_Result *ret)
{
  static const char *const sorts[] = {"newest", "priority", NULL};
  const char *sort;
  int64_t limit = 500, offset = 0;
  static const char *const statuses[] = {"submitted", "accepted", "dispatched", "on_site",
                                         "completed", "return_visit", "closed", "cancelled",
                                         "open", "done", NULL};
  const char *overdue = http_query(r, "overdue");
  const char *building = http_query(r, "building");
  memset(f, 0, sizeof *f);
  if (!site_scope_of_request(r, sites, ret))
    return false;
  f->sites = sites;
  if (!query_enum(r, "status", statuses, &f->status, ret) ||
      !query_enum(r, "category", repair_category_names, &f->category, ret) ||
      !query_enum(r, "urgency", repair_urgency_names, &f->urgency, ret) ||
      !query_date(r, "from", &f->from, ret) || !query_date(r, "to", &f->to, ret) ||
      !query_enum(r, "sort", sorts, &sort, ret) || !query_search(r, search, ret) ||
      !query_int(r, "limit", 1, 500, &limit, ret) || !query_int(r, "offset", 0, 10000000, &offset, ret))
    return false;
  f->search = search;
  f->by_priority = sort && strcmp(sort, "priority") == 0;
  f->limit = (int)limit;
  f->offset = (int)offset;
  if (f->to && http_query(r, "to") && strlen(http_query(r, "to")) == 10)
    f->to += 86400; /* "to" a date includes that whole day */
  if (building && *building) {
    if (!lobby_code_valid(building, 16)) {
      *ret = http_fail(r, 400, "invalid_field", "building: not a building code");
      return false;
    }
    f->building = building;
  }
  f->overdue_only = overdue && (strcmp(overdue, "1") == 0 || strcmp(overdue, "true") == 0);
  const char *follow_up = http_query(r, "follow_up");
  f->follow_up_only = follow_up && (strcmp(follow_up, "1") == 0 || strcmp(follow_up, "true") == 0);
  if (!query_waiting_days(r, lobby_now(), &f->changed_before, ret))
    return false;
  if (r->who.role == ROLE_TECHNICIAN)
    f->technician_id = r->who.id;
  return true;
}

static json_t *counts_json(const store_repair_counts *c)
{
  return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "submitted", (json_int_t)c->submitted,
                   "open", (json_int_t)c->open, "overdue",
                   (json_int_t)c->overdue, "emergency", (json_int_t)c->emergency, "in_progress",
                   (json_int_t)c->in_progress, "completed", (json_int_t)c->completed, "today",
                   (json_int_t)c->today);
}

/* One page of the tickets that match, with the true number of them and
 * the cards' counts, both over every match (store.h: repair_counts). */
enum MHD_Result handle_repair_list(http_request *r)
{
  store_repair_filter f;
  store_site_set sites;
  lobby_search search;
  store_repair_counts counts;
  enum MHD_Result ret;
  if (!repair_filter_from_query(r, &f, &sites, &search, &ret))
    return ret;
  int64_t now = lobby_now();
  int64_t today = lobby_time_local_midnight(now, r->d->cfg->sla.offset_min);
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->repair_list(r->d->store, &f, now, &out);
  if (err == LOBBY_OK)
    err = r->d->store->ops->repair_counts(r->d->store, &f, now, today, &counts);
  if (err != LOBBY_OK) {
    json_decref(out);
    return http_reply_store_error(r, err, "repairs");
  }
  return http_reply_json(r, 200, json_pack("{s:o, s:I, s:i, s:i, s:o}", "repairs", out, "total",
                                           (json_int_t)counts.total, "limit", f.limit, "offset",
                                           f.offset, "counts", counts_json(&counts)));
}

lobby_err repair_fetch_visible(http_request *r, json_t **out)
{
  if (!repair_ticket_valid(r->params[0]))
    return LOBBY_ENOTFOUND;
  lobby_err err = r->d->store->ops->repair_get(r->d->store, r->params[0], &r->who.sites, out);
  if (err != LOBBY_OK)
    return err;
  if (r->who.role == ROLE_TECHNICIAN &&
      json_integer_value(json_object_get(*out, "technician_id")) != r->who.id) {
    json_decref(*out);
    *out = NULL;
    return LOBBY_ENOTFOUND;
  }
  return LOBBY_OK;
}

enum MHD_Result handle_repair_get(http_request *r)
{
  json_t *out = NULL;
  lobby_err err = repair_fetch_visible(r, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "ticket");
  return http_reply_json(r, 200, out);
}

static lobby_err read_event(json_t *in, store_repair_event *ev, http_error *e)
{
  static const char *const events[] = {"accept", "dispatch", "on_site", "complete",
                                       "return_visit", "close", "cancel", "take", "decline", NULL};
  const char *name = NULL;
  lobby_err err = jin_enum(in, "event", true, events, &name, e);
  if (err == LOBBY_OK) (void)repair_event_parse(name, &ev->event);
  if (err == LOBBY_OK) err = jin_string(in, "note", false, 0, REPAIR_NOTE_MAX, true, &ev->note, e);
  if (err == LOBBY_OK) err = jin_string(in, "technician", ev->event == REPAIR_EVENT_DISPATCH, 1, 64, false,
                             &ev->technician, e);
  if (err == LOBBY_OK) err = jin_int(in, "satisfaction", ev->event == REPAIR_EVENT_RETURN_VISIT, 1, 5,
                          &ev->satisfaction, e);
  if (err == LOBBY_OK) err = jin_string(in, "comment", false, 0, REPAIR_NOTE_MAX, true, &ev->comment, e);
  bool reason_needed = ev->event == REPAIR_EVENT_CANCEL || ev->event == REPAIR_EVENT_DECLINE;
  if (err == LOBBY_OK) err = jin_string(in, "reason", reason_needed, 1, REPAIR_NOTE_MAX, true, &ev->reason, e);
  return err;
}

enum MHD_Result handle_repair_event(http_request *r)
{
  static const char *const fields[] = {"event", "note", "technician", "satisfaction", "comment",
                                       "reason", NULL};
  json_t *in, *ticket = NULL, *out = NULL;
  enum MHD_Result ret;
  store_repair_event ev = {0};
  http_error e;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (read_event(in, &ev, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  /* The technician's name is staff data, not a resident's: it may be
   * audited.  Notes and comments stay out of the audit text. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s%s%s", repair_event_name(ev.event),
           ev.technician ? " -> " : "", ev.technician ? ev.technician : "");
  lobby_err err = repair_fetch_visible(r, &ticket);
  json_decref(ticket);
  audit_note note;
  if (err == LOBBY_OK)
    err = r->d->store->ops->repair_event_add(r->d->store, r->params[0], &ev, &r->who, lobby_now(),
                                             audit_of(r, &note), &out);
  json_decref(in);
  if (err == LOBBY_EPERM)
    return http_fail(r, 403, "forbidden", "technicians record take, decline, on_site and complete only");
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "invalid_transition", "%s is not allowed for this ticket's status",
                     repair_event_name(ev.event));
  if (err == LOBBY_EINVAL)
    return http_fail(r, 400, "invalid_field",
                     "technician: no technician with that name works for this ticket's site");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "ticket");
  LOBBY_INFO("repair %s: %s", r->params[0], repair_event_name(ev.event));
  /* Wakes the ticket's follow pages (handlers_follow.c). */
  item_changed(r, r->params[0]);
  return http_reply_json(r, 200, out);
}
