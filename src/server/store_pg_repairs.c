/* STUB: to be written (PostgreSQL store, repairs). */
#include "store_pg_internal.h"

void pq__repair_ops(lobby_store_ops *ops)
{
  (void)ops;
}
