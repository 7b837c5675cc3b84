/* Visitors: self-registration at kiosks, approval at the front desk,
 * invites, sign-out. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "lobby_domain.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "site_scope.h"
#include "longpoll.h"

#define VISIT_WAIT_MAX_S 60
#define INVITE_VALID_DEFAULT_S (24 * 3600)

static const char *const visit_fields[] = {"name", "phone", "host", "purpose", "party_size",
                                           "plate", "site", NULL};

static lobby_err read_visit(json_t *in, store_visit_new *v, http_error *e)
{
  v->party_size = 1;
  lobby_err err = jin_string(in, "name", true, 1, PERSON_NAME_MAX, false, &v->name, e);
  if (err == LOBBY_OK) err = jin_phone(in, "phone", true, &v->phone, e);
  if (err == LOBBY_OK) err = jin_string(in, "host", true, 1, VISIT_HOST_MAX, false, &v->host, e);
  if (err == LOBBY_OK) err = jin_enum(in, "purpose", true, visit_purpose_names, &v->purpose, e);
  if (err == LOBBY_OK) err = jin_int(in, "party_size", false, 1, VISIT_PARTY_MAX, &v->party_size, e);
  if (err == LOBBY_OK) err = jin_string(in, "plate", false, 0, VISIT_PLATE_MAX, false, &v->plate, e);
  return err;
}

/* Pending visits of this kiosk's building need the front desk's word. */
static bool needs_approval(http_request *r)
{
  json_t *b = NULL;
  if (r->who.role != ROLE_KIOSK)
    return false;
  if (r->d->store->ops->building_get(r->d->store, r->who.building, &b) != LOBBY_OK)
    return false;
  bool yes = json_is_true(json_object_get(b, "requires_approval"));
  json_decref(b);
  return yes;
}

/* The visits a caller may see: a kiosk its own, staff all (0). */
static int64_t visit_scope(const http_request *r)
{
  return r->who.role == ROLE_KIOSK ? r->who.id : 0;
}

/* The site a visit or invite is for: a kiosk's own; for staff the one
 * "site" names, or their only site. */
static bool visit_site(http_request *r, json_t *in, store_visit_new *v, enum MHD_Result *ret)
{
  json_t *code = json_object_get(in, "site");
  if (r->who.role == ROLE_KIOSK) {
    if (code) {
      *ret = http_fail(r, 400, "unknown_field", "site: a kiosk registers visitors for its own site");
      return false;
    }
    v->site_id = r->who.site_id;
    return true;
  }
  if (code && !json_is_string(code)) {
    *ret = http_fail(r, 400, "invalid_field", "site: must be a site code");
    return false;
  }
  return site_for_create(r, json_string_value(code), "site", &v->site_id, ret);
}

/* A new visit, with the link its pass's QR code carries. */
static enum MHD_Result reply_created(http_request *r, json_t *out, bool replayed)
{
  follow_link_add(r, out);
  return http_reply_json_header(r, 201, out, replayed ? "Idempotent-Replay" : NULL, "true");
}

