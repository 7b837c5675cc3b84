/* POLLRDHUP (a peer's close, told apart from data to read) is Linux's. */
#define _GNU_SOURCE
#include "longpoll.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "auth.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "longpoll_heap.h"

/* The thread wakes at least this often, so its heartbeat stays fresh
 * while nothing happens. */
#define LONGPOLL_BEAT_MS 1000
/* Item waiters and token owners are hashed into this many buckets. */
#define LONGPOLL_BUCKETS 4096
#define LONGPOLL_EVENTS 256

/* Invariants, under lock: every waiter is in one watch list (feed,
 * events, its item's bucket, or `check`), in `deadlines`, in its owner's
 * bucket, and when poll_fd >= 0 in `by_fd` and the epoll set; `count`
 * is their number.  A request leaves all of them but the epoll set
 * together (remove_waiter) before it is resumed; the set may hold sockets
 * no waiter owns, whose events by_fd turns away. */
struct longpoll {
  pthread_mutex_t lock;
  pthread_t thread;
  bool running;
  int epfd;                  /* hung-up sockets of waiters, and wakefd */
  int wakefd;                /* an eventfd: changes and new deadlines */
  http_request *feed;
  http_request *events;
  http_request *items[LONGPOLL_BUCKETS];
  http_request *check;       /* woken, to run poll_ready() on the thread */
  bool recheck_auth;
  http_request *owners[LONGPOLL_BUCKETS];
  longpoll_heap deadlines;
  http_request **by_fd;      /* waiter by socket, to check an epoll event */
  size_t by_fd_cap;
  uint64_t next_seq;
  _Atomic int count;
  _Atomic uint64_t checks;
  _Atomic uint64_t gone;
  _Atomic uint64_t wakes;
  _Atomic int64_t beat_ms;   /* monotonic time the thread last went round */
};

static size_t hash_text(const char *s)
{
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)(h % LONGPOLL_BUCKETS);
}

static size_t hash_owner(uint64_t owner)
{
  return (size_t)((owner * 11400714819323198485ull) >> 52) % LONGPOLL_BUCKETS;
}

static void list_push(http_request **head, http_request *r)
{
  r->poll.list = head;
  r->poll.prev = NULL;
  r->poll.next = *head;
  if (*head)
    (*head)->poll.prev = r;
  *head = r;
}

static void list_unlink(http_request *r)
{
  if (r->poll.prev)
    r->poll.prev->poll.next = r->poll.next;
  else
    *r->poll.list = r->poll.next;
  if (r->poll.next)
    r->poll.next->poll.prev = r->poll.prev;
  r->poll.prev = r->poll.next = NULL;
  r->poll.list = NULL;
}

/* The list a waiter of this key is filed in. */
static http_request **watch_list(longpoll *lp, http_request *r)
{
  if (r->poll.watch == WATCH_FEED)
    return &lp->feed;
  if (r->poll.watch == WATCH_EVENTS)
    return &lp->events;
  return &lp->items[hash_text(r->poll.item)];
}

static void owner_push(longpoll *lp, http_request *r)
{
  http_request **head = &lp->owners[hash_owner(r->poll.owner)];
  r->poll.owner_prev = NULL;
  r->poll.owner_next = *head;
  if (*head)
    (*head)->poll.owner_prev = r;
  *head = r;
}

static void owner_unlink(longpoll *lp, http_request *r)
{
  if (r->poll.owner_prev)
    r->poll.owner_prev->poll.owner_next = r->poll.owner_next;
  else
    lp->owners[hash_owner(r->poll.owner)] = r->poll.owner_next;
  if (r->poll.owner_next)
    r->poll.owner_next->poll.owner_prev = r->poll.owner_prev;
  r->poll.owner_prev = r->poll.owner_next = NULL;
}

/* Takes r out of every structure; the caller holds lp->lock. */
static void remove_waiter(longpoll *lp, http_request *r)
{
  list_unlink(r);
  longpoll_heap_remove(&lp->deadlines, r);
  owner_unlink(lp, r);
  if (r->poll.fd >= 0) {
    /* The socket stays in the epoll set (see watch_socket): a wake-up of
     * thousands then costs no system call each.  Its events are ignored
     * from here on, since by_fd no longer names a waiter. */
    lp->by_fd[r->poll.fd] = NULL;
    r->poll.fd = -1;
  }
  atomic_fetch_sub(&lp->count, 1);
}

