#include "kiosk_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "headless.h"

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

static void settle(kiosk_app *app)
{
  kiosk_app_drain_net(app);
  assert_int_equal(kiosk_app_frame(app, false), LOBBY_OK);
}

/* The frame's widgets: none overflowing, none tappable too small. */
static void check_frame(const kiosk_app *app, const char *file, int w, int h)
{
  int least = 80 * (w < h ? w : h) / 1080;
  for (int i = 0; i < app->ui.n; i++) {
    const kiosk_widget *x = &app->ui.w[i];
    if ((x->flags & (KF_OVERFLOW | KF_HIDDEN)) == KF_OVERFLOW)
      fail_msg("%s: \"%s\" overflows its %dx%d widget", file, x->text, x->rect.w, x->rect.h);
    if ((x->role == KW_BUTTON || x->role == KW_CHIP) && x->action != KIOSK_ACT_NONE && x->rect.h < least)
      fail_msg("%s: \"%s\" is %d px tall", file, x->text, x->rect.h);
    bool target = x->role == KW_BUTTON || x->role == KW_CHIP || x->role == KW_KEY || x->role == KW_FIELD;
    if (target && x->action != KIOSK_ACT_NONE && !(x->flags & KF_HIDDEN) &&
        (x->rect.h < app->m.key_min || x->rect.w < app->m.key_min))
      fail_msg("%s: \"%s\" is %dx%d, under the %d px key rule", file, x->text, x->rect.w, x->rect.h,
               app->m.key_min);
  }
}

void kiosk_test_shots_everywhere(kiosk_app *app, const char *dir, const char *name)
{
  static const int sizes[3][2] = {{1080, 1920}, {1920, 1080}, {1280, 800}};
  mkdir(dir, 0755);
  for (int lang = 0; lang < 2; lang++) {
    if (app->lang != lang) {
      kiosk_app_action(app, KIOSK_ACT_LANG, 0);
      settle(app);
    }
    for (int s = 0; s < 3; s++) {
      int w = sizes[s][0], h = sizes[s][1];
      kiosk_app_set_size(app, w, h);
      settle(app);
      char file[128];
      snprintf(file, sizeof file, "%s_%s_%dx%d", name, lang ? "en" : "zh", w, h);
      assert_int_equal(kiosk_headless_shot(app, dir, file), LOBBY_OK);
      check_frame(app, file, w, h);
    }
  }
  kiosk_app_action(app, KIOSK_ACT_LANG, 0);
  kiosk_app_set_size(app, 1080, 1920);
  settle(app);
  assert_int_equal(app->lang, 0);
}
