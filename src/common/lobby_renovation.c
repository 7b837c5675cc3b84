#include "lobby_renovation.h"

#include <string.h>
#include "lobby_repair.h"
#include "lobby_text.h"
#include "lobby_workday.h"

const char *const renovation_status_names[] = {"active", "finished", "cancelled", NULL};
const char *const renovation_event_names[] = {"register", "extend", "finish", "cancel", NULL};
const char *const worker_pass_status_names[] = {"active", "revoked", NULL};

const char *renovation_status_name(renovation_status s)
{
  return (unsigned)s < RENOVATION_STATUS_COUNT ? renovation_status_names[s] : "unknown";
}

const char *renovation_event_name(renovation_event e)
{
  return (unsigned)e < RENOVATION_EVENT_COUNT ? renovation_event_names[e] : "unknown";
}

const char *worker_pass_status_name(worker_pass_status s)
{
  return (unsigned)s < WORKER_PASS_COUNT ? worker_pass_status_names[s] : "unknown";
}

static lobby_err parse_name(const char *const *names, const char *name, int *out)
{
  int i = lobby_name_index(names, name);
  if (i < 0)
    return LOBBY_EINVAL;
  *out = i;
  return LOBBY_OK;
}

lobby_err renovation_status_parse(const char *name, renovation_status *out)
{
  int i = 0;
  lobby_err err = parse_name(renovation_status_names, name, &i);
  if (err == LOBBY_OK)
    *out = (renovation_status)i;
  return err;
}

lobby_err renovation_event_parse(const char *name, renovation_event *out)
{
  int i = 0;
  lobby_err err = parse_name(renovation_event_names, name, &i);
  if (err == LOBBY_OK)
    *out = (renovation_event)i;
  return err;
}

lobby_err worker_pass_status_parse(const char *name, worker_pass_status *out)
{
  int i = 0;
  lobby_err err = parse_name(worker_pass_status_names, name, &i);
  if (err == LOBBY_OK)
    *out = (worker_pass_status)i;
  return err;
}

lobby_err renovation_transition(renovation_status from, renovation_event ev,
                                renovation_status *to)
{
  renovation_status next;
  switch (ev) {
  case RENOVATION_EVENT_EXTEND: next = RENOVATION_STATUS_ACTIVE; break;
  case RENOVATION_EVENT_FINISH: next = RENOVATION_STATUS_FINISHED; break;
  case RENOVATION_EVENT_CANCEL: next = RENOVATION_STATUS_CANCELLED; break;
  case RENOVATION_EVENT_REGISTER:
  default: return LOBBY_ECONFLICT;
  }
  if (from != RENOVATION_STATUS_ACTIVE)
    return LOBBY_ECONFLICT;
  *to = next;
  return LOBBY_OK;
}

lobby_err renovation_latest_end(const char *date, char out[11])
{
  return calendar_date_add_months(date, RENOVATION_MONTHS_MAX, out);
}

/* "YYYY-MM-DD" dates compare as strings. */
static bool within(const char *from, const char *to, bool to_after_from, char latest[11])
{
  latest[0] = '\0';
  if (renovation_latest_end(from, latest) != LOBBY_OK) {
    latest[0] = '\0';
    return false;
  }
  if (!calendar_date_valid(to))
    return false;
  int c = strcmp(to, from);
  return (to_after_from ? c > 0 : c >= 0) && strcmp(to, latest) <= 0;
}

bool renovation_period_valid(const char *start, const char *end, char latest[11])
{
  return within(start, end, false, latest);
}

bool renovation_extension_valid(const char *current_end, const char *new_end, char latest[11])
{
  return within(current_end, new_end, true, latest);
}

/* The local date days days after the local today of now; a fixed offset
 * has no daylight saving, so a day is always 86400 s. */
static void day_of(int64_t now, int days, int offset_min, char out[11])
{
  calendar_date_of(now + (int64_t)days * 86400, offset_min, out);
}

