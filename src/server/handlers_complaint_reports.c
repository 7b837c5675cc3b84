/* The monthly complaint summary: one site, or every site the caller
 * reaches together with one row per site, as the repair summary. */
#include "handlers.h"

#include "lobby_time.h"
#include "site_scope.h"

enum MHD_Result handle_complaint_summary(http_request *r)
{
  char month[8];
  int64_t from, to;
  enum MHD_Result ret;
  store_site_set sites;
  if (!query_month(r, month, &from, &to, &ret) || !site_scope_of_request(r, &sites, &ret))
    return ret;
  json_t *out = NULL, *per_site = NULL;
  int64_t now = lobby_now();
  lobby_err err = r->d->store->ops->complaint_summary(r->d->store, &sites, from, to, now, &out);
  if (err == LOBBY_OK && !http_query(r, "site"))
    err = site_summaries(r->d, &sites, r->d->store->ops->complaint_summary, from, to, now,
                         &per_site);
  if (err != LOBBY_OK) {
    json_decref(out);
    return http_reply_store_error(r, err, "complaints");
  }
  json_object_set_new(out, "month", json_string(month));
  if (per_site)
    json_object_set_new(out, "sites", per_site);
  return http_reply_json(r, 200, out);
}
