/* The HTTP layer over libmicrohttpd: a request's accumulated state, JSON
 * replies and errors in the API's shape.  Handlers build on this and the
 * store interface; they never see SQL. */
#ifndef LOBBYD_HTTP_H
#define LOBBYD_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include "change.h"
#include "lobbyd.h"

#define HTTP_BODY_LIMIT (64 * 1024)
#define HTTP_MAX_PARAMS 2

/* Which bounds an invalid_field error carries: a text's length in
 * characters (min_length/max_length) or a number's value
 * (minimum/maximum), so that a client can word its own message. */
typedef enum { HTTP_BOUND_NONE, HTTP_BOUND_LENGTH, HTTP_BOUND_VALUE } http_bound_kind;

typedef struct http_error {
  unsigned status;
  const char *code;
  char field[48];
  char message[256];
  http_bound_kind bound;
  long min, max;
} http_error;

/* POLL_REVOKED: the token the request came with was revoked while it
 * waited; it is answered 401.  POLL_GONE: the client hung up while it
 * waited; nothing is answered and the connection is closed. */
typedef enum {
  POLL_NONE, POLL_WAITING, POLL_READY, POLL_TIMEOUT, POLL_REVOKED, POLL_GONE
} http_poll_state;

/* What a long-poll watches: a change wakes only the waiters of its key. */
typedef enum { WATCH_FEED, WATCH_ITEM, WATCH_EVENTS } http_poll_watch;

/* One header, cookie or query argument of a request made without a
 * connection (see http_request.fake). */
typedef struct http_fake_value {
  enum MHD_ValueKind kind;   /* MHD_HEADER_KIND, MHD_COOKIE_KIND or MHD_GET_ARGUMENT_KIND */
  const char *name;
  const char *value;
} http_fake_value;

/* A request made without a network (the fuzz targets in tests/fuzz): its
 * headers, cookies and query arguments are the count entries of values,
 * its reply is only recorded in metric.status (and a JSON reply's text in
 * reply_text when capture_reply is set, freed by the caller), the
 * client's address is "" and a long-poll times out at once.  Nothing else
 * in lobbyd differs. */
typedef struct {
  const http_fake_value *values;
  size_t count;
  bool capture_reply;
  char *reply_text;
} http_fake;

/* A request authenticated by the console's cookie. */
typedef struct {
  bool via_session;
  uint8_t session_hash[32];     /* the session's stored hash, when via_session */
  char csrf[72];                /* the session's CSRF token, when via_session */
} http_session;

/* For /metrics: the router's route slot, the status answered and when the
 * request arrived (CLOCK_MONOTONIC). */
typedef struct {
  unsigned route;
  unsigned status;
  int64_t started_ns;
} http_metric;

/* Set by the router from the route table and by the handler: a staff
 * request's audit action, written with the change in its transaction
 * (audit.h), and what a successful request changed, which the router
 * publishes once the handler has answered (events.h). */
typedef struct {
  const char *audit_action;
  char audit_target[96];        /* default: the first path parameter */
  char audit_detail[160];       /* short, never personal data */
  lobby_change change;
  bool recorded;                /* a refusal that was itself stored: published
                                 * though the request did not succeed */
} http_outcome;

struct http_request;

/* Long-poll state, owned by longpoll.c while the connection is suspended.
 * A waiting request is in exactly one watch list (its key's, or the list
 * to re-check), in the deadline heap, in its owner's bucket, and its
 * socket is in the hang-up watch. */
typedef struct {
  http_poll_state state;
  http_poll_watch watch;
  char item[CHANGE_ITEM_LEN];   /* WATCH_ITEM: the visit id or repair ticket */
  bool (*ready)(struct http_request *r);          /* run on the long-poll thread */
  enum MHD_Result (*answer)(struct http_request *r); /* run after resume */
  char etag[40];
  int64_t deadline_ms;
  uint64_t auth_generation;     /* auth_cache_generation() when last checked */
  struct http_request *prev, *next;   /* the watch list */
  struct http_request **list;         /* head of that list */
  struct http_request *owner_prev, *owner_next;
  uint64_t owner;               /* the token it came with (role and id) */
  uint64_t seq;                 /* order of arrival: the oldest is evicted */
  ptrdiff_t heap_index;         /* place in the deadline heap */
  int fd;                       /* the socket watched for a hang-up, or -1 */
} http_poll;

