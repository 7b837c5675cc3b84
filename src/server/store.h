/* The store interface: everything lobbyd keeps, behind a table of
 * operations.  HTTP handlers call only these; store_sqlite.c implements
 * them on SQLite, and a PostgreSQL store can implement the same table.
 *
 * Inputs are validated C structs (the handlers check formats and lengths;
 * the store checks what needs the data: existence, uniqueness, state).
 * Records come back as jansson objects in the API's shape, with times as
 * epoch seconds under keys ending in "_at"; the HTTP layer formats them.
 * Every operation is atomic: it commits durably or changes nothing.
 *
 * A write that staff do takes its audit entry (`audit`, NULL for none:
 * kiosks' writes and the store's own jobs are not audited) and inserts it
 * in the same transaction as the change it records: both are committed,
 * or neither.  A failure to write the entry fails the operation. */
#ifndef LOBBY_STORE_H
#define LOBBY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_complaint.h"
#include "lobby_error.h"
#include "lobby_release.h"
#include "lobby_renovation.h"
#include "lobby_repair.h"
#include "lobby_search.h"
#include "lobby_workday.h"
#include "lobby_role.h"
#include "store_records.h"
#include "store_types.h"

#define STORE_TOKEN_HASH_LEN 32

/* One site as the store keeps it. */
typedef struct {
  int64_t id;
  char code[17];                   /* unique, [A-Za-z0-9_-], never changes */
  char name[129];                  /* "" until set: lobbyd then shows [site] name */
  char service_phone[33];          /* "" until set: lobbyd then shows [site]'s */
  int workday_start_min;           /* -1: [repairs]'s working hours apply */
  int workday_end_min;
  int auto_checkout_hours;         /* -1: the company's setting applies */
  int retention_days;              /* -1: the company's; 0 keeps visitors' details */
} store_site;

/* The site a database made before sites puts everything in (id 1). */
#define STORE_FIRST_SITE_CODE "main"

typedef struct {
  lobby_role role;
  int64_t id;          /* kiosks.id or staff.id */
  char name[65];
  char building[17];   /* kiosks only */
  char group[33];      /* kiosks only */
  int64_t site_id;     /* kiosks: the kiosk's site; staff: 0 */
  /* Which sites' records this principal reaches: a kiosk its own site,
   * staff their sites (count 0: all of them). */
  store_site_set sites;
} lobby_principal;

typedef struct {
  const char *building, *unit, *room;
} store_unit_ref;

typedef struct {
  store_unit_ref unit;
  const char *name, *phone, *category, *kind, *description;
  repair_urgency urgency;
  int64_t window_from, window_to;   /* 0 when no preferred time */
  const char *source;               /* kiosk, front_desk, phone */
  int64_t due_at;
  int64_t site_id;                  /* the unit's building's site */
} store_repair_new;



typedef struct {
  repair_event event;
  const char *note;                 /* may be NULL */
  const char *technician;           /* dispatch: staff name */
  int satisfaction;                 /* return_visit: 1..5 */
  const char *comment;              /* return_visit */
  const char *reason;               /* cancel, decline */
} store_repair_event;

/* A completion photo whose picture is already a durable file in the
 * photo directory (photo_store.h). */
#define STORE_REPAIR_PHOTOS_MAX 3
typedef struct {
  const char *file;                 /* its name in the photo directory */
  const char *sha256;               /* of the bytes uploaded, in hex */
  int width, height;
  int64_t bytes;
} store_repair_photo;

/* A complaint, suggestion, praise or enquiry (投诉建议). */
typedef struct {
  const char *kind, *category, *description;
  store_unit_ref unit;              /* building NULL: none given */
  const char *name, *phone;         /* NULL: none given (not for complaints) */
  const char *source;               /* kiosk, front_desk, phone */
  int64_t reply_due_at;             /* one working day (workday_reply_due) */
  int64_t site_id;
} store_complaint_new;

typedef struct {
  const char *status, *kind, *category;
  bool overdue_only;
  bool escalated_only;              /* escalated and still waiting for a reply */
  int64_t from, to;                 /* created_at range, 0 = open */
  int64_t changed_before;           /* 0 = any; else last changed before this */
  /* The ledger's search box, as the repair list's: a number's start, a
   * whole phone or its last four digits, a room, a name's start.  NULL or
   * kind NONE: no search. */
  const lobby_search *search;
  int limit;
  const store_site_set *sites;      /* NULL or count 0: every site */
} store_complaint_filter;

/* A resident's own return visit, given at a kiosk. */
typedef struct {
  const char *number;               /* a repair's ticket or a complaint's number */
  const char *phone_last4;          /* proves it is theirs, as a look-up does */
  complaint_satisfaction satisfaction;
  const char *comment;              /* may be NULL */
} store_rating;

typedef struct {
  complaint_event event;
  const char *note;                 /* may be NULL */
  const char *responsible;          /* assign: a staff member's name */
  const char *reply;                /* reply, answer_close: what the resident reads */
  complaint_satisfaction satisfaction; /* return_visit */
  const char *comment;              /* return_visit, may be NULL */
} store_complaint_event;

/* An item-release pass (物品放行) as applied for: every field checked
 * by the handler (the date within release_date_in_window, the unit in
 * the site's directory). */
typedef struct {
  store_unit_ref unit;              /* required */
  const char *items, *date;         /* date "YYYY-MM-DD", the day things leave */
  const char *plate;                /* NULL or "": none */
  const char *name, *phone;
  const char *source;               /* kiosk, front_desk, phone */
  int64_t site_id;                  /* the unit's building's site */
} store_release_new;

typedef struct {
  const char *status;               /* NULL: any */
  const char *date;                 /* "YYYY-MM-DD" or NULL: any */
  int limit;
  const store_site_set *sites;      /* NULL or count 0: every site */
} store_release_filter;

/* A desk's decision on a pass: approve, refuse (reason) or cancel
 * (reason).  A use is release_use's, by the gate. */
typedef struct {
  release_event event;
  const char *note;                 /* may be NULL */
  const char *reason;               /* refuse, cancel: 1-200 characters */
} store_release_event;

/* A renovation (装修登记) as registered: every field checked by the
 * handler (the period by renovation_period_valid, the unit in the site's
 * directory). */
typedef struct {
  store_unit_ref unit;              /* required */
  const char *company, *manager, *manager_phone;
  const char *works;                /* "" when not given */
  const char *start, *end;          /* "YYYY-MM-DD" */
  int64_t site_id;                  /* the unit's building's site */
} store_renovation_new;

