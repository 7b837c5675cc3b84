/* The API's handlers, grouped by resource, and what they share. */
#ifndef LOBBYD_HANDLERS_H
#define LOBBYD_HANDLERS_H

#include "http.h"
#include "json_input.h"
#include "password.h"
#include "photo_probe.h"

/* Role bits for the route table. */
#define ALLOW_KIOSK (1u << ROLE_KIOSK)
#define ALLOW_ADMIN (1u << ROLE_ADMIN)
#define ALLOW_DESK (1u << ROLE_FRONT_DESK)
#define ALLOW_TECH (1u << ROLE_TECHNICIAN)
#define ALLOW_GUARD (1u << ROLE_GUARD)
#define ALLOW_OFFICE (ALLOW_ADMIN | ALLOW_DESK)
/* Staff who work with the ledgers; a guard is not among them. */
#define ALLOW_STAFF (ALLOW_ADMIN | ALLOW_DESK | ALLOW_TECH)
/* Every staff account, a guard's included: signing in and out and
 * changing one's own password. */
#define ALLOW_ACCOUNT (ALLOW_STAFF | ALLOW_GUARD)

typedef enum MHD_Result (*handler_fn)(http_request *r);

/* An idempotency key scoped to the caller, with the request's hash. */
typedef struct {
  store_idempotency idem;
  char scope[48];
} idem_ctx;
void idem_init(http_request *r, const char *key, idem_ctx *ctx);

/* Notes, after a committed write, that something kiosks show changed:
 * the router publishes it with the route's topics once the handler has
 * answered, which rebuilds feeds and wakes their waiters. */
void feed_changed(http_request *r);
/* The same for one item's status (a visit's id, a repair's ticket): only
 * that item's waiters wake. */
void item_changed(http_request *r, const char *key);
/* Notes that the store kept a refusal (a worker's check-in refused at a
 * kiosk): the router publishes topics though the answer is an error. */
void change_recorded(http_request *r, unsigned topics);

/* Completes a row of the store's kiosk_list with this process's presence:
 * last_seen_at becomes the later of the stored and the live time, and the
 * row is online when not revoked and waiting on the feed or seen within
 * the last two minutes.  Returns that online flag (the console's list and
 * /metrics count the same kiosks). */
bool kiosk_row_presence(lobbyd *d, json_t *k, int64_t now);

/* A new password refused by the policy: 400 naming the field, the verdict
 * in words (handlers_session.c and handlers_staff.c). */
enum MHD_Result password_refused(http_request *r, const char *field, password_verdict v);
/* Password changes and resets by one account: as few a minute as sign-ins
 * for one name, since each change also checks a password. */
bool password_change_allowed(http_request *r);

/* handlers_limits.c: what a kiosk's token may do how often.  Each
 * *_allowed returns false with the 429 (Retry-After, the JSON error)
 * already queued in *ret; staff callers are always allowed. */
enum MHD_Result reply_rate_limited(http_request *r, int64_t retry_ms, const char *message);
/* Repairs and visits filed, together, per kiosk ([limits]). */
bool kiosk_submission_allowed(http_request *r, enum MHD_Result *ret);
/* A resident's look-up by a number and the phone's last four digits
 * (repairs, complaints, releases): within the caller's look-up allowance
 * (429), the number valid (number_ok, else 400 with number_message) and
 * phone_last4 four digits, in that order.  *last4 is the query's value.
 * False with *ret answered. */
bool lookup_allowed(http_request *r, bool number_ok, const char *number_message, const char **last4,
                    enum MHD_Result *ret);
/* A pass-code sign-out takes one of the kiosk's tries ([visits]
 * checkout_failures_per_hour); a successful one gives it back, so only
 * failures spend the limit while concurrent guesses cannot overrun it. */
bool checkout_attempt_allowed(http_request *r, enum MHD_Result *ret);
void checkout_attempt_succeeded(http_request *r);

/* Reads and checks the body; on failure the error reply is already queued
 * in *ret. */
bool body_object(http_request *r, json_t **obj, const char *const *allowed, enum MHD_Result *ret);

/* A resident's unit, {"building","unit","room"} under "unit": all three
 * codes when given; missing says why it is required (required only).
 * Errors name their field as "unit" or "unit.<member>". */
lobby_err read_unit_object(json_t *in, bool required, const char *missing, store_unit_ref *u,
                           http_error *e);
/* The site of the unit's building, once the room is found in that site's
 * directory; false with a 400 invalid_field "unit" (no such building,
 * unit or room, or another site's) or the store's error queued in *ret. */
bool unit_site_checked(http_request *r, const store_unit_ref *unit, int64_t *site_id,
                       enum MHD_Result *ret);
/* unit_site_checked for a new record, where staff may also name the site
 * (site, NULL for none): the unit must then be in that site (400 "unit"). */
bool unit_site_for_create(http_request *r, const store_unit_ref *unit, const char *site,
                          int64_t *site_id, enum MHD_Result *ret);

/* handlers_query.c: query parameters, each reader false with the 400
 * queued in *ret.  An enum not given reads as NULL, a date or time as 0
 * (a date is the start of that day in the site's offset); the month
 * ("2026-11", this month when not given) as the start of it and of the
 * next. */
