/* Plain types that store.h's operations take and that the statement
 * builders shared by both stores (store_repair_query.h) read: kept apart
 * from store.h so that those builders need not depend on the store they
 * serve. */
#ifndef LOBBYD_STORE_TYPES_H
#define LOBBYD_STORE_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include "lobby_search.h"

/* Sites (compounds): each owns its buildings, kiosks, repairs, visits
 * and invites; a notice belongs to one site or to every site.  A staff
 * member may be given at most this many sites; one with none has all. */
#define STORE_SITES_MAX 32   /* == STORE_SITE_CLAUSE_IDS (store_records.h) */

/* A set of sites by id.  count 0 means every site: the scope of a staff
 * member with no sites of their own, or a filter that names none.
 * Invariant: ids are distinct and count <= STORE_SITES_MAX. */
typedef struct {
  int count;
  int64_t id[STORE_SITES_MAX];
} store_site_set;

/* A set of one site. */
static inline store_site_set store_site_one(int64_t id)
{
  store_site_set s = {.count = 1};
  s.id[0] = id;
  return s;
}

/* Whether the set reaches site id (a set of every site reaches all). */
static inline bool store_site_set_has(const store_site_set *sites, int64_t id)
{
  if (!sites || sites->count == 0)
    return true;
  for (int i = 0; i < sites->count; i++)
    if (sites->id[i] == id)
      return true;
  return false;
}

typedef struct {
  /* status: one status, or "open" (submitted to on site) or "done"
   * (completed, return visit, closed). */
  const char *status, *category, *urgency, *building;
  bool overdue_only;
  int64_t from, to;                 /* created_at range, 0 = open */
  int64_t technician_id;            /* 0 = any */
  int64_t changed_before;           /* 0 = any; else last changed before this */
  bool follow_up_only;              /* a return visit scored 1-2 (kiosk or call), not closed */
  const lobby_search *search;       /* NULL or kind NONE: no search */
  bool by_priority;                 /* open overdue, open emergency, other open (each by
                                       due time), then the rest newest first; else newest
                                       first */
  int limit;                        /* 0: 500 */
  int offset;                       /* rows skipped, in the order above */
  const store_site_set *sites;      /* NULL or count 0: every site */
} store_repair_filter;

/* Counts over everything that matches a filter, never a page of it:
 * `total` matches the whole filter; the others match the filter without
 * its state conditions (status, overdue_only, follow_up_only), so the
 * console's cards keep their numbers while one of them is chosen. */
typedef struct {
  int64_t total;
  int64_t submitted;    /* waiting to be accepted */
  int64_t open;         /* submitted, accepted, dispatched, on site */
  int64_t overdue;      /* open and past due (as overdue_only) */
  int64_t emergency;    /* open emergencies */
  int64_t in_progress;  /* accepted, dispatched, on site */
  int64_t completed;    /* completed, return visit, closed */
  int64_t today;        /* created at or after the filter's today_from */
} store_repair_counts;

/* Which audit entries to list, newest first.  actor: one name exactly;
 * action: an action ("account.disable") or the kind before its dot
 * ("account"); from..to: at >= from and at < to (0: open).  before_id pages
 * (0: from the newest); limit is 1..STORE_AUDIT_PAGE_MAX. */
#define STORE_AUDIT_PAGE_MAX 500
typedef struct {
  const char *actor;   /* NULL: anyone */
  const char *action;  /* NULL: any */
  int64_t from, to;
  int64_t before_id;
  int limit;
  int64_t *total;      /* non-NULL: set to how many match, whatever the page */
} store_audit_filter;

#endif
