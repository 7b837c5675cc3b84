/* STUB: to be written (PostgreSQL store, settings). */
#include "store_pg_internal.h"

void pq__settings_ops(lobby_store_ops *ops)
{
  (void)ops;
}
