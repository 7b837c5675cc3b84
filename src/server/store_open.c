/* Chooses the store implementation from the configuration. */
#include "store_open.h"

bool lobbyd_store_is_file(const lobbyd_config *cfg)
{
  return cfg->store.backend == STORE_BACKEND_SQLITE;
}

lobby_err lobbyd_store_open(const lobbyd_config *cfg, lobby_store **out)
{
  if (cfg->store.backend == STORE_BACKEND_POSTGRESQL)
    return store_pg_open(cfg->store.dsn, out);
  return store_sqlite_open(cfg->server.db_path, out);
}
