/* One libcurl transfer of the network thread: its request (method,
 * headers, JSON body), its bounded response buffer, and what its outcome
 * means for connectivity. */
#include "kiosk_net_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "feed_cache.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "lobby_tls_curl.h"

/* ------------------------------------------------------------ transfers */

static size_t on_response_data(char *data, size_t size, size_t nmemb, void *userdata)
{
  transfer *t = userdata;
  size_t n = size * nmemb;
  if (t->response_len + n > t->response_limit)
    return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
  if (t->response_len + n + 1 > t->response_cap) {
    size_t cap = t->response_cap ? t->response_cap : 4096;
    while (cap < t->response_len + n + 1)
      cap *= 2;
    char *grown = realloc(t->response, cap);
    if (!grown)
      return 0;
    t->response = grown;
    t->response_cap = cap;
  }
  memcpy(t->response + t->response_len, data, n);
  t->response_len += n;
  t->response[t->response_len] = '\0';
  return n;
}

/* True when s starts with the lower-case prefix, ignoring case.  (The
 * kiosk's own "strings.h" shadows the system <strings.h>, so no
 * strncasecmp here.) */
static bool starts_with_nocase(const char *s, size_t len, const char *prefix)
{
  size_t n = strlen(prefix);
  if (len < n)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != prefix[i])
      return false;
  }
  return true;
}

/* Retry-After in seconds (the HTTP-date form is not used by lobbyd):
 * only digits count, and the value is capped, so a hostile or broken
 * answer cannot park the outbox for days. */
static void keep_retry_after(transfer *t, const char *v, const char *end)
{
  int seconds = 0;
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  for (; v < end && *v >= '0' && *v <= '9'; v++)
    if (seconds <= KIOSK_RETRY_AFTER_MAX_S)
      seconds = seconds * 10 + (*v - '0');
  t->retry_after_s = seconds > KIOSK_RETRY_AFTER_MAX_S ? KIOSK_RETRY_AFTER_MAX_S : seconds;
}

/* A screenshot request's id from Lobby-Screenshot: 32 lowercase hex
 * digits, or nothing is kept. */
static void keep_shot(transfer *t, const char *v, const char *end)
{
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  size_t n = 0;
  while (v + n < end && n < KIOSK_SHOT_ID_SIZE - 1 &&
         ((v[n] >= '0' && v[n] <= '9') || (v[n] >= 'a' && v[n] <= 'f')))
    n++;
  if (n != KIOSK_SHOT_ID_SIZE - 1)
    return;
  memcpy(t->shot, v, n);
  t->shot[n] = '\0';
}

/* Keeps the ETag header, verbatim, for the next If-None-Match,
 * Retry-After for a 429's retry and a feed's screenshot request. */
static size_t on_response_header(char *data, size_t size, size_t nmemb, void *userdata)
{
  transfer *t = userdata;
  size_t n = size * nmemb;
  static const char name[] = "etag:";
  static const char retry[] = "retry-after:";
  static const char shot[] = "lobby-screenshot:";
  if (t->role == XFER_FEED && starts_with_nocase(data, n, shot))
    keep_shot(t, data + sizeof shot - 1, data + n);
  if (starts_with_nocase(data, n, retry))
    keep_retry_after(t, data + sizeof retry - 1, data + n);
  if (starts_with_nocase(data, n, name)) {
    const char *v = data + sizeof name - 1;
    const char *end = data + n;
    while (v < end && (*v == ' ' || *v == '\t'))
      v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
      end--;
    if ((size_t)(end - v) < sizeof t->etag) {
      memcpy(t->etag, v, (size_t)(end - v));
      t->etag[end - v] = '\0';
    }
  }
  return n;
}

void kiosk_net__transfer_free(transfer *t)
{
  if (!t)
    return;
  if (t->easy)
    curl_easy_cleanup(t->easy);
  curl_slist_free_all(t->headers);
  free(t->request_body);
  free(t->response);
  free(t);
}

static lobby_err add_header(transfer *t, const char *line)
{
  struct curl_slist *grown = curl_slist_append(t->headers, line);
  if (!grown)
    return LOBBY_ENOMEM;
  t->headers = grown;
  return LOBBY_OK;
}

lobby_err kiosk_net__add_header_value(transfer *t, const char *name, const char *value)
{
  char line[512];
  int n = snprintf(line, sizeof line, "%s: %s", name, value);
  if (n < 0 || (size_t)n >= sizeof line)
    return LOBBY_EINVAL;
  return add_header(t, line);
}

