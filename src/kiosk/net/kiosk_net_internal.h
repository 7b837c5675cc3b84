/* What the files of the kiosk's network thread share (kiosk_net.c and
 * kiosk_net_*.c): its state, the transfers it runs, and the functions one
 * file calls in another, named kiosk_net__*.  Nothing outside the network
 * thread includes this; the UI uses kiosk_net.h. */
#ifndef KIOSK_NET_INTERNAL_H
#define KIOSK_NET_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "kiosk_net.h"
#include "kiosk_outbox.h"
#include "notice_image_file.h"

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
/* A screenshot request's id: 32 hex digits. */
#define KIOSK_SHOT_ID_SIZE 33
/* lobbyd takes a screenshot of at most this many bytes. */
#define SCREENSHOT_MAX_BYTES (4u * 1024 * 1024)
#define SCREENSHOT_TIMEOUT_MS 20000L

/* ---- queues shared with the UI thread ---- */

typedef struct event_node {
  kiosk_event ev;
  struct event_node *next;
} event_node;

typedef enum { CMD_SUBMIT, CMD_CALL, CMD_LOOKUP, CMD_CANCEL, CMD_IMAGES_RECHECK, CMD_SCREENSHOT } command_kind;

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
  /* CMD_SCREENSHOT: the frame (owned), its size, the areas blanked; the
   * request's id is in path. */
  uint8_t *pixels;
  int width, height, blanked;
  struct command *next;
} command;

/* ---- network-thread state ---- */

/* The longest wait a server's Retry-After can impose on the outbox. */
#define KIOSK_RETRY_AFTER_MAX_S 3600

typedef enum { XFER_FEED, XFER_HEARTBEAT, XFER_OUTBOX, XFER_CALL, XFER_IMAGE, XFER_SCREENSHOT } transfer_role;

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
  int retry_after_s;    /* the answer's Retry-After, 0 when none; at most KIOSK_RETRY_AFTER_MAX_S */
  char image_etag[KIOSK_IMAGE_ETAG_LEN + 1]; /* XFER_IMAGE: the picture it fetches */
  /* XFER_FEED: the screenshot request the answer carried
   * (Lobby-Screenshot), "" when none. */
  char shot[KIOSK_SHOT_ID_SIZE];
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

/* Configuration, copied at start and read-only after. */
typedef struct {
  char *server_url;
  char *auth_header;
  char *version;
  char *ca_file; /* NULL = the system's CAs */
  char *pin;     /* NULL = no pin */
  char feed_cache_path[NET_PATH_MAX];
  char state_dir[NET_PATH_MAX]; /* the notices' pictures are in its images/ */
  int64_t started_ms; /* monotonic: the heartbeat's uptime counts from here */
  int poll_wait_s;
  int heartbeat_s;
  int backoff_max_s;
  void (*wake)(void *ctx);
  void *wake_ctx;
} net_settings;

/* What the UI thread and the network thread hand each other, under lock. */
typedef struct {
  pthread_mutex_t lock; /* guards commands and events */
  command *commands_head, *commands_tail;
  event_node *events_head, *events_tail;
  /* Recently cancelled request ids, so an answer that races the cancel is
   * dropped instead of reaching a screen that has moved on. */
  uint64_t cancelled[CANCELLED_REMEMBERED];
  unsigned cancelled_next;
} net_mailbox;

/* The feed long-poll (kiosk_net_feed.c); network thread only. */
typedef struct {
  transfer *feed_transfer;
  backoff feed_backoff;
  char feed_etag[sizeof(((kiosk_event *)0)->etag)];
  /* The ETag is only sent once this session has seen the server answer:
   * after a start or an outage the first request fetches the feed in full,
   * so the screen learns at once that it is current again. */
  bool feed_etag_live;
  char feed_version[NET_VERSION_SIZE];
  /* Feeds answered 200 but refused as damaged (not parsable, or not
   * hashing to their version); never reset. */
  unsigned long feeds_refused;
  /* The last screenshot request the UI was told of, sent back as `shot`
   * so lobbyd does not answer the long-poll with it again. */
  char shot_told[KIOSK_SHOT_ID_SIZE];
} net_feed;

/* The outbox and its delivery (kiosk_net_delivery.c); network thread only. */
typedef struct {
  kiosk_outbox *outbox;
  transfer *outbox_transfer;
  pending_submit *pending;
  backoff outbox_backoff;
  /* A 429's Retry-After: no outbox delivery before this, whatever resets
   * the back-off (a new submission, the server seen again). */
  int64_t outbox_hold_until_ms;
} net_delivery;

/* The heartbeat; network thread only. */
typedef struct {
  transfer *heartbeat_transfer;
  int64_t heartbeat_due_ms;
  bool heartbeat_sent;
} net_heartbeat;

/* One picture the feed's notices show (notice_images.c). */
typedef struct {
  char etag[KIOSK_IMAGE_ETAG_LEN + 1];
  char path[96];        /* "/api/v1/notices/7/image?v=<etag>" */
  bool have;            /* its file is in the cache */
  bool fetching;        /* an XFER_IMAGE is under way */
  int failures;         /* fetches refused or failed in a row */
  int64_t next_try_ms;  /* no fetch before this */
} net_image;

/* The pictures of the last feed; network thread only. */
typedef struct {
  net_image *v;
  size_t n;
} net_images;