enum MHD_Result handle_visit_create(http_request *r)
{
  http_error e;
  const char *key;
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  store_visit_new v = {0};
  if (jin_idempotency_key(r, true, &key, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!kiosk_submission_allowed(r, &ret))
    return ret;
  if (!body_object(r, &in, visit_fields, &ret))
    return ret;
  if (read_visit(in, &v, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  if (!visit_site(r, in, &v, &ret)) {
    json_decref(in);
    return ret;
  }
  idem_ctx idem;
  idem_init(r, key, &idem);
  audit_note note;
  lobby_err err = r->d->store->ops->visit_create(r->d->store, &v, needs_approval(r), &r->who,
                                                 &idem.idem, audit_of(r, &note), lobby_now(), &out);
  json_decref(in);
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "visit");
  /* A new visit has no status waiters yet; the console hears of it
   * through the route's topic. */
  if (!idem.idem.replayed)
    LOBBY_INFO("visit %s registered", json_string_value(json_object_get(out, "id")));
  return reply_created(r, out, idem.idem.replayed);
}

static bool visit_id_valid(const char *id)
{
  return strncmp(id, "v_", 2) == 0 && strlen(id) == 18 && strspn(id + 2, "0123456789abcdef") == 16;
}

static void etag_of(json_t *visit, char *etag, size_t size)
{
  snprintf(etag, size, "\"%s\"", json_string_value(json_object_get(visit, "state")));
}

static bool visit_ready(http_request *r)
{
  json_t *v = NULL;
  char etag[40];
  if (r->d->store->ops->visit_get(r->d->store, r->params[0], visit_scope(r), &r->who.sites,
                                  &v) != LOBBY_OK)
    return true;
  etag_of(v, etag, sizeof etag);
  json_decref(v);
  return strcmp(etag, r->poll.etag) != 0;
}

/* The visit's status, v consumed: 304 when the caller already holds it. */
static enum MHD_Result visit_reply(http_request *r, json_t *v)
{
  char etag[40];
  etag_of(v, etag, sizeof etag);
  const char *held = http_header(r, "If-None-Match");
  if (held && strcmp(held, etag) == 0) {
    json_decref(v);
    return http_reply_empty(r, 304, etag);
  }
  http_format_times(v, r->d->cfg->sla.offset_min);
  char *text = json_dumps(v, JSON_COMPACT);
  json_decref(v);
  enum MHD_Result ret = text ? http_reply_text(r, 200, "application/json; charset=utf-8", text,
                                               strlen(text), etag) : MHD_NO;
  free(text);
  return ret;
}

/* The answer to a long-poll that ended: the visit as it is now. */
static enum MHD_Result visit_answer(http_request *r)
{
  json_t *v = NULL;
  lobby_err err = r->d->store->ops->visit_get(r->d->store, r->params[0], visit_scope(r),
                                              &r->who.sites, &v);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "visit");
  return visit_reply(r, v);
}

enum MHD_Result handle_visit_status(http_request *r)
{
  if (!visit_id_valid(r->params[0]))
    return http_fail(r, 404, "not_found", "visit not found");
  const char *held = http_header(r, "If-None-Match");
  int wait_s;
  enum MHD_Result ret;
  if (!longpoll_query_wait(r, VISIT_WAIT_MAX_S, &wait_s, &ret))
    return ret;
  json_t *v = NULL;
  char etag[40];
  lobby_err err = r->d->store->ops->visit_get(r->d->store, r->params[0], visit_scope(r),
                                              &r->who.sites, &v);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "visit");
  etag_of(v, etag, sizeof etag);
  if (wait_s > 0 && held && strcmp(held, etag) == 0) {
    json_decref(v);
    snprintf(r->poll.etag, sizeof r->poll.etag, "%s", etag);
    r->poll.ready = visit_ready;
    r->poll.answer = visit_answer;
    snprintf(r->poll.item, sizeof r->poll.item, "%.23s", r->params[0]);
    return longpoll_wait(r->d->poll, r, WATCH_ITEM, (int64_t)wait_s * 1000);
  }
  return visit_reply(r, v);
}

static enum MHD_Result visit_changed_reply(http_request *r, lobby_err err, json_t *out,
                                           const char *conflict_message)
{
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "%s", conflict_message);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "visit");
  /* Wakes the status waiters of this visit only. */
  item_changed(r, json_string_value(json_object_get(out, "id")));
  return http_reply_json(r, 200, out);
}

enum MHD_Result handle_visit_cancel(http_request *r)
{
  json_t *out = NULL;
  if (!visit_id_valid(r->params[0]))
    return http_fail(r, 404, "not_found", "visit not found");
  audit_note note;
  lobby_err err = r->d->store->ops->visit_cancel(r->d->store, r->params[0], visit_scope(r), &r->who.sites,
                                                  lobby_now(), audit_of(r, &note), &out);
  return visit_changed_reply(r, err, out, "only a visit waiting for approval can be cancelled");
}

/* The visitor's sign-out answer leaves out personal data. */
static json_t *public_visit(json_t *v)
{
  static const char *const keep[] = {"id", "state", "pass_code", "checked_in_at", "checked_out_at", NULL};
  json_t *out = json_object();
  for (int i = 0; keep[i]; i++)
    json_object_set(out, keep[i], json_object_get(v, keep[i]));
  json_decref(v);
  return out;
}

/* A pass or invite code (cap - 1 characters of the code alphabet) from
 * the body's field, normalised as the codes are stored; false when it is
 * missing or malformed. */
