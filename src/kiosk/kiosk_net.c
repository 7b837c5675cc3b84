/* The kiosk's network thread.
 *
 * One thread drives every exchange with lobbyd through a libcurl multi
 * handle: the feed long-poll, heartbeats, outbox delivery and direct calls
 * all run as concurrent transfers, so a 50-second long-poll never delays a
 * repair look-up or a submission.  Keeping all of it on one thread also
 * means the outbox and the transfer list need no lock; only the two queues
 * shared with the UI thread (commands in, events out) are mutex-protected,
 * and the UI wakes the thread with curl_multi_wakeup(). */
#include "kiosk_net.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "feed_cache.h"
#include "kiosk_outbox.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

#define NET_PATH_MAX 4096
#define NET_VERSION_SIZE 72
#define FEED_RESPONSE_MAX_BYTES (8u * 1024 * 1024)
#define CALL_RESPONSE_MAX_BYTES (1u * 1024 * 1024)
#define CONNECT_TIMEOUT_MS 5000L
#define CALL_TIMEOUT_MS 15000L
#define OUTBOX_TIMEOUT_MS 20000L
#define HEARTBEAT_TIMEOUT_MS 15000L
/* Beyond the long-poll's own wait, how long to give the server to answer. */
#define LONG_POLL_GRACE_S 10
/* A submission answered by the server within this time is reported as
 * DELIVERED; otherwise the screen is told QUEUED and delivery goes on. */
#define SUBMIT_ANSWER_MS 5000
#define LOOP_MAX_SLEEP_MS 1000
#define CONNECTIVITY_REFRESH_MS 30000
#define SERVER_WAIT_MAX_S 60
#define CANCELLED_REMEMBERED 32
/* The least time between two feed requests when the server answers a
 * long-poll at once without a change, so a server that ignores
 * If-None-Match cannot turn the long-poll into a busy loop. */
#define FEED_MIN_SPACING_MS 1000

/* ---- queues shared with the UI thread ---- */

typedef struct event_node {
  kiosk_event ev;
  struct event_node *next;
} event_node;

typedef enum { CMD_SUBMIT, CMD_CALL, CMD_LOOKUP, CMD_CANCEL } command_kind;

typedef struct command {
  command_kind kind;
  uint64_t request_id;
  kiosk_submit_kind submit_kind;
  char *method;
  char *path;
  char *etag;
  json_t *body;
  int wait_s;
  char ref[KIOSK_OUTBOX_REF_SIZE];
  struct command *next;
} command;

/* ---- network-thread state ---- */

typedef enum { XFER_FEED, XFER_HEARTBEAT, XFER_OUTBOX, XFER_CALL } transfer_role;

typedef struct transfer {
  transfer_role role;
  CURL *easy;
  struct curl_slist *headers;
  char *request_body;
  char *response;
  size_t response_len;
  size_t response_cap;
  size_t response_limit;
  char etag[sizeof(((kiosk_event *)0)->etag)];
  char error[CURL_ERROR_SIZE];
  uint64_t request_id;  /* XFER_CALL */
  uint64_t outbox_seq;  /* XFER_OUTBOX */
  char sent_etag[sizeof(((kiosk_event *)0)->etag)]; /* XFER_FEED: If-None-Match */
  int64_t started_ms;
  struct transfer *next;
} transfer;

typedef struct pending_submit {
  uint64_t request_id;
  uint64_t seq;
  char ref[KIOSK_OUTBOX_REF_SIZE];
  int64_t deadline_ms;
  struct pending_submit *next;
} pending_submit;

/* Exponential back-off with jitter, one per retrying channel. */
typedef struct {
  int failures;
  int64_t next_at_ms;
} backoff;

/* The outcome of one exchange, as far as connectivity is concerned. */
typedef enum { OUTCOME_OK, OUTCOME_UNREACHABLE, OUTCOME_UNAUTHORIZED } exchange_outcome;

struct kiosk_net {
  /* Configuration, copied at start. */
  char *server_url;
  char *auth_header;
  char *version;
  char feed_cache_path[NET_PATH_MAX];
  int poll_wait_s;
  int heartbeat_s;
  int backoff_max_s;
  void (*wake)(void *ctx);
  void *wake_ctx;
  int state_lock_fd; /* holds the state directory for this process */

  pthread_t thread;
  bool thread_started;
  pthread_mutex_t lock; /* guards commands and events */
  command *commands_head, *commands_tail;
  event_node *events_head, *events_tail;
  /* Recently cancelled request ids, so an answer that races the cancel is
   * dropped instead of reaching a screen that has moved on. */
  uint64_t cancelled[CANCELLED_REMEMBERED];
  unsigned cancelled_next;
  atomic_bool stopping;
  atomic_int queued;
  atomic_uint_fast64_t next_request_id;

  /* Used only on the network thread (and in start/stop around it). */
  CURLM *multi;
  transfer *transfers;
  transfer *feed_transfer;
  transfer *heartbeat_transfer;
  transfer *outbox_transfer;
  kiosk_outbox *outbox;
  pending_submit *pending;
  backoff feed_backoff;
  backoff outbox_backoff;
  int64_t heartbeat_due_ms;
  bool heartbeat_sent;
  char feed_etag[sizeof(((kiosk_event *)0)->etag)];
  /* The ETag is only sent once this session has seen the server answer:
   * after a start or an outage the first request fetches the feed in full,
   * so the screen learns at once that it is current again. */
  bool feed_etag_live;
  char feed_version[NET_VERSION_SIZE];
  bool online;
  bool connectivity_known;
  bool unauthorized;
  int64_t last_ok_at;
  int64_t connectivity_emitted_ms;
};

/* ---------------------------------------------------------------- events */

static void event_free_payload(kiosk_event *ev)
{
  json_decref(ev->feed);
  json_decref(ev->body);
  ev->feed = NULL;
  ev->body = NULL;
}

/* Queues an event for the UI thread and wakes it.  Takes ownership of the
 * event's JSON; on allocation failure the event is dropped (and logged). */
