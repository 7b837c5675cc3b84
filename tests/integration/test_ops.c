/* lobbyd operations against a real lobbyd: /metrics (exact counts, the
 * address allow-list) and `lobbyd backup` / `lobbyd restore` while and
 * after it serves writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_server.h"

#ifndef LOBBYD_PATH
#error "LOBBYD_PATH must name the lobbyd binary"
#endif

#define REPAIR_BODY                                                                  \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","  \
  "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","            \
  "\"urgency\":\"normal\",\"preferred_time\":null,\"description\":\"厨房水龙头漏水\"}"

static test_server server;

static int start(void **state)
{
  (void)state;
  return test_server_start(&server);
}

static int stop(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* Files a repair as the kiosk (a fresh key each time); the ticket. */
static int file_repair(char ticket[32])
{
  static atomic_uint counter;
  char key[80];
  snprintf(key, sizeof key, "Idempotency-Key: ops-%ld-%u", (long)getpid(),
           atomic_fetch_add(&counter, 1));
  const char *headers[] = {key, NULL};
  test_response r;
  int rc = test_http(&server, "POST", "/api/v1/repairs", server.kiosk_token, REPAIR_BODY,
                     headers, &r);
  if (rc == 0 && r.status == 201)
    snprintf(ticket, 32, "%s", json_string_value(json_object_get(r.json, "ticket")));
  else
    rc = -1;
  test_response_free(&r);
  return rc;
}

/* ---- /metrics -------------------------------------------------------- */

static char *fetch_metrics(void)
{
  test_response r;
  assert_int_equal(test_http(&server, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.headers, "Content-Type: text/plain; version=0.0.4"));
  char *text = strdup(r.body);
  test_response_free(&r);
  return text;
}

/* The value of one series, e.g. `lobbyd_repairs_open` or
 * `lobbyd_http_requests_total{method="GET",...}`; 0 when absent. */
static long long series(const char *text, const char *name)
{
  size_t n = strlen(name);
  for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (strncmp(p, name, n) == 0 && p[n] == ' ')
      return strtoll(p + n + 1, NULL, 10);
  }
  return 0;
}

#define FEED_304 "lobbyd_http_requests_total{method=\"GET\",route=\"/api/v1/feed\",status=\"304\"}"
#define FEED_200 "lobbyd_http_requests_total{method=\"GET\",route=\"/api/v1/feed\",status=\"200\"}"
#define FEED_COUNT "lobbyd_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/feed\"}"
#define FEED_INF \
  "lobbyd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/feed\",le=\"+Inf\"}"

