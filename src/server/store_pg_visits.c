/* STUB: to be written (PostgreSQL store, visits). */
#include "store_pg_internal.h"

void pq__visit_ops(lobby_store_ops *ops)
{
  (void)ops;
}
