/* Repair submissions with durable commits: throughput and latency at a
 * given number of concurrent clients.  Each client is a thread with its own
 * keep-alive libcurl handle posting distinct repairs (distinct
 * Idempotency-Keys) for a fixed time.
 *
 *   repair_bench [SECONDS] [CLIENTS ...]     default: 5 1 16
 *
 * With --visit-waiters N (issue 11) it measures the same with no visit
 * long-poll waiting and then with N of them (raw sockets, spread over
 * N/10 visits), then with none again, in one run on one lobbyd: a
 * repair must not cost more because visitors wait on their status.
 *
 *   repair_bench --visit-waiters N [SECONDS] [CLIENTS ...] */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

#define MAX_SAMPLES 200000

typedef struct {
  test_server *s;
  int id;
  double stop_ms;
  double *lat;
  int count;
  int errors;
} client;

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

static size_t discard(char *p, size_t size, size_t n, void *u)
{
  (void)p;
  (void)u;
  return size * n;
}

static void *client_run(void *arg)
{
  client *c = arg;
  char url[128], auth[128], key[96];
  const char *body =
    "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","
    "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","
    "\"urgency\":\"normal\",\"description\":\"基准测试：厨房水龙头漏水\"}";
  CURL *h = curl_easy_init();
  snprintf(url, sizeof url, "%s/api/v1/repairs", c->s->url);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->s->kiosk_token);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  while (now_ms() < c->stop_ms && c->count < MAX_SAMPLES) {
    struct curl_slist *hd = NULL;
    snprintf(key, sizeof key, "Idempotency-Key: bench-%d-%d-%d", (int)getpid(), c->id, c->count);
    hd = curl_slist_append(hd, auth);
    hd = curl_slist_append(hd, key);
    hd = curl_slist_append(hd, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    double t0 = now_ms();
    long status = 0;
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hd);
    if (rc != CURLE_OK || status != 201) {
      c->errors++;
      continue;
    }
    c->lat[c->count++] = now_ms() - t0;
  }
  curl_easy_cleanup(h);
  return NULL;
}

/* Visit long-polls lobbyd holds while run() measures (printed). */
static int waiters_now;

static void run(test_server *s, int clients, double seconds)
{
  client *cs = calloc((size_t)clients, sizeof *cs);
  pthread_t *th = calloc((size_t)clients, sizeof *th);
  double t0 = now_ms();
  for (int i = 0; i < clients; i++) {
    cs[i] = (client){.s = s, .id = i, .stop_ms = t0 + seconds * 1000,
                     .lat = malloc(MAX_SAMPLES * sizeof(double))};
    pthread_create(&th[i], NULL, client_run, &cs[i]);
  }
  int total = 0, errors = 0;
  for (int i = 0; i < clients; i++) {
    pthread_join(th[i], NULL);
    total += cs[i].count;
    errors += cs[i].errors;
  }
  double elapsed = (now_ms() - t0) / 1000;
  double *all = malloc((size_t)(total ? total : 1) * sizeof *all);
  int k = 0;
  for (int i = 0; i < clients; i++) {
    memcpy(all + k, cs[i].lat, (size_t)cs[i].count * sizeof *all);
    k += cs[i].count;
    free(cs[i].lat);
  }
  qsort(all, (size_t)total, sizeof *all, cmp_double);
  printf("| %5d | %2d | %6d | %6d | %8.1f | %7.2f | %7.2f |\n", waiters_now, clients, total,
         errors, total / elapsed,
         total ? all[total / 2] : -1.0, total ? all[(int)(total * 0.99)] : -1.0);
  fflush(stdout);
  free(all);
  free(cs);
  free(th);
}

static int waiting_count(test_server *s)
{
  test_response r;
  int n = -1;
  if (test_http(s, "GET", "/healthz", NULL, NULL, NULL, &r) == 0)
    n = (int)json_integer_value(json_object_get(r.json, "waiting"));
  test_response_free(&r);
  return n;
}

/* lobbyd with room for the waiters and no cap on one kiosk's long-polls. */
static int write_config(test_server *s, int waiters)
{
  int n = snprintf(s->ini, sizeof s->ini,
                   "[server]\nmax_connections = %d\n[limits]\nlongpolls_per_token = 0\n"
                   "connections_per_address = 0\nkiosk_submissions_per_minute = 100000\n",
                   waiters + 1000);
  return n > 0 && (size_t)n < sizeof s->ini ? 0 : -1;
}

