/* A fault-injecting TCP proxy for the chaos test (tests/chaos/run.sh).
 *
 *   chaos_proxy TARGET_PORT SEED
 *
 * Listens on a free loopback port (printed as "listening on 127.0.0.1:N")
 * and forwards each connection to 127.0.0.1:TARGET_PORT.  Every connection
 * draws one fault from a seeded RNG: none, delay (nothing moves for a
 * while), drop (closed without forwarding), reset (the request reaches the
 * server, the client gets a RST instead of the answer), truncate (part of
 * the answer, then close), corrupt (bytes of the answer flipped) or stall
 * (the answer stops for a while mid-way).  Clean connections live a random
 * few seconds, so a reused keep-alive connection does not escape the
 * faults.  SIGUSR1 turns faults off (the clean path to drain outboxes);
 * SIGTERM prints the count of each fault on stdout and exits. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64
#define BUF_SIZE 65536

enum fault { F_NONE, F_DELAY, F_DROP, F_RESET, F_TRUNCATE, F_CORRUPT, F_STALL, F_COUNT };
static const char *const fault_names[F_COUNT] = {"none", "delay", "drop", "reset",
                                                  "truncate", "corrupt", "stall"};
/* Out of 100 draws. */
static const int fault_weights[F_COUNT] = {40, 10, 10, 10, 10, 10, 10};

/* One proxied connection.  buf[0] holds bytes from the client not yet
 * written to the server, buf[1] the reverse; len is what is buffered. */
typedef struct conn {
  int fd[2]; /* client, server; -1 when closed */
  enum fault fault;
  unsigned char buf[2][BUF_SIZE];
  size_t len[2];
  size_t answered;     /* bytes of the server's answer seen so far */
  size_t limit;        /* truncate: answer bytes forwarded before closing */
  size_t corrupt_at;   /* corrupt: answer byte to flip; stall: where it stops */
  int64_t hold_until;  /* delay and stall: nothing moves before this */
  int64_t expires;     /* clean connections: closed at this time */
  int eof[2];          /* side i closed; the other side gets its buffer first */
  int used;
} conn;

static conn conns[MAX_CONNS];
static unsigned long counts[F_COUNT + 1]; /* the last slot counts expiries */
static unsigned long connections;
static uint64_t rng_state;
static volatile sig_atomic_t faults_off, stop;

static uint64_t rng_next(void)
{
  /* splitmix64: small, seeded, the same run for the same seed. */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
  return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
  if (sig == SIGUSR1)
    faults_off = 1;
  else
    stop = 1;
}

static int set_nonblocking(int fd)
{
  int flags = fcntl(fd, F_GETFL);
  return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void conn_close(conn *c, int reset)
{
  for (int i = 0; i < 2; i++) {
    if (c->fd[i] < 0)
      continue;
    if (reset && i == 0) {
      struct linger lg = {1, 0};
      setsockopt(c->fd[i], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(c->fd[i]);
    c->fd[i] = -1;
  }
  c->used = 0;
}

static enum fault draw_fault(void)
{
  if (faults_off)
    return F_NONE;
  int r = (int)rng_range(0, 99);
  for (int f = 0; f < F_COUNT; f++) {
    if (r < fault_weights[f])
      return (enum fault)f;
    r -= fault_weights[f];
  }
  return F_NONE;
}

static int connect_target(int port)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (set_nonblocking(fd) < 0 ||
      (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS)) {
    close(fd);
    return -1;
  }
  return fd;
}

static void conn_accept(int listener, int port)
{
  int fd = accept(listener, NULL, NULL);
  if (fd < 0)
    return;
  conn *c = NULL;
  for (int i = 0; i < MAX_CONNS && !c; i++)
    if (!conns[i].used)
      c = &conns[i];
  if (!c || set_nonblocking(fd) < 0) {
    close(fd);
    return;
  }
  memset(c->len, 0, sizeof c->len);
  memset(c->eof, 0, sizeof c->eof);
  c->used = 1;
  c->fd[0] = fd;
  c->fd[1] = -1;
  c->answered = 0;
  c->hold_until = 0;
  c->expires = 0;
  c->fault = draw_fault();
  connections++;
  counts[c->fault]++;
  int64_t now = now_ms();
  switch (c->fault) {
  case F_DROP:
    conn_close(c, 0);
    return;
  case F_DELAY:
    c->hold_until = now + rng_range(200, 4000);
    break;
  case F_TRUNCATE:
    c->limit = (size_t)rng_range(1, 4096);
    break;
  case F_CORRUPT:
  case F_STALL:
    c->corrupt_at = (size_t)rng_range(0, 2048);
    break;
  case F_NONE:
    if (!faults_off)
      c->expires = now + rng_range(1000, 20000);
    break;
  default:
    break;
  }
  c->fd[1] = connect_target(port);
  if (c->fd[1] < 0)
    conn_close(c, 0);
}

/* Applies the connection's fault to n fresh bytes of the server's answer
 * in buf[1]; returns how many to keep, or -1 to end the connection now. */
static long answer_fault(conn *c, unsigned char *p, size_t n, int64_t now)
{
  size_t before = c->answered;
  c->answered += n;
  switch (c->fault) {
  case F_RESET:
    return -1;
  case F_TRUNCATE:
    return before >= c->limit ? -1 : (long)(c->limit - before < n ? c->limit - before : n);
  case F_CORRUPT:
    if (c->corrupt_at >= before && c->corrupt_at < c->answered)
      p[c->corrupt_at - before] ^= (unsigned char)rng_range(1, 255);
    return (long)n;
  case F_STALL:
    if (c->corrupt_at >= before && c->corrupt_at < c->answered)
      c->hold_until = now + rng_range(1000, 15000);
    return (long)n;
  default:
    return (long)n;
  }
}

/* Reads from side i into the buffer toward the other side; 0 when the
 * connection goes on. */
static int conn_read(conn *c, int i, int64_t now)
{
  ssize_t n = read(c->fd[i], c->buf[i] + c->len[i], BUF_SIZE - c->len[i]);
  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  if (n == 0) {
    c->eof[i] = 1;
    return 0;
  }
  if (i == 1) {
    long keep = answer_fault(c, c->buf[1] + c->len[1], (size_t)n, now);
    if (keep < 0) {
      if (c->fault == F_TRUNCATE && c->len[1] > 0)
        return 0;
      return c->fault == F_RESET ? -2 : -1;
    }
    n = keep;
  }
  c->len[i] += (size_t)n;
  return 0;
}

static int conn_write(conn *c, int i)
{
  ssize_t n = write(c->fd[1 - i], c->buf[i], c->len[i]);
  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  memmove(c->buf[i], c->buf[i] + n, c->len[i] - (size_t)n);
  c->len[i] -= (size_t)n;
  return 0;
}

static void print_counts(void)
{
  printf("chaos: connections=%lu", connections);
  for (int f = 0; f < F_COUNT; f++)
    printf(" %s=%lu", fault_names[f], counts[f]);
  printf(" expired=%lu\n", counts[F_COUNT]);
  fflush(stdout);
}

static int open_listener(void)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &len) < 0 || set_nonblocking(fd) < 0)
    return -1;
  printf("listening on 127.0.0.1:%d\n", ntohs(sa.sin_port));
  fflush(stdout);
  return fd;
}

