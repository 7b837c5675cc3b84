/* STUB: to be written (PostgreSQL store, core). */
#include "store_pg_internal.h"

void pq__core_ops(lobby_store_ops *ops)
{
  (void)ops;
}
