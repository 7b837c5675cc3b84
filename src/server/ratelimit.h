/* Token buckets that slow down guessing of ticket look-ups: each client
 * (kiosk or address) gets `per_minute` tries, refilled evenly. */
#ifndef LOBBYD_RATELIMIT_H
#define LOBBYD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobbyd.h"
#include "store.h"

lobby_err rate_limiter_create(int per_minute, rate_limiter **out);
void rate_limiter_free(rate_limiter *rl);
/* A new rate for every client from now on (a configuration reload). */
void rate_limiter_set_rate(rate_limiter *rl, int per_minute);
bool rate_limiter_allow(rate_limiter *rl, const char *client, int64_t now_ms);

/* A limiter of `count` tries per `window_ms` (a burst of count, refilled
 * evenly over the window): 20 failed checkouts an hour, say. */
lobby_err rate_limiter_create_window(int count, int64_t window_ms, rate_limiter **out);
/* A new count and window for every client (a configuration reload). */
void rate_limiter_set_window(rate_limiter *rl, int count, int64_t window_ms);
/* Takes one try like rate_limiter_allow; when refused, *retry_ms is how
 * long until the client has a try again (at least 1). */
bool rate_limiter_take(rate_limiter *rl, const char *client, int64_t now_ms, int64_t *retry_ms);
/* Gives back a try taken for a request that turned out not to count (a
 * successful checkout when only failures are limited). */
void rate_limiter_refund(rate_limiter *rl, const char *client, int64_t now_ms);

/* Buckets every lobbyd instance on one database sees (rate_share_pg.c),
 * so an attacker who spreads tries over instances gets no more of them.
 * take spends a try from key's bucket (burst tries, refilled per_ms) and
 * says whether there was one; refund gives one back.  Either fails when
 * the shared store cannot be reached. */
typedef struct {
  lobby_err (*take)(void *ctx, const char *key, double burst, double per_ms, bool *allowed,
                    int64_t *retry_ms);
  lobby_err (*refund)(void *ctx, const char *key, double burst);
  void *ctx;
} rate_share;

/* From now on rl keeps its buckets in share, as "name/<client>".  When
 * the share fails the limiter's own buckets answer, so a database outage
 * still leaves each instance limited.  Call before serving. */
void rate_limiter_share(rate_limiter *rl, const rate_share *share, const char *name);

/* The one place client keys are made.  Each kind of caller has its own
 * namespace ("kiosk:7", "staff:7", "addr:10.0.0.5", "name:王师傅"), so a
 * staff member and a kiosk that share a row id never share a bucket. */
typedef enum { RATE_KIOSK, RATE_STAFF, RATE_ADDRESS, RATE_NAME, RATE_NAME_ADDRESS, RATE_NAME_DEVICE } rate_key_kind;
void rate_key(rate_key_kind kind, const char *id, char *out, size_t size);
/* A key of two parts ("name@addr:王师傅|10.0.0.5"): a name and the address
 * or known device it is tried from. */
void rate_key_pair(rate_key_kind kind, const char *name, const char *from, char *out, size_t size);
/* The key of an authenticated caller: kiosk:<id> or staff:<id>. */
void rate_key_of(const lobby_principal *who, char *out, size_t size);

#endif
