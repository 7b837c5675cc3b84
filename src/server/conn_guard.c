#include "conn_guard.h"

#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "interval_thread.h"
#include "lobby_log.h"

#define ADDR_BUCKETS 4096
#define SHARDS_MAX 64
/* How often connections past their deadline or idle are shut down. */
#define SWEEP_INTERVAL_MS 1000

/* One client address and how many connections it holds; in the table
 * only while count > 0. */
typedef struct addr_count {
  uint8_t addr[16];
  unsigned count;
  struct addr_count *next;
} addr_count;

/* Where a connection is: its request arriving (timed by the deadline),
 * handled (a handler or a suspended long-poll has it: not timed here), or
 * between requests (timed by the idle timeout from the last answer: a
 * next request line dribbled a byte at a time resets MHD's idle timer
 * but not this one). */
typedef enum { PHASE_REQUEST, PHASE_HANDLED, PHASE_BETWEEN } conn_phase;

typedef struct guard_shard guard_shard;

/* One open connection: MHD's socket_context.  fd stays open while the
 * entry is in its shard's list (MHD closes the socket only after the
 * CLOSED notification removed it), so the sweep may shut it down under
 * the shard's lock. */
typedef struct conn_entry {
  conn_guard *g;
  guard_shard *shard;   /* whose lock guards the fields below */
  int fd;
  uint8_t addr[16];
  bool counted;         /* addr holds one count for this connection */
  conn_phase phase;
  bool shut;            /* shutdown() already called */
  bool arriving;        /* in the guard's arriving queue */
  int64_t since_ms;     /* when the phase began */
  struct conn_entry *prev, *next;
  struct conn_entry *arr_prev, *arr_next;
} conn_entry;

/* The connections of one of libmicrohttpd's worker threads (a thread
 * picks its shard the first time it calls in).  Every request changes
 * its connection's phase three times; with one lock for all
 * connections, the worker threads queued on it and a preempted holder
 * stalled the others for milliseconds.  A connection stays with the
 * thread that accepted it, so its shard's lock is almost never
 * contended (the sweep takes it once a second). */
struct guard_shard {
  _Alignas(64) pthread_mutex_t lock; /* guards the fields below */
  conn_entry *conns;
  /* The shard's connections whose request is arriving and not yet shut
   * down, oldest first: the ones shed when too many arrive at once. */
  conn_entry *arr_head, *arr_tail;
};

struct conn_guard {
  guard_shard shards[SHARDS_MAX];
  unsigned shard_count;
  _Atomic unsigned next_shard;
  _Atomic unsigned conn_count;
  _Atomic unsigned arr_count;
  pthread_mutex_t addr_lock; /* guards buckets */
  addr_count *buckets[ADDR_BUCKETS];
  interval_thread *sweeper;
  unsigned connection_limit; /* MHD's, fixed at start */
  _Atomic int deadline_s;
  _Atomic int per_address;
  _Atomic int arriving_max;
  _Atomic unsigned long shed;
  int idle_s;             /* fixed: MHD's idle timeout, set at start */
};

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The peer as 16 bytes of IPv6, IPv4 as ::ffff:a.b.c.d so both forms of
 * one IPv4 address count together.  Returns false for other families. */
static bool addr_key(const struct sockaddr *sa, socklen_t len, uint8_t key[16])
{
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!sa)
    return false;
  if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    memcpy(key, mapped, sizeof mapped);
    memcpy(key + 12, &in->sin_addr, 4);
    return true;
  }
  if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
    memcpy(key, &in6->sin6_addr, 16);
    return true;
  }
  return false;
}

static unsigned addr_hash(const uint8_t key[16])
{
  uint32_t h = 2166136261u; /* FNV-1a */
  for (int i = 0; i < 16; i++)
    h = (h ^ key[i]) * 16777619u;
  return h % ADDR_BUCKETS;
}

/* The address's slot, or NULL; with addr_lock held. */
static addr_count **addr_find(conn_guard *g, const uint8_t key[16])
{
  addr_count **p = &g->buckets[addr_hash(key)];
  while (*p && memcmp((*p)->addr, key, 16) != 0)
    p = &(*p)->next;
  return p;
}

/* Adds one connection to key's count; returns the new count, 0 when out
 * of memory (the connection is then not counted). */
static unsigned addr_add(conn_guard *g, const uint8_t key[16])
{
  addr_count **p = addr_find(g, key);
  if (!*p) {
    addr_count *a = calloc(1, sizeof *a);
    if (!a)
      return 0;
    memcpy(a->addr, key, 16);
    *p = a;
  }
  return ++(*p)->count;
}

