/* The desk's invites: the list it keeps an eye on and revoking one a
 * visitor will not use (a changed plan, a code sent to the wrong person).
 * Creating and using invites are handlers_visits.c's. */
#include "handlers.h"
#include "audit.h"

#include <stdio.h>
#include "lobby_domain.h"
#include "lobby_time.h"
#include "site_scope.h"

/* GET /api/v1/invites */
enum MHD_Result handle_invite_list(http_request *r)
{
  store_site_set sites;
  enum MHD_Result ret;
  json_t *out = NULL;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  lobby_err err = r->d->store->ops->invite_list(r->d->store, &sites, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "invites");
  return http_reply_json(r, 200, json_pack("{s:o}", "invites", out));
}

/* POST /api/v1/invites/{code}/revoke */
enum MHD_Result handle_invite_revoke(http_request *r)
{
  char code[LOBBY_INVITE_CODE_LEN + 1];
  store_site_set sites;
  enum MHD_Result ret;
  if (!lobby_code_alphabet_valid(r->params[0], LOBBY_INVITE_CODE_LEN))
    return http_fail(r, 404, "not_found", "no invite has that code");
  snprintf(code, sizeof code, "%.*s", LOBBY_INVITE_CODE_LEN, r->params[0]);
  lobby_code_normalize(code);
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  snprintf(r->outcome.audit_target, sizeof r->outcome.audit_target, "%s", code);
  audit_note note;
  lobby_err err = r->d->store->ops->invite_revoke(r->d->store, code, &sites, lobby_now(),
                                                  audit_of(r, &note));
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "the invite was used or revoked already");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "invite");
  return http_reply_json(r, 200, json_pack("{s:s, s:b}", "code", code, "revoked", 1));
}
