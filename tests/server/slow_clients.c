/* Slow clients cannot hold lobbyd's connections (issue 11): a real lobbyd
 * with max_connections 16, [limits] connections_per_address 8 and
 * request_deadline_s 2.  From 127.0.0.1, 20 sockets dribble a header byte
 * a second: the 12 beyond the cap are closed at once, the 8 others after
 * the deadline.  One socket from 127.0.0.3 dribbles a POST body and is
 * closed after the deadline too; one from 127.0.0.4 sends a whole request
 * and then dribbles its next one on the kept-alive connection, and is
 * closed after the deadline.  Meanwhile a normal client at 127.0.0.2 is
 * served every one of its 6 requests.  Then a reload (SIGHUP) lowers the
 * cap to 2, which the next connections meet.  Then slow sockets from many
 * addresses, where the per-address cap cannot help: with [limits]
 * arriving_connections 4, of 10 the 6 oldest are shed; with no such cap,
 * 20 of them fill the 16 connection slots, and the normal client is still
 * served (the oldest arriving is shed to make room).
 *
 * Usage: slow_clients LOBBYD */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOW 20
#define CAP 8
#define DEADLINE_S 2
#define NORMAL_REQUESTS 6

static int failures;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
      failures++;                                          \
    }                                                      \
  } while (0)

static char dir[64] = "/tmp/lobby-slow.XXXXXX";
static pid_t lobbyd_pid;
static int port;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_config_arriving(int cap, int arriving)
{
  char path[128];
  snprintf(path, sizeof path, "%s/lobbyd.ini", dir);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fprintf(f,
          "[server]\nlisten = 127.0.0.1:0\ndatabase = %s/lobby.db\nmax_connections = 16\n"
          "threads = 1\n[limits]\nrequest_deadline_s = %d\nconnections_per_address = %d\n"
          "idle_timeout_s = 3\narriving_connections = %d\n",
          dir, DEADLINE_S, cap, arriving);
  return fclose(f);
}

static int write_config(int cap)
{
  return write_config_arriving(cap, 1000);
}

/* Starts lobbyd on the config and reads the port it bound. */
static int start_lobbyd(const char *lobbyd)
{
  int fds[2];
  char config[128], log[128];
  snprintf(config, sizeof config, "%s/lobbyd.ini", dir);
  snprintf(log, sizeof log, "%s/lobbyd.log", dir);
  if (pipe(fds) != 0)
    return -1;
  lobbyd_pid = fork();
  if (lobbyd_pid < 0)
    return -1;
  if (lobbyd_pid == 0) {
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
  char line[128];
  int rc = -1;
  if (in && fgets(line, sizeof line, in) && strncmp(line, "listening on ", 13) == 0) {
    port = (int)strtol(strrchr(line, ':') + 1, NULL, 10);
    rc = 0;
  }
  if (in)
    fclose(in);
  return rc;
}

/* A socket from `from` connected to lobbyd, or -1. */
static int connect_from(const char *from)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in local = {.sin_family = AF_INET};
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, from, &local.sin_addr);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof local) != 0 ||
      connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

static bool send_text(int fd, const char *text)
{
  size_t len = strlen(text);
  return send(fd, text, len, MSG_NOSIGNAL) == (ssize_t)len;
}

/* True when lobbyd closed fd: end of file or a reset, read without
 * waiting; answer bytes (a kept-alive reply) are drained first. */
static bool closed_by_server(int fd)
{
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0)
      return true;
    if (n < 0)
      return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
  (void)data;
  (void)user;
  return size * n;
}

/* One GET /healthz from 127.0.0.2 on a new connection; its status or 0. */
static long normal_request(void)
{
  char url[64];
  long status = 0;
  snprintf(url, sizeof url, "http://127.0.0.1:%d/healthz", port);
  CURL *c = curl_easy_init();
  if (!c)
    return 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_INTERFACE, "host!127.0.0.2");
  curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1500L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  return status;
}