bool query_enum(http_request *r, const char *key, const char *const *names, const char **out,
                enum MHD_Result *ret);
bool query_date(http_request *r, const char *key, int64_t *out, enum MHD_Result *ret);
bool query_month(http_request *r, char month[8], int64_t *from, int64_t *to, enum MHD_Result *ret);
/* `waiting_days=N`: records last changed N or more days before now (the
 * return-visit queue: completed or replied, not yet visited back), as
 * the time they must have last changed before; 0 when not given. */
bool query_waiting_days(http_request *r, int64_t now, int64_t *changed_before, enum MHD_Result *ret);
/* key as a whole number in [min, max]; *out is left as it is (the
 * default) when not given. */
bool query_int(http_request *r, const char *key, int64_t min, int64_t max, int64_t *out,
               enum MHD_Result *ret);
/* `q=`, the search box (lobby_search.h). */
bool query_search(http_request *r, lobby_search *out, enum MHD_Result *ret);

/* handlers_kiosk.c */
enum MHD_Result handle_feed(http_request *r);
enum MHD_Result handle_heartbeat(http_request *r);

/* handlers_screenshots.c: remote screenshots (staff ask, the kiosk sends,
 * staff look); screenshot_sweep deletes what is past [screenshots]
 * keep_seconds, rows and files, and runs on the long-poll thread's tick. */
enum MHD_Result handle_screenshot_request(http_request *r);
enum MHD_Result handle_screenshot_get(http_request *r);
enum MHD_Result handle_screenshot_png(http_request *r);
enum MHD_Result handle_screenshot_upload(http_request *r);
void screenshot_sweep(lobbyd *d, int64_t now);

/* handlers_ops.c */
enum MHD_Result handle_healthz(http_request *r);
enum MHD_Result handle_metrics(http_request *r);

/* handlers_notices.c */
enum MHD_Result handle_notice_create(http_request *r);
enum MHD_Result handle_notice_list(http_request *r);
enum MHD_Result handle_notice_update(http_request *r);
enum MHD_Result handle_notice_withdraw(http_request *r);
enum MHD_Result handle_notice_get(http_request *r);

/* handlers_follow.c */
enum MHD_Result handle_follow_page(http_request *r);
enum MHD_Result handle_follow_wait(http_request *r);
enum MHD_Result handle_follow_rate(http_request *r);
/* Adds "follow_url" to a filing's answer that has a follow_token, when
 * [server] public_url is set: the link the receipt's QR code carries. */
void follow_link_add(http_request *r, json_t *answer);

/* handlers_repairs.c */
enum MHD_Result handle_repair_create(http_request *r);
enum MHD_Result handle_repair_lookup(http_request *r);
enum MHD_Result handle_repair_list(http_request *r);
enum MHD_Result handle_repair_get(http_request *r);
enum MHD_Result handle_repair_event(http_request *r);
/* The ticket r->params[0] as r's caller may see it: a technician only
 * their own tickets; for anyone else LOBBY_ENOTFOUND. */
lobby_err repair_fetch_visible(http_request *r, json_t **out);

/* handlers_repair_photos.c */
enum MHD_Result handle_repair_photo_add(http_request *r);
enum MHD_Result handle_repair_photo_get(http_request *r);
/* The body as an uploaded picture, from its header alone and before
 * anything decodes it: false with 415 unsupported_media_type (neither
 * JPEG nor PNG), 400 invalid_image (damaged or cut short) or 413
 * image_too_large (over PHOTO_PIXELS_MAX), each naming field, queued in
 * *ret; true with *h filled. */
bool picture_upload_checked(http_request *r, const char *field, photo_header *h,
                            enum MHD_Result *ret);
/* handlers_notice_images.c */
enum MHD_Result handle_notice_image_put(http_request *r);
enum MHD_Result handle_notice_image_delete(http_request *r);
enum MHD_Result handle_notice_image_get(http_request *r);

/* handlers_releases.c */
enum MHD_Result handle_release_create(http_request *r);
enum MHD_Result handle_release_lookup(http_request *r);
enum MHD_Result handle_release_list(http_request *r);
enum MHD_Result handle_release_get(http_request *r);
enum MHD_Result handle_release_event(http_request *r);

/* handlers_gate.c */
enum MHD_Result handle_gate_check(http_request *r);
enum MHD_Result handle_gate_use(http_request *r);

/* handlers_renovations.c */
enum MHD_Result handle_renovation_create(http_request *r);
enum MHD_Result handle_renovation_list(http_request *r);
enum MHD_Result handle_renovation_get(http_request *r);
enum MHD_Result handle_renovation_event(http_request *r);

/* handlers_workers.c */
enum MHD_Result handle_worker_create(http_request *r);
enum MHD_Result handle_worker_revoke(http_request *r);
enum MHD_Result handle_worker_renew(http_request *r);
enum MHD_Result handle_worker_checkout(http_request *r);
enum MHD_Result handle_worker_attendance(http_request *r);
enum MHD_Result handle_worker_refusals(http_request *r);

