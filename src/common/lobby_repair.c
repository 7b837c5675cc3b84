#include "lobby_repair.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "lobby_text.h"

const char *const repair_category_names[] = {
  "water", "electric", "door_lock", "lift", "appliance", "public_area", "other", NULL};
const char *const repair_kind_names[] = {"in_unit", "public_area", "warranty", NULL};
const char *const repair_urgency_names[] = {"emergency", "normal", "appointment", NULL};
const char *const repair_source_names[] = {"kiosk", "front_desk", "phone", NULL};

static const char *const status_names[] = {
  "submitted", "accepted", "dispatched", "on_site", "completed", "return_visit",
  "closed", "cancelled", NULL};
static const char *const event_names[] = {
  "submit", "accept", "dispatch", "on_site", "complete", "return_visit",
  "close", "cancel", "take", "decline", NULL};

int lobby_name_index(const char *const *names, const char *name)
{
  if (!name)
    return -1;
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0)
      return i;
  return -1;
}

const char *repair_status_name(repair_status s)
{
  return (unsigned)s < REPAIR_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *repair_event_name(repair_event e)
{
  return (unsigned)e < REPAIR_EVENT_COUNT ? event_names[e] : "unknown";
}

lobby_err repair_status_parse(const char *name, repair_status *out)
{
  int i = lobby_name_index(status_names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = (repair_status)i;
  return LOBBY_OK;
}

lobby_err repair_event_parse(const char *name, repair_event *out)
{
  int i = lobby_name_index(event_names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = (repair_event)i;
  return LOBBY_OK;
}

lobby_err repair_urgency_parse(const char *name, repair_urgency *out)
{
  int i = lobby_name_index(repair_urgency_names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = (repair_urgency)i;
  return LOBBY_OK;
}

bool repair_status_open(repair_status s)
{
  return s == REPAIR_STATUS_SUBMITTED || s == REPAIR_STATUS_ACCEPTED ||
         s == REPAIR_STATUS_DISPATCHED || s == REPAIR_STATUS_ON_SITE;
}

bool repair_overdue(repair_status s, repair_urgency u, int64_t due, int64_t now)
{
  if (now <= due)
    return false;
  if (u == REPAIR_URGENCY_EMERGENCY)
    return s == REPAIR_STATUS_SUBMITTED || s == REPAIR_STATUS_ACCEPTED ||
           s == REPAIR_STATUS_DISPATCHED;
  return repair_status_open(s);
}

lobby_err repair_transition(repair_status from, repair_event ev, repair_status *to)
{
  repair_status next;
  bool ok;
  switch (ev) {
  case REPAIR_EVENT_ACCEPT:
    ok = from == REPAIR_STATUS_SUBMITTED; next = REPAIR_STATUS_ACCEPTED; break;
  case REPAIR_EVENT_DISPATCH:
    /* Re-dispatch to another technician is allowed until someone is on site. */
    ok = from == REPAIR_STATUS_ACCEPTED || from == REPAIR_STATUS_DISPATCHED;
    next = REPAIR_STATUS_DISPATCHED; break;
  case REPAIR_EVENT_ON_SITE:
    ok = from == REPAIR_STATUS_DISPATCHED || from == REPAIR_STATUS_ACCEPTED;
    next = REPAIR_STATUS_ON_SITE; break;
  case REPAIR_EVENT_COMPLETE:
    ok = from == REPAIR_STATUS_ON_SITE; next = REPAIR_STATUS_COMPLETED; break;
  case REPAIR_EVENT_RETURN_VISIT:
    ok = from == REPAIR_STATUS_COMPLETED; next = REPAIR_STATUS_RETURN_VISIT; break;
  case REPAIR_EVENT_CLOSE:
    ok = from == REPAIR_STATUS_RETURN_VISIT; next = REPAIR_STATUS_CLOSED; break;
  case REPAIR_EVENT_CANCEL:
    ok = repair_status_open(from); next = REPAIR_STATUS_CANCELLED; break;
  case REPAIR_EVENT_TAKE:
    ok = from == REPAIR_STATUS_DISPATCHED; next = REPAIR_STATUS_DISPATCHED; break;
  case REPAIR_EVENT_DECLINE:
    ok = from == REPAIR_STATUS_DISPATCHED; next = REPAIR_STATUS_ACCEPTED; break;
  case REPAIR_EVENT_SUBMIT:
  default:
    return LOBBY_ECONFLICT;
  }
  if (!ok)
    return LOBBY_ECONFLICT;
  *to = next;
  return LOBBY_OK;
}

bool repair_event_allowed(lobby_role role, repair_event ev)
{
  switch (role) {
  case ROLE_ADMIN:
  case ROLE_FRONT_DESK:
    return ev != REPAIR_EVENT_SUBMIT;
  case ROLE_TECHNICIAN:
    return ev == REPAIR_EVENT_TAKE || ev == REPAIR_EVENT_DECLINE || ev == REPAIR_EVENT_ON_SITE ||
           ev == REPAIR_EVENT_COMPLETE;
  case ROLE_KIOSK:
  case ROLE_GUARD:
  default:
    return false;
  }
}

lobby_err repair_transition_as(lobby_role role, repair_status from, repair_event ev, repair_status *to)
{
  if (!repair_event_allowed(role, ev))
    return LOBBY_EPERM;
  return repair_transition(from, ev, to);
}

void repair_sla_default(repair_sla_policy *p)
{
  p->offset_min = 480;
  p->workday_end_min = 18 * 60;
  p->same_day_cutoff_min = 16 * 60;
  p->emergency_minutes = 30;
}

lobby_err repair_sla_due(const repair_sla_policy *p, repair_urgency u, int64_t created,
                         int64_t window_end, int64_t *due)
{
  int64_t midnight, into_day;
  switch (u) {
  case REPAIR_URGENCY_EMERGENCY:
    *due = created + (int64_t)p->emergency_minutes * 60;
    return LOBBY_OK;
  case REPAIR_URGENCY_NORMAL:
    midnight = ((created + (int64_t)p->offset_min * 60) / 86400) * 86400 -
               (int64_t)p->offset_min * 60;
    into_day = (created - midnight) / 60;
    *due = midnight + (int64_t)p->workday_end_min * 60;
    if (into_day >= p->same_day_cutoff_min)
      *due += 86400;
    return LOBBY_OK;
  case REPAIR_URGENCY_APPOINTMENT:
    if (window_end <= created)
      return LOBBY_EINVAL;
    *due = window_end;
    return LOBBY_OK;
  default:
    return LOBBY_EINVAL;
  }
}

void repair_ticket_format(const char date8[9], unsigned seq, char *buf, int buf_size)
{
  lobby_day_number_format('R', date8, seq, buf, buf_size);
}

bool repair_ticket_valid(const char *s)
{
  return lobby_day_number_valid('R', s);
}

bool repair_score_needs_follow_up(int score)
{
  return score >= 1 && score <= 2;
}
