/* Shared by the store_sqlite*.c files. */
#ifndef STORE_SQLITE_INTERNAL_H
#define STORE_SQLITE_INTERNAL_H
#include <sqlite3.h>
#include "store.h"
struct store { sqlite3 *db; };
lobby_err sq__exec(store *s, const char *sql);
#endif