static bool was_cancelled_locked(const kiosk_net *net, const kiosk_event *ev)
{
  if (ev->kind != KIOSK_EV_RESULT)
    return false;
  for (unsigned i = 0; i < CANCELLED_REMEMBERED; i++)
    if (net->cancelled[i] == ev->request_id)
      return true;
  return false;
}

/* Removes the queued events for which matches() is true; the caller
 * holds the lock. */
static void events_remove_locked(kiosk_net *net, bool (*matches)(const kiosk_event *, uint64_t),
                                 uint64_t request_id)
{
  event_node *prev = NULL;
  for (event_node *node = net->events_head; node;) {
    event_node *next = node->next;
    if (matches(&node->ev, request_id)) {
      if (prev)
        prev->next = next;
      else
        net->events_head = next;
      if (net->events_tail == node)
        net->events_tail = prev;
      event_free_payload(&node->ev);
      free(node);
    } else {
      prev = node;
    }
    node = next;
  }
}

static bool is_feed_event(const kiosk_event *ev, uint64_t unused)
{
  (void)unused;
  return ev->kind == KIOSK_EV_FEED;
}

static bool is_result_of(const kiosk_event *ev, uint64_t request_id)
{
  return ev->kind == KIOSK_EV_RESULT && ev->request_id == request_id;
}

static void emit_event(kiosk_net *net, kiosk_event *ev)
{
  event_node *node = malloc(sizeof *node);
  if (!node) {
    LOBBY_ERROR("net: out of memory; an event was dropped");
    event_free_payload(ev);
    return;
  }
  node->ev = *ev;
  node->next = NULL;
  pthread_mutex_lock(&net->lock);
  if (was_cancelled_locked(net, ev)) {
    pthread_mutex_unlock(&net->lock);
    event_free_payload(&node->ev);
    free(node);
    return;
  }
  /* Only the newest feed matters to the screen, so a feed still waiting
   * in the queue is dropped when a newer one arrives: a UI that stalls
   * holds one feed in memory, not one per change. */
  if (ev->kind == KIOSK_EV_FEED)
    events_remove_locked(net, is_feed_event, 0);
  if (net->events_tail)
    net->events_tail->next = node;
  else
    net->events_head = node;
  net->events_tail = node;
  pthread_mutex_unlock(&net->lock);
  if (net->wake)
    net->wake(net->wake_ctx);
}

static void emit_result(kiosk_net *net, uint64_t request_id, kiosk_result_state state,
                        int http_status, json_t *body, const char *ref, const char *etag)
{
  kiosk_event ev = {.kind = KIOSK_EV_RESULT, .request_id = request_id, .state = state,
                    .http_status = http_status, .body = body};
  if (ref)
    snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "%s", ref);
  if (etag)
    snprintf(ev.etag, sizeof ev.etag, "%s", etag);
  emit_event(net, &ev);
}

static void emit_outbox(kiosk_net *net, const char *ref, json_t *record)
{
  kiosk_event ev = {.kind = KIOSK_EV_OUTBOX, .queued = atomic_load(&net->queued), .body = record};
  if (ref)
    snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "%s", ref);
  emit_event(net, &ev);
}

static void emit_connectivity(kiosk_net *net)
{
  kiosk_event ev = {.kind = KIOSK_EV_CONNECTIVITY, .online = net->online,
                    .last_ok_at = net->last_ok_at};
  net->connectivity_emitted_ms = lobby_monotonic_ms();
  emit_event(net, &ev);
}

static void emit_feed(kiosk_net *net, json_t *feed, bool from_cache, int64_t fetched_at)
{
  kiosk_event ev = {.kind = KIOSK_EV_FEED, .feed = feed, .from_cache = from_cache,
                    .fetched_at = fetched_at};
  snprintf(ev.etag, sizeof ev.etag, "%s", net->feed_etag);
  emit_event(net, &ev);
}

static void update_queued_count(kiosk_net *net)
{
  atomic_store(&net->queued, (int)kiosk_outbox_count(net->outbox));
}

/* --------------------------------------------------------- connectivity */

static void note_exchange_ok(kiosk_net *net)
{
  net->last_ok_at = lobby_now();
  if (net->unauthorized)
    LOBBY_INFO("net: the server accepts the kiosk token again");
  net->unauthorized = false;
  bool changed = !net->online || !net->connectivity_known;
  if (changed)
    LOBBY_INFO("net: server reachable");
  net->online = true;
  net->connectivity_known = true;
  if (changed || lobby_monotonic_ms() - net->connectivity_emitted_ms >= CONNECTIVITY_REFRESH_MS)
    emit_connectivity(net);
}

/* Another exchange just worked, so the server is back: whatever waits in
 * the outbox should go now rather than at the end of its back-off.  (Not
 * used for the outbox's own answers, or a 429 would never back off.) */
static void retry_outbox_now(kiosk_net *net)
{
  net->outbox_backoff.failures = 0;
  net->outbox_backoff.next_at_ms = 0;
}

static void note_exchange_failed(kiosk_net *net, exchange_outcome outcome, const char *why)
{
  if (outcome == OUTCOME_UNAUTHORIZED && !net->unauthorized)
    LOBBY_ERROR("net: the server refused the kiosk token (401): the kiosk was revoked or its "
                "token is wrong; re-enrol it with lobbyctl and update kiosk.ini");
  net->unauthorized = outcome == OUTCOME_UNAUTHORIZED;
  bool changed = net->online || !net->connectivity_known;
  if (changed && outcome != OUTCOME_UNAUTHORIZED)
    LOBBY_WARN("net: server unreachable (%s)", why);
  net->online = false;
  net->connectivity_known = true;
  net->feed_etag_live = false;
  if (changed)
    emit_connectivity(net);
}

/* ------------------------------------------------------------- back-off */

static int64_t backoff_delay_ms(const kiosk_net *net, int failures)
{
  int64_t cap_ms = (int64_t)net->backoff_max_s * 1000;
  int64_t delay = 1000;
  for (int i = 1; i < failures && delay < cap_ms; i++)
    delay *= 2;
  if (delay > cap_ms)
    delay = cap_ms;
  /* Jitter in [delay/2, delay] keeps a building full of kiosks from
   * hammering a restarted server in lockstep. */
  int64_t half = delay / 2;
  return half + (int64_t)randombytes_uniform((uint32_t)(half + 1));
}

