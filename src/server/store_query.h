/* A statement built with only the conditions a filter sets, in either
 * store's placeholders (?N or $N), and run by the store that asked for it
 * through a store_query_runner.  The repair list (store_repair_query.c)
 * and the audit log (store_audit_query.c) are built this way, so that each
 * planner can use its indexes: "(? IS NULL OR column = ?)" for every field
 * makes both SQLite and PostgreSQL read the whole table.
 *
 * Invariant: every value in a statement is a placeholder bound from argv,
 * except what the builders write as fixed text (site ids, status names). */
#ifndef LOBBYD_STORE_QUERY_H
#define LOBBYD_STORE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_error.h"
#include "store_records.h"

#define STORE_QUERY_ARGS 24
#define STORE_QUERY_SQL_SIZE (3072 + STORE_SITE_CLAUSE_SIZE)

typedef struct {
  bool is_text;
  const char *text;   /* NULL binds SQL NULL */
  int64_t num;
} store_query_arg;

/* One statement: its text and the values of its placeholders, in order. */
typedef struct {
  char sql[STORE_QUERY_SQL_SIZE];
  size_t len;
  bool dollar;        /* PostgreSQL's $1, else SQLite's ?1 */
  int argc;
  store_query_arg argv[STORE_QUERY_ARGS];
  bool overflow;      /* the text or the values did not fit */
  bool searching;     /* a search term narrows it to a few tickets */
} store_query;

/* How a store runs a statement: rows as JSON objects (columns by name). */
typedef struct {
  void *ctx;
  bool dollar;
  lobby_err (*rows)(void *ctx, const store_query *q, json_t **out);
} store_query_runner;

void store_query_init(store_query *q, bool dollar);
/* Appends fixed text (never a value from outside). */
void store_query_put(store_query *q, const char *text);
/* Appends the next placeholder, bound to a text (NULL: SQL NULL) or a number. */
void store_query_arg_text(store_query *q, const char *value);
void store_query_arg_int(store_query *q, int64_t value);
/* " AND <sql><placeholder>" */
void store_query_and_text(store_query *q, const char *sql, const char *value);
void store_query_and_int(store_query *q, const char *sql, int64_t value);
/* Runs q: LOBBY_EINVAL when it overflowed, else the runner's answer. */
lobby_err store_query_rows(const store_query_runner *run, const store_query *q, json_t **out);
/* Runs q, whose one row has the column "n": that count. */
lobby_err store_query_count(const store_query_runner *run, const store_query *q, int64_t *n);

#endif
