/* The audit log in the SQLite store: append-only, read newest first. */
#include "store_sqlite_internal.h"
#include "store_audit_query.h"


lobby_err sq__audit_insert(sq_store *s, const store_audit_entry *e, const char *created)
{
  sqlite3_stmt *q;
  if (!e)
    return LOBBY_OK;
  const char *target = e->target ? e->target : created;
  lobby_err err = sq__prepare(s, "INSERT INTO audit (at, actor, actor_role, action, target, "
                                 "detail, address) VALUES (?, ?, ?, ?, ?, ?, ?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, e->at);
  sq__bind_text(q, 2, e->actor ? e->actor : "");
  sq__bind_text(q, 3, e->actor_role ? e->actor_role : "");
  sq__bind_text(q, 4, e->action);
  sq__bind_text(q, 5, target ? target : "");
  sq__bind_text(q, 6, e->detail ? e->detail : "");
  sq__bind_text(q, 7, e->address ? e->address : "");
  return sq__run(s, q, false);
}

/* An entry that records no write of its own: one statement, autocommit. */
static lobby_err audit_add(lobby_store *st, const store_audit_entry *e)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__audit_insert(s, e, NULL);
  SQ_UNLOCK(s);
  return err;
}

static lobby_err audit_list(lobby_store *st, const store_audit_filter *f, json_t **out)
{
  sq_store *s = SQ(st);
  store_query_runner run = {.ctx = s, .dollar = false, .rows = sq__query_rows};
  SQ_LOCK(s);
  lobby_err err = store_audit_list_run(&run, f, out);
  if (err == LOBBY_OK && f->total)
    err = store_audit_count_run(&run, f, f->total);
  SQ_UNLOCK(s);
  if (err != LOBBY_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return err;
}

void sq__audit_ops(lobby_store_ops *ops)
{
  ops->audit_add = audit_add;
  ops->audit_list = audit_list;
}
