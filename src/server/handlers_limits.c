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
  snprintf(after, sizeof after, "%" PRId64, seconds < 1 ? 1 : seconds);
  json_t *err = json_pack("{s:s, s:s, s:I}", "code", "rate_limited", "message", message,
                          "retry_after_s", (json_int_t)(seconds < 1 ? 1 : seconds));
  return http_reply_json_header(r, 429, json_pack("{s:o}", "error", err), "Retry-After", after);
}

static void kiosk_key(http_request *r, char *key, size_t size)
{
  rate_key_of(&r->who, key, size);
}

bool kiosk_submission_allowed(http_request *r, enum MHD_Result *ret)
{
  char key[48];
  int64_t retry_ms = 0;
  if (r->who.role != ROLE_KIOSK)
    return true;
  kiosk_key(r, key, sizeof key);
  if (rate_limiter_take(r->d->kiosk_submissions, key, lobby_monotonic_ms(), &retry_ms))
    return true;
  *ret = reply_rate_limited(r, retry_ms, "too many submissions from this kiosk; try again shortly");
  return false;
}

bool checkout_attempt_allowed(http_request *r, enum MHD_Result *ret)
{
  char key[48];
  int64_t retry_ms = 0;
  if (r->who.role != ROLE_KIOSK)
    return true;
  kiosk_key(r, key, sizeof key);
  if (rate_limiter_take(r->d->checkout_failures, key, lobby_monotonic_ms(), &retry_ms))
    return true;
  *ret = reply_rate_limited(r, retry_ms, "too many wrong pass codes at this kiosk; ask the front desk");
  return false;
}

void checkout_attempt_succeeded(http_request *r)
{
  char key[48];
  if (r->who.role != ROLE_KIOSK)
    return;
  kiosk_key(r, key, sizeof key);
  rate_limiter_refund(r->d->checkout_failures, key, lobby_monotonic_ms());
}
