/* Request counters for /metrics: by route and status, and a latency
 * histogram by route.  Counting is on the hot path (a feed 304 runs at
 * about 100k requests a second), so each HTTP thread counts into a shard
 * of its own with relaxed atomic adds: no lock, no shared cache line.
 * Rendering sums the shards. */
#ifndef LOBBYD_METRICS_H
#define LOBBYD_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "http.h"

/* Route slots the router can hand out (router_route_slots() of them). */
#define METRICS_MAX_ROUTES 96

/* A route slot's method and pattern, for its labels. */
typedef void (*metrics_route_label_fn)(size_t slot, const char **method, const char **pattern);

/* Counters for routes slots 0 .. routes - 1, labelled by label (the
 * router's table, given by lobbyd_parts.c so the metrics need not know the
 * router).  LOBBY_EINVAL when routes is over METRICS_MAX_ROUTES. */
lobby_err metrics_create(size_t routes, metrics_route_label_fn label, lobby_metrics **out);
void metrics_free(lobby_metrics *m);

/* Counts a finished request: r->metric.route, r->metric.status, and its latency from
 * r->metric.started_ns unless it waited as a long-poll (a held feed request
 * would only measure the wait).  Called once per request by http.c. */
void metrics_request_done(lobby_metrics *m, const http_request *r);

/* Appends the request series in Prometheus text format to buf. */
typedef struct {
  char *text;
  size_t len, cap;
  bool failed;        /* out of memory: the text is incomplete */
} metrics_buf;
void metrics_buf_printf(metrics_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void metrics_render_requests(lobby_metrics *m, metrics_buf *b);

#endif
