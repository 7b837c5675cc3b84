#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define METRICS_SHARDS 16

/* The statuses lobbyd answers; anything else counts as "other". */
static const unsigned statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409,
                                    413, 422, 429, 500, 503};
#define STATUS_SLOTS (sizeof statuses / sizeof statuses[0] + 1)

/* Upper bounds of the latency buckets, in microseconds and as printed. */
static const uint64_t bucket_us[] = {500, 1000, 2500, 5000, 10000, 25000, 50000,
                                     100000, 250000, 500000, 1000000, 2500000};
static const char *const bucket_le[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
                                        "0.05", "0.1", "0.25", "0.5", "1", "2.5"};
#define BUCKETS (sizeof bucket_us / sizeof bucket_us[0])

typedef struct {
  _Alignas(64) _Atomic uint64_t requests[METRICS_MAX_ROUTES][STATUS_SLOTS];
  _Atomic uint64_t buckets[METRICS_MAX_ROUTES][BUCKETS];   /* not cumulative */
  _Atomic uint64_t timed[METRICS_MAX_ROUTES];
  _Atomic uint64_t micros[METRICS_MAX_ROUTES];
} metrics_shard;

struct lobby_metrics {
  size_t routes;
  metrics_route_label_fn label;
  metrics_shard *shards;
  _Atomic unsigned next_shard;
};

lobby_err metrics_create(size_t routes, metrics_route_label_fn label, lobby_metrics **out)
{
  if (routes > METRICS_MAX_ROUTES)
    return LOBBY_EINVAL;
  lobby_metrics *m = calloc(1, sizeof *m);
  if (!m)
    return LOBBY_ENOMEM;
  m->routes = routes;
  m->label = label;
  m->shards = aligned_alloc(64, sizeof(metrics_shard) * METRICS_SHARDS);
  if (!m->shards) {
    free(m);
    return LOBBY_ENOMEM;
  }
  memset(m->shards, 0, sizeof(metrics_shard) * METRICS_SHARDS);
  *out = m;
  return LOBBY_OK;
}

void metrics_free(lobby_metrics *m)
{
  if (!m)
    return;
  free(m->shards);
  free(m);
}

static size_t status_slot(unsigned status)
{
  for (size_t i = 0; i < STATUS_SLOTS - 1; i++)
    if (statuses[i] == status)
      return i;
  return STATUS_SLOTS - 1;
}

/* The calling thread's shard, picked once per thread. */
static metrics_shard *my_shard(lobby_metrics *m)
{
  static _Thread_local int slot = -1;
  if (slot < 0)
    slot = (int)(atomic_fetch_add_explicit(&m->next_shard, 1, memory_order_relaxed) % METRICS_SHARDS);
  return &m->shards[slot];
}