static bool body_code(const json_t *in, const char *field, char *code, size_t cap)
{
  const char *given = json_string_value(json_object_get(in, field));
  if (!given || !lobby_code_alphabet_valid(given, cap - 1))
    return false;
  snprintf(code, cap, "%s", given);
  lobby_code_normalize(code);
  return true;
}

/* A pass code of either form (8 characters, or 6 on passes printed
 * before), normalised as stored; false when missing or malformed. */
static bool body_pass_code(const json_t *in, char *code, size_t cap)
{
  const char *given = json_string_value(json_object_get(in, "pass_code"));
  if (!given || !lobby_pass_code_valid(given) || strlen(given) >= cap)
    return false;
  snprintf(code, cap, "%s", given);
  lobby_code_normalize(code);
  return true;
}

enum MHD_Result handle_visit_checkout_code(http_request *r)
{
  static const char *const fields[] = {"pass_code", NULL};
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  /* Every attempt takes one of the kiosk's tries and a sign-out gives it
   * back: wrong, malformed and spent codes are what the limit counts. */
  if (!checkout_attempt_allowed(r, &ret))
    return ret;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  char code[LOBBY_PASS_CODE_LEN + 1];
  bool valid = body_pass_code(in, code, sizeof code);
  json_decref(in);
  if (!valid)
    return http_fail(r, 400, "invalid_field", "pass_code: must be the 8-character code on the pass");
  audit_note note;
  lobby_err err = r->d->store->ops->visit_checkout(r->d->store, NULL, code, visit_scope(r), &r->who.sites,
                                                   lobby_now(), audit_of(r, &note), &out);
  if (err == LOBBY_OK) {
    checkout_attempt_succeeded(r);
    out = public_visit(out);
  }
  return visit_changed_reply(r, err, out, "this visit has already been signed out");
}

enum MHD_Result handle_invite_checkin(http_request *r)
{
  static const char *const fields[] = {"invite_code", NULL};
  http_error e;
  const char *key;
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  if (jin_idempotency_key(r, false, &key, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  if (!body_object(r, &in, fields, &ret))
    return ret;
  char code[LOBBY_INVITE_CODE_LEN + 1];
  if (!body_code(in, "invite_code", code, sizeof code)) {
    json_decref(in);
    return http_fail(r, 400, "invalid_field", "invite_code: must be the 8-character invite code");
  }
  idem_ctx idem;
  idem_init(r, key, &idem);
  audit_note note;
  lobby_err err = r->d->store->ops->invite_checkin(r->d->store, code, &r->who, &idem.idem,
                                                   audit_of(r, &note), lobby_now(), &out);
  json_decref(in);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "no valid invite with that code");
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "this invite has already been used");
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "invite");
  return reply_created(r, out, idem.idem.replayed);
}

/* ---- staff --------------------------------------------------------- */

/* The visitor log's page: at most this many visits (and by default). */
#define VISIT_LOG_MAX 1000

/* ?state=&date=DAY, or from=&to= (dates or times, to exclusive), q,
 * limit and offset: a page of the visitor log of a day or a range, newest
 * first, with how many match in all ("more" when past this page). */
enum MHD_Result handle_visit_list(http_request *r)
{
  const char *date = http_query(r, "date");
  int64_t total = 0, limit = VISIT_LOG_MAX, offset = 0;
  store_visit_filter f = {.state = http_query(r, "state"), .total = &total};
  lobby_search search;
  enum MHD_Result ret;
  if (f.state && lobby_name_index(visit_state_names, f.state) < 0)
    return http_fail(r, 400, "invalid_field", "state: unknown value");
  if (!date && (!query_date(r, "from", &f.from, &ret) || !query_date(r, "to", &f.to, &ret)))
    return ret;
  if (date) {
    char iso[40];
    int off = r->d->cfg->sla.offset_min, a = off < 0 ? -off : off;
    snprintf(iso, sizeof iso, "%.10sT00:00:00%c%02d:%02d", date, off < 0 ? '-' : '+', a / 60, a % 60);
    if (strlen(date) != 10 || lobby_time_parse(iso, &f.from) != LOBBY_OK)
      return http_fail(r, 400, "invalid_field", "date: must look like 2026-11-26");
    f.to = f.from + 86400;
  }
  if (!query_search(r, &search, &ret) || !query_int(r, "limit", 1, VISIT_LOG_MAX, &limit, &ret) ||
      !query_int(r, "offset", 0, INT32_MAX, &offset, &ret))
    return ret;
  f.search = &search;
  f.limit = (int)limit;
  f.offset = offset;
  json_t *out = NULL;
  store_site_set sites;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  f.sites = &sites;
  lobby_err err = r->d->store->ops->visit_list(r->d->store, &f, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "visits");
  bool more = offset + (int64_t)json_array_size(out) < total;
  return http_reply_json(r, 200, json_pack("{s:o, s:I, s:I, s:I, s:b}", "visits", out, "total",
                                           (json_int_t)total, "limit", (json_int_t)limit, "offset",
                                           (json_int_t)offset, "more", more));
}

