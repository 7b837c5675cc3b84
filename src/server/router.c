/* The route table: method, path pattern, who may call, handler.  A ':'
 * segment captures one path segment into r->params. */
#include "router.h"

#include <string.h>
#include "auth.h"
#include "events.h"
#include "handlers.h"
#include "photo_image.h"
#include "screenshot_file.h"
#include "session.h"

typedef struct {
  const char *method;
  const char *pattern;
  unsigned roles;     /* 0: no authentication */
  handler_fn fn;
  const char *audit;  /* the audit action of a staff request, or NULL */
  unsigned topics;    /* console event topics a success changes */
} route;

static const route routes[] = {
  {"GET", "/healthz", 0, handle_healthz, NULL, 0},
  {"GET", "/metrics", 0, handle_metrics, NULL, 0},
  {"GET", "/f/:", 0, handle_follow_page, NULL, 0},
  {"GET", "/f/:/wait", 0, handle_follow_wait, NULL, 0},
  {"POST", "/f/:/rate", 0, handle_follow_rate, NULL, EV_REPAIRS | EV_COMPLAINTS},
  {"POST", "/api/v1/session", 0, handle_session_create, NULL, 0},
  {"GET", "/api/v1/session", ALLOW_ACCOUNT, handle_session_get, NULL, 0},
  {"DELETE", "/api/v1/session", ALLOW_ACCOUNT, handle_session_delete, "session.sign_out", 0},
  {"POST", "/api/v1/session/password", ALLOW_ACCOUNT, handle_password_change, "account.password_change", 0},
  {"GET", "/api/v1/events", ALLOW_STAFF, handle_events, NULL, 0},
  {"GET", "/api/v1/audit", ALLOW_ADMIN, handle_audit_list, NULL, 0},
  {"GET", "/api/v1/settings", ALLOW_OFFICE, handle_settings_get, NULL, 0},
  {"PUT", "/api/v1/settings", ALLOW_ADMIN, handle_settings_put, "settings.update", EV_VISITS},
  {"GET", "/api/v1/feed", ALLOW_KIOSK, handle_feed, NULL, 0},
  {"POST", "/api/v1/kiosks/heartbeat", ALLOW_KIOSK, handle_heartbeat, NULL, 0},
  {"POST", "/api/v1/repairs", ALLOW_KIOSK | ALLOW_OFFICE, handle_repair_create, "repair.create", EV_REPAIRS},
  {"GET", "/api/v1/repairs/lookup", ALLOW_KIOSK | ALLOW_OFFICE, handle_repair_lookup, NULL, 0},
  {"GET", "/api/v1/repairs/summary", ALLOW_OFFICE, handle_repair_summary, NULL, 0},
  {"GET", "/api/v1/repairs/export.csv", ALLOW_OFFICE, handle_repair_export, NULL, 0},
  {"GET", "/api/v1/repairs", ALLOW_STAFF, handle_repair_list, NULL, 0},
  {"GET", "/api/v1/repairs/:", ALLOW_STAFF, handle_repair_get, NULL, 0},
  {"POST", "/api/v1/repairs/:/events", ALLOW_STAFF, handle_repair_event, "repair.event", EV_REPAIRS},
  {"POST", "/api/v1/repairs/:/photos", ALLOW_STAFF, handle_repair_photo_add, "repair.photo", EV_REPAIRS},
  {"GET", "/api/v1/repairs/:/photos/:", ALLOW_STAFF, handle_repair_photo_get, NULL, 0},
  {"POST", "/api/v1/complaints", ALLOW_KIOSK | ALLOW_OFFICE, handle_complaint_create, "complaint.create", EV_COMPLAINTS},
  {"GET", "/api/v1/complaints/lookup", ALLOW_KIOSK | ALLOW_OFFICE, handle_complaint_lookup, NULL, 0},
  {"GET", "/api/v1/complaints/summary", ALLOW_OFFICE, handle_complaint_summary, NULL, 0},
  {"GET", "/api/v1/complaints", ALLOW_OFFICE, handle_complaint_list, NULL, 0},
  {"GET", "/api/v1/complaints/:", ALLOW_OFFICE, handle_complaint_get, NULL, 0},
  {"POST", "/api/v1/complaints/:/events", ALLOW_OFFICE, handle_complaint_event, "complaint.event", EV_COMPLAINTS},
  {"POST", "/api/v1/ratings", ALLOW_KIOSK, handle_rating_create, NULL, EV_REPAIRS | EV_COMPLAINTS},
  {"POST", "/api/v1/releases", ALLOW_KIOSK | ALLOW_OFFICE, handle_release_create, "release.create", EV_RELEASES},
  {"GET", "/api/v1/releases/lookup", ALLOW_KIOSK | ALLOW_OFFICE, handle_release_lookup, NULL, 0},
  {"GET", "/api/v1/releases", ALLOW_OFFICE, handle_release_list, NULL, 0},
  {"GET", "/api/v1/releases/:", ALLOW_OFFICE, handle_release_get, NULL, 0},
  {"POST", "/api/v1/releases/:/events", ALLOW_OFFICE, handle_release_event, "release.event", EV_RELEASES},
  {"GET", "/api/v1/gate/:", ALLOW_GUARD | ALLOW_OFFICE, handle_gate_check, NULL, 0},
  {"POST", "/api/v1/gate/:/use", ALLOW_GUARD | ALLOW_OFFICE, handle_gate_use, "release.use", EV_RELEASES},
  {"POST", "/api/v1/renovations", ALLOW_OFFICE, handle_renovation_create, "renovation.create", EV_RENOVATIONS},
  {"GET", "/api/v1/renovations", ALLOW_OFFICE, handle_renovation_list, NULL, 0},
  {"GET", "/api/v1/renovations/:", ALLOW_OFFICE, handle_renovation_get, NULL, 0},
  {"POST", "/api/v1/renovations/:/events", ALLOW_OFFICE, handle_renovation_event, "renovation.event", EV_RENOVATIONS},
  {"POST", "/api/v1/renovations/:/workers", ALLOW_OFFICE, handle_worker_create, "worker.issue", EV_RENOVATIONS},
  {"POST", "/api/v1/workers/attendance", ALLOW_KIOSK, handle_worker_attendance, NULL, EV_RENOVATIONS | EV_VISITS},
  {"GET", "/api/v1/workers/refusals", ALLOW_OFFICE, handle_worker_refusals, NULL, 0},
  {"POST", "/api/v1/workers/:/revoke", ALLOW_OFFICE, handle_worker_revoke, "worker.revoke", EV_RENOVATIONS},
  {"POST", "/api/v1/workers/:/renew", ALLOW_OFFICE, handle_worker_renew, "worker.renew", EV_RENOVATIONS},
  {"POST", "/api/v1/workers/:/checkout", ALLOW_OFFICE, handle_worker_checkout, "worker.checkout",
   EV_RENOVATIONS | EV_VISITS},
  {"GET", "/api/v1/qr.svg", ALLOW_STAFF, handle_qr_svg, NULL, 0},
  {"GET", "/api/v1/calendar", ALLOW_STAFF, handle_calendar_get, NULL, 0},
  {"PUT", "/api/v1/calendar/:", ALLOW_ADMIN, handle_calendar_put, "calendar.set", EV_COMPLAINTS},
  {"DELETE", "/api/v1/calendar/:", ALLOW_ADMIN, handle_calendar_delete, "calendar.clear", EV_COMPLAINTS},
  {"POST", "/api/v1/visits", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_create, "visit.register", EV_VISITS},
  {"POST", "/api/v1/visits/checkout", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_checkout_code, "visit.checkout", EV_VISITS},
  {"POST", "/api/v1/visits/invite-checkin", ALLOW_KIOSK | ALLOW_OFFICE, handle_invite_checkin, "visit.invite_checkin", EV_VISITS},
  {"GET", "/api/v1/visits", ALLOW_OFFICE, handle_visit_list, NULL, 0},
  {"GET", "/api/v1/visits/onsite", ALLOW_OFFICE, handle_visit_onsite, NULL, 0},
  {"POST", "/api/v1/rollcall/marks", ALLOW_OFFICE, handle_rollcall_mark, "rollcall.mark", EV_VISITS},
  {"POST", "/api/v1/rollcall/reset", ALLOW_OFFICE, handle_rollcall_reset, "rollcall.reset", EV_VISITS},
  {"GET", "/api/v1/visits/:/status", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_status, NULL, 0},
  {"POST", "/api/v1/visits/:/cancel", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_cancel, "visit.cancel", EV_VISITS},
  {"POST", "/api/v1/visits/:/approve", ALLOW_OFFICE, handle_visit_approve, "visit.approve", EV_VISITS},
  {"POST", "/api/v1/visits/:/refuse", ALLOW_OFFICE, handle_visit_refuse, "visit.refuse", EV_VISITS},
  {"POST", "/api/v1/visits/:/checkout", ALLOW_OFFICE, handle_visit_checkout_id, "visit.checkout", EV_VISITS},
  {"POST", "/api/v1/invites", ALLOW_OFFICE, handle_invite_create, "invite.create", EV_VISITS},
  {"GET", "/api/v1/invites", ALLOW_OFFICE, handle_invite_list, NULL, 0},
  {"POST", "/api/v1/invites/:/revoke", ALLOW_OFFICE, handle_invite_revoke, "invite.revoke", EV_VISITS},
  {"POST", "/api/v1/notices", ALLOW_OFFICE, handle_notice_create, "notice.create", EV_NOTICES},
  {"GET", "/api/v1/notices", ALLOW_OFFICE, handle_notice_list, NULL, 0},
  {"PATCH", "/api/v1/notices/:", ALLOW_OFFICE, handle_notice_update, "notice.edit", EV_NOTICES},
  {"GET", "/api/v1/notices/:", ALLOW_OFFICE, handle_notice_get, NULL, 0},
  {"POST", "/api/v1/notices/:/withdraw", ALLOW_OFFICE, handle_notice_withdraw, "notice.withdraw", EV_NOTICES},
  {"PUT", "/api/v1/notices/:/image", ALLOW_OFFICE, handle_notice_image_put, "notice.image", EV_NOTICES},
  {"DELETE", "/api/v1/notices/:/image", ALLOW_OFFICE, handle_notice_image_delete, "notice.image_remove", EV_NOTICES},
  {"GET", "/api/v1/notices/:/image", ALLOW_OFFICE | ALLOW_KIOSK, handle_notice_image_get, NULL, 0},
  {"POST", "/api/v1/kiosks", ALLOW_ADMIN, handle_kiosk_create, "kiosk.enrol", EV_KIOSKS},
  {"GET", "/api/v1/kiosks", ALLOW_OFFICE, handle_kiosk_list, NULL, 0},
  {"GET", "/api/v1/kiosks/:/feed", ALLOW_OFFICE, handle_kiosk_feed_preview, NULL, 0},
  {"POST", "/api/v1/kiosks/:/screenshot", ALLOW_OFFICE, handle_screenshot_request, "kiosk.screenshot", 0},
  {"GET", "/api/v1/kiosks/:/screenshot", ALLOW_OFFICE, handle_screenshot_get, NULL, 0},
  {"GET", "/api/v1/kiosks/:/screenshot.png", ALLOW_OFFICE, handle_screenshot_png, NULL, 0},
  {"PUT", "/api/v1/screenshots/:", ALLOW_KIOSK, handle_screenshot_upload, NULL, 0},
  {"POST", "/api/v1/kiosks/:/revoke", ALLOW_ADMIN, handle_kiosk_revoke, "kiosk.revoke", EV_KIOSKS},
  {"GET", "/api/v1/directory", ALLOW_STAFF | ALLOW_KIOSK | ALLOW_GUARD, handle_directory_get, NULL, 0},
  {"PUT", "/api/v1/directory", ALLOW_ADMIN, handle_directory_put, "directory.edit", EV_KIOSKS | EV_NOTICES},
  {"POST", "/api/v1/staff", ALLOW_ADMIN, handle_staff_create, "account.create", EV_STAFF},
  {"GET", "/api/v1/staff", ALLOW_OFFICE, handle_staff_list, NULL, 0},
  {"POST", "/api/v1/staff/:/disable", ALLOW_ADMIN, handle_staff_disable, "account.disable", EV_STAFF},
  {"POST", "/api/v1/staff/:/enable", ALLOW_ADMIN, handle_staff_enable, "account.enable", EV_STAFF},
  {"POST", "/api/v1/staff/:/password", ALLOW_ADMIN, handle_staff_password_reset, "account.password_reset", EV_STAFF},
  {"PUT", "/api/v1/staff/:/sites", ALLOW_ADMIN, handle_staff_sites_put, "account.sites", EV_STAFF},
  {"GET", "/api/v1/sites", ALLOW_STAFF | ALLOW_KIOSK | ALLOW_GUARD, handle_site_list, NULL, 0},
  {"POST", "/api/v1/sites", ALLOW_ADMIN, handle_site_create, "site.create", EV_STAFF},
  {"PATCH", "/api/v1/sites/:", ALLOW_ADMIN, handle_site_update, "site.edit", EV_STAFF | EV_NOTICES},
};

