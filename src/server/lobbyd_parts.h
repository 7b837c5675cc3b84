/* The parts of a serving lobbyd that live beside its store and daemon:
 * caches, counters, rate limiters, the known-device key and the password
 * pool.  lobbyd serve and the fuzz targets (tests/fuzz) make them here, so
 * a part added to struct lobbyd is made and freed in one place. */
#ifndef LOBBYD_PARTS_H
#define LOBBYD_PARTS_H

#include "lobbyd.h"

/* Makes every part from d->cfg (d->store must be open).  On failure the
 * parts already made are freed and d's part pointers are NULL again. */
lobby_err lobbyd_parts_create(lobbyd *d);
/* Frees what lobbyd_parts_create made; NULL parts are skipped.  The daemon
 * and the long-poll thread must be stopped first. */
void lobbyd_parts_free(lobbyd *d);

#endif
