/* The app's sound (app_sound.c) on SDL's disk audio driver: an emergency
 * sounds its alarm and announcement at once, again when the repeat is
 * due (and not before), and falls silent the moment it is withdrawn;
 * read-aloud stops when the screen is left and is refused while an
 * emergency sounds; the 朗读 button on a notice and on a repair's
 * receipt reads it and, tapped again, stops; [audio] enabled = 0 is
 * silence. */
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
  kiosk_app_tick(&app); /* the first tick starts the sound thread */
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

/* Builds the frame the way the loop would. */
static void settle(void)
{
  kiosk_app_tick(&app);
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
}

static bool on_screen(const char *text)
{
  settle();
  return kiosk_ui_find(&app.ui, text, true) != NULL;
}

/* Taps the middle of the button showing text. */
static void tap(const char *text)
{
  settle();
  const kiosk_widget *w = kiosk_ui_find(&app.ui, text, true);
  assert_non_null(w);
  kiosk_app_tap(&app, w->rect.x + w->rect.w / 2, w->rect.y + w->rect.h / 2);
  settle();
}

static void notice_read_aloud_button_toggles(void **state)
{
  (void)state;
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 3000), KIOSK_AUDIO_SILENT);
  kiosk_app_action(&app, KIOSK_ACT_NOTICE, 0);
  kiosk_api_notice n;
  assert_int_equal(kiosk_api_notice_at(kiosk_feed_notices(&app), 0, &n), LOBBY_OK);
  assert_false(on_screen("停止朗读"));
  unsigned before = kiosk_audio_started(app.sound.audio);
  tap("朗读");
  assert_int_equal(kiosk_audio_started(app.sound.audio), before + 1);
  assert_int_equal(kiosk_audio_now(app.sound.audio), KIOSK_AUDIO_PLAYING);
  /* The title first, then the body. */
  assert_int_equal(strncmp(app.sound.reading, n.title, strlen(n.title)), 0);
  assert_non_null(strstr(app.sound.reading, n.body));
  assert_true(on_screen("停止朗读"));
  kiosk_test_shots_everywhere(&app, KIOSK_TEST_WORK_DIR, "read_aloud_notice");
  if (!kiosk_app_reading_aloud(&app))
    tap("朗读");
  tap("停止朗读");
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 300), KIOSK_AUDIO_SILENT);
  assert_string_equal(app.sound.reading, "");
  assert_true(on_screen("朗读"));
  assert_false(on_screen("停止朗读"));
  /* Heard out, the button turns back by itself. */
  tap("朗读");
  kiosk_audio_stop(app.sound.audio); /* as if the speech had ended */
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 300), KIOSK_AUDIO_SILENT);
  assert_true(on_screen("朗读"));
  assert_false(on_screen("停止朗读"));
  /* An emergency takes the sound: no button under it, and the reading is over. */
  tap("朗读");
  set_emergency(true);
  assert_string_equal(app.sound.reading, "");
  assert_false(kiosk_app_can_read_aloud(&app));
}

/* The repair's receipt: heading, ticket number and promise, in the
 * screen's language. */
static void receipt_is_read_aloud(void **state)
{
  (void)state;
  assert_int_equal(wait_state(KIOSK_AUDIO_SILENT, 3000), KIOSK_AUDIO_SILENT);
  kiosk_app_go(&app, KIOSK_SCREEN_REPAIR);
  app.screens.repair.step = REPAIR_STEP_DONE;
  snprintf(app.screens.repair.ticket, sizeof app.screens.repair.ticket, "R-20261205-0004");
  tap("朗读");
  assert_non_null(strstr(app.sound.reading, "报修已提交"));
  assert_non_null(strstr(app.sound.reading, "R-20261205-0004"));
  kiosk_test_shots_everywhere(&app, KIOSK_TEST_WORK_DIR, "read_aloud_receipt");
  if (kiosk_app_reading_aloud(&app))
    tap("停止朗读");
  kiosk_app_action(&app, KIOSK_ACT_LANG, 0);
  settle();
  tap("Read aloud");
  assert_non_null(strstr(app.sound.reading, "R-20261205-0004"));
  assert_null(strstr(app.sound.reading, "报修"));
  assert_true(on_screen("Stop reading"));
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
  set_emergency(false);
  kiosk_app_action(&app, KIOSK_ACT_NOTICE, 0);
  assert_false(on_screen("朗读"));
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
  kiosk_app_tick(&app);
  assert_int_equal(wait_state(KIOSK_AUDIO_NO_DEVICE, 3000), KIOSK_AUDIO_NO_DEVICE);
  set_emergency(true);
  assert_int_equal(fake_net.audio, KIOSK_NET_AUDIO_NONE);
  assert_false(kiosk_app_read_aloud(&app, "停水通知"));
  set_emergency(false);
  kiosk_app_action(&app, KIOSK_ACT_NOTICE, 0);
  assert_false(on_screen("朗读"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(emergency_sounds_repeats_and_stops, setup, teardown),
    cmocka_unit_test_setup_teardown(read_aloud_ends_with_its_screen, setup, teardown),
    cmocka_unit_test_setup_teardown(notice_read_aloud_button_toggles, setup, teardown),
    cmocka_unit_test_setup_teardown(receipt_is_read_aloud, setup, teardown),
    cmocka_unit_test_setup_teardown(disabled_is_silent, setup, teardown),
    cmocka_unit_test_setup_teardown(no_device_is_reported, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