/* What the network thread last saw of the server (kiosk_net_events.c). */
typedef struct {
  bool online;
  bool connectivity_known;
  bool unauthorized;
  lobby_tls_failure tls_failure; /* why offline, when TLS refused the server */
  int64_t last_ok_at;
  int64_t connectivity_emitted_ms;
} net_seen;

struct kiosk_net {
  net_settings settings;
  int state_lock_fd; /* holds the state directory for this process */
  pthread_t thread;
  bool thread_started;
  net_mailbox mailbox;
  atomic_bool stopping;
  atomic_int queued;
  atomic_int audio; /* kiosk_net_audio, set by the UI thread */
  atomic_uint_fast64_t next_request_id;

  /* Used only on the network thread (and in start/stop around it). */
  CURLM *multi;
  transfer *transfers;
  net_feed feed;
  net_delivery delivery;
  net_heartbeat heartbeat;
  net_seen seen;
  net_images images;
};

/* ---- kiosk_net_events.c: the event queue to the UI thread, connectivity and back-off ---- */

void kiosk_net__event_free_payload(kiosk_event *ev);
void kiosk_net__events_remove_locked(kiosk_net *net, bool (*matches)(const kiosk_event *, uint64_t),
                                     uint64_t request_id);
bool kiosk_net__is_result_of(const kiosk_event *ev, uint64_t request_id);
void kiosk_net__emit_result(kiosk_net *net, uint64_t request_id, kiosk_result_state state,
                            int http_status, json_t *body, const char *ref, const char *etag);
void kiosk_net__emit_outbox(kiosk_net *net, const char *ref, json_t *record);
void kiosk_net__emit_feed(kiosk_net *net, json_t *feed, bool from_cache, int64_t fetched_at);
void kiosk_net__emit_image(kiosk_net *net, const char *etag);
void kiosk_net__update_queued_count(kiosk_net *net);
void kiosk_net__note_exchange_ok(kiosk_net *net);
void kiosk_net__retry_outbox_now(kiosk_net *net);
void kiosk_net__note_exchange_failed(kiosk_net *net, exchange_outcome outcome, lobby_tls_failure tls,
                                     const char *why);
int64_t kiosk_net__backoff_fail(kiosk_net *net, backoff *b);
void kiosk_net__backoff_reset(backoff *b);

/* ---- kiosk_net_transfer.c: one libcurl transfer, its request and its response ---- */

void kiosk_net__transfer_free(transfer *t);
lobby_err kiosk_net__add_header_value(transfer *t, const char *name, const char *value);
lobby_err kiosk_net__set_request_body(transfer *t, const json_t *body);
lobby_err kiosk_net__set_method(transfer *t, const char *method);
transfer *kiosk_net__transfer_new(kiosk_net *net, transfer_role role, const char *path,
                                  size_t response_limit, long timeout_ms);
lobby_err kiosk_net__transfer_start(kiosk_net *net, transfer *t);
void kiosk_net__transfer_unlink(kiosk_net *net, transfer *t);
json_t *kiosk_net__response_json(const transfer *t);
exchange_outcome kiosk_net__classify(CURLcode rc, long status);
void kiosk_net__describe_failure(const transfer *t, CURLcode rc, long status, char *buf, size_t size);

/* ---- kiosk_net_feed.c: the feed cache, the feed long-poll and heartbeats ---- */

void kiosk_net__feed_cache_load(kiosk_net *net);
void kiosk_net__feed_start(kiosk_net *net);
void kiosk_net__feed_finished(kiosk_net *net, transfer *t, CURLcode rc, long status);
void kiosk_net__heartbeat_start(kiosk_net *net);
void kiosk_net__heartbeat_finished(kiosk_net *net, transfer *t, CURLcode rc, long status);

/* ---- kiosk_net_delivery.c: outbox delivery and direct calls ---- */

void kiosk_net__report_expired_pending(kiosk_net *net, int64_t now_ms);
void kiosk_net__outbox_start_delivery(kiosk_net *net);
void kiosk_net__outbox_finished(kiosk_net *net, transfer *t, CURLcode rc, long status);
void kiosk_net__call_start(kiosk_net *net, command *cmd);
void kiosk_net__call_finished(kiosk_net *net, transfer *t, CURLcode rc, long status);
void kiosk_net__call_cancel(kiosk_net *net, uint64_t request_id);

/* ---- kiosk_net_screenshot.c: a frame to PNG, sent to lobbyd ---- */

void kiosk_net__screenshot_start(kiosk_net *net, command *cmd);
void kiosk_net__screenshot_finished(kiosk_net *net, transfer *t, CURLcode rc, long status);
void kiosk_net__emit_screenshot(kiosk_net *net, const char *request_id);
lobby_err kiosk_net__set_request_bytes(transfer *t, char *bytes, size_t len, const char *type);

/* ---- notice_images.c: the notices' pictures, fetched and cached on disk ---- */

/* The pictures feed lists become the wanted set; files no notice names
 * any more are deleted. */
void kiosk_net__images_want(kiosk_net *net, const json_t *feed);
/* Starts the fetches that are due. */
void kiosk_net__images_start(kiosk_net *net, int64_t now_ms);
/* The earliest time a fetch is due, or INT64_MAX. */
int64_t kiosk_net__images_next_ms(const kiosk_net *net);
void kiosk_net__images_finished(kiosk_net *net, transfer *t, CURLcode rc, long status);
/* The UI found a file damaged and deleted it: look at the files again. */
void kiosk_net__images_recheck(kiosk_net *net);
void kiosk_net__images_free(kiosk_net *net);

#endif
