/* Change counters for the staff console.  Each successful change bumps the
 * counters of the topics it touches; the console long-polls
 * GET /api/v1/events and reloads only the lists whose counter moved. */
#ifndef LOBBYD_EVENTS_H
#define LOBBYD_EVENTS_H

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

lobby_err events_create(console_events **out);
void events_free(console_events *ev);
void events_bump(console_events *ev, unsigned topics);
void events_read(console_events *ev, events_snapshot *out);

#endif