/* Schedules the next attempt and returns its delay in milliseconds.  A
 * revoked token retries at the cap: nothing will change soon, and the
 * kiosk must not hammer the server. */
static int64_t backoff_fail(kiosk_net *net, backoff *b)
{
  b->failures++;
  int64_t delay = net->unauthorized ? (int64_t)net->backoff_max_s * 1000
                                    : backoff_delay_ms(net, b->failures);
  b->next_at_ms = lobby_monotonic_ms() + delay;
  return delay;
}

static void backoff_reset(backoff *b)
{
  b->failures = 0;
  b->next_at_ms = 0;
}

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

/* Keeps the ETag header, verbatim, for the next If-None-Match. */
static size_t on_response_header(char *data, size_t size, size_t nmemb, void *userdata)
{
  transfer *t = userdata;
  size_t n = size * nmemb;
  static const char name[] = "etag:";
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

static void transfer_free(transfer *t)
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

static lobby_err add_header_value(transfer *t, const char *name, const char *value)
{
  char line[512];
  int n = snprintf(line, sizeof line, "%s: %s", name, value);
  if (n < 0 || (size_t)n >= sizeof line)
    return LOBBY_EINVAL;
  return add_header(t, line);
}

static lobby_err set_request_body(transfer *t, const json_t *body)
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

static lobby_err set_method(transfer *t, const char *method)
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

static transfer *transfer_new(kiosk_net *net, transfer_role role, const char *path,
                              size_t response_limit, long timeout_ms)
{
  transfer *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->role = role;
  t->response_limit = response_limit;
  t->easy = curl_easy_init();
  char url[NET_PATH_MAX];
  int n = snprintf(url, sizeof url, "%s%s", net->server_url, path);
  if (!t->easy || n < 0 || (size_t)n >= sizeof url || add_header(t, net->auth_header) != LOBBY_OK) {
    transfer_free(t);
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
static lobby_err transfer_start(kiosk_net *net, transfer *t)
{
  curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
  if (curl_multi_add_handle(net->multi, t->easy) != CURLM_OK) {
    transfer_free(t);
    return LOBBY_EIO;
  }
  t->next = net->transfers;
  net->transfers = t;
  return LOBBY_OK;
}

static void transfer_unlink(kiosk_net *net, transfer *t)
{
  for (transfer **p = &net->transfers; *p; p = &(*p)->next) {
    if (*p == t) {
      *p = t->next;
      break;
    }
  }
  curl_multi_remove_handle(net->multi, t->easy);
  if (net->feed_transfer == t)
    net->feed_transfer = NULL;
  if (net->heartbeat_transfer == t)
    net->heartbeat_transfer = NULL;
  if (net->outbox_transfer == t)
    net->outbox_transfer = NULL;
}

/* The response body as JSON, or NULL when empty or not JSON. */
static json_t *response_json(const transfer *t)
{
  if (!t->response || t->response_len == 0)
    return NULL;
  return json_loadb(t->response, t->response_len, 0, NULL);
}

/* Connectivity meaning of a finished exchange: no answer or a 5xx means
 * the server is not really there; 401 means it refuses this kiosk. */
static exchange_outcome classify(CURLcode rc, long status)
{
  if (rc != CURLE_OK || status >= 500 || status == 0)
    return OUTCOME_UNREACHABLE;
  if (status == 401)
    return OUTCOME_UNAUTHORIZED;
  return OUTCOME_OK;
}

static void describe_failure(const transfer *t, CURLcode rc, long status, char *buf, size_t size)
{
  if (rc != CURLE_OK)
    snprintf(buf, size, "%s", t->error[0] ? t->error : curl_easy_strerror(rc));
  else
    snprintf(buf, size, "HTTP %ld", status);
}

/* ------------------------------------------------------------ feed cache */

static void feed_cache_save(kiosk_net *net, const json_t *feed, int64_t fetched_at)
{
  lobby_err err = kiosk_feed_cache_write(net->feed_cache_path, feed, net->feed_etag, fetched_at);
  if (err != LOBBY_OK)
    LOBBY_WARN("feed: could not save the cache: %s", lobby_strerror(err));
}

static void remember_feed_version(kiosk_net *net, const json_t *feed)
{
  const char *version = json_string_value(json_object_get(feed, "version"));
  snprintf(net->feed_version, sizeof net->feed_version, "%s", version ? version : "");
}

static void feed_cache_load(kiosk_net *net)
{
  json_t *feed = NULL;
  int64_t fetched_at = 0;
  lobby_err err = kiosk_feed_cache_read(net->feed_cache_path, &feed, net->feed_etag,
                                        sizeof net->feed_etag, &fetched_at);
  if (err != LOBBY_OK) {
    if (err == LOBBY_EINVAL)
      LOBBY_WARN("feed: the cache is unreadable; ignoring it");
    else if (err != LOBBY_ENOTFOUND)
      LOBBY_WARN("feed: could not read the cache: %s", lobby_strerror(err));
    return;
  }
  remember_feed_version(net, feed);
  LOBBY_INFO("feed: showing the cached feed %s", net->feed_version);
  emit_feed(net, feed, true, fetched_at);
}

/* ------------------------------------------------------------ feed poll */

static void feed_start(kiosk_net *net)
{
  char path[128];
  bool conditional = net->feed_etag_live && net->feed_etag[0];
  if (conditional)
    snprintf(path, sizeof path, "/api/v1/feed?wait=%d", net->poll_wait_s);
  else
    snprintf(path, sizeof path, "/api/v1/feed");
  long timeout_ms = (long)(net->poll_wait_s + LONG_POLL_GRACE_S) * 1000L;
  transfer *t = transfer_new(net, XFER_FEED, path, FEED_RESPONSE_MAX_BYTES, timeout_ms);
  if (t && conditional) {
    snprintf(t->sent_etag, sizeof t->sent_etag, "%s", net->feed_etag);
    if (add_header_value(t, "If-None-Match", net->feed_etag) != LOBBY_OK) {
      transfer_free(t);
      t = NULL;
    }
  }
  if (!t || transfer_start(net, t) != LOBBY_OK) {
    LOBBY_ERROR("feed: could not start a request");
    backoff_fail(net, &net->feed_backoff);
    return;
  }
  t->started_ms = lobby_monotonic_ms();
  net->feed_transfer = t;
}

/* A held long-poll ends with a change or at its deadline; an instant 304,
 * or a 200 carrying the very ETag we sent, means the server did not hold
 * it, and asking again at once would spin. */
static void feed_space_out_instant_answers(kiosk_net *net, const transfer *t, long status)
{
  if (!t->sent_etag[0] || lobby_monotonic_ms() - t->started_ms >= FEED_MIN_SPACING_MS)
    return;
  bool unchanged = status == 304 || (status == 200 && strcmp(t->sent_etag, net->feed_etag) == 0);
  if (unchanged)
    net->feed_backoff.next_at_ms = t->started_ms + FEED_MIN_SPACING_MS;
}

static int64_t feed_fetched_at(const json_t *feed)
{
  int64_t t;
  const char *server_time = json_string_value(json_object_get(feed, "server_time"));
  if (server_time && lobby_time_parse(server_time, &t) == LOBBY_OK)
    return t;
  return lobby_now();
}

static bool feed_accept(kiosk_net *net, transfer *t)
{
  json_t *feed = response_json(t);
  if (!json_is_object(feed)) {
    json_decref(feed);
    return false;
  }
  const char *version = json_string_value(json_object_get(feed, "version"));
  snprintf(net->feed_etag, sizeof net->feed_etag, "%s", t->etag[0] ? t->etag : version ? version : "");
  remember_feed_version(net, feed);
  int64_t fetched_at = feed_fetched_at(feed);
  feed_cache_save(net, feed, fetched_at);
  LOBBY_INFO("feed: version %s", net->feed_version);
  emit_feed(net, feed, false, fetched_at);
  return true;
}

static void feed_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = classify(rc, status);
  if (outcome == OUTCOME_OK && (status == 200 || status == 304)) {
    note_exchange_ok(net); /* before the feed, so the screen drops "offline" first */
    retry_outbox_now(net);
  }
  bool ok = outcome == OUTCOME_OK && (status == 304 || (status == 200 && feed_accept(net, t)));
  if (ok) {
    backoff_reset(&net->feed_backoff);
    /* The first heartbeat waits for the first feed, so it can already
     * report which feed version the kiosk shows. */
    if (!net->heartbeat_sent)
      net->heartbeat_due_ms = 0;
    feed_space_out_instant_answers(net, t, status);
    net->feed_etag_live = net->feed_etag[0] != '\0';
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  describe_failure(t, rc, status, why, sizeof why);
  if (outcome == OUTCOME_OK) {
    /* The server answered, but not with a feed: it is there, so this is
     * not an outage; retry with back-off without going offline. */
    LOBBY_WARN("feed: unexpected answer (%s)", why);
    net->feed_etag_live = false;
  } else {
    note_exchange_failed(net, outcome, why);
  }
  int64_t delay = backoff_fail(net, &net->feed_backoff);
  LOBBY_DEBUG("feed: retry in %lld ms", (long long)delay);
}

/* ------------------------------------------------------------ heartbeat */

static void heartbeat_start(kiosk_net *net)
{
  net->heartbeat_sent = true;
  net->heartbeat_due_ms = lobby_monotonic_ms() + (int64_t)net->heartbeat_s * 1000;
  json_t *body = json_pack("{s:s, s:s, s:i}", "version", net->version, "feed_version",
                           net->feed_version, "queued", atomic_load(&net->queued));
  transfer *t = body ? transfer_new(net, XFER_HEARTBEAT, "/api/v1/kiosks/heartbeat",
                                    CALL_RESPONSE_MAX_BYTES, HEARTBEAT_TIMEOUT_MS)
                     : NULL;
  lobby_err err = t ? set_request_body(t, body) : LOBBY_ENOMEM;
  json_decref(body);
  if (err == LOBBY_OK)
    err = set_method(t, "POST");
  if (err != LOBBY_OK) {
    transfer_free(t);
    LOBBY_ERROR("heartbeat: could not start a request");
    return;
  }
  if (transfer_start(net, t) == LOBBY_OK)
    net->heartbeat_transfer = t;
}

static void heartbeat_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = classify(rc, status);
  if (outcome == OUTCOME_OK) {
    if (status >= 400)
      LOBBY_WARN("heartbeat: refused with HTTP %ld", status);
    note_exchange_ok(net);
    retry_outbox_now(net);
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  describe_failure(t, rc, status, why, sizeof why);
  note_exchange_failed(net, outcome, why);
}

/* -------------------------------------------------------------- outbox */

static pending_submit *pending_take(kiosk_net *net, uint64_t seq)
{
  for (pending_submit **p = &net->pending; *p; p = &(*p)->next) {
    if ((*p)->seq == seq) {
      pending_submit *found = *p;
      *p = found->next;
      return found;
    }
  }
  return NULL;
}

/* Tells the screen its submission is safe in the outbox. */
static void report_queued(kiosk_net *net, pending_submit *ps)
{
  LOBBY_INFO("outbox: %s queued", ps->ref);
  emit_result(net, ps->request_id, KIOSK_RESULT_QUEUED, 0, NULL, ps->ref, NULL);
  emit_outbox(net, ps->ref, NULL);
  free(ps);
}

static void report_all_pending_queued(kiosk_net *net)
{
  while (net->pending) {
    pending_submit *ps = net->pending;
    net->pending = ps->next;
    report_queued(net, ps);
  }
}

static void report_expired_pending(kiosk_net *net, int64_t now_ms)
{
  for (pending_submit **p = &net->pending; *p;) {
    if ((*p)->deadline_ms <= now_ms) {
      pending_submit *ps = *p;
      *p = ps->next;
      report_queued(net, ps);
    } else {
      p = &(*p)->next;
    }
  }
}

static void outbox_start_delivery(kiosk_net *net)
{
  const kiosk_outbox_item *item = kiosk_outbox_at(net->outbox, 0);
  transfer *t = transfer_new(net, XFER_OUTBOX, kiosk_submit_kind_path(item->kind),
                             CALL_RESPONSE_MAX_BYTES, OUTBOX_TIMEOUT_MS);
  lobby_err err = t ? set_request_body(t, item->body) : LOBBY_ENOMEM;
  if (err == LOBBY_OK)
    err = add_header_value(t, "Idempotency-Key", item->idempotency_key);
  if (err == LOBBY_OK)
    err = set_method(t, "POST");
  if (err != LOBBY_OK) {
    transfer_free(t);
    t = NULL;
  }
  if (!t || transfer_start(net, t) != LOBBY_OK) {
    LOBBY_ERROR("outbox: could not start a request for %s", item->ref);
    backoff_fail(net, &net->outbox_backoff);
    return;
  }
  t->outbox_seq = item->seq;
  net->outbox_transfer = t;
}

/* 408 and 429 ask for a retry; 401 means the kiosk's token is refused,
 * which says nothing about the item itself, so it waits for the kiosk to
 * be re-enrolled rather than being thrown away.  Every other 4xx is the
 * server's final word on the item. */
static bool outbox_answer_is_final(long status)
{
  return (status >= 200 && status < 300) ||
         (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429);
}

static void log_completion(const kiosk_outbox_item *item, long status, const json_t *body)
{
  if (status >= 200 && status < 300) {
    const char *id = json_string_value(json_object_get(body, item->kind == KIOSK_SUBMIT_REPAIR ? "ticket" : "id"));
    LOBBY_INFO("outbox: %s delivered as %s (HTTP %ld)", item->ref, id ? id : "?", status);
  } else {
    const char *code = json_string_value(json_object_get(json_object_get(body, "error"), "code"));
    LOBBY_WARN("outbox: %s rejected by the server (HTTP %ld, %s)", item->ref, status,
               code ? code : "no error code");
  }
}

/* Records a final answer and tells the screen: the waiting screen gets a
 * DELIVERED result, and everyone gets the new count and the record. */
static void outbox_complete_item(kiosk_net *net, transfer *t, long status)
{
  const kiosk_outbox_item *item = kiosk_outbox_at(net->outbox, 0);
  if (!item || item->seq != t->outbox_seq)
    return;
  char ref[KIOSK_OUTBOX_REF_SIZE];
  snprintf(ref, sizeof ref, "%s", item->ref);
  json_t *body = response_json(t);
  log_completion(item, status, body);
  json_t *record = NULL;
  lobby_err err = kiosk_outbox_complete(net->outbox, t->outbox_seq, (int)status, body, &record);
  if (err != LOBBY_OK) {
    /* The item stays and is sent again with the same key: the server
     * answers the same ticket, so nothing is duplicated. */
    LOBBY_ERROR("outbox: could not record the answer for %s: %s", ref, lobby_strerror(err));
    json_decref(body);
    backoff_fail(net, &net->outbox_backoff);
    return;
  }
  update_queued_count(net);
  backoff_reset(&net->outbox_backoff);
  pending_submit *ps = pending_take(net, t->outbox_seq);
  if (ps) {
    emit_result(net, ps->request_id, KIOSK_RESULT_DELIVERED, (int)status, body, ref, t->etag);
    free(ps);
  } else {
    json_decref(body);
  }
  emit_outbox(net, ref, record);
}

static void outbox_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = classify(rc, status);
  if (rc == CURLE_OK && outbox_answer_is_final(status)) {
    note_exchange_ok(net);
    outbox_complete_item(net, t, status);
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  describe_failure(t, rc, status, why, sizeof why);
  if (outcome == OUTCOME_OK)
    note_exchange_ok(net); /* 408/429: the server is there but asks us to wait */
  else
    note_exchange_failed(net, outcome, why);
  int64_t delay = backoff_fail(net, &net->outbox_backoff);
  const kiosk_outbox_item *item = kiosk_outbox_at(net->outbox, 0);
  /* One line per outage, not one per attempt. */
  lobby_log(net->outbox_backoff.failures == 1 ? LOBBY_LOG_INFO : LOBBY_LOG_DEBUG,
            "outbox: %s not delivered yet (%s); retry in %lld s", item ? item->ref : "?", why,
            (long long)(delay + 999) / 1000);
  /* The server did not take the item now, so nobody should stare at a
   * spinner until the answer deadline: tell the screens it is queued. */
  report_all_pending_queued(net);
}

/* --------------------------------------------------------- direct calls */

/* A long-polling call carries its wait in the query; a path that already
 * names one is left as it is. */
static lobby_err call_path(const command *cmd, char *buf, size_t size)
{
  bool long_poll = cmd->wait_s > 0 && cmd->etag && cmd->etag[0] && !strstr(cmd->path, "wait=");
  int n = long_poll ? snprintf(buf, size, "%s%cwait=%d", cmd->path,
                               strchr(cmd->path, '?') ? '&' : '?', cmd->wait_s)
                    : snprintf(buf, size, "%s", cmd->path);
  return n < 0 || (size_t)n >= size ? LOBBY_EINVAL : LOBBY_OK;
}

static void call_start(kiosk_net *net, command *cmd)
{
  long timeout_ms = cmd->wait_s > 0 ? (long)(cmd->wait_s + LONG_POLL_GRACE_S) * 1000L : CALL_TIMEOUT_MS;
  char path[NET_PATH_MAX];
  transfer *t = call_path(cmd, path, sizeof path) == LOBBY_OK
                  ? transfer_new(net, XFER_CALL, path, CALL_RESPONSE_MAX_BYTES, timeout_ms)
                  : NULL;
  lobby_err err = t ? LOBBY_OK : LOBBY_ENOMEM;
  if (err == LOBBY_OK && cmd->body)
    err = set_request_body(t, cmd->body);
  if (err == LOBBY_OK && cmd->etag && cmd->etag[0])
    err = add_header_value(t, "If-None-Match", cmd->etag);
  if (err == LOBBY_OK)
    err = set_method(t, cmd->method);
  if (err != LOBBY_OK) {
    transfer_free(t);
    t = NULL;
  }
  if (!t || transfer_start(net, t) != LOBBY_OK) {
    emit_result(net, cmd->request_id, KIOSK_RESULT_FAILED, 0, NULL, NULL, NULL);
    return;
  }
  t->request_id = cmd->request_id;
}

static void call_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = classify(rc, status);
  char why[CURL_ERROR_SIZE + 32];
  describe_failure(t, rc, status, why, sizeof why);
  if (outcome == OUTCOME_OK) {
    note_exchange_ok(net);
    retry_outbox_now(net);
  } else {
    note_exchange_failed(net, outcome, why);
  }
  if (rc != CURLE_OK) {
    LOBBY_INFO("net: call %llu failed (%s)", (unsigned long long)t->request_id, why);
    emit_result(net, t->request_id, KIOSK_RESULT_FAILED, 0, NULL, NULL, NULL);
    return;
  }
  emit_result(net, t->request_id, KIOSK_RESULT_DELIVERED, (int)status, response_json(t), NULL,
              t->etag);
}

static void call_cancel(kiosk_net *net, uint64_t request_id)
{
  for (transfer *t = net->transfers; t; t = t->next) {
    if (t->role == XFER_CALL && t->request_id == request_id) {
      transfer_unlink(net, t);
      transfer_free(t);
      return;
    }
  }
}

/* ------------------------------------------------------------- commands */

static void command_free(command *cmd)
{
  if (!cmd)
    return;
  free(cmd->method);
  free(cmd->path);
  free(cmd->etag);
  json_decref(cmd->body);
  free(cmd);
}

static void submit_run(kiosk_net *net, command *cmd)
{
  const kiosk_outbox_item *item = NULL;
  lobby_err err = kiosk_outbox_append(net->outbox, cmd->submit_kind, cmd->body, &item);
  if (err != LOBBY_OK) {
    LOBBY_ERROR("outbox: could not store a %s: %s", kiosk_submit_kind_name(cmd->submit_kind),
                lobby_strerror(err));
    emit_result(net, cmd->request_id, KIOSK_RESULT_FAILED, 0, NULL, NULL, NULL);
    return;
  }
  update_queued_count(net);
  pending_submit *ps = calloc(1, sizeof *ps);
  if (!ps) {
    /* The item is safe on disk; the screen just gets its answer now. */
    emit_result(net, cmd->request_id, KIOSK_RESULT_QUEUED, 0, NULL, item->ref, NULL);
    return;
  }
  ps->request_id = cmd->request_id;
  ps->seq = item->seq;
  snprintf(ps->ref, sizeof ps->ref, "%s", item->ref);
  ps->deadline_ms = lobby_monotonic_ms() + SUBMIT_ANSWER_MS;
  ps->next = net->pending;
  net->pending = ps;
  /* A person is waiting: try now even if the last attempt failed. */
  backoff_reset(&net->outbox_backoff);
}

static void lookup_run(kiosk_net *net, command *cmd)
{
  json_t *found = NULL;
  lobby_err err = kiosk_outbox_lookup(net->outbox, cmd->ref, &found);
  if (err == LOBBY_OK)
    emit_result(net, cmd->request_id, KIOSK_RESULT_DELIVERED, 200, found, cmd->ref, NULL);
  else if (err == LOBBY_ENOTFOUND)
    emit_result(net, cmd->request_id, KIOSK_RESULT_DELIVERED, 404, NULL, cmd->ref, NULL);
  else
    emit_result(net, cmd->request_id, KIOSK_RESULT_FAILED, 0, NULL, cmd->ref, NULL);
}

static void command_run(kiosk_net *net, command *cmd)
{
  switch (cmd->kind) {
  case CMD_SUBMIT: submit_run(net, cmd); break;
  case CMD_CALL: call_start(net, cmd); break;
  case CMD_LOOKUP: lookup_run(net, cmd); break;
  case CMD_CANCEL: call_cancel(net, cmd->request_id); break;
  }
}

static command *commands_take_all(kiosk_net *net)
{
  pthread_mutex_lock(&net->lock);
  command *all = net->commands_head;
  net->commands_head = net->commands_tail = NULL;
  pthread_mutex_unlock(&net->lock);
  return all;
}

static void commands_run_all(kiosk_net *net)
{
  command *cmd = commands_take_all(net);
  while (cmd) {
    command *next = cmd->next;
    command_run(net, cmd);
    command_free(cmd);
    cmd = next;
  }
}

static lobby_err command_post(kiosk_net *net, command *cmd)
{
  if (atomic_load(&net->stopping)) {
    command_free(cmd);
    return LOBBY_EINVAL;
  }
  pthread_mutex_lock(&net->lock);
  if (net->commands_tail)
    net->commands_tail->next = cmd;
  else
    net->commands_head = cmd;
  net->commands_tail = cmd;
  pthread_mutex_unlock(&net->lock);
  curl_multi_wakeup(net->multi);
  return LOBBY_OK;
}

/* ---------------------------------------------------------- main loop */

static void transfer_finished(kiosk_net *net, transfer *t, CURLcode rc)
{
  long status = 0;
  if (rc == CURLE_OK)
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  switch (t->role) {
  case XFER_FEED: feed_finished(net, t, rc, status); break;
  case XFER_HEARTBEAT: heartbeat_finished(net, t, rc, status); break;
  case XFER_OUTBOX: outbox_finished(net, t, rc, status); break;
  case XFER_CALL: call_finished(net, t, rc, status); break;
  }
}

static void collect_finished_transfers(kiosk_net *net)
{
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(net->multi, &left)) != NULL) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    char *private_data = NULL;
    CURLcode rc = msg->data.result;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &private_data);
    transfer *t = (transfer *)(void *)private_data;
    if (!t)
      continue;
    transfer_unlink(net, t);
    transfer_finished(net, t, rc);
    transfer_free(t);
  }
}