void metrics_request_done(lobby_metrics *m, const http_request *r)
{
  if (!m || r->metric.route >= METRICS_MAX_ROUTES)
    return;
  metrics_shard *s = my_shard(m);
  atomic_fetch_add_explicit(&s->requests[r->metric.route][status_slot(r->metric.status)], 1,
                            memory_order_relaxed);
  if (r->poll.state != POLL_NONE || r->metric.started_ns <= 0)
    return;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - r->metric.started_ns;
  uint64_t us = ns > 0 ? (uint64_t)ns / 1000 : 0;
  size_t b = 0;
  while (b < BUCKETS && us > bucket_us[b])
    b++;
  if (b < BUCKETS)
    atomic_fetch_add_explicit(&s->buckets[r->metric.route][b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->timed[r->metric.route], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->micros[r->metric.route], us, memory_order_relaxed);
}

void metrics_buf_printf(metrics_buf *b, const char *fmt, ...)
{
  va_list ap;
  if (b->failed)
    return;
  for (;;) {
    size_t room = b->cap - b->len;
    va_start(ap, fmt);
    int n = vsnprintf(b->text ? b->text + b->len : NULL, b->text ? room : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->failed = true;
      return;
    }
    if (b->text && (size_t)n < room) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 8192;
    while (cap < b->len + (size_t)n + 1)
      cap *= 2;
    char *grown = realloc(b->text, cap);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->text = grown;
    b->cap = cap;
  }
}

static uint64_t load(const _Atomic uint64_t *v)
{
  return atomic_load_explicit(v, memory_order_relaxed);
}

/* The labels of a route slot: the pattern as written in the route table
 * (":" stands for a captured segment such as a ticket), never the path. */
static void route_labels(const lobby_metrics *m, size_t slot, metrics_buf *b)
{
  const char *method, *pattern;
  m->label(slot, &method, &pattern);
  metrics_buf_printf(b, "method=\"%s\",route=\"", method);
  for (const char *p = pattern; *p; p++)
    metrics_buf_printf(b, *p == ':' ? ":id" : "%c", *p);
  metrics_buf_printf(b, "\"");
}

static void render_counts(lobby_metrics *m, size_t routes, metrics_buf *b)
{
  metrics_buf_printf(b, "# HELP lobbyd_http_requests_total HTTP requests answered, by route "
                        "pattern and status.\n# TYPE lobbyd_http_requests_total counter\n");
  for (size_t rt = 0; rt < routes; rt++)
    for (size_t st = 0; st < STATUS_SLOTS; st++) {
      uint64_t n = 0;
      for (int sh = 0; sh < METRICS_SHARDS; sh++)
        n += load(&m->shards[sh].requests[rt][st]);
      if (!n)
        continue;
      metrics_buf_printf(b, "lobbyd_http_requests_total{");
      route_labels(m, rt, b);
      if (st < STATUS_SLOTS - 1)
        metrics_buf_printf(b, ",status=\"%u\"} %llu\n", statuses[st], (unsigned long long)n);
      else
        metrics_buf_printf(b, ",status=\"other\"} %llu\n", (unsigned long long)n);
    }
}

static void render_latency(lobby_metrics *m, size_t routes, metrics_buf *b)
{
  metrics_buf_printf(b, "# HELP lobbyd_http_request_duration_seconds Time from a request's "
                        "arrival to its answer, long-polls that waited excluded.\n"
                        "# TYPE lobbyd_http_request_duration_seconds histogram\n");
  for (size_t rt = 0; rt < routes; rt++) {
    uint64_t timed = 0, micros = 0, cumulative = 0, in_bucket[BUCKETS] = {0};
    /* Buckets before the count: a request counted meanwhile raises the
     * count, never a bucket above it. */
    for (size_t bk = 0; bk < BUCKETS; bk++)
      for (int sh = 0; sh < METRICS_SHARDS; sh++)
        in_bucket[bk] += load(&m->shards[sh].buckets[rt][bk]);
    for (int sh = 0; sh < METRICS_SHARDS; sh++) {
      timed += load(&m->shards[sh].timed[rt]);
      micros += load(&m->shards[sh].micros[rt]);
    }
    if (!timed)
      continue;
    for (size_t bk = 0; bk < BUCKETS; bk++) {
      cumulative += in_bucket[bk];
      metrics_buf_printf(b, "lobbyd_http_request_duration_seconds_bucket{");
      route_labels(m, rt, b);
      metrics_buf_printf(b, ",le=\"%s\"} %llu\n", bucket_le[bk], (unsigned long long)cumulative);
    }
    metrics_buf_printf(b, "lobbyd_http_request_duration_seconds_bucket{");
    route_labels(m, rt, b);
    metrics_buf_printf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)timed);
    metrics_buf_printf(b, "lobbyd_http_request_duration_seconds_sum{");
    route_labels(m, rt, b);
    metrics_buf_printf(b, "} %llu.%06llu\n", (unsigned long long)(micros / 1000000),
                       (unsigned long long)(micros % 1000000));
    metrics_buf_printf(b, "lobbyd_http_request_duration_seconds_count{");
    route_labels(m, rt, b);
    metrics_buf_printf(b, "} %llu\n", (unsigned long long)timed);
  }
}

void metrics_render_requests(lobby_metrics *m, metrics_buf *b)
{
  render_counts(m, m->routes, b);
  render_latency(m, m->routes, b);
}