static void run(void)
{
  int slow[SLOW], body, kept;
  int open_after_accept = 0, served = 0;
  double t0 = now_s();
  for (int i = 0; i < SLOW; i++) {
    slow[i] = connect_from("127.0.0.1");
    CHECK(slow[i] >= 0, "slow socket %d did not connect", i);
    if (slow[i] >= 0 && !send_text(slow[i], "G"))
      CHECK(0, "slow socket %d: first byte not sent", i);
  }
  body = connect_from("127.0.0.3");
  CHECK(body >= 0 && send_text(body, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: 400\r\n\r\n{"),
        "the slow body's headers were not sent");
  kept = connect_from("127.0.0.4");
  CHECK(kept >= 0 && send_text(kept, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /hea"),
        "the kept-alive request was not sent");
  /* Those beyond the cap are refused at accept. */
  usleep(500 * 1000);
  for (int i = 0; i < SLOW; i++)
    if (slow[i] >= 0 && !closed_by_server(slow[i]))
      open_after_accept++;
  CHECK(open_after_accept == CAP, "%d slow sockets open after accept, expected %d",
        open_after_accept, CAP);
  /* Dribble a byte a second; the normal client asks meanwhile.  Before the
   * deadline nothing is closed. */
  for (int tick = 0; tick < 5; tick++) {
    for (int i = 0; i < SLOW; i++)
      if (slow[i] >= 0 && !closed_by_server(slow[i]))
        (void)send_text(slow[i], tick ? "a" : "ET / HTTP/1.1\r\nX-a: ");
    (void)send_text(body, "\"");
    (void)send_text(kept, "l");
    if (tick < 3) {
      for (int k = 0; k < 2; k++)
        served += normal_request() == 200;
    }
    if (tick == 0) {
      int open = 0;
      for (int i = 0; i < SLOW; i++)
        open += slow[i] >= 0 && !closed_by_server(slow[i]);
      CHECK(open == CAP, "%d slow sockets open %.1f s in, expected %d before the deadline", open,
            now_s() - t0, CAP);
    }
    double next = t0 + 0.5 + tick + 1;
    while (now_s() < next)
      usleep(50 * 1000);
  }
  CHECK(served == NORMAL_REQUESTS, "the normal client was served %d of %d", served,
        NORMAL_REQUESTS);
  /* 5.5 s in, a second after the last byte (the idle timeout is 3 s):
   * past the deadline (2 s) and a sweep (1 s), all were closed. */
  int still = 0;
  for (int i = 0; i < SLOW; i++)
    if (slow[i] >= 0 && !closed_by_server(slow[i]))
      still++;
  CHECK(still == 0, "%d dribbling sockets still open %.1f s after they connected", still,
        now_s() - t0);
  CHECK(closed_by_server(body), "the dribbled body still open %.1f s in", now_s() - t0);
  CHECK(closed_by_server(kept), "the dribbled kept-alive request still open %.1f s in",
        now_s() - t0);
  for (int i = 0; i < SLOW; i++)
    if (slow[i] >= 0)
      close(slow[i]);
  close(body);
  close(kept);
  /* The address's count went back down: a new connection is served. */
  long status = 0;
  for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
    char answer[512] = "";
    int fd = connect_from("127.0.0.1");
    if (fd >= 0 && send_text(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
      struct pollfd p = {.fd = fd, .events = POLLIN};
      if (poll(&p, 1, 1000) == 1 && recv(fd, answer, sizeof answer - 1, 0) > 12)
        status = strtol(answer + 9, NULL, 10);
    }
    if (fd >= 0)
      close(fd);
    if (status != 200)
      usleep(100 * 1000);
  }
  CHECK(status == 200, "127.0.0.1 not served after its slow sockets closed (%ld)", status);
}

/* Removes the test's directory (lobbyd's files in it). */
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

/* True once lobbyd's log has `times` lines containing text (up to 5 s). */
static bool log_shows_times(const char *text, int times)
{
  char path[128], line[512];
  snprintf(path, sizeof path, "%s/lobbyd.log", dir);
  for (int i = 0; i < 50; i++) {
    FILE *f = fopen(path, "r");
    int found = 0;
    while (f && fgets(line, sizeof line, f))
      found += strstr(line, text) != NULL;
    if (f)
      fclose(f);
    if (found >= times)
      return true;
    usleep(100 * 1000);
  }
  return false;
}

static bool log_shows(const char *text)
{
  return log_shows_times(text, 1);
}

/* SIGHUP with connections_per_address = 2: the next sockets from one
 * address are capped at 2. */
static void reload_cap(void)
{
  int fds[4], open = 0;
  CHECK(write_config(2) == 0, "cannot rewrite the config");
  kill(lobbyd_pid, SIGHUP);
  CHECK(log_shows("applied [limits] connections_per_address"),
        "the reload did not apply the new cap");
  for (int i = 0; i < 4; i++) {
    fds[i] = connect_from("127.0.0.6");
    CHECK(fds[i] >= 0 && send_text(fds[i], "G"), "socket %d from 127.0.0.6 not connected", i);
  }
  usleep(500 * 1000);
  for (int i = 0; i < 4; i++) {
    open += fds[i] >= 0 && !closed_by_server(fds[i]);
    if (fds[i] >= 0)
      close(fds[i]);
  }
  CHECK(open == 2, "%d of 4 sockets open after a reload set the cap to 2", open);
}

/* count sockets from 127.0.1.1, 127.0.1.2, …, each sending a byte of its
 * request line, 50 ms apart (so their age is their order); returns how
 * many connected. */
static int open_many(int *fds, int count)
{
  int connected = 0;
  for (int i = 0; i < count; i++) {
    char from[32];
    snprintf(from, sizeof from, "127.0.1.%d", i + 1);
    fds[i] = connect_from(from);
    if (fds[i] >= 0 && send_text(fds[i], "G"))
      connected++;
    usleep(50 * 1000);
  }
  return connected;
}

static void close_all(int *fds, int count)
{
  for (int i = 0; i < count; i++)
    if (fds[i] >= 0)
      close(fds[i]);
}

/* arriving_connections = 4 (a reload): of 10 slow sockets from 10
 * addresses the 6 that have been arriving longest are shed, the newest 4
 * stay. */
static void shed_oldest(void)
{
  int fds[10], open_old = 0, open_new = 0;
  CHECK(write_config_arriving(2, 4) == 0, "cannot rewrite the config");
  kill(lobbyd_pid, SIGHUP);
  CHECK(log_shows("applied [limits] arriving_connections"), "the reload did not apply it");
  CHECK(open_many(fds, 10) == 10, "not all 10 sockets from 127.0.1.x connected");
  usleep(300 * 1000);
  for (int i = 0; i < 10; i++) {
    bool open = fds[i] >= 0 && !closed_by_server(fds[i]);
    if (i < 6)
      open_old += open;
    else
      open_new += open;
  }
  CHECK(open_old == 0 && open_new == 4,
        "with arriving_connections 4: %d of the 6 oldest and %d of the 4 newest open", open_old,
        open_new);
  close_all(fds, 10);
}

/* No cap on arriving requests (0): 20 slow sockets from 20 addresses more
 * than fill the 16 slots, yet the normal client is served every time, and
 * the newest slow socket is still open (the oldest made room). */
static void slots_full(void)
{
  int fds[20], served = 0;
  CHECK(write_config_arriving(2, 0) == 0, "cannot rewrite the config");
  kill(lobbyd_pid, SIGHUP);
  CHECK(log_shows_times("applied [limits] arriving_connections", 2), "the reload did not apply 0");
  open_many(fds, 20);
  usleep(300 * 1000);
  for (int k = 0; k < 3; k++)
    served += normal_request() == 200;
  CHECK(served == 3, "with every slot taken by slow sockets the normal client was served %d of 3",
        served);
  CHECK(fds[19] >= 0 && !closed_by_server(fds[19]), "the newest slow socket was closed");
  CHECK(fds[0] < 0 || closed_by_server(fds[0]), "the oldest slow socket is still open");
  close_all(fds, 20);
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: slow_clients LOBBYD\n");
    return 2;
  }
  if (!mkdtemp(dir) || write_config(CAP) != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
    fprintf(stderr, "slow_clients: cannot set up %s\n", dir);
    return 1;
  }
  if (start_lobbyd(argv[1]) != 0) {
    fprintf(stderr, "slow_clients: lobbyd did not start (log in %s)\n", dir);
    return 1;
  }
  run();
  reload_cap();
  shed_oldest();
  slots_full();
  kill(lobbyd_pid, SIGTERM);
  int status = 0;
  waitpid(lobbyd_pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "lobbyd did not stop cleanly (log in %s)",
        dir);
  curl_global_cleanup();
  if (failures) {
    fprintf(stderr, "slow_clients: %d failures (lobbyd's log in %s)\n", failures, dir);
    return 1;
  }
  remove_dir();
  printf("slow_clients: all passed\n");
  return 0;
}
