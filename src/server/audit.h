/* Writes staff actions to the audit log.  Entries name the actor, the
 * action and its target (a ticket, notice id, kiosk or staff name), never
 * a resident's or visitor's personal data. */
#ifndef LOBBYD_AUDIT_H
#define LOBBYD_AUDIT_H

#include "http.h"

/* Logs the request's route action for its authenticated staff member. */
void audit_request(http_request *r);

/* Logs an action with an explicit actor (sign-in attempts, the CLI). */
void audit_record(http_request *r, const char *actor, const char *actor_role, const char *action,
                  const char *target, const char *detail);

#endif
