/* Records as the API shows them, shaped the same way by either store
 * (store_sqlite_*.c, store_pg_*.c): what turns a row into the answer's
 * shape lives here once, so the two stores cannot drift apart. */
#ifndef LOBBYD_STORE_RECORDS_H
#define LOBBYD_STORE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_complaint.h"
#include "lobby_error.h"

/* "v_" and 16 hex digits of randomness, and its NUL. */
#define STORE_VISIT_ID_LEN 20

/* A new visit id, unguessable (libsodium's randombytes). */
void store_visit_id_new(char out[STORE_VISIT_ID_LEN]);

/* Staff see a notice's target as one object, as they send it: the row's
 * target_type and target_value become "target". */
void store_notice_nest_target(json_t *n);

/* Adds "overdue" to a repair row, by the rule of repair_overdue(). */
void store_repair_mark_overdue(json_t *r, int64_t now);

/* Staff records show the unit as the object the API takes: the row's
 * building, unit and room become "unit". */
void store_repair_nest_unit(json_t *r);

/* ---- complaints (store_sqlite_complaints.c, store_pg_complaints.c) ---- */

/* The staff row of a complaint, a new object in the API's order, from a
 * store row with the columns number, site, kind, category, status,
 * description, building, unit, room, name, phone, source, responsible,
 * reply, replied_at, reply_due_at, satisfaction, created_at and
 * updated_at: "unit" nested ({building, unit, room}, null when the row
 * has no building) and "overdue" by complaint_overdue().  Other columns
 * (an id) are left out. */
json_t *store_complaint_shape(const json_t *row, int64_t now);

/* What a public screen may show of the same row (complaint lookup): no
 * name, phone, unit or site. */
json_t *store_complaint_public_shape(const json_t *row);

/* Leaves out the null details (note, responsible, reply, satisfaction,
 * comment) of each event of an array, so each reads cleanly. */
void store_events_drop_nulls(json_t *events);

/* What the monthly complaint figures are made of, read by each store in
 * one snapshot; store_complaint_summary_shape turns them into the
 * answer, so both stores round and order alike. */
typedef struct {
  int64_t by_kind[COMPLAINT_KIND_COUNT];
  json_t *by_category;           /* {"category": count}, only those with rows; taken */
  const int64_t *reply_seconds;  /* seconds from filing to the first reply, ascending */
  size_t replied;                /* how many reply_seconds */
  int64_t replied_on_time;       /* first reply no later than reply_due_at */
  int64_t complaints_replied;    /* of kind complaint */
  int64_t complaints_visited;    /* of kind complaint, with a return visit */
  int64_t satisfaction[COMPLAINT_SATISFACTION_COUNT]; /* of the latest return visit */
} store_complaint_figures;

/* {"total", "by_kind" (every kind), "by_category", "reply_minutes_median"
 * (whole minutes, halves up; null when none replied), "replied",
 * "replied_on_time", "on_time_rate", "return_visit_rate" (three
 * decimals; null when nothing to divide by), "satisfaction" (every
 * value)}.  NULL when out of memory. */
json_t *store_complaint_summary_shape(store_complaint_figures *f);

/* The SQL condition " AND <column> IN (1,2)" that keeps a query to the
 * count sites of ids (a store_site_set's), "" for every site (count 0);
 * with or_null, rows whose column is NULL (notices for every site) pass
 * too.  The ids are integers the store itself handed out, so they are
 * written into the text, which both stores then prepare.  LOBBY_EINVAL
 * when count is over STORE_SITE_CLAUSE_IDS or the text does not fit. */
#define STORE_SITE_CLAUSE_IDS 32
#define STORE_SITE_CLAUSE_SIZE (STORE_SITE_CLAUSE_IDS * 21 + 96)
lobby_err store_site_ids_clause(const int64_t *ids, int count, const char *column, bool or_null,
                                char *out, size_t size);
/* The same for a store_site_set pointer, NULL for every site. */
#define store_site_clause(sites, column, or_null, out, size)                          \
  store_site_ids_clause((sites) ? (sites)->id : NULL, (sites) ? (sites)->count : 0, \
                        column, or_null, out, size)

/* Writes sql_template into out with its one "{sites}" replaced by the
 * clause; LOBBY_ETOOBIG when it does not fit, LOBBY_EINVAL without the
 * marker.  (Templates are this program's constants, never input.) */
lobby_err store_sql_with_sites(const char *sql_template, const char *clause, char *out,
                               size_t size);

#endif
