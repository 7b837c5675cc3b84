/* Routes a complete request to its handler after authentication. */
#ifndef LOBBYD_ROUTER_H
#define LOBBYD_ROUTER_H

#include "http.h"

enum MHD_Result router_dispatch(http_request *r);

/* The body a request may send: HTTP_BODY_LIMIT, or a route's larger
 * allowance (a photo upload) when the request's credentials already show
 * it may call that route, so no one else can make lobbyd buffer more. */
size_t router_body_limit(http_request *r);

/* Route slots for /metrics: r->metric.route after dispatch.  Requests that match
 * no route (404, 405) share one slot, console files another, and each
 * entry of the route table has its own. */
#define ROUTE_UNMATCHED 0u
#define ROUTE_CONSOLE 1u
size_t router_route_slots(void);
/* The method and path pattern of a slot ("" method for the shared ones). */
void router_route_label(size_t slot, const char **method, const char **pattern);

#endif
