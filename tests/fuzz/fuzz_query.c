/* Query strings as the handlers read them (wait=, limit=, before=, since=,
 * month=, state=, date=, ticket=, number=, phone_last4=, year= and the
 * repair and complaint filters):
 * the first byte picks a GET endpoint, the rest is its query string, split
 * and decoded as libmicrohttpd does, then handled by lobbyd against a real
 * store (fuzz_lobbyd.c).  A long-poll's wait ends at once here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "fuzz_lobbyd.h"

typedef struct {
  const char *path;     /* parameters as fuzz_lobbyd_expand fills them */
  fuzz_role as;
} endpoint;

static const endpoint endpoints[] = {
  {"/api/v1/feed", FUZZ_KIOSK},
  {"/api/v1/kiosks/fuzz-kiosk/feed", FUZZ_DESK},
  {"/api/v1/events", FUZZ_DESK},
  {"/api/v1/audit", FUZZ_ADMIN},
  {"/api/v1/notices", FUZZ_DESK},
  {"/api/v1/repairs", FUZZ_ADMIN},
  {"/api/v1/repairs", FUZZ_TECH},
  {"/api/v1/repairs/lookup", FUZZ_KIOSK},
  {"/api/v1/repairs/summary", FUZZ_DESK},
  {"/api/v1/repairs/export.csv", FUZZ_ADMIN},
  {"/api/v1/repairs/%T", FUZZ_ADMIN},
  {"/api/v1/visits", FUZZ_DESK},
  {"/api/v1/visits/onsite", FUZZ_DESK},
  {"/api/v1/visits/%V/status", FUZZ_KIOSK},
  {"/api/v1/kiosks", FUZZ_DESK},
  {"/api/v1/staff", FUZZ_DESK},
  {"/api/v1/directory", FUZZ_KIOSK},
  {"/api/v1/settings", FUZZ_DESK},
  {"/api/v1/session", FUZZ_DESK},
  {"/healthz", FUZZ_NOBODY},
  {"/metrics", FUZZ_ADMIN},
  {"/api/v1/complaints", FUZZ_DESK},
  {"/api/v1/complaints/lookup", FUZZ_KIOSK},
  {"/api/v1/complaints/summary", FUZZ_ADMIN},
  {"/api/v1/complaints/%C", FUZZ_DESK},
  {"/api/v1/calendar", FUZZ_TECH},
  {"/api/v1/releases", FUZZ_DESK},
  {"/api/v1/releases/lookup", FUZZ_KIOSK},
  {"/api/v1/releases/%F", FUZZ_DESK},
  {"/api/v1/gate/%G", FUZZ_GUARD},
  {"/api/v1/renovations", FUZZ_DESK},
  {"/api/v1/renovations/%Z", FUZZ_DESK},
  {"/api/v1/workers/refusals", FUZZ_DESK},
  {"/api/v1/qr.svg", FUZZ_DESK},
};

#define ENDPOINTS (sizeof endpoints / sizeof endpoints[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const fuzz_records *rec = fuzz_lobbyd_start();
  if (size == 0)
    return 0;
  const endpoint *ep = &endpoints[data[0] % ENDPOINTS];
  char path[128];
  fuzz_lobbyd_expand(ep->path, rec, path, sizeof path);
  char *query = fuzz_text(data + 1, size - 1);
  if (!query)
    return 0;
  http_fake_value args[12];
  size_t n = fuzz_query_split(query, args, sizeof args / sizeof args[0]);
  (void)fuzz_lobbyd_call("GET", path, ep->as, args, n, NULL, 0, NULL);
  free(query);
  return 0;
}
