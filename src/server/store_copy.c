/* `lobbyd migrate`'s engine: every row of a SQLite database copied into a
 * PostgreSQL one, in one PostgreSQL transaction, then counted on both
 * sides.  The PostgreSQL schema has the SQLite schema's tables and columns
 * (store_pg_schema.c), so rows go across column by column with COPY. */
#include "store_copy.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lobby_text.h"
#include "pg_connect.h"
#include "store_sqlite_internal.h"

/* Parents before children, so foreign keys hold at every row.  Not
 * copied: `screenshots`, whose rows live [screenshots] keep_seconds and
 * whose pictures stay in the photo directory. */
static const char *const tables[STORE_COPY_TABLES] = {
  "sites", "buildings", "units", "rooms", "staff", "staff_sites", "kiosks", "tokens", "notices",
  "repairs", "repair_events", "repair_photos", "ticket_seq", "complaints", "complaint_events", "complaint_seq",
  "releases", "release_events", "release_seq", "renovations", "renovation_events",
  "renovation_seq", "worker_passes", "worker_attendance", "worker_refusals", "visits", "invites",
  "rollcall_marks", "idempotency", "sessions", "audit", "settings", "health", "calendar_days",
  "calendar_years",
};

/* Tables whose id is an identity column: its sequence must continue
 * after the copied ids. */
static const char *const identity_tables[] = {"sites", "staff", "kiosks", "notices", "repairs",
                                              "repair_events", "repair_photos", "complaints",
                                              "complaint_events", "releases", "release_events", "renovations",
                                              "renovation_events", "worker_passes",
                                              "worker_attendance", "worker_refusals", "audit"};

/* A lobbyd that once started on the target seeded the shipped calendar
 * there, so these rows are not taken for data that a copy would lose.
 * The copy replaces them with the source's calendar: the SQLite
 * deployment is the one being moved, and its admins' holiday and make-up
 * day edits (and the years it already seeded, so a start-up on
 * PostgreSQL does not seed them again) must come across as they are. */
static bool seeded_at_start(const char *table)
{
  return strcmp(table, "calendar_days") == 0 || strcmp(table, "calendar_years") == 0;
}

/* The rows of the target that are not data: the first site as the
 * schema made it, which the copy replaces with SQLite's. */
#define PG_SCHEMA_ROWS                                                          \
  "SELECT COUNT(*) FROM sites WHERE id = 1 AND code = 'main' AND name = '' "   \
  "AND service_phone = '' AND workday_start_min IS NULL AND workday_end_min IS NULL "  \
  "AND auto_checkout_hours IS NULL AND retention_days IS NULL"

/* A growable buffer for one COPY row. */
typedef struct {
  char *data;
  size_t len, cap;
} row_buf;

static bool buf_put(row_buf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *grown = realloc(b->data, cap);
    if (!grown)
      return false;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  return true;
}

/* COPY's text format: backslash, tab, newline and carriage return are
 * escaped; anything else goes as it is. */
static bool put_text(row_buf *b, const unsigned char *s, size_t n)
{
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++) {
    switch (s[i]) {
    case '\\': ok = buf_put(b, "\\\\", 2); break;
    case '\t': ok = buf_put(b, "\\t", 2); break;
    case '\n': ok = buf_put(b, "\\n", 2); break;
    case '\r': ok = buf_put(b, "\\r", 2); break;
    default: ok = buf_put(b, (const char *)&s[i], 1);
    }
  }
  return ok;
}

/* A blob as bytea's hex input, its backslash escaped for COPY. */
static bool put_blob(row_buf *b, const unsigned char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  bool ok = buf_put(b, "\\\\x", 3);
  for (size_t i = 0; ok && i < n; i++) {
    char pair[2] = {hex[s[i] >> 4], hex[s[i] & 15]};
    ok = buf_put(b, pair, 2);
  }
  return ok;
}

static bool put_value(row_buf *b, sqlite3_stmt *q, int col)
{
  switch (sqlite3_column_type(q, col)) {
  case SQLITE_NULL:
    return buf_put(b, "\\N", 2);
  case SQLITE_BLOB:
    return put_blob(b, sqlite3_column_blob(q, col), (size_t)sqlite3_column_bytes(q, col));
  default:
    return put_text(b, sqlite3_column_text(q, col), (size_t)sqlite3_column_bytes(q, col));
  }
}

static bool put_row(row_buf *b, sqlite3_stmt *q)
{
  int n = sqlite3_column_count(q);
  b->len = 0;
  for (int i = 0; i < n; i++)
    if ((i > 0 && !buf_put(b, "\t", 1)) || !put_value(b, q, i))
      return false;
  return buf_put(b, "\n", 1);
}

/* "COPY t (a, b, c) FROM STDIN" with the source statement's columns. */
static lobby_err copy_command(sqlite3_stmt *q, const char *table, char *out, size_t size)
{
  size_t used = (size_t)snprintf(out, size, "COPY %s (", table);
  for (int i = 0; i < sqlite3_column_count(q) && used < size; i++)
    used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
                             sqlite3_column_name(q, i));
  if (used < size)
    used += (size_t)snprintf(out + used, size - used, ") FROM STDIN");
  return used < size ? LOBBY_OK : LOBBY_ETOOBIG;
}

