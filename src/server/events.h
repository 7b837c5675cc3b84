/* The server's one change path.  Every committed change is announced
 * with events_publish(), and nothing else in lobbyd wakes a long-poll or
 * marks feeds stale: it rebuilds the kiosks' feeds when they may read
 * differently, bumps the console's counters of the topics it touches (the
 * console long-polls GET /api/v1/events and reloads only the lists whose
 * counter moved) and wakes, with one signal, the long-polls of exactly
 * the keys it names, so a change costs nothing for waiters it does not
 * concern.  Requests reach it through the router (router.c), which
 * publishes what a successful request changed once it has answered; the
 * periodic jobs and a reload call it themselves. */
#ifndef LOBBYD_EVENTS_H
#define LOBBYD_EVENTS_H

#include <stdint.h>
#include "change.h"
#include "lobbyd.h"

extern const char *const events_topic_names[EV_TOPIC_COUNT];

typedef struct {
  uint64_t total;                      /* sum of all topics: the sequence */
  uint64_t topic[EV_TOPIC_COUNT];
} events_snapshot;

/* Where changes are announced to the other lobbyd instances on the same
 * database (change_relay_pg.c).  send announces one change made here and
 * gives it its place in the sequence all instances share; it fails when
 * the others cannot be told (the change is then applied here alone). */
typedef struct {
  lobby_err (*send)(void *ctx, const lobby_change *change, uint64_t *seq);
  void *ctx;
} events_relay;

/* feed: the cache whose feeds a change with .feed makes stale; tokens:
 * the token cache that a change to kiosks or staff made elsewhere must
 * empty (a revoked token stops working on every instance). */
lobby_err events_create(feed_cache *feed, auth_cache *tokens, console_events **out);
void events_free(console_events *ev);
/* Long-polls to wake from now on (NULL: none). */
void events_attach(console_events *ev, longpoll *lp);
/* Announces one committed change; a change that touches nothing is
 * ignored. */
void events_publish(console_events *ev, const lobby_change *change);

/* With a relay, the counters are the shared sequence's numbers rather
 * than local counts: a console long-polling any instance sees the same
 * numbers.  start_seq is the sequence's value when the relay started. */
void events_set_relay(console_events *ev, const events_relay *relay, uint64_t start_seq);
/* A change another instance made (seq: its place in the shared
 * sequence), announced here as if made here, without relaying it back. */
void events_apply_remote(console_events *ev, const lobby_change *change, uint64_t seq);
void events_read(console_events *ev, events_snapshot *out);

#endif
