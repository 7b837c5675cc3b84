#include "audit.h"

#include "lobby_log.h"
#include "lobby_time.h"

const store_audit_entry *audit_entry(http_request *r, audit_note *note, const char *actor,
                                     const char *actor_role, const char *action,
                                     const char *target, const char *detail)
{
  client_addr_get(r, note->address);
  note->entry = (store_audit_entry){.actor = actor, .actor_role = actor_role, .action = action,
                                    .target = target, .detail = detail,
                                    .address = note->address, .at = lobby_now()};
  return &note->entry;
}

void audit_record(http_request *r, const char *actor, const char *actor_role, const char *action,
                  const char *target, const char *detail)
{
  audit_note note;
  const store_audit_entry *e = audit_entry(r, &note, actor, actor_role, action, target, detail);
  lobby_err err = r->d->store->ops->audit_add(r->d->store, e);
  /* Nothing else was written: a lost line is reported loudly but the
   * answer stands. */
  if (err != LOBBY_OK)
    LOBBY_ERROR("audit: could not record %s: %s", action, lobby_strerror(err));
}

const store_audit_entry *audit_of(http_request *r, audit_note *note)
{
  if (!r->outcome.audit_action || !r->authed || r->who.role == ROLE_KIOSK)
    return NULL;
  return audit_entry(r, note, r->who.name, lobby_role_name(r->who.role), r->outcome.audit_action,
                     r->outcome.audit_target[0] ? r->outcome.audit_target : r->params[0], r->outcome.audit_detail);
}

const store_audit_entry *audit_of_new(http_request *r, audit_note *note)
{
  const store_audit_entry *e = audit_of(r, note);
  if (e)
    note->entry.target = NULL;
  return e;
}
