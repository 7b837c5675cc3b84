/* The limits a kiosk's token is held to (issue 11): submissions at a
 * human rate, and few failed pass-code sign-outs, so a stolen or misused
 * token can neither flood the ledger nor guess visitors' codes.  Staff are
 * not limited here. */
#include "handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include "lobby_time.h"
#include "ratelimit.h"

enum MHD_Result reply_rate_limited(http_request *r, int64_t retry_ms, const char *message)
{
  char after[24];
  int64_t seconds = (retry_ms + 999) / 1000;
  if (seconds < 1)
    seconds = 1;
  snprintf(after, sizeof after, "%" PRId64, seconds);
  json_t *err = json_pack("{s:s, s:s, s:I}", "code", "rate_limited", "message", message,
                          "retry_after_s", (json_int_t)seconds);
  return http_reply_json_header(r, 429, json_pack("{s:o}", "error", err), "Retry-After", after);
}

/* Takes one try from the kiosk's allowance in limiter; staff always pass.
 * When none is left the 429 is queued in *ret with the retry time. */
static bool kiosk_take(http_request *r, rate_limiter *limiter, const char *message,
                       enum MHD_Result *ret)
{
  char key[48];
  int64_t retry_ms = 0;
  if (r->who.role != ROLE_KIOSK)
    return true;
  rate_key_of(&r->who, key, sizeof key);
  if (rate_limiter_take(limiter, key, lobby_monotonic_ms(), &retry_ms))
    return true;
  *ret = reply_rate_limited(r, retry_ms, message);
  return false;
}

bool kiosk_submission_allowed(http_request *r, enum MHD_Result *ret)
{
  return kiosk_take(r, r->d->kiosk_submissions,
                    "too many submissions from this kiosk; try again shortly", ret);
}

bool checkout_attempt_allowed(http_request *r, enum MHD_Result *ret)
{
  return kiosk_take(r, r->d->checkout_failures,
                    "too many wrong pass codes at this kiosk; ask the front desk", ret);
}

void checkout_attempt_succeeded(http_request *r)
{
  char key[48];
  if (r->who.role != ROLE_KIOSK)
    return;
  rate_key_of(&r->who, key, sizeof key);
  rate_limiter_refund(r->d->checkout_failures, key, lobby_monotonic_ms());
}
