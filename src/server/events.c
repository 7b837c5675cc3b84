#include "events.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "feed.h"
#include "longpoll.h"

const char *const events_topic_names[EV_TOPIC_COUNT] = {"repairs", "visits", "notices", "kiosks",
                                                        "staff"};

struct console_events {
  pthread_mutex_t lock;
  events_snapshot now;
  feed_cache *feed;
  _Atomic(longpoll *) poll;
};

lobby_err events_create(feed_cache *feed, console_events **out)
{
  console_events *ev = calloc(1, sizeof *ev);
  if (!ev)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&ev->lock, NULL);
  ev->feed = feed;
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

void events_publish(console_events *ev, const lobby_change *change)
{
  if (!ev)
    return;
  /* Feeds and counters first: a woken waiter must read the new ones. */
  if (change->feed)
    feed_invalidate(ev->feed);
  if (change->topics)
    bump(ev, change->topics);
  longpoll_keys keys = {
    .events = change->topics != 0,
    .feed = change->feed,
    .all_visits = change->all_visits,
    .visit = change->visit[0] ? change->visit : NULL,
    .recheck_auth = (change->topics & (EV_KIOSKS | EV_STAFF)) != 0,
  };
  longpoll_notify(atomic_load(&ev->poll), &keys);
}

void events_read(console_events *ev, events_snapshot *out)
{
  pthread_mutex_lock(&ev->lock);
  *out = ev->now;
  pthread_mutex_unlock(&ev->lock);
}
