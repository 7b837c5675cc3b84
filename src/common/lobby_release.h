/* Item-release passes (物品放行): a resident applies, the front desk
 * approves (having checked the applicant belongs to the unit) or refuses,
 * the gate guard checks the 6-digit code and lets the things out once.
 * Statuses, events, the date window, what the gate says about a code and
 * F- numbers live here, shared by lobbyd, lobbyctl and the kiosk. */
#ifndef LOBBY_RELEASE_H
#define LOBBY_RELEASE_H

#include <stdbool.h>
#include <stdint.h>
#include "lobby_error.h"

typedef enum {
  RELEASE_STATUS_SUBMITTED, RELEASE_STATUS_APPROVED, RELEASE_STATUS_REFUSED,
  RELEASE_STATUS_USED, RELEASE_STATUS_CANCELLED, RELEASE_STATUS_COUNT
} release_status;

typedef enum {
  RELEASE_EVENT_SUBMIT, RELEASE_EVENT_APPROVE, RELEASE_EVENT_REFUSE, RELEASE_EVENT_CANCEL,
  RELEASE_EVENT_USE, RELEASE_EVENT_COUNT
} release_event;

/* What the gate says about a pass: RELEASE_GATE_VALID lets it out; the
 * others are why not. */
typedef enum {
  RELEASE_GATE_VALID, RELEASE_GATE_NOT_APPROVED, RELEASE_GATE_REFUSED,
  RELEASE_GATE_CANCELLED, RELEASE_GATE_USED, RELEASE_GATE_EXPIRED, RELEASE_GATE_NOT_YET,
  RELEASE_GATE_COUNT
} release_gate;

/* NULL-terminated name lists, in enum order. */
extern const char *const release_status_names[];
extern const char *const release_event_names[];
extern const char *const release_source_names[];   /* kiosk, front_desk, phone */

/* Lengths in characters. */
#define RELEASE_ITEMS_MAX 200
#define RELEASE_REASON_MAX 200
#define RELEASE_NOTE_MAX 200
/* The leaving date is the site's today up to this many days ahead. */
#define RELEASE_DAYS_AHEAD 14
#define RELEASE_CODE_LEN 6

const char *release_status_name(release_status s);
const char *release_event_name(release_event e);
lobby_err release_status_parse(const char *name, release_status *out);
lobby_err release_event_parse(const char *name, release_event *out);

/* The status an event leads to, or LOBBY_ECONFLICT when the status does
 * not allow it: approve and refuse a submitted pass; cancel and use an
 * approved one.  submit is never an event on an existing pass.  Whether
 * an approved pass may be used today is release_gate_of's to say. */
lobby_err release_transition(release_status from, release_event ev, release_status *to);

/* Whether date ("YYYY-MM-DD") is a real date from the local today of now
 * to today + RELEASE_DAYS_AHEAD, inclusive. */
bool release_date_in_window(const char *date, int64_t now, int offset_min);

/* An approved, unused pass whose date has passed (valid 00:00-24:00 on
 * its date in local time). */
bool release_expired(release_status s, const char *date, int64_t now, int offset_min);

/* What the gate answers for a pass of status s and date at now. */
release_gate release_gate_of(release_status s, const char *date, int64_t now, int offset_min);
/* The API's reason: NULL for RELEASE_GATE_VALID, else "not_approved",
 * "refused", "cancelled", "used", "expired" or "not_yet". */
const char *release_gate_reason(release_gate g);
/* The error code a refused use answers (409): release_used,
 * release_expired, release_not_yet, or release_not_approved for a pass
 * never approved, refused or cancelled.  NULL for RELEASE_GATE_VALID. */
const char *release_gate_error_code(release_gate g);

/* A fresh code of RELEASE_CODE_LEN decimal digits from libsodium's CSPRNG
 * (sodium_init() must have been called); buf holds 7 bytes.  One in a
 * million codes: the gate's per-guard rate limit keeps guessing slow. */
void release_code_random(char buf[RELEASE_CODE_LEN + 1]);
bool release_code_valid(const char *s);

/* "F-20261204-0007" from the local date and the day's sequence number;
 * buf must hold 24 bytes. */
void release_number_format(const char date8[9], unsigned seq, char *buf, int buf_size);
bool release_number_valid(const char *s);

#endif
