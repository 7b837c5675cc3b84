/* STUB: to be written (PostgreSQL store, retention). */
#include "store_pg_internal.h"

void pq__retention_ops(lobby_store_ops *ops)
{
  (void)ops;
}