static void metrics_counts(void **state)
{
  (void)state;
  test_response r;
  char etag_header[96], ticket[32], path[96], other[64];
  char *before = fetch_metrics();
  assert_int_equal(series(before, FEED_200), 0);
  assert_int_equal(series(before, FEED_304), 0);
  free(before);

  assert_int_equal(test_http(&server, "GET", "/api/v1/feed", server.kiosk_token, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  snprintf(etag_header, sizeof etag_header, "If-None-Match: %s", r.etag);
  test_response_free(&r);
  const char *held[] = {etag_header, NULL};
  for (int i = 0; i < 100; i++) {
    assert_int_equal(test_http(&server, "GET", "/api/v1/feed", server.kiosk_token, NULL, held, &r), 0);
    assert_int_equal(r.status, 304);
    test_response_free(&r);
  }
  assert_int_equal(file_repair(ticket), 0);
  snprintf(path, sizeof path, "/api/v1/repairs/%s", ticket);
  json_decref(test_admin(&server, "GET", path, NULL, 200));
  test_response hb;
  assert_int_equal(test_http(&server, "POST", "/api/v1/kiosks/heartbeat", server.kiosk_token,
                             "{\"version\":\"0.1.0\",\"queued\":7}", NULL, &hb), 0);
  assert_int_equal(hb.status, 200);
  test_response_free(&hb);
  assert_int_equal(test_kiosk(&server, "lobby-2", "2", "west", other), 0);
  assert_int_equal(test_http(&server, "POST", "/api/v1/kiosks/heartbeat", other,
                             "{\"version\":\"0.1.0\",\"queued\":3}", NULL, &hb), 0);
  test_response_free(&hb);

  char *after = fetch_metrics();
  assert_int_equal(series(after, FEED_200), 1);
  assert_int_equal(series(after, FEED_304), 100);
  assert_int_equal(series(after, FEED_COUNT), 101);
  assert_int_equal(series(after, FEED_INF), 101);
  /* The route pattern, never the ticket. */
  assert_int_equal(series(after, "lobbyd_http_requests_total{method=\"GET\","
                                 "route=\"/api/v1/repairs/:id\",status=\"200\"}"), 1);
  assert_int_equal(series(after, "lobbyd_http_requests_total{method=\"POST\","
                                 "route=\"/api/v1/repairs\",status=\"201\"}"), 1);
  assert_null(strstr(after, ticket));
  assert_int_equal(series(after, "lobbyd_kiosk_outbox_queued_sum"), 10);
  assert_int_equal(series(after, "lobbyd_kiosk_outbox_queued_max"), 7);
  assert_int_equal(series(after, "lobbyd_kiosks_online"), 2);
  assert_int_equal(series(after, "lobbyd_repairs_open"), 1);
  assert_int_equal(series(after, "lobbyd_repairs_overdue"), 0);
  assert_int_equal(series(after, "lobbyd_longpoll_waiting"), 0);
  assert_int_equal(series(after, "lobbyd_database_writable"), 1);
  assert_true(series(after, "lobbyd_database_size_bytes") > 4096);
  free(after);
}

typedef struct {
  long status;
  char body[4096];
  size_t len;
} raw_response;

static size_t on_raw(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  raw_response *r = userdata;
  size_t n = size * nmemb, room = sizeof r->body - 1 - r->len;
  memcpy(r->body + r->len, ptr, n < room ? n : room);
  r->len += n < room ? n : room;
  r->body[r->len] = '\0';
  return n;
}

/* GET /metrics from a given local address (127.0.0.0/8 all reaches lo). */
static long metrics_from(const char *address, const char *token, const char *header,
                         raw_response *out)
{
  char url[96], auth[128];
  struct curl_slist *list = NULL;
  memset(out, 0, sizeof *out);
  CURL *c = curl_easy_init();
  assert_non_null(c);
  snprintf(url, sizeof url, "%s/metrics", server.url);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_INTERFACE, address);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_raw);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
  if (token) {
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    list = curl_slist_append(list, auth);
  }
  if (header)
    list = curl_slist_append(list, header);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  assert_int_equal(curl_easy_perform(c), CURLE_OK);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  return out->status;
}

static void metrics_allow_list(void **state)
{
  (void)state;
  raw_response r;
  /* The default allows 127.0.0.1 and ::1 only. */
  assert_int_equal(metrics_from("127.0.0.1", NULL, NULL, &r), 200);
  assert_non_null(strstr(r.body, "lobbyd_http_requests_total"));
  assert_int_equal(metrics_from("127.0.0.2", NULL, NULL, &r), 403);
  json_t *j = json_loads(r.body, 0, NULL);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                      "forbidden");
  json_decref(j);
  assert_null(strstr(r.body, "lobbyd_"));
  /* A staff token opens it from anywhere; a kiosk's does not. */
  assert_int_equal(metrics_from("127.0.0.2", server.admin_token, NULL, &r), 200);
  assert_int_equal(metrics_from("127.0.0.2", server.kiosk_token, NULL, &r), 403);
  char tech[64];
  assert_int_equal(test_staff(&server, "李师傅", "technician", tech), 0);
  assert_int_equal(metrics_from("127.0.0.2", tech, NULL, &r), 200);
  /* Through a proxy on this machine every client would look local. */
  assert_int_equal(metrics_from("127.0.0.1", NULL, "X-Forwarded-For: 203.0.113.9", &r), 403);
}

/* ---- backup and restore ---------------------------------------------- */

static atomic_bool writer_stop;
static atomic_int writer_done;

/* Files repairs and accepts each, until told to stop. */
static void *writer(void *arg)
{
  (void)arg;
  char ticket[32], path[96];
  while (!atomic_load(&writer_stop)) {
    if (file_repair(ticket) != 0)
      break;
    snprintf(path, sizeof path, "/api/v1/repairs/%s/events", ticket);
    json_t *j = test_admin(&server, "POST", path, "{\"event\":\"accept\"}", 200);
    if (!j)
      break;
    json_decref(j);
    atomic_fetch_add(&writer_done, 1);
  }
  return NULL;
}

