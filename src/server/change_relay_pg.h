/* Changes shared by every lobbyd instance on one PostgreSQL database.
 *
 * Each instance announces the changes it commits with NOTIFY on the
 * channel lobby_change, numbered by one database sequence, and LISTENs on
 * its own connection for the others': a notice posted through one
 * instance wakes the kiosks long-polling any other, and a console sees
 * the same counters whichever instance answers it.  A listener that lost
 * its connection treats everything as changed once it is back, since it
 * may have missed notifications meanwhile. */
#ifndef LOBBYD_CHANGE_RELAY_PG_H
#define LOBBYD_CHANGE_RELAY_PG_H

#include "events.h"

typedef struct change_relay change_relay;

/* Connects, starts the listening thread and installs the relay in ev.
 * LOBBY_EUNAVAIL when the database cannot be reached. */
lobby_err change_relay_pg_start(const char *dsn, console_events *ev, change_relay **out);
/* Uninstalls the relay from ev, stops the thread and disconnects; NULL is
 * ignored. */
void change_relay_pg_stop(change_relay *r);

/* The wire form of one change, as NOTIFY carries it (without the sequence
 * number, which the database adds): "ORIGIN TOPICS FEED ALL VISIT".
 * Exposed for the tests. */
#define CHANGE_RELAY_PAYLOAD_LEN 96
void change_relay_format(const char *origin, const lobby_change *c,
                         char out[CHANGE_RELAY_PAYLOAD_LEN]);
/* Parses "ORIGIN SEQ TOPICS FEED ALL VISIT"; LOBBY_EINVAL for anything
 * else.  origin receives at most 16 characters. */
lobby_err change_relay_parse(const char *payload, char origin[17], uint64_t *seq,
                             lobby_change *out);

#endif