typedef struct http_request {
  struct MHD_Connection *conn;  /* NULL for a request made without a network */
  http_fake fake;
  lobbyd *d;
  const char *method;
  char path[256];
  char *body;
  size_t body_len;
  size_t body_cap;              /* bytes allocated at body, past body_len's NUL */
  size_t body_limit;            /* HTTP_BODY_LIMIT, or more for an upload route */
  bool body_too_big;
  lobby_principal who;
  bool authed;                  /* who is set (a token or a console session) */
  http_session session;
  char params[HTTP_MAX_PARAMS][96];
  http_metric metric;
  http_outcome outcome;
  http_poll poll;
  /* A sign-in waiting for its password check (handlers_session.c); freed
   * with the request. */
  struct signin_wait *signin;
} http_request;

/* Replies.  Each returns what the MHD access handler must return. */
enum MHD_Result http_reply_json(http_request *r, unsigned status, json_t *body);
/* The same with one extra header (name NULL for none). */
enum MHD_Result http_reply_json_header(http_request *r, unsigned status, json_t *body,
                                       const char *name, const char *value);
enum MHD_Result http_reply_text(http_request *r, unsigned status, const char *content_type,
                                const char *text, size_t len, const char *etag);
enum MHD_Result http_reply_empty(http_request *r, unsigned status, const char *etag);
enum MHD_Result http_reply_error(http_request *r, const http_error *e);
enum MHD_Result http_fail(http_request *r, unsigned status, const char *code, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
/* The same, naming the field at fault ("name" for a name already taken). */
enum MHD_Result http_fail_field(http_request *r, unsigned status, const char *code,
                                const char *field, const char *fmt, ...)
  __attribute__((format(printf, 5, 6)));

/* Maps a store error to an HTTP error (not found, conflict, I/O). */
enum MHD_Result http_reply_store_error(http_request *r, lobby_err err, const char *what);

/* Fills e with no bounds; an invalid_field or missing_field error with no
 * field named takes it from a message that starts "field: ". */
void http_error_set(http_error *e, unsigned status, const char *code, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void http_error_bound(http_error *e, http_bound_kind kind, long min, long max);

/* Frees what a request owns (its body, a waiting sign-in), not r itself:
 * for a request made without a connection (tests/fuzz), which libmicrohttpd
 * does not complete. */
void http_request_clear(http_request *r);
const char *http_header(http_request *r, const char *name);
const char *http_cookie(http_request *r, const char *name);
/* The socket peer's IP address as text ("" when unknown); the client's
 * address, for limits and the audit log, is client_addr_get's. */
void http_client_address(http_request *r, char *out, size_t size);
/* A reply with any number of extra headers: names[i] and values[i] (a
 * Cache-Control among them replaces the default no-store); content_type
 * NULL sends none (a 304). */
enum MHD_Result http_reply_buffer(http_request *r, unsigned status, const char *content_type,
                                  const void *data, size_t len, const char *const *names,
                                  const char *const *values, size_t count);
/* http_reply_buffer for a malloc'd body that the reply then owns and
 * frees, on failure too: the feed's 200 is not copied again. */
enum MHD_Result http_reply_buffer_take(http_request *r, unsigned status, const char *content_type,
                                       char *data, size_t len, const char *const *names,
                                       const char *const *values, size_t count);
const char *http_query(http_request *r, const char *name);

/* Rewrites integer values of keys ending in "_at" as ISO times in the
 * site's offset, in place and recursively. */
void http_format_times(json_t *v, int offset_min);

/* Starts and stops the daemon; the access handler routes to handlers.
 * Suspended connections (long-polls, sign-ins waiting for their password
 * check) must have been resumed before http_stop. */
lobby_err http_start(lobbyd *d);
void http_stop(lobbyd *d);
/* A reload's [limits] for the connection guard (conn_guard.h). */
void http_apply_limits(lobbyd *d, const lobbyd_config *cfg);

#endif
