/* A thread that runs one function at a fixed interval until stopped: the
 * periodic jobs' and the connection guard's sweeps.  It waits on the
 * monotonic clock, so a wall-clock jump neither stalls nor hurries it. */
#ifndef LOBBYD_INTERVAL_THREAD_H
#define LOBBYD_INTERVAL_THREAD_H

#include <stdint.h>
#include "lobby_error.h"

typedef struct interval_thread interval_thread;
typedef void (*interval_round_fn)(void *ctx);

/* Calls round(ctx) every interval_ms, the first time interval_ms after
 * the start; a round that takes longer only delays the next one. */
lobby_err interval_thread_start(int64_t interval_ms, interval_round_fn round, void *ctx,
                                interval_thread **out);

/* Returns once a round in progress has ended and no other will begin;
 * frees t.  NULL is ignored. */
void interval_thread_stop(interval_thread *t);

#endif
