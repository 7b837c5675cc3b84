/* A feed as the network thread hands it to the screens (any JSON object
 * the server, or something pretending to be it, sends): the notice board
 * is laid out and drawn, the first notice opened, and the board shown
 * again, headless.  Wrong types, huge strings, bad UTF-8 and odd notices
 * must give a sane screen, never a crash.  The board is drawn at 540x960,
 * a quarter of a portrait kiosk's pixels: the layout and text code are the
 * same at every size, and the software renderer's filling of 1080x1920
 * made each input ten times slower. */
#include <jansson.h>
#include <stdlib.h>
#include "fake_net.h"
#include "fuzz_input.h"
#include "kiosk_app.h"
#include "kiosk_test.h"

static kiosk_app app;

/* Taps the board's first notice card, wherever the layout put it. */
static void tap_first_notice(void)
{
  for (int i = 0; i < app.ui.n; i++) {
    const kiosk_widget *w = &app.ui.w[i];
    if (w->role == KW_NOTICE) {
      kiosk_app_tap(&app, w->rect.x + w->rect.w / 2, w->rect.y + w->rect.h / 2);
      return;
    }
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  kiosk_config cfg;
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  fuzz_quiet();
  kiosk_test_config(&cfg);
  cfg.input.pinyin = false;
  cfg.display.width = 540;
  cfg.display.height = 960;
  if (kiosk_app_init(&app, &cfg) != LOBBY_OK)
    abort();
  app.link.net = fake_net_handle();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  json_error_t err;
  json_t *feed = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
  /* The network thread passes on only objects (kiosk_net_feed.c). */
  if (!json_is_object(feed)) {
    json_decref(feed);
    return 0;
  }
  kiosk_app_set_feed(&app, feed, 0);
  kiosk_app_go(&app, KIOSK_SCREEN_HOME);
  (void)kiosk_app_frame(&app, false);
  tap_first_notice();
  (void)kiosk_app_frame(&app, false);
  kiosk_app_go(&app, KIOSK_SCREEN_HOME);
  (void)kiosk_app_frame(&app, false);
  fake_net_reset();
  return 0;
}