static void start_due_work(kiosk_net *net, int64_t now_ms)
{
  if (!net->feed_transfer && now_ms >= net->feed_backoff.next_at_ms)
    feed_start(net);
  if (!net->heartbeat_transfer && now_ms >= net->heartbeat_due_ms)
    heartbeat_start(net);
  if (!net->outbox_transfer && kiosk_outbox_count(net->outbox) > 0 &&
      now_ms >= net->outbox_backoff.next_at_ms)
    outbox_start_delivery(net);
}

static int64_t earlier(int64_t a, int64_t b)
{
  return a < b ? a : b;
}

/* How long the loop may sleep before something of ours is due; curl
 * shortens it further for its own timers. */
static int sleep_budget_ms(const kiosk_net *net, int64_t now_ms)
{
  int64_t due = now_ms + LOOP_MAX_SLEEP_MS;
  if (!net->feed_transfer)
    due = earlier(due, net->feed_backoff.next_at_ms);
  if (!net->heartbeat_transfer)
    due = earlier(due, net->heartbeat_due_ms);
  if (!net->outbox_transfer && kiosk_outbox_count(net->outbox) > 0)
    due = earlier(due, net->outbox_backoff.next_at_ms);
  for (const pending_submit *ps = net->pending; ps; ps = ps->next)
    due = earlier(due, ps->deadline_ms);
  int64_t budget = due - now_ms;
  return budget < 0 ? 0 : (int)budget;
}

