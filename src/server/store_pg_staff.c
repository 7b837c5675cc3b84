/* STUB: to be written (PostgreSQL store, staff). */
#include "store_pg_internal.h"

void pq__staff_ops(lobby_store_ops *ops)
{
  (void)ops;
}