static int64_t scalar_at(const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q;
  int64_t v = -1;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  if (sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static const char *const dumped_tables[] = {
  "repairs", "repair_events", "ticket_seq", "idempotency", "visits", "invites", "notices",
  "kiosks", "tokens", "staff", "sessions", "audit", "settings", "buildings", "units", "rooms",
};

/* Every row of the main tables, every column typed and in hex. */
static char *dump(const char *path)
{
  sqlite3 *db = NULL;
  size_t cap = 1 << 16, len = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  out[0] = '\0';
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  for (size_t t = 0; t < sizeof dumped_tables / sizeof dumped_tables[0]; t++) {
    char sql[96];
    sqlite3_stmt *q;
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", dumped_tables[t]);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(q); c++) {
        const unsigned char *b = sqlite3_column_blob(q, c);
        int n = sqlite3_column_bytes(q, c);
        while (len + (size_t)n * 2 + 64 > cap) {
          cap *= 2;
          out = realloc(out, cap);
          assert_non_null(out);
        }
        len += (size_t)snprintf(out + len, cap - len, "%s|%d:", c ? "" : dumped_tables[t],
                                sqlite3_column_type(q, c));
        for (int i = 0; i < n; i++)
          len += (size_t)snprintf(out + len, cap - len, "%02x", b[i]);
      }
      len += (size_t)snprintf(out + len, cap - len, "\n");
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return out;
}

/* Runs lobbyd with arguments; its exit code, stdout+stderr in out. */
static int run_lobbyd(char *out, size_t size, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static int run_lobbyd(char *out, size_t size, const char *fmt, ...)
{
  char args[768], cmd[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", LOBBYD_PATH, args);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t n = fread(out, 1, size - 1, p);
  out[n] = '\0';
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A file in the server's directory starting with prefix; how many. */
static int find_file(const char *prefix, char *path, size_t size)
{
  DIR *d = opendir(server.dir);
  struct dirent *e;
  int n = 0;
  assert_non_null(d);
  while ((e = readdir(d)))
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && n++ == 0)
      snprintf(path, size, "%s/%s", server.dir, e->d_name);
  closedir(d);
  return n;
}

static void stop_lobbyd(bool crash)
{
  kill(server.pid, crash ? SIGKILL : SIGTERM);
  int status;
  waitpid(server.pid, &status, 0);
  server.pid = 0;
  if (!crash)
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void backup_restore(void **state)
{
  (void)state;
  char backup[256], out[4096], kept[400], ticket[32];
  pthread_t th;
  snprintf(backup, sizeof backup, "%s/backup.db", server.dir);

  /* A backup while a writer files and accepts repairs. */
  atomic_store(&writer_stop, false);
  assert_int_equal(pthread_create(&th, NULL, writer, NULL), 0);
  while (atomic_load(&writer_done) < 20)
    usleep(10000);
  int low = atomic_load(&writer_done);
  assert_int_equal(run_lobbyd(out, sizeof out, "backup --db '%s' '%s'", server.db, backup), 0);
  int high = atomic_load(&writer_done) + 1;   /* one may be between its two requests */
  while (atomic_load(&writer_done) < high + 10)
    usleep(10000);
  atomic_store(&writer_stop, true);
  pthread_join(th, NULL);
  assert_non_null(strstr(out, "integrity ok"));

  /* Whole, and one consistent moment: every repair with exactly its
   * submit event and its idempotency key, no event without its repair. */
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                     "integrity_check = 'ok'"), 1);
  int64_t repairs = scalar_at(backup, "SELECT count(*) FROM repairs");
  assert_true(repairs >= low && repairs <= high);
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM repairs r WHERE (SELECT count(*) FROM "
                                     "repair_events e WHERE e.repair_id = r.id AND e.event = "
                                     "'submit') <> 1"), 0);
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM repair_events e WHERE NOT EXISTS "
                                     "(SELECT 1 FROM repairs r WHERE r.id = e.repair_id)"), 0);
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM idempotency"), repairs);
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM repairs WHERE status = 'accepted'") +
                   scalar_at(backup, "SELECT count(*) FROM repairs WHERE status = 'submitted'"),
                   repairs);
  assert_true(scalar_at(backup, "SELECT count(*) FROM repairs WHERE status = 'submitted'") <= 1);
  char line[64];
  snprintf(line, sizeof line, "  repairs        %lld\n", (long long)repairs);
  assert_non_null(strstr(out, line));
  char *at_backup = dump(backup);

  /* An existing file is replaced only with --force. */
  assert_int_equal(run_lobbyd(out, sizeof out, "backup --db '%s' '%s'", server.db, backup), 1);
  assert_non_null(strstr(out, "exists (--force replaces it)"));
  char *still = dump(backup);
  assert_string_equal(still, at_backup);
  free(still);

  /* No restore under a running lobbyd. */
  assert_int_equal(run_lobbyd(out, sizeof out, "restore --db '%s' '%s'", server.db, backup), 1);
  assert_non_null(strstr(out, "lobbyd restore: refused: "));
  assert_non_null(strstr(out, "stop the server first"));
  assert_int_equal(find_file("lobby.db.before-restore-", kept, sizeof kept), 0);

  /* More changes after the backup; the last of them only in the WAL of
   * a lobbyd that crashed. */
  stop_lobbyd(false);
  assert_int_equal(test_server_restart(&server), 0);
  for (int i = 0; i < 3; i++)
    assert_int_equal(file_repair(ticket), 0);
  stop_lobbyd(true);

  assert_int_equal(run_lobbyd(out, sizeof out, "restore --db '%s' '%s'", server.db, backup), 0);
  assert_non_null(strstr(out, "kept the previous database as "));
  assert_int_equal(find_file("lobby.db.before-restore-", kept, sizeof kept), 1);
  assert_int_equal(find_file("lobby.db-wal", out, sizeof out), 0);
  char *restored = dump(server.db);
  assert_string_equal(restored, at_backup);
  free(restored);
  /* The previous database, WAL included, is kept whole. */
  assert_int_equal(scalar_at(kept, "SELECT count(*) FROM repairs"),
                   atomic_load(&writer_done) + 3);

  /* lobbyd serves the restored data and goes on numbering after it. */
  assert_int_equal(test_server_restart(&server), 0);
  json_t *list = test_admin(&server, "GET", "/api/v1/repairs?limit=500", NULL, 200);
  assert_non_null(list);
  json_t *items = json_is_array(list) ? list : json_object_get(list, "repairs");
  assert_int_equal(json_array_size(items), repairs);
  json_decref(list);
  assert_int_equal(file_repair(ticket), 0);
  free(at_backup);
}