static void *network_thread(void *arg)
{
  kiosk_net *net = arg;
  feed_cache_load(net);
  if (kiosk_outbox_count(net->outbox) > 0)
    emit_outbox(net, NULL, NULL);
  while (!atomic_load(&net->stopping)) {
    commands_run_all(net);
    int64_t now_ms = lobby_monotonic_ms();
    start_due_work(net, now_ms);
    report_expired_pending(net, now_ms);
    int running = 0;
    curl_multi_perform(net->multi, &running);
    collect_finished_transfers(net);
    curl_multi_poll(net->multi, NULL, 0, sleep_budget_ms(net, lobby_monotonic_ms()), NULL);
  }
  return NULL;
}

/* ------------------------------------------------------------ public API */

static char *copy_string(const char *s)
{
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

/* The server URL without a trailing slash, so paths can be appended. */
static char *copy_base_url(const char *url)
{
  char *copy = copy_string(url);
  if (copy) {
    size_t n = strlen(copy);
    while (n > 0 && copy[n - 1] == '/')
      copy[--n] = '\0';
  }
  return copy;
}

static char *make_auth_header(const char *token)
{
  static const char prefix[] = "Authorization: Bearer ";
  size_t n = sizeof prefix + strlen(token);
  char *line = malloc(n);
  if (line)
    snprintf(line, n, "%s%s", prefix, token);
  return line;
}

static int positive_or(int value, int fallback)
{
  return value > 0 ? value : fallback;
}

static lobby_err copy_config(kiosk_net *net, const kiosk_net_config *cfg)
{
  net->poll_wait_s = positive_or(cfg->poll_wait_s, 50);
  if (net->poll_wait_s > SERVER_WAIT_MAX_S)
    net->poll_wait_s = SERVER_WAIT_MAX_S;
  net->heartbeat_s = positive_or(cfg->heartbeat_s, 60);
  net->backoff_max_s = positive_or(cfg->backoff_max_s, 30);
  net->wake = cfg->wake;
  net->wake_ctx = cfg->wake_ctx;
  net->server_url = copy_base_url(cfg->server_url);
  net->auth_header = make_auth_header(cfg->token);
  net->version = copy_string(cfg->version ? cfg->version : "0");
  if (!net->server_url || !net->auth_header || !net->version)
    return LOBBY_ENOMEM;
  lobby_err err = kiosk_feed_cache_path(cfg->state_dir, net->feed_cache_path,
                                        sizeof net->feed_cache_path);
  return err == LOBBY_OK ? LOBBY_OK : LOBBY_EINVAL;
}

static void events_free_all(kiosk_net *net)
{
  event_node *node = net->events_head;
  while (node) {
    event_node *next = node->next;
    event_free_payload(&node->ev);
    free(node);
    node = next;
  }
  net->events_head = net->events_tail = NULL;
}

static void transfers_free_all(kiosk_net *net)
{
  while (net->transfers) {
    transfer *t = net->transfers;
    transfer_unlink(net, t);
    transfer_free(t);
  }
}

static void pending_free_all(kiosk_net *net)
{
  while (net->pending) {
    pending_submit *ps = net->pending;
    net->pending = ps->next;
    free(ps);
  }
}

/* One kiosk process per state directory: two would deliver the same
 * outbox side by side.  The kernel drops a flock when its holder dies,
 * even by SIGKILL, so a crashed kiosk never locks out its restart. */
static lobby_err lock_state_dir(kiosk_net *net, const char *state_dir)
{
  char path[NET_PATH_MAX];
  int n = snprintf(path, sizeof path, "%s/lock", state_dir);
  if (n < 0 || (size_t)n >= sizeof path)
    return LOBBY_EINVAL;
  net->state_lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (net->state_lock_fd < 0)
    return LOBBY_EIO;
  if (flock(net->state_lock_fd, LOCK_EX | LOCK_NB) != 0) {
    bool busy = errno == EWOULDBLOCK;
    if (busy)
      LOBBY_ERROR("net: another kiosk process is using this state directory");
    return busy ? LOBBY_ECONFLICT : LOBBY_EIO;
  }
  return LOBBY_OK;
}

/* Frees everything; the thread must not be running. */
static void net_free(kiosk_net *net)
{
  transfers_free_all(net);
  if (net->multi)
    curl_multi_cleanup(net->multi);
  command *cmd = net->commands_head;
  while (cmd) {
    command *next = cmd->next;
    command_free(cmd);
    cmd = next;
  }
  events_free_all(net);
  pending_free_all(net);
  kiosk_outbox_close(net->outbox);
  free(net->server_url);
  free(net->auth_header);
  free(net->version);
  if (net->state_lock_fd >= 0)
    close(net->state_lock_fd);
  pthread_mutex_destroy(&net->lock);
  free(net);
  curl_global_cleanup();
}

static bool config_valid(const kiosk_net_config *cfg)
{
  return cfg && cfg->server_url && cfg->server_url[0] && cfg->token && cfg->token[0] &&
         cfg->state_dir && cfg->state_dir[0] && !strpbrk(cfg->token, "\r\n");
}

lobby_err kiosk_net_start(const kiosk_net_config *cfg, kiosk_net **out)
{
  if (!out || !config_valid(cfg))
    return LOBBY_EINVAL;
  if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return LOBBY_EIO;
  kiosk_net *net = calloc(1, sizeof *net);
  if (!net) {
    curl_global_cleanup();
    return LOBBY_ENOMEM;
  }
  net->state_lock_fd = -1;
  pthread_mutex_init(&net->lock, NULL);
  atomic_init(&net->stopping, false);
  atomic_init(&net->queued, 0);
  atomic_init(&net->next_request_id, 1);
  lobby_err err = copy_config(net, cfg);
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(cfg->state_dir);
  if (err == LOBBY_OK)
    err = lock_state_dir(net, cfg->state_dir);
  /* The outbox is opened here, on the caller's thread, once at start-up
   * (a few small files), so that an unusable state directory is reported
   * by kiosk_net_start rather than found out after a visitor submits. */
  if (err == LOBBY_OK)
    err = kiosk_outbox_open(cfg->state_dir, &net->outbox);
  if (err == LOBBY_OK && !(net->multi = curl_multi_init()))
    err = LOBBY_ENOMEM;
  if (err == LOBBY_OK) {
    update_queued_count(net);
    net->heartbeat_due_ms = lobby_monotonic_ms() + (int64_t)net->heartbeat_s * 1000;
    if (pthread_create(&net->thread, NULL, network_thread, net) != 0)
      err = LOBBY_EIO;
  }
  if (err != LOBBY_OK) {
    net_free(net);
    return err;
  }
  net->thread_started = true;
  *out = net;
  return LOBBY_OK;
}

void kiosk_net_stop(kiosk_net *net)
{
  if (!net)
    return;
  atomic_store(&net->stopping, true);
  if (net->thread_started) {
    curl_multi_wakeup(net->multi);
    pthread_join(net->thread, NULL);
  }
  net_free(net);
}

static uint64_t new_request_id(kiosk_net *net)
{
  return (uint64_t)atomic_fetch_add(&net->next_request_id, 1);
}

static command *command_new(kiosk_net *net, command_kind kind)
{
  command *cmd = calloc(1, sizeof *cmd);
  if (cmd) {
    cmd->kind = kind;
    cmd->request_id = new_request_id(net);
  }
  return cmd;
}

lobby_err kiosk_net_submit(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id)
{
  if (!net || !json_is_object(body) || (kind != KIOSK_SUBMIT_REPAIR && kind != KIOSK_SUBMIT_VISIT))
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_SUBMIT);
  if (!cmd)
    return LOBBY_ENOMEM;
  cmd->submit_kind = kind;
  cmd->body = json_deep_copy(body);
  if (!cmd->body) {
    command_free(cmd);
    return LOBBY_ENOMEM;
  }
  if (request_id)
    *request_id = cmd->request_id;
  return command_post(net, cmd);
}

