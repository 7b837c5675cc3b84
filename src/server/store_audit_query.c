#include "store_audit_query.h"

#include <stdio.h>

/* An action's kind ("repair") matches its actions ("repair.event"):
 * those from "repair." up to "repair/", '/' following '.'; compared byte
 * by byte, whatever PostgreSQL's collation. */
typedef struct {
  char from[64], to[64];
} kind_range;

static void where(store_query *q, const store_audit_filter *f, kind_range *kind, bool paged)
{
  const char *bytes = q->dollar ? " COLLATE \"C\"" : "";
  char sql[128];
  store_query_put(q, " FROM audit WHERE 1 = 1");
  if (paged && f->before_id > 0)
    store_query_and_int(q, "id < ", f->before_id);
  if (f->actor)
    store_query_and_text(q, "actor = ", f->actor);
  if (f->action) {
    snprintf(kind->from, sizeof kind->from, "%s.", f->action);
    snprintf(kind->to, sizeof kind->to, "%s/", f->action);
    store_query_and_text(q, "(action = ", f->action);
    snprintf(sql, sizeof sql, " OR (action%s >= ", bytes);
    store_query_put(q, sql);
    store_query_arg_text(q, kind->from);
    snprintf(sql, sizeof sql, " AND action%s < ", bytes);
    store_query_put(q, sql);
    store_query_arg_text(q, kind->to);
    store_query_put(q, "))");
  }
  if (f->from)
    store_query_and_int(q, "at >= ", f->from);
  if (f->to)
    store_query_and_int(q, "at < ", f->to);
}

lobby_err store_audit_list_run(const store_query_runner *run, const store_audit_filter *f,
                               json_t **out)
{
  store_query q;
  kind_range kind;
  int limit = f->limit <= 0 || f->limit > STORE_AUDIT_PAGE_MAX ? STORE_AUDIT_PAGE_MAX : f->limit;
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT id, at, actor, actor_role, action, target, detail, address");
  where(&q, f, &kind, true);
  store_query_put(&q, " ORDER BY id DESC LIMIT ");
  store_query_arg_int(&q, limit);
  return store_query_rows(run, &q, out);
}

lobby_err store_audit_count_run(const store_query_runner *run, const store_audit_filter *f,
                                int64_t *n)
{
  store_query q;
  kind_range kind;
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT count(*) AS n");
  where(&q, f, &kind, false);
  return store_query_count(run, &q, n);
}
