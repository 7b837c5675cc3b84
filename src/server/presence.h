/* Which kiosks are alive, kept in memory: a kiosk polls the feed all day,
 * and writing "last seen" to disk on every poll would cost an fsync each.
 * The database gets it with each heartbeat (once a minute). */
#ifndef LOBBYD_PRESENCE_H
#define LOBBYD_PRESENCE_H

#include <stdbool.h>
#include <stdint.h>
#include "lobbyd.h"

lobby_err presence_create(presence **out);
void presence_free(presence *p);
void presence_touch(presence *p, int64_t kiosk_id, int64_t now, int waiting_delta);
/* last_seen 0 when never seen since start. */
void presence_get(presence *p, int64_t kiosk_id, int64_t *last_seen, bool *waiting);

#endif
