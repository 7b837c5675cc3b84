#include "fuzz_lobbyd.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "auth.h"
#include "events.h"
#include "feed.h"
#include "fuzz_input.h"
#include "health.h"
#include "lobbyd_parts.h"
#include "lobby_fs.h"
#include "lobby_time.h"
#include "longpoll.h"
#include "metrics.h"
#include "presence.h"
#include "ratelimit.h"
#include "router.h"

static lobbyd server;
static char db_path[PATH_MAX];
static char tokens[FUZZ_KIOSK + 1][AUTH_TOKEN_LEN];
static char *directory;
static fuzz_records records;

/* password.c's argon2id at its least cost in these targets: an input that
 * creates an account or changes a password would otherwise spend 100 ms
 * and 64 MiB in the hash, which is not a parser of outside input.  This
 * definition takes the place of libsodium's at link time; hashes stay
 * real argon2id strings, so verification works unchanged. */
int crypto_pwhash_str_alg(char out[crypto_pwhash_STRBYTES], const char *const passwd,
                          unsigned long long passwdlen, unsigned long long opslimit,
                          size_t memlimit, int alg)
{
  (void)opslimit;
  (void)memlimit;
  if (alg != crypto_pwhash_ALG_ARGON2ID13)
    return -1;
  return crypto_pwhash_argon2id_str(out, passwd, passwdlen, crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                    crypto_pwhash_argon2id_MEMLIMIT_MIN);
}

static void check(int ok, const char *what)
{
  if (!ok) {
    fprintf(stderr, "fuzz_lobbyd: %s failed\n", what);
    abort();
  }
}

static void remove_db(void)
{
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", ".lock"};
  char path[PATH_MAX + 16];
  if (server.store)
    server.store->ops->close(server.store);
  server.store = NULL;
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(path, sizeof path, "%s%s", db_path, suffixes[i]);
    unlink(path);
  }
}

/* A run that libFuzzer ended (time up, crash) skips atexit: the files of
 * earlier processes that are gone are removed here instead. */
static void remove_stale(const char *dir)
{
  DIR *dh = opendir(dir);
  struct dirent *de;
  if (!dh)
    return;
  while ((de = readdir(dh)) != NULL) {
    char *end;
    if (strncmp(de->d_name, "lobby-fuzz.", 11) != 0)
      continue;
    long pid = strtol(de->d_name + 11, &end, 10);
    if (end == de->d_name + 11 || strncmp(end, ".db", 3) != 0 || pid <= 0 ||
        pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    unlink(path);
  }
  closedir(dh);
}

static void open_state(void)
{
  lobbyd_config cfg, *live;
  lobbyd_config_defaults(&cfg);
  /* In /dev/shm SQLite's writes stay in memory: the fuzzers write often. */
  remove_stale(fuzz_scratch_dir());
  snprintf(db_path, sizeof db_path, "%s/lobby-fuzz.%ld.db", fuzz_scratch_dir(), (long)getpid());
  snprintf(cfg.server.db_path, sizeof cfg.server.db_path, "%s", db_path);
  snprintf(cfg.server.console_dir, sizeof cfg.server.console_dir, "%s", FUZZ_CONSOLE_DIR);
  check(lobbyd_config_dup(&cfg, &live) == LOBBY_OK, "config");
  atomic_init(&server.cfg, live);
  check(store_sqlite_open(db_path, &server.store) == LOBBY_OK, "store_sqlite_open");
  atexit(remove_db);
  check(lobbyd_parts_create(&server) == LOBBY_OK && !longpoll_start(&server.poll),
        "the server's parts");
}

static void make_tokens(void)
{
  static const struct { fuzz_role as; lobby_role role; const char *name; } staff[] = {
    {FUZZ_ADMIN, ROLE_ADMIN, "fuzz-admin"},
    {FUZZ_DESK, ROLE_FRONT_DESK, "fuzz-desk"},
    {FUZZ_TECH, ROLE_TECHNICIAN, "fuzz-tech"},
    {FUZZ_GUARD, ROLE_GUARD, "fuzz-guard"},
  };
  lobby_store *st = server.store;
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
    auth_token_new("ls_", tokens[staff[i].as], hash);
    check(st->ops->staff_create(st, staff[i].name, staff[i].role, NULL, hash, lobby_now(), NULL) == LOBBY_OK,
          "staff_create");
  }
  /* An account the staff endpoints may disable, enable and reset. */
  auth_token_new("ls_", tokens[FUZZ_NOBODY], hash);
  check(st->ops->staff_create(st, "spare", ROLE_FRONT_DESK, NULL, hash, lobby_now(), NULL) == LOBBY_OK,
        "staff_create spare");
  tokens[FUZZ_NOBODY][0] = '\0';
  fuzz_lobbyd_reset_directory();
  auth_token_new("lk_", tokens[FUZZ_KIOSK], hash);
  check(st->ops->kiosk_create(st, "fuzz-kiosk", "1", NULL, 1, hash, lobby_now(), NULL) == LOBBY_OK,
        "kiosk_create");
}

