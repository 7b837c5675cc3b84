/* The audit log's page and its count, with only the conditions a filter
 * sets (store_query.h), so the actor index (actor, id) and the time index
 * answer a filtered log without reading all of it. */
#ifndef LOBBYD_STORE_AUDIT_QUERY_H
#define LOBBYD_STORE_AUDIT_QUERY_H

#include "store_query.h"
#include "store_types.h"

/* Entries of f, newest first: {id, at, actor, actor_role, action, target,
 * detail, address}. */
lobby_err store_audit_list_run(const store_query_runner *run, const store_audit_filter *f,
                               json_t **out);
/* How many entries match f's conditions, whatever its page (before_id). */
lobby_err store_audit_count_run(const store_query_runner *run, const store_audit_filter *f,
                                int64_t *n);

#endif
