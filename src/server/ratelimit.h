/* Token buckets that slow down guessing of ticket look-ups: each client
 * (kiosk or address) gets `per_minute` tries, refilled evenly. */
#ifndef LOBBYD_RATELIMIT_H
#define LOBBYD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include "lobbyd.h"

lobby_err rate_limiter_create(int per_minute, rate_limiter **out);
void rate_limiter_free(rate_limiter *rl);
/* A new rate for every client from now on (a configuration reload). */
void rate_limiter_set_rate(rate_limiter *rl, int per_minute);
bool rate_limiter_allow(rate_limiter *rl, const char *client, int64_t now_ms);

#endif
