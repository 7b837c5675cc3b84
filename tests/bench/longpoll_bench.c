/* Wake-up latency of long-polling kiosks.
 *
 * Starts a real lobbyd, enrols kiosks, holds N long-polls on the feed
 * (raw sockets on one epoll, so the client is never the bottleneck),
 * posts a notice, and measures for each kiosk the time from the start of
 * the post to the last byte of its new feed.  Prints p50/p99/max per N and
 * lobbyd's peak RSS.
 *
 *   longpoll_bench [N ...]        default: 100 1000 2000
 *
 * With --drop N it measures abandoned long-polls instead (issue 11): N
 * feed long-polls of one kiosk are held, then all closed at once without
 * reading; it prints the time until lobbyd holds none of them and the
 * latency of /healthz, asked back to back meanwhile.
 *
 *   longpoll_bench --drop N
 *
 * With LONGPOLL_INSTANCES=2 (under tests/support/with_postgres.sh, so the
 * two share one PostgreSQL) a second lobbyd is started on the same
 * database and the kiosks alternate between the two; the notice is posted
 * to the first, so half the kiosks are woken through the other instance
 * (LISTEN/NOTIFY).  Peak RSS is then the larger of the two. */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

typedef struct {
  int fd;
  char *buf;
  size_t len;
  double done_ms;     /* 0 until the whole answer arrived; -1 if closed before */
  long status;
} poller;

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void raise_fd_limit(void)
{
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

static int connect_to(int port)
{
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("connect");
    exit(1);
  }
  return fd;
}

/* True once headers and Content-Length bytes of body are in. */
static int answer_complete(poller *p)
{
  if (!p->buf)
    return 0;
  char *end = strstr(p->buf, "\r\n\r\n");
  if (!end)
    return 0;
  sscanf(p->buf, "HTTP/1.1 %ld", &p->status);
  char *cl = strcasestr(p->buf, "Content-Length:");
  size_t want = cl && cl < end ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
  return p->len >= (size_t)(end + 4 - p->buf) + want;
}

static long vm_hwm_kb(pid_t pid)
{
  char path[64], line[256];
  long kb = -1;
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0)
      kb = atol(line + 6);
  if (f)
    fclose(f);
  return kb;
}

/* The lobbyd instances the kiosks are spread over: servers[0] takes the
 * post. */
static test_server *servers[2];
static int instances = 1;

static int waiting_count(test_server *s)
{
  test_response r;
  int n = -1;
  if (test_http(s, "GET", "/healthz", NULL, NULL, NULL, &r) == 0)
    n = (int)json_integer_value(json_object_get(r.json, "waiting"));
  test_response_free(&r);
  return n;
}

static int waiting_everywhere(void)
{
  int sum = 0;
  for (int i = 0; i < instances; i++)
    sum += waiting_count(servers[i]);
  return sum;
}

static long peak_rss_mib(void)
{
  long kb = 0;
  for (int i = 0; i < instances; i++)
    if (vm_hwm_kb(servers[i]->pid) > kb)
      kb = vm_hwm_kb(servers[i]->pid);
  return kb / 1024;
}

/* Opens the long-polls of kiosks first, first + step, … below n, each on
 * its instance, into an epoll set; returns how many. */
static int open_pollers(poller *ps, int ep, char (*tokens)[64], const char *etag, int n, int first,
                        int step)
{
  int count = 0;
  for (int i = first; i < n; i += step, count++) {
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET /api/v1/feed?wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Authorization: Bearer %s\r\nIf-None-Match: %s\r\n\r\n", tokens[i], etag);
    poller *p = &ps[count];
    p->fd = connect_to(servers[i % instances]->port);
    if (write(p->fd, req, (size_t)len) != len) {
      perror("write");
      exit(1);
    }
    fcntl(p->fd, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)count};
    epoll_ctl(ep, EPOLL_CTL_ADD, p->fd, &ev);
  }
  return count;
}

/* Reads answers until all count are in or 30 s after t0; returns the
 * latencies (ms after t0) of the 200s in lat, and how many. */
