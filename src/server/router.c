/* The route table: method, path pattern, who may call, handler.  A ':'
 * segment captures one path segment into r->params. */
#include "router.h"

#include <string.h>
#include "auth.h"
#include "handlers.h"

typedef struct {
  const char *method;
  const char *pattern;
  unsigned roles;     /* 0: no authentication */
  handler_fn fn;
} route;

static const route routes[] = {
  {"GET", "/healthz", 0, handle_healthz},
  {"GET", "/api/v1/feed", ALLOW_KIOSK, handle_feed},
  {"POST", "/api/v1/kiosks/heartbeat", ALLOW_KIOSK, handle_heartbeat},
  {"POST", "/api/v1/repairs", ALLOW_KIOSK | ALLOW_OFFICE, handle_repair_create},
  {"GET", "/api/v1/repairs/lookup", ALLOW_KIOSK | ALLOW_OFFICE, handle_repair_lookup},
  {"GET", "/api/v1/repairs", ALLOW_STAFF, handle_repair_list},
  {"GET", "/api/v1/repairs/:", ALLOW_STAFF, handle_repair_get},
  {"POST", "/api/v1/repairs/:/events", ALLOW_STAFF, handle_repair_event},
  {"POST", "/api/v1/visits", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_create},
  {"POST", "/api/v1/visits/checkout", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_checkout_code},
  {"POST", "/api/v1/visits/invite-checkin", ALLOW_KIOSK | ALLOW_OFFICE, handle_invite_checkin},
  {"GET", "/api/v1/visits", ALLOW_OFFICE, handle_visit_list},
  {"GET", "/api/v1/visits/onsite", ALLOW_OFFICE, handle_visit_onsite},
  {"GET", "/api/v1/visits/:/status", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_status},
  {"POST", "/api/v1/visits/:/cancel", ALLOW_KIOSK | ALLOW_OFFICE, handle_visit_cancel},
  {"POST", "/api/v1/visits/:/approve", ALLOW_OFFICE, handle_visit_approve},
  {"POST", "/api/v1/visits/:/refuse", ALLOW_OFFICE, handle_visit_refuse},
  {"POST", "/api/v1/visits/:/checkout", ALLOW_OFFICE, handle_visit_checkout_id},
  {"POST", "/api/v1/invites", ALLOW_OFFICE, handle_invite_create},
  {"POST", "/api/v1/notices", ALLOW_OFFICE, handle_notice_create},
  {"GET", "/api/v1/notices", ALLOW_OFFICE, handle_notice_list},
  {"PATCH", "/api/v1/notices/:", ALLOW_OFFICE, handle_notice_update},
  {"POST", "/api/v1/notices/:/withdraw", ALLOW_OFFICE, handle_notice_withdraw},
  {"POST", "/api/v1/kiosks", ALLOW_ADMIN, handle_kiosk_create},
  {"GET", "/api/v1/kiosks", ALLOW_OFFICE, handle_kiosk_list},
  {"POST", "/api/v1/kiosks/:/revoke", ALLOW_ADMIN, handle_kiosk_revoke},
  {"GET", "/api/v1/directory", ALLOW_STAFF | ALLOW_KIOSK, handle_directory_get},
  {"PUT", "/api/v1/directory", ALLOW_ADMIN, handle_directory_put},
  {"POST", "/api/v1/staff", ALLOW_ADMIN, handle_staff_create},
};

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

static enum MHD_Result authorize_and_run(http_request *r, const route *rt)
{
  if (rt->roles == 0)
    return rt->fn(r);
  lobby_err err = auth_bearer(r->d->store, r->d->tokens, http_header(r, "Authorization"), &r->who);
  if (err == LOBBY_EPERM || err == LOBBY_ENOTFOUND)
    return http_fail(r, 401, "unauthorized", "a valid token is required (Authorization: Bearer …)");
  if (err)
    return http_reply_store_error(r, err, "token");
  if (!(rt->roles & (1u << r->who.role)))
    return http_fail(r, 403, "forbidden", "this token's role (%s) may not do this",
                     lobby_role_name(r->who.role));
  return rt->fn(r);
}

enum MHD_Result router_dispatch(http_request *r)
{
  bool path_matched = false;
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    if (!match(routes[i].pattern, r->path, r))
      continue;
    path_matched = true;
    if (strcmp(routes[i].method, r->method) == 0)
      return authorize_and_run(r, &routes[i]);
  }
  if (path_matched)
    return http_fail(r, 405, "method_not_allowed", "%s is not allowed on %s", r->method, r->path);
  return http_fail(r, 404, "not_found", "no such endpoint: %s", r->path);
}
