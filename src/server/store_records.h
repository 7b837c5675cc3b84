/* Records as the API shows them, shaped the same way by either store
 * (store_sqlite_*.c, store_pg_*.c): what turns a row into the answer's
 * shape lives here once, so the two stores cannot drift apart. */
#ifndef LOBBYD_STORE_RECORDS_H
#define LOBBYD_STORE_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_error.h"
#include "store.h"

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

/* The SQL condition " AND <column> IN (1,2)" that keeps a query to the
 * sites of the set, "" for every site; with or_null, rows whose column is
 * NULL (notices for every site) pass too.  The ids are integers the store
 * itself handed out, so they are written into the text, which both
 * stores then prepare.  LOBBY_EINVAL when it does not fit. */
#define STORE_SITE_CLAUSE_SIZE (STORE_SITES_MAX * 21 + 96)
lobby_err store_site_clause(const store_site_set *sites, const char *column, bool or_null,
                            char *out, size_t size);

/* A set of one site. */
store_site_set store_site_one(int64_t id);

/* Whether the set reaches site id (a set of every site reaches all). */
bool store_site_set_has(const store_site_set *sites, int64_t id);

#endif
