/* Moving a deployment from SQLite to PostgreSQL (`lobbyd migrate`). */
#ifndef LOBBYD_STORE_COPY_H
#define LOBBYD_STORE_COPY_H

#include <stdbool.h>
#include <stdint.h>
#include "store.h"

#define STORE_COPY_TABLES 35

/* Rows per table on each side once the copy is done. */
typedef struct {
  const char *table[STORE_COPY_TABLES];
  int64_t source_rows[STORE_COPY_TABLES];
  int64_t target_rows[STORE_COPY_TABLES];
} store_copy_report;

/* Copies every table of the SQLite database at sqlite_path into the
 * PostgreSQL database at dsn, in one transaction, and checks that each
 * table then has as many rows on both sides: all of it lands, or none.
 * The SQLite file is first brought to the current schema (keeping its
 * pre-migration copy) and must not be open in a running lobbyd
 * (LOBBY_ECONFLICT).  A target holding any row is refused (LOBBY_EDUP)
 * unless replace, which empties it first; the calendar a lobbyd seeded
 * there at start-up does not count, and the source's replaces it.  why
 * says what failed. */
lobby_err store_copy_sqlite_to_pg(const char *sqlite_path, const char *dsn, bool replace,
                                  store_copy_report *out, char *why, size_t why_size);

#endif