static lobby_err pg_ok(PGconn *pg, PGresult *res, ExecStatusType want, char *why, size_t size)
{
  lobby_err err = res && PQresultStatus(res) == want ? LOBBY_OK : LOBBY_EIO;
  if (err != LOBBY_OK)
    lobby_explain(why, size, "postgresql: %s", PQerrorMessage(pg));
  PQclear(res);
  return err;
}

/* Sends every row of q into the COPY already started; then ends it. */
static lobby_err copy_rows(PGconn *pg, sqlite3_stmt *q, char *why, size_t size)
{
  row_buf b = {0};
  int rc;
  lobby_err err = LOBBY_OK;
  while (err == LOBBY_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (!put_row(&b, q))
      err = LOBBY_ENOMEM;
    else if (PQputCopyData(pg, b.data, (int)b.len) != 1)
      err = LOBBY_EIO;
  }
  if (err == LOBBY_OK && rc != SQLITE_DONE)
    err = LOBBY_EIO;
  free(b.data);
  if (PQputCopyEnd(pg, err == LOBBY_OK ? NULL : "the source could not be read") != 1 &&
      err == LOBBY_OK)
    err = LOBBY_EIO;
  lobby_err end = pg_ok(pg, PQgetResult(pg), PGRES_COMMAND_OK, why, size);
  while (PQgetResult(pg))   /* drain: COPY leaves a final NULL */
    ;
  if (err != LOBBY_OK && !why[0])
    lobby_explain(why, size, "reading the SQLite database failed");
  return err != LOBBY_OK ? err : end;
}

static lobby_err copy_table(sqlite3 *src, PGconn *pg, const char *table, char *why, size_t size)
{
  char sql[128], command[1024];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
  if (sqlite3_prepare_v2(src, sql, -1, &q, NULL) != SQLITE_OK) {
    lobby_explain(why, size, "sqlite: %s", sqlite3_errmsg(src));
    return LOBBY_EIO;
  }
  lobby_err err = copy_command(q, table, command, sizeof command);
  if (err == LOBBY_OK)
    err = pg_ok(pg, PQexec(pg, command), PGRES_COPY_IN, why, size);
  if (err == LOBBY_OK)
    err = copy_rows(pg, q, why, size);
  sqlite3_finalize(q);
  if (err != LOBBY_OK && strncmp(why, "table ", 6) != 0) {
    char inner[256];
    snprintf(inner, sizeof inner, "%s", why);
    lobby_explain(why, size, "table %s: %s", table, inner);
  }
  return err;
}

static lobby_err sqlite_count(sqlite3 *db, const char *table, int64_t *out)
{
  char sql[128];
  sqlite3_stmt *q;
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
    return LOBBY_EIO;
  lobby_err err = sqlite3_step(q) == SQLITE_ROW ? LOBBY_OK : LOBBY_EIO;
  *out = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return err;
}

static lobby_err pg_query_count(PGconn *pg, const char *sql, int64_t *out)
{
  PGresult *res = PQexec(pg, sql);
  lobby_err err = res && PQresultStatus(res) == PGRES_TUPLES_OK ? LOBBY_OK : LOBBY_EIO;
  if (err == LOBBY_OK)
    *out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  PQclear(res);
  return err;
}

static lobby_err pg_count(PGconn *pg, const char *table, int64_t *out)
{
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  return pg_query_count(pg, sql, out);
}

/* Refuses a target that holds data, unless replace; then empties it,
 * the schema's first site and a seeded calendar included, for SQLite's
 * rows to take their place. */
static lobby_err prepare_target(PGconn *pg, bool replace, char *why, size_t size)
{
  int64_t rows = 0, n;
  for (int i = 0; i < STORE_COPY_TABLES; i++) {
    if (seeded_at_start(tables[i]))
      continue;
    if (pg_count(pg, tables[i], &n) != LOBBY_OK) {
      lobby_explain(why, size, "postgresql: %s", PQerrorMessage(pg));
      return LOBBY_EIO;
    }
    rows += n;
  }
  if (pg_query_count(pg, PG_SCHEMA_ROWS, &n) != LOBBY_OK) {
    lobby_explain(why, size, "postgresql: %s", PQerrorMessage(pg));
    return LOBBY_EIO;
  }
  rows -= n;
  if (rows > 0 && !replace) {
    lobby_explain(why, size, "the PostgreSQL database already holds %lld rows; migrate into an empty "
                  "database, or give --replace to delete what it holds first", (long long)rows);
    return LOBBY_EDUP;
  }
  char sql[512] = "TRUNCATE ";
  for (int i = 0; i < STORE_COPY_TABLES; i++) {
    size_t used = strlen(sql);
    snprintf(sql + used, sizeof sql - used, "%s%s", i ? ", " : "", tables[i]);
  }
  size_t used = strlen(sql);
  snprintf(sql + used, sizeof sql - used, " RESTART IDENTITY CASCADE");
  return pg_ok(pg, PQexec(pg, sql), PGRES_COMMAND_OK, why, size);
}

