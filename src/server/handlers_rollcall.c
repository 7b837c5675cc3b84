/* The evacuation roll-call (点名): staff tick each person on the
 * evacuation list as seen safe, from several phones at once, and start a
 * new roll-call when the next emergency comes.  Marks are the store's
 * (store.h rollcall_mark); every change is audited and moves the visits
 * topic, so every open list shows it. */
#include "handlers.h"
#include "audit.h"

#include <stdio.h>
#include <string.h>
#include "lobby_time.h"
#include "site_scope.h"

/* POST /api/v1/rollcall/marks {"kind": "visit"|"worker", "id": …, "safe": bool} */
enum MHD_Result handle_rollcall_mark(http_request *r)
{
  static const char *const fields[] = {"kind", "id", "safe", NULL};
  static const char *const kinds[] = {"visit", "worker", NULL};
  json_t *in = NULL;
  const char *kind = NULL, *id = NULL;
  bool safe = true;
  store_site_set sites;
  enum MHD_Result ret;
  http_error e;
  if (!site_scope_of_request(r, &sites, &ret) || !body_object(r, &in, fields, &ret))
    return ret;
  lobby_err err = jin_enum(in, "kind", true, kinds, &kind, &e);
  if (err == LOBBY_OK) err = jin_string(in, "id", true, 1, 31, false, &id, &e);
  if (err == LOBBY_OK) err = jin_bool(in, "safe", &safe, &e);
  if (err != LOBBY_OK) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  snprintf(r->outcome.audit_target, sizeof r->outcome.audit_target, "%s", id);
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "%s %s", kind,
           safe ? "safe" : "unmarked");
  audit_note note;
  /* The store checks that the person is on site in the request's sites. */
  err = r->d->store->ops->rollcall_mark(r->d->store, kind, id, safe, &sites, r->who.name,
                                        lobby_now(), audit_of(r, &note));
  if (err == LOBBY_ENOTFOUND)
    ret = http_fail(r, 409, "not_on_site", "this person is no longer on site");
  else if (err != LOBBY_OK)
    ret = http_reply_store_error(r, err, "roll-call");
  else
    ret = http_reply_json(r, 200, json_pack("{s:s, s:s, s:b}", "kind", kind, "id", id, "safe", safe));
  json_decref(in);
  return ret;
}

/* POST /api/v1/rollcall/reset: a new roll-call in the sites reached. */
enum MHD_Result handle_rollcall_reset(http_request *r)
{
  store_site_set sites;
  enum MHD_Result ret;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  audit_note note;
  lobby_err err = r->d->store->ops->rollcall_reset(r->d->store, &sites, audit_of(r, &note));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "roll-call");
  return http_reply_json(r, 200, json_pack("{s:b}", "reset", 1));
}
