/* The listening socket and the thread that accepts on it.
 *
 * libmicrohttpd's own thread pool lets every worker thread accept from one
 * listening socket, and whichever wakes first takes the connections that
 * are waiting: 64 keep-alive clients connecting at once were seen to land
 * all on one of two threads, or two thirds on one, whose clients then
 * waited longest.  Here one thread accepts and hands each connection to
 * the daemon (MHD_add_connection), which gives it to the worker its
 * descriptor number picks, so the workers get an even share.  The
 * daemon's accept policy (conn_guard_accept) still decides each
 * connection, on this thread. */
#ifndef LOBBYD_HTTP_ACCEPT_H
#define LOBBYD_HTTP_ACCEPT_H

#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include "lobby_error.h"

typedef struct http_acceptor http_acceptor;

/* Binds addr (port 0: any free port) and listens with the given backlog;
 * *port is the port bound.  LOBBY_EIO when the address cannot be bound. */
lobby_err http_acceptor_listen(const struct sockaddr_in *addr, int backlog, http_acceptor **out,
                               uint16_t *port);
/* Starts handing connections to daemon, which must have been started with
 * MHD_USE_NO_LISTEN_SOCKET. */
lobby_err http_acceptor_start(http_acceptor *a, struct MHD_Daemon *daemon);
/* Stops the thread and closes the socket; call before MHD_stop_daemon.
 * NULL is allowed. */
void http_acceptor_free(http_acceptor *a);

#endif
