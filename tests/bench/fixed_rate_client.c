/* An open-loop HTTP load client for tests/bench/feed_vs_nginx.sh.
 *
 * wrk sends a connection's next request only when the last was answered,
 * so flat out the rate follows the server and a faster server is asked
 * more, and wrk's own queueing lands in its latency.  This client sends
 * RATE requests a second on a fixed schedule, whatever the answers, and
 * times each from the moment it was due, not from when a connection was
 * free to send it: a server that stalls is charged for every request that
 * waited meanwhile (no "coordinated omission").  Two servers are then
 * compared at the same offered load.
 *
 *   fixed_rate_client URL RATE SECONDS CONNECTIONS [--cafile CA] [-H 'Name: value']...
 *
 * URL is http:// or https:// with a numeric IPv4 host.  The first second
 * warms up and is not counted.  Prints one line:
 *   due N answered N late N errors N p50 X p90 X p99 X p999 X max X
 * (milliseconds); "late" counts requests still unanswered at the end.
 * Exit 1 on a status other than 200 or 304, or on a connection error.
 * One thread; pin it to a core of its own (taskset). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 8
#define IN_CAP 16384
#define WARMUP_NS 1000000000LL

typedef struct {
  int fd;
  gnutls_session_t tls;
  bool busy;
  int64_t due_ns; /* when the request in flight was due */
  char in[IN_CAP];
  size_t in_len;
} connection;

typedef struct {
  struct sockaddr_in addr;
  bool https;
  const char *cafile;
  char request[4096];
  size_t request_len;
  gnutls_certificate_credentials_t creds;
} target;

/* Requests that are due but wait for a free connection, oldest first. */
typedef struct {
  int64_t *due;
  size_t head, tail, cap;
} due_queue;

typedef struct {
  uint32_t *us; /* latency of each counted answer, microseconds */
  size_t n, cap;
  unsigned long long due, answered, errors;
} tally;

static int64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int fail(const char *what)
{
  fprintf(stderr, "fixed_rate_client: %s\n", what);
  return 1;
}

/* http[s]://A.B.C.D:PORT/PATH into t; the request is built later. */
static int parse_url(const char *url, target *t, char *path, size_t path_cap)
{
  const char *rest;
  if (strncmp(url, "http://", 7) == 0) {
    rest = url + 7;
  } else if (strncmp(url, "https://", 8) == 0) {
    rest = url + 8;
    t->https = true;
  } else {
    return fail("URL must start with http:// or https://");
  }
  char host[64];
  unsigned port;
  int used = 0;
  if (sscanf(rest, "%63[0-9.]:%u%n", host, &port, &used) != 2 || port == 0 || port > 65535)
    return fail("URL needs a numeric IPv4 host and a port");
  snprintf(path, path_cap, "%s", rest[used] ? rest + used : "/");
  t->addr.sin_family = AF_INET;
  t->addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &t->addr.sin_addr) != 1)
    return fail("URL host is not an IPv4 address");
  return 0;
}

static int build_request(target *t, const char *path, const char *host, const char **headers,
                         int n_headers)
{
  int len = snprintf(t->request, sizeof t->request, "GET %s HTTP/1.1\r\nHost: %s\r\n", path, host);
  for (int i = 0; i < n_headers && len > 0 && (size_t)len < sizeof t->request; i++)
    len += snprintf(t->request + len, sizeof t->request - (size_t)len, "%s\r\n", headers[i]);
  if (len > 0 && (size_t)len < sizeof t->request)
    len += snprintf(t->request + len, sizeof t->request - (size_t)len, "\r\n");
  if (len <= 0 || (size_t)len >= sizeof t->request)
    return fail("request headers too long");
  t->request_len = (size_t)len;
  return 0;
}

static int tls_start(const target *t, connection *c)
{
  if (gnutls_init(&c->tls, GNUTLS_CLIENT) != GNUTLS_E_SUCCESS ||
      gnutls_set_default_priority(c->tls) != GNUTLS_E_SUCCESS ||
      gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, t->creds) != GNUTLS_E_SUCCESS)
    return fail("cannot set up a TLS session");
  gnutls_session_set_verify_cert(c->tls, NULL, 0);
  gnutls_transport_set_int(c->tls, c->fd);
  int ret;
  do
    ret = gnutls_handshake(c->tls);
  while (ret < 0 && !gnutls_error_is_fatal(ret));
  if (ret < 0) {
    fprintf(stderr, "fixed_rate_client: TLS handshake: %s\n", gnutls_strerror(ret));
    return 1;
  }
  return 0;
}