static void addr_remove(conn_guard *g, const uint8_t key[16])
{
  addr_count **p = addr_find(g, key);
  if (!*p)
    return;
  if (--(*p)->count == 0) {
    addr_count *gone = *p;
    *p = gone->next;
    free(gone);
  }
}

static unsigned addr_current(conn_guard *g, const uint8_t key[16])
{
  addr_count **p = addr_find(g, key);
  return *p ? (*p)->count : 0;
}

/* The calling thread's shard: libmicrohttpd's worker threads each take
 * the next one the first time they call in. */
static guard_shard *thread_shard(conn_guard *g)
{
  static _Thread_local unsigned mine = UINT_MAX;
  if (mine == UINT_MAX)
    mine = atomic_fetch_add_explicit(&g->next_shard, 1, memory_order_relaxed);
  return &g->shards[mine % g->shard_count];
}

/* The arriving queue; with e's shard locked. */
static void arriving_push(conn_entry *e)
{
  guard_shard *s = e->shard;
  if (e->arriving || e->shut)
    return;
  e->arriving = true;
  e->arr_next = NULL;
  e->arr_prev = s->arr_tail;
  if (s->arr_tail)
    s->arr_tail->arr_next = e;
  else
    s->arr_head = e;
  s->arr_tail = e;
  atomic_fetch_add_explicit(&e->g->arr_count, 1, memory_order_relaxed);
}

static void arriving_unlink(conn_entry *e)
{
  guard_shard *s = e->shard;
  if (!e->arriving)
    return;
  if (e->arr_prev)
    e->arr_prev->arr_next = e->arr_next;
  else
    s->arr_head = e->arr_next;
  if (e->arr_next)
    e->arr_next->arr_prev = e->arr_prev;
  else
    s->arr_tail = e->arr_prev;
  e->arr_prev = e->arr_next = NULL;
  e->arriving = false;
  atomic_fetch_sub_explicit(&e->g->arr_count, 1, memory_order_relaxed);
}

/* Shuts e down; MHD sees the socket end and closes the connection.  With
 * e's shard locked. */
static void shut_entry(conn_entry *e)
{
  (void)shutdown(e->fd, SHUT_RDWR);
  e->shut = true;
  arriving_unlink(e);
}

/* The shard's longest-arriving request other than fresh; locked. */
static conn_entry *oldest_arriving(guard_shard *s, const conn_entry *fresh)
{
  conn_entry *e = s->arr_head;
  return e == fresh ? e->arr_next : e;
}

/* Whether too many requests arrive at once or the connection slots run
 * out. */
static bool must_shed(conn_guard *g)
{
  int max = atomic_load(&g->arriving_max);
  /* A few slots kept free, so a new client is accepted rather than
   * refused at MHD's limit while a shed socket is still closing. */
  unsigned spare = g->connection_limit / 64 + 1;
  unsigned conns = atomic_load_explicit(&g->conn_count, memory_order_relaxed);
  bool slots_short = g->connection_limit && conns + spare >= g->connection_limit;
  bool too_many = max > 0 && atomic_load_explicit(&g->arr_count, memory_order_relaxed) > (unsigned)max;
  return slots_short || too_many;
}

/* Makes room when must_shed: the request that has been arriving longest,
 * in any shard, is shut down, never `fresh` itself.  Slow clients from
 * many addresses (where the per-address cap cannot help) then cannot
 * keep a new client out, and cannot grow the set of sockets
 * libmicrohttpd watches without bound.  A kiosk shed this way retries as
 * after any network error.  With no lock held: it takes each shard's in
 * turn, so it runs only when there is something to shed. */
static void shed_arriving(conn_guard *g, const conn_entry *fresh)
{
  if (!must_shed(g))
    return;
  guard_shard *victim = NULL;
  int64_t since = INT64_MAX;
  for (unsigned i = 0; i < g->shard_count; i++) {
    guard_shard *s = &g->shards[i];
    pthread_mutex_lock(&s->lock);
    const conn_entry *e = oldest_arriving(s, fresh);
    if (e && e->since_ms < since) {
      since = e->since_ms;
      victim = s;
    }
    pthread_mutex_unlock(&s->lock);
  }
  if (!victim)
    return;
  pthread_mutex_lock(&victim->lock);
  /* Its oldest may have moved on meanwhile: the next oldest goes. */
  conn_entry *e = oldest_arriving(victim, fresh);
  if (e) {
    shut_entry(e);
    atomic_fetch_add_explicit(&g->shed, 1, memory_order_relaxed);
  }
  pthread_mutex_unlock(&victim->lock);
}