/* What restore refuses to put in place. */
static void restore_refuses(void **state)
{
  (void)state;
  char path[256], out[2048];
  stop_lobbyd(false);
  snprintf(path, sizeof path, "%s/not-a-db", server.dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("hello, this is not SQLite at all, just some text long enough\n", f);
  fclose(f);
  char *before = dump(server.db);
  assert_int_equal(run_lobbyd(out, sizeof out, "restore --db '%s' '%s'", server.db, path), 1);
  assert_non_null(strstr(out, "not a database"));

  snprintf(path, sizeof path, "%s/newer.db", server.dir);
  assert_int_equal(run_lobbyd(out, sizeof out, "backup --db '%s' '%s'", server.db, path), 0);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(run_lobbyd(out, sizeof out, "restore --db '%s' '%s'", server.db, path), 1);
  assert_non_null(strstr(out, "has schema version 99, newer than this lobbyd"));

  char *after = dump(server.db);
  assert_string_equal(after, before);
  free(before);
  free(after);
  char kept[400];
  assert_int_equal(find_file("lobby.db.before-restore-", kept, sizeof kept), 0);
  assert_int_equal(test_server_restart(&server), 0);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(metrics_counts, start, stop),
    cmocka_unit_test_setup_teardown(metrics_allow_list, start, stop),
    cmocka_unit_test_setup_teardown(backup_restore, start, stop),
    cmocka_unit_test_setup_teardown(restore_refuses, start, stop),
  };
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (argc > 1)
    cmocka_set_test_filter(argv[1]);
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return rc;
}
