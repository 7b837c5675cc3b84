#include "lobby_complaint.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "lobby_repair.h"
#include "lobby_text.h"

const char *const complaint_kind_names[] = {"complaint", "suggestion", "praise", "enquiry", NULL};
const char *const complaint_category_names[] = {
  "service_attitude", "cleaning", "security_order", "noise_neighbours", "parking", "fees",
  "facilities", "other", NULL};
const char *const complaint_status_names[] = {
  "submitted", "accepted", "assigned", "replied", "return_visited", "closed", "follow_up", NULL};
const char *const complaint_event_names[] = {
  "submit", "accept", "assign", "reply", "return_visit", "close", "answer_close", "escalate",
  NULL};
const char *const complaint_satisfaction_names[] = {
  "satisfied", "basically_satisfied", "unsatisfied", NULL};
const char *const complaint_source_names[] = {"kiosk", "front_desk", "phone", NULL};

const char *complaint_status_name(complaint_status s)
{
  return (unsigned)s < COMPLAINT_STATUS_COUNT ? complaint_status_names[s] : "unknown";
}

const char *complaint_event_name(complaint_event e)
{
  return (unsigned)e < COMPLAINT_EVENT_COUNT ? complaint_event_names[e] : "unknown";
}

const char *complaint_satisfaction_name(complaint_satisfaction s)
{
  if (s <= COMPLAINT_SATISFACTION_NONE || s >= COMPLAINT_SATISFACTION_COUNT)
    return "";
  return complaint_satisfaction_names[s - 1];
}

static lobby_err parse_index(const char *const *names, const char *name, int *out)
{
  int i = lobby_name_index(names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = i;
  return LOBBY_OK;
}

lobby_err complaint_kind_parse(const char *name, complaint_kind *out)
{
  int i;
  lobby_err err = parse_index(complaint_kind_names, name, &i);
  if (err == LOBBY_OK)
    *out = (complaint_kind)i;
  return err;
}

lobby_err complaint_status_parse(const char *name, complaint_status *out)
{
  int i;
  lobby_err err = parse_index(complaint_status_names, name, &i);
  if (err == LOBBY_OK)
    *out = (complaint_status)i;
  return err;
}

lobby_err complaint_event_parse(const char *name, complaint_event *out)
{
  int i;
  lobby_err err = parse_index(complaint_event_names, name, &i);
  if (err == LOBBY_OK)
    *out = (complaint_event)i;
  return err;
}

lobby_err complaint_satisfaction_parse(const char *name, complaint_satisfaction *out)
{
  int i;
  lobby_err err = parse_index(complaint_satisfaction_names, name, &i);
  if (err == LOBBY_OK)
    *out = (complaint_satisfaction)(i + 1);
  return err;
}

int complaint_satisfaction_score(complaint_satisfaction s)
{
  switch (s) {
  case COMPLAINT_SATISFIED: return 5;
  case COMPLAINT_BASICALLY_SATISFIED: return 3;
  case COMPLAINT_UNSATISFIED: return 1;
  default: return 0;
  }
}

bool complaint_kind_needs_contact(complaint_kind k)
{
  return k == COMPLAINT_KIND_COMPLAINT;
}

bool complaint_awaits_reply(complaint_status s)
{
  return s == COMPLAINT_STATUS_SUBMITTED || s == COMPLAINT_STATUS_ACCEPTED ||
         s == COMPLAINT_STATUS_ASSIGNED || s == COMPLAINT_STATUS_FOLLOW_UP;
}

bool complaint_overdue(complaint_status s, int64_t reply_due, int64_t now)
{
  return now > reply_due && complaint_awaits_reply(s);
}

bool complaint_escalates(complaint_status s, int64_t reply_due, int64_t escalated_at, int64_t now)
{
  return escalated_at == 0 && complaint_overdue(s, reply_due, now);
}

/* Before a reply: submitted, accepted or assigned. */
static bool before_reply(complaint_status s)
{
  return s == COMPLAINT_STATUS_SUBMITTED || s == COMPLAINT_STATUS_ACCEPTED ||
         s == COMPLAINT_STATUS_ASSIGNED;
}

static bool reply_allowed(complaint_kind kind, complaint_status from)
{
  /* A complaint is answered by its responsible person; the other kinds
   * may be answered by whoever reads them first. */
  if (from == COMPLAINT_STATUS_ASSIGNED || from == COMPLAINT_STATUS_FOLLOW_UP)
    return true;
  return kind != COMPLAINT_KIND_COMPLAINT && before_reply(from);
}

lobby_err complaint_transition(complaint_kind kind, complaint_status from, complaint_event ev,
                               complaint_satisfaction satisfaction, complaint_status *to)
{
  bool complaint = kind == COMPLAINT_KIND_COMPLAINT;
  complaint_status next = from;
  bool ok = false;
  switch (ev) {
  case COMPLAINT_EVENT_ACCEPT:
    ok = from == COMPLAINT_STATUS_SUBMITTED; next = COMPLAINT_STATUS_ACCEPTED; break;
  case COMPLAINT_EVENT_ASSIGN:
    ok = before_reply(from) || from == COMPLAINT_STATUS_FOLLOW_UP;
    next = COMPLAINT_STATUS_ASSIGNED; break;
  case COMPLAINT_EVENT_REPLY:
    ok = reply_allowed(kind, from); next = COMPLAINT_STATUS_REPLIED; break;
  case COMPLAINT_EVENT_RETURN_VISIT:
    ok = from == COMPLAINT_STATUS_REPLIED && satisfaction > COMPLAINT_SATISFACTION_NONE &&
         satisfaction < COMPLAINT_SATISFACTION_COUNT;
    next = satisfaction == COMPLAINT_UNSATISFIED ? COMPLAINT_STATUS_FOLLOW_UP
                                                 : COMPLAINT_STATUS_RETURN_VISITED;
    break;
  case COMPLAINT_EVENT_CLOSE:
    ok = from == COMPLAINT_STATUS_RETURN_VISITED || (!complaint && from == COMPLAINT_STATUS_REPLIED);
    next = COMPLAINT_STATUS_CLOSED; break;
  case COMPLAINT_EVENT_ANSWER_CLOSE:
    ok = !complaint && before_reply(from); next = COMPLAINT_STATUS_CLOSED; break;
  case COMPLAINT_EVENT_SUBMIT:
  default:
    break;
  }
  if (!ok)
    return LOBBY_ECONFLICT;
  *to = next;
  return LOBBY_OK;
}

void complaint_number_format(const char date8[9], unsigned seq, char *buf, int buf_size)
{
  lobby_day_number_format('C', date8, seq, buf, buf_size);
}

bool complaint_number_valid(const char *s)
{
  return lobby_day_number_valid('C', s);
}