static lobby_err continue_identities(PGconn *pg, char *why, size_t size)
{
  lobby_err err = LOBBY_OK;
  for (size_t i = 0; err == LOBBY_OK && i < sizeof identity_tables / sizeof *identity_tables; i++) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
             "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM %s", identity_tables[i],
             identity_tables[i]);
    err = pg_ok(pg, PQexec(pg, sql), PGRES_TUPLES_OK, why, size);
  }
  return err;
}

static lobby_err verify_counts(sqlite3 *src, PGconn *pg, store_copy_report *out, char *why,
                               size_t size)
{
  for (int i = 0; i < STORE_COPY_TABLES; i++) {
    out->table[i] = tables[i];
    if (sqlite_count(src, tables[i], &out->source_rows[i]) != LOBBY_OK ||
        pg_count(pg, tables[i], &out->target_rows[i]) != LOBBY_OK) {
      lobby_explain(why, size, "counting the rows of %s failed", tables[i]);
      return LOBBY_EIO;
    }
    if (out->source_rows[i] != out->target_rows[i]) {
      lobby_explain(why, size, "%s: %lld rows in SQLite but %lld in PostgreSQL", tables[i],
                    (long long)out->source_rows[i], (long long)out->target_rows[i]);
      return LOBBY_EIO;
    }
  }
  return LOBBY_OK;
}

static lobby_err copy_all(sqlite3 *src, PGconn *pg, bool replace, store_copy_report *out,
                          char *why, size_t size)
{
  lobby_err err = pg_ok(pg, PQexec(pg, "BEGIN"), PGRES_COMMAND_OK, why, size);
  if (err == LOBBY_OK)
    err = prepare_target(pg, replace, why, size);
  for (int i = 0; err == LOBBY_OK && i < STORE_COPY_TABLES; i++)
    err = copy_table(src, pg, tables[i], why, size);
  if (err == LOBBY_OK)
    err = continue_identities(pg, why, size);
  if (err == LOBBY_OK)
    err = verify_counts(src, pg, out, why, size);
  if (err == LOBBY_OK)
    return pg_ok(pg, PQexec(pg, "COMMIT"), PGRES_COMMAND_OK, why, size);
  PQclear(PQexec(pg, "ROLLBACK"));
  return err;
}

/* Both schemas current: the SQLite file migrated (with its
 * pre-migration copy kept, as at any start), the PostgreSQL one made. */
static lobby_err bring_schemas_up(const char *sqlite_path, const char *dsn, char *why, size_t size)
{
  lobby_store *st;
  if (access(sqlite_path, R_OK) != 0) {
    lobby_explain(why, size, "no SQLite database at %s", sqlite_path);
    return LOBBY_ENOTFOUND;
  }
  lobby_err err = store_sqlite_open(sqlite_path, &st);
  if (err != LOBBY_OK) {
    lobby_explain(why, size, "cannot open the SQLite database %s (see the log above)", sqlite_path);
    return err;
  }
  st->ops->close(st);
  err = store_pg_open(dsn, &st);
  if (err != LOBBY_OK) {
    lobby_explain(why, size, "cannot open the PostgreSQL database (see the log above)");
    return err;
  }
  st->ops->close(st);
  return LOBBY_OK;
}

lobby_err store_copy_sqlite_to_pg(const char *sqlite_path, const char *dsn, bool replace,
                                  store_copy_report *out, char *why, size_t why_size)
{
  int lock_fd = -1;
  sqlite3 *src = NULL;
  PGconn *pg = NULL;
  why[0] = '\0';
  memset(out, 0, sizeof *out);
  /* A running lobbyd would write rows the copy misses: refuse first. */
  lobby_err err = sq__lock_exclusive(sqlite_path, &lock_fd, why, why_size);
  if (lock_fd >= 0)
    close(lock_fd);
  if (err == LOBBY_OK)
    err = bring_schemas_up(sqlite_path, dsn, why, why_size);
  if (err == LOBBY_OK)
    err = sq__lock_exclusive(sqlite_path, &lock_fd, why, why_size);
  if (err == LOBBY_OK && sqlite3_open_v2(sqlite_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    lobby_explain(why, why_size, "cannot read %s: %s", sqlite_path, src ? sqlite3_errmsg(src) : "no memory");
    err = LOBBY_EIO;
  }
  if (err == LOBBY_OK) {
    pg = pg_connect_open(dsn);
    if (PQstatus(pg) != CONNECTION_OK) {
      lobby_explain(why, why_size, "cannot connect to PostgreSQL: %s", PQerrorMessage(pg));
      err = LOBBY_EUNAVAIL;
    }
  }
  if (err == LOBBY_OK)
    err = copy_all(src, pg, replace, out, why, why_size);
  PQfinish(pg);
  sqlite3_close(src);
  if (lock_fd >= 0)
    close(lock_fd);
  return err;
}