/* Routes that take more than HTTP_BODY_LIMIT: a route's pattern and the
 * body it may send. */
static const struct {
  const char *method, *pattern;
  size_t body_max;
} uploads[] = {
  {"POST", "/api/v1/repairs/:/photos", PHOTO_UPLOAD_MAX},
  {"PUT", "/api/v1/notices/:/image", PHOTO_UPLOAD_MAX},
  {"PUT", "/api/v1/screenshots/:", SCREENSHOT_UPLOAD_MAX},
};

#define FIRST_TABLE_SLOT 2u

/* Matches path against pattern, capturing ':' segments.  Literal segments
 * win over captures because the table lists literals first. */
static bool match(const char *pattern, const char *path, http_request *r)
{
  int captured = 0;
  while (*pattern && *path) {
    if (*pattern == ':') {
      size_t n = strcspn(path, "/");
      if (n == 0 || n >= sizeof r->params[0] || captured >= HTTP_MAX_PARAMS)
        return false;
      memcpy(r->params[captured], path, n);
      r->params[captured][n] = '\0';
      captured++;
      pattern++;
      path += n;
      continue;
    }
    if (*pattern != *path)
      return false;
    pattern++;
    path++;
  }
  return *pattern == '\0' && *path == '\0';
}

/* A bearer token when the request has one, else the console's session
 * cookie; a cookie alone never authorises a state change without the
 * session's CSRF token. */
