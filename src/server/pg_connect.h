/* How every libpq connection of lobbyd is made (the store's pool, the
 * change listener, the shared rate limits). */
#ifndef LOBBYD_PG_CONNECT_H
#define LOBBYD_PG_CONNECT_H

#include <libpq-fe.h>

/* Connects to dsn (a URI or key=value string) with lobbyd's defaults,
 * which the dsn's own settings override: give up connecting after 5 s,
 * and TCP keepalives and a 30 s TCP user timeout, so a database machine
 * that vanished (no FIN, no RST) fails the connection within about half a
 * minute instead of holding a thread forever.  Returns the connection
 * whatever its status (NULL only without memory); check PQstatus. */
PGconn *pg_connect_open(const char *dsn);

#endif