/* Shuts down what is past the deadline in one shard; with it locked.
 * MHD sees the socket end and closes the connection itself. */
static unsigned sweep_shard(conn_guard *g, guard_shard *s, int64_t now)
{
  int64_t request = (int64_t)atomic_load(&g->deadline_s) * 1000;
  int64_t idle = (int64_t)g->idle_s * 1000;
  unsigned shut = 0;
  for (conn_entry *e = s->conns; e; e = e->next) {
    int64_t limit = e->phase == PHASE_REQUEST ? request : e->phase == PHASE_BETWEEN ? idle : -1;
    if (limit >= 0 && !e->shut && now - e->since_ms >= limit) {
      shut_entry(e);
      shut++;
    }
  }
  return shut;
}

static unsigned sweep_once(conn_guard *g)
{
  unsigned shut = 0;
  int64_t now = now_ms();
  for (unsigned i = 0; i < g->shard_count; i++) {
    pthread_mutex_lock(&g->shards[i].lock);
    shut += sweep_shard(g, &g->shards[i], now);
    pthread_mutex_unlock(&g->shards[i].lock);
  }
  return shut;
}

static void sweep_round(void *arg)
{
  unsigned shut = sweep_once(arg);
  if (shut)
    LOBBY_DEBUG("conn_guard: closed %u connections past the request deadline or idle", shut);
}

static void destroy_locks(conn_guard *g)
{
  pthread_mutex_destroy(&g->addr_lock);
  for (size_t i = 0; i < SHARDS_MAX; i++)
    pthread_mutex_destroy(&g->shards[i].lock);
}

lobby_err conn_guard_create(const conn_guard_limits *limits, conn_guard **out)
{
  /* Aligned so that no two shards' locks share a cache line. */
  conn_guard *g = aligned_alloc(_Alignof(conn_guard), sizeof *g);
  if (!g)
    return LOBBY_ENOMEM;
  memset(g, 0, sizeof *g);
  g->idle_s = limits->idle_s;
  g->connection_limit = limits->connection_limit;
  g->shard_count = limits->threads < 1 ? 1 : limits->threads > SHARDS_MAX ? SHARDS_MAX : limits->threads;
  atomic_init(&g->next_shard, 0);
  atomic_init(&g->conn_count, 0);
  atomic_init(&g->arr_count, 0);
  atomic_init(&g->deadline_s, limits->deadline_s);
  atomic_init(&g->per_address, limits->per_address);
  atomic_init(&g->arriving_max, limits->arriving_max);
  atomic_init(&g->shed, 0);
  for (size_t i = 0; i < SHARDS_MAX; i++)
    pthread_mutex_init(&g->shards[i].lock, NULL);
  pthread_mutex_init(&g->addr_lock, NULL);
  if (interval_thread_start(SWEEP_INTERVAL_MS, sweep_round, g, &g->sweeper) != LOBBY_OK) {
    destroy_locks(g);
    free(g);
    return LOBBY_ENOMEM;
  }
  *out = g;
  return LOBBY_OK;
}

void conn_guard_free(conn_guard *g)
{
  if (!g)
    return;
  interval_thread_stop(g->sweeper);
  /* MHD has stopped, so every CLOSED notification came: nothing is left
   * but, defensively, free whatever is. */
  for (size_t i = 0; i < SHARDS_MAX; i++) {
    while (g->shards[i].conns) {
      conn_entry *e = g->shards[i].conns;
      g->shards[i].conns = e->next;
      free(e);
    }
  }
  for (size_t i = 0; i < ADDR_BUCKETS; i++) {
    while (g->buckets[i]) {
      addr_count *a = g->buckets[i];
      g->buckets[i] = a->next;
      free(a);
    }
  }
  destroy_locks(g);
  free(g);
}

void conn_guard_set_limits(conn_guard *g, const conn_guard_limits *limits)
{
  atomic_store(&g->deadline_s, limits->deadline_s);
  atomic_store(&g->per_address, limits->per_address);
  atomic_store(&g->arriving_max, limits->arriving_max);
}

enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
  conn_guard *g = cls;
  uint8_t key[16];
  int cap = atomic_load(&g->per_address);
  if (cap <= 0 || !addr_key(addr, addrlen, key))
    return MHD_YES;
  pthread_mutex_lock(&g->addr_lock);
  unsigned held = addr_current(g, key);
  pthread_mutex_unlock(&g->addr_lock);
  /* Refusing here closes the socket before MHD allocates anything. */
  return held >= (unsigned)cap ? MHD_NO : MHD_YES;
}

