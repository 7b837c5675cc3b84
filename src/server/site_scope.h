/* Which sites (compounds) a request reaches, for the handlers: the
 * caller's own sites narrowed by `?site=CODE`, the one site a new record
 * goes to, and a site's repair deadlines.  The store enforces the reach
 * (store.h); this file turns codes into sets and refusals into replies. */
#ifndef LOBBYD_SITE_SCOPE_H
#define LOBBYD_SITE_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http.h"
#include "lobby_repair.h"
#include "lobby_workday.h"

/* The sites a list covers: the caller's, or the one `?site=` names.  On
 * failure the reply is queued in *ret: 404 for no such site, 403 for a
 * site the caller does not work for. */
bool site_scope_of_request(http_request *r, store_site_set *out, enum MHD_Result *ret);

/* The site a new record goes to: the one code names (NULL: the only site
 * the caller reaches; 400 naming field when there are several).  The
 * same 404 and 403 as above. */
bool site_for_create(http_request *r, const char *code, const char *field, int64_t *site_id,
                     enum MHD_Result *ret);

/* The site of a building the caller reaches; LOBBY_ENOTFOUND for no such
 * building and for another site's building alike. */
lobby_err site_of_building(http_request *r, const char *building, int64_t *site_id);

/* The repair deadlines of a site: [repairs] with the site's working day
 * when it has one (the same-day cut-off keeps its distance to the end). */
lobby_err site_sla_policy(lobbyd *d, int64_t site_id, repair_sla_policy *out);

/* A store's monthly summary over the sites of a set. */
typedef lobby_err (*site_summary_fn)(lobby_store *st, const store_site_set *sites, int64_t from,
                                     int64_t to, int64_t now, json_t **out);

/* The figures of summary for each site in the set, in the sites' order,
 * each with its code and name: what a summary across sites lists side
 * by side. */
lobby_err site_summaries(lobbyd *d, const store_site_set *sites, site_summary_fn summary,
                         int64_t from, int64_t to, int64_t now, json_t **out);

/* A site's working hours for promises in working days: its own working
 * day, else 09:00 to [repairs] workday_end. */
void site_workday_hours(lobbyd *d, int64_t site_id, workday_hours *out);

/* A site's service phone, or the ini's [site] one where the site has
 * none set (or cannot be read), as its kiosks show it. */
void site_service_phone(lobbyd *d, int64_t site_id, char *out, size_t size);

/* The codes of the sites in the set, [] for every site; NULL when the
 * store fails. */
json_t *site_codes_of(lobbyd *d, const store_site_set *sites);

/* A site row as the API shows it: workday minutes become "HH:MM", and a
 * site without a name or phone of its own shows the ini's [site] ones,
 * as its kiosks do. */
void site_row_for_api(lobbyd *d, json_t *row);

#endif
