/* Long-polls: requests held open until what they watch changes.
 *
 * A waiting request is suspended in libmicrohttpd and filed under the key
 * it watches (the feed, one visit or repair, the console's events), so a change
 * wakes only the waiters of its key: the long-poll thread asks each of
 * them whether its answer differs from what the client holds
 * (poll_ready()) and resumes those that are ready.  Deadlines sit in a
 * min-heap (suspended connections never time out by themselves).
 * libmicrohttpd does not watch a suspended connection's socket either,
 * so the thread does: a client that hangs up is resumed as POLL_GONE and
 * its connection closed at once.  The thread reads the store only for
 * its waiters (a woken waiter's poll_ready(), tokens after a revocation):
 * the periodic jobs have their own thread (periodic_jobs.h), so a slow
 * query there holds up no deadline or hang-up here.  Changes reach this file only through
 * events_publish(). */
#ifndef LOBBYD_LONGPOLL_H
#define LOBBYD_LONGPOLL_H

#include <stdint.h>
#include "http.h"

lobby_err longpoll_start(longpoll **out);
void longpoll_stop(longpoll *lp);

/* Suspends r, watching `watch`, until r->poll.ready(r) is true after a
 * change of that key or wait_ms passes; then r->poll.state is POLL_READY
 * or POLL_TIMEOUT and MHD calls the access handler again, which calls
 * r->poll.answer(r).  With [limits] longpolls_per_token waiters of r's
 * bearer token (its kiosk or staff member) already waiting, the oldest of
 * them ends as POLL_TIMEOUT.  Call
 * from a handler. */
enum MHD_Result longpoll_wait(longpoll *lp, http_request *r, http_poll_watch watch,
                              int64_t wait_ms);

/* Reads the `wait` query parameter (seconds, 0 to max; 0 when absent).
 * On a bad value the 400 reply is already queued in *ret and it returns
 * false. */
bool longpoll_query_wait(http_request *r, int max, int *wait_s, enum MHD_Result *ret);

/* The keys one change touched. */
typedef struct {
  bool feed;            /* WATCH_FEED */
  bool events;          /* WATCH_EVENTS */
  bool all_visits;      /* every WATCH_ITEM */
  const char *item;     /* the WATCH_ITEM of this visit or repair, or NULL */
  bool recheck_auth;    /* tokens may have been revoked: every waiter's
                         * token is checked again (no poll_ready()) */
} longpoll_keys;

/* Moves the waiters of the keys to be re-checked and wakes the thread
 * once for all of them (not at all when nothing is to be done).  For
 * events.c: the one caller. */
void longpoll_notify(longpoll *lp, const longpoll_keys *keys);

/* Resumes every waiter as timed out (at shutdown). */
void longpoll_release_all(longpoll *lp);

/* Number of waiting requests (no lock: /healthz must answer while the
 * thread is busy). */
int longpoll_count(longpoll *lp);

/* Counters for /metrics: poll_ready() calls, waiters whose client hung
 * up, and changes that woke the thread (one per longpoll_notify() that
 * had something to do). */
typedef struct {
  uint64_t checks;
  uint64_t gone;
  uint64_t wakes;
} longpoll_stats;
void longpoll_read_stats(longpoll *lp, longpoll_stats *out);

/* The monotonic time (lobby_monotonic_ms) at which the thread last went
 * round its loop; it goes round at least once a second, so an old value
 * means the thread is stuck.  No lock, for the watchdog. */
int64_t longpoll_heartbeat_ms(longpoll *lp);

#endif
