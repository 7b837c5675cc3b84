/* The server's API as the kiosk's screens use it: the one place in the
 * kiosk that knows its paths, query strings, request bodies and the shapes
 * of its answers (the feed included).  Requests go through kiosk_net.h and
 * return at once with a request id; the answer comes back as a kiosk_event,
 * which the kiosk_api_parse_* functions turn into typed values.  Screens
 * never build a path, URL-encode, pack a body or read the server's JSON.
 *
 * Every request returns LOBBY_EIO without a network (net NULL),
 * LOBBY_EINVAL for something it cannot send (a missing argument, a path
 * that does not fit), LOBBY_ENOMEM, or what kiosk_net returned; only
 * LOBBY_OK sets *request_id.  Strings are borrowed.  Bodies that held
 * personal data are wiped before they are freed.  The network module
 * keeps the paths that are the transport's own: the feed long-poll, the
 * heartbeat, and the outbox's POST /api/v1/repairs, /api/v1/visits,
 * /api/v1/complaints and /api/v1/releases (an item is stored with its
 * kind and sent again after a restart). */
#ifndef KIOSK_API_H
#define KIOSK_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kiosk_net.h"
#include "lobby_error.h"
#include "lobby_follow.h"

/* ---- Requests ---- */

/* A repair request in the API's words. */
typedef struct {
  const char *building, *unit, *room; /* directory codes; unit and room "" for the public area */
  const char *name, *phone;
  const char *category, *kind, *urgency;
  const char *preferred_from, *preferred_to; /* ISO times of an appointment, or NULL for none */
  const char *description;
} kiosk_api_repair;

/* POST /api/v1/repairs through the outbox, with the item's own
 * Idempotency-Key. */
lobby_err kiosk_api_repair_submit(kiosk_net *net, const kiosk_api_repair *in, uint64_t *request_id);
/* GET /api/v1/repairs/lookup?ticket=…&phone_last4=…, both URL-encoded. */
lobby_err kiosk_api_repair_lookup(kiosk_net *net, const char *ticket, const char *phone_last4,
                                  uint64_t *request_id);
/* A provisional "Q-" ref, looked up in this kiosk's outbox (nothing is
 * sent to the server). */
lobby_err kiosk_api_ref_lookup(kiosk_net *net, const char *ref, uint64_t *request_id);

/* A complaint, suggestion, praise or enquiry in the API's words.  The
 * unit (building NULL for none) and the contact (name NULL for none) are
 * sent as given; the server says which kinds need them. */
typedef struct {
  const char *kind, *category, *description;
  const char *building, *unit, *room;
  const char *name, *phone;
} kiosk_api_complaint;

/* POST /api/v1/complaints through the outbox, with the item's own
 * Idempotency-Key. */
lobby_err kiosk_api_complaint_submit(kiosk_net *net, const kiosk_api_complaint *in, uint64_t *request_id);
/* GET /api/v1/complaints/lookup?number=…&phone_last4=…, both URL-encoded. */
lobby_err kiosk_api_complaint_lookup(kiosk_net *net, const char *number, const char *phone_last4,
                                     uint64_t *request_id);

/* An item release (物品放行) in the API's words: things leaving the
 * estate on one day, checked by the gate guard. */
typedef struct {
  const char *building, *unit, *room; /* directory codes, all required */
  const char *items;         /* what is leaving, 1–200 characters */
  const char *date;          /* "YYYY-MM-DD", the day it leaves */
  const char *plate;         /* NULL or "" for none: sent as null */
  const char *name, *phone;
} kiosk_api_release;

/* POST /api/v1/releases through the outbox, with the item's own
 * Idempotency-Key. */
lobby_err kiosk_api_release_submit(kiosk_net *net, const kiosk_api_release *in, uint64_t *request_id);
/* GET /api/v1/releases/lookup?number=…&phone_last4=…, both URL-encoded. */
lobby_err kiosk_api_release_lookup(kiosk_net *net, const char *number, const char *phone_last4,
                                   uint64_t *request_id);

/* A resident's rating of a completed repair or an answered complaint. */
typedef struct {
  const char *number;        /* "R-…" or "C-…" */
  const char *phone_last4;
  const char *satisfaction;  /* satisfied, basically_satisfied, unsatisfied */
  const char *comment;       /* NULL or "" for none */
} kiosk_api_rating;

