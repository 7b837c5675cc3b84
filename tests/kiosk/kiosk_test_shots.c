/* kiosk_test_shots_everywhere, apart from kiosk_test.c because it
 * asserts with cmocka and the fuzz targets that share kiosk_test.c do not
 * link cmocka. */
#include "kiosk_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/stat.h>
#include "headless.h"

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
