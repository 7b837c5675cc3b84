/* STUB: to be written (PostgreSQL store, repair_summary). */
#include "store_pg_internal.h"

void pq__repair_summary_ops(lobby_store_ops *ops)
{
  (void)ops;
}
