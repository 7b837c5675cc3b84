/* How every libpq connection of lobbyd is made (the store's pool, the
 * change listener, the shared rate limits). */
#ifndef LOBBYD_PG_CONNECT_H
#define LOBBYD_PG_CONNECT_H

#include <libpq-fe.h>
#include <stdint.h>

/* Connects to dsn (a URI or key=value string) with lobbyd's defaults,
 * which the dsn's own settings override: give up connecting after 5 s,
 * and TCP keepalives and a 30 s TCP user timeout, so a database machine
 * that vanished (no FIN, no RST) fails the connection within about half a
 * minute instead of holding a thread forever.  Returns the connection
 * whatever its status (NULL only without memory); check PQstatus. */
PGconn *pg_connect_open(const char *dsn);


/* A connection's outage, for its log lines: the first failed attempt is
 * logged as an error, then one line a minute while attempts keep failing,
 * and one when a connection is made again, however often it is tried.
 * Zero-initialised; the caller serialises calls on one. */
typedef struct {
  int64_t since_ms;       /* CLOCK_MONOTONIC of the first failure, 0: up */
  int64_t logged_ms;
  unsigned attempts;
} pg_connect_outage;

/* who names the connection in the log ("postgresql", "change relay"). */
void pg_connect_failed(pg_connect_outage *o, const char *who, const PGconn *c);
void pg_connect_succeeded(pg_connect_outage *o, const char *who);

#endif
