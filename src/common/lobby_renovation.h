/* Renovations (装修登记) and their workers' temporary passes (临时出入证).
 * A renovation is approved for a period of at most three calendar months,
 * extendable three months at a time; its workers check in and out at the
 * kiosk with a pass code, so the on-site and evacuation lists include
 * them.  Statuses, events, the period rules, when a renovation or a pass
 * has expired and what the kiosk answers a pass code live here, shared by
 * lobbyd, lobbyctl and the kiosk. */
#ifndef LOBBY_RENOVATION_H
#define LOBBY_RENOVATION_H

#include <stdbool.h>
#include <stdint.h>
#include "lobby_error.h"

typedef enum {
  RENOVATION_STATUS_ACTIVE, RENOVATION_STATUS_FINISHED, RENOVATION_STATUS_CANCELLED,
  RENOVATION_STATUS_COUNT
} renovation_status;

typedef enum {
  RENOVATION_EVENT_REGISTER, RENOVATION_EVENT_EXTEND, RENOVATION_EVENT_FINISH,
  RENOVATION_EVENT_CANCEL, RENOVATION_EVENT_COUNT
} renovation_event;

typedef enum { WORKER_PASS_ACTIVE, WORKER_PASS_REVOKED, WORKER_PASS_COUNT } worker_pass_status;

/* What the kiosk does with a worker's pass code: check the worker in or
 * out, or refuse the check-in and say why. */
typedef enum {
  WORKER_ATTEND_IN, WORKER_ATTEND_OUT, WORKER_ATTEND_REFUSED_EXPIRED,
  WORKER_ATTEND_REFUSED_REVOKED, WORKER_ATTEND_REFUSED_RENOVATION, WORKER_ATTEND_COUNT
} worker_attendance;

/* NULL-terminated name lists, in enum order. */
extern const char *const renovation_status_names[];
extern const char *const renovation_event_names[];
extern const char *const worker_pass_status_names[];

/* Lengths in characters. */
#define RENOVATION_COMPANY_MAX 64
#define RENOVATION_MANAGER_MAX 32
#define RENOVATION_WORKS_MAX 200
#define RENOVATION_REASON_MAX 200
#define RENOVATION_NOTE_MAX 200
#define WORKER_NAME_MAX 32
/* The reason a pass gets when its renovation is finished (a cancellation
 * gives its own). */
#define RENOVATION_ENDED_REASON "装修已结束 / the renovation has finished"
/* A period (and each extension) is at most this many calendar months. */
#define RENOVATION_MONTHS_MAX 3
/* "Ending soon": the end falls within this many days, today included. */
#define RENOVATION_SOON_DAYS 7

const char *renovation_status_name(renovation_status s);
const char *renovation_event_name(renovation_event e);
const char *worker_pass_status_name(worker_pass_status s);
lobby_err renovation_status_parse(const char *name, renovation_status *out);
lobby_err renovation_event_parse(const char *name, renovation_event *out);
lobby_err worker_pass_status_parse(const char *name, worker_pass_status *out);

/* The status an event leads to, or LOBBY_ECONFLICT: extend, finish and
 * cancel an active renovation (an expired one too: extending is how it
 * goes on, finishing how it ends); register is never an event on an
 * existing renovation.  Whether an extension's date is allowed is
 * renovation_extension_check's to say. */
lobby_err renovation_transition(renovation_status from, renovation_event ev,
                                renovation_status *to);

/* The latest end a period starting (or extended from) date may have:
 * RENOVATION_MONTHS_MAX calendar months on, the month's last day when it
 * is shorter (calendar_date_add_months).  LOBBY_EINVAL for a bad date. */
lobby_err renovation_latest_end(const char *date, char out[11]);

/* Whether start and end are dates, end >= start and end at most
 * renovation_latest_end(start); latest gets that date (or "" when start
 * is not a date) for the message. */
bool renovation_period_valid(const char *start, const char *end, char latest[11]);

/* An extension from current_end to new_end: new_end after current_end and
 * at most renovation_latest_end(current_end); latest as above. */
bool renovation_extension_valid(const char *current_end, const char *new_end, char latest[11]);

/* Active and its end before the local today of now. */
bool renovation_expired(renovation_status s, const char *end, int64_t now, int offset_min);

/* Active, not expired, and its end within the next days days, today
 * included (today <= end < today + days).  ending_soon is days =
 * RENOVATION_SOON_DAYS. */
bool renovation_ending_within(renovation_status s, const char *end, int days, int64_t now,
                              int offset_min);
bool renovation_ending_soon(renovation_status s, const char *end, int64_t now, int offset_min);

/* Active and not expired: passes may be issued and used. */
bool renovation_live(renovation_status s, const char *end, int64_t now, int offset_min);

/* A pass's valid_until as staff may set it: a date from the local today
 * to the renovation's end. */
bool worker_valid_until_ok(const char *valid_until, const char *renovation_end, int64_t now,
                           int offset_min);

/* The pass's computed expired: its valid_until before today, or its
 * renovation no longer live. */
bool worker_pass_expired(const char *valid_until, renovation_status rs, const char *renovation_end,
                         int64_t now, int offset_min);

/* What a pass code does at the kiosk.  A worker on site always checks out
 * (nobody is stuck on the evacuation list); a check-in is refused for a
 * revoked pass, then for a renovation that is not live, then for a pass
 * past its valid_until. */
worker_attendance worker_attendance_of(bool on_site, worker_pass_status ps,
                                       const char *valid_until, renovation_status rs,
                                       const char *renovation_end, int64_t now, int offset_min);
/* The 409 error code of a refusal (worker_pass_expired,
 * worker_pass_revoked, renovation_not_active), also its recorded reason;
 * NULL for in and out. */
const char *worker_attendance_error_code(worker_attendance a);
/* What a refused worker reads: Chinese first, then English. */
const char *worker_attendance_message(worker_attendance a);

/* "Z-20261204-0007" from the local date and the day's sequence number;
 * buf must hold 24 bytes. */
void renovation_number_format(const char date8[9], unsigned seq, char *buf, int buf_size);
bool renovation_number_valid(const char *s);

#endif
