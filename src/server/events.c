#include "events.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "longpoll.h"

const char *const events_topic_names[EV_TOPIC_COUNT] = {"repairs", "visits", "notices", "kiosks",
                                                        "staff"};

struct console_events {
  pthread_mutex_t lock;
  events_snapshot now;
  _Atomic(longpoll *) poll;
};

lobby_err events_create(console_events **out)
{
  console_events *ev = calloc(1, sizeof *ev);
  if (!ev)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&ev->lock, NULL);
  *out = ev;
  return LOBBY_OK;
}

void events_free(console_events *ev)
{
  if (!ev)
    return;
  pthread_mutex_destroy(&ev->lock);
  free(ev);
}

void events_attach(console_events *ev, longpoll *lp)
{
  if (ev)
    atomic_store(&ev->poll, lp);
}

static void bump(console_events *ev, unsigned topics)
{
  pthread_mutex_lock(&ev->lock);
  for (int i = 0; i < EV_TOPIC_COUNT; i++)
    if (topics & (1u << i)) {
      ev->now.topic[i]++;
      ev->now.total++;
    }
  pthread_mutex_unlock(&ev->lock);
}

void events_publish(console_events *ev, const events_change *change)
{
  if (!ev)
    return;
  longpoll *lp = atomic_load(&ev->poll);
  if (change->topics) {
    /* Counters first: a woken console waiter must read the new ones. */
    bump(ev, change->topics);
    longpoll_wake(lp, WATCH_EVENTS, NULL);
  }
  if (change->topics & (EV_KIOSKS | EV_STAFF))
    longpoll_recheck_auth(lp);
  if (change->feed)
    longpoll_wake(lp, WATCH_FEED, NULL);
  if (change->all_visits)
    longpoll_wake(lp, WATCH_VISIT, NULL);
  else if (change->visit)
    longpoll_wake(lp, WATCH_VISIT, change->visit);
}

void events_read(console_events *ev, events_snapshot *out)
{
  pthread_mutex_lock(&ev->lock);
  *out = ev->now;
  pthread_mutex_unlock(&ev->lock);
}