typedef struct {
  const char *status;               /* NULL: any */
  int ending_within_days;           /* 0: any; else renovation_ending_within */
  int limit;
  const store_site_set *sites;      /* NULL or count 0: every site */
} store_renovation_filter;

/* The desk's event: extend (end, reason), finish (note) or cancel
 * (reason).  Registration is renovation_create's. */
typedef struct {
  renovation_event event;
  const char *end;                  /* extend: the new end, a date */
  const char *reason;               /* extend, cancel: 1-200 characters */
  const char *note;                 /* may be NULL */
} store_renovation_event;

/* A worker's pass as issued; valid_until NULL: the renovation's end. */
typedef struct {
  const char *name, *phone;
  const char *valid_until;
} store_worker_new;

/* Why a renovation or pass operation was refused, filled once the
 * renovation is found, so the handler can say so: its end, the latest end
 * an extension may have, whether it is live (renovation_live) and whether
 * the pass is revoked. */
typedef struct {
  char end[11];
  char latest[11];
  bool live;
  bool revoked;
} store_renovation_verdict;

typedef struct {
  const char *name, *phone, *host, *purpose, *plate;
  int party_size;
  int64_t site_id;                  /* where the visitor arrives */
} store_visit_new;

/* Which visits to list, newest first. */
typedef struct {
  const char *state;                /* NULL: any */
  int64_t from, to;                 /* created_at range, 0 = open */
  bool onsite_only;                 /* approved: the evacuation list */
  /* The visitor log's search box: a whole phone, its last four digits,
   * or else the start of the name, the place visited (host) or the
   * plate.  NULL or kind NONE: no search. */
  const lobby_search *search;
  int limit;                        /* at most this many rows; 0: 1000 */
  int64_t offset;                   /* rows skipped first (a page) */
  const store_site_set *sites;      /* NULL or count 0: every site */
  /* Non-NULL: set to how many visits match, whatever the page. */
  int64_t *total;
} store_visit_filter;

typedef struct {
  const char *title, *body, *category;
  int priority;
  bool pinned, emergency;
  int64_t starts_at, ends_at;       /* ends_at 0 = open-ended */
  const char *target_type;          /* all, building, group */
  const char *target_value;         /* "" for all */
  int64_t site_id;                  /* 0: every site; set at creation only */
} store_notice;

/* A notice's picture (a poster) whose JPEG is already a durable file in
 * the photo directory (photo_store_notice_name). */
typedef struct {
  const char *file;                 /* its name in the photo directory */
  const char *sha256;               /* of the kept JPEG, in hex (its ETag: store_notice_etag_of) */
  const char *upload_sha256;        /* of the bytes uploaded, in hex */
  int width, height;
  int64_t bytes;
} store_notice_image;

/* Where a notice's picture is and its ETag (STORE_NOTICE_ETAG_LEN hex
 * digits), for serving it. */
typedef struct {
  char file[64];
  char etag[STORE_NOTICE_ETAG_LEN + 1];
} store_notice_image_ref;

/* Which fields of a store_notice an update carries. */
enum {
  NOTICE_SET_TITLE = 1 << 0, NOTICE_SET_BODY = 1 << 1, NOTICE_SET_CATEGORY = 1 << 2,
  NOTICE_SET_PRIORITY = 1 << 3, NOTICE_SET_PINNED = 1 << 4, NOTICE_SET_EMERGENCY = 1 << 5,
  NOTICE_SET_STARTS = 1 << 6, NOTICE_SET_ENDS = 1 << 7, NOTICE_SET_TARGET = 1 << 8
};

/* A replayable answer kept under an Idempotency-Key.  A create operation
 * looks the key up inside its own transaction: a key seen with the same
 * request hash returns the first answer and sets replayed; a key seen with
 * a different request fails with LOBBY_EDUP. */
typedef struct {
  const char *scope;                /* "kiosk:12" or "staff:3" */
  const char *key;                  /* NULL: no idempotency (optional keys) */
  uint8_t request_hash[32];         /* over method, path and body */
  bool replayed;                    /* out */
} store_idempotency;

/* What sign-in needs about a staff member. */
typedef struct {
  lobby_principal who;
  char password_hash[128];          /* crypto_pwhash_str; "" when none is set */
  bool disabled;
} store_staff_auth;

/* One audit-log entry.  Text fields must carry no personal data. */
typedef struct {
  const char *actor;                /* staff name, or the name tried at sign-in */
  const char *actor_role;           /* admin, front_desk, technician, guard or "" */
  const char *action;               /* "notice.create", "session.sign_in_failed", … */
  const char *target;               /* ticket, notice id, kiosk or staff name, or "";
                                     * NULL: the record the operation creates
                                     * (a notice's id, a repair's ticket) */
  const char *detail;               /* short non-personal detail, or "" */
  const char *address;              /* client address, or "" */
  int64_t at;
} store_audit_entry;

/* What a kiosk's heartbeat reports.  Kiosks older than a field send
 * none: -1 and NULL stand for "not reported". */
typedef struct {
  const char *version, *feed_version;
  int queued;
  int uptime_s;           /* since the kiosk started */
  int disk_free_mb;       /* free space where it keeps its state */
  const char *audio;      /* "ok", "none" (no device) or "off" ([audio] enabled = 0) */
} store_kiosk_status;

/* A remote screenshot as the kiosk sent it. */
#define STORE_SCREENSHOT_ID_SIZE 33   /* 32 hex digits */
typedef struct {
  int64_t taken_at;
  int width, height;
  int blanked;            /* private rectangles the kiosk blanked */
} store_screenshot_shot;

/* One site setting to store. */
typedef struct {
  const char *key;
  int64_t value;
} store_setting;

/* Site settings kept in the database; they override the ini file. */
#define SETTING_AUTO_CHECKOUT_HOURS "visit_auto_checkout_hours"
#define SETTING_VISIT_RETENTION_DAYS "visit_retention_days"

/* What the retention sweep removes (store_sqlite_retention.c).  Each
 * cutoff is an epoch time; 0 keeps everything of that kind. */
typedef struct {
  int64_t idempotency_before;      /* keys stored before this are deleted */
  int64_t audit_before;            /* audit entries before this are deleted */
  int64_t repair_closed_before;    /* closed/cancelled repairs and closed complaints
                                    * last changed before this lose name and phone;
                                    * so do used, refused and cancelled release passes,
                                    * and finished and cancelled renovations (their
                                    * manager's and workers' names and phones) */
  char release_expired_before[11]; /* "YYYY-MM-DD", the local date of
                                    * repair_closed_before: approved passes for a day
                                    * before it, and active renovations that ended
                                    * before it, expired that long ago ("" keeps them) */
} store_retention;

