/* lobbyd's libpq connections (pg_connect.h). */
#include "pg_connect.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "lobby_log.h"

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

#define OUTAGE_LOG_EVERY_MS 60000

static int64_t monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libpq's message on one log line: its line breaks (it puts a hint on a
 * second, tab-indented line) become spaces, the trailing one goes. */
static void reason_of(const PGconn *c, char *out, size_t size)
{
  snprintf(out, size, "%s", c ? PQerrorMessage(c) : "no memory");
  for (char *p = out; *p; p++)
    if (*p == '\n' || *p == '\t')
      *p = ' ';
  size_t n = strlen(out);
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
    out[--n] = '\0';
}

void pg_connect_failed(pg_connect_outage *o, const char *who, const PGconn *c)
{
  char reason[256];
  int64_t now = monotonic_ms();
  o->attempts++;
  if (o->since_ms == 0) {
    o->since_ms = o->logged_ms = now;
    reason_of(c, reason, sizeof reason);
    LOBBY_ERROR("%s: cannot connect to the database: %s", who, reason);
  } else if (now - o->logged_ms >= OUTAGE_LOG_EVERY_MS) {
    o->logged_ms = now;
    reason_of(c, reason, sizeof reason);
    LOBBY_WARN("%s: still cannot connect after %lld s (%u attempts): %s", who,
               (long long)((now - o->since_ms) / 1000), o->attempts, reason);
  }
}

void pg_connect_succeeded(pg_connect_outage *o, const char *who)
{
  if (o->since_ms != 0)
    LOBBY_INFO("%s: connected to the database again after %lld s", who,
               (long long)((monotonic_ms() - o->since_ms) / 1000));
  *o = (pg_connect_outage){0};
}