static bool method_supported(const char *method)
{
  static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(method, methods[i]) == 0)
      return true;
  return false;
}

lobby_err kiosk_net_call(kiosk_net *net, const char *method, const char *path, json_t *body,
                         const char *etag, int wait_s, uint64_t *request_id)
{
  if (!net || !method || !method_supported(method) || !path || path[0] != '/' ||
      strpbrk(path, " \r\n") || (etag && strpbrk(etag, "\r\n")) || wait_s < 0)
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_CALL);
  if (!cmd)
    return LOBBY_ENOMEM;
  cmd->wait_s = wait_s > SERVER_WAIT_MAX_S ? SERVER_WAIT_MAX_S : wait_s;
  cmd->method = copy_string(method);
  cmd->path = copy_string(path);
  cmd->etag = etag ? copy_string(etag) : NULL;
  cmd->body = body ? json_deep_copy(body) : NULL;
  if (!cmd->method || !cmd->path || (etag && !cmd->etag) || (body && !cmd->body)) {
    command_free(cmd);
    return LOBBY_ENOMEM;
  }
  if (request_id)
    *request_id = cmd->request_id;
  return command_post(net, cmd);
}

lobby_err kiosk_net_lookup_provisional(kiosk_net *net, const char *ref, uint64_t *request_id)
{
  if (!net || !ref || strlen(ref) >= KIOSK_OUTBOX_REF_SIZE)
    return LOBBY_EINVAL;
  command *cmd = command_new(net, CMD_LOOKUP);
  if (!cmd)
    return LOBBY_ENOMEM;
  snprintf(cmd->ref, sizeof cmd->ref, "%s", ref);
  if (request_id)
    *request_id = cmd->request_id;
  return command_post(net, cmd);
}

