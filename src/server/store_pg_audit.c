/* STUB: to be written (PostgreSQL store, audit). */
#include "store_pg_internal.h"

void pq__audit_ops(lobby_store_ops *ops)
{
  (void)ops;
}

