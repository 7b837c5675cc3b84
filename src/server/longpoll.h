/* Long-polls: requests held open until what they watch changes.
 *
 * A waiting request is suspended in libmicrohttpd and linked into one list
 * with its own deadline (suspended connections never time out by
 * themselves).  One thread owns the deadlines: when woken by a change it
 * asks each waiter's poll_ready() whether its answer differs from what the
 * client holds, and resumes those that are ready or past their deadline.
 * The same thread runs the periodic jobs (notice start/end times, visit
 * auto sign-out), so lobbyd has no other timer. */
#ifndef LOBBYD_LONGPOLL_H
#define LOBBYD_LONGPOLL_H

#include "http.h"

typedef void (*longpoll_tick_fn)(void *ctx);

lobby_err longpoll_start(longpoll_tick_fn tick, void *tick_ctx, longpoll **out);
void longpoll_stop(longpoll *lp);

/* Suspends r until r->poll_ready(r) is true or wait_ms passes; then
 * r->poll_state is POLL_READY or POLL_TIMEOUT and MHD calls the access
 * handler again, which calls r->poll_answer(r).  Call from a handler. */
enum MHD_Result longpoll_wait(longpoll *lp, http_request *r, int64_t wait_ms);

/* Reads the `wait` query parameter (seconds, 0 to max; 0 when absent).
 * On a bad value the 400 reply is already queued in *ret and it returns
 * false. */
bool longpoll_query_wait(http_request *r, int max, int *wait_s, enum MHD_Result *ret);

/* Something changed: re-check every waiter soon. */
void longpoll_notify(longpoll *lp);

/* Resumes every waiter as timed out (at shutdown). */
void longpoll_release_all(longpoll *lp);

/* Number of waiting requests. */
int longpoll_count(longpoll *lp);

#endif
