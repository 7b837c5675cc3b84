/* The audit log for admins, newest first, paged by id. */
#include "handlers.h"
#include "lobby_text.h"

#include <stdlib.h>
#include <string.h>

/* ?actor=NAME&action=KIND_OR_ACTION&from=&to= (dates or times; to is
 * exclusive)&before=ID&limit=N: a page of entries and how many match in
 * all. */
enum MHD_Result handle_audit_list(http_request *r)
{
  int64_t total = 0;
  store_audit_filter f = {.limit = 200, .total = &total};
  int64_t limit = f.limit;
  enum MHD_Result ret;
  const char *before = http_query(r, "before");
  if (before && lobby_parse_int64(before, 0, INT64_MAX, &f.before_id) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "before: must be an entry id");
  if (!query_int(r, "limit", 1, STORE_AUDIT_PAGE_MAX, &limit, &ret) ||
      !query_date(r, "from", &f.from, &ret) || !query_date(r, "to", &f.to, &ret))
    return ret;
  f.limit = (int)limit;
  f.actor = http_query(r, "actor");
  f.action = http_query(r, "action");
  if (f.actor && lobby_text_check(f.actor, 1, 64, false) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "actor: a staff name of at most 64 characters");
  if (f.action && (!*f.action || strlen(f.action) > 48 ||
                   strspn(f.action, "abcdefghijklmnopqrstuvwxyz_.") != strlen(f.action)))
    return http_fail(r, 400, "invalid_field", "action: an action such as account.disable, or its kind");
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->audit_list(r->d->store, &f, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "audit");
  return http_reply_json(r, 200, json_pack("{s:o, s:I}", "entries", out, "total", (json_int_t)total));
}
