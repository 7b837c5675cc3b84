#include "longpoll.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "auth.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"

/* The thread wakes at least this often to run the periodic jobs. */
#define LONGPOLL_TICK_MS 1000

struct longpoll {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  pthread_t thread;
  bool running;
  bool changed;              /* a notify arrived since the last scan */
  http_request *head;        /* waiting requests, doubly linked */
  int count;
  longpoll_tick_fn tick;
  void *tick_ctx;
};

static void unlink_waiter(longpoll *lp, http_request *r)
{
  if (r->poll_prev)
    r->poll_prev->poll_next = r->poll_next;
  else
    lp->head = r->poll_next;
  if (r->poll_next)
    r->poll_next->poll_prev = r->poll_prev;
  r->poll_prev = r->poll_next = NULL;
  lp->count--;
}

/* Resumes r; the caller holds lp->lock and has unlinked r. */
static void finish(http_request *r, http_poll_state state)
{
  r->poll_state = state;
  MHD_resume_connection(r->conn);
}

/* False when r came with a bearer token that no longer authenticates.
 * Tokens are looked up again only after a revocation cleared the token
 * cache, so a scan costs nothing more in the common case.  The suspended
 * connection's headers are not touched by libmicrohttpd meanwhile. */
static bool still_authorized(http_request *r)
{
  uint64_t generation = auth_cache_generation(r->d->tokens);
  if (!r->authed || r->via_session || generation == r->poll_auth_generation)
    return true;
  r->poll_auth_generation = generation;
  lobby_principal who;
  const char *authorization = http_header(r, "Authorization");
  return auth_bearer(r->d->store, r->d->tokens, authorization, &who) == LOBBY_OK;
}

/* Resumes waiters that are ready (when check_ready) or past deadline, and
 * returns the earliest remaining deadline. */
static int64_t scan(longpoll *lp, bool check_ready)
{
  int64_t now = lobby_monotonic_ms();
  int64_t next = now + LONGPOLL_TICK_MS;
  http_request *r = lp->head;
  while (r) {
    http_request *following = r->poll_next;
    if (check_ready && !still_authorized(r)) {
      unlink_waiter(lp, r);
      finish(r, POLL_REVOKED);
    } else if (check_ready && r->poll_ready(r)) {
      unlink_waiter(lp, r);
      finish(r, POLL_READY);
    } else if (r->poll_deadline_ms <= now) {
      unlink_waiter(lp, r);
      finish(r, POLL_TIMEOUT);
    } else if (r->poll_deadline_ms < next) {
      next = r->poll_deadline_ms;
    }
    r = following;
  }
  return next;
}

static struct timespec abs_time_ms(int64_t mono_ms)
{
  /* The condition variable uses CLOCK_MONOTONIC (set in longpoll_start). */
  struct timespec ts = {.tv_sec = mono_ms / 1000, .tv_nsec = (mono_ms % 1000) * 1000000};
  return ts;
}

static void *longpoll_thread(void *arg)
{
  longpoll *lp = arg;
  int64_t next_tick = lobby_monotonic_ms() + LONGPOLL_TICK_MS;
  pthread_mutex_lock(&lp->lock);
  while (lp->running) {
    bool check = lp->changed;
    lp->changed = false;
    int64_t next = scan(lp, check);
    if (lobby_monotonic_ms() >= next_tick) {
      /* The tick may notify (a notice started); it must not hold our lock. */
      pthread_mutex_unlock(&lp->lock);
      lp->tick(lp->tick_ctx);
      pthread_mutex_lock(&lp->lock);
      next_tick = lobby_monotonic_ms() + LONGPOLL_TICK_MS;
    }
    if (next > next_tick)
      next = next_tick;
    if (!lp->changed && lp->running) {
      struct timespec ts = abs_time_ms(next);
      pthread_cond_timedwait(&lp->cond, &lp->lock, &ts);
    }
  }
  pthread_mutex_unlock(&lp->lock);
  return NULL;
}

lobby_err longpoll_start(longpoll_tick_fn tick, void *tick_ctx, longpoll **out)
{
  longpoll *lp = calloc(1, sizeof *lp);
  if (!lp)
    return LOBBY_ENOMEM;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&lp->cond, &attr);
  pthread_condattr_destroy(&attr);
  pthread_mutex_init(&lp->lock, NULL);
  lp->running = true;
  lp->tick = tick;
  lp->tick_ctx = tick_ctx;
  if (pthread_create(&lp->thread, NULL, longpoll_thread, lp) != 0) {
    free(lp);
    return LOBBY_EIO;
  }
  *out = lp;
  return LOBBY_OK;
}

void longpoll_stop(longpoll *lp)
{
  if (!lp)
    return;
  pthread_mutex_lock(&lp->lock);
  lp->running = false;
  pthread_cond_signal(&lp->cond);
  pthread_mutex_unlock(&lp->lock);
  pthread_join(lp->thread, NULL);
  pthread_cond_destroy(&lp->cond);
  pthread_mutex_destroy(&lp->lock);
  free(lp);
}

enum MHD_Result longpoll_wait(longpoll *lp, http_request *r, int64_t wait_ms)
{
  /* Without a connection (tests/fuzz) there is nothing to suspend: the
   * wait ends at once as if it had timed out. */
  if (!r->conn) {
    r->poll_state = POLL_TIMEOUT;
    return r->poll_answer(r);
  }
  r->poll_deadline_ms = lobby_monotonic_ms() + wait_ms;
  r->poll_state = POLL_WAITING;
  r->poll_auth_generation = auth_cache_generation(r->d->tokens);
  /* Suspend and link under the lock, so the thread cannot resume r before
   * it is suspended. */
  pthread_mutex_lock(&lp->lock);
  MHD_suspend_connection(r->conn);
  r->poll_prev = NULL;
  r->poll_next = lp->head;
  if (lp->head)
    lp->head->poll_prev = r;
  lp->head = r;
  lp->count++;
  pthread_cond_signal(&lp->cond);
  pthread_mutex_unlock(&lp->lock);
  return MHD_YES;
}

bool longpoll_query_wait(http_request *r, int max, int *wait_s, enum MHD_Result *ret)
{
  const char *text = http_query(r, "wait");
  *wait_s = 0;
  if (!text)
    return true;
  int64_t w;
  if (lobby_parse_int64(text, 0, max, &w) != LOBBY_OK) {
    *ret = http_fail(r, 400, "invalid_field", "wait: must be 0 to %d seconds", max);
    return false;
  }
  *wait_s = (int)w;
  return true;
}

void longpoll_notify(longpoll *lp)
{
  pthread_mutex_lock(&lp->lock);
  lp->changed = true;
  pthread_cond_signal(&lp->cond);
  pthread_mutex_unlock(&lp->lock);
}

void longpoll_release_all(longpoll *lp)
{
  if (!lp)
    return;
  pthread_mutex_lock(&lp->lock);
  while (lp->head) {
    http_request *r = lp->head;
    unlink_waiter(lp, r);
    finish(r, POLL_TIMEOUT);
  }
  pthread_mutex_unlock(&lp->lock);
}

int longpoll_count(longpoll *lp)
{
  pthread_mutex_lock(&lp->lock);
  int n = lp->count;
  pthread_mutex_unlock(&lp->lock);
  return n;
}
