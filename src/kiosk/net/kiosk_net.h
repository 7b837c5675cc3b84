/* The kiosk's network thread and durable outbox.
 *
 * Screens never call libcurl and the UI thread never waits on the network
 * or the disk.  The UI thread posts requests, which return at once with a
 * request id; the network thread answers with events that the UI thread
 * drains with kiosk_net_poll() after the wake callback fires.
 *
 * Submissions (repairs, visits) go through an on-disk outbox: the network
 * thread writes and fsyncs the item before it reports KIOSK_RESULT_QUEUED or
 * KIOSK_RESULT_DELIVERED, so anything the screen calls "submitted" or
 * "queued" survives a crash or power loss.  Each item carries an
 * Idempotency-Key generated when it is created, so redelivery after a crash
 * never makes a second ticket.  Items are delivered in order. */
#ifndef KIOSK_NET_H
#define KIOSK_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_error.h"
#include "lobby_tls.h"
#include "kiosk_submit.h"

typedef struct kiosk_net kiosk_net;

typedef struct {
  const char *server_url;   /* "http://127.0.0.1:8080" */
  const char *token;        /* kiosk bearer token */
  const char *state_dir;    /* feed cache and outbox live here */
  const char *version;      /* software version, sent in heartbeats */
  int poll_wait_s;          /* long-poll wait, default 50 */
  int heartbeat_s;          /* default 60 */
  int backoff_max_s;        /* cap for exponential back-off, default 30 */
  /* Called on the network thread after an event is queued, so the UI can
   * wake its event loop (SDL_PushEvent is thread-safe). */
  void (*wake)(void *ctx);
  void *wake_ctx;
  /* Added: for an https:// server_url only (lobby_tls.h), the CA file
   * its certificate must chain to and the public-key pin(s) it must
   * match; NULL or "" = the system's CAs, no pin.  An https:// kiosk
   * never falls back to http, not even through a redirect. */
  const char *ca_file;
  const char *pin;
} kiosk_net_config;

typedef enum {
  KIOSK_EV_FEED,          /* feed: a new feed (from the server or the disk cache) */
  KIOSK_EV_CONNECTIVITY,  /* online / last_ok_at changed */
  KIOSK_EV_RESULT,        /* the answer to a request */
  KIOSK_EV_OUTBOX,        /* queued count changed, or a provisional ref got its real id */
  /* Added: a notice's picture is now in the cache, images/<etag>.jpg of
   * the state directory (notice_image_file.h); etag names it. */
  KIOSK_EV_IMAGE,
  /* Added: staff asked for a screenshot; etag holds the request's id, to
   * pass to kiosk_net_screenshot with the frame. */
  KIOSK_EV_SCREENSHOT
} kiosk_ev_kind;

typedef enum {
  KIOSK_RESULT_DELIVERED, /* the server answered (see http_status and body) */
  KIOSK_RESULT_QUEUED,    /* in the durable outbox; will be delivered later */
  KIOSK_RESULT_FAILED     /* not sent: network error for a non-queued call, or disk error */
} kiosk_result_state;

typedef struct {
  kiosk_ev_kind kind;
  /* KIOSK_EV_FEED */
  json_t *feed;            /* owned by the receiver: json_decref when done */
  bool from_cache;         /* read from disk at start, not from the server */
  int64_t fetched_at;      /* when the server produced it (epoch seconds) */
  /* KIOSK_EV_CONNECTIVITY */
  bool online;
  int64_t last_ok_at;      /* last successful exchange, 0 if never */
  /* KIOSK_EV_RESULT */
  uint64_t request_id;
  kiosk_result_state state;
  int http_status;         /* 0 when not delivered */
  json_t *body;            /* owned by the receiver; may be NULL */
  char provisional_ref[16];/* "Q-7K3M9X" for outbox items */
  /* KIOSK_EV_OUTBOX */
  int queued;              /* items still waiting */
  /* Added after the first version of this header.  KIOSK_EV_RESULT of a
   * direct call and KIOSK_EV_FEED: the response's ETag, verbatim, to pass
   * back as kiosk_net_call's etag (e.g. a visit's status long-poll); ""
   * when there was none.  KIOSK_EV_OUTBOX: body is the look-up object of
   * provisional_ref (as kiosk_net_lookup_provisional answers) when the
   * item was just delivered or rejected, else NULL. */
  char etag[72];
  /* Added.  KIOSK_EV_CONNECTIVITY when offline: why the last exchange
   * failed if TLS refused the server (a certificate not from the CA, a key
   * not the pinned one), so staff see the reason rather than "no
   * network"; LOBBY_TLS_FAIL_NONE otherwise. */
  lobby_tls_failure tls_failure;
} kiosk_event;


/* Added detail: LOBBY_ECONFLICT when another process already runs
 * kiosk_net on the same state_dir (a lock file, state_dir/lock). */
lobby_err kiosk_net_start(const kiosk_net_config *cfg, kiosk_net **out);
/* Stops the thread and frees everything; pending calls are dropped, the
 * outbox stays on disk. */
void kiosk_net_stop(kiosk_net *net);

