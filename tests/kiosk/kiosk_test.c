#include "kiosk_test.h"

#include <stdio.h>
#include <string.h>

void kiosk_test_config(kiosk_config *cfg)
{
  kiosk_config_defaults(cfg);
  cfg->headless.on = true;
  cfg->display.width = 1080;
  cfg->display.height = 1920;
  /* Test programs are not beside an installed data directory. */
  snprintf(cfg->assets_dir, sizeof cfg->assets_dir, "%s/assets", KIOSK_TEST_SOURCE_DIR);
  snprintf(cfg->input.rime_config_dir, sizeof cfg->input.rime_config_dir, "%s/config/rime", KIOSK_TEST_SOURCE_DIR);
}

json_t *kiosk_test_demo_feed(void)
{
  return json_load_file(KIOSK_TEST_SOURCE_DIR "/tests/kiosk/data/demo_feed.json", 0, NULL);
}

bool kiosk_test_contains(const void *hay, size_t n, const char *needle)
{
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp((const char *)hay + i, needle, k) == 0)
      return true;
  return false;
}
