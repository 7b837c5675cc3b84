/* Staff actions in the audit log.  Entries name the actor, the action and
 * its target (a ticket, notice id, kiosk or staff name), never a
 * resident's or visitor's personal data.
 *
 * A write's entry goes to the store with the write (audit_of), which
 * inserts it in the same transaction; audit_record writes an entry that
 * records no write of its own (sign-in attempts, a sign-out without a
 * session). */
#ifndef LOBBYD_AUDIT_H
#define LOBBYD_AUDIT_H

#include "client_addr.h"
#include "http.h"

/* An audit entry and the text it points to; lives as long as the call it
 * is given to. */
typedef struct {
  store_audit_entry entry;
  char address[CLIENT_ADDR_LEN];
} audit_note;

/* An entry with an explicit actor (a sign-in, the CLI), built in note. */
const store_audit_entry *audit_entry(http_request *r, audit_note *note, const char *actor,
                                     const char *actor_role, const char *action,
                                     const char *target, const char *detail);

/* The entry of the request's route action for its staff member, built in
 * note: the target is r->outcome.audit_target, else the first path parameter; the
 * detail r->outcome.audit_detail, so handlers set both before the write.  NULL
 * when nothing is audited: a route without an audit action, a kiosk. */
const store_audit_entry *audit_of(http_request *r, audit_note *note);

/* The same for a write that creates its target: the store names it (a
 * notice's id, a repair's ticket). */
const store_audit_entry *audit_of_new(http_request *r, audit_note *note);

/* Logs an action with an explicit actor (sign-in attempts, the CLI). */
void audit_record(http_request *r, const char *actor, const char *actor_role, const char *action,
                  const char *target, const char *detail);

#endif
