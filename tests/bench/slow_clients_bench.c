/* Slow clients against a real lobbyd (issue 11): SLOW sockets each send
 * one byte every 10 s (a header byte, or a TLS record byte with [tls]),
 * reconnecting 10 s after lobbyd closes one, while a normal client at
 * 127.0.0.2 asks GET /healthz on a new connection every 100 ms.  Prints
 * how many of the normal requests were served and their latency.
 *
 *   slow_clients_bench LOBBYD one|many SLOW SECONDS MAX_CONNECTIONS [CERT KEY CA]
 *
 * one: every slow socket from 127.0.0.1; many: each from its own
 * 127.1.x.y.  Run it with a raised `ulimit -n` (slow_clients_bench.sh). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEND_EVERY_MS 10000
#define RECONNECT_AFTER_MS 10000
#define NORMAL_EVERY_MS 100

typedef struct {
  int fd;
  int64_t next_ms;    /* next byte, or next connect when fd < 0 */
  unsigned sent;
} slow_socket;

static char dir[64] = "/tmp/lobby-slowbench.XXXXXX";
static int port;
static bool many, tls;
static int slow_count;
static slow_socket *slow;
static atomic_bool stop;
static atomic_long connects, closes, open_now;

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int start_lobbyd(const char *lobbyd, int max_connections, char **tls_files, pid_t *pid)
{
  char config[128], log[128], line[128];
  int fds[2];
  snprintf(config, sizeof config, "%s/lobbyd.ini", dir);
  snprintf(log, sizeof log, "%s/lobbyd.log", dir);
  FILE *f = fopen(config, "w");
  if (!f)
    return -1;
  fprintf(f, "[server]\nlisten = 127.0.0.1:0\ndatabase = %s/lobby.db\nmax_connections = %d\n", dir,
          max_connections);
  if (tls)
    fprintf(f, "[tls]\ncert = %s\nkey = %s\n", tls_files[0], tls_files[1]);
  if (fclose(f) != 0 || pipe(fds) != 0)
    return -1;
  *pid = fork();
  if (*pid < 0)
    return -1;
  if (*pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    if (!freopen(log, "a", stderr))
      _exit(126);
    execl(lobbyd, "lobbyd", "serve", "--config", config, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  FILE *in = fdopen(fds[0], "r");
  int rc = -1;
  if (in && fgets(line, sizeof line, in) && strncmp(line, "listening on ", 13) == 0) {
    port = (int)strtol(strrchr(line, ':') + 1, NULL, 10);
    rc = 0;
  }
  if (in)
    fclose(in);
  return rc;
}

static void slow_address(int i, struct in_addr *a)
{
  if (many)
    a->s_addr = htonl((127u << 24) | (1u << 16) | ((unsigned)(i / 250) << 8) | (unsigned)(1 + i % 250));
  else
    inet_pton(AF_INET, "127.0.0.1", a);
}

static void slow_connect(int ep, int i)
{
  slow_socket *s = &slow[i];
  struct sockaddr_in local = {.sin_family = AF_INET};
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  slow_address(i, &local.sin_addr);
  s->next_ms = now_ms() + RECONNECT_AFTER_MS;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return;
  if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0 ||
      (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS)) {
    close(fd);
    return;
  }
  struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)i};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  s->fd = fd;
  s->sent = 0;
  /* Spread the bytes over the 10 s. */
  s->next_ms = now_ms() + (int64_t)(rand() % SEND_EVERY_MS);
  atomic_fetch_add(&connects, 1);
  atomic_fetch_add(&open_now, 1);
}

static void slow_close(int i)
{
  close(slow[i].fd);
  slow[i].fd = -1;
  slow[i].next_ms = now_ms() + RECONNECT_AFTER_MS;
  atomic_fetch_add(&closes, 1);
  atomic_fetch_sub(&open_now, 1);
}

/* The next byte: a request line and an endless header, or a TLS
 * handshake record that never completes. */
static char next_byte(slow_socket *s)
{
  static const char http[] = "GET /api/v1/feed HTTP/1.1\r\nX-a: ";
  static const char hello[] = "\x16\x03\x01\x02\x00\x01";
  const char *head = tls ? hello : http;
  size_t len = tls ? sizeof hello - 1 : sizeof http - 1;
  return s->sent < len ? head[s->sent] : 'a';
}