static int collect(poller *ps, int ep, int count, double t0, double *lat)
{
  int done = 0, ok = 0;
  struct epoll_event evs[256];
  while (done < count && now_ms() - t0 < 30000) {
    int k = epoll_wait(ep, evs, 256, 1000);
    for (int e = 0; e < k; e++) {
      poller *p = &ps[evs[e].data.u32];
      char chunk[16384];
      /* One read per event: the epoll set is level-triggered, so what is
       * left is reported again.  The client shares the server's cores, so
       * it spends no system call it can do without: no read that would
       * only say EAGAIN, and no removal from the set once the answer is in
       * (nothing more arrives on the socket). */
      ssize_t got = read(p->fd, chunk, sizeof chunk);
      if (got <= 0) {
        if (got == 0 || errno != EAGAIN) { /* closed */
          epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
          if (!p->done_ms) { /* before its answer: done, not woken */
            p->done_ms = -1;
            done++;
          }
        }
        continue;
      }
      p->buf = realloc(p->buf, p->len + (size_t)got + 1);
      memcpy(p->buf + p->len, chunk, (size_t)got);
      p->len += (size_t)got;
      p->buf[p->len] = '\0';
      if (!p->done_ms && answer_complete(p)) {
        p->done_ms = now_ms() - t0;
        done++;
      }
    }
  }
  for (int i = 0; i < count; i++) {
    if (ps[i].done_ms > 0 && ps[i].status == 200)
      lat[ok++] = ps[i].done_ms;
    close(ps[i].fd);
    free(ps[i].buf);
  }
  return ok;
}

static void write_all(int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w <= 0) {
      perror("pipe");
      exit(1);
    }
    p += w;
    len -= (size_t)w;
  }
}

static void read_all(int fd, void *buf, size_t len)
{
  char *p = buf;
  while (len > 0) {
    ssize_t r = read(fd, p, len);
    if (r <= 0) {
      fprintf(stderr, "the helper process ended early\n");
      exit(1);
    }
    p += r;
    len -= (size_t)r;
  }
}

/* With two instances the second instance's long-polls are held by a
 * child process: one process may hold at most RLIMIT_NOFILE sockets
 * (20,000 here), and 20,000 kiosks need more.  The child waits for the
 * post's start time (CLOCK_MONOTONIC is the same for both processes) and
 * sends back its latencies. */
static pid_t start_helper(char (*tokens)[64], const char *etag, int n, int to_child[2],
                          int from_child[2])
{
  if (pipe(to_child) != 0 || pipe(from_child) != 0) {
    perror("pipe");
    exit(1);
  }
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  int ep = epoll_create1(0);
  poller *ps = calloc((size_t)n / 2 + 1, sizeof *ps);
  double *lat = calloc((size_t)n / 2 + 1, sizeof *lat);
  int count = open_pollers(ps, ep, tokens, etag, n, 1, 2);
  double t0;
  read_all(to_child[0], &t0, sizeof t0);
  int ok = collect(ps, ep, count, t0, lat);
  write_all(from_child[1], &ok, sizeof ok);
  write_all(from_child[1], lat, sizeof *lat * (size_t)ok);
  _exit(0);
}

static void run_round(test_server *s, char (*tokens)[64], int n, int round)
{
  test_response feed;
  if (test_http(s, "GET", "/api/v1/feed", tokens[0], NULL, NULL, &feed) != 0 || feed.status != 200) {
    fprintf(stderr, "feed failed\n");
    exit(1);
  }
  char etag[64];
  snprintf(etag, sizeof etag, "%s", feed.etag);
  test_response_free(&feed);

  int to_child[2], from_child[2];
  pid_t helper = instances == 2 ? start_helper(tokens, etag, n, to_child, from_child) : 0;
  int ep = epoll_create1(0);
  poller *ps = calloc((size_t)n, sizeof *ps);
  int count = open_pollers(ps, ep, tokens, etag, n, 0, instances);
  /* Wait until lobbyd holds every poll, so the post finds them all. */
  double give_up = now_ms() + 60000;
  while (waiting_everywhere() < n && now_ms() < give_up)
    usleep(20000);
  if (waiting_everywhere() < n) {
    fprintf(stderr, "only %d of %d long-polls are waiting\n", waiting_everywhere(), n);
    exit(1);
  }

  char body[256];
  snprintf(body, sizeof body, "{\"title\":\"基准测试通知 %d-%d\",\"body\":\"wake-up\"}", n, round);
  double t0 = now_ms();
  if (helper)
    write_all(to_child[1], &t0, sizeof t0);
  json_t *posted = test_admin(s, "POST", "/api/v1/notices", body, 201);
  if (!posted)
    exit(1);
  json_decref(posted);

  double *lat = calloc((size_t)n, sizeof *lat);
  int ok = collect(ps, ep, count, t0, lat);
  if (helper) {
    int theirs;
    read_all(from_child[0], &theirs, sizeof theirs);
    read_all(from_child[0], lat + ok, sizeof *lat * (size_t)theirs);
    ok += theirs;
    waitpid(helper, NULL, 0);
    close(to_child[0]); close(to_child[1]); close(from_child[0]); close(from_child[1]);
  }
  qsort(lat, (size_t)ok, sizeof *lat, cmp_double);
  printf("| %5d | %5d | %8.1f | %8.1f | %8.1f | %8.1f | %8ld |\n", n, ok, ok ? lat[0] : -1.0,
         ok ? lat[ok / 2] : -1.0,
         ok ? lat[(int)(ok * 0.99) < ok ? (int)(ok * 0.99) : ok - 1] : -1.0, ok ? lat[ok - 1] : -1.0,
         peak_rss_mib());
  fflush(stdout);
  free(lat);
  free(ps);
  close(ep);
}