static lobby_err authenticate(http_request *r, bool *csrf_missing)
{
  const char *authorization = http_header(r, "Authorization");
  *csrf_missing = false;
  if (!authorization && session_authenticate(r) == LOBBY_OK) {
    *csrf_missing = !session_csrf_ok(r);
    return LOBBY_OK;
  }
  return auth_bearer(r->d->store, r->d->tokens, authorization, &r->who);
}

/* What the request changed, published once after a success (or a
 * refusal the handler stored, change_recorded): the route's topics with
 * what the handler noted (feeds, a visit).  The reply is only
 * queued yet, so waiters wake before the client hears the answer. */
static enum MHD_Result run_and_publish(http_request *r, const route *rt)
{
  r->outcome.change.topics = rt->topics;
  enum MHD_Result ret = rt->fn(r);
  if ((r->metric.status >= 200 && r->metric.status < 400) || r->outcome.recorded)
    events_publish(r->d->events, &r->outcome.change);
  return ret;
}

static enum MHD_Result authorize_and_run(http_request *r, const route *rt)
{
  r->outcome.audit_action = rt->audit;
  /* Open routes publish what they change too (a rating from a follow page). */
  if (rt->roles == 0)
    return run_and_publish(r, rt);
  bool csrf_missing;
  lobby_err err = authenticate(r, &csrf_missing);
  if (err == LOBBY_EPERM || err == LOBBY_ENOTFOUND)
    return http_fail(r, 401, "unauthorized", "a valid token is required (Authorization: Bearer …)");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "token");
  if (csrf_missing)
    return http_fail(r, 403, "csrf", "this change needs the session's X-CSRF-Token header");
  r->authed = true;
  if (!(rt->roles & (1u << r->who.role)))
    return http_fail(r, 403, "forbidden", "this token's role (%s) may not do this",
                     lobby_role_name(r->who.role));
  return run_and_publish(r, rt);
}

