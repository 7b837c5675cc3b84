/* Which store lobbyd opens: the one place that reads [store] and chooses
 * between the SQLite and the PostgreSQL implementation of store.h. */
#ifndef LOBBYD_STORE_OPEN_H
#define LOBBYD_STORE_OPEN_H

#include <stdbool.h>
#include "config.h"
#include "store.h"

/* Opens (creating or migrating as needed) the store cfg names. */
lobby_err lobbyd_store_open(const lobbyd_config *cfg, lobby_store **out);

/* True when the data lives in a file beside lobbyd (SQLite): only then do
 * file ownership, `lobbyd backup` and `lobbyd restore` apply. */
bool lobbyd_store_is_file(const lobbyd_config *cfg);

#endif
