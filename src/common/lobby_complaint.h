/* Complaints and suggestions (投诉建议) as the service standard has them:
 * every complaint is accepted, given a responsible person, answered within
 * one working day and followed by a return visit; suggestions, praise and
 * enquiries may be answered and closed in one step.  Kinds, categories,
 * the status machine and human numbers live here, shared by all binaries. */
#ifndef LOBBY_COMPLAINT_H
#define LOBBY_COMPLAINT_H

#include <stdbool.h>
#include <stdint.h>
#include "lobby_error.h"

typedef enum {
  COMPLAINT_KIND_COMPLAINT, COMPLAINT_KIND_SUGGESTION, COMPLAINT_KIND_PRAISE,
  COMPLAINT_KIND_ENQUIRY, COMPLAINT_KIND_COUNT
} complaint_kind;

typedef enum {
  COMPLAINT_STATUS_SUBMITTED, COMPLAINT_STATUS_ACCEPTED, COMPLAINT_STATUS_ASSIGNED,
  COMPLAINT_STATUS_REPLIED, COMPLAINT_STATUS_RETURN_VISITED, COMPLAINT_STATUS_CLOSED,
  COMPLAINT_STATUS_FOLLOW_UP, COMPLAINT_STATUS_COUNT
} complaint_status;

typedef enum {
  COMPLAINT_EVENT_SUBMIT, COMPLAINT_EVENT_ACCEPT, COMPLAINT_EVENT_ASSIGN, COMPLAINT_EVENT_REPLY,
  COMPLAINT_EVENT_RETURN_VISIT, COMPLAINT_EVENT_CLOSE, COMPLAINT_EVENT_ANSWER_CLOSE,
  COMPLAINT_EVENT_ESCALATE,         /* lobbyd's, never staff's: see complaint_escalates */
  COMPLAINT_EVENT_COUNT
} complaint_event;

typedef enum {
  COMPLAINT_SATISFACTION_NONE, COMPLAINT_SATISFIED, COMPLAINT_BASICALLY_SATISFIED,
  COMPLAINT_UNSATISFIED, COMPLAINT_SATISFACTION_COUNT
} complaint_satisfaction;

/* NULL-terminated name lists, in enum order (satisfaction without NONE). */
extern const char *const complaint_kind_names[];
extern const char *const complaint_category_names[];
extern const char *const complaint_status_names[];
extern const char *const complaint_event_names[];
extern const char *const complaint_satisfaction_names[];
extern const char *const complaint_source_names[];

/* The longest description and reply, in characters. */
#define COMPLAINT_TEXT_MAX 500

const char *complaint_status_name(complaint_status s);
const char *complaint_event_name(complaint_event e);
/* "" for COMPLAINT_SATISFACTION_NONE. */
const char *complaint_satisfaction_name(complaint_satisfaction s);
lobby_err complaint_kind_parse(const char *name, complaint_kind *out);
lobby_err complaint_status_parse(const char *name, complaint_status *out);
lobby_err complaint_event_parse(const char *name, complaint_event *out);
lobby_err complaint_satisfaction_parse(const char *name, complaint_satisfaction *out);

/* The 1-5 score a repair's return visit records for a resident's rating
 * (满意 5, 基本满意 3, 不满意 1), 0 for none. */
int complaint_satisfaction_score(complaint_satisfaction s);

/* A complaint needs the resident's unit, name and phone so that it can be
 * answered; the other kinds may be anonymous. */
bool complaint_kind_needs_contact(complaint_kind k);

/* The status an event leads to, or LOBBY_ECONFLICT when the event is not
 * allowed there (see docs: accept, assign, reply, return visit, close; a
 * return visit that finds the resident unsatisfied reopens the complaint
 * as follow_up; answer_close is for the kinds other than complaints).
 * satisfaction matters only for return_visit, where it must be set. */
lobby_err complaint_transition(complaint_kind kind, complaint_status from, complaint_event ev,
                               complaint_satisfaction satisfaction, complaint_status *to);

/* Waiting for a reply: past reply_due the complaint is overdue. */
bool complaint_awaits_reply(complaint_status s);
bool complaint_overdue(complaint_status s, int64_t reply_due, int64_t now);

/* Overdue replies go up to the managers, once: a complaint overdue at now
 * and never escalated (escalated_at 0) is escalated; one escalated before
 * is not again, even when a follow_up has it waiting (and overdue, its
 * reply_due unchanged) once more.  The escalate event changes no status,
 * so complaint_transition refuses it to staff. */
bool complaint_escalates(complaint_status s, int64_t reply_due, int64_t escalated_at, int64_t now);

/* "C-20261202-0007" from the local date and the day's sequence number;
 * buf must hold 24 bytes. */
void complaint_number_format(const char date8[9], unsigned seq, char *buf, int buf_size);
bool complaint_number_valid(const char *s);

#endif
