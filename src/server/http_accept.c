/* accept4: the socket non-blocking and close-on-exec in one call. */
#define _GNU_SOURCE
#include "http_accept.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lobby_log.h"

/* How long to wait before accepting again when the process is out of
 * descriptors: the waiting connection stays readable, and accepting at
 * once would fail again and again. */
#define ACCEPT_BACKOFF_MS 50

struct http_acceptor {
  int listen_fd;
  int stop_fd;               /* an eventfd: readable once free asks the thread to end */
  struct MHD_Daemon *daemon;
  pthread_t thread;
  bool started;
};

static void close_fds(http_acceptor *a)
{
  if (a->listen_fd >= 0)
    close(a->listen_fd);
  if (a->stop_fd >= 0)
    close(a->stop_fd);
}

static lobby_err bind_and_listen(http_acceptor *a, const struct sockaddr_in *addr, int backlog,
                                 uint16_t *port)
{
  int one = 1;
  struct sockaddr_in bound;
  socklen_t len = sizeof bound;
  /* SO_REUSEADDR: a restart binds again while the last run's closed
   * connections are in TIME_WAIT. */
  if (setsockopt(a->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(a->listen_fd, (const struct sockaddr *)addr, sizeof *addr) != 0 ||
      listen(a->listen_fd, backlog) != 0 ||
      getsockname(a->listen_fd, (struct sockaddr *)&bound, &len) != 0) {
    LOBBY_ERROR("http: cannot listen: %s", strerror(errno));
    return LOBBY_EIO;
  }
  *port = ntohs(bound.sin_port);
  return LOBBY_OK;
}

lobby_err http_acceptor_listen(const struct sockaddr_in *addr, int backlog, http_acceptor **out,
                               uint16_t *port)
{
  http_acceptor *a = calloc(1, sizeof *a);
  if (!a)
    return LOBBY_ENOMEM;
  a->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  a->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  lobby_err err = a->listen_fd >= 0 && a->stop_fd >= 0 ? LOBBY_OK : LOBBY_EIO;
  if (err == LOBBY_OK)
    err = bind_and_listen(a, addr, backlog, port);
  if (err != LOBBY_OK) {
    close_fds(a);
    free(a);
    return err;
  }
  *out = a;
  return LOBBY_OK;
}

/* Accepts every connection waiting and hands each to the daemon, which
 * closes it itself when it refuses it.  False when out of descriptors. */
static bool accept_waiting(http_acceptor *a)
{
  for (;;) {
    struct sockaddr_storage peer;
    socklen_t len = sizeof peer;
    int fd = accept4(a->listen_fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        return false;
      return true; /* EAGAIN: nothing more waiting */
    }
    (void)MHD_add_connection(a->daemon, fd, (const struct sockaddr *)&peer, len);
  }
}

static void *accept_thread(void *arg)
{
  http_acceptor *a = arg;
  struct pollfd fds[2] = {{.fd = a->listen_fd, .events = POLLIN}, {.fd = a->stop_fd, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR)
      break;
    if (fds[1].revents)
      break;
    if (fds[0].revents && !accept_waiting(a)) {
      LOBBY_WARN("http: out of file descriptors; accepting again in %d ms", ACCEPT_BACKOFF_MS);
      (void)poll(&fds[1], 1, ACCEPT_BACKOFF_MS);
    }
  }
  return NULL;
}

lobby_err http_acceptor_start(http_acceptor *a, struct MHD_Daemon *daemon)
{
  a->daemon = daemon;
  if (pthread_create(&a->thread, NULL, accept_thread, a) != 0)
    return LOBBY_ENOMEM;
  a->started = true;
  return LOBBY_OK;
}

void http_acceptor_free(http_acceptor *a)
{
  if (!a)
    return;
  if (a->started) {
    uint64_t one = 1;
    if (write(a->stop_fd, &one, sizeof one) < 0)
      LOBBY_WARN("http: cannot stop the accept thread: %s", strerror(errno));
    pthread_join(a->thread, NULL);
  }
  close_fds(a);
  free(a);
}