/* One connection's turn after poll(): moves what can move, applies the
 * hold and the expiry.  The truncated answer closes once it is written. */
static void conn_step(conn *c, const struct pollfd *pf, int64_t now)
{
  if (c->expires && now >= c->expires && !faults_off) {
    counts[F_COUNT]++;
    conn_close(c, 0);
    return;
  }
  if (now < c->hold_until)
    return;
  for (int i = 0; i < 2; i++) {
    if (!c->eof[i] && (pf[i].revents & (POLLIN | POLLHUP | POLLERR))) {
      int rc = conn_read(c, i, now);
      if (rc < 0) {
        conn_close(c, rc == -2);
        return;
      }
    }
  }
  for (int i = 0; i < 2; i++) {
    if (c->len[i] && conn_write(c, i) < 0) {
      conn_close(c, 0);
      return;
    }
  }
  bool done = (c->eof[0] && !c->len[0]) || (c->eof[1] && !c->len[1]) ||
              (c->fault == F_TRUNCATE && c->answered >= c->limit && !c->len[1]);
  if (done)
    conn_close(c, 0);
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: chaos_proxy TARGET_PORT SEED\n");
    return 2;
  }
  char *end;
  long port = strtol(argv[1], &end, 10);
  if (*end || port <= 0 || port > 65535)
    return 2;
  rng_state = strtoull(argv[2], &end, 10);
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  int listener = open_listener();
  if (listener < 0) {
    perror("chaos_proxy: listen");
    return 1;
  }
  static struct pollfd pfs[1 + 2 * MAX_CONNS];
  while (!stop) {
    int64_t now = now_ms();
    pfs[0] = (struct pollfd){.fd = listener, .events = POLLIN};
    for (int i = 0; i < MAX_CONNS; i++) {
      conn *c = &conns[i];
      for (int s = 0; s < 2; s++) {
        struct pollfd *p = &pfs[1 + 2 * i + s];
        *p = (struct pollfd){.fd = -1};
        if (!c->used || now < c->hold_until)
          continue;
        p->fd = c->fd[s];
        p->events = (short)((c->len[s] < BUF_SIZE && !c->eof[s] ? POLLIN : 0) | (c->len[1 - s] ? POLLOUT : 0));
      }
    }
    if (poll(pfs, 1 + 2 * MAX_CONNS, 100) < 0 && errno != EINTR)
      break;
    if (pfs[0].revents & POLLIN)
      conn_accept(listener, (int)port);
    now = now_ms();
    for (int i = 0; i < MAX_CONNS; i++)
      if (conns[i].used)
        conn_step(&conns[i], &pfs[1 + 2 * i], now);
  }
  print_counts();
  return 0;
}
