/* Rate-limit buckets in PostgreSQL, shared by every lobbyd instance on
 * the database (the rate_share of ratelimit.h).  Times come from the
 * database's clock, so instances on machines whose clocks differ still
 * agree on how full a bucket is. */
#ifndef LOBBYD_RATE_SHARE_PG_H
#define LOBBYD_RATE_SHARE_PG_H

#include "ratelimit.h"

typedef struct rate_share_pg rate_share_pg;

/* Connects lazily: a database that is down now is tried again at the
 * next take, and the limiters' own buckets answer meanwhile. */
lobby_err rate_share_pg_create(const char *dsn, rate_share_pg **out);
void rate_share_pg_free(rate_share_pg *s);
/* The share to hand to rate_limiter_share(). */
rate_share rate_share_pg_share(rate_share_pg *s);
/* Deletes buckets untouched for a day (they are full again by then). */
lobby_err rate_share_pg_sweep(rate_share_pg *s);

#endif
