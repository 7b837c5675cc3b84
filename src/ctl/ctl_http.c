#include "ctl_http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lobby_domain.h"
#include "lobby_tls_curl.h"

#define MAX_BODY (8u * 1024 * 1024) /* far above any answer; stops a runaway */
#define DEFAULT_TIMEOUT_S 30L
#define CONNECT_TIMEOUT_S 5L

lobby_err ctl_http_global_init(void)
{
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? LOBBY_OK : LOBBY_EIO;
}

void ctl_http_global_cleanup(void)
{
  curl_global_cleanup();
}

ctl_exit ctl_http_exit_for_status(long status)
{
  if (status >= 200 && status < 300)
    return CTL_EXIT_OK;
  if (status == 401 || status == 403)
    return CTL_EXIT_AUTH;
  if (status >= 400 && status < 500)
    return CTL_EXIT_REJECTED;
  return CTL_EXIT_UNREACHABLE;
}

static void copy_field(char *dst, size_t size, const json_t *obj, const char *key)
{
  const char *s = json_string_value(json_object_get(obj, key));
  snprintf(dst, size, "%s", s ? s : "");
}

void ctl_http_parse_error(ctl_http_response *resp)
{
  const json_t *e = json_object_get(resp->json, "error");
  if (!json_is_object(e))
    return;
  copy_field(resp->code, sizeof resp->code, e, "code");
  copy_field(resp->message, sizeof resp->message, e, "message");
  copy_field(resp->field, sizeof resp->field, e, "field");
}

typedef struct {
  char *data;
  size_t len, cap;
  bool too_big;
} body_buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  body_buf *b = userdata;
  size_t n = size * nmemb;
  if (b->len + n + 1 > MAX_BODY) {
    b->too_big = true;
    return 0; /* makes curl stop with CURLE_WRITE_ERROR */
  }
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown)
      return 0;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  ctl_http_response *resp = userdata;
  size_t n = size * nmemb;
  static const char name[] = "Idempotent-Replay:";
  if (n >= sizeof name - 1 && strncasecmp(ptr, name, sizeof name - 1) == 0) {
    const char *v = ptr + sizeof name - 1;
    size_t vlen = n - (sizeof name - 1);
    while (vlen && (*v == ' ' || *v == '\t')) { v++; vlen--; }
    resp->replay = vlen >= 4 && strncasecmp(v, "true", 4) == 0;
  }
  return n;
}

static lobby_err build_headers(const ctl_http_target *t, const ctl_http_request *req,
                               struct curl_slist **out)
{
  char line[512], type[128] = "";
  struct curl_slist *h = NULL, *next;
  if (req->data)
    snprintf(type, sizeof type, "Content-Type: %s", req->content_type);
  const char *fixed[] = {"Accept: application/json", "User-Agent: lobbyctl/" CTL_VERSION,
                         req->body ? "Content-Type: application/json; charset=utf-8" : NULL,
                         type[0] ? type : NULL};
  *out = NULL;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    if (!fixed[i])
      continue;
    if (!(next = curl_slist_append(h, fixed[i])))
      goto fail;
    h = next;
  }
  int n = snprintf(line, sizeof line, "Authorization: Bearer %s", t->token);
  if (n < 0 || (size_t)n >= sizeof line || !(next = curl_slist_append(h, line)))
    goto fail;
  h = next;
  if (req->idempotency_key) {
    n = snprintf(line, sizeof line, "Idempotency-Key: %s", req->idempotency_key);
    if (n < 0 || (size_t)n >= sizeof line || !(next = curl_slist_append(h, line)))
      goto fail;
    h = next;
  }
  *out = h;
  return LOBBY_OK;
fail:
  curl_slist_free_all(h);
  return LOBBY_ENOMEM;
}

static CURLcode set_options(CURL *c, const ctl_http_target *t, const ctl_http_request *req,
                            const char *url, struct curl_slist *headers, body_buf *body,
                            ctl_http_response *resp)
{
  long timeout = t->timeout_s > 0 ? t->timeout_s : DEFAULT_TIMEOUT_S;
  CURLcode rc = curl_easy_setopt(c, CURLOPT_URL, url);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
  /* No signals: curl's resolver timeout would otherwise use SIGALRM. */
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
  /* The shared TLS rules: https only, the CA and pin narrow what libcurl
   * accepts. */
  if (rc == CURLE_OK && lobby_tls_curl_apply(c, t->server, t->ca_file, t->pin) != LOBBY_OK)
    rc = CURLE_BAD_FUNCTION_ARGUMENT;
  const void *data = req->data ? req->data : req->body;
  size_t len = req->data ? req->data_len : req->body ? strlen(req->body) : 0;
  if (rc == CURLE_OK && data) {
    rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
    if (rc == CURLE_OK)
      rc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  }
  return rc;
}

