/* The API's JSON bodies: the first byte picks an endpoint that reads one,
 * the rest is the body, handled by lobbyd's real router, validation
 * (json_input.c) and handler against a real store (fuzz_lobbyd.c).  Valid
 * bodies are saved, so the store grows as the fuzzer runs; that is fine. */
#include <stdio.h>
#include <string.h>
#include "fuzz_input.h"
#include "fuzz_lobbyd.h"

/* Path parameters: see fuzz_lobbyd_expand. */
typedef struct {
  const char *method;
  const char *path;
  fuzz_role as;
  bool idempotency_key;
} endpoint;

static const endpoint endpoints[] = {
  {"POST", "/api/v1/session", FUZZ_NOBODY, false},
  {"POST", "/api/v1/session/password", FUZZ_DESK, false},
  {"PUT", "/api/v1/settings", FUZZ_ADMIN, false},
  {"POST", "/api/v1/kiosks/heartbeat", FUZZ_KIOSK, false},
  {"POST", "/api/v1/repairs", FUZZ_KIOSK, true},
  {"POST", "/api/v1/repairs", FUZZ_DESK, true},
  {"POST", "/api/v1/repairs/%T/events", FUZZ_ADMIN, false},
  {"POST", "/api/v1/repairs/%T/events", FUZZ_TECH, false},
  {"POST", "/api/v1/visits", FUZZ_KIOSK, true},
  {"POST", "/api/v1/visits", FUZZ_DESK, true},
  {"POST", "/api/v1/visits/checkout", FUZZ_KIOSK, false},
  {"POST", "/api/v1/visits/invite-checkin", FUZZ_KIOSK, true},
  {"POST", "/api/v1/visits/%V/cancel", FUZZ_KIOSK, false},
  {"POST", "/api/v1/visits/%V/approve", FUZZ_DESK, false},
  {"POST", "/api/v1/visits/%V/refuse", FUZZ_DESK, false},
  {"POST", "/api/v1/visits/%V/checkout", FUZZ_DESK, false},
  {"POST", "/api/v1/invites", FUZZ_DESK, false},
  {"POST", "/api/v1/notices", FUZZ_DESK, false},
  {"PATCH", "/api/v1/notices/%N", FUZZ_ADMIN, false},
  {"POST", "/api/v1/notices/%N/withdraw", FUZZ_ADMIN, false},
  {"POST", "/api/v1/kiosks", FUZZ_ADMIN, false},
  {"POST", "/api/v1/kiosks/spare-kiosk/revoke", FUZZ_ADMIN, false},
  {"PUT", "/api/v1/directory", FUZZ_ADMIN, false},
  {"POST", "/api/v1/staff", FUZZ_ADMIN, false},
  {"POST", "/api/v1/staff/spare/disable", FUZZ_ADMIN, false},
  {"POST", "/api/v1/staff/spare/enable", FUZZ_ADMIN, false},
  {"POST", "/api/v1/staff/spare/password", FUZZ_ADMIN, false},
  {"POST", "/api/v1/complaints", FUZZ_KIOSK, true},
  {"POST", "/api/v1/complaints", FUZZ_DESK, true},
  {"POST", "/api/v1/complaints/%C/events", FUZZ_ADMIN, false},
  {"PUT", "/api/v1/calendar/2026-12-25", FUZZ_ADMIN, false},
  {"POST", "/api/v1/sites", FUZZ_ADMIN, false},
  {"PATCH", "/api/v1/sites/main", FUZZ_ADMIN, false},
  {"PUT", "/api/v1/staff/spare/sites", FUZZ_ADMIN, false},
  {"POST", "/api/v1/releases", FUZZ_KIOSK, true},
  {"POST", "/api/v1/releases", FUZZ_DESK, true},
  {"POST", "/api/v1/releases/%F/events", FUZZ_DESK, false},
  {"POST", "/api/v1/gate/%G/use", FUZZ_GUARD, false},
  {"POST", "/api/v1/renovations", FUZZ_DESK, true},
  {"POST", "/api/v1/renovations/%Z/events", FUZZ_DESK, false},
  {"POST", "/api/v1/renovations/%Z/workers", FUZZ_DESK, true},
  {"POST", "/api/v1/workers/attendance", FUZZ_KIOSK, false},
  {"POST", "/api/v1/workers/%W/revoke", FUZZ_DESK, false},
  {"POST", "/api/v1/workers/%W/renew", FUZZ_DESK, false},
  {"POST", "/api/v1/rollcall/marks", FUZZ_DESK, false},
};

#define ENDPOINTS (sizeof endpoints / sizeof endpoints[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static unsigned long long serial;
  const fuzz_records *rec = fuzz_lobbyd_start();
  if (size == 0)
    return 0;
  const endpoint *ep = &endpoints[data[0] % ENDPOINTS];
  char path[128], key[32];
  fuzz_lobbyd_expand(ep->path, rec, path, sizeof path);
  /* A new key each time: a valid body is saved, never refused as a reuse. */
  snprintf(key, sizeof key, "fuzz-%016llx", ++serial);
  http_fake_value idem = {MHD_HEADER_KIND, "Idempotency-Key", key};
  unsigned status = fuzz_lobbyd_call(ep->method, path, ep->as, &idem, ep->idempotency_key ? 1 : 0,
                                     (const char *)data + 1, size - 1, NULL);
  if (strcmp(path, "/api/v1/directory") == 0 && status == 200)
    fuzz_lobbyd_reset_directory();
  return 0;
}
