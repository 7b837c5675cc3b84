/* The gate (门岗): a guard types a release pass's 6-digit code, sees what
 * may leave and lets it out once.  Every check and use takes one of the
 * caller's gate tries (GATE_CHECKS_PER_MINUTE, lobbyd_parts.c), so a
 * guard's account cannot walk through the million codes. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "lobby_log.h"
#include "lobby_release.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "ratelimit.h"

static bool gate_try_allowed(http_request *r, enum MHD_Result *ret)
{
  char key[48];
  int64_t retry_ms = 0;
  rate_key_of(&r->who, key, sizeof key);
  if (rate_limiter_take(r->d->gate_checks, key, lobby_monotonic_ms(), &retry_ms))
    return true;
  *ret = reply_rate_limited(r, retry_ms, "门岗查验过于频繁，请稍后再试 / too many gate checks; "
                                         "try again in a minute");
  return false;
}

/* What the gate shows of a pass (staff record rec): enough to let things
 * out, and the applicant's name masked ("王*"), never the phone. */
static json_t *gate_view(http_request *r, json_t *rec, int64_t now)
{
  release_status s = RELEASE_STATUS_SUBMITTED;
  (void)release_status_parse(json_string_value(json_object_get(rec, "status")), &s);
  const char *date = json_string_value(json_object_get(rec, "date"));
  release_gate g = release_gate_of(s, date, now, r->d->cfg->sla.offset_min);
  const char *reason = release_gate_reason(g);
  char masked[160];
  lobby_name_mask(json_string_value(json_object_get(rec, "name")) ? json_string_value(json_object_get(rec, "name")) : "",
                  masked, sizeof masked);
  return json_pack("{s:O, s:b, s:o, s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:O}",
                   "number", json_object_get(rec, "number"), "valid", g == RELEASE_GATE_VALID,
                   "reason", reason ? json_string(reason) : json_null(),
                   "status", json_object_get(rec, "status"), "unit", json_object_get(rec, "unit"),
                   "items", json_object_get(rec, "items"), "date", json_object_get(rec, "date"),
                   "plate", json_object_get(rec, "plate"), "name", masked,
                   "used_at", json_object_get(rec, "used_at"),
                   "used_by", json_object_get(rec, "used_by"));
}

static bool code_param_valid(http_request *r, enum MHD_Result *ret)
{
  if (release_code_valid(r->params[0]))
    return true;
  *ret = http_fail(r, 400, "invalid_field", "code: 放行码为 6 位数字 / must be the pass's 6 digits");
  return false;
}

static enum MHD_Result not_found(http_request *r)
{
  return http_fail(r, 404, "release_not_found",
                   "没有这个放行码，请核对 / no release pass has this code; check the digits");
}

enum MHD_Result handle_gate_check(http_request *r)
{
  enum MHD_Result ret;
  if (!gate_try_allowed(r, &ret) || !code_param_valid(r, &ret))
    return ret;
  json_t *rec = NULL;
  int64_t now = lobby_now();
  lobby_err err = r->d->store->ops->release_by_code(r->d->store, r->params[0], &r->who.sites,
                                                    r->d->cfg->sla.offset_min, now, &rec);
  if (err == LOBBY_ENOTFOUND)
    return not_found(r);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "release");
  json_t *view = gate_view(r, rec, now);
  json_decref(rec);
  return http_reply_json(r, 200, view);
}

/* Why a use was refused, in words the guard can act on, naming when it
 * was used and by whom, or the day it is valid. */
static void refusal_message(release_gate g, json_t *rec, int offset_min, char *out, size_t size)
{
  const char *date = json_string_value(json_object_get(rec, "date"));
  const char *by = json_string_value(json_object_get(rec, "used_by"));
  json_int_t used = json_integer_value(json_object_get(rec, "used_at"));
  char when[LOBBY_ISO_LEN] = "";
  if (used)
    lobby_time_format((int64_t)used, offset_min, when);
  switch (g) {
  case RELEASE_GATE_USED:
    snprintf(out, size, "已于 %.16s 放行（%s），不能再用 / already used at %s by %s", when,
             by ? by : "", when, by ? by : "");
    break;
  case RELEASE_GATE_EXPIRED:
    snprintf(out, size, "已过期（放行日期 %s），请重新申请 / expired: valid on %s only; apply again",
             date, date);
    break;
  case RELEASE_GATE_NOT_YET:
    snprintf(out, size, "未到放行日期（%s） / not yet: valid on %s only", date, date);
    break;
  case RELEASE_GATE_REFUSED:
    snprintf(out, size, "前台已拒绝此申请 / the front desk refused this pass");
    break;
  case RELEASE_GATE_CANCELLED:
    snprintf(out, size, "前台已取消此放行 / the front desk cancelled this pass");
    break;
  default:
    snprintf(out, size, "前台尚未批准 / the front desk has not approved this pass");
    break;
  }
}

/* 409 with the error and, beside it, what the gate shows of the pass. */
static enum MHD_Result refuse_use(http_request *r, release_gate g, json_t *rec, int64_t now)
{
  char message[400];
  refusal_message(g, rec, r->d->cfg->sla.offset_min, message, sizeof message);
  json_t *body = json_pack("{s:{s:s, s:s}, s:o}", "error", "code", release_gate_error_code(g),
                           "message", message, "release", gate_view(r, rec, now));
  return http_reply_json(r, 409, body);
}

enum MHD_Result handle_gate_use(http_request *r)
{
  static const char *const fields[] = {"note", NULL};
  enum MHD_Result ret;
  json_t *in, *rec = NULL;
  const char *note = NULL;
  http_error e;
  if (!gate_try_allowed(r, &ret) || !code_param_valid(r, &ret))
    return ret;
  /* The body is optional: a use without a note may send none. */
  if (!r->body || r->body_len == 0)
    in = json_object();
  else if (!body_object(r, &in, fields, &ret))
    return ret;
  if (jin_string(in, "note", false, 0, RELEASE_NOTE_MAX, true, &note, &e) != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  int64_t now = lobby_now();
  release_gate g = RELEASE_GATE_VALID;
  audit_note an;
  lobby_err err = r->d->store->ops->release_use(r->d->store, r->params[0], &r->who.sites, note,
                                                &r->who, r->d->cfg->sla.offset_min, now,
                                                audit_of_new(r, &an), &g, &rec);
  json_decref(in);
  if (err == LOBBY_ENOTFOUND)
    return not_found(r);
  if (err == LOBBY_ECONFLICT) {
    ret = refuse_use(r, g, rec, now);
    json_decref(rec);
    return ret;
  }
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "release");
  LOBBY_INFO("release %s let out at the gate", json_string_value(json_object_get(rec, "number")));
  json_t *view = gate_view(r, rec, now);
  json_decref(rec);
  return http_reply_json(r, 200, view);
}
