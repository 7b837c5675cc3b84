/* The repair desk at volume (issue 15): a real lobbyd with N tickets
 * (default 100,000) as a compound has them after a few years: OPEN of
 * them (default 1,000) still open, filed through the API, a tenth of
 * those overdue (filed with lobbyd's clock two days back); the rest the
 * closed history, written straight into the database beforehand (sqlite3
 * or psql: through the API each would take six events).  Then the list's
 * page and its counts (one GET /api/v1/repairs, as the console asks) are
 * timed for the queries a desk makes: its default order, the newest, a
 * page far down, each kind of search, and the cards' filters.  Prints
 * p50/p99/max per query.  SQLite by default; under
 * tests/support/with_postgres.sh, PostgreSQL.
 *
 *   repair_list_bench [TICKETS] [ROUNDS] [OPEN]    default: 100000 200 1000 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_server.h"

#define FILERS 4

static test_server server;

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

static size_t keep(char *p, size_t size, size_t n, void *u)
{
  (void)p;
  (void)u;
  return size * n;
}

typedef struct {
  int first, step, end;
  int errors;
} filer;

/* Files tickets first, first + step, … below end on one keep-alive
 * handle; i picks the room, the phone, the name and the words. */
static void *file_tickets(void *arg)
{
  static const char *const rooms[] = {"101", "102", "201", "202", "301", "302"};
  filer *f = arg;
  char url[128], auth[128], key[96], body[512];
  CURL *h = curl_easy_init();
  snprintf(url, sizeof url, "%s/api/v1/repairs", server.url);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.admin_token);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
  for (int i = f->first; i < f->end; i += f->step) {
    snprintf(body, sizeof body,
             "{\"unit\":{\"building\":\"%d\",\"unit\":\"%d\",\"room\":\"%s\"},\"name\":\"住户%d\","
             "\"phone\":\"138%08d\",\"category\":\"water\",\"kind\":\"in_unit\",\"urgency\":\"%s\","
             "\"description\":\"%s %d\",\"source\":\"phone\"}",
             1 + i % 2, 1 + (i / 2) % 2, rooms[(i / 4) % 6], i, i,
             i % 97 == 0 ? "emergency" : "normal",
             i == 42 ? "卫生间天花板漏水" : "厨房水龙头漏水", i);
    struct curl_slist *hd = NULL;
    snprintf(key, sizeof key, "Idempotency-Key: list-bench-%d-%d", (int)getpid(), i);
    hd = curl_slist_append(hd, auth);
    hd = curl_slist_append(hd, key);
    hd = curl_slist_append(hd, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    long status = 0;
    if (curl_easy_perform(h) != CURLE_OK ||
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 201)
      f->errors++;
    curl_slist_free_all(hd);
  }
  curl_easy_cleanup(h);
  return NULL;
}

static int file_range(int from, int to)
{
  pthread_t th[FILERS];
  filer fs[FILERS];
  int errors = 0;
  for (int i = 0; i < FILERS; i++) {
    fs[i] = (filer){.first = from + i, .step = FILERS, .end = to};
    pthread_create(&th[i], NULL, file_tickets, &fs[i]);
  }
  for (int i = 0; i < FILERS; i++) {
    pthread_join(th[i], NULL);
    errors += fs[i].errors;
  }
  return errors;
}

/* rounds GETs of path on one keep-alive handle, after 3 untimed ones
 * (the connection, the statement cache); prints the row. */
static void time_query(const char *what, const char *path, int rounds)
{
  char url[512], auth[128];
  CURL *h = curl_easy_init();
  struct curl_slist *hd = NULL;
  snprintf(url, sizeof url, "%s%s", server.url, path);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", server.admin_token);
  hd = curl_slist_append(hd, auth);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
  double *lat = calloc((size_t)rounds, sizeof *lat);
  int errors = 0;
  for (int i = 0; i < 3; i++)
    (void)curl_easy_perform(h);
  for (int i = 0; i < rounds; i++) {
    double t0 = now_ms();
    long status = 0;
    if (curl_easy_perform(h) != CURLE_OK ||
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200)
      errors++;
    lat[i] = now_ms() - t0;
  }
  qsort(lat, (size_t)rounds, sizeof *lat, cmp_double);
  printf("| %s | `%s` | %.2f | %.2f | %.2f | %d |\n", what, path, lat[rounds / 2],
         lat[(int)(rounds * 0.99)], lat[rounds - 1], errors);
  fflush(stdout);
  free(lat);
  curl_slist_free_all(hd);
  curl_easy_cleanup(h);
}

/* count closed tickets of years gone by, numbered R-2024…, straight
 * into the database: SQLite's file or PostgreSQL's DSN (server.db). */
