/* Routes a complete request to its handler after authentication. */
#ifndef LOBBYD_ROUTER_H
#define LOBBYD_ROUTER_H

#include "http.h"

enum MHD_Result router_dispatch(http_request *r);

#endif
