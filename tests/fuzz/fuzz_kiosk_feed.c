/* A feed as the network thread hands it to the screens (any JSON object
 * the server, or something pretending to be it, sends): the notice board
 * is laid out and drawn, the first notice opened, and the board shown
 * again, headless at 1080x1920.  Wrong types, huge strings, bad UTF-8 and
 * odd notices must give a sane screen, never a crash. */
#include <jansson.h>
#include <stdlib.h>
#include "fake_net.h"
#include "fuzz_input.h"
#include "kiosk_app.h"
#include "kiosk_test.h"

static kiosk_app app;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  kiosk_config cfg;
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  fuzz_quiet();
  kiosk_test_config(&cfg);
  cfg.input.pinyin = false;
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
  /* Where the first notice card sits on the 1080x1920 board. */
  kiosk_app_tap(&app, 540, 470);
  (void)kiosk_app_frame(&app, false);
  kiosk_app_go(&app, KIOSK_SCREEN_HOME);
  (void)kiosk_app_frame(&app, false);
  fake_net_reset();
  return 0;
}
