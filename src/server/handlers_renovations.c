/* Renovations (装修登记) over HTTP: the desk registers one for a unit,
 * lists them (those ending soon first), reads one with its events and
 * workers, and extends, finishes or cancels it.  Workers' passes are
 * handlers_workers.c's; the rules are lobby_renovation.c's. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_log.h"
#include "lobby_renovation.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"
#include "site_scope.h"

/* A date member "YYYY-MM-DD" (NULL when not required and not given). */
static lobby_err read_date(json_t *in, const char *key, bool required, const char **out,
                           http_error *e)
{
  lobby_err err = jin_string(in, key, required, 0, 32, false, out, e);
  if (err == LOBBY_OK && *out && !calendar_date_valid(*out)) {
    http_error_set(e, 400, "invalid_field", key, "%s: must be a date like 2026-12-04", key);
    err = LOBBY_EINVAL;
  }
  return err;
}

/* start <= end <= start + three calendar months; the message names the
 * latest end allowed. */
static lobby_err check_period(const store_renovation_new *n, http_error *e)
{
  char latest[11];
  if (renovation_period_valid(n->start, n->end, latest))
    return LOBBY_OK;
  if (strcmp(n->end, n->start) < 0)
    http_error_set(e, 400, "invalid_field", "end",
                   "结束日期不能早于开始日期 / end: must be on or after start (%s)", n->start);
  else
    http_error_set(e, 400, "invalid_field", "end",
                   "装修期最长三个月，结束日期最晚为 %s / end: at most three months after start; "
                   "the latest allowed is %s", latest, latest);
  return LOBBY_EINVAL;
}

static lobby_err read_renovation(json_t *in, store_renovation_new *n, const char **site,
                                 http_error *e)
{
  lobby_err err = read_unit_object(in, true, "unit is required: the home being renovated",
                                   &n->unit, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "company", true, 1, RENOVATION_COMPANY_MAX, false, &n->company, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "manager", true, 1, RENOVATION_MANAGER_MAX, false, &n->manager, e);
  if (err == LOBBY_OK) err = jin_phone(in, "manager_phone", true, &n->manager_phone, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "works", false, 0, RENOVATION_WORKS_MAX, true, &n->works, e);
  if (err == LOBBY_OK) err = read_date(in, "start", true, &n->start, e);
  if (err == LOBBY_OK) err = read_date(in, "end", true, &n->end, e);
  if (err == LOBBY_OK) err = check_period(n, e);
  if (err == LOBBY_OK) err = jin_code(in, "site", false, 16, false, site, e);
  return err;
}