/* A blocking connect (and handshake), then non-blocking for the run. */
static int connection_open(const target *t, connection *c, int epfd)
{
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0 || connect(c->fd, (const struct sockaddr *)&t->addr, sizeof t->addr) != 0)
    return fail("cannot connect");
  int one = 1;
  if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
    return fail("cannot set TCP_NODELAY");
  if (t->https && tls_start(t, c) != 0)
    return 1;
  if (fcntl(c->fd, F_SETFL, O_NONBLOCK) != 0)
    return fail("cannot make a socket non-blocking");
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0)
    return fail("epoll_ctl failed");
  return 0;
}

static bool queue_push(due_queue *q, int64_t due)
{
  if (q->tail - q->head == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 1024;
    int64_t *grown = malloc(cap * sizeof *grown);
    if (!grown)
      return false;
    for (size_t i = 0; i < q->tail - q->head; i++)
      grown[i] = q->due[(q->head + i) % q->cap];
    free(q->due);
    q->tail -= q->head;
    q->head = 0;
    q->due = grown;
    q->cap = cap;
  }
  q->due[q->tail++ % q->cap] = due;
  return true;
}

static int send_request(const target *t, connection *c, int64_t due)
{
  ssize_t sent = t->https ? gnutls_record_send(c->tls, t->request, t->request_len)
                          : send(c->fd, t->request, t->request_len, MSG_NOSIGNAL);
  /* An idle connection's send buffer is empty: a short write of a few
   * hundred bytes would be a broken connection, not back-pressure. */
  if (sent != (ssize_t)t->request_len)
    return fail("a request could not be sent whole");
  c->busy = true;
  c->due_ns = due;
  return 0;
}