/* CPU time lobbyd has used so far (user + system), in ms. */
static double cpu_ms(pid_t pid)
{
  char path[64], text[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
  if (f)
    fclose(f);
  text[n] = '\0';
  const char *p = strrchr(text, ')');
  unsigned long long utime = 0, stime = 0;
  /* Fields after the name: state is the 3rd, utime the 14th, stime the 15th. */
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                   &stime) != 2)
    return -1;
  return (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* lobbyd for the drop round: room for N connections, and no cap on one
 * token's long-polls (the N come from one kiosk, as in the attack).
 * LONGPOLL_THREADS sets each lobbyd's HTTP threads ([server] threads;
 * default: one per core). */
static void write_drop_config(test_server *s, int n)
{
  const char *threads = getenv("LONGPOLL_THREADS");
  snprintf(s->ini, sizeof s->ini,
           "[server]\nmax_connections = %d\nthreads = %d\n[limits]\nlongpolls_per_token = 0\n"
           "connections_per_address = 0\nkiosk_submissions_per_minute = 100000\n", n + 1000,
           threads ? atoi(threads) : 0);
}

/* /healthz back to back from `from` until lobbyd holds no long-poll. */
typedef struct {
  test_server *s;
  double from;        /* the first close */
  double *lat;
  int probes, left;
  double freed;       /* ms from `from` to the first answer with waiting 0 */
} prober;

#define MAX_PROBES 100000

static void *probe_run(void *arg)
{
  prober *p = arg;
  while (p->probes < MAX_PROBES && now_ms() - p->from < 120000) {
    test_response h;
    double a = now_ms();
    int rc = test_http(p->s, "GET", "/healthz", NULL, NULL, NULL, &h);
    p->lat[p->probes++] = now_ms() - a;
    if (rc == 0 && h.status == 200)
      p->left = (int)json_integer_value(json_object_get(h.json, "waiting"));
    test_response_free(&h);
    if (p->left == 0) {
      p->freed = now_ms() - p->from;
      break;
    }
  }
  return NULL;
}