/* Queues a submission through the outbox.  body is borrowed (copied).
 * The result event is DELIVERED (http_status 201 and the server's body),
 * QUEUED (server unreachable; provisional_ref set) or FAILED (disk).
 * Added detail: DELIVERED can also carry a final 4xx from the server (e.g.
 * 400 with {"error": {...}}); the item has then left the outbox.  The
 * answer comes within about 5 s: later answers arrive as KIOSK_EV_OUTBOX. */
lobby_err kiosk_net_submit(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id);

/* A direct call that is not queued when offline: GET or POST of path
 * ("/api/v1/repairs/lookup?ticket=..."), body may be NULL.  wait_s > 0
 * with etag set long-polls (used for a visit's approval): "wait=wait_s" is
 * added to the query unless path already has a wait, and If-None-Match is
 * etag (pass the previous result event's etag). */
lobby_err kiosk_net_call(kiosk_net *net, const char *method, const char *path, json_t *body,
                         const char *etag, int wait_s, uint64_t *request_id);

/* Looks up a provisional ref ("Q-…") locally: the result event's body is
 * {"ref": "Q-…", "state": "queued"|"delivered", "ticket": "R-…"|null,
 *  "visit_id": …|null, "pass_code": …|null}, http_status 200, or 404.
 * Added: state may also be "rejected" (the server refused the item with a
 * final 4xx); then "http_status" is that status and "error" the server's
 * error object ({"code", "message", "field"}), both null otherwise. */
lobby_err kiosk_net_lookup_provisional(kiosk_net *net, const char *ref, uint64_t *request_id);

/* Cancels an outstanding direct call (e.g. the visitor left the waiting screen). */
void kiosk_net_cancel(kiosk_net *net, uint64_t request_id);

/* Takes the next event; false when there is none.  Never blocks.  Only
 * the newest undelivered KIOSK_EV_FEED is kept in the queue. */
bool kiosk_net_poll(kiosk_net *net, kiosk_event *ev);

/* Number of outbox items not yet delivered (cheap, thread-safe). */
int kiosk_net_queued(kiosk_net *net);

/* The UI deleted a cached picture it could not decode: the network
 * thread looks at the cache again and fetches what is missing. */
lobby_err kiosk_net_images_recheck(kiosk_net *net);

/* The frame for staff's screenshot request_id (KIOSK_EV_SCREENSHOT):
 * width × height pixels of 4 bytes, B, G, R, A in memory (SDL's
 * ARGB8888 on a little-endian machine), rows packed, its private areas
 * already blanked (blanked of them).  The network thread takes pixels
 * (it frees them, whatever happens), encodes the PNG there and sends it;
 * the UI thread never waits.  LOBBY_EINVAL when the network is not
 * running (pixels freed all the same). */
lobby_err kiosk_net_screenshot(kiosk_net *net, const char *request_id, uint8_t *pixels, int width,
                               int height, int blanked);

/* The kiosk's sound as its heartbeat reports it to staff. */
typedef enum {
  KIOSK_NET_AUDIO_UNREPORTED, /* not known yet: the heartbeat leaves it out */
  KIOSK_NET_AUDIO_OK,         /* a device plays */
  KIOSK_NET_AUDIO_NONE,       /* no usable audio device */
  KIOSK_NET_AUDIO_OFF         /* switched off in the config ([audio] enabled = 0) */
} kiosk_net_audio;

/* Sets what the next heartbeats say of the sound (cheap, thread-safe). */
void kiosk_net_report_audio(kiosk_net *net, kiosk_net_audio audio);

/* The network thread as a loadable module.
 *
 * libcurl and the TLS, Kerberos, LDAP and SSH libraries under it take
 * about 7 ms to map and relocate, longer than the rest of the kiosk's
 * libraries together.  So lobby-kiosk does not link them: kiosk_net.c and
 * kiosk_outbox.c are built into lobby-kiosk-net.so, which the kiosk loads
 * (kiosk_net_loader.c) on a worker thread after its first frame.  The
 * module exports one symbol, a table of the kiosk_net.h functions; the
 * executable's kiosk_net_* functions call through it. */
#define KIOSK_NET_MODULE_FILE "lobby-kiosk-net.so"
#define KIOSK_NET_MODULE_SYMBOL "kiosk_net_module_ops"

typedef struct {
  /* The kiosk version the module was built for: a module from another
   * build may disagree on the layout of kiosk_event. */
  const char *version;
  size_t event_size;
  lobby_err (*start)(const kiosk_net_config *cfg, kiosk_net **out);
  void (*stop)(kiosk_net *net);
  lobby_err (*submit)(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id);
  lobby_err (*call)(kiosk_net *net, const char *method, const char *path, json_t *body,
                    const char *etag, int wait_s, uint64_t *request_id);
  lobby_err (*lookup_provisional)(kiosk_net *net, const char *ref, uint64_t *request_id);
  void (*cancel)(kiosk_net *net, uint64_t request_id);
  bool (*poll)(kiosk_net *net, kiosk_event *ev);
  int (*queued)(kiosk_net *net);
  lobby_err (*images_recheck)(kiosk_net *net);
  void (*report_audio)(kiosk_net *net, kiosk_net_audio audio);
  lobby_err (*screenshot)(kiosk_net *net, const char *request_id, uint8_t *pixels, int width,
                          int height, int blanked);
} kiosk_net_ops;

/* The table the module exports (kiosk_net_module.c). */
extern const kiosk_net_ops kiosk_net_module_ops;

#endif