/* POST /api/v1/ratings, sent at once (never queued: the resident waits
 * for the answer). */
lobby_err kiosk_api_rating_submit(kiosk_net *net, const kiosk_api_rating *in, uint64_t *request_id);

/* A visitor's check-in in the API's words. */
typedef struct {
  const char *name, *phone;
  const char *host;          /* "1-2-301" or a company's name */
  const char *purpose;
  int party_size;
  const char *plate;         /* NULL or "" for none */
} kiosk_api_visit;

/* POST /api/v1/visits through the outbox. */
lobby_err kiosk_api_visit_submit(kiosk_net *net, const kiosk_api_visit *in, uint64_t *request_id);
/* POST /api/v1/visits/invite-checkin, not queued when offline. */
lobby_err kiosk_api_invite_checkin(kiosk_net *net, const char *invite_code, uint64_t *request_id);
/* GET /api/v1/visits/{id}/status.  Without an etag (NULL or "") it
 * answers at once; with the previous answer's etag it long-polls for up to
 * wait_s seconds while the state is still that one. */
lobby_err kiosk_api_visit_status(kiosk_net *net, const char *visit_id, const char *etag, int wait_s,
                                 uint64_t *request_id);
/* POST /api/v1/visits/{id}/cancel: the visitor gives up while pending. */
lobby_err kiosk_api_visit_cancel(kiosk_net *net, const char *visit_id, uint64_t *request_id);
/* POST /api/v1/visits/checkout with the pass code. */
lobby_err kiosk_api_visit_checkout(kiosk_net *net, const char *pass_code, uint64_t *request_id);

/* POST /api/v1/workers/attendance with a contractor worker's pass code:
 * the server signs the worker in or out.  Sent at once, never queued: the
 * answer must reflect the moment and decides which it was. */
lobby_err kiosk_api_worker_attendance(kiosk_net *net, const char *pass_code, uint64_t *request_id);

/* ---- Answers ----
 * Each parse function looks at a KIOSK_EV_RESULT (or KIOSK_EV_OUTBOX)
 * event and returns LOBBY_OK with *out filled, or LOBBY_EINVAL when the
 * event is not that answer: not delivered, another status, a body of
 * another shape.  A malformed body is refused, never trusted; strings that
 * do not fit their buffers are cut on a character boundary. */

/* The ticket a submitted repair was given (a delivered 2xx). */
typedef struct {
  char ticket[32];
  char due_at[40];           /* "" when the answer has none */
  /* The follow page's link for the receipt's QR code; "" when lobbyd
   * sent none ([server] public_url unset) or one of another form. */
  char follow_url[LOBBY_FOLLOW_URL_MAX];
} kiosk_api_repair_receipt;
lobby_err kiosk_api_parse_repair_receipt(const kiosk_event *ev, kiosk_api_repair_receipt *out);

/* The number a filed complaint was given (a delivered 2xx). */
typedef struct {
  char number[32];
  char reply_due_at[40];     /* "" when the answer has none */
  char follow_url[LOBBY_FOLLOW_URL_MAX]; /* as kiosk_api_repair_receipt's */
} kiosk_api_complaint_receipt;
lobby_err kiosk_api_parse_complaint_receipt(const kiosk_event *ev, kiosk_api_complaint_receipt *out);

/* The number a release was given (a delivered 2xx) and its day. */
typedef struct {
  char number[32];
  char date[16];             /* "" when the answer has none */
} kiosk_api_release_receipt;
lobby_err kiosk_api_parse_release_receipt(const kiosk_event *ev, kiosk_api_release_receipt *out);

/* A release as the public look-up shows it (a delivered 200): no name,
 * phone or unit.  Strings the answer lacks (or has as null) are "". */
#define KIOSK_API_ITEMS_MAX 608    /* 200 characters of up to 3 bytes */
typedef struct {
  char number[32];
  char status[16];           /* submitted, approved, refused, cancelled, used */
  char date[16];
  char items[KIOSK_API_ITEMS_MAX];
  char plate[48];
  char code[16];             /* only while approved, unused and not expired */
  char reason[KIOSK_API_ITEMS_MAX]; /* a refusal's or cancellation's, 1–200 characters */
  bool expired;
  char used_at[40];
  char created_at[40];
} kiosk_api_release_status;
lobby_err kiosk_api_parse_release_status(const kiosk_event *ev, kiosk_api_release_status *out);

