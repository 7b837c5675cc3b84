/* The app's sound (app_sound.c) on SDL's disk audio driver: an emergency
 * sounds its alarm and announcement at once, again when the repeat is
 * due (and not before), and falls silent the moment it is withdrawn;
 * read-aloud stops when the screen is left and is refused while an
 * emergency sounds; [audio] enabled = 0 is silence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fake_net.h"
#include "kiosk_app.h"
#include "kiosk_app_internal.h"
#include "kiosk_test.h"

static kiosk_app app;

static int setup(void **state)
{
  (void)state;
  mkdir(KIOSK_TEST_WORK_DIR, 0755);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", KIOSK_TEST_WORK_DIR "/sound.raw", 1);
  kiosk_config cfg;
  kiosk_test_config(&cfg);
  cfg.audio.emergency_repeat_s = 60;
  if (kiosk_app_init(&app, &cfg) != LOBBY_OK)
    return -1;
  json_t *feed = kiosk_test_demo_feed();
  if (!feed)
    return -1;
  kiosk_app_set_feed(&app, feed, 0);
  app.link.net = fake_net_handle();
  fake_net_reset();
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  kiosk_app_free(&app);
  fake_net_reset();
  memset(&app, 0, sizeof app);
  return 0;
}

static void set_emergency(bool on)
{
  json_t *feed = json_deep_copy(app.link.feed);
  json_object_set_new(feed, "emergency",
                      on ? json_pack("{s:i, s:s, s:s}", "id", 9, "title", "燃气泄漏，请立即撤离", "body",
                                     "请从楼梯撤离，9:00前勿返回。")
                         : json_null());
  kiosk_app_set_feed(&app, feed, 0);
  kiosk_app_tick(&app);
}

static kiosk_audio_state wait_state(kiosk_audio_state want, int ms)
{
  for (int waited = 0; waited < ms && kiosk_audio_now(app.sound.audio) != want; waited += 10)
    SDL_Delay(10);
  return kiosk_audio_now(app.sound.audio);
}

static void emergency_sounds_repeats_and_stops(void **state)
{
  (void)state;
  assert_non_null(app.sound.audio);
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 3000), KIOSK_AUDIO_SILENT);
  kiosk_app_tick(&app);
  assert_int_equal(fake_net.audio, KIOSK_NET_AUDIO_OK);
  set_emergency(true);
  assert_int_equal(app.sound.emergencies, 1);
  assert_int_equal(kiosk_audio_now(app.sound.audio), KIOSK_AUDIO_PLAYING);
  /* The loop sleeps until the repeat is due, no longer. */
  assert_in_range(kiosk__next_timeout(&app), 1, 60000);
  kiosk_app_tick(&app);
  assert_int_equal(app.sound.emergencies, 1);
  /* 59 s on: not yet; 60 s on: again. */
  app.clock.idle_shift_ms += 59000;
  kiosk_app_tick(&app);
  assert_int_equal(app.sound.emergencies, 1);
  app.clock.idle_shift_ms += 1000;
  kiosk_app_tick(&app);
  assert_int_equal(app.sound.emergencies, 2);
  assert_int_equal(kiosk_audio_started(app.sound.audio), 2);
  /* Read-aloud does not talk over it. */
  assert_false(kiosk_app_read_aloud(&app, "停水通知"));
  /* Withdrawn: silence at once. */
  assert_int_equal(kiosk_audio_now(app.sound.audio), KIOSK_AUDIO_PLAYING);
  set_emergency(false);
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 300), KIOSK_AUDIO_SILENT);
  assert_int_equal(app.sound.emergencies, 2);
}

static void read_aloud_ends_with_its_screen(void **state)
{
  (void)state;
  kiosk_app_go(&app, KIOSK_SCREEN_NOTICE);
  assert_true(kiosk_app_read_aloud(&app, "停水通知：11月28日9:00至20:00停水，请提前储水。"));
  assert_int_equal(kiosk_audio_now(app.sound.audio), KIOSK_AUDIO_PLAYING);
  SDL_Delay(300);
  assert_int_equal(kiosk_audio_now(app.sound.audio), KIOSK_AUDIO_PLAYING);
  kiosk_app_go(&app, KIOSK_SCREEN_HOME);
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 300), KIOSK_AUDIO_SILENT);
}

static void disabled_is_silent(void **state)
{
  (void)state;
  kiosk_app_free(&app);
  memset(&app, 0, sizeof app);
  kiosk_config cfg;
  kiosk_test_config(&cfg);
  cfg.audio.on = false;
  assert_int_equal(kiosk_app_init(&app, &cfg), LOBBY_OK);
  kiosk_app_set_feed(&app, kiosk_test_demo_feed(), 0);
  app.link.net = fake_net_handle();
  set_emergency(true);
  assert_null(app.sound.audio);
  assert_int_equal(app.sound.emergencies, 0);
  assert_false(kiosk_app_read_aloud(&app, "停水通知"));
  assert_int_equal(fake_net.audio, KIOSK_NET_AUDIO_OFF);
}

/* No audio device: the kiosk carries on silently and its heartbeat says so. */
static void no_device_is_reported(void **state)
{
  (void)state;
  kiosk_app_free(&app);
  memset(&app, 0, sizeof app);
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  kiosk_config cfg;
  kiosk_test_config(&cfg);
  assert_int_equal(kiosk_app_init(&app, &cfg), LOBBY_OK);
  kiosk_app_set_feed(&app, kiosk_test_demo_feed(), 0);
  app.link.net = fake_net_handle();
  assert_int_equal(wait_state(KIOSK_AUDIO_NO_DEVICE, 3000), KIOSK_AUDIO_NO_DEVICE);
  set_emergency(true);
  assert_int_equal(fake_net.audio, KIOSK_NET_AUDIO_NONE);
  assert_false(kiosk_app_read_aloud(&app, "停水通知"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(emergency_sounds_repeats_and_stops, setup, teardown),
    cmocka_unit_test_setup_teardown(read_aloud_ends_with_its_screen, setup, teardown),
    cmocka_unit_test_setup_teardown(disabled_is_silent, setup, teardown),
    cmocka_unit_test_setup_teardown(no_device_is_reported, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
