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

/* The screen as it is, at 1080x1920, 1920x1080 and 1280x800 in Chinese
 * and English: no text overflows, every button and chip is at least 80 px
 * tall at 1080 wide (in proportion elsewhere), nothing tappable is smaller
 * than the 9 mm key rule (app->m.key_min), and a PNG of each is kept in
 * dir as <name>_<lang>_<size>.png.  Back to 1080x1920 in Chinese after.
 * For cmocka tests: a failure fails the test. */
void kiosk_test_shots_everywhere(kiosk_app *app, const char *dir, const char *name);

#endif
