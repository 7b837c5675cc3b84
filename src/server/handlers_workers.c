/* Workers' temporary passes (临时出入证) over HTTP: the desk issues,
 * revokes and renews them; a worker checks in and out at a kiosk with the
 * pass code (POST /api/v1/workers/attendance), and a refused check-in is
 * kept and published so the desk is told.  The kiosk's tries count
 * against the visitors' checkout limiter (checkout_attempt_allowed), so
 * pass codes cannot be walked from a kiosk. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_domain.h"
#include "lobby_log.h"
#include "lobby_renovation.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "lobby_workday.h"
#include "site_scope.h"

static bool worker_id_of(http_request *r, int64_t *id)
{
  return lobby_parse_int64(r->params[0], 1, INT64_MAX, id) == LOBBY_OK;
}

/* valid_until outside today..the renovation's end, in words. */
static enum MHD_Result valid_until_refused(http_request *r, const store_renovation_verdict *v)
{
  http_error e;
  http_error_set(&e, 400, "invalid_field", "valid_until",
                 "有效期须在今天至装修结束日期 %s 之间 / valid_until: must be a date from today to "
                 "the renovation's end, %s", v->end, v->end);
  return http_reply_error(r, &e);
}

static enum MHD_Result not_active(http_request *r)
{
  return http_fail(r, 409, "renovation_not_active",
                   "装修已结束、已取消或已超出登记期限，不能办理出入证 / the renovation is finished, "
                   "cancelled or past its end: extend it first");
}

static lobby_err read_worker(json_t *in, store_worker_new *w, http_error *e)
{
  lobby_err err = jin_string(in, "name", true, 1, WORKER_NAME_MAX, false, &w->name, e);
  if (err == LOBBY_OK) err = jin_phone(in, "phone", true, &w->phone, e);
  if (err == LOBBY_OK)
    err = jin_string(in, "valid_until", false, 0, 32, false, &w->valid_until, e);
  if (err == LOBBY_OK && w->valid_until && !calendar_date_valid(w->valid_until)) {
    http_error_set(e, 400, "invalid_field", "valid_until",
                   "valid_until: must be a date like 2026-12-04");
    err = LOBBY_EINVAL;
  }
  return err;
}

static enum MHD_Result create_checked(http_request *r, json_t *in, const char *key)
{
  lobbyd *d = r->d;
  store_worker_new w = {0};
  store_renovation_verdict v = {0};
  http_error e;
  if (!renovation_number_valid(r->params[0]))
    return http_reply_store_error(r, LOBBY_ENOTFOUND, "renovation");
  if (read_worker(in, &w, &e) != LOBBY_OK)
    return http_reply_error(r, &e);
  idem_ctx idem;
  json_t *out = NULL;
  idem_init(r, key, &idem);
  audit_note note;
  lobby_err err = d->store->ops->worker_create(d->store, r->params[0], &w, &r->who, &idem.idem,
                                               audit_of(r, &note), d->cfg->sla.offset_min,
                                               lobby_now(), &v, &out);
  if (err == LOBBY_EDUP)
    return http_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was already used for a different request");
  if (err == LOBBY_ECONFLICT)
    return not_active(r);
  if (err == LOBBY_EINVAL)
    return valid_until_refused(r, &v);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "renovation");
  if (!idem.idem.replayed)
    LOBBY_INFO("renovation %s: pass %lld issued", r->params[0],
               (long long)json_integer_value(json_object_get(out, "id")));
  return http_reply_json_header(r, 201, out, idem.idem.replayed ? "Idempotent-Replay" : NULL, "true");
}

enum MHD_Result handle_worker_create(http_request *r)
{
  static const char *const fields[] = {"name", "phone", "valid_until", NULL};
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

enum MHD_Result handle_worker_revoke(http_request *r)
{
  static const char *const fields[] = {"reason", NULL};
  json_t *in, *out = NULL;
  const char *reason = NULL;
  enum MHD_Result ret;
  http_error e;
  int64_t id;
  if (!worker_id_of(r, &id))
    return http_reply_store_error(r, LOBBY_ENOTFOUND, "worker");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (jin_string(in, "reason", true, 1, RENOVATION_REASON_MAX, true, &reason, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  audit_note note;
  lobby_err err = r->d->store->ops->worker_revoke(r->d->store, id, reason, &r->who,
                                                  r->d->cfg->sla.offset_min, lobby_now(),
                                                  audit_of(r, &note), &out);
  json_decref(in);
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "invalid_transition", "出入证已作废 / this pass is revoked already");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "worker");
  return http_reply_json(r, 200, out);
}

enum MHD_Result handle_worker_renew(http_request *r)
{
  static const char *const fields[] = {"valid_until", NULL};
  json_t *in, *out = NULL;
  const char *until = NULL;
  enum MHD_Result ret;
  http_error e;
  store_renovation_verdict v = {0};
  int64_t id;
  if (!worker_id_of(r, &id))
    return http_reply_store_error(r, LOBBY_ENOTFOUND, "worker");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  lobby_err err = jin_string(in, "valid_until", true, 0, 32, false, &until, &e);
  if (err == LOBBY_OK && !calendar_date_valid(until)) {
    http_error_set(&e, 400, "invalid_field", "valid_until",
                   "valid_until: must be a date like 2026-12-04");
    err = LOBBY_EINVAL;
  }
  if (err != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "valid until %s", until);
  audit_note note;
  err = r->d->store->ops->worker_renew(r->d->store, id, until, &r->who, r->d->cfg->sla.offset_min,
                                       lobby_now(), audit_of(r, &note), &v, &out);
  json_decref(in);
  if (err == LOBBY_ECONFLICT && v.revoked)
    return http_fail(r, 409, "invalid_transition",
                     "出入证已作废，不能续期 / a revoked pass cannot be renewed; issue a new one");
  if (err == LOBBY_ECONFLICT)
    return not_active(r);
  if (err == LOBBY_EINVAL)
    return valid_until_refused(r, &v);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "worker");
  return http_reply_json(r, 200, out);
}

