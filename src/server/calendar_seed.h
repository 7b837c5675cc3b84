/* The working-day calendar lobbyd ships (assets/calendar/cn-YYYY.txt). */
#ifndef LOBBYD_CALENDAR_SEED_H
#define LOBBYD_CALENDAR_SEED_H

#include "store.h"

/* Loads this year's and next year's shipped days into the store, each
 * year only the first time (staff edits stay).  A year with no file, or
 * a file that does not read as a calendar (logged), is left to staff;
 * only a store failure is an error. */
lobby_err calendar_seed_shipped(lobby_store *st, int offset_min);

#endif