/* Resumes r; the caller holds lp->lock and has removed r. */
static void finish(http_request *r, http_poll_state state)
{
  r->poll.state = state;
  MHD_resume_connection(r->conn);
}

static void end_waiter(longpoll *lp, http_request *r, http_poll_state state)
{
  remove_waiter(lp, r);
  finish(r, state);
}

static void signal_thread(longpoll *lp)
{
  uint64_t one = 1;
  /* A full counter already means "wake up"; nothing else can fail here. */
  if (write(lp->wakefd, &one, sizeof one) < 0 && errno != EAGAIN)
    LOBBY_WARN("longpoll: cannot wake the thread: %s", strerror(errno));
}

/* False when r came with a bearer token that no longer authenticates.
 * Tokens are looked up again only after a revocation cleared the token
 * cache, so a check costs nothing more in the common case.  The suspended
 * connection's headers are not touched by libmicrohttpd meanwhile. */
static bool still_authorized(http_request *r)
{
  uint64_t generation = auth_cache_generation(r->d->tokens);
  if (!r->authed || r->session.via_session || generation == r->poll.auth_generation)
    return true;
  r->poll.auth_generation = generation;
  lobby_principal who;
  const char *authorization = http_header(r, "Authorization");
  return auth_bearer(r->d->store, r->d->tokens, authorization, &who) == LOBBY_OK;
}

/* Runs poll_ready() on the woken waiters; those not ready go back under
 * their key. */
static void check_woken(longpoll *lp)
{
  while (lp->check) {
    http_request *r = lp->check;
    if (!still_authorized(r)) {
      end_waiter(lp, r, POLL_REVOKED);
      continue;
    }
    atomic_fetch_add_explicit(&lp->checks, 1, memory_order_relaxed);
    if (r->poll.ready(r)) {
      end_waiter(lp, r, POLL_READY);
      continue;
    }
    list_unlink(r);
    list_push(watch_list(lp, r), r);
  }
}