/* ---- the kiosk ------------------------------------------------------ */

/* What the kiosk shows a worker: the name masked, never the phone. */
static json_t *attendance_view(worker_attendance act, json_t *w)
{
  char masked[160];
  const char *name = json_string_value(json_object_get(w, "name"));
  lobby_name_mask(name ? name : "", masked, sizeof masked);
  return json_pack("{s:s, s:s, s:O, s:O, s:O, s:O}", "action",
                   act == WORKER_ATTEND_IN ? "in" : "out", "name", masked, "company",
                   json_object_get(w, "company"), "unit", json_object_get(w, "unit"),
                   "valid_until", json_object_get(w, "valid_until"), "at",
                   json_object_get(w, "at"));
}

/* 409 with why, in words a worker understands, and whom to call; the
 * refusal was stored, so it is published for the desk. */
static enum MHD_Result refuse(http_request *r, worker_attendance act, json_t *w)
{
  char phone[40];
  site_service_phone(r->d, r->who.site_id, phone, sizeof phone);
  change_recorded(r, EV_RENOVATIONS);
  json_t *body = json_pack("{s:{s:s, s:s, s:s}, s:s, s:o}", "error", "code",
                           worker_attendance_error_code(act), "message",
                           worker_attendance_message(act), "contact", phone, "contact", phone,
                           "worker", attendance_view(act, w));
  json_object_del(json_object_get(body, "worker"), "action");
  return http_reply_json(r, 409, body);
}

enum MHD_Result handle_worker_attendance(http_request *r)
{
  static const char *const fields[] = {"pass_code", NULL};
  json_t *in, *out = NULL;
  enum MHD_Result ret;
  worker_attendance act = WORKER_ATTEND_IN;
  /* Every try takes one of the kiosk's failed-checkout allowance and a
   * check-in or check-out gives it back: wrong codes and refusals count. */
  if (!checkout_attempt_allowed(r, &ret))
    return ret;
  if (!body_object(r, &in, fields, &ret))
    return ret;
  char code[LOBBY_PASS_CODE_LEN + 1];
  const char *given = json_string_value(json_object_get(in, "pass_code"));
  bool valid = given && lobby_code_alphabet_valid(given, LOBBY_PASS_CODE_LEN);
  if (valid) {
    snprintf(code, sizeof code, "%s", given);
    lobby_code_normalize(code);
  }
  json_decref(in);
  if (!valid)
    return http_fail(r, 400, "invalid_field",
                     "pass_code: 请输入出入证上的 8 位号码 / must be the 8-character code on the pass");
  lobby_err err = r->d->store->ops->worker_attendance(r->d->store, code, &r->who,
                                                      r->d->cfg->sla.offset_min, lobby_now(),
                                                      &act, &out);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found",
                     "没有这个出入证号，请核对后重试 / no pass has this code; check it and try again");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "worker");
  if (act != WORKER_ATTEND_IN && act != WORKER_ATTEND_OUT) {
    LOBBY_INFO("worker pass %lld refused at kiosk %s: %s",
               (long long)json_integer_value(json_object_get(out, "id")), r->who.name,
               worker_attendance_error_code(act));
    ret = refuse(r, act, out);
    json_decref(out);
    return ret;
  }
  checkout_attempt_succeeded(r);
  json_t *view = attendance_view(act, out);
  json_decref(out);
  return http_reply_json(r, 200, view);
}

/* ---- the desk's lists ----------------------------------------------- */

enum MHD_Result handle_worker_refusals(http_request *r)
{
  const char *since_text = http_query(r, "since");
  const char *limit = http_query(r, "limit");
  int64_t since = 0, n = 200;
  store_site_set sites;
  enum MHD_Result ret;
  if (since_text && lobby_time_parse(since_text, &since) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "since: must be a time like 2026-12-04T08:00:00+08:00");
  if (limit && lobby_parse_int64(limit, 1, 1000, &n) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "limit: must be a whole number from 1 to 1000");
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->worker_refusals(r->d->store, &sites, since, (int)n, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "refusals");
  return http_reply_json(r, 200, json_pack("{s:o}", "refusals", out));
}
