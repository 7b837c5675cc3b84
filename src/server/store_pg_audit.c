/* STUB: to be written (PostgreSQL store, audit). */
#include "store_pg_internal.h"

void pq__audit_ops(lobby_store_ops *ops)
{
  (void)ops;
}

lobby_err pq__audit_insert(pq_conn *c, const store_audit_entry *e, const char *created)
{
  (void)c; (void)e; (void)created;
  return LOBBY_EIO;
}