static enum MHD_Result create_checked(http_request *r, json_t *in, const char *key)
{
  lobbyd *d = r->d;
  store_renovation_new n = {0};
  const char *site = NULL;
  http_error e;
  enum MHD_Result ret;
  if (read_renovation(in, &n, &site, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!unit_site_for_create(r, &n.unit, site, &n.site_id, &ret))
    return ret;
  idem_ctx idem;
  json_t *out = NULL;
  idem_init(r, key, &idem);
  /* The period only: the company and manager may be personal. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s..%s", n.start, n.end);
  audit_note note;
  lobby_err err = d->store->ops->renovation_create(d->store, &n, &r->who, &idem.idem,
                                                   audit_of_new(r, &note), d->cfg->sla.offset_min,
                                                   lobby_now(), &out);
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "renovation");
  if (!idem.idem.replayed)
    LOBBY_INFO("renovation %s registered", json_string_value(json_object_get(out, "number")));
  return http_reply_json_header(r, 201, out, idem.idem.replayed ? "Idempotent-Replay" : NULL, "true");
}

enum MHD_Result handle_renovation_create(http_request *r)
{
  static const char *const fields[] = {"unit", "company", "manager", "manager_phone", "works",
                                       "start", "end", "site", NULL};
  http_error e;
  const char *key;
  json_t *in;
  enum MHD_Result ret;
  if (jin_idempotency_key(r, true, &key, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!body_object(r, &in, fields, &ret))
    return ret;
  ret = create_checked(r, in, key);
  json_decref(in);
  return ret;
}

static bool filter_from_query(http_request *r, store_renovation_filter *f, store_site_set *sites,
                              enum MHD_Result *ret)
{
  const char *within = http_query(r, "ending_within_days");
  const char *limit = http_query(r, "limit");
  int64_t days = 0, n = 200;
  memset(f, 0, sizeof *f);
  if (!site_scope_of_request(r, sites, ret))
    return false;
  f->sites = sites;
  if (!query_enum(r, "status", renovation_status_names, &f->status, ret))
    return false;
  if (within && lobby_parse_int64(within, 1, 366, &days) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "ending_within_days: must be a whole number from 1 to 366");
    return false;
  }
  if (limit && lobby_parse_int64(limit, 1, 1000, &n) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "limit: must be a whole number from 1 to 1000");
    return false;
  }
  f->ending_within_days = (int)days;
  f->limit = (int)n;
  return true;
}

enum MHD_Result handle_renovation_list(http_request *r)
{
  store_renovation_filter f;
  store_site_set sites;
  enum MHD_Result ret;
  if (!filter_from_query(r, &f, &sites, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->renovation_list(r->d->store, &f, r->d->cfg->sla.offset_min,
                                                    lobby_now(), &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "renovations");
  return http_reply_json(r, 200, json_pack("{s:o}", "renovations", out));
}

enum MHD_Result handle_renovation_get(http_request *r)
{
  json_t *out = NULL;
  lobby_err err = renovation_number_valid(r->params[0])
    ? r->d->store->ops->renovation_get(r->d->store, r->params[0], &r->who.sites,
                                       r->d->cfg->sla.offset_min, lobby_now(), &out)
    : LOBBY_ENOTFOUND;
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "renovation");
  return http_reply_json(r, 200, out);
}

/* extend needs the new end and a reason, cancel a reason; finish may
 * carry a note. */
static lobby_err read_event(json_t *in, store_renovation_event *ev, http_error *e)
{
  static const char *const events[] = {"extend", "finish", "cancel", NULL};
  const char *name = NULL;
  lobby_err err = jin_enum(in, "event", true, events, &name, e);
  if (err == LOBBY_OK) (void)renovation_event_parse(name, &ev->event);
  bool extend = ev->event == RENOVATION_EVENT_EXTEND;
  bool finish = ev->event == RENOVATION_EVENT_FINISH;
  if (err == LOBBY_OK && extend) err = read_date(in, "end", true, &ev->end, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "reason", !finish, 1, RENOVATION_REASON_MAX, true, &ev->reason, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "note", false, 0, RENOVATION_NOTE_MAX, true, &ev->note, e);
  if (!extend)
    ev->end = NULL;
  return err;
}

static enum MHD_Result event_refused(http_request *r, lobby_err err,
                                     const store_renovation_event *ev,
                                     const store_renovation_verdict *v)
{
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "invalid_transition",
                     "只有进行中的装修可以延期、完工或取消 / %s is allowed only while the renovation "
                     "is active", renovation_event_name(ev->event));
  if (err == LOBBY_EINVAL && strcmp(ev->end, v->end) <= 0) {
    http_error e;
    http_error_set(&e, 400, "invalid_field", "end",
                   "延期后的结束日期须晚于当前结束日期 %s / end: must be after the current end %s",
                   v->end, v->end);
    return http_reply_error(r, &e);
  }
  if (err == LOBBY_EINVAL) {
    http_error e;
    http_error_set(&e, 400, "invalid_field", "end",
                   "每次延期最长三个月，结束日期最晚为 %s / end: at most three months after the "
                   "current end; the latest allowed is %s", v->latest, v->latest);
    return http_reply_error(r, &e);
  }
  return http_reply_store_error(r, err, "renovation");
}

enum MHD_Result handle_renovation_event(http_request *r)
{
  static const char *const fields[] = {"event", "end", "reason", "note", NULL};
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  store_renovation_event ev = {0};
  store_renovation_verdict v = {0};
  http_error e;
  if (!renovation_number_valid(r->params[0]))
    return http_reply_store_error(r, LOBBY_ENOTFOUND, "renovation");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (read_event(in, &ev, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  /* The event and an extension's new end: reasons may name people. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s%s%s",
           renovation_event_name(ev.event), ev.end ? " " : "", ev.end ? ev.end : "");
  audit_note note;
  lobby_err err = r->d->store->ops->renovation_event_add(r->d->store, r->params[0], &ev, &r->who,
                                                         r->d->cfg->sla.offset_min, lobby_now(),
                                                         audit_of(r, &note), &v, &out);
  if (err != LOBBY_OK) {
    ret = event_refused(r, err, &ev, &v);
    json_decref(in);
    return ret;
  }
  json_decref(in);
  LOBBY_INFO("renovation %s: %s", r->params[0], renovation_event_name(ev.event));
  return http_reply_json(r, 200, out);
}
