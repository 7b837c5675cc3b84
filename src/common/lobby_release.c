#include "lobby_release.h"

#include <sodium.h>
#include <string.h>
#include "lobby_repair.h"
#include "lobby_text.h"
#include "lobby_workday.h"

const char *const release_status_names[] = {"submitted", "approved", "refused", "used",
                                            "cancelled", NULL};
const char *const release_event_names[] = {"submit", "approve", "refuse", "cancel", "use", NULL};
const char *const release_source_names[] = {"kiosk", "front_desk", "phone", NULL};

static const char *const gate_reasons[RELEASE_GATE_COUNT] = {
  NULL, "not_approved", "refused", "cancelled", "used", "expired", "not_yet"};

const char *release_status_name(release_status s)
{
  return (unsigned)s < RELEASE_STATUS_COUNT ? release_status_names[s] : "unknown";
}

const char *release_event_name(release_event e)
{
  return (unsigned)e < RELEASE_EVENT_COUNT ? release_event_names[e] : "unknown";
}

lobby_err release_status_parse(const char *name, release_status *out)
{
  int i = lobby_name_index(release_status_names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = (release_status)i;
  return LOBBY_OK;
}

lobby_err release_event_parse(const char *name, release_event *out)
{
  int i = lobby_name_index(release_event_names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = (release_event)i;
  return LOBBY_OK;
}

lobby_err release_transition(release_status from, release_event ev, release_status *to)
{
  release_status next;
  bool ok;
  switch (ev) {
  case RELEASE_EVENT_APPROVE: ok = from == RELEASE_STATUS_SUBMITTED; next = RELEASE_STATUS_APPROVED; break;
  case RELEASE_EVENT_REFUSE: ok = from == RELEASE_STATUS_SUBMITTED; next = RELEASE_STATUS_REFUSED; break;
  case RELEASE_EVENT_CANCEL: ok = from == RELEASE_STATUS_APPROVED; next = RELEASE_STATUS_CANCELLED; break;
  case RELEASE_EVENT_USE: ok = from == RELEASE_STATUS_APPROVED; next = RELEASE_STATUS_USED; break;
  case RELEASE_EVENT_SUBMIT:
  default: ok = false; next = from; break;
  }
  if (!ok)
    return LOBBY_ECONFLICT;
  *to = next;
  return LOBBY_OK;
}

/* "YYYY-MM-DD" dates compare as strings; a fixed offset has no daylight
 * saving, so a day is always 86400 s. */
bool release_date_in_window(const char *date, int64_t now, int offset_min)
{
  char today[11], last[11];
  if (!calendar_date_valid(date))
    return false;
  calendar_date_of(now, offset_min, today);
  calendar_date_of(now + (int64_t)RELEASE_DAYS_AHEAD * 86400, offset_min, last);
  return strcmp(date, today) >= 0 && strcmp(date, last) <= 0;
}

/* <0, 0 or >0 as date is before, on or after the local today of now. */
static int date_vs_today(const char *date, int64_t now, int offset_min)
{
  char today[11];
  calendar_date_of(now, offset_min, today);
  return strcmp(date ? date : "", today);
}

bool release_expired(release_status s, const char *date, int64_t now, int offset_min)
{
  return s == RELEASE_STATUS_APPROVED && date_vs_today(date, now, offset_min) < 0;
}

release_gate release_gate_of(release_status s, const char *date, int64_t now, int offset_min)
{
  switch (s) {
  case RELEASE_STATUS_SUBMITTED: return RELEASE_GATE_NOT_APPROVED;
  case RELEASE_STATUS_REFUSED: return RELEASE_GATE_REFUSED;
  case RELEASE_STATUS_CANCELLED: return RELEASE_GATE_CANCELLED;
  case RELEASE_STATUS_USED: return RELEASE_GATE_USED;
  case RELEASE_STATUS_APPROVED: {
    int c = date_vs_today(date, now, offset_min);
    return c < 0 ? RELEASE_GATE_EXPIRED : c > 0 ? RELEASE_GATE_NOT_YET : RELEASE_GATE_VALID;
  }
  default: return RELEASE_GATE_NOT_APPROVED;
  }
}

const char *release_gate_reason(release_gate g)
{
  return (unsigned)g < RELEASE_GATE_COUNT ? gate_reasons[g] : "not_approved";
}

const char *release_gate_error_code(release_gate g)
{
  switch (g) {
  case RELEASE_GATE_VALID: return NULL;
  case RELEASE_GATE_USED: return "release_used";
  case RELEASE_GATE_EXPIRED: return "release_expired";
  case RELEASE_GATE_NOT_YET: return "release_not_yet";
  default: return "release_not_approved";
  }
}

void release_code_random(char buf[RELEASE_CODE_LEN + 1])
{
  for (int i = 0; i < RELEASE_CODE_LEN; i++)
    buf[i] = (char)('0' + randombytes_uniform(10));
  buf[RELEASE_CODE_LEN] = '\0';
}

bool release_code_valid(const char *s)
{
  return s && strlen(s) == RELEASE_CODE_LEN && strspn(s, "0123456789") == RELEASE_CODE_LEN;
}

void release_number_format(const char date8[9], unsigned seq, char *buf, int buf_size)
{
  lobby_day_number_format('F', date8, seq, buf, buf_size);
}

bool release_number_valid(const char *s)
{
  return lobby_day_number_valid('F', s);
}