/* How many rows one sweep touched (counts only: they go to the log). */
typedef struct {
  int idempotency_deleted, audit_deleted, repairs_anonymised, complaints_anonymised;
  int releases_anonymised, renovations_anonymised;
  int photos_deleted;              /* rows of the anonymised repairs' photos */
  int photo_files_removed;         /* files no row names (retention.c) */
} store_retention_counts;

/* Figures for /metrics, read in one go (store_sqlite_ops.c). */
typedef struct {
  int64_t repairs_open, repairs_overdue;
  int64_t kiosks_queued_sum, kiosks_queued_max;  /* last heartbeats of enrolled kiosks */
  int64_t db_bytes;                              /* page_count * page_size */
  int64_t wal_bytes;                             /* the -wal file, 0 when none */
} store_stats;

typedef struct lobby_store lobby_store;

typedef struct {
  void (*close)(lobby_store *st);

  /* Tokens and principals.  A principal comes with its sites: a kiosk's
   * own, a staff member's from staff_sites. */
  lobby_err (*token_lookup)(lobby_store *st, const uint8_t *hash, lobby_principal *out);
  /* sites: the sites the new member works for (NULL or count 0: every
   * site), written in the same transaction as the account. */
  lobby_err (*staff_create)(lobby_store *st, const char *name, lobby_role role,
                            const store_site_set *sites, const uint8_t *token_hash, int64_t now,
                            const store_audit_entry *audit);
  lobby_err (*staff_find)(lobby_store *st, const char *name, lobby_principal *out);

  /* Console accounts (store_sqlite_staff.c).  An account with a password
   * signs in to the console; password_hash is a crypto_pwhash_str string. */
  lobby_err (*staff_account_create)(lobby_store *st, const char *name, lobby_role role,
                                    const store_site_set *sites, const char *password_hash,
                                    int64_t now, const store_audit_entry *audit);
  lobby_err (*staff_auth_get)(lobby_store *st, const char *name, store_staff_auth *out);
  /* Also ends every session of the member except keep (NULL: all of
   * them): whoever knew the old password is signed out. */
  lobby_err (*staff_set_password)(lobby_store *st, const char *name, const char *password_hash,
                                  const uint8_t *keep, const store_audit_entry *audit);
  /* Disabling also ends the member's sessions and API tokens stop working. */
  lobby_err (*staff_set_disabled)(lobby_store *st, const char *name, bool disabled,
                                  const store_audit_entry *audit);
  /* Rows carry "sites", the codes of the member's sites ([]: every site). */
  lobby_err (*staff_list)(lobby_store *st, json_t **out);

  /* Console sessions: only a hash of the session id is stored. */
  lobby_err (*session_create)(lobby_store *st, const uint8_t *hash, int64_t staff_id,
                              int64_t now, int64_t expires_at, const store_audit_entry *audit);
  lobby_err (*session_lookup)(lobby_store *st, const uint8_t *hash, int64_t now,
                              lobby_principal *out, int64_t *expires_at);
  lobby_err (*session_delete)(lobby_store *st, const uint8_t *hash,
                              const store_audit_entry *audit);

  /* The audit log (store_sqlite_audit.c), newest first; before_id 0 = latest.
   * audit_add writes an entry that records no write of its own (a failed
   * sign-in, a sign-out without a session). */
  lobby_err (*audit_add)(lobby_store *st, const store_audit_entry *e);
  lobby_err (*audit_list)(lobby_store *st, const store_audit_filter *f, json_t **out);

  /* Site settings (store_sqlite_settings.c); a missing key leaves *out alone. */
  lobby_err (*setting_get)(lobby_store *st, const char *key, int64_t *out);
  /* Stores count settings in one transaction. */
  lobby_err (*settings_set)(lobby_store *st, const store_setting *settings, size_t count,
                            const store_audit_entry *audit);

  /* Sites (store_sqlite_sites.c).  Records of one site are reached
   * through a store_site_set: an operation on one record given a set
   * that does not hold the record's site fails with LOBBY_ENOTFOUND, as
   * if the record did not exist, and changes nothing. */
  /* The sites in the set, by id: id, code, name, service_phone,
   * workday_start_min, workday_end_min, auto_checkout_hours and
   * retention_days (null when not set). */
  lobby_err (*site_list)(lobby_store *st, const store_site_set *sites, json_t **out);
  lobby_err (*site_get)(lobby_store *st, const char *code, store_site *out);
  lobby_err (*site_get_by_id)(lobby_store *st, int64_t id, store_site *out);
  /* LOBBY_EDUP when the code is taken; sets s->id. */
  lobby_err (*site_create)(lobby_store *st, store_site *s, int64_t now,
                           const store_audit_entry *audit);
  /* Replaces name, service phone, working hours and visitor settings of
   * the site s->code. */
  lobby_err (*site_update)(lobby_store *st, const store_site *s, const store_audit_entry *audit);
  /* The sites a staff member works for (count 0: every site), replacing
   * the previous ones; their sessions and tokens see the new scope on
   * their next request. */
  lobby_err (*staff_set_sites)(lobby_store *st, const char *name, const store_site_set *sites,
                               const store_audit_entry *audit);

  /* Kiosks.  A kiosk belongs to the site given at enrolment. */
  lobby_err (*kiosk_create)(lobby_store *st, const char *name, const char *building,
                            const char *group, int64_t site_id, const uint8_t *token_hash,
                            int64_t now, const store_audit_entry *audit);
  /* Rows carry "site", the site's code. */
  lobby_err (*kiosk_list)(lobby_store *st, const store_site_set *sites, json_t **out);
  /* A kiosk that is not revoked, as the principal its own token gives. */
  lobby_err (*kiosk_find)(lobby_store *st, const char *name, lobby_principal *out);
  lobby_err (*kiosk_revoke)(lobby_store *st, const char *name, int64_t now,
                            const store_audit_entry *audit);
  /* Records what a kiosk reports about itself (store_kiosk_status) as of
   * now; a -1 or NULL it did not report is stored as unknown. */
  lobby_err (*kiosk_heartbeat)(lobby_store *st, int64_t kiosk_id, const store_kiosk_status *status,
                               int64_t now);

  /* Remote screenshots (store_{sqlite,pg}_screenshots.c): at most one row
   * per kiosk, its latest request.  A row is live while its last moment
   * (taken_at, else requested_at) is at or after `since` (now less
   * [screenshots] keep_seconds); every operation treats an older row as
   * gone, and screenshot_expire deletes it.  The picture is a file in the
   * photo directory named by the request (screenshot_file.h); the row
   * holds no picture.  Records: {kiosk_id, request_id, requested_at,
   * requested_by, taken_at, width, height, blanked}, taken_at and the
   * sizes null while pending. */
  /* by asks kiosk_id for a screenshot: a pending request asked for at or
   * after `since` is kept (the kiosk is already on it, *out is that row;
   * the caller passes a `since` no earlier than the live one); anything
   * else is replaced by a new request named request_id (32 hex digits,
   * fresh). */
  lobby_err (*screenshot_request)(lobby_store *st, int64_t kiosk_id, const char *request_id,
                                  const char *by, int64_t now, int64_t since,
                                  const store_audit_entry *audit, json_t **out);
  /* The live pending request of kiosk_id, its id in out;
   * LOBBY_ENOTFOUND when there is none. */
  lobby_err (*screenshot_pending)(lobby_store *st, int64_t kiosk_id, int64_t since,
                                  char out[STORE_SCREENSHOT_ID_SIZE]);
  /* The kiosk's picture for request_id is in its file: the row is taken.
   * LOBBY_ENOTFOUND when no live request of that id is kiosk_id's (another
   * kiosk's request is not found either), LOBBY_ECONFLICT when it was
   * already taken. */
  lobby_err (*screenshot_taken)(lobby_store *st, int64_t kiosk_id, const char *request_id,
                                const store_screenshot_shot *shot, int64_t since);
  /* kiosk_id's live row; LOBBY_ENOTFOUND when none. */
  lobby_err (*screenshot_get)(lobby_store *st, int64_t kiosk_id, int64_t since, json_t **out);
  /* Every live pending request: [{kiosk_id, request_id, requested_at}]. */
  lobby_err (*screenshot_pending_all)(lobby_store *st, int64_t since, json_t **out);
  /* Deletes the rows no longer live, counting them in *removed. */
  lobby_err (*screenshot_expire)(lobby_store *st, int64_t since, int *removed);

  /* The building directory.  Building codes are unique across sites;
   * each building carries "site", its site's code. */
  lobby_err (*directory_get)(lobby_store *st, const store_site_set *sites, json_t **out);
  /* Replaces the buildings of one site, changing nothing on failure:
   * LOBBY_EDUP when a code repeats or is a building of another site,
   * LOBBY_ECONFLICT when a kiosk's building would go. */
  lobby_err (*directory_replace)(lobby_store *st, int64_t site_id, json_t *buildings,
                                 const store_audit_entry *audit);
  lobby_err (*building_get)(lobby_store *st, const char *code, json_t **out);
  /* The site a building belongs to; LOBBY_ENOTFOUND for no such building. */
  lobby_err (*building_site)(lobby_store *st, const char *code, int64_t *site_id);
  lobby_err (*unit_check)(lobby_store *st, const store_unit_ref *unit, bool room_required);

  /* Notices. */
  lobby_err (*notice_create)(lobby_store *st, const store_notice *n, int64_t author_id,
                             int64_t now, const store_audit_entry *audit, json_t **out);
  /* Rows carry "site": the site's code, or null for every site.  A
   * notice for every site is reached only through a set of every site. */
  lobby_err (*notice_update)(lobby_store *st, int64_t id, const store_site_set *sites,
                             const store_notice *n, unsigned set, int64_t now,
                             const store_audit_entry *audit, json_t **out);
  lobby_err (*notice_withdraw)(lobby_store *st, int64_t id, const store_site_set *sites,
                               int64_t now, const store_audit_entry *audit, json_t **out);
  /* The notices of the sites in the set and those for every site. */
  lobby_err (*notice_list)(lobby_store *st, const store_site_set *sites, bool active_only,
                           int64_t now, json_t **out);
  /* Active notices for a kiosk in display order: pinned, priority, newest;
   * its site's and those for every site. */
  lobby_err (*notice_for_kiosk)(lobby_store *st, int64_t site_id, const char *building,
                                const char *group, int64_t now, json_t **out);
  /* The next time after now at which some notice starts or ends, or 0. */
  lobby_err (*notice_next_boundary)(lobby_store *st, int64_t now, int64_t *out);
  /* One notice as notice_list shows it, withdrawn or not, when the set
   * reaches it as notice_list's does. */
  lobby_err (*notice_get)(lobby_store *st, int64_t id, const store_site_set *sites,
                          json_t **out);

  /* Notices' pictures (store_sqlite_notices.c).  A notice has at most one;
   * its record carries "image": {url, etag, width, height, bytes, sha256}
   * (sha256: of the upload; etag: store_notice_etag_of the kept JPEG's
   * SHA-256), null for none,
   * and the kiosk's feed the same without bytes and sha256 (no member at
   * all for none).  notice_image_set gives the notice img, or none when
   * img is NULL, reaching notices as notice_update does (LOBBY_ENOTFOUND,
   * LOBBY_ECONFLICT once withdrawn); it bumps updated_at and writes the
   * audit entry only when that changes something (*changed), so a retried
   * upload or removal is harmless.  *out is the notice's record. */
  lobby_err (*notice_image_set)(lobby_store *st, int64_t id, const store_site_set *sites,
                                const store_notice_image *img, int64_t now,
                                const store_audit_entry *audit, bool *changed, json_t **out);
  /* The picture of notice id as by may see it: a kiosk only a notice its
   * feed shows at now, staff a notice notice_get reaches.  LOBBY_ENOTFOUND
   * for no such notice or one without a picture. */
  lobby_err (*notice_image_file)(lobby_store *st, int64_t id, const lobby_principal *by,
                                 int64_t now, store_notice_image_ref *out);
  /* Whether a notice names the file (the photo directory's sweep). */
  lobby_err (*notice_image_named)(lobby_store *st, const char *file, bool *named);

  /* Repairs.  Creation stores the idempotent answer in the same
   * transaction, so a replay after a crash finds exactly one ticket.  A
   * replay is audited too, with the first answer's ticket.  Each repair
   * gets a new follow token (lobby_follow.h), which the answer carries,
   * so a replay links to the same follow page. */
  lobby_err (*repair_create)(lobby_store *st, const store_repair_new *r,
                             const lobby_principal *by, store_idempotency *idem,
                             const store_audit_entry *audit, int offset_min, int64_t now,
                             json_t **out);
  /* Repair rows carry "site", the site's code. */
  lobby_err (*repair_get)(lobby_store *st, const char *ticket, const store_site_set *sites,
                          json_t **out);
  lobby_err (*repair_lookup)(lobby_store *st, const char *ticket, const char *phone_last4,
                             const store_site_set *sites, int64_t now, json_t **out);
  /* A repair as its follow page shows it (handlers_follow.c), found by
   * the token it was filed with, from any site: what repair_lookup shows,
   * with phone_last4, window_from and window_to when booked, site_name and
   * site_phone (the site's own, "" when unset), and closed_at, the time
   * of the close or cancel event (absent while open).  LOBBY_ENOTFOUND
   * for no such token. */
  lobby_err (*repair_follow)(lobby_store *st, const char *token, int64_t now, json_t **out);
  lobby_err (*repair_list)(lobby_store *st, const store_repair_filter *f, int64_t now,
                           json_t **out);
  /* The counts for f (limit and offset ignored); `today_from` starts the
   * site's day. */
  lobby_err (*repair_counts)(lobby_store *st, const store_repair_filter *f, int64_t now,
                             int64_t today_from, store_repair_counts *out);
  /* The month's figures for [from, to): counts by category and status,
   * median minutes to accept and to complete, SLA hit rate, average
   * satisfaction (store_sqlite_repair_summary.c). */
  lobby_err (*repair_summary)(lobby_store *st, const store_site_set *sites, int64_t from,
                              int64_t to, int64_t now, json_t **out);
  /* Records an event by someone in by->role, as the ledger allows
   * (repair_transition_as): LOBBY_ENOTFOUND for no such ticket,
   * LOBBY_EPERM when the role may not record that event, LOBBY_ECONFLICT
   * when the ticket's status does not allow it, LOBBY_EINVAL for a
   * dispatch to no such technician; nothing is written on any of them. */
  lobby_err (*repair_event_add)(lobby_store *st, const char *ticket, const store_repair_event *ev,
                                const lobby_principal *by, int64_t now,
                                const store_audit_entry *audit, json_t **out);
  /* ...which reaches only the tickets of by->sites and, for a
   * technician, only those dispatched to them (LOBBY_ENOTFOUND). */

  /* Completion photos (store_sqlite_repair_photos.c).  A ticket reaches by
   * as for repair_event_add.  Adding is allowed while someone is on site
   * or the work is completed (else LOBBY_ECONFLICT) and up to
   * STORE_REPAIR_PHOTOS_MAX a ticket (else LOBBY_ETOOBIG); the same
   * upload again (its sha256) is no new photo: *added false and *out the
   * one kept, so a retried upload is harmless.  *out is {id, width,
   * height, bytes, by, at}.  Photos are listed in the ticket ("photos")
   * in the order they were added. */
  lobby_err (*repair_photo_add)(lobby_store *st, const char *ticket, const store_repair_photo *p,
                                const lobby_principal *by, int64_t now,
                                const store_audit_entry *audit, bool *added, json_t **out);
  /* The file name of photo id of the ticket, when by reaches the ticket
   * (LOBBY_ENOTFOUND otherwise, or for no such photo of that ticket). */
  lobby_err (*repair_photo_file)(lobby_store *st, const char *ticket, int64_t id,
                                 const lobby_principal *by, char *file, size_t size);
  /* Whether a photo row names the file (the sweep of the photo directory
   * removes what none names). */
  lobby_err (*repair_photo_named)(lobby_store *st, const char *file, bool *named);

  /* Complaints and suggestions (store_sqlite_complaints.c).  Numbers
   * (C-YYYYMMDD-NNNN) come from complaint_seq as tickets do; the status
   * column caches the last of the append-only complaint_events, written
   * in the same transaction.  Rows carry "site", the site's code, and
   * "overdue" (complaint_overdue).  Creation keeps the idempotent answer
   * as repair_create does. */
  lobby_err (*complaint_create)(lobby_store *st, const store_complaint_new *c,
                                const lobby_principal *by, store_idempotency *idem,
                                const store_audit_entry *audit, int offset_min, int64_t now,
                                json_t **out);
  lobby_err (*complaint_get)(lobby_store *st, const char *number, const store_site_set *sites,
                             int64_t now, json_t **out);
  /* What a public screen may show: no name, phone or unit. */
  lobby_err (*complaint_lookup)(lobby_store *st, const char *number, const char *phone_last4,
                                const store_site_set *sites, int64_t now, json_t **out);
  /* A complaint as its follow page shows it (handlers_follow.c), found by
   * the token made with it (the creation's answer carries follow_token),
   * from any site: what complaint_lookup shows, with phone_last4,
   * "overdue", site_name, site_phone and closed_at (absent while open).
   * LOBBY_ENOTFOUND for no such token. */
  lobby_err (*complaint_follow)(lobby_store *st, const char *token, int64_t now, json_t **out);
  lobby_err (*complaint_list)(lobby_store *st, const store_complaint_filter *f, int64_t now,
                              json_t **out);
  /* Records an event as complaint_transition allows: LOBBY_ENOTFOUND for
   * no such complaint in the sites, LOBBY_ECONFLICT when its status does
   * not allow the event, LOBBY_EINVAL when the responsible person is no
   * staff member working for the complaint's site; nothing is written on
   * any of them.  *out is the whole record, as complaint_get. */
  lobby_err (*complaint_event_add)(lobby_store *st, const char *number,
                                   const store_complaint_event *ev, const lobby_principal *by,
                                   int64_t now, const store_audit_entry *audit, json_t **out);
  /* Escalates to the managers every complaint (of any site) that
   * complaint_escalates at now: overdue and escalated_at still NULL.  Each
   * gets escalated_at = now and an "escalate" event by "lobbyd" (role
   * "system", its status unchanged, the whole minutes overdue in the
   * note), all in one transaction; updated_at stays, as no one acted on
   * it.  escalated_at is never cleared, so a complaint is escalated at
   * most once however many sweeps (or lobbyd instances) run.  *count is
   * how many were escalated. */
  lobby_err (*complaint_escalate_overdue)(lobby_store *st, int64_t now, int *count);
  /* The month's figures for [from, to): counts by kind and category,
   * median minutes to the first reply, replies on time, the return-visit
   * rate of complaints and their satisfaction. */
  lobby_err (*complaint_summary)(lobby_store *st, const store_site_set *sites, int64_t from,
                                 int64_t to, int64_t now, json_t **out);

  /* A resident rates a completed repair or a replied complaint at a
   * kiosk, once: recorded as its return visit by the kiosk (by), in the
   * ledger's own terms (a repair's score complaint_satisfaction_score; a
   * complaint rated unsatisfied goes to follow_up, a repair gets
   * follow_up_at for the desk).  LOBBY_ENOTFOUND when number and phone do
   * not match a record of the sites, LOBBY_ECONFLICT when it is not
   * waiting for a rating (not yet done, or rated already).  *out is what
   * a look-up shows. */
  lobby_err (*repair_rate)(lobby_store *st, const store_rating *rating,
                           const store_site_set *sites, const lobby_principal *by, int64_t now,
                           json_t **out);
  lobby_err (*complaint_rate)(lobby_store *st, const store_rating *rating,
                              const store_site_set *sites, const lobby_principal *by, int64_t now,
                              json_t **out);

  /* Item-release passes (store_sqlite_releases.c).  Numbers
   * (F-YYYYMMDD-NNNN) come from release_seq as complaints' do; the status
   * column caches the last of the append-only release_events, written in
   * the same transaction.  Invariants: a pass has a code only from its
   * approval on, and no two approved, unused passes whose date has not
   * passed share one; used_at and used_by are set once, by the one use
   * that moved it from approved to used.  Records carry "site" (its code),
   * "unit" as an object and "expired" (release_expired at now, in the
   * local time of offset_min).  Creation keeps the idempotent answer as
   * repair_create does: {number, status, date, created_at}. */
  lobby_err (*release_create)(lobby_store *st, const store_release_new *n,
                              const lobby_principal *by, store_idempotency *idem,
                              const store_audit_entry *audit, int offset_min, int64_t now,
                              json_t **out);
  /* The record with its "events". */
  lobby_err (*release_get)(lobby_store *st, const char *number, const store_site_set *sites,
                           int offset_min, int64_t now, json_t **out);
  /* What a public screen may show: no name, phone or unit; the code only
   * while it can be used or is still to come (approved, not expired), the
   * reason only of a refused or cancelled pass.  LOBBY_ENOTFOUND alike
   * for no such number and for a phone that does not end in phone_last4. */
  lobby_err (*release_lookup)(lobby_store *st, const char *number, const char *phone_last4,
                              const store_site_set *sites, int offset_min, int64_t now,
                              json_t **out);
  /* Newest first. */
  lobby_err (*release_list)(lobby_store *st, const store_release_filter *f, int offset_min,
                            int64_t now, json_t **out);
  /* Records the desk's event as release_transition allows: LOBBY_ENOTFOUND
   * for no such pass in by->sites, LOBBY_ECONFLICT when its status does
   * not allow the event; nothing is written on either.  An approval gives
   * the pass a fresh code (release_code_random).  *out as release_get. */
  lobby_err (*release_event_add)(lobby_store *st, const char *number,
                                 const store_release_event *ev, const lobby_principal *by,
                                 int offset_min, int64_t now, const store_audit_entry *audit,
                                 json_t **out);
  /* The pass a code names, among those of the sites that have a code
   * (several: the newest approval); LOBBY_ENOTFOUND for none.  *out as
   * release_get without events. */
  lobby_err (*release_by_code)(lobby_store *st, const char *code, const store_site_set *sites,
                               int offset_min, int64_t now, json_t **out);
  /* The gate lets a pass out: finds it as release_by_code does and, when
   * release_gate_of says RELEASE_GATE_VALID at now, records the use by
   * `by` (note may be NULL) and marks it used, in one transaction.  Of
   * any number of concurrent uses exactly one succeeds.  *gate is the
   * gate's verdict before the use; anything but VALID is LOBBY_ECONFLICT
   * with nothing written.  *out is the record (after the use, or as it
   * stands when refused), also on LOBBY_ECONFLICT. */
  lobby_err (*release_use)(lobby_store *st, const char *code, const store_site_set *sites,
                           const char *note, const lobby_principal *by, int offset_min,
                           int64_t now, const store_audit_entry *audit, release_gate *gate,
                           json_t **out);

  /* Renovations and their workers' passes (store_sqlite_renovations.c,
   * store_sqlite_workers.c).  Numbers (Z-YYYYMMDD-NNNN) come from
   * renovation_seq as releases' do; the status column caches the last of
   * the append-only renovation_events, written in the same transaction.
   * Invariants: a renovation's end is at most three calendar months after
   * its start or after the end an extension moved (renovation_period_valid,
   * renovation_extension_valid); a finished or cancelled renovation has no
   * active pass (its passes are revoked in the event's transaction); no
   * two live worker passes (active, or their worker on site) and no live
   * worker pass and approved visit share a pass code; a pass is on site
   * from a check-in to the next check-out, each one a worker_attendance
   * row, and a refused check-in writes a worker_refusals row and nothing
   * else.  Records carry "site" (its code), "unit" as an object, "start",
   * "end", "expired" and "ending_soon" (renovation_expired and
   * renovation_ending_soon at now in the local time of offset_min),
   * "workers_active" (active passes not past their date) and
   * "workers_on_site".  Creation keeps the idempotent answer as
   * repair_create does: the record. */
  lobby_err (*renovation_create)(lobby_store *st, const store_renovation_new *n,
                                 const lobby_principal *by, store_idempotency *idem,
                                 const store_audit_entry *audit, int offset_min, int64_t now,
                                 json_t **out);
  /* The record with its "events" and "workers" (store_worker_shape). */
  lobby_err (*renovation_get)(lobby_store *st, const char *number, const store_site_set *sites,
                              int offset_min, int64_t now, json_t **out);
  /* Active ones by end ascending, then the others newest first. */
  lobby_err (*renovation_list)(lobby_store *st, const store_renovation_filter *f, int offset_min,
                               int64_t now, json_t **out);
  /* Records the desk's event as renovation_transition allows:
   * LOBBY_ENOTFOUND for no such renovation in by->sites, LOBBY_ECONFLICT
   * when its status does not allow the event, LOBBY_EINVAL for an
   * extension's end renovation_extension_valid refuses (v->latest says
   * the latest allowed); nothing is written on any of them.  Finishing
   * and cancelling revoke every active pass, with the event's reason (or
   * "装修已结束 / renovation finished").  *out as renovation_get. */
  lobby_err (*renovation_event_add)(lobby_store *st, const char *number,
                                    const store_renovation_event *ev, const lobby_principal *by,
                                    int offset_min, int64_t now, const store_audit_entry *audit,
                                    store_renovation_verdict *v, json_t **out);
  /* Issues a pass with a fresh code: LOBBY_ENOTFOUND for no such
   * renovation in by->sites, LOBBY_ECONFLICT when it is not live,
   * LOBBY_EINVAL when valid_until is not from today to its end (v->end);
   * nothing is written on any of them.  Keeps the idempotent answer as
   * repair_create does: the worker. */
  lobby_err (*worker_create)(lobby_store *st, const char *number, const store_worker_new *w,
                             const lobby_principal *by, store_idempotency *idem,
                             const store_audit_entry *audit, int offset_min, int64_t now,
                             store_renovation_verdict *v, json_t **out);
  /* LOBBY_ENOTFOUND for no such pass in by->sites, LOBBY_ECONFLICT when it
   * is revoked already.  *out is the worker. */
  lobby_err (*worker_revoke)(lobby_store *st, int64_t id, const char *reason,
                             const lobby_principal *by, int offset_min, int64_t now,
                             const store_audit_entry *audit, json_t **out);
  /* Moves valid_until: LOBBY_ENOTFOUND as above, LOBBY_ECONFLICT when the
   * pass is revoked (v->revoked) or its renovation not live (!v->live),
   * LOBBY_EINVAL when valid_until is not from today to the renovation's
   * end (v->end). */
  lobby_err (*worker_renew)(lobby_store *st, int64_t id, const char *valid_until,
                            const lobby_principal *by, int offset_min, int64_t now,
                            const store_audit_entry *audit, store_renovation_verdict *v,
                            json_t **out);
  /* A pass code typed at a kiosk (by, of the sites in by->sites): the
   * pass that holds it (its worker on site first, then an active one,
   * then the newest), worker_attendance_of's verdict in *act, and in one
   * transaction the check-in or check-out, or the refusal recorded.
   * LOBBY_ENOTFOUND for no pass with the code.  *out is the worker with
   * "company", "unit" (an object), "renovation" and "at". */
  lobby_err (*worker_attendance)(lobby_store *st, const char *pass_code, const lobby_principal *by,
                                 int offset_min, int64_t now, worker_attendance *act,
                                 json_t **out);
  /* The desk signs out a worker who left without doing so at a kiosk,
   * so the evacuation list is right: an "out" attendance row by `by`
   * with the audit entry.  LOBBY_ENOTFOUND for no such pass in
   * by->sites, LOBBY_ECONFLICT when its worker is not on site (nothing
   * written).  *out is the worker. */
  lobby_err (*worker_checkout)(lobby_store *st, int64_t id, const lobby_principal *by,
                               int offset_min, int64_t now, const store_audit_entry *audit,
                               json_t **out);
  /* Refused check-ins at or after since, newest first: {at, kiosk,
   * worker {id, name, phone}, renovation, unit, company, reason}. */
  lobby_err (*worker_refusals)(lobby_store *st, const store_site_set *sites, int64_t since,
                               int limit, json_t **out);
  /* Workers on site: {id, name, phone, company, renovation, unit,
   * checked_in_at, valid_until}, the latest check-in first. */
  lobby_err (*worker_onsite)(lobby_store *st, const store_site_set *sites, json_t **out);

  /* ---- the evacuation roll-call (点名) -------------------------------- */
  /* A mark says one person on site was seen safe during a roll-call.  It
   * belongs to one presence: kind "visit" (ref: the visit's id, since its
   * checked_in_at) or "worker" (ref: the pass's id as text, since its
   * last_in); a mark left from an earlier presence is never listed.
   * rollcall_mark with safe sets or replaces the mark of someone on site
   * now in one of the set's sites (LOBBY_ENOTFOUND when they are not:
   * a desk of one site cannot tick another's visitors), without safe
   * removes it. */
  lobby_err (*rollcall_mark)(lobby_store *st, const char *kind, const char *ref, bool safe,
                             const store_site_set *sites, const char *by, int64_t now,
                             const store_audit_entry *audit);
  /* The marks of people on site now: {kind, id, marked_at, marked_by}. */
  lobby_err (*rollcall_list)(lobby_store *st, const store_site_set *sites, json_t **out);
  /* A new roll-call: every mark of the sites goes. */
  lobby_err (*rollcall_reset)(lobby_store *st, const store_site_set *sites,
                              const store_audit_entry *audit);

  /* The working-day calendar, company-wide (store_sqlite_calendar.c):
   * only the dates that override the Monday-to-Friday rule are kept.
   * calendar_list gives [{"date","workday","note"}] for from..to
   * inclusive ("YYYY-MM-DD"), ascending; calendar_load the same as a
   * lobby_calendar whose days the caller frees. */
  lobby_err (*calendar_list)(lobby_store *st, const char *from, const char *to, json_t **out);
  lobby_err (*calendar_load)(lobby_store *st, const char *from, const char *to,
                             lobby_calendar_day **days, size_t *count);
  lobby_err (*calendar_set)(lobby_store *st, const lobby_calendar_day *day,
                            const store_audit_entry *audit);
  /* LOBBY_ENOTFOUND when the date has no override. */
  lobby_err (*calendar_clear)(lobby_store *st, const char *date, const store_audit_entry *audit);
  /* Inserts a shipped year's days unless that year was seeded before
   * (calendar_years), so staff edits are never overwritten; *seeded says
   * whether it did, and days already there stay as they are. */
  lobby_err (*calendar_seed)(lobby_store *st, int year, const lobby_calendar_day *days,
                             size_t count, int64_t now, bool *seeded);

  /* Visits and invites. */
  /* The answer (and an invite check-in's) is the visit with
   * "follow_token", the pass page's token made with it. */
  lobby_err (*visit_create)(lobby_store *st, const store_visit_new *v, bool needs_approval,
                            const lobby_principal *by, store_idempotency *idem,
                            const store_audit_entry *audit, int64_t now, json_t **out);
  /* A visit as its pass page shows it (handlers_follow.c), found by its
   * follow token, from any site: {id, state, name, host, party_size,
   * pass_code while approved, created_at, checked_in_at, checked_out_at,
   * auto_checked_out, ended_at, site_name, site_phone,
   * site_auto_checkout_hours}
   * (absent when null).  LOBBY_ENOTFOUND for no such token. */
  lobby_err (*visit_follow)(lobby_store *st, const char *token, json_t **out);
  /* kiosk_id scopes visit_get, visit_cancel and visit_checkout to the
   * visits that kiosk made (0: any visit, for staff); another kiosk's
   * visit is LOBBY_ENOTFOUND, as if it did not exist.  A pass code is
   * looked up among the kiosk's visits and those made by staff.  Every
   * one of them reaches only the visits of the sites in `sites` (visit
   * rows carry "site", the site's code). */
  lobby_err (*visit_get)(lobby_store *st, const char *id, int64_t kiosk_id,
                         const store_site_set *sites, json_t **out);
  /* Reaches the visits of by->sites. */
  lobby_err (*visit_decide)(lobby_store *st, const char *id, bool approve, const char *reason,
                            const lobby_principal *by, int64_t now,
                            const store_audit_entry *audit, json_t **out);
  lobby_err (*visit_cancel)(lobby_store *st, const char *id, int64_t kiosk_id,
                            const store_site_set *sites, int64_t now,
                            const store_audit_entry *audit, json_t **out);
  lobby_err (*visit_checkout)(lobby_store *st, const char *id, const char *pass_code,
                              int64_t kiosk_id, const store_site_set *sites, int64_t now,
                              const store_audit_entry *audit, json_t **out);
  lobby_err (*visit_list)(lobby_store *st, const store_visit_filter *f, json_t **out);
  /* Signs out the visits of the sites in the set checked in before
   * older_than (NULL: every site's). */
  lobby_err (*visit_auto_checkout)(lobby_store *st, const store_site_set *sites,
                                   int64_t older_than, int64_t now, int *count);
  /* Replaces name, phone and plate of the visits and invites of the sites
   * in the set created before older_than, for the retention policy. */
  lobby_err (*visit_anonymise)(lobby_store *st, const store_site_set *sites, int64_t older_than,
                               int64_t now, int *count);
  lobby_err (*invite_create)(lobby_store *st, const store_visit_new *v, int64_t valid_until,
                             const lobby_principal *by, int64_t now,
                             const store_audit_entry *audit, json_t **out);
  /* An invite of a site outside by->sites is LOBBY_ENOTFOUND, as is one
   * expired or revoked; one used already is LOBBY_ECONFLICT. */
  lobby_err (*invite_checkin)(lobby_store *st, const char *code, const lobby_principal *by,
                              store_idempotency *idem, const store_audit_entry *audit,
                              int64_t now, json_t **out);
  /* The invites of the sites, newest first (at most 200): {code, name,
   * phone, host, purpose, party_size, plate, created_by, created_at,
   * valid_until_at, used_at, visit_id, revoked_at, site}. */
  lobby_err (*invite_list)(lobby_store *st, const store_site_set *sites, json_t **out);
  /* Revokes an unused invite of the sites: LOBBY_ENOTFOUND for none,
   * LOBBY_ECONFLICT for one used or revoked already. */
  lobby_err (*invite_revoke)(lobby_store *st, const char *code, const store_site_set *sites,
                             int64_t now, const store_audit_entry *audit);

  /* Operations (store_sqlite_ops.c, store_sqlite_retention.c). */
  /* Checks that this process may still write the database file, its WAL
   * and shared memory and their directory (a chmod or chown after start-up
   * does not stop the descriptors already open, but stops the next start),
   * then commits a one-row write through a connection of its own; why says
   * what failed.  It never waits more than a second for another writer:
   * LOBBY_ECONFLICT then, which says nothing about writability. */
  lobby_err (*write_probe)(lobby_store *st, int64_t now, char *why, size_t why_size);
  lobby_err (*stats)(lobby_store *st, int64_t now, store_stats *out);
  /* Deletes old idempotency keys and audit entries and anonymises old
   * finished repairs (name "—", phone and phone_last4 ""), all in one
   * transaction.  Ticket, unit, category, times, status, events and
   * satisfaction stay, so the ledger and its monthly figures do not change. */
  lobby_err (*retention_run)(lobby_store *st, const store_retention *policy, int64_t now,
                             store_retention_counts *out);
} lobby_store_ops;