enum MHD_Result router_dispatch(http_request *r)
{
  bool path_matched = false;
  if (strcmp(r->path, "/console") == 0 || strncmp(r->path, "/console/", 9) == 0) {
    r->metric.route = ROUTE_CONSOLE;
    return handle_console_file(r);
  }
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    if (!match(routes[i].pattern, r->path, r))
      continue;
    path_matched = true;
    if (strcmp(routes[i].method, r->method) == 0) {
      r->metric.route = FIRST_TABLE_SLOT + (unsigned)i;
      return authorize_and_run(r, &routes[i]);
    }
  }
  if (path_matched)
    return http_fail(r, 405, "method_not_allowed", "%s is not allowed on %s", r->method, r->path);
  return http_fail(r, 404, "not_found", "no such endpoint: %s", r->path);
}

static const route *route_of(const char *method, const char *pattern)
{
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
    if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].pattern, pattern) == 0)
      return &routes[i];
  return NULL;
}

size_t router_body_limit(http_request *r)
{
  for (size_t i = 0; i < sizeof uploads / sizeof uploads[0]; i++) {
    /* The method first: a feed poll (GET) never looks further, and the
     * table's search was 6% of lobbyd's time on the 304 path. */
    if (strcmp(uploads[i].method, r->method) != 0)
      continue;
    const route *rt = route_of(uploads[i].method, uploads[i].pattern);
    if (!rt || !match(rt->pattern, r->path, r))
      continue;
    bool csrf_missing;
    if (authenticate(r, &csrf_missing) == LOBBY_OK && !csrf_missing &&
        (rt->roles & (1u << r->who.role)))
      return uploads[i].body_max;
    break;
  }
  return HTTP_BODY_LIMIT;
}

size_t router_route_slots(void)
{
  return FIRST_TABLE_SLOT + sizeof routes / sizeof routes[0];
}

void router_route_label(size_t slot, const char **method, const char **pattern)
{
  *method = "";
  if (slot == ROUTE_UNMATCHED)
    *pattern = "unmatched";
  else if (slot == ROUTE_CONSOLE)
    *pattern = "/console/";
  else if (slot < router_route_slots()) {
    *method = routes[slot - FIRST_TABLE_SLOT].method;
    *pattern = routes[slot - FIRST_TABLE_SLOT].pattern;
  } else
    *pattern = "unknown";
}