/* A complaint as the public look-up shows it (a delivered 200): no name,
 * phone or unit.  Strings the answer lacks (or has as null) are "". */
#define KIOSK_API_REPLY_MAX 1536  /* 500 characters of up to 3 bytes */
typedef struct {
  char number[32];
  char kind[16];
  char category[32];
  char status[32];
  char created_at[40];
  char reply_due_at[40];
  char replied_at[40];
  char reply[KIOSK_API_REPLY_MAX];
  char satisfaction[24];     /* "" until rated */
} kiosk_api_complaint_status;
lobby_err kiosk_api_parse_complaint_status(const kiosk_event *ev, kiosk_api_complaint_status *out);

/* A repair's status from the look-up (a delivered 200).  Strings the
 * answer lacks are "". */
#define KIOSK_API_TIMELINE_MAX 32
typedef struct {
  char status[32];
  char at[40];
} kiosk_api_timeline_entry;
typedef struct {
  char ticket[32];
  char status[32];
  char category[32];
  char due_at[40];
  bool overdue;
  size_t n_timeline;         /* the newest KIOSK_API_TIMELINE_MAX entries, oldest first */
  kiosk_api_timeline_entry timeline[KIOSK_API_TIMELINE_MAX];
} kiosk_api_repair_status;
lobby_err kiosk_api_parse_repair_status(const kiosk_event *ev, kiosk_api_repair_status *out);

/* What a rating changed (a delivered 200): the record's number (a
 * repair's ticket), its status now and the level recorded ("" when the
 * answer has none). */
typedef struct {
  char number[32];
  char status[32];
  char satisfaction[24];
} kiosk_api_rating_answer;
lobby_err kiosk_api_parse_rating(const kiosk_event *ev, kiosk_api_rating_answer *out);

/* A provisional ref's state in the outbox: the answer to
 * kiosk_api_ref_lookup (a delivered 200), or a KIOSK_EV_OUTBOX event's
 * body when its item was just delivered or rejected. */
typedef enum {
  KIOSK_API_REF_QUEUED,      /* also when the answer names no state */
  KIOSK_API_REF_DELIVERED,
  KIOSK_API_REF_REJECTED
} kiosk_api_ref_state;
typedef struct {
  char ref[16];
  kiosk_api_ref_state state;
  char ticket[32];           /* "" until delivered, and for visits */
  char visit_id[64];
  char pass_code[16];
  char follow_url[LOBBY_FOLLOW_URL_MAX]; /* as kiosk_api_repair_receipt's */
} kiosk_api_ref_status;
lobby_err kiosk_api_parse_ref_status(const kiosk_event *ev, kiosk_api_ref_status *out);

/* A visit, as a submission, an invite check-in or the status answer it
 * (a delivered 2xx). */
typedef enum {
  KIOSK_API_VISIT_UNSTATED,  /* the answer names no state */
  KIOSK_API_VISIT_PENDING,
  KIOSK_API_VISIT_APPROVED,
  KIOSK_API_VISIT_REFUSED,
  KIOSK_API_VISIT_ENDED      /* checked out, cancelled, or a state this kiosk does not know */
} kiosk_api_visit_state;
typedef struct {
  char id[64];               /* "" when the answer has none */
  kiosk_api_visit_state state;
  char pass_code[16];        /* "" while pending or refused */
  char reason[256];          /* a refusal's reason, "" when none */
  char follow_url[LOBBY_FOLLOW_URL_MAX]; /* the pass page's link, as kiosk_api_repair_receipt's */
} kiosk_api_visit_record;
lobby_err kiosk_api_parse_visit(const kiosk_event *ev, kiosk_api_visit_record *out);

/* A check-out the server accepted (a delivered 200). */
lobby_err kiosk_api_parse_checkout(const kiosk_event *ev);

/* A worker signed in or out (a delivered 200 to the attendance).  The
 * name is masked here again ("王*"), whatever the server sent, so a full
 * name never reaches the public screen. */
