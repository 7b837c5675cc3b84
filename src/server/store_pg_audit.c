/* The audit log in the PostgreSQL store: append-only, read newest first,
 * as in store_sqlite_audit.c.  pq__audit_insert, which every write uses
 * inside its own transaction, lives in store_pg_core.c. */
#include "store_pg_internal.h"

#define AUDIT_PAGE_MAX 500

/* An entry that records no write of its own: one statement, autocommit. */
static lobby_err audit_add(lobby_store *st, const store_audit_entry *e)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__audit_insert(c, e, NULL);
  pq__release(s, c);
  return err;
}

static lobby_err audit_list(lobby_store *st, int64_t before_id, int limit, json_t **out)
{
  pq_params p = {0};
  if (limit <= 0 || limit > AUDIT_PAGE_MAX)
    limit = AUDIT_PAGE_MAX;
  pq__int(&p, before_id);
  pq__int(&p, limit);
  return pq__read_all(PQ(st), "SELECT id, at, actor, actor_role, action, target, detail, address "
                              "FROM audit WHERE ($1::bigint = 0 OR id < $1::bigint) "
                              "ORDER BY id DESC LIMIT $2::bigint", &p, out);
}

void pq__audit_ops(lobby_store_ops *ops)
{
  ops->audit_add = audit_add;
  ops->audit_list = audit_list;
}
