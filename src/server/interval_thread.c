/* The interval thread (interval_thread.h). */
#include "interval_thread.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

/* Invariant: `running` is read and written under `lock`, and `stop` is
 * signalled under it, so a stop is never missed between a round and the
 * next wait. */
struct interval_thread {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t stop;      /* on CLOCK_MONOTONIC */
  bool running;
  int64_t interval_ms;
  interval_round_fn round;
  void *ctx;
};

static void deadline_after(struct timespec *at, int64_t ms)
{
  clock_gettime(CLOCK_MONOTONIC, at);
  at->tv_sec += ms / 1000;
  at->tv_nsec += (long)(ms % 1000) * 1000000L;
  if (at->tv_nsec >= 1000000000L) {
    at->tv_sec++;
    at->tv_nsec -= 1000000000L;
  }
}

static void *run(void *arg)
{
  interval_thread *t = arg;
  pthread_mutex_lock(&t->lock);
  while (t->running) {
    struct timespec at;
    int waited = 0;
    deadline_after(&at, t->interval_ms);
    while (t->running && waited != ETIMEDOUT)
      waited = pthread_cond_timedwait(&t->stop, &t->lock, &at);
    if (!t->running)
      break;
    /* A round may take long or publish changes: never under the lock,
     * so a stop asked meanwhile waits only for this round. */
    pthread_mutex_unlock(&t->lock);
    t->round(t->ctx);
    pthread_mutex_lock(&t->lock);
  }
  pthread_mutex_unlock(&t->lock);
  return NULL;
}

static void thread_free(interval_thread *t)
{
  pthread_cond_destroy(&t->stop);
  pthread_mutex_destroy(&t->lock);
  free(t);
}

lobby_err interval_thread_start(int64_t interval_ms, interval_round_fn round, void *ctx,
                                interval_thread **out)
{
  interval_thread *t = calloc(1, sizeof *t);
  pthread_condattr_t attr;
  if (!t)
    return LOBBY_ENOMEM;
  t->running = true;
  t->interval_ms = interval_ms;
  t->round = round;
  t->ctx = ctx;
  pthread_mutex_init(&t->lock, NULL);
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&t->stop, &attr);
  pthread_condattr_destroy(&attr);
  if (pthread_create(&t->thread, NULL, run, t) != 0) {
    thread_free(t);
    return LOBBY_EIO;
  }
  *out = t;
  return LOBBY_OK;
}

void interval_thread_stop(interval_thread *t)
{
  if (!t)
    return;
  pthread_mutex_lock(&t->lock);
  t->running = false;
  pthread_cond_signal(&t->stop);
  pthread_mutex_unlock(&t->lock);
  pthread_join(t->thread, NULL);
  thread_free(t);
}