bool renovation_expired(renovation_status s, const char *end, int64_t now, int offset_min)
{
  char today[11];
  day_of(now, 0, offset_min, today);
  return s == RENOVATION_STATUS_ACTIVE && strcmp(end ? end : "", today) < 0;
}

bool renovation_live(renovation_status s, const char *end, int64_t now, int offset_min)
{
  return s == RENOVATION_STATUS_ACTIVE && !renovation_expired(s, end, now, offset_min);
}

bool renovation_ending_within(renovation_status s, const char *end, int days, int64_t now,
                              int offset_min)
{
  char last[11];
  if (days < 1 || !renovation_live(s, end, now, offset_min))
    return false;
  day_of(now, days - 1, offset_min, last);
  return strcmp(end, last) <= 0;
}

bool renovation_ending_soon(renovation_status s, const char *end, int64_t now, int offset_min)
{
  return renovation_ending_within(s, end, RENOVATION_SOON_DAYS, now, offset_min);
}

bool worker_valid_until_ok(const char *valid_until, const char *renovation_end, int64_t now,
                           int offset_min)
{
  char today[11];
  day_of(now, 0, offset_min, today);
  return calendar_date_valid(valid_until) && strcmp(valid_until, today) >= 0 &&
         strcmp(valid_until, renovation_end ? renovation_end : "") <= 0;
}

bool worker_pass_expired(const char *valid_until, renovation_status rs, const char *renovation_end,
                         int64_t now, int offset_min)
{
  char today[11];
  day_of(now, 0, offset_min, today);
  return strcmp(valid_until ? valid_until : "", today) < 0 ||
         !renovation_live(rs, renovation_end, now, offset_min);
}

worker_attendance worker_attendance_of(bool on_site, worker_pass_status ps,
                                       const char *valid_until, renovation_status rs,
                                       const char *renovation_end, int64_t now, int offset_min)
{
  if (on_site)
    return WORKER_ATTEND_OUT;
  if (ps != WORKER_PASS_ACTIVE)
    return WORKER_ATTEND_REFUSED_REVOKED;
  if (!renovation_live(rs, renovation_end, now, offset_min))
    return WORKER_ATTEND_REFUSED_RENOVATION;
  if (worker_pass_expired(valid_until, rs, renovation_end, now, offset_min))
    return WORKER_ATTEND_REFUSED_EXPIRED;
  return WORKER_ATTEND_IN;
}

const char *worker_attendance_error_code(worker_attendance a)
{
  switch (a) {
  case WORKER_ATTEND_REFUSED_EXPIRED: return "worker_pass_expired";
  case WORKER_ATTEND_REFUSED_REVOKED: return "worker_pass_revoked";
  case WORKER_ATTEND_REFUSED_RENOVATION: return "renovation_not_active";
  default: return NULL;
  }
}

const char *worker_attendance_message(worker_attendance a)
{
  switch (a) {
  case WORKER_ATTEND_REFUSED_EXPIRED:
    return "出入证已过期，不能签到。已通知前台，请到前台办理续期 / "
           "Your pass has expired, so you cannot check in. The front desk has been told; "
           "please renew it there.";
  case WORKER_ATTEND_REFUSED_REVOKED:
    return "出入证已作废，不能签到。已通知前台，请联系前台 / "
           "Your pass has been cancelled, so you cannot check in. The front desk has been "
           "told; please contact it.";
  case WORKER_ATTEND_REFUSED_RENOVATION:
    return "该装修已结束或已超出登记期限，不能签到。已通知前台，请联系前台 / "
           "This renovation has ended or is past its approved period, so you cannot check "
           "in. The front desk has been told; please contact it.";
  default: return NULL;
  }
}

void renovation_number_format(const char date8[9], unsigned seq, char *buf, int buf_size)
{
  lobby_day_number_format('Z', date8, seq, buf, buf_size);
}

bool renovation_number_valid(const char *s)
{
  return lobby_day_number_valid('Z', s);
}
