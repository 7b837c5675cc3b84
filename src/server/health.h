/* Whether lobbyd can still do its job, for /healthz: today, whether the
 * database takes writes.  The probe is a real write (store write_probe),
 * run at most every HEALTH_PROBE_INTERVAL_MS whatever the request rate. */
#ifndef LOBBYD_HEALTH_H
#define LOBBYD_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include "lobbyd.h"

#define HEALTH_PROBE_INTERVAL_MS 2000

lobby_err health_create(lobby_health **out);
void health_free(lobby_health *h);

/* True when healthy; otherwise reason says why ("database not writable:
 * …").  Probes when the last result is older than the interval; a caller
 * arriving while another probes gets the last result. */
bool health_check(lobby_health *h, lobby_store *st, char *reason, size_t size);

#endif
