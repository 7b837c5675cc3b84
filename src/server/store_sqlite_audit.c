/* The audit log in the SQLite store: append-only, read newest first. */
#include "store_sqlite_internal.h"


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
  sqlite3_stmt *q;
  int limit = f->limit <= 0 || f->limit > STORE_AUDIT_PAGE_MAX ? STORE_AUDIT_PAGE_MAX : f->limit;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT id, at, actor, actor_role, action, target, detail, "
                                 "address FROM audit WHERE (?1 = 0 OR id < ?1) "
                                 "AND (?3 IS NULL OR actor = ?3) "
                                 "AND (?4 IS NULL OR action = ?4 OR substr(action, 1, length(?4) + 1) = ?4 || '.') "
                                 "AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at < ?6) "
                                 "ORDER BY id DESC LIMIT ?2", &q);
  if (err == LOBBY_OK) {
    sqlite3_bind_int64(q, 1, f->before_id);
    sqlite3_bind_int(q, 2, limit);
    sq__bind_text(q, 3, f->actor);
    sq__bind_text(q, 4, f->action);
    sqlite3_bind_int64(q, 5, f->from);
    sqlite3_bind_int64(q, 6, f->to);
    err = sq__collect(q, out);
  }
  SQ_UNLOCK(s);
  return err;
}

void sq__audit_ops(lobby_store_ops *ops)
{
  ops->audit_add = audit_add;
  ops->audit_list = audit_list;
}