static bool tally_add(tally *y, int64_t latency_ns)
{
  if (y->n == y->cap) {
    size_t cap = y->cap ? y->cap * 2 : 65536;
    uint32_t *grown = realloc(y->us, cap * sizeof *grown);
    if (!grown)
      return false;
    y->us = grown;
    y->cap = cap;
  }
  int64_t us = latency_ns / 1000;
  y->us[y->n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
  return true;
}

/* The length of one whole response at the start of c->in, 0 while it is
 * incomplete, -1 if it is not a 200 or 304.  *closing: the server will
 * close the connection after it (nginx does after keepalive_requests). */
static long response_length(const connection *c, bool *closing)
{
  const char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
  if (!end)
    return 0;
  if (c->in_len < 12 || (memcmp(c->in + 9, "200", 3) != 0 && memcmp(c->in + 9, "304", 3) != 0))
    return -1;
  size_t head = (size_t)(end - c->in) + 4;
  unsigned long body = 0;
  for (const char *line = memchr(c->in, '\n', head); line && line < end; line = memchr(line + 1, '\n', (size_t)(end - line))) {
    if (strncasecmp(line + 1, "Content-Length:", 15) == 0)
      body = strtoul(line + 16, NULL, 10);
    else if (strncasecmp(line + 1, "Connection: close", 17) == 0)
      *closing = true;
  }
  return c->in_len >= head + body ? (long)(head + body) : 0;
}

static ssize_t receive(const target *t, connection *c)
{
  if (t->https) {
    ssize_t got = gnutls_record_recv(c->tls, c->in + c->in_len, IN_CAP - c->in_len);
    if (got == GNUTLS_E_AGAIN || got == GNUTLS_E_INTERRUPTED) {
      errno = EAGAIN;
      return -1;
    }
    return got < 0 ? 0 : got;
  }
  return recv(c->fd, c->in + c->in_len, IN_CAP - c->in_len, 0);
}

static void connection_close(connection *c)
{
  if (c->tls)
    gnutls_deinit(c->tls);
  close(c->fd);
  memset(c, 0, sizeof *c);
  c->fd = -1;
}

/* Reads what c has; 1 on a whole answer, 0 on none yet, -1 on error.  A
 * connection the server closes after an answer is opened again at once:
 * the time that takes is charged to the requests waiting meanwhile. */
static int connection_read(const target *t, connection *c, int epfd, int64_t start, tally *y)
{
  for (;;) {
    ssize_t got = receive(t, c);
    if (got < 0 && errno == EAGAIN)
      return 0;
    if (got <= 0)
      return -1;
    c->in_len += (size_t)got;
    bool closing = false;
    long whole = response_length(c, &closing);
    if (whole < 0)
      return -1;
    if (whole > 0) {
      int64_t now = now_ns();
      memmove(c->in, c->in + whole, c->in_len - (size_t)whole);
      c->in_len -= (size_t)whole;
      c->busy = false;
      y->answered++;
      if (c->due_ns >= start + WARMUP_NS && !tally_add(y, now - c->due_ns))
        return -1;
      if (closing) {
        connection_close(c);
        return connection_open(t, c, epfd) == 0 ? 1 : -1;
      }
      return 1;
    }
    if (c->in_len == IN_CAP)
      return -1;
  }
}

static int compare_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static double percentile_ms(const tally *y, double p)
{
  if (y->n == 0)
    return 0;
  size_t i = (size_t)(p * (double)(y->n - 1) + 0.5);
  return y->us[i] / 1000.0;
}

/* Hands due requests to free connections, round the ring from *next. */
static int dispatch(const target *t, connection *cs, int n, int *next, due_queue *q)
{
  for (int tried = 0; tried < n && q->head != q->tail; tried++) {
    connection *c = &cs[*next];
    *next = (*next + 1) % n;
    if (!c->busy && send_request(t, c, q->due[q->head++ % q->cap]) != 0)
      return 1;
  }
  return 0;
}

static int run(const target *t, double rate, double seconds, int n, tally *y)
{
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  connection *cs = calloc((size_t)n, sizeof *cs);
  if (epfd < 0 || !cs)
    return fail("out of memory");
  for (int i = 0; i < n; i++)
    if (connection_open(t, &cs[i], epfd) != 0)
      return 1;
  due_queue q = {0};
  int64_t start = now_ns(), end = start + (int64_t)((seconds + 1) * 1e9);
  int64_t interval = (int64_t)(1e9 / rate);
  unsigned long long scheduled = 0;
  int next = 0;
  struct epoll_event evs[256];
  for (;;) {
    int64_t now = now_ns();
    while (start + (int64_t)scheduled * interval <= now && start + (int64_t)scheduled * interval < end) {
      int64_t due = start + (int64_t)scheduled++ * interval;
      if (!queue_push(&q, due))
        return fail("out of memory");
      if (due >= start + WARMUP_NS)
        y->due++;
    }
    if (now >= end + 200000000LL)
      break; /* 200 ms after the last was due: the rest is late */
    if (dispatch(t, cs, n, &next, &q) != 0)
      return 1;
    int64_t wait_ns = start + (int64_t)scheduled * interval - now_ns();
    if (wait_ns < 0)
      wait_ns = 0;
    struct timespec timeout = {(time_t)(wait_ns / 1000000000LL), (long)(wait_ns % 1000000000LL)};
    int ready = epoll_pwait2(epfd, evs, 256, &timeout, NULL);
    for (int i = 0; i < ready; i++) {
      connection *c = evs[i].data.ptr;
      if (connection_read(t, c, epfd, start, y) < 0) {
        y->errors++;
        return fail("a connection broke or answered with an unexpected status");
      }
    }
  }
  free(q.due);
  for (int i = 0; i < n; i++)
    connection_close(&cs[i]);
  free(cs);
  close(epfd);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 5)
    return fail("usage: fixed_rate_client URL RATE SECONDS CONNECTIONS [--cafile CA] [-H 'Name: value']...");
  target t = {0};
  char path[2048];
  const char *headers[MAX_HEADERS];
  int n_headers = 0;
  double rate = strtod(argv[2], NULL), seconds = strtod(argv[3], NULL);
  int connections = (int)strtol(argv[4], NULL, 10);
  if (rate < 1 || rate > 1e7 || seconds <= 0 || connections < 1 || connections > 10000)
    return fail("RATE 1 to 10,000,000, SECONDS > 0, CONNECTIONS 1 to 10,000");
  for (int i = 5; i < argc; i++) {
    if (strcmp(argv[i], "--cafile") == 0 && i + 1 < argc)
      t.cafile = argv[++i];
    else if (strcmp(argv[i], "-H") == 0 && i + 1 < argc && n_headers < MAX_HEADERS)
      headers[n_headers++] = argv[++i];
    else
      return fail("unknown or incomplete argument");
  }
  if (parse_url(argv[1], &t, path, sizeof path) != 0)
    return 1;
  char host[64];
  inet_ntop(AF_INET, &t.addr.sin_addr, host, sizeof host);
  if (build_request(&t, path, host, headers, n_headers) != 0)
    return 1;
  if (t.https && (gnutls_certificate_allocate_credentials(&t.creds) != GNUTLS_E_SUCCESS ||
                  !t.cafile || gnutls_certificate_set_x509_trust_file(t.creds, t.cafile, GNUTLS_X509_FMT_PEM) <= 0))
    return fail("https needs --cafile with a readable PEM CA");
  tally y = {0};
  int ret = run(&t, rate, seconds, connections, &y);
  qsort(y.us, y.n, sizeof *y.us, compare_u32);
  printf("due %llu answered %zu late %llu errors %llu p50 %.2f p90 %.2f p99 %.2f p999 %.2f max %.2f\n",
         y.due, y.n, y.due > y.n ? y.due - y.n : 0, y.errors, percentile_ms(&y, 0.50),
         percentile_ms(&y, 0.90), percentile_ms(&y, 0.99), percentile_ms(&y, 0.999),
         y.n ? y.us[y.n - 1] / 1000.0 : 0);
  free(y.us);
  if (t.creds)
    gnutls_certificate_free_credentials(t.creds);
  return ret;
}