/* Calls and copies member key of the reply, as text, into out. */
static void make_record(const char *method, const char *path, fuzz_role as, const char *body,
                        const char *key, char *out, size_t size)
{
  static unsigned serial;
  char idem_key[32];
  snprintf(idem_key, sizeof idem_key, "fuzz-start-%04u", ++serial);
  http_fake_value idem = {MHD_HEADER_KIND, "Idempotency-Key", idem_key};
  char *text = NULL;
  unsigned status = fuzz_lobbyd_call(method, path, as, &idem, 1, body, strlen(body), &text);
  json_t *j = text ? json_loads(text, 0, NULL) : NULL;
  json_t *v = json_object_get(j, key);
  if (status != 201 || !v) {
    fprintf(stderr, "fuzz_lobbyd: %s %s: %u %s\n", method, path, status, text ? text : "");
    abort();
  }
  if (json_is_string(v))
    snprintf(out, size, "%s", json_string_value(v));
  else
    snprintf(out, size, "%lld", (long long)json_integer_value(v));
  json_decref(j);
  free(text);
}

/* An item release for tomorrow (within the window at any UTC offset the
 * company uses), approved, so the gate has a code to check. */
static void make_release(void)
{
  char day[9], body[320], path[96];
  lobby_time_local_date(lobby_now() + 86400, 480, day);
  snprintf(body, sizeof body,
           "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"items\":\"沙发\","
           "\"date\":\"%.4s-%.2s-%.2s\",\"plate\":null,\"name\":\"王芳\",\"phone\":\"13800138000\"}",
           day, day + 4, day + 6);
  make_record("POST", "/api/v1/releases", FUZZ_KIOSK, body, "number", records.release,
              sizeof records.release);
  snprintf(path, sizeof path, "/api/v1/releases/%s/events", records.release);
  char *text = NULL;
  const char *approve = "{\"event\":\"approve\",\"verified\":true}";
  unsigned status = fuzz_lobbyd_call("POST", path, FUZZ_DESK, NULL, 0, approve, strlen(approve), &text);
  json_t *j = text ? json_loads(text, 0, NULL) : NULL;
  const char *code = json_string_value(json_object_get(j, "code"));
  if (status != 200 || !code) {
    fprintf(stderr, "fuzz_lobbyd: approving %s: %u %s\n", records.release, status, text ? text : "");
    abort();
  }
  snprintf(records.release_code, sizeof records.release_code, "%s", code);
  json_decref(j);
  free(text);
}

/* A renovation from today for a month, and a worker's pass for it. */
static void make_renovation(void)
{
  char start[9], end[9], body[400], path[96];
  lobby_time_local_date(lobby_now() + 86400, 480, start);
  lobby_time_local_date(lobby_now() + 30 * 86400, 480, end);
  snprintf(body, sizeof body,
           "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"company\":\"美家装饰\","
           "\"manager\":\"李经理\",\"manager_phone\":\"13900001111\",\"works\":\"厨卫翻新\","
           "\"start\":\"%.4s-%.2s-%.2s\",\"end\":\"%.4s-%.2s-%.2s\"}",
           start, start + 4, start + 6, end, end + 4, end + 6);
  make_record("POST", "/api/v1/renovations", FUZZ_DESK, body, "number", records.renovation,
              sizeof records.renovation);
  snprintf(path, sizeof path, "/api/v1/renovations/%s/workers", records.renovation);
  make_record("POST", path, FUZZ_DESK, "{\"name\":\"王建国\",\"phone\":\"13700137000\"}", "id",
              records.worker, sizeof records.worker);
}

void fuzz_lobbyd_expand(const char *pattern, const fuzz_records *rec, char *out, size_t size)
{
  const char *mark = strchr(pattern, '%');
  if (!mark) {
    snprintf(out, size, "%s", pattern);
    return;
  }
  const char *id = mark[1] == 'T' ? rec->ticket : mark[1] == 'V' ? rec->visit
                 : mark[1] == 'C' ? rec->complaint : mark[1] == 'F' ? rec->release
                 : mark[1] == 'G' ? rec->release_code : mark[1] == 'Z' ? rec->renovation
                 : mark[1] == 'W' ? rec->worker : rec->notice;
  snprintf(out, size, "%.*s%s%s", (int)(mark - pattern), pattern, id, mark + 2);
}

