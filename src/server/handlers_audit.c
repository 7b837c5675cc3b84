/* The audit log for admins, newest first, paged by id. */
#include "handlers.h"
#include "lobby_text.h"

#include <stdlib.h>

enum MHD_Result handle_audit_list(http_request *r)
{
  const char *before = http_query(r, "before");
  const char *limit_text = http_query(r, "limit");
  int64_t before_id = 0, limit = 200;
  if (before && lobby_parse_int64(before, 0, INT64_MAX, &before_id) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "before: must be an entry id");
  if (limit_text && lobby_parse_int64(limit_text, 1, 500, &limit) != LOBBY_OK)
    return http_fail(r, 400, "invalid_field", "limit: must be 1 to 500");
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->audit_list(r->d->store, before_id, (int)limit, &out);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "audit");
  return http_reply_json(r, 200, json_pack("{s:o}", "entries", out));
}
