/* Connection abuse limits (issue 11): a deadline for a request's head and
 * body, and a cap on connections per client address.
 *
 * Every connection libmicrohttpd accepts is registered here through its
 * connection notification and removed when it closes.  A connection's
 * request is arriving from its accept (or from the next request line on a
 * kept-alive connection) until the access handler has the whole upload;
 * one still arriving after the deadline is shut down by the guard's sweep
 * thread, once a second, and MHD then closes it.  A handled request (a
 * suspended long-poll too) is not timed here.  Between requests a
 * connection is shut down the idle timeout after its last answer even if
 * it keeps sending bytes of a request line that never ends (each byte
 * resets MHD's own idle timer).
 *
 * Too many requests arriving at once (more than arriving_max, or the
 * connection slots nearly all taken) shed the one that has been arriving
 * longest: slow clients from many addresses cannot keep a new client out
 * or make libmicrohttpd's poll over them (with TLS) eat the CPU.
 *
 * Addresses are counted as IPv6: an IPv4 peer and its IPv4-mapped IPv6
 * form are the same address. */
#ifndef LOBBYD_CONN_GUARD_H
#define LOBBYD_CONN_GUARD_H

#include <microhttpd.h>
#include <sys/socket.h>
#include "lobby_error.h"

typedef struct conn_guard conn_guard;

typedef struct {
  int deadline_s;     /* seconds for a request's head and body (> 0) */
  int per_address;    /* connections one address may hold; 0: no cap */
  int arriving_max;   /* requests arriving at once before the oldest is
                         shed; 0: no cap */
  int idle_s;         /* MHD's idle timeout; fixed at start */
  unsigned connection_limit; /* MHD's; fixed at start; 0: none known */
  unsigned threads;   /* MHD's worker threads, each with its own share of
                         the guard's lock (fixed at start; 0: one) */
} conn_guard_limits;

/* Starts the sweep thread. */
lobby_err conn_guard_create(const conn_guard_limits *limits, conn_guard **out);
/* Stops the sweep thread and frees the guard; call after MHD stopped. */
void conn_guard_free(conn_guard *g);
/* New limits (a reload): deadline_s, per_address and arriving_max apply
 * to the next sweep and accept; the others stay as they started. */
void conn_guard_set_limits(conn_guard *g, const conn_guard_limits *limits);

/* MHD hooks; cls is the guard.  conn_guard_accept is the accept policy
 * callback of MHD_start_daemon, conn_guard_notify the
 * MHD_OPTION_NOTIFY_CONNECTION callback, conn_guard_request_line the
 * MHD_OPTION_URI_LOG_CALLBACK (it returns NULL, leaving the request's
 * context to the access handler). */
enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);
void *conn_guard_request_line(void *cls, const char *uri, struct MHD_Connection *conn);
/* The access handler has the whole request: the deadline no longer
 * applies to this connection until its next request line. */
void conn_guard_request_complete(struct MHD_Connection *conn);
/* The request was answered (MHD_OPTION_NOTIFY_COMPLETED): the connection
 * waits for its next request, timed by the idle timeout. */
void conn_guard_request_done(struct MHD_Connection *conn);

/* Connections currently registered (for tests and logs). */
unsigned conn_guard_count(conn_guard *g);
/* Arriving requests shut down to make room since start (/metrics). */
unsigned long conn_guard_shed_count(conn_guard *g);

#endif
