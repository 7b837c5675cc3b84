/* Records as the API shows them, shaped the same way by either store
 * (store_sqlite_*.c, store_pg_*.c): what turns a row into the answer's
 * shape lives here once, so the two stores cannot drift apart. */
#ifndef LOBBYD_STORE_RECORDS_H
#define LOBBYD_STORE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_error.h"
#include "lobby_search.h"
#include "store_types.h"

/* "v_" and 16 hex digits of randomness, and its NUL. */
#define STORE_VISIT_ID_LEN 20

/* A new visit id, unguessable (libsodium's randombytes). */
void store_visit_id_new(char out[STORE_VISIT_ID_LEN]);

/* Staff see a notice's target as one object, as they send it: the row's
 * target_type and target_value become "target". */
void store_notice_nest_target(json_t *n);

/* The columns a notice's picture is kept in, as both stores select them;
 * store_notice_nest_image turns them into the record's "image". */
#define STORE_NOTICE_IMAGE_COLUMNS                                              \
  "image_file, image_sha256, image_upload_sha256, image_width, image_height, image_bytes"

/* A notice picture's ETag: the first 32 hex digits of its kept JPEG's
 * SHA-256, the digits that also name its file (photo_store.h). */
#define STORE_NOTICE_ETAG_LEN 32

/* The ETag of the picture whose kept JPEG has this SHA-256 in hex;
 * LOBBY_EINVAL for a digest too short. */
lobby_err store_notice_etag_of(const char *sha256, char etag[STORE_NOTICE_ETAG_LEN + 1]);

/* The row's picture columns become "image": {url, etag, width, height}
 * (staff also see bytes and the upload's sha256), or, for a notice
 * without one, null for staff and no member at all in a kiosk's feed, so
 * the feed of a text-only notice is what it was before pictures. */
void store_notice_nest_image(json_t *n, bool staff);

/* Whether a staff record's picture is the one whose kept JPEG has this
 * SHA-256 (its ETag; NULL: whether it has none). */
bool store_notice_image_is(const json_t *n, const char *sha256);

/* Adds "overdue" to a repair row, by the rule of repair_overdue(). */
void store_repair_mark_overdue(json_t *r, int64_t now);

/* A visit as its pass page shows it (store.h visit_follow), found by its
 * follow token bound as P: the pass code only while the pass is live;
 * ended_at once it is over (signed out, refused or cancelled). */
#define STORE_VISIT_FOLLOW_SQL(P)                                               \
  "SELECT v.id, v.state, v.name, v.host, v.party_size, "                       \
  "CASE WHEN v.state = 'approved' THEN v.pass_code END AS pass_code, "          \
  "v.created_at, v.checked_in_at, v.checked_out_at, v.auto_checked_out, "      \
  "CASE WHEN v.state IN ('checked_out', 'refused', 'cancelled') "              \
  "THEN COALESCE(v.checked_out_at, v.decided_at, v.created_at) END AS ended_at, " \
  "s.name AS site_name, s.service_phone AS site_phone, "                        \
  "s.auto_checkout_hours AS site_auto_checkout_hours "                          \
  "FROM visits v JOIN sites s ON s.id = v.site_id WHERE v.follow_token = " P

/* A complaint as its follow page shows it (store.h complaint_follow),
 * found by its follow token bound as P; store_complaint_follow_finish
 * shapes the row. */
#define STORE_COMPLAINT_FOLLOW_SQL(P)                                           \
  "SELECT c.number, c.kind, c.category, c.status, c.created_at, c.reply_due_at, " \
  "c.reply, c.replied_at, c.satisfaction, c.phone_last4, "                      \
  "(SELECT MAX(e.at) FROM complaint_events e WHERE e.complaint_id = c.id "     \
  " AND e.status = 'closed') AS closed_at, "                                     \
  "s.name AS site_name, s.service_phone AS site_phone "                         \
  "FROM complaints c JOIN sites s ON s.id = c.site_id WHERE c.follow_token = " P
void store_complaint_follow_finish(json_t *c, int64_t now);

/* Drops a row's empty columns (null), as the follow pages read them. */
void store_row_drop_nulls(json_t *r);

/* Shapes a STORE_REPAIR_FOLLOW_SQL row: "overdue" added, the row id and
 * the empty columns (null) dropped, events as "timeline". */
