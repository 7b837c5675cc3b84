/* The server's one change path.  Each successful change is announced
 * with events_publish(): it bumps the console's counters of the topics it
 * touches (the console long-polls GET /api/v1/events and reloads only the
 * lists whose counter moved) and wakes the long-polls of exactly the keys
 * it names, so a change costs nothing for waiters it does not concern. */
#ifndef LOBBYD_EVENTS_H
#define LOBBYD_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include "lobbyd.h"

enum {
  EV_REPAIRS = 1u << 0,
  EV_VISITS = 1u << 1,
  EV_NOTICES = 1u << 2,
  EV_KIOSKS = 1u << 3,
  EV_STAFF = 1u << 4,
};
#define EV_TOPIC_COUNT 5

extern const char *const events_topic_names[EV_TOPIC_COUNT];

typedef struct {
  uint64_t total;                      /* sum of all topics: the sequence */
  uint64_t topic[EV_TOPIC_COUNT];
} events_snapshot;

/* One change.  topics: EV_* bits (EV_KIOSKS and EV_STAFF also make
 * waiters' tokens be checked again: one may have been revoked); feed:
 * kiosks' feeds may read differently; visit: the id of a visit whose
 * status changed, or NULL; all_visits: visits changed that are not named
 * (the auto sign-out). */
typedef struct {
  unsigned topics;
  bool feed;
  const char *visit;
  bool all_visits;
} events_change;

lobby_err events_create(console_events **out);
void events_free(console_events *ev);
/* Long-polls to wake from now on (NULL: none). */
void events_attach(console_events *ev, longpoll *lp);
void events_publish(console_events *ev, const events_change *change);
void events_read(console_events *ev, events_snapshot *out);

#endif
