#include "store_sqlite_internal.h"
#include <stdlib.h>

lobby_err store_open(const char *path, store **out)
{
  store *s = calloc(1, sizeof *s);
  if (!s || sqlite3_open(path, &s->db) != SQLITE_OK)
    return LOBBY_EIO;
  *out = s;
  return LOBBY_OK;
}

lobby_err sq__exec(store *s, const char *sql)
{
  return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? LOBBY_OK : LOBBY_EIO;
}
