/* STUB: to be written (PostgreSQL store, notices). */
#include "store_pg_internal.h"

void pq__notice_ops(lobby_store_ops *ops)
{
  (void)ops;
}