static void *attacker(void *arg)
{
  int ep = epoll_create1(0);
  struct epoll_event events[256];
  char buf[512];
  (void)arg;
  for (int i = 0; i < slow_count; i++) {
    slow[i].fd = -1;
    slow_connect(ep, i);
  }
  while (!atomic_load(&stop)) {
    int n = epoll_wait(ep, events, 256, 100);
    for (int k = 0; k < n; k++) {
      int i = (int)events[k].data.u32;
      if (slow[i].fd < 0)
        continue;
      ssize_t got = recv(slow[i].fd, buf, sizeof buf, MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN) || (events[k].events & (EPOLLHUP | EPOLLERR)))
        slow_close(i);
    }
    int64_t now = now_ms();
    for (int i = 0; i < slow_count; i++) {
      slow_socket *s = &slow[i];
      if (now < s->next_ms)
        continue;
      if (s->fd < 0) {
        slow_connect(ep, i);
        continue;
      }
      char c = next_byte(s);
      if (send(s->fd, &c, 1, MSG_NOSIGNAL) == 1)
        s->sent++;
      s->next_ms = now + SEND_EVERY_MS;
    }
  }
  for (int i = 0; i < slow_count; i++)
    if (slow[i].fd >= 0)
      close(slow[i].fd);
  close(ep);
  return NULL;
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
  (void)data;
  (void)user;
  return size * n;
}

/* lobbyd's CPU time so far in seconds (user + system), or -1. */
static double cpu_seconds(pid_t pid)
{
  char path[64], text[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  /* Fields 14 and 15, after the command's closing parenthesis. */
  char *p = strrchr(text, ')');
  unsigned long user, sys;
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user, &sys) != 2)
    return -1;
  return (double)(user + sys) / (double)sysconf(_SC_CLK_TCK);
}

/* Removes the run's directory (lobbyd's files in it). */
static void remove_dir(void)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[384];
  if (!d)
    return;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
  closedir(d);
  rmdir(dir);
}

static int by_value(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
  if (argc != 6 && argc != 9) {
    fprintf(stderr, "usage: slow_clients_bench LOBBYD one|many SLOW SECONDS MAX_CONNECTIONS "
                    "[CERT KEY CA]\n");
    return 2;
  }
  many = strcmp(argv[2], "many") == 0;
  slow_count = (int)strtol(argv[3], NULL, 10);
  int seconds = (int)strtol(argv[4], NULL, 10);
  int max_connections = (int)strtol(argv[5], NULL, 10);
  tls = argc == 9;
  pid_t pid;
  slow = calloc((size_t)slow_count, sizeof *slow);
  if (!slow || !mkdtemp(dir) || curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
      start_lobbyd(argv[1], max_connections, argv + 6, &pid) != 0) {
    fprintf(stderr, "slow_clients_bench: lobbyd did not start (see %s)\n", dir);
    return 1;
  }
  pthread_t t;
  double cpu_start = cpu_seconds(pid);
  int64_t run_start = now_ms();
  pthread_create(&t, NULL, attacker, NULL);
  /* Let every slow socket connect once and lobbyd settle. */
  sleep(5);
  char url[96];
  snprintf(url, sizeof url, "%s://127.0.0.1:%d/healthz", tls ? "https" : "http", port);
  size_t cap = (size_t)seconds * 1000 / NORMAL_EVERY_MS + 1, served = 0, asked = 0;
  double *lat = calloc(cap, sizeof *lat);
  long open_min = slow_count, open_max = 0;
  int64_t end = now_ms() + (int64_t)seconds * 1000;
  while (now_ms() < end && asked < cap) {
    int64_t started = now_ms();
    struct timespec t0, t1;
    long status = 0;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_INTERFACE, "host!127.0.0.2");
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (tls)
      curl_easy_setopt(c, CURLOPT_CAINFO, argv[8]);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (curl_easy_perform(c) == CURLE_OK)
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    curl_easy_cleanup(c);
    asked++;
    if (status == 200)
      lat[served++] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    long o = atomic_load(&open_now);
    open_min = o < open_min ? o : open_min;
    open_max = o > open_max ? o : open_max;
    int64_t wait = started + NORMAL_EVERY_MS - now_ms();
    if (wait > 0)
      usleep((useconds_t)wait * 1000);
  }
  double cpu = cpu_seconds(pid) - cpu_start, wall = (double)(now_ms() - run_start) / 1000;
  atomic_store(&stop, true);
  pthread_join(t, NULL);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  remove_dir();
  qsort(lat, served, sizeof *lat, by_value);
  printf("%s, %s, %d slow sockets (%ld connects, %ld closed by lobbyd; %ld-%ld open), "
         "max_connections %d: normal client served %zu of %zu",
         many ? "many addresses" : "one address", tls ? "TLS" : "plain HTTP", slow_count,
         atomic_load(&connects), atomic_load(&closes), open_min, open_max, max_connections, served,
         asked);
  if (served)
    printf(", p50 %.1f ms, p99 %.1f ms, max %.1f ms", lat[served / 2],
           lat[(served * 99) / 100 < served ? (served * 99) / 100 : served - 1], lat[served - 1]);
  printf("; lobbyd used %.1f s of CPU in %.0f s\n", cpu, wall);
  free(lat);
  free(slow);
  curl_global_cleanup();
  return 0;
}
