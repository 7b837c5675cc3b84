/* Repair submissions with durable commits: throughput and latency at a
 * given number of concurrent clients.  Each client is a thread with its own
 * keep-alive libcurl handle posting distinct repairs (distinct
 * Idempotency-Keys) for a fixed time.
 *
 *   repair_bench [SECONDS] [CLIENTS ...]     default: 5 1 16 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  printf("| %2d | %6d | %6d | %8.1f | %7.2f | %7.2f |\n", clients, total, errors, total / elapsed,
         total ? all[total / 2] : -1.0, total ? all[(int)(total * 0.99)] : -1.0);
  fflush(stdout);
  free(all);
  free(cs);
  free(th);
}

int main(int argc, char **argv)
{
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
  printf("| clients | filed | errors | tickets/s | p50 ms | p99 ms |\n|---:|---:|---:|---:|---:|---:|\n");
  for (int i = 0; i < count; i++)
    run(&s, sizes[i], seconds);
  int rc = test_server_stop(&s);
  curl_global_cleanup();
  return rc == 0 ? 0 : 1;
}
