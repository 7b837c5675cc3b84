#include "test_server.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lobby_fs.h"

#ifndef LOBBYD_PATH
#error "LOBBYD_PATH must name the lobbyd binary"
#endif
#ifndef PG_CLUSTER_PATH
#error "PG_CLUSTER_PATH must name tests/support/pg_cluster.sh"
#endif
#ifndef DEMO_DIRECTORY
#error "DEMO_DIRECTORY must name deploy/demo/directory.json"
#endif

static int run_capture(const char *cmd, char *out, size_t size)
{
  FILE *p = popen(cmd, "r");
  if (!p)
    return -1;
  size_t n = fread(out, 1, size - 1, p);
  out[n] = '\0';
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
    out[--n] = '\0';
  return pclose(p) == 0 ? 0 : -1;
}

/* Forks lobbyd with stdout on a pipe and reads the port it bound. */
static int launch(test_server *s, int port)
{
  int fds[2];
  char listen[48], logpath[256];
  if (pipe(fds) != 0)
    return -1;
  snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
  snprintf(logpath, sizeof logpath, "%s/lobbyd.log", s->dir);
  char ini[256];
  snprintf(ini, sizeof ini, "%s/lobbyd.ini", s->dir);
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    FILE *log = freopen(logpath, "a", stderr);
    (void)log;
    if (s->extra_env[0])
      putenv(s->extra_env);
    execl(LOBBYD_PATH, "lobbyd", "serve", "--config", ini, "--db", s->db, "--listen", listen,
          (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  FILE *in = fdopen(fds[0], "r");
  char line[128];
  int found = -1;
  if (in && fgets(line, sizeof line, in)) {
    char *colon = strrchr(line, ':');
    if (strncmp(line, "listening on ", 13) == 0 && colon) {
      s->port = atoi(colon + 1);
      found = 0;
    }
  }
  if (in)
    fclose(in);
  s->pid = pid;
  snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
  return found;
}

/* The server's lobbyd.ini: the test's own text or the suites' default. */
static int write_ini(const test_server *s)
{
  char path[256];
  snprintf(path, sizeof path, "%s/lobbyd.ini", s->dir);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs(s->ini[0] ? s->ini : "[limits]\nkiosk_submissions_per_minute = 100000\n", f);
  /* Photos stay in the test's directory, whatever the database. */
  fprintf(f, "\n[server]\nphotos = %s/photos\n", s->dir);
  return fclose(f) == 0 ? 0 : -1;
}

/* A SQLite file in the test's directory, or, under with_postgres.sh
 * (LOBBY_TEST_PG set), a new database of its own on that PostgreSQL. */
static int choose_database(test_server *s)
{
  const char *pg = getenv("LOBBY_TEST_PG");
  if (!pg || !*pg) {
    snprintf(s->db, sizeof s->db, "%s/lobby.db", s->dir);
    return 0;
  }
  char cmd[512];
  static int serial;
  snprintf(cmd, sizeof cmd, "'%s' createdb '%s' 't_%d_%d' 2>>'%s/lobbyd.log'", PG_CLUSTER_PATH,
           pg, (int)getpid(), ++serial, s->dir);
  return run_capture(cmd, s->db, sizeof s->db);
}

int test_server_start(test_server *s)
{
  char cmd[512];
  char *saved_env = NULL;
  char saved_ini[sizeof s->ini];
  if (s->extra_env[0])
    saved_env = strdup(s->extra_env);
  snprintf(saved_ini, sizeof saved_ini, "%s", s->ini);
  memset(s, 0, sizeof *s);
  if (saved_env) {
    snprintf(s->extra_env, sizeof s->extra_env, "%s", saved_env);
    free(saved_env);
  }
  snprintf(s->ini, sizeof s->ini, "%s", saved_ini);
  snprintf(s->dir, sizeof s->dir, "/tmp/lobby-itest.XXXXXX");
  if (!mkdtemp(s->dir))
    return -1;
  if (write_ini(s) != 0)
    return -1;
  if (choose_database(s) != 0)
    return -1;
  snprintf(cmd, sizeof cmd, "'%s' admin-token --db '%s' --name admin 2>>'%s/lobbyd.log'",
           LOBBYD_PATH, s->db, s->dir);
  if (run_capture(cmd, s->admin_token, sizeof s->admin_token) != 0)
    return -1;
  if (launch(s, 0) != 0)
    return -1;
  char *dir = NULL;
  FILE *f = fopen(DEMO_DIRECTORY, "r");
  if (!f)
    return -1;
  dir = calloc(1, 65536);
  size_t n = fread(dir, 1, 65535, f);
  fclose(f);
  dir[n] = '\0';
  json_t *ok = test_admin(s, "PUT", "/api/v1/directory", dir, 200);
  free(dir);
  if (!ok)
    return -1;
  json_decref(ok);
  return test_kiosk(s, "lobby-1", "1", "east", s->kiosk_token);
}

int test_server_start_peer(const test_server *s, test_server *peer)
{
  *peer = *s;
  peer->pid = 0;
  peer->port = 0;
  peer->peer = true;
  return launch(peer, 0);
}

void test_server_kill9(test_server *s)
{
  if (s->pid > 0) {
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
  }
}

int test_server_restart(test_server *s)
{
  test_server_kill9(s);
  return launch(s, s->port);
}

/* lobbyd under ASan/UBSan reports to its log, not to the test: look. */
static int log_is_clean(const test_server *s)
{
  char path[256], line[512];
  int clean = 1;
  snprintf(path, sizeof path, "%s/lobbyd.log", s->dir);
  FILE *f = fopen(path, "r");
  if (!f)
    return 1;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, "Sanitizer") || strstr(line, "runtime error:")) {
      fprintf(stderr, "lobbyd: %s", line);
      clean = 0;
    }
  }
  fclose(f);
  return clean;
}