/* Counts e's address; shuts e down when that puts it over the cap. */
static void count_address(conn_guard *g, conn_entry *e)
{
  int cap = atomic_load(&g->per_address);
  pthread_mutex_lock(&g->addr_lock);
  unsigned n = addr_add(g, e->addr);
  pthread_mutex_unlock(&g->addr_lock);
  e->counted = n > 0;
  /* Several threads accept at once: one may pass the accept check
   * before another's connection is counted. */
  if (cap > 0 && n > (unsigned)cap) {
    (void)shutdown(e->fd, SHUT_RDWR);
    e->shut = true;
  }
}

static void conn_started(conn_guard *g, struct MHD_Connection *conn, void **socket_context)
{
  const union MHD_ConnectionInfo *fd_info =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  const union MHD_ConnectionInfo *addr_info =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  conn_entry *e = calloc(1, sizeof *e);
  if (!e || !fd_info) {
    /* Unguarded, so not kept: a connection the guard cannot see could
     * hold its slot for ever. */
    free(e);
    if (fd_info)
      (void)shutdown(fd_info->connect_fd, SHUT_RDWR);
    return;
  }
  e->g = g;
  e->shard = thread_shard(g);
  e->fd = fd_info->connect_fd;
  e->phase = PHASE_REQUEST;
  e->since_ms = now_ms();
  if (addr_info && addr_info->client_addr &&
      addr_key(addr_info->client_addr,
               addr_info->client_addr->sa_family == AF_INET6
                 ? (socklen_t)sizeof(struct sockaddr_in6)
                 : (socklen_t)sizeof(struct sockaddr_in),
               e->addr))
    count_address(g, e);
  guard_shard *s = e->shard;
  pthread_mutex_lock(&s->lock);
  e->next = s->conns;
  if (s->conns)
    s->conns->prev = e;
  s->conns = e;
  atomic_fetch_add_explicit(&g->conn_count, 1, memory_order_relaxed);
  arriving_push(e);
  pthread_mutex_unlock(&s->lock);
  shed_arriving(g, e);
  *socket_context = e;
}

static void conn_closed(conn_guard *g, void **socket_context)
{
  conn_entry *e = *socket_context;
  if (!e)
    return;
  guard_shard *s = e->shard;
  pthread_mutex_lock(&s->lock);
  if (e->prev)
    e->prev->next = e->next;
  else
    s->conns = e->next;
  if (e->next)
    e->next->prev = e->prev;
  arriving_unlink(e);
  pthread_mutex_unlock(&s->lock);
  atomic_fetch_sub_explicit(&g->conn_count, 1, memory_order_relaxed);
  if (e->counted) {
    pthread_mutex_lock(&g->addr_lock);
    addr_remove(g, e->addr);
    pthread_mutex_unlock(&g->addr_lock);
  }
  free(e);
  *socket_context = NULL;
}

void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
  conn_guard *g = cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED)
    conn_started(g, conn, socket_context);
  else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
    conn_closed(g, socket_context);
}

static conn_entry *entry_of(struct MHD_Connection *conn)
{
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info ? info->socket_context : NULL;
}

void *conn_guard_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
  conn_guard *g = cls;
  (void)uri;
  conn_entry *e = entry_of(conn);
  if (!e)
    return NULL;
  pthread_mutex_lock(&e->shard->lock);
  /* The first request's clock started at accept (a TLS handshake and a
   * slow request line count too); a later one's starts here. */
  bool fresh = e->phase != PHASE_REQUEST;
  if (fresh) {
    e->phase = PHASE_REQUEST;
    e->since_ms = now_ms();
    arriving_push(e);
  }
  pthread_mutex_unlock(&e->shard->lock);
  if (fresh)
    shed_arriving(g, e);
  return NULL;
}

static void set_phase(struct MHD_Connection *conn, conn_phase phase)
{
  conn_entry *e = entry_of(conn);
  if (!e)
    return;
  pthread_mutex_lock(&e->shard->lock);
  e->phase = phase;
  e->since_ms = now_ms();
  if (phase != PHASE_REQUEST)
    arriving_unlink(e);
  pthread_mutex_unlock(&e->shard->lock);
}

void conn_guard_request_complete(struct MHD_Connection *conn)
{
  set_phase(conn, PHASE_HANDLED);
}

void conn_guard_request_done(struct MHD_Connection *conn)
{
  set_phase(conn, PHASE_BETWEEN);
}

unsigned conn_guard_count(conn_guard *g)
{
  return atomic_load_explicit(&g->conn_count, memory_order_relaxed);
}

unsigned long conn_guard_shed_count(conn_guard *g)
{
  return atomic_load_explicit(&g->shed, memory_order_relaxed);
}