typedef struct {
  bool in;                   /* signed in; false: signed out */
  char name[64];             /* masked */
  char company[200];         /* 64 characters of up to 3 bytes */
  char building[16], unit[16], room[16]; /* directory codes, "" when missing */
  char valid_until[16];      /* "YYYY-MM-DD", "" when missing */
  char at[40];               /* ISO time of the sign-in or -out, "" when missing */
} kiosk_api_attendance;
lobby_err kiosk_api_parse_attendance(const kiosk_event *ev, kiosk_api_attendance *out);

/* A sign-in the server refused (a delivered 409 with one of the codes
 * below): why, and the service phone it named ("" when none). */
typedef enum {
  KIOSK_API_REFUSED_EXPIRED,     /* worker_pass_expired */
  KIOSK_API_REFUSED_REVOKED,     /* worker_pass_revoked */
  KIOSK_API_REFUSED_NOT_ACTIVE   /* renovation_not_active */
} kiosk_api_refusal_reason;
typedef struct {
  kiosk_api_refusal_reason reason;
  char contact[32];
} kiosk_api_attendance_refusal;
lobby_err kiosk_api_parse_attendance_refusal(const kiosk_event *ev, kiosk_api_attendance_refusal *out);

/* Why a request failed, for a message in the user's language: "network"
 * when it was not delivered; else the server's error code and field
 * ({"error": {"code", "field"}}), or a code from the status alone
 * ("not_found", "server", "generic").  ev may be NULL (a network failure);
 * out is always filled. */
typedef struct {
  char code[64];
  char field[32];            /* "" when the error names none */
  int http_status;           /* 0 when not delivered */
} kiosk_api_error;
void kiosk_api_parse_error(const kiosk_event *ev, kiosk_api_error *out);

/* ---- The feed ----
 * Views into a feed the caller holds (NULL when the feed lacks the part or
 * it has another shape); strings are "" when missing and live as long as
 * the feed. */

json_t *kiosk_api_feed_notices(const json_t *feed);
json_t *kiosk_api_feed_directory(const json_t *feed);
json_t *kiosk_api_feed_emergency(const json_t *feed);
/* A string member of one of the feed's objects: ("site", "service_phone"). */
const char *kiosk_api_feed_str(const json_t *feed, const char *obj, const char *key);

/* A notice of the feed's list (or its emergency). */
typedef struct {
  json_int_t id;
  const char *title, *body, *updated_at; /* "" when missing */
  const char *category;      /* NULL when missing */
  bool pinned;
  /* Its picture: the ETag that names it (NULL when it has none) and its
   * size in pixels. */
  const char *image_etag;
  int image_w, image_h;
} kiosk_api_notice;
/* Fills out from a notice object; LOBBY_EINVAL when n is not an object,
 * and out is then an empty notice. */
lobby_err kiosk_api_notice_view(const json_t *n, kiosk_api_notice *out);
/* The number of notices in the feed's list (0 for none or NULL). */
size_t kiosk_api_notice_count(const json_t *notices);
/* Notice i of the list: LOBBY_ENOTFOUND past its end, else as
 * kiosk_api_notice_view. */
lobby_err kiosk_api_notice_at(const json_t *notices, size_t i, kiosk_api_notice *out);

/* The directory: buildings, their units and the units' rooms. */
typedef struct {
  const char *code;          /* NULL when missing */
  const char *name;          /* NULL when missing */
  size_t n_units;
} kiosk_api_building;
typedef struct {
  const char *code;          /* NULL when missing */
  size_t n_rooms;
} kiosk_api_unit;
/* The number of buildings in the directory (0 for none or NULL). */
size_t kiosk_api_dir_count(const json_t *dir);
/* Building b of the directory (LOBBY_ENOTFOUND past the end, and out is
 * then empty). */
lobby_err kiosk_api_dir_building(const json_t *dir, size_t b, kiosk_api_building *out);
/* Unit u of building b. */
lobby_err kiosk_api_dir_unit(const json_t *dir, size_t b, size_t u, kiosk_api_unit *out);
/* Room r of unit u of building b: its code, or NULL. */
const char *kiosk_api_dir_room(const json_t *dir, size_t b, size_t u, size_t r);

#endif
