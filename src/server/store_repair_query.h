/* The repair list's statements, built with the conditions a filter sets
 * and nothing else, so that each store's planner can use its indexes: a
 * filter written "(? IS NULL OR column = ?)" for every field makes both
 * SQLite and PostgreSQL read the whole table (100,000 tickets: 66 ms for
 * the counts alone, where the status index answers in 1).  One builder
 * serves both stores; only the placeholders differ (?N or $N), and each
 * store runs the statements through its own store_query_runner.
 *
 * Invariant: every value in a statement is a placeholder bound from
 * argv, except the site ids (store_site_clause) and fixed status names. */
#ifndef LOBBYD_STORE_REPAIR_QUERY_H
#define LOBBYD_STORE_REPAIR_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_error.h"
#include "store_query.h"
#include "store_records.h"
#include "store_types.h"

/* The repair rows of a page of f, as REPAIR_STAFF_COLUMNS names them, in
 * f's order; the rows are not yet shaped (store_repair_nest_unit). */
lobby_err store_repair_list_run(const store_query_runner *run, const store_repair_filter *f,
                                int64_t now, json_t **out);
/* The counts of f (store_repair_counts). */
lobby_err store_repair_counts_run(const store_query_runner *run, const store_repair_filter *f,
                                  int64_t now, int64_t today_from, store_repair_counts *out);

/* A repair as staff see it, for both stores' statements.  sla_done_at is
 * when the promise was kept or broken (null while it runs): the first
 * on_site of an emergency, the first complete of the rest, as
 * repair_overdue() counts them; against due_at it says met or missed. */
#define STORE_REPAIR_STAFF_COLUMNS                                              \
  "r.id, r.ticket, r.status, r.building, r.unit, r.room, r.name, r.phone, "     \
  "r.category, r.kind, r.urgency, r.window_from AS window_from_at, "            \
  "r.window_to AS window_to_at, r.description, r.source, r.source_detail, "     \
  "r.technician_id, (SELECT name FROM staff WHERE id = r.technician_id) AS technician, " \
  "(SELECT name FROM staff WHERE id = r.first_contact_id) AS first_contact, "   \
  "r.satisfaction, r.created_at, r.due_at, r.updated_at, r.follow_up_at, "     \
  "(SELECT MIN(e.at) FROM repair_events e WHERE e.repair_id = r.id AND e.event = " \
  "CASE WHEN r.urgency = 'emergency' THEN 'on_site' ELSE 'complete' END) AS sla_done_at, " \
  "(SELECT code FROM sites WHERE sites.id = r.site_id) AS site, r.taken_at, "     \
  "(SELECT count(*) FROM repair_photos p WHERE p.repair_id = r.id) AS photo_count, " \
  "(SELECT e.event FROM repair_events e WHERE e.repair_id = r.id "                \
  " ORDER BY e.id DESC LIMIT 1) AS last_event"

/* A repair as its follow page shows it (store.h repair_follow), found by
 * its follow token, bound as P ("?" or "$1"): nothing of the resident
 * but the phone's last four digits, the site's name and service phone,
 * and closed_at, the time of the close or cancel that ended it. */
#define STORE_REPAIR_FOLLOW_SQL(P)                                              \
  "SELECT r.id, r.ticket, r.status, r.category, r.urgency, r.created_at, "      \
  "r.due_at, r.window_from, r.window_to, r.phone_last4, r.satisfaction, "       \
  "(SELECT MIN(e.at) FROM repair_events e WHERE e.repair_id = r.id AND e.event = " \
  "CASE WHEN r.urgency = 'emergency' THEN 'on_site' ELSE 'complete' END) AS sla_done_at, " \
  "(SELECT MAX(e.at) FROM repair_events e WHERE e.repair_id = r.id "           \
  " AND e.event IN ('close', 'cancel')) AS closed_at, "                          \
  "s.name AS site_name, s.service_phone AS site_phone "                         \
  "FROM repairs r JOIN sites s ON s.id = r.site_id WHERE r.follow_token = " P

/* Records an event's effect on the ticket's row, in either store's
 * parameter syntax (P: "?" or "$"): 1 status, 2 now, 3 the technician
 * dispatched (0: none), 4 satisfaction (0: none), 5 who (NULL: a kiosk),
 * 6 the row's id, 7 whether the score asks for a follow-up, 8 the event's
 * name.  Take notes when the job was taken; dispatch and decline clear
 * that, and decline hands the ticket back with no technician. */
#define STORE_REPAIR_APPLY_EVENT(P)                                             \
  "UPDATE repairs SET status = " P "1, updated_at = " P "2, "                   \
  "technician_id = CASE WHEN " P "8 = 'decline' THEN NULL "                     \
  "  WHEN CAST(" P "3 AS BIGINT) > 0 THEN " P "3 ELSE technician_id END, "      \
  "taken_at = CASE " P "8 WHEN 'take' THEN CAST(" P "2 AS BIGINT) "             \
  "  WHEN 'dispatch' THEN NULL WHEN 'decline' THEN NULL ELSE taken_at END, "    \
  "satisfaction = CASE WHEN CAST(" P "4 AS INTEGER) > 0 THEN " P "4 ELSE satisfaction END, " \
  "follow_up_at = CASE WHEN CAST(" P "7 AS INTEGER) <> 0 THEN CAST(" P "2 AS BIGINT) " \
  "  ELSE follow_up_at END, "                                                   \
  "first_contact_id = COALESCE(first_contact_id, CAST(" P "5 AS BIGINT)) WHERE id = " P "6"

#endif
