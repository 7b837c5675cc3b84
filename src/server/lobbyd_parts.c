#include "lobbyd_parts.h"

#include <unistd.h>
#include "auth.h"
#include "change_relay_pg.h"
#include "events.h"
#include "feed.h"
#include "health.h"
#include "known_device.h"
#include "metrics.h"
#include "password_pool.h"
#include "presence.h"
#include "screenshot_wants.h"
#include "router.h"
#include "rate_share_pg.h"
#include "ratelimit.h"

/* Sign-in attempts allowed per minute for one staff name and for one
 * client address (an office behind one NAT shares an address). */
#define SIGNIN_PER_NAME_PER_MINUTE 5
#define SIGNIN_PER_ADDRESS_PER_MINUTE 30
/* For one name from one address, or from one known device (whose sign-ins
 * skip the per-name limit, which others can spend). */
#define SIGNIN_PER_PAIR_PER_MINUTE 5
/* Each refused sign-in's audit row is a durable write under the store's
 * lock: past these per address and minute, a flood of refusals is not
 * written row by row, so it cannot hold up kiosks' repairs and visits. */
#define REFUSAL_AUDITS_PER_MINUTE 6
/* Password checks that may wait for a worker, per worker: about two
 * seconds of waiting at half a second a check. */
#define PASSWORD_QUEUE_PER_WORKER 4

/* Release-pass checks and uses at the gate per staff member: a guard
 * checks a pass every few seconds at the busiest, and at this rate a
 * stolen account needs about 23 days to try every one of the million
 * codes, so one of a handful of live passes is found after days. */
#define GATE_CHECKS_PER_MINUTE 30

/* [limits] password_checks_at_once, or one per CPU. */
static int password_workers(const lobbyd_config *cfg)
{
  long n = cfg->limits.password_checks_at_once > 0 ? cfg->limits.password_checks_at_once
                                            : sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}

/* The rate limiters: sign-ins, look-ups and each kiosk's limits. */
static lobby_err create_limiters(lobbyd *d)
{
  if (rate_limiter_create(SIGNIN_PER_NAME_PER_MINUTE, &d->signin_names) != LOBBY_OK ||
      rate_limiter_create(SIGNIN_PER_ADDRESS_PER_MINUTE, &d->signin_addresses) != LOBBY_OK ||
      rate_limiter_create(SIGNIN_PER_PAIR_PER_MINUTE, &d->signin_pairs) != LOBBY_OK ||
      rate_limiter_create(d->cfg->limits.lookup_rate_per_minute, &d->lookups) != LOBBY_OK ||
      rate_limiter_create_window(d->cfg->visits.checkout_failures_per_hour, 3600 * 1000,
                                 &d->checkout_failures) != LOBBY_OK ||
      rate_limiter_create(d->cfg->limits.kiosk_submissions_per_minute, &d->kiosk_submissions) != LOBBY_OK ||
      rate_limiter_create_window(REFUSAL_AUDITS_PER_MINUTE, 60 * 1000, &d->refusal_audits) != LOBBY_OK ||
      rate_limiter_create_window(GATE_CHECKS_PER_MINUTE, 60 * 1000, &d->gate_checks) != LOBBY_OK ||
      rate_limiter_create(d->cfg->follow.per_minute, &d->follow_pages) != LOBBY_OK)
    return LOBBY_ENOMEM;
  return LOBBY_OK;
}

/* With PostgreSQL, every limiter keeps its buckets in the database, so
 * tries spread over several instances count as if made at one. */
static lobby_err share_limiters(lobbyd *d)
{
  struct { rate_limiter *rl; const char *name; } all[] = {
    {d->signin_names, "signin_name"}, {d->signin_addresses, "signin_address"},
    {d->signin_pairs, "signin_pair"}, {d->lookups, "lookup"},
    {d->checkout_failures, "checkout_failure"}, {d->kiosk_submissions, "kiosk_submission"},
    {d->refusal_audits, "refusal_audit"}, {d->gate_checks, "gate_check"},
    {d->follow_pages, "follow_page"},
  };
  lobby_err err = rate_share_pg_create(d->cfg->store.dsn, &d->rate_share);
  if (err != LOBBY_OK)
    return err;
  rate_share share = rate_share_pg_share(d->rate_share);
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    rate_limiter_share(all[i].rl, &share, all[i].name);
  return LOBBY_OK;
}

lobby_err lobbyd_parts_create(lobbyd *d)
{
  int workers = password_workers(d->cfg);
  lobby_err err = metrics_create(router_route_slots(), router_route_label, &d->metrics);
  if (err == LOBBY_OK) err = health_create(&d->health);
  if (err == LOBBY_OK) err = feed_cache_create(d, &d->feed);
  if (err == LOBBY_OK) err = screenshot_wants_create(d, &d->shots);
  if (err == LOBBY_OK) err = presence_create(&d->kiosks);
  if (err == LOBBY_OK) err = auth_cache_create(&d->tokens);
  if (err == LOBBY_OK) err = events_create(d->feed, d->tokens, &d->events);
  if (err == LOBBY_OK && d->cfg->store.backend == STORE_BACKEND_POSTGRESQL)
    err = change_relay_pg_start(d->cfg->store.dsn, d->events, &d->relay);
  if (err == LOBBY_OK) err = create_limiters(d);
  if (err == LOBBY_OK && d->cfg->store.backend == STORE_BACKEND_POSTGRESQL)
    err = share_limiters(d);
  if (err == LOBBY_OK) err = known_device_create(&d->devices);
  if (err == LOBBY_OK) err = password_pool_start(workers, workers * PASSWORD_QUEUE_PER_WORKER, &d->passwords);
  if (err != LOBBY_OK) {
    lobbyd_parts_free(d);
    return err;
  }
  d->http_hooks = (lobbyd_http_hooks){.dispatch = router_dispatch, .body_limit = router_body_limit,
                                      .finished = metrics_request_done};
  return LOBBY_OK;
}

void lobbyd_parts_free(lobbyd *d)
{
  password_pool_stop(d->passwords);
  known_device_free(d->devices);
  rate_limiter_free(d->follow_pages);
  rate_limiter_free(d->gate_checks);
  rate_limiter_free(d->refusal_audits);
  rate_share_pg_free(d->rate_share);
  d->rate_share = NULL;
  rate_limiter_free(d->kiosk_submissions);
  rate_limiter_free(d->checkout_failures);
  rate_limiter_free(d->lookups);
  rate_limiter_free(d->signin_pairs);
  rate_limiter_free(d->signin_addresses);
  rate_limiter_free(d->signin_names);
  change_relay_pg_stop(d->relay);
  d->relay = NULL;
  events_free(d->events);
  auth_cache_free(d->tokens);
  presence_free(d->kiosks);
  screenshot_wants_free(d->shots);
  feed_cache_free(d->feed);
  health_free(d->health);
  metrics_free(d->metrics);
  d->passwords = NULL;
  d->devices = NULL;
  d->gate_checks = d->follow_pages = NULL;
  d->refusal_audits = d->kiosk_submissions = d->checkout_failures = d->lookups = NULL;
  d->signin_pairs = d->signin_addresses = d->signin_names = NULL;
  d->events = NULL;
  d->tokens = NULL;
  d->kiosks = NULL;
  d->feed = NULL;
  d->health = NULL;
  d->metrics = NULL;
}
