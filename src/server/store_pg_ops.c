/* STUB: to be written (PostgreSQL store, ops). */
#include "store_pg_internal.h"

void pq__ops_ops(lobby_store_ops *ops)
{
  (void)ops;
}
