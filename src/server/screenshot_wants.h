/* Which kiosks staff want a screenshot of, as every feed long-poll asks
 * (handlers_kiosk.c): on each poll and on each wake of every waiting
 * kiosk.  Read from the store once per change rather than once per poll:
 * a request is published as a feed change (on every instance, through
 * the change relay), which moves the feed cache's generation, and the
 * list is read again the first time it is asked after that. */
#ifndef LOBBYD_SCREENSHOT_WANTS_H
#define LOBBYD_SCREENSHOT_WANTS_H

#include <stdbool.h>
#include <stdint.h>
#include "lobbyd.h"
#include "store.h"

typedef struct screenshot_wants screenshot_wants;

lobby_err screenshot_wants_create(lobbyd *d, screenshot_wants **out);
void screenshot_wants_free(screenshot_wants *w);

/* The live pending request for kiosk_id (asked at or after since), its
 * id in id; false when there is none or the store cannot say (the kiosk
 * then hears of it at the next change). */
bool screenshot_wants_pending(screenshot_wants *w, int64_t kiosk_id, int64_t since,
                              char id[STORE_SCREENSHOT_ID_SIZE]);

#endif
