/* The repair ledger's rules, from the property-management service standard:
 * categories, urgency and its service-level deadline, the status machine
 * driven by an append-only event timeline, and human ticket numbers. */
#ifndef LOBBY_REPAIR_H
#define LOBBY_REPAIR_H

#include <stdbool.h>
#include <stdint.h>
#include "lobby_error.h"
#include "lobby_role.h"

typedef enum {
  REPAIR_STATUS_SUBMITTED, REPAIR_STATUS_ACCEPTED, REPAIR_STATUS_DISPATCHED,
  REPAIR_STATUS_ON_SITE, REPAIR_STATUS_COMPLETED, REPAIR_STATUS_RETURN_VISIT,
  REPAIR_STATUS_CLOSED, REPAIR_STATUS_CANCELLED, REPAIR_STATUS_COUNT
} repair_status;

typedef enum {
  REPAIR_EVENT_SUBMIT, REPAIR_EVENT_ACCEPT, REPAIR_EVENT_DISPATCH,
  REPAIR_EVENT_ON_SITE, REPAIR_EVENT_COMPLETE, REPAIR_EVENT_RETURN_VISIT,
  REPAIR_EVENT_CLOSE, REPAIR_EVENT_CANCEL,
  /* The technician a ticket was dispatched to takes the job (接单) or
   * hands it back with a reason (退单), which returns it to the desk. */
  REPAIR_EVENT_TAKE, REPAIR_EVENT_DECLINE, REPAIR_EVENT_COUNT
} repair_event;

typedef enum { REPAIR_URGENCY_EMERGENCY, REPAIR_URGENCY_NORMAL, REPAIR_URGENCY_APPOINTMENT, REPAIR_URGENCY_COUNT } repair_urgency;

extern const char *const repair_category_names[]; /* NULL-terminated */
extern const char *const repair_kind_names[];
extern const char *const repair_urgency_names[];
extern const char *const repair_source_names[];

const char *repair_status_name(repair_status s);
const char *repair_event_name(repair_event e);
lobby_err repair_status_parse(const char *name, repair_status *out);
lobby_err repair_event_parse(const char *name, repair_event *out);
lobby_err repair_urgency_parse(const char *name, repair_urgency *out);

/* Index of name in a NULL-terminated list, or -1. */
int lobby_name_index(const char *const *names, const char *name);

/* The status an event leads to from the given status, or LOBBY_ECONFLICT
 * when the event is not allowed there.  Cancel is allowed from any open
 * status (before completion); the rest follow the ledger's order, except
 * that on_site may be recorded straight after accept for front-desk staff
 * who fix small things themselves.  Take leaves a dispatched ticket
 * dispatched (the ticket notes who took it when); decline sends it back
 * to accepted, for the desk to dispatch again. */
lobby_err repair_transition(repair_status from, repair_event ev, repair_status *to);

/* Whether a role may record an event at all: technicians record only that
 * they take or decline a job, are on site and have completed it; a kiosk
 * records none
 * (it files tickets); the front desk and admins record every event. */
bool repair_event_allowed(lobby_role role, repair_event ev);

/* The same transition recorded by someone in role: LOBBY_EPERM when the
 * role may not record that event (checked first), else as
 * repair_transition. */
lobby_err repair_transition_as(lobby_role role, repair_status from, repair_event ev, repair_status *to);

/* True until the work is completed or the ticket cancelled. */
bool repair_status_open(repair_status s);

/* A return visit scored 1 or 2 of 5 found the resident unhappy: the
 * ticket goes on the desk's follow-up list until it is closed, whether
 * the score came from a kiosk or from a call. */
bool repair_score_needs_follow_up(int score);

/* Past its deadline and the deadline's promise not yet kept: for an
 * emergency the promise is a technician on site, for the rest the work done. */
bool repair_overdue(repair_status s, repair_urgency u, int64_t due, int64_t now);

/* The service-level deadline.  Emergency: on site within 30 minutes.
 * Normal: done the same day by the end of the working day, or the next
 * day when filed after the cut-off.  Appointment: the end of the chosen
 * window.  Times of day are minutes after local midnight. */
typedef struct {
  int offset_min;       /* site's UTC offset */
  int workday_end_min;  /* e.g. 18:00 -> 1080 */
  int same_day_cutoff_min; /* e.g. 16:00 -> 960 */
  int emergency_minutes;   /* 30 */
} repair_sla_policy;

void repair_sla_default(repair_sla_policy *p);
lobby_err repair_sla_due(const repair_sla_policy *p, repair_urgency u, int64_t created,
                         int64_t window_end, int64_t *due);

/* "R-20261126-0042" from the local date and the day's sequence number.
 * buf must hold 24 bytes. */
void repair_ticket_format(const char date8[9], unsigned seq, char *buf, int buf_size);
bool repair_ticket_valid(const char *s);

#endif