/* handlers_qr.c */
enum MHD_Result handle_qr_svg(http_request *r);

/* handlers_visits.c */
enum MHD_Result handle_visit_create(http_request *r);
enum MHD_Result handle_visit_status(http_request *r);
enum MHD_Result handle_visit_cancel(http_request *r);
enum MHD_Result handle_visit_checkout_code(http_request *r);
enum MHD_Result handle_invite_checkin(http_request *r);
enum MHD_Result handle_visit_list(http_request *r);
enum MHD_Result handle_visit_onsite(http_request *r);
/* handlers_invites.c */
enum MHD_Result handle_invite_list(http_request *r);
enum MHD_Result handle_invite_revoke(http_request *r);
/* handlers_rollcall.c */
enum MHD_Result handle_rollcall_mark(http_request *r);
enum MHD_Result handle_rollcall_reset(http_request *r);
enum MHD_Result handle_visit_approve(http_request *r);
enum MHD_Result handle_visit_refuse(http_request *r);
enum MHD_Result handle_visit_checkout_id(http_request *r);
enum MHD_Result handle_invite_create(http_request *r);

/* Reads the ledger filters of GET /api/v1/repairs from the query. */
/* sites holds the filter's set of sites (?site= or the caller's). */
bool repair_filter_from_query(http_request *r, store_repair_filter *f, store_site_set *sites,
                              lobby_search *search, enum MHD_Result *ret);

/* handlers_complaints.c */
enum MHD_Result handle_complaint_create(http_request *r);
enum MHD_Result handle_complaint_lookup(http_request *r);
enum MHD_Result handle_complaint_list(http_request *r);
enum MHD_Result handle_complaint_get(http_request *r);
enum MHD_Result handle_complaint_event(http_request *r);
enum MHD_Result handle_complaint_summary(http_request *r);
/* handlers_ratings.c */
enum MHD_Result handle_rating_create(http_request *r);
/* handlers_calendar.c */
enum MHD_Result handle_calendar_get(http_request *r);
enum MHD_Result handle_calendar_put(http_request *r);
enum MHD_Result handle_calendar_delete(http_request *r);
/* The deadline of a reply "within one working day" of now at the site:
 * its working hours and the calendar's days off. */
lobby_err complaint_reply_due(lobbyd *d, int64_t site_id, int64_t now, int64_t *due);

/* handlers_repair_reports.c */
enum MHD_Result handle_repair_summary(http_request *r);
enum MHD_Result handle_repair_export(http_request *r);

/* handlers_session.c */
enum MHD_Result handle_session_create(http_request *r);
enum MHD_Result handle_session_get(http_request *r);
enum MHD_Result handle_session_delete(http_request *r);
enum MHD_Result handle_password_change(http_request *r);

/* handlers_staff.c */
enum MHD_Result handle_staff_list(http_request *r);
enum MHD_Result handle_staff_disable(http_request *r);
enum MHD_Result handle_staff_enable(http_request *r);
enum MHD_Result handle_staff_password_reset(http_request *r);

/* handlers_sites.c */
enum MHD_Result handle_site_list(http_request *r);
enum MHD_Result handle_site_create(http_request *r);
enum MHD_Result handle_site_update(http_request *r);
enum MHD_Result handle_staff_sites_put(http_request *r);
/* Company-wide work (accounts, sites, visitor settings) is for admins who
 * reach every site; anyone else gets a 403 saying so, queued in *ret. */
bool require_every_site(http_request *r, const char *what, enum MHD_Result *ret);
/* The site ids of a JSON array of site codes ([]: every site), each one
 * checked; false with the 400 or 404 queued in *ret. */
bool sites_from_codes(http_request *r, json_t *list, store_site_set *out, enum MHD_Result *ret);

/* handlers_audit.c */
enum MHD_Result handle_audit_list(http_request *r);

/* handlers_settings.c */
enum MHD_Result handle_settings_get(http_request *r);
enum MHD_Result handle_settings_put(http_request *r);
/* The auto sign-out hours and retention days in force (database over ini). */
/* The bounds of the visitor settings, company-wide and per site. */
#define RETENTION_DAYS_MAX 3650
#define AUTO_CHECKOUT_HOURS_MAX 72
int settings_auto_checkout_hours(lobbyd *d);
int settings_retention_days(lobbyd *d);

/* handlers_events.c */
enum MHD_Result handle_events(http_request *r);

/* handlers_console.c */
enum MHD_Result handle_console_file(http_request *r);
/* Logs a warning when dir holds no console (no index.html), so that a
 * /console/ answering 404 is explained in the log; LOBBY_ENOTFOUND then. */
lobby_err console_dir_check(const char *dir);

/* handlers_admin.c */
enum MHD_Result handle_kiosk_feed_preview(http_request *r);
enum MHD_Result handle_kiosk_create(http_request *r);
enum MHD_Result handle_kiosk_list(http_request *r);
enum MHD_Result handle_kiosk_revoke(http_request *r);
enum MHD_Result handle_directory_get(http_request *r);
enum MHD_Result handle_directory_put(http_request *r);
enum MHD_Result handle_staff_create(http_request *r);

#endif