/* Registers n/10 visits at the kiosk and holds n status long-polls on
 * them; returns the sockets (closed by the caller). */
static int *hold_visit_waiters(test_server *s, int n)
{
  int visits = n / 10 > 0 ? n / 10 : 1;
  char (*ids)[32] = calloc((size_t)visits, 32);
  const char *body = "{\"name\":\"李四\",\"phone\":\"13900001111\",\"host\":\"1-2-301\","
                     "\"purpose\":\"family\",\"party_size\":2}";
  for (int i = 0; i < visits; i++) {
    char key[64];
    snprintf(key, sizeof key, "Idempotency-Key: bench-visit-%d-%d", (int)getpid(), i);
    const char *h[] = {key, NULL};
    test_response r;
    if (test_http(s, "POST", "/api/v1/visits", s->kiosk_token, body, h, &r) != 0 ||
        r.status != 201) {
      fprintf(stderr, "visit %d not registered\n", i);
      exit(1);
    }
    snprintf(ids[i], 32, "%s", json_string_value(json_object_get(r.json, "id")));
    test_response_free(&r);
  }
  int *fds = calloc((size_t)n, sizeof *fds);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  for (int i = 0; i < n; i++) {
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET /api/v1/visits/%s/status?wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Authorization: Bearer %s\r\nIf-None-Match: \"approved\"\r\n\r\n",
                       ids[i % visits], s->kiosk_token);
    fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&a, sizeof a) != 0 ||
        write(fds[i], req, (size_t)len) != len) {
      perror("visit long-poll");
      exit(1);
    }
  }
  free(ids);
  double give_up = now_ms() + 60000;
  while (waiting_count(s) < n && now_ms() < give_up)
    usleep(20000);
  waiters_now = waiting_count(s);
  return fds;
}

static int run_with_waiters(int argc, char **argv)
{
  int waiters = atoi(argv[2]);
  double seconds = argc > 3 ? atof(argv[3]) : 5;
  int sizes[8] = {1}, count = 1;
  if (argc > 4) {
    count = 0;
    for (int i = 4; i < argc && count < 8; i++)
      sizes[count++] = atoi(argv[i]);
  }
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  test_server s;
  memset(&s, 0, sizeof s);
  if (write_config(&s, waiters) != 0 || test_server_start(&s) != 0) {
    fprintf(stderr, "cannot start lobbyd\n");
    return 1;
  }
  printf("| visit waiters | clients | filed | errors | tickets/s | p50 ms | p99 ms |\n"
         "|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int i = 0; i < count; i++)
    run(&s, sizes[i], seconds);
  int *fds = hold_visit_waiters(&s, waiters);
  for (int i = 0; i < count; i++)
    run(&s, sizes[i], seconds);
  for (int i = 0; i < waiters; i++)
    close(fds[i]);
  free(fds);
  /* And without them again: the first round also warmed the database. */
  double give_up = now_ms() + 60000;
  while (waiting_count(&s) != 0 && now_ms() < give_up)
    usleep(20000);
  waiters_now = waiting_count(&s);
  for (int i = 0; i < count; i++)
    run(&s, sizes[i], seconds);
  int rc = test_server_stop(&s);
  curl_global_cleanup();
  return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
  if (argc > 2 && strcmp(argv[1], "--visit-waiters") == 0)
    return run_with_waiters(argc, argv);
  double seconds = argc > 1 ? atof(argv[1]) : 5;
  int sizes[8] = {1, 16}, count = 2;
  if (argc > 2) {
    count = 0;
    for (int i = 2; i < argc && count < 8; i++)
      sizes[count++] = atoi(argv[i]);
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  test_server s;
  memset(&s, 0, sizeof s);
  if (test_server_start(&s) != 0) {
    fprintf(stderr, "cannot start lobbyd\n");
    return 1;
  }
  printf("| visit waiters | clients | filed | errors | tickets/s | p50 ms | p99 ms |\n"
         "|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int i = 0; i < count; i++)
    run(&s, sizes[i], seconds);
  int rc = test_server_stop(&s);
  curl_global_cleanup();
  return rc == 0 ? 0 : 1;
}
