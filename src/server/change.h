/* What one change touched, as the application layer reports it to
 * events_publish() (events.h), the one place that announces changes.  A
 * type only: the HTTP layer carries one per request (http_request.change)
 * without knowing what publishing it does. */
#ifndef LOBBYD_CHANGE_H
#define LOBBYD_CHANGE_H

#include <stdbool.h>

/* The console's topics: a list the console reloads when its counter
 * moves. */
enum {
  EV_REPAIRS = 1u << 0,
  EV_VISITS = 1u << 1,
  EV_NOTICES = 1u << 2,
  EV_KIOSKS = 1u << 3,
  EV_STAFF = 1u << 4,
  EV_COMPLAINTS = 1u << 5,
  EV_RELEASES = 1u << 6,
  EV_RENOVATIONS = 1u << 7,
};
#define EV_TOPIC_COUNT 8

/* Long enough for an item's key: a visit id ("v_" and 16 hex digits), a
 * repair's ticket ("R-20261201-0001") or a complaint's number. */
#define CHANGE_ITEM_LEN 24

/* One change.  topics: EV_* bits (EV_KIOSKS and EV_STAFF also make
 * waiters' tokens be checked again: one may have been revoked); feed:
 * kiosks' feeds may read differently; item: the visit id, repair ticket
 * or complaint number whose status changed, or ""; all_visits: visits changed that
 * are not named (the auto sign-out). */
typedef struct {
  unsigned topics;
  bool feed;
  bool all_visits;
  char item[CHANGE_ITEM_LEN];
} lobby_change;

#endif
