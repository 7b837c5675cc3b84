/* The running server: what every handler can reach. */
#ifndef LOBBYD_H
#define LOBBYD_H

#include <microhttpd.h>
#include <stdatomic.h>
#include "config.h"
#include "store.h"

typedef struct feed_cache feed_cache;
typedef struct screenshot_wants screenshot_wants;
typedef struct longpoll longpoll;
typedef struct rate_limiter rate_limiter;
typedef struct presence presence;
typedef struct auth_cache auth_cache;
typedef struct console_events console_events;
typedef struct lobby_metrics lobby_metrics;
typedef struct lobby_health lobby_health;
typedef struct conn_guard conn_guard;
typedef struct known_devices known_devices;
typedef struct password_pool password_pool;
typedef struct change_relay change_relay;
typedef struct rate_share_pg rate_share_pg;
typedef struct http_request http_request;

/* What the HTTP layer hands requests to, set by lobbyd_parts_create: the
 * layer calls up through these and so includes neither the router nor
 * the metrics. */
typedef struct {
  /* A complete request (head and body): routes it and answers. */
  enum MHD_Result (*dispatch)(http_request *r);
  /* The most body a request may send, asked once its head is in. */
  size_t (*body_limit)(http_request *r);
  /* A request whose answer has been sent, or that ended without one. */
  void (*finished)(lobby_metrics *m, const http_request *r);
} lobbyd_http_hooks;

typedef struct lobbyd {
  /* The live configuration.  A published config is never changed: a
   * reload (SIGHUP) publishes a new one and keeps the old one alive until
   * exit, so a handler may read d->cfg->x at any time, from any thread. */
  _Atomic(lobbyd_config *) cfg;
  lobby_store *store;
  feed_cache *feed;
  screenshot_wants *shots;         /* kiosks asked for a screenshot, as their long-polls see it */
  longpoll *poll;
  rate_limiter *lookups;
  presence *kiosks;
  auth_cache *tokens;
  console_events *events;          /* change counters the console long-polls */
  change_relay *relay;             /* PostgreSQL: changes shared with other instances, or NULL */
  rate_limiter *signin_names;      /* sign-in attempts per staff name */
  rate_limiter *signin_addresses;  /* sign-in attempts per client address */
  rate_limiter *signin_pairs;      /* per (name, address) and per (name, known device) */
  known_devices *devices;          /* the key of the known-device cookies */
  password_pool *passwords;        /* sign-ins' Argon2 checks, off the HTTP threads */
  rate_limiter *checkout_failures; /* failed pass-code sign-outs per kiosk, per hour */
  rate_limiter *kiosk_submissions; /* repairs and visits filed per kiosk, per minute */
  rate_limiter *gate_checks;       /* release-pass checks and uses per staff member, per minute */
  rate_limiter *refusal_audits;    /* audit rows of refused sign-ins per address, per minute */
  rate_limiter *follow_pages;      /* follow pages opened per client address, per minute */
  rate_share_pg *rate_share;       /* PostgreSQL: the limiters' buckets, shared, or NULL */
  struct MHD_Daemon *daemon;
  conn_guard *guard;               /* request deadline and per-address cap, with daemon */
  lobby_metrics *metrics;          /* request counters for /metrics */
  lobby_health *health;            /* the write probe behind /healthz */
  lobbyd_http_hooks http_hooks;    /* the router and metrics, for http.c */
} lobbyd;

#endif