static int run_drop(int n)
{
  raise_fd_limit();
  test_server s;
  memset(&s, 0, sizeof s);
  write_drop_config(&s, n);
  if (test_server_start(&s) != 0) {
    fprintf(stderr, "cannot start lobbyd\n");
    return 1;
  }
  test_response feed;
  if (test_http(&s, "GET", "/api/v1/feed", s.kiosk_token, NULL, NULL, &feed) != 0 ||
      feed.status != 200) {
    fprintf(stderr, "feed failed\n");
    return 1;
  }
  int *fds = calloc((size_t)n, sizeof *fds);
  char req[512];
  int len = snprintf(req, sizeof req,
                     "GET /api/v1/feed?wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nIf-None-Match: %s\r\n\r\n", s.kiosk_token,
                     feed.etag);
  test_response_free(&feed);
  double t_open = now_ms();
  for (int i = 0; i < n; i++) {
    fds[i] = connect_to(s.port);
    if (write(fds[i], req, (size_t)len) != len) {
      perror("write");
      return 1;
    }
  }
  double give_up = now_ms() + 60000;
  while (waiting_count(&s) < n && now_ms() < give_up)
    usleep(20000);
  int held = waiting_count(&s);
  printf("Dropped long-polls: %d opened in %.0f ms, %d held by lobbyd\n", n, now_ms() - t_open, held);
  double cpu0 = cpu_ms(s.pid);
  prober p = {.s = &s, .from = now_ms(), .lat = calloc(MAX_PROBES, sizeof(double)),
              .left = held, .freed = -1};
  pthread_t th;
  pthread_create(&th, NULL, probe_run, &p);
  for (int i = 0; i < n; i++)
    close(fds[i]);
  double closed = now_ms() - p.from;
  pthread_join(th, NULL);
  double cpu = cpu_ms(s.pid) - cpu0;
  double *lat = p.lat, freed = p.freed;
  int probes = p.probes, left = p.left;
  qsort(lat, (size_t)probes, sizeof *lat, cmp_double);
  printf("closed all in %.0f ms; all freed %.0f ms after the first close (%d still held at the "
         "end)\n/healthz while it happened: %d probes, p50 %.1f ms, p90 %.1f ms, max %.1f ms\n",
         closed, freed, left, probes, probes ? lat[probes / 2] : -1.0,
         probes ? lat[probes * 9 / 10] : -1.0, probes ? lat[probes - 1] : -1.0);
  printf("lobbyd CPU (user + system) from the first close until none was held: %.0f ms\n", cpu);
  free(lat);
  free(fds);
  int rc = test_server_stop(&s);
  return rc == 0 && left == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
  if (argc == 3 && strcmp(argv[1], "--drop") == 0)
    return run_drop(atoi(argv[2]));
  int sizes[16], count = 0, max = 0;
  for (int i = 1; i < argc && count < 16; i++)
    sizes[count++] = atoi(argv[i]);
  if (count == 0) {
    sizes[0] = 100; sizes[1] = 1000; sizes[2] = 2000;
    count = 3;
  }
  for (int i = 0; i < count; i++)
    if (sizes[i] > max)
      max = sizes[i];
  raise_fd_limit();
  test_server s;
  memset(&s, 0, sizeof s);
  /* Every long-poll comes from 127.0.0.1: the per-address cap is off. */
  write_drop_config(&s, max);
  if (test_server_start(&s) != 0) {
    fprintf(stderr, "cannot start lobbyd\n");
    return 1;
  }
  test_server peer;
  servers[0] = &s;
  const char *want = getenv("LONGPOLL_INSTANCES");
  if (want && strcmp(want, "2") == 0) {
    if (test_server_start_peer(&s, &peer) != 0) {
      fprintf(stderr, "cannot start the second lobbyd\n");
      return 1;
    }
    servers[1] = &peer;
    instances = 2;
  }
  char (*tokens)[64] = calloc((size_t)max, 64);
  double t0 = now_ms();
  for (int i = 0; i < max; i++) {
    char name[32];
    snprintf(name, sizeof name, "bench-%d", i);
    if (test_kiosk(&s, name, "1", "", tokens[i]) != 0)
      return 1;
  }
  char cpu[128] = "unknown";
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "model name", 10) == 0) {
      snprintf(cpu, sizeof cpu, "%s", strchr(line, ':') + 2);
      cpu[strcspn(cpu, "\n")] = '\0';
      break;
    }
  if (f)
    fclose(f);
  printf("Long-poll wake-up: %ld cores (%s); enrolled %d kiosks in %.1f s; %d lobbyd "
         "instance(s) on %s\n\n", sysconf(_SC_NPROCESSORS_ONLN), cpu, max, (now_ms() - t0) / 1000,
         instances, getenv("LOBBY_TEST_PG") ? "PostgreSQL" : "SQLite");
  printf("| kiosks | woken | first ms | p50 ms | p99 ms | max ms | lobbyd peak RSS MiB |\n");
  printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int i = 0; i < count; i++)
    run_round(&s, tokens, sizes[i], i);
  free(tokens);
  if (instances == 2 && test_server_stop(&peer) != 0)
    fprintf(stderr, "the second lobbyd did not stop cleanly\n");
  int stopped = test_server_stop(&s);
  return stopped == 0 ? 0 : 1;
}