int test_server_stop(test_server *s)
{
  int status = 0;
  if (s->pid > 0) {
    kill(s->pid, SIGTERM);
    waitpid(s->pid, &status, 0);
    s->pid = 0;
  }
  int ok = log_is_clean(s) && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (s->dir[0] && !s->peer && !getenv("LOBBY_KEEP_TMP") && lobby_fs_remove_tree(s->dir) != LOBBY_OK)
    fprintf(stderr, "could not remove %s\n", s->dir);
  return ok ? 0 : -1;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  test_response *r = userdata;
  size_t n = size * nmemb;
  char *grown = realloc(r->body, r->len + n + 1);
  if (!grown)
    return 0;
  memcpy(grown + r->len, ptr, n);
  r->body = grown;
  r->len += n;
  r->body[r->len] = '\0';
  return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  test_response *r = userdata;
  size_t n = size * nmemb, used = strlen(r->headers);
  if (used + n < sizeof r->headers) {
    memcpy(r->headers + used, ptr, n);
    r->headers[used + n] = '\0';
  }
  if (n > 6 && strncasecmp(ptr, "ETag: ", 6) == 0)
    snprintf(r->etag, sizeof r->etag, "%.*s", (int)(n - 8), ptr + 6);
  if (n > 19 && strncasecmp(ptr, "Idempotent-Replay: true", 23) == 0)
    r->replayed = true;
  return n;
}

int test_http_bytes(test_server *s, const char *method, const char *path, const char *token,
                    const char *content_type, const void *body, size_t len,
                    const char *const *headers, test_response *out)
{
  char url[512], auth[128], type[128];
  struct curl_slist *list = NULL;
  memset(out, 0, sizeof *out);
  CURL *c = curl_easy_init();
  if (!c)
    return -1;
  snprintf(url, sizeof url, "%s%s", s->url, path);
  curl_easy_setopt(c, CURLOPT_URL, url);
  /* Paths go out as written: tests send "/../" on purpose. */
  curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 90L);
  if (token) {
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    list = curl_slist_append(list, auth);
  }
  for (int i = 0; headers && headers[i]; i++)
    list = curl_slist_append(list, headers[i]);
  if (body) {
    snprintf(type, sizeof type, "Content-Type: %s", content_type);
    list = curl_slist_append(list, type);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    fprintf(stderr, "%s %s: %s\n", method, path, curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
  curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &out->seconds);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  if (!out->body)
    out->body = strdup("");
  out->json = json_loads(out->body, 0, NULL);
  return rc == CURLE_OK ? 0 : -1;
}

int test_http(test_server *s, const char *method, const char *path, const char *token,
              const char *body, const char *const *headers, test_response *out)
{
  return test_http_bytes(s, method, path, token, "application/json", body,
                         body ? strlen(body) : 0, headers, out);
}

void test_response_free(test_response *r)
{
  free(r->body);
  json_decref(r->json);
  memset(r, 0, sizeof *r);
}

json_t *test_admin(test_server *s, const char *method, const char *path, const char *body,
                   long status)
{
  test_response r;
  if (test_http(s, method, path, s->admin_token, body, NULL, &r) != 0 || r.status != status) {
    fprintf(stderr, "%s %s: expected %ld, got %ld: %s\n", method, path, status, r.status,
            r.body ? r.body : "");
    test_response_free(&r);
    return NULL;
  }
  json_t *j = r.json ? json_incref(r.json) : json_object();
  test_response_free(&r);
  return j;
}

static int token_from(json_t *j, char token[64])
{
  const char *t = json_string_value(json_object_get(j, "token"));
  if (!t)
    return -1;
  snprintf(token, 64, "%s", t);
  json_decref(j);
  return 0;
}

int test_staff(test_server *s, const char *name, const char *role, char token[64])
{
  char body[160];
  snprintf(body, sizeof body, "{\"name\":\"%s\",\"role\":\"%s\"}", name, role);
  json_t *j = test_admin(s, "POST", "/api/v1/staff", body, 201);
  return j ? token_from(j, token) : -1;
}

int test_kiosk(test_server *s, const char *name, const char *building, const char *group,
               char token[64])
{
  char body[200];
  snprintf(body, sizeof body, "{\"name\":\"%s\",\"building\":\"%s\",\"group\":\"%s\"}", name,
           building, group);
  json_t *j = test_admin(s, "POST", "/api/v1/kiosks", body, 201);
  return j ? token_from(j, token) : -1;
}
