/* What the kiosk's UI tests share: a headless 1080×1920 configuration with
 * the project's assets, the demo feed, and a byte search for checking that
 * personal data is gone from memory. */
#ifndef KIOSK_TEST_H
#define KIOSK_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "kiosk_app.h"

void kiosk_test_config(kiosk_config *cfg);
/* tests/kiosk/data/demo_feed.json, or NULL. */
json_t *kiosk_test_demo_feed(void);
/* True when needle's bytes occur anywhere in hay[0..n). */
bool kiosk_test_contains(const void *hay, size_t n, const char *needle);

#endif
