#include "audit.h"

#include "client_addr.h"
#include "lobby_log.h"
#include "lobby_time.h"

void audit_record(http_request *r, const char *actor, const char *actor_role, const char *action,
                  const char *target, const char *detail)
{
  char address[CLIENT_ADDR_LEN];
  client_addr_get(r, address);
  store_audit_entry e = {.actor = actor, .actor_role = actor_role, .action = action,
                         .target = target, .detail = detail, .address = address,
                         .at = lobby_now()};
  lobby_err err = r->d->store->ops->audit_add(r->d->store, &e);
  /* The action itself already succeeded; a lost audit line is reported
   * loudly but does not undo it. */
  if (err)
    LOBBY_ERROR("audit: could not record %s: %s", action, lobby_strerror(err));
}

void audit_request(http_request *r)
{
  const char *target = r->audit_target[0] ? r->audit_target : r->params[0];
  audit_record(r, r->who.name, lobby_role_name(r->who.role), r->audit_action, target,
               r->audit_detail);
}
