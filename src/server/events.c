#include "events.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "auth.h"
#include "feed.h"
#include "longpoll.h"

const char *const events_topic_names[EV_TOPIC_COUNT] = {"repairs", "visits", "notices", "kiosks",
                                                        "staff", "complaints", "releases",
                                                        "renovations"};

struct console_events {
  pthread_mutex_t lock;
  events_snapshot now;
  feed_cache *feed;
  auth_cache *tokens;
  _Atomic(longpoll *) poll;
  events_relay relay;        /* .send NULL: this instance alone */
};

lobby_err events_create(feed_cache *feed, auth_cache *tokens, console_events **out)
{
  console_events *ev = calloc(1, sizeof *ev);
  if (!ev)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&ev->lock, NULL);
  ev->feed = feed;
  ev->tokens = tokens;
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

/* Moves the touched topics' counters: by one, or, with a shared
 * sequence, up to seq (never down: notifications may overtake each
 * other's numbers only by arriving late, and a counter that went back
 * would make a waiting console miss the change). */
static void bump(console_events *ev, unsigned topics, uint64_t seq)
{
  pthread_mutex_lock(&ev->lock);
  for (int i = 0; i < EV_TOPIC_COUNT; i++) {
    if (!(topics & (1u << i)))
      continue;
    if (seq == 0) {
      ev->now.topic[i]++;
      ev->now.total++;
    } else if (seq > ev->now.topic[i]) {
      ev->now.topic[i] = seq;
    }
  }
  if (seq > ev->now.total)
    ev->now.total = seq;
  pthread_mutex_unlock(&ev->lock);
}

static void announce(console_events *ev, const lobby_change *change, uint64_t seq)
{
  /* Feeds and counters first: a woken waiter must read the new ones. */
  if (change->feed)
    feed_invalidate(ev->feed);
  if (change->topics)
    bump(ev, change->topics, seq);
  longpoll_keys keys = {
    .events = change->topics != 0,
    .feed = change->feed,
    .all_visits = change->all_visits,
    .item = change->item[0] ? change->item : NULL,
    .recheck_auth = (change->topics & (EV_KIOSKS | EV_STAFF)) != 0,
  };
  longpoll_notify(atomic_load(&ev->poll), &keys);
}

void events_publish(console_events *ev, const lobby_change *change)
{
  if (!ev || (!change->topics && !change->feed && !change->all_visits && !change->item[0]))
    return;
  uint64_t seq = 0;
  pthread_mutex_lock(&ev->lock);
  events_relay relay = ev->relay;
  pthread_mutex_unlock(&ev->lock);
  /* A change the others could not be told of still counts here; its
   * topics then move by one past the last shared number. */
  if (relay.send && relay.send(relay.ctx, change, &seq) != LOBBY_OK) {
    events_snapshot now;
    events_read(ev, &now);
    seq = now.total + 1;
  }
  announce(ev, change, seq);
}

void events_set_relay(console_events *ev, const events_relay *relay, uint64_t start_seq)
{
  pthread_mutex_lock(&ev->lock);
  ev->relay = relay ? *relay : (events_relay){0};
  for (int i = 0; i < EV_TOPIC_COUNT; i++)
    if (ev->now.topic[i] < start_seq)
      ev->now.topic[i] = start_seq;
  if (ev->now.total < start_seq)
    ev->now.total = start_seq;
  pthread_mutex_unlock(&ev->lock);
}

void events_apply_remote(console_events *ev, const lobby_change *change, uint64_t seq)
{
  /* A token revoked or a staff member disabled elsewhere: forget every
   * cached token, so the next request checks the database. */
  if (change->topics & (EV_KIOSKS | EV_STAFF))
    auth_cache_clear(ev->tokens);
  announce(ev, change, seq);
}

void events_read(console_events *ev, events_snapshot *out)
{
  pthread_mutex_lock(&ev->lock);
  *out = ev->now;
  pthread_mutex_unlock(&ev->lock);
}