void store_repair_follow_finish(json_t *r, json_t *events, int64_t now);

/* Staff records show the unit as the object the API takes: the row's
 * building, unit and room become "unit". */
void store_repair_nest_unit(json_t *r);

/* A search (lobby_search.h) as the values both stores bind: each NULL
 * when that kind of search was not asked for. */
typedef struct {
  const char *number, *number_end;       /* a number's start; what sorts after it */
  const char *phone, *last4;
  const char *building, *unit, *room;
  /* A name's start: LIKE's pattern (escaped by '\\') and, for a range
   * over an index in byte order, the start and what sorts after every
   * name that begins with it. */
  const char *name_like, *name_from, *name_end;
  char name_buf[2 * LOBBY_SEARCH_MAX + 2], name_end_buf[LOBBY_SEARCH_MAX + 5];
  char number_buf[LOBBY_SEARCH_MAX + 2];
} store_search_terms;

/* The terms of s (NULL or kind NONE: all NULL).  A text search is a
 * name's start, which an index answers (words inside a description would
 * need every ticket read). */
void store_search_terms_of(const lobby_search *s, store_search_terms *out);

/* A visitor log's search as the values both stores bind, each NULL when
 * not asked for: a whole phone, its last four digits (visits keep no
 * column of them, so the stores compare the phone's end), or else any
 * other text as the start of the name, the place visited or the plate,
 * LIKE's pattern escaped by '\\' and matched without regard to ASCII
 * case (a plate typed 京a12345). */
typedef struct {
  const char *phone, *last4, *start_like;
  char like_buf[2 * LOBBY_SEARCH_MAX + 2];
} store_visit_terms;

/* The terms of s (NULL or kind NONE: all NULL). */
void store_visit_terms_of(const lobby_search *s, store_visit_terms *out);


/* Shapes a complaint row as staff see it: the row's building, unit and
 * room become "unit" (null when none was given) and "overdue" is added
 * by the rule of complaint_overdue(). */
void store_complaint_shape(json_t *c, int64_t now);

/* complaint_escalates() in SQL, over complaints' columns, with P the
 * placeholder of now (SQLite's "?1", PostgreSQL's "$1"), and the note of
 * the escalate event: the whole minutes the reply is overdue, in both
 * languages as the timeline shows it.  Both stores use these, so they
 * escalate the same complaints with the same words. */
#define STORE_COMPLAINT_ESCALATES_SQL(P)                                          \
  "escalated_at IS NULL AND reply_due_at < " P " AND status IN "                   \
  "('submitted', 'accepted', 'assigned', 'follow_up')"
#define STORE_COMPLAINT_ESCALATE_NOTE_SQL(P)                                      \
  "'答复超时 ' || ((" P " - reply_due_at) / 60) || ' 分钟 / reply overdue by ' || " \
  "((" P " - reply_due_at) / 60) || ' min'"

/* Shapes a release row as staff see it: building, unit and room become
 * "unit" and "expired" is added by release_expired() at now. */
void store_release_shape(json_t *r, int offset_min, int64_t now);
/* Shapes a release row for a public screen (the look-up): "expired"
 * added, the code kept only while approved and not expired, the reason
 * only for a refused or cancelled pass. */
void store_release_public(json_t *r, int offset_min, int64_t now);

/* Shapes a renovation row as staff see it: building, unit and room
 * become "unit"; "expired" and "ending_soon" are added by
 * renovation_expired() and renovation_ending_soon() at now. */
void store_renovation_shape(json_t *r, int offset_min, int64_t now);
/* Shapes a worker-pass row: its renovation's "renovation_status" and
 * "renovation_end" (dropped after) give "expired" by
 * worker_pass_expired(); "on_site" becomes a boolean; "last_in" and
 * "last_out", epoch seconds or null, become local ISO times (their names
 * do not end in "_at", so the HTTP layer would not). */
void store_worker_shape(json_t *w, int offset_min, int64_t now);

/* Shapes a refused check-in row: worker_id, worker_name and worker_phone
 * become "worker" {id, name, phone}; building, unit and room "unit". */
void store_refusal_shape(json_t *f);

/* Drops the members of each object in the array that are null, so that
 * an event reads cleanly. */
void store_drop_nulls(json_t *events);

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