static void set_message(ctl_http_response *resp, const char *code, const char *msg)
{
  snprintf(resp->code, sizeof resp->code, "%s", code);
  snprintf(resp->message, sizeof resp->message, "%s", msg);
}

/* Turns what came back into resp->json and the exit code. */
static ctl_exit classify(ctl_http_response *resp)
{
  if (resp->body_len > 0) {
    json_error_t jerr;
    resp->json = json_loadb(resp->body, resp->body_len, 0, &jerr);
  }
  ctl_exit code = ctl_http_exit_for_status(resp->status);
  if (code != CTL_EXIT_OK) {
    ctl_http_parse_error(resp);
    if (!resp->message[0])
      set_message(resp, "", "the server gave no error message");
    return code;
  }
  if (resp->body_len > 0 && !resp->json) {
    set_message(resp, "bad_answer", "the server's answer is not JSON");
    return CTL_EXIT_UNREACHABLE;
  }
  return CTL_EXIT_OK;
}

/* The code for a failed transfer: the TLS checks get their own, so the
 * report says what to do instead of "cannot reach". */
static const char *tls_failure(CURLcode rc)
{
  switch (lobby_tls_curl_failure(rc)) {
  case LOBBY_TLS_FAIL_UNTRUSTED:
  case LOBBY_TLS_FAIL_CA_FILE:
    return CTL_HTTP_TLS_UNTRUSTED;
  case LOBBY_TLS_FAIL_PIN:
    return CTL_HTTP_TLS_PIN;
  default:
    return "transport";
  }
}

static ctl_exit perform(CURL *c, ctl_http_response *resp, body_buf *body)
{
  char errbuf[CURL_ERROR_SIZE] = "";
  CURLcode rc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  if (rc == CURLE_OK)
    rc = curl_easy_perform(c);
  resp->body = body->data;
  resp->body_len = body->len;
  body->data = NULL;
  if (rc != CURLE_OK) {
    set_message(resp, tls_failure(rc),
                body->too_big ? "the answer is too large" : errbuf[0] ? errbuf : curl_easy_strerror(rc));
    return CTL_EXIT_UNREACHABLE;
  }
  if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status) != CURLE_OK)
    resp->status = 0;
  return classify(resp);
}

ctl_exit ctl_http_send(const ctl_http_target *t, const ctl_http_request *req,
                       ctl_http_response *resp)
{
  memset(resp, 0, sizeof *resp);
  char url[2048];
  int n = snprintf(url, sizeof url, "%s%s", t->server, req->path);
  if (n < 0 || (size_t)n >= sizeof url) {
    set_message(resp, "usage", "the request URL is too long");
    return CTL_EXIT_USAGE;
  }
  struct curl_slist *headers = NULL;
  if (build_headers(t, req, &headers) != LOBBY_OK) {
    set_message(resp, "transport", "out of memory");
    return CTL_EXIT_UNREACHABLE;
  }
  body_buf body = {0};
  ctl_exit code = CTL_EXIT_UNREACHABLE;
  CURL *c = curl_easy_init();
  if (!c)
    set_message(resp, "transport", "cannot start libcurl");
  else if (set_options(c, t, req, url, headers, &body, resp) != CURLE_OK)
    set_message(resp, "transport", "libcurl refused an option");
  else
    code = perform(c, resp, &body);
  if (!resp->body && (resp->body = calloc(1, 1)) == NULL)
    code = CTL_EXIT_UNREACHABLE;
  free(body.data);
  curl_easy_cleanup(c);
  curl_slist_free_all(headers);
  return code;
}

void ctl_http_response_free(ctl_http_response *resp)
{
  json_decref(resp->json);
  free(resp->body);
  resp->json = NULL;
  resp->body = NULL;
}

