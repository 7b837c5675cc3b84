/* The audit log for admins, newest first, paged by id. */
#include "handlers.h"

#include <stdlib.h>

enum MHD_Result handle_audit_list(http_request *r)
{
  const char *before = http_query(r, "before");
  const char *limit_text = http_query(r, "limit");
  long long before_id = 0, limit = 200;
  char *end;
  if (before) {
    before_id = strtoll(before, &end, 10);
    if (*before == '\0' || *end != '\0' || before_id < 0)
      return http_fail(r, 400, "invalid_field", "before: must be an entry id");
  }
  if (limit_text) {
    limit = strtoll(limit_text, &end, 10);
    if (*limit_text == '\0' || *end != '\0' || limit < 1 || limit > 500)
      return http_fail(r, 400, "invalid_field", "limit: must be 1 to 500");
  }
  json_t *out = NULL;
  lobby_err err = r->d->store->ops->audit_list(r->d->store, before_id, (int)limit, &out);
  if (err)
    return http_reply_store_error(r, err, "audit");
  return http_reply_json(r, 200, json_pack("{s:o}", "entries", out));
}