static int write_history(int count, long long now)
{
  char cmd[1024];
  const char *pg = getenv("LOBBY_TEST_PG");
  if (pg && *pg)
    snprintf(cmd, sizeof cmd,
             "psql -q -v ON_ERROR_STOP=1 '%s' -c \"INSERT INTO repairs (ticket, building, unit, room, "
             "name, phone, phone_last4, category, kind, urgency, description, source, status, "
             "created_at, due_at, updated_at, site_id) SELECT 'R-2024' || lpad((i / 9000)::text, 2, '0') "
             "|| '01-' || lpad((i %% 9000)::text, 4, '0'), (1 + i %% 2)::text, (1 + i / 2 %% 2)::text, "
             "'302', '旧户' || i, '139' || lpad(i::text, 8, '0'), lpad((i %% 10000)::text, 4, '0'), "
             "'electric', 'in_unit', 'normal', '楼道灯不亮 ' || i, 'kiosk', CASE WHEN i %% 10 = 0 "
             "THEN 'completed' ELSE 'closed' END, %lld - 86400 * 3 - i * 600, %lld - i * 600, "
             "%lld - 86400 * 2 - i * 600, 1 FROM generate_series(0, %d) AS i\" -c 'VACUUM ANALYZE repairs'",
             server.db, now, now, now, count - 1);
  else
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' \"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE "
             "i < %d) INSERT INTO repairs (ticket, building, unit, room, name, phone, phone_last4, "
             "category, kind, urgency, description, source, status, created_at, due_at, updated_at, "
             "site_id) SELECT printf('R-2024%%02d01-%%04d', i / 9000, i %% 9000), 1 + i %% 2, "
             "1 + i / 2 %% 2, '302', '旧户' || i, printf('139%%08d', i), printf('%%04d', i %% 10000), "
             "'electric', 'in_unit', 'normal', '楼道灯不亮 ' || i, 'kiosk', CASE WHEN i %% 10 = 0 "
             "THEN 'completed' ELSE 'closed' END, %lld - 86400 * 3 - i * 600, %lld - i * 600, "
             "%lld - 86400 * 2 - i * 600, 1 FROM n\"",
             server.db, count - 1, now, now, now);
  return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
  int tickets = argc > 1 ? atoi(argv[1]) : 100000;
  int rounds = argc > 2 ? atoi(argv[2]) : 200;
  int open = argc > 3 ? atoi(argv[3]) : 1000;
  int overdue = open / 10;
  if (tickets < 5000 || rounds < 10 || open < 100 || open > tickets || tickets - open > 99 * 9000) {
    fprintf(stderr, "usage: repair_list_bench [TICKETS >= 5000] [ROUNDS >= 10] [OPEN >= 100]\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  snprintf(server.extra_env, sizeof server.extra_env, "LOBBY_FAKE_NOW=%lld",
           (long long)time(NULL) - 2 * 86400);
  if (test_server_start(&server) != 0)
    return 1;
  double t0 = now_ms();
  int errors = file_range(0, overdue);
  server.extra_env[0] = '\0';
  if (test_server_restart(&server) != 0)
    return 1;
  errors += file_range(overdue, open);
  if (write_history(tickets - open, (long long)time(NULL)) != 0) {
    fprintf(stderr, "could not write the closed history\n");
    return 1;
  }
  printf("Repair list at volume: %ld cores; %d tickets: %d closed history, %d open filed through "
         "the API (%d overdue), in %.1f s (%d errors) on %s; %d rounds per query, one keep-alive "
         "client\n\n",
         sysconf(_SC_NPROCESSORS_ONLN), tickets, tickets - open, open, overdue,
         (now_ms() - t0) / 1000, errors, getenv("LOBBY_TEST_PG") ? "PostgreSQL" : "SQLite", rounds);
  /* The first list after filling reads the database from the disk. */
  double cold = now_ms();
  json_t *first = test_admin(&server, "GET", "/api/v1/repairs?sort=priority&limit=50", NULL, 200);
  printf("The first request after filling (cold): %.1f ms; total %lld.\n\n", now_ms() - cold,
         (long long)json_integer_value(json_object_get(first, "total")));
  json_decref(first);
  printf("| query | path | p50 ms | p99 ms | max ms | errors |\n|---|---|---:|---:|---:|---:|\n");
  char deep[64];
  snprintf(deep, sizeof deep, "/api/v1/repairs?limit=50&offset=%d", tickets / 2);
  const char *queries[][2] = {
    {"the desk's first page", "/api/v1/repairs?sort=priority&limit=50"},
    {"newest first", "/api/v1/repairs?limit=50"},
    {"a page half way down", deep},
    {"a phone's last 4", "/api/v1/repairs?q=0042&sort=priority&limit=50"},
    {"a whole phone", "/api/v1/repairs?q=13800000042&sort=priority&limit=50"},
    {"a whole phone, history", "/api/v1/repairs?q=13900042424&sort=priority&limit=50"},
    {"a room", "/api/v1/repairs?q=1-2-301&sort=priority&limit=50"},
    {"a ticket number", "/api/v1/repairs?q=R-20240501-0042&limit=50"},
    {"a number's start", "/api/v1/repairs?q=R-202405&limit=50"},
    {"a name's start", "/api/v1/repairs?q=%E4%BD%8F%E6%88%B742&sort=priority&limit=50"},
    {"a name's first character", "/api/v1/repairs?q=%E4%BD%8F&sort=priority&limit=50"},
    {"card: overdue", "/api/v1/repairs?overdue=1&sort=priority&limit=50"},
    {"card: open", "/api/v1/repairs?status=open&sort=priority&limit=50"},
  };
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
    time_query(queries[i][0], queries[i][1], rounds);
  int stopped = test_server_stop(&server);
  curl_global_cleanup();
  return stopped == 0 ? 0 : 1;
}