static const char *hint_for(ctl_exit code, const ctl_http_response *resp)
{
  long status = resp->status;
  switch (code) {
  case CTL_EXIT_AUTH:
    /* A site the token does not reach: the role is fine, the site is not. */
    if (status == 403 && strcmp(resp->field, "site") == 0)
      return "drop --site (or LOBBY_SITE) to see the sites you work for, or ask an admin "
             "to add this one (lobbyctl staff sites)";
    return status == 403 ? "this token's role may not do this; ask an admin"
                         : "check LOBBY_TOKEN or --token (staff tokens start with ls_)";
  case CTL_EXIT_UNREACHABLE:
    return status >= 500 ? "the server failed; try again, or check lobbyd's log"
                         : "check LOBBY_SERVER or --server, and that lobbyd is running";
  default:
    return NULL;
  }
}

static const char *failure_label(ctl_exit code)
{
  switch (code) {
  case CTL_EXIT_AUTH: return "not authorised";
  case CTL_EXIT_REJECTED: return "the server refused the request";
  default: return "server error";
  }
}

void ctl_http_report(FILE *err, const char *server, const ctl_http_response *resp,
                     ctl_exit code)
{
  const char *hint = hint_for(code, resp);
  if (strcmp(resp->code, CTL_HTTP_TLS_UNTRUSTED) == 0) {
    fprintf(err, "lobbyctl: the server's certificate is not trusted: %s (%s); give --ca-file "
                 "or check LOBBY_SERVER\n", resp->message, server);
    return;
  }
  if (strcmp(resp->code, CTL_HTTP_TLS_PIN) == 0) {
    fprintf(err, "lobbyctl: the server's public key does not match the pin: %s (%s); check "
                 "--pin or LOBBY_PIN, or whether the server's key was replaced\n", resp->message, server);
    return;
  }
  if (resp->status == 0)
    fprintf(err, "lobbyctl: cannot reach the server at %s: %s", server, resp->message);
  else
    fprintf(err, "lobbyctl: %s (HTTP %ld%s%s): %s", failure_label(code), resp->status,
            resp->code[0] ? " " : "", resp->code, resp->message);
  if (resp->field[0])
    fprintf(err, " [field: %s]", resp->field);
  if (hint)
    fprintf(err, "; %s", hint);
  fputc('\n', err);
}

lobby_err ctl_idempotency_key(char *buf, size_t size)
{
  static const size_t random_len = 24;
  if (size < 4 + random_len + 1)
    return LOBBY_ETOOBIG;
  if (sodium_init() < 0)
    return LOBBY_EIO;
  memcpy(buf, "ctl-", 4);
  lobby_code_random(buf + 4, random_len);
  return LOBBY_OK;
}

static void path_append(ctl_path *p, const char *s, size_t n)
{
  if (p->overflow || p->len + n + 1 > sizeof p->buf) {
    p->overflow = true;
    return;
  }
  memcpy(p->buf + p->len, s, n);
  p->len += n;
  p->buf[p->len] = '\0';
}

/* RFC 3986 unreserved characters pass; everything else, including '/',
 * '?', '&' and UTF-8 bytes, is %XX, so a name can never change the path. */
static void path_escaped(ctl_path *p, const char *raw)
{
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *s = (const unsigned char *)raw; *s; s++) {
    if ((*s < 0x80 && isalnum(*s)) || *s == '-' || *s == '_' || *s == '.' || *s == '~') {
      path_append(p, (const char *)s, 1);
    } else {
      char enc[3] = {'%', hex[*s >> 4], hex[*s & 15]};
      path_append(p, enc, 3);
    }
  }
}

void ctl_path_init(ctl_path *p, const char *prefix)
{
  memset(p, 0, sizeof *p);
  path_append(p, prefix, strlen(prefix));
}

void ctl_path_segment(ctl_path *p, const char *raw)
{
  if (p->has_query) {
    p->overflow = true; /* a segment after the query is a programming error */
    return;
  }
  path_append(p, "/", 1);
  path_escaped(p, raw);
}

void ctl_path_query(ctl_path *p, const char *key, const char *value)
{
  if (!value)
    return;
  path_append(p, p->has_query ? "&" : "?", 1);
  p->has_query = true;
  path_escaped(p, key);
  path_append(p, "=", 1);
  path_escaped(p, value);
}

lobby_err ctl_path_done(const ctl_path *p)
{
  return p->overflow ? LOBBY_ETOOBIG : LOBBY_OK;
}
