/* The audit log in the PostgreSQL store: append-only, read newest first,
 * as in store_sqlite_audit.c.  pq__audit_insert, which every write uses
 * inside its own transaction, lives in store_pg_core.c. */
#include "store_pg_internal.h"
#include "store_audit_query.h"


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
  pq_store *s = PQ(st);
  pq_conn *c;
  *out = NULL;
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  store_query_runner run = {.ctx = c, .dollar = true, .rows = pq__query_rows};
  err = store_audit_list_run(&run, f, out);
  if (err == LOBBY_OK && f->total)
    err = store_audit_count_run(&run, f, f->total);
  pq__release(s, c);
  if (err != LOBBY_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

void pq__audit_ops(lobby_store_ops *ops)
{
  ops->audit_add = audit_add;
  ops->audit_list = audit_list;
}
