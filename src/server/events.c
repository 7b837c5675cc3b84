#include "events.h"

#include <pthread.h>
#include <stdlib.h>

const char *const events_topic_names[EV_TOPIC_COUNT] = {"repairs", "visits", "notices", "kiosks",
                                                        "staff"};

struct console_events {
  pthread_mutex_t lock;
  events_snapshot now;
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

void events_bump(console_events *ev, unsigned topics)
{
  if (!ev)
    return;
  pthread_mutex_lock(&ev->lock);
  for (int i = 0; i < EV_TOPIC_COUNT; i++)
    if (topics & (1u << i)) {
      ev->now.topic[i]++;
      ev->now.total++;
    }
  pthread_mutex_unlock(&ev->lock);
}

void events_read(console_events *ev, events_snapshot *out)
{
  pthread_mutex_lock(&ev->lock);
  *out = ev->now;
  pthread_mutex_unlock(&ev->lock);
}
