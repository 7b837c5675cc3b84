/* The audit log in the PostgreSQL store: append-only, read newest first,
 * as in store_sqlite_audit.c.  pq__audit_insert, which every write uses
 * inside its own transaction, lives in store_pg_core.c. */
#include "store_pg_internal.h"


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

static lobby_err audit_list(lobby_store *st, const store_audit_filter *f, json_t **out)
{
  pq_params p = {0};
  int limit = f->limit <= 0 || f->limit > STORE_AUDIT_PAGE_MAX ? STORE_AUDIT_PAGE_MAX : f->limit;
  pq__int(&p, f->before_id);
  pq__int(&p, limit);
  pq__text(&p, f->actor);
  pq__text(&p, f->action);
  pq__int(&p, f->from);
  pq__int(&p, f->to);
  return pq__read_all(PQ(st), "SELECT id, at, actor, actor_role, action, target, detail, address "
                              "FROM audit WHERE ($1::bigint = 0 OR id < $1::bigint) "
                              "AND ($3::text IS NULL OR actor = $3::text) "
                              "AND ($4::text IS NULL OR action = $4::text OR starts_with(action, $4::text || '.')) "
                              "AND ($5::bigint = 0 OR at >= $5::bigint) AND ($6::bigint = 0 OR at < $6::bigint) "
                              "ORDER BY id DESC LIMIT $2::bigint", &p, out);
}

void pq__audit_ops(lobby_store_ops *ops)
{
  ops->audit_add = audit_add;
  ops->audit_list = audit_list;
}