/* Drops any answer to request_id that is already waiting in the event
 * queue and remembers the id, so a cancelled call never surfaces. */
static void events_drop_result(kiosk_net *net, uint64_t request_id)
{
  pthread_mutex_lock(&net->lock);
  net->cancelled[net->cancelled_next] = request_id;
  net->cancelled_next = (net->cancelled_next + 1) % CANCELLED_REMEMBERED;
  events_remove_locked(net, is_result_of, request_id);
  pthread_mutex_unlock(&net->lock);
}

void kiosk_net_cancel(kiosk_net *net, uint64_t request_id)
{
  if (!net || request_id == 0)
    return;
  events_drop_result(net, request_id);
  command *cmd = calloc(1, sizeof *cmd);
  if (cmd) {
    cmd->kind = CMD_CANCEL;
    cmd->request_id = request_id;
    (void)command_post(net, cmd); /* only fails while stopping */
  }
}

bool kiosk_net_poll(kiosk_net *net, kiosk_event *ev)
{
  if (!net || !ev)
    return false;
  pthread_mutex_lock(&net->lock);
  event_node *node = net->events_head;
  if (node) {
    net->events_head = node->next;
    if (!net->events_head)
      net->events_tail = NULL;
  }
  pthread_mutex_unlock(&net->lock);
  if (!node)
    return false;
  *ev = node->ev;
  free(node);
  return true;
}

int kiosk_net_queued(kiosk_net *net)
{
  return net ? atomic_load(&net->queued) : 0;
}