lobby_err kiosk_net__set_request_body(transfer *t, const json_t *body)
{
  t->request_body = json_dumps(body, JSON_COMPACT);
  if (!t->request_body)
    return LOBBY_ENOMEM;
  lobby_err err = add_header(t, "Content-Type: application/json");
  /* Without this, curl waits up to a second for "100 Continue" on bodies
   * over 1 KiB. */
  if (err == LOBBY_OK)
    err = add_header(t, "Expect:");
  if (err != LOBBY_OK)
    return err;
  curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->request_body);
  curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(t->request_body));
  return LOBBY_OK;
}

/* Takes bytes (malloc'd) as the body. */
lobby_err kiosk_net__set_request_bytes(transfer *t, char *bytes, size_t len, const char *type)
{
  char line[96];
  free(t->request_body);
  t->request_body = bytes;
  snprintf(line, sizeof line, "Content-Type: %s", type);
  lobby_err err = add_header(t, line);
  if (err == LOBBY_OK)
    err = add_header(t, "Expect:");
  if (err != LOBBY_OK)
    return err;
  curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->request_body);
  curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  return LOBBY_OK;
}

lobby_err kiosk_net__set_method(transfer *t, const char *method)
{
  if (strcmp(method, "GET") == 0)
    curl_easy_setopt(t->easy, CURLOPT_HTTPGET, 1L);
  else if (strcmp(method, "POST") == 0)
    curl_easy_setopt(t->easy, CURLOPT_POST, 1L);
  else
    curl_easy_setopt(t->easy, CURLOPT_CUSTOMREQUEST, method);
  if (strcmp(method, "GET") != 0 && !t->request_body) {
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, 0L);
  }
  return LOBBY_OK;
}

transfer *kiosk_net__transfer_new(kiosk_net *net, transfer_role role, const char *path,
                                  size_t response_limit, long timeout_ms)
{
  transfer *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->role = role;
  t->response_limit = response_limit;
  t->easy = curl_easy_init();
  char url[NET_PATH_MAX];
  int n = snprintf(url, sizeof url, "%s%s", net->settings.server_url, path);
  /* An https:// server is reached over TLS or not at all (lobby_tls_curl.h). */
  if (!t->easy || n < 0 || (size_t)n >= sizeof url || add_header(t, net->settings.auth_header) != LOBBY_OK ||
      lobby_tls_curl_apply(t->easy, net->settings.server_url, net->settings.ca_file, net->settings.pin) != LOBBY_OK) {
    kiosk_net__transfer_free(t);
    return NULL;
  }
  curl_easy_setopt(t->easy, CURLOPT_URL, url);
  curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_response_data);
  curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(t->easy, CURLOPT_HEADERFUNCTION, on_response_header);
  curl_easy_setopt(t->easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
  curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(t->easy, CURLOPT_TCP_KEEPALIVE, 1L);
  return t;
}

/* Hands a prepared transfer to the multi handle; frees it on failure. */
lobby_err kiosk_net__transfer_start(kiosk_net *net, transfer *t)
{
  curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
  if (curl_multi_add_handle(net->multi, t->easy) != CURLM_OK) {
    kiosk_net__transfer_free(t);
    return LOBBY_EIO;
  }
  t->next = net->transfers;
  net->transfers = t;
  return LOBBY_OK;
}

void kiosk_net__transfer_unlink(kiosk_net *net, transfer *t)
{
  for (transfer **p = &net->transfers; *p; p = &(*p)->next) {
    if (*p == t) {
      *p = t->next;
      break;
    }
  }
  curl_multi_remove_handle(net->multi, t->easy);
  if (net->feed.feed_transfer == t)
    net->feed.feed_transfer = NULL;
  if (net->heartbeat.heartbeat_transfer == t)
    net->heartbeat.heartbeat_transfer = NULL;
  if (net->delivery.outbox_transfer == t)
    net->delivery.outbox_transfer = NULL;
}

/* The response body as JSON, or NULL when empty or not JSON. */
json_t *kiosk_net__response_json(const transfer *t)
{
  if (!t->response || t->response_len == 0)
    return NULL;
  return json_loadb(t->response, t->response_len, 0, NULL);
}

/* Connectivity meaning of a finished exchange: no answer or a 5xx means
 * the server is not really there; 401 means it refuses this kiosk. */
exchange_outcome kiosk_net__classify(CURLcode rc, long status)
{
  if (rc != CURLE_OK || status >= 500 || status == 0)
    return OUTCOME_UNREACHABLE;
  if (status == 401)
    return OUTCOME_UNAUTHORIZED;
  return OUTCOME_OK;
}

void kiosk_net__describe_failure(const transfer *t, CURLcode rc, long status, char *buf, size_t size)
{
  if (rc != CURLE_OK)
    snprintf(buf, size, "%s", t->error[0] ? t->error : curl_easy_strerror(rc));
  else
    snprintf(buf, size, "HTTP %ld", status);
}