struct lobby_store {
  const lobby_store_ops *ops;
};

/* Opens (creating if needed) a SQLite database and applies migrations.
 * While open, the store holds a shared flock on "<path>.lock", so that a
 * restore (which needs it exclusively) cannot swap the file under a
 * running lobbyd.  A database at an older schema version is first copied
 * to "<path>.pre-migration-v<old>-<UTC time>" with the backup API. */
lobby_err store_sqlite_open(const char *path, lobby_store **out);

/* The schema version this lobbyd writes. */
int store_sqlite_schema_version(void);

/* Opens the PostgreSQL store at dsn (a libpq connection string or
 * postgresql:// URI) and brings its schema up to date (store_pg.c).
 * LOBBY_EUNAVAIL when the database cannot be reached.  Any number of
 * lobbyd processes may open one database at once. */
lobby_err store_pg_open(const char *dsn, lobby_store **out);
int store_pg_schema_version(void);

/* Row counts of the main tables, as `lobbyd backup` prints them. */
#define STORE_COUNTED_TABLES 8
typedef struct {
  const char *table[STORE_COUNTED_TABLES];
  int64_t rows[STORE_COUNTED_TABLES];
  int schema_version;
  int64_t bytes;                    /* size of the written file */
} store_backup_report;

/* Copies the database at db_path to dest with SQLite's online backup API,
 * consistent while lobbyd writes: into "<dest>.partial-<pid>" beside it,
 * fsync'd, checked with PRAGMA integrity_check, then renamed over dest.
 * LOBBY_EDUP when dest exists and !force.  why names what failed. */
lobby_err store_sqlite_backup(const char *db_path, const char *dest, bool force,
                              store_backup_report *out, char *why, size_t why_size);

/* Puts the backup at src in place of db_path: checks it (integrity_check,
 * a Lobby schema no newer than this lobbyd), refuses with LOBBY_ECONFLICT
 * while any process has db_path open through store_sqlite_open, keeps the
 * current database as kept_as ("<db>.before-restore-<UTC time>", "" when
 * there was none), removes the old -wal and -shm and renames a fsync'd
 * copy into place.  The restored file gets the old file's owner and mode. */
lobby_err store_sqlite_restore(const char *db_path, const char *src, store_backup_report *out,
                               char *kept_as, size_t kept_size, char *why, size_t why_size);

#endif