enum MHD_Result handle_visit_onsite(http_request *r)
{
  json_t *out = NULL;
  store_site_set sites;
  enum MHD_Result ret;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  json_t *workers = NULL, *marks = NULL;
  store_visit_filter f = {.onsite_only = true, .sites = &sites};
  lobby_err err = r->d->store->ops->visit_list(r->d->store, &f, &out);
  /* The evacuation list: renovation workers on site are there too, and
   * the roll-call's marks of everyone listed. */
  if (err == LOBBY_OK)
    err = r->d->store->ops->worker_onsite(r->d->store, &sites, &workers);
  if (err == LOBBY_OK)
    err = r->d->store->ops->rollcall_list(r->d->store, &sites, &marks);
  if (err != LOBBY_OK) {
    json_decref(out);
    json_decref(workers);
    return http_reply_store_error(r, err, "visits");
  }
  return http_reply_json(r, 200, json_pack("{s:o, s:o, s:o}", "visits", out, "workers", workers,
                                           "rollcall", marks));
}

static enum MHD_Result decide(http_request *r, bool approve)
{
  static const char *const fields[] = {"reason", NULL};
  const char *reason = NULL;
  json_t *in = NULL, *out = NULL;
  enum MHD_Result ret;
  http_error e;
  if (!visit_id_valid(r->params[0]))
    return http_fail(r, 404, "not_found", "visit not found");
  if (!approve || r->body_len > 0) {
    if (!body_object(r, &in, fields, &ret))
      return ret;
    if (jin_string(in, "reason", !approve, 1, VISIT_REASON_MAX, false, &reason, &e) != LOBBY_OK) {
      json_decref(in);
      return http_reply_error(r, &e);
    }
  }
  audit_note note;
  lobby_err err = r->d->store->ops->visit_decide(r->d->store, r->params[0], approve, reason,
                                                 &r->who, lobby_now(), audit_of(r, &note), &out);
  json_decref(in);
  return visit_changed_reply(r, err, out, "this visit is no longer waiting for approval");
}

enum MHD_Result handle_visit_approve(http_request *r) { return decide(r, true); }
enum MHD_Result handle_visit_refuse(http_request *r) { return decide(r, false); }

enum MHD_Result handle_visit_checkout_id(http_request *r)
{
  json_t *out = NULL;
  if (!visit_id_valid(r->params[0]))
    return http_fail(r, 404, "not_found", "visit not found");
  audit_note note;
  lobby_err err = r->d->store->ops->visit_checkout(r->d->store, r->params[0], NULL, 0, &r->who.sites, lobby_now(),
                                                   audit_of(r, &note), &out);
  return visit_changed_reply(r, err, out, "this visitor is not on site");
}

enum MHD_Result handle_invite_create(http_request *r)
{
  static const char *const fields[] = {"name", "phone", "host", "purpose", "party_size", "plate",
                                       "valid_until", "site", NULL};
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  store_visit_new v = {0};
  http_error e;
  int64_t now = lobby_now(), valid_until = now + INVITE_VALID_DEFAULT_S;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (read_visit(in, &v, &e) != LOBBY_OK || jin_time(in, "valid_until", false, &valid_until, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  if (valid_until <= now) {
    json_decref(in);
    return http_fail(r, 400, "invalid_field", "valid_until: must be in the future");
  }
  if (!visit_site(r, in, &v, &ret)) {
    json_decref(in);
    return ret;
  }
  audit_note note;
  lobby_err err = r->d->store->ops->invite_create(r->d->store, &v, valid_until, &r->who, now,
                                                  audit_of(r, &note), &out);
  json_decref(in);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "invite");
  return http_reply_json(r, 201, out);
}
