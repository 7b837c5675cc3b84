/* lobbyd's libpq connections (pg_connect.h). */
#include "pg_connect.h"

#include <stddef.h>

PGconn *pg_connect_open(const char *dsn)
{
  /* Earlier keywords are defaults: the expanded dbname (the dsn) comes
   * last, so whatever it sets wins. */
  const char *const keys[] = {"connect_timeout", "keepalives", "keepalives_idle",
                              "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                              "application_name", "dbname", NULL};
  const char *const values[] = {"5", "1", "10", "5", "3", "30000", "lobbyd", dsn, NULL};
  return PQconnectdbParams(keys, values, 1);
}