/* After a revocation: ends the waiters whose token no longer works. */
static void check_auth(longpoll *lp)
{
  size_t n = lp->deadlines.count, revoked = 0;
  if (n == 0)
    return;
  http_request **list = malloc(n * sizeof *list);
  if (!list) {
    lp->recheck_auth = true; /* try again at the next turn */
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (!still_authorized(lp->deadlines.items[i]))
      list[revoked++] = lp->deadlines.items[i];
  for (size_t i = 0; i < revoked; i++)
    end_waiter(lp, list[i], POLL_REVOKED);
  free(list);
}

/* Ends the waiters past their deadline; returns the next deadline. */
static int64_t expire(longpoll *lp, int64_t now, int64_t next)
{
  http_request *top;
  while ((top = longpoll_heap_top(&lp->deadlines)) && top->poll.deadline_ms <= now)
    end_waiter(lp, top, POLL_TIMEOUT);
  if (top && top->poll.deadline_ms < next)
    next = top->poll.deadline_ms;
  return next;
}

/* True when the socket's peer has closed or reset it.  Asked again
 * because the epoll event may be stale: its waiter may have ended and the
 * fd number been reused by a new waiter meanwhile. */
static bool hung_up(int fd)
{
  struct pollfd p = {.fd = fd, .events = POLLRDHUP};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static void on_socket_events(longpoll *lp, const struct epoll_event *ev, int n)
{
  for (int i = 0; i < n; i++) {
    int fd = ev[i].data.fd;
    if (fd == lp->wakefd) {
      uint64_t value;
      if (read(lp->wakefd, &value, sizeof value) < 0 && errno != EAGAIN)
        LOBBY_WARN("longpoll: reading the wake-up counter: %s", strerror(errno));
      continue;
    }
    http_request *r = (size_t)fd < lp->by_fd_cap ? lp->by_fd[fd] : NULL;
    if (r && hung_up(fd)) {
      atomic_fetch_add_explicit(&lp->gone, 1, memory_order_relaxed);
      end_waiter(lp, r, POLL_GONE);
    }
  }
}

static void *longpoll_thread(void *arg)
{
  longpoll *lp = arg;
  struct epoll_event ev[LONGPOLL_EVENTS];
  pthread_mutex_lock(&lp->lock);
  while (lp->running) {
    check_woken(lp);
    if (lp->recheck_auth) {
      lp->recheck_auth = false;
      check_auth(lp);
    }
    int64_t now = lobby_monotonic_ms();
    atomic_store_explicit(&lp->beat_ms, now, memory_order_relaxed);
    int64_t next = expire(lp, now, now + LONGPOLL_BEAT_MS);
    if (lp->check || lp->recheck_auth || !lp->running)
      continue;
    int timeout = next > now ? (int)(next - now) : 0;
    pthread_mutex_unlock(&lp->lock);
    int n = epoll_wait(lp->epfd, ev, LONGPOLL_EVENTS, timeout);
    pthread_mutex_lock(&lp->lock);
    if (n > 0)
      on_socket_events(lp, ev, n);
  }
  pthread_mutex_unlock(&lp->lock);
  return NULL;
}

static void longpoll_free(longpoll *lp)
{
  if (lp->epfd >= 0)
    close(lp->epfd);
  if (lp->wakefd >= 0)
    close(lp->wakefd);
  longpoll_heap_free(&lp->deadlines);
  free(lp->by_fd);
  pthread_mutex_destroy(&lp->lock);
  free(lp);
}

lobby_err longpoll_start(longpoll **out)
{
  longpoll *lp = calloc(1, sizeof *lp);
  if (!lp)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&lp->lock, NULL);
  lp->running = true;
  atomic_init(&lp->beat_ms, lobby_monotonic_ms());
  lp->epfd = epoll_create1(EPOLL_CLOEXEC);
  lp->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN};
  ev.data.fd = lp->wakefd;
  if (lp->epfd < 0 || lp->wakefd < 0 || epoll_ctl(lp->epfd, EPOLL_CTL_ADD, lp->wakefd, &ev) < 0) {
    LOBBY_ERROR("longpoll: cannot set up epoll: %s", strerror(errno));
    longpoll_free(lp);
    return LOBBY_EIO;
  }
  if (pthread_create(&lp->thread, NULL, longpoll_thread, lp) != 0) {
    longpoll_free(lp);
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
  signal_thread(lp);
  pthread_mutex_unlock(&lp->lock);
  pthread_join(lp->thread, NULL);
  longpoll_free(lp);
}

/* The token a request came with, as one number: kiosks and staff have
 * separate id spaces. */
static uint64_t owner_of(const http_request *r)
{
  return ((uint64_t)r->who.id << 3) | (uint64_t)r->who.role;
}

/* With `cap` waiters of r's token already waiting, ends the oldest. */
static void enforce_cap(longpoll *lp, http_request *r, int cap)
{
  http_request *oldest = NULL;
  int mine = 0;
  for (http_request *w = lp->owners[hash_owner(r->poll.owner)]; w; w = w->poll.owner_next) {
    if (w->poll.owner != r->poll.owner)
      continue;
    mine++;
    if (!oldest || w->poll.seq < oldest->poll.seq)
      oldest = w;
  }
  if (oldest && mine >= cap)
    end_waiter(lp, oldest, POLL_TIMEOUT);
}

/* Files r's socket in the hang-up watch.  Without it r still works; it
 * just waits out its deadline when the client leaves. */
static void watch_socket(longpoll *lp, http_request *r)
{
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  r->poll.fd = -1;
  if (!info || info->connect_fd < 0)
    return;
  int fd = info->connect_fd;
  if ((size_t)fd >= lp->by_fd_cap) {
    size_t cap = lp->by_fd_cap ? lp->by_fd_cap : 1024;
    while (cap <= (size_t)fd)
      cap *= 2;
    http_request **grown = realloc(lp->by_fd, cap * sizeof *grown);
    if (!grown)
      return;
    memset(grown + lp->by_fd_cap, 0, (cap - lp->by_fd_cap) * sizeof *grown);
    lp->by_fd = grown;
    lp->by_fd_cap = cap;
  }
  /* No EPOLLIN: a pipelined request waiting in the socket is no hang-up.
   * Edge-triggered, because a socket stays in the set after its wait
   * ends, until MHD closes it (the kernel then drops it) or its next wait
   * re-arms it here (EEXIST, then MOD reports a hang-up already there). */
  struct epoll_event ev = {.events = EPOLLRDHUP | EPOLLHUP | EPOLLET};
  ev.data.fd = fd;
  if (epoll_ctl(lp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 &&
      (errno != EEXIST || epoll_ctl(lp->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)) {
    LOBBY_DEBUG("longpoll: cannot watch socket %d: %s", fd, strerror(errno));
    return;
  }
  lp->by_fd[fd] = r;
  r->poll.fd = fd;
}

enum MHD_Result longpoll_wait(longpoll *lp, http_request *r, http_poll_watch watch,
                              int64_t wait_ms)
{
  r->poll.watch = watch;
  /* Without a connection (tests/fuzz) there is nothing to suspend: the
   * wait ends at once as if it had timed out. */
  if (!r->conn) {
    r->poll.state = POLL_TIMEOUT;
    return r->poll.answer(r);
  }
  r->poll.deadline_ms = lobby_monotonic_ms() + wait_ms;
  r->poll.auth_generation = auth_cache_generation(r->d->tokens);
  r->poll.owner = owner_of(r);
  int cap = r->d->cfg->limits.longpolls_per_token;
  /* Suspend and file under the lock, so the thread cannot resume r
   * before it is suspended. */
  pthread_mutex_lock(&lp->lock);
  if (longpoll_heap_push(&lp->deadlines, r) != LOBBY_OK) {
    pthread_mutex_unlock(&lp->lock);
    r->poll.state = POLL_TIMEOUT; /* out of memory: answer as if the wait ended */
    return r->poll.answer(r);
  }
  /* Bearer tokens only: the console's tabs share one session cookie, and
   * a cap there would have a 5th tab and the others evict each other in
   * turn. */
  if (r->authed && !r->session.via_session && cap > 0)
    enforce_cap(lp, r, cap);
  r->poll.state = POLL_WAITING;
  r->poll.seq = lp->next_seq++;
  list_push(watch_list(lp, r), r);
  owner_push(lp, r);
  atomic_fetch_add(&lp->count, 1);
  MHD_suspend_connection(r->conn);
  watch_socket(lp, r);
  signal_thread(lp); /* a new earliest deadline */
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

/* Moves the waiters of *head that match to the re-check list. */
static bool move_to_check(longpoll *lp, http_request **head, const char *item)
{
  bool moved = false;
  http_request *r = *head;
  while (r) {
    http_request *following = r->poll.next;
    if (!item || strcmp(r->poll.item, item) == 0) {
      list_unlink(r);
      list_push(&lp->check, r);
      moved = true;
    }
    r = following;
  }
  return moved;
}

/* Moves the waiters of every item to the re-check list. */
static bool move_all_items(longpoll *lp)
{
  bool moved = false;
  for (size_t i = 0; i < LONGPOLL_BUCKETS; i++)
    moved |= move_to_check(lp, &lp->items[i], NULL);
  return moved;
}

void longpoll_notify(longpoll *lp, const longpoll_keys *keys)
{
  if (!lp)
    return;
  bool moved = false;
  pthread_mutex_lock(&lp->lock);
  if (keys->feed)
    moved |= move_to_check(lp, &lp->feed, NULL);
  if (keys->events)
    moved |= move_to_check(lp, &lp->events, NULL);
  if (keys->all_visits)
    moved |= move_all_items(lp);
  else if (keys->item)
    moved |= move_to_check(lp, &lp->items[hash_text(keys->item)], keys->item);
  if (keys->recheck_auth)
    lp->recheck_auth = true;
  if (moved || keys->recheck_auth) {
    atomic_fetch_add_explicit(&lp->wakes, 1, memory_order_relaxed);
    signal_thread(lp);
  }
  pthread_mutex_unlock(&lp->lock);
}

void longpoll_release_all(longpoll *lp)
{
  if (!lp)
    return;
  pthread_mutex_lock(&lp->lock);
  http_request *r;
  while ((r = longpoll_heap_top(&lp->deadlines)))
    end_waiter(lp, r, POLL_TIMEOUT);
  pthread_mutex_unlock(&lp->lock);
}

int longpoll_count(longpoll *lp)
{
  return atomic_load(&lp->count);
}

void longpoll_read_stats(longpoll *lp, longpoll_stats *out)
{
  out->checks = atomic_load_explicit(&lp->checks, memory_order_relaxed);
  out->gone = atomic_load_explicit(&lp->gone, memory_order_relaxed);
  out->wakes = atomic_load_explicit(&lp->wakes, memory_order_relaxed);
}

int64_t longpoll_heartbeat_ms(longpoll *lp)
{
  return atomic_load_explicit(&lp->beat_ms, memory_order_relaxed);
}
