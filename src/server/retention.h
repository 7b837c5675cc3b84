/* The retention sweep with the site's settings: what lobbyd stops
 * keeping, and when ([retention] in lobbyd.ini). */
#ifndef LOBBYD_RETENTION_H
#define LOBBYD_RETENTION_H

#include "config.h"
#include "store.h"

/* The sweep runs at start-up and then at this interval. */
#define RETENTION_INTERVAL_S 3600

/* The cutoffs the configuration gives at now (0 where it keeps all). */
void retention_policy(const lobbyd_config *cfg, int64_t now, store_retention *out);

/* Runs one sweep and logs how many rows it touched (counts only: no
 * names, phones or tickets). */
lobby_err retention_sweep(lobby_store *st, const lobbyd_config *cfg, int64_t now,
                          store_retention_counts *out);

#endif