const fuzz_records *fuzz_lobbyd_start(void)
{
  if (server.store)
    return &records;
  check(sodium_init() >= 0, "sodium_init");
  fuzz_quiet();
  size_t len;
  check(lobby_fs_read_all(FUZZ_DEMO_DIRECTORY, 1 << 20, &directory, &len) == LOBBY_OK,
        "reading " FUZZ_DEMO_DIRECTORY);
  open_state();
  make_tokens();
  make_record("POST", "/api/v1/repairs", FUZZ_KIOSK,
              "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","
              "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","
              "\"urgency\":\"normal\",\"preferred_time\":null,\"description\":\"漏水\"}",
              "ticket", records.ticket, sizeof records.ticket);
  make_record("POST", "/api/v1/visits", FUZZ_KIOSK,
              "{\"name\":\"赵六\",\"phone\":\"13700002222\",\"host\":\"某某科技\","
              "\"purpose\":\"interview\"}",
              "id", records.visit, sizeof records.visit);
  make_record("POST", "/api/v1/complaints", FUZZ_KIOSK,
              "{\"kind\":\"complaint\",\"category\":\"noise_neighbours\",\"description\":\"噪音\","
              "\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"王芳\","
              "\"phone\":\"13800138000\"}",
              "number", records.complaint, sizeof records.complaint);
  make_record("POST", "/api/v1/notices", FUZZ_DESK, "{\"title\":\"停水通知\",\"body\":\"9:00-12:00\"}",
              "id", records.notice, sizeof records.notice);
  make_release();
  make_renovation();
  return &records;
}

void fuzz_lobbyd_reset_directory(void)
{
  unsigned status = fuzz_lobbyd_call("PUT", "/api/v1/directory", FUZZ_ADMIN, NULL, 0, directory,
                                     strlen(directory), NULL);
  check(status == 200, "PUT /api/v1/directory");
}

unsigned fuzz_lobbyd_call(const char *method, const char *path, fuzz_role as,
                          const http_fake_value *extra, size_t extra_count, const char *body,
                          size_t body_len, char **reply)
{
  enum { MAX_VALUES = 16 };
  http_fake_value values[MAX_VALUES];
  char authorization[AUTH_TOKEN_LEN + 16];
  size_t n = 0;
  http_request r;
  memset(&r, 0, sizeof r);
  if (tokens[as][0]) {
    snprintf(authorization, sizeof authorization, "Bearer %s", tokens[as]);
    values[n++] = (http_fake_value){MHD_HEADER_KIND, "Authorization", authorization};
  }
  values[n++] = (http_fake_value){MHD_HEADER_KIND, "Content-Type", "application/json"};
  for (size_t i = 0; i < extra_count && n < MAX_VALUES; i++)
    values[n++] = extra[i];
  r.d = &server;
  r.method = method;
  snprintf(r.path, sizeof r.path, "%s", path);
  r.fake.values = values;
  r.fake.count = n;
  r.fake.capture_reply = reply != NULL;
  /* The body as on_request collects it: NUL-terminated, up to the limit. */
  if (body_len > HTTP_BODY_LIMIT)
    body_len = HTTP_BODY_LIMIT;
  if (body_len) {
    r.body = malloc(body_len + 1);
    check(r.body != NULL, "malloc");
    memcpy(r.body, body, body_len);
    r.body[body_len] = '\0';
    r.body_len = body_len;
  }
  enum MHD_Result ret = router_dispatch(&r);
  http_request_clear(&r);
  if (ret != MHD_YES || r.metric.status == 0 || r.metric.status >= 500) {
    fprintf(stderr, "fuzz_lobbyd: %s %s answered %u (%s)\n", method, path, r.metric.status,
            r.fake.reply_text ? r.fake.reply_text : "no reply");
    abort();
  }
  if (reply)
    *reply = r.fake.reply_text;
  else
    free(r.fake.reply_text);
  return r.metric.status;
}

/* As libmicrohttpd reads a query: '&' between arguments, '=' before a
 * value, '+' for a space, then percent-decoding of each part. */
static void unescape(char *text)
{
  for (char *p = text; *p; p++)
    if (*p == '+')
      *p = ' ';
  text[MHD_http_unescape(text)] = '\0';
}

size_t fuzz_query_split(char *query, http_fake_value *out, size_t max)
{
  size_t n = 0;
  char *arg = query;
  while (arg && *arg && n < max) {
    char *next = strchr(arg, '&');
    if (next)
      *next++ = '\0';
    char *eq = strchr(arg, '=');
    if (eq)
      *eq++ = '\0';
    unescape(arg);
    if (eq)
      unescape(eq);
    out[n++] = (http_fake_value){MHD_GET_ARGUMENT_KIND, arg, eq ? eq : ""};
    arg = next;
  }
  return n;
}

void fuzz_url_path(char *path)
{
  path[MHD_http_unescape(path)] = '\0';
}
