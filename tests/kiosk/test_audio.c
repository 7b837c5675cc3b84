/* The kiosk's sound (kiosk_audio.h) on SDL's disk audio driver, which
 * plays into a file at the device's real rate: what would be heard is in
 * the file.  The alarm comes first and is loud, speech follows, a stop
 * silences it at once, and with no device the kiosk carries on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <SDL.h>
#include "kiosk_audio.h"

#define RATE 22050

static char raw_path[512];

static long raw_size(void)
{
  struct stat st;
  return stat(raw_path, &st) == 0 ? (long)st.st_size : -1;
}

/* Waits up to ms for the state; returns whether it came. */
static bool wait_for(kiosk_audio *a, kiosk_audio_state want, int ms)
{
  for (int waited = 0; waited < ms; waited += 10) {
    if (kiosk_audio_now(a) == want)
      return true;
    SDL_Delay(10);
  }
  return kiosk_audio_now(a) == want;
}

static kiosk_audio *open_on_disk(void)
{
  snprintf(raw_path, sizeof raw_path, "%s/audio.raw", KIOSK_TEST_WORK_DIR);
  mkdir(KIOSK_TEST_WORK_DIR, 0755);
  remove(raw_path);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", raw_path, 1);
  kiosk_audio *a = NULL;
  assert_int_equal(kiosk_audio_open(&a), LOBBY_OK);
  assert_int_equal(kiosk_audio_now(a), KIOSK_AUDIO_SILENT);
  assert_string_equal(kiosk_audio_why(a), "");
  return a;
}

/* Sign changes in samples [from, to) of the file: a 960 Hz tone makes
 * 1,920 a second. */
static int crossings(const int16_t *s, size_t from, size_t to)
{
  int n = 0;
  for (size_t i = from + 1; i < to; i++)
    n += (s[i - 1] < 0) != (s[i] < 0);
  return n;
}

static int16_t *read_raw(size_t *count)
{
  FILE *f = fopen(raw_path, "rb");
  assert_non_null(f);
  long size = raw_size();
  int16_t *s = malloc((size_t)size + 2);
  assert_non_null(s);
  *count = fread(s, sizeof *s, (size_t)size / 2, f);
  fclose(f);
  return s;
}

static void alarm_then_speech_is_played(void **state)
{
  (void)state;
  kiosk_audio *a = open_on_disk();
  kiosk_sound s = {.alarm_ms = 1000, .volume = 100, .lang = KIOSK_SPEECH_ZH};
  snprintf(s.text, sizeof s.text, "%s", "紧急通知，9:00停水");
  kiosk_audio_play(a, &s);
  assert_int_equal(kiosk_audio_now(a), KIOSK_AUDIO_PLAYING);
  assert_true(wait_for(a, KIOSK_AUDIO_SILENT, 15000));
  kiosk_audio_close(a);

  size_t n;
  int16_t *raw = read_raw(&n);
  /* The device plays silence until the first piece is queued. */
  size_t start = 0;
  while (start < n && raw[start] == 0)
    start++;
  assert_true(start < (size_t)RATE / 2);
  /* The tone's first quarter second is the high note, the next the low
   * one (770 Hz: 1,540 crossings a second). */
  int high = crossings(raw, start, start + RATE / 4), low = crossings(raw, start + RATE / 4, start + RATE / 2);
  assert_in_range(high, 470, 490);
  assert_in_range(low, 375, 395);
  /* Then more than a second of speech. */
  assert_true(n > start + (size_t)RATE * 2);
  long loud = 0;
  for (size_t i = start + RATE; i < n; i++)
    loud += abs(raw[i]) > 1000;
  assert_true(loud > RATE / 10);
  free(raw);
}

static void volume_scales_the_sound(void **state)
{
  (void)state;
  kiosk_audio *a = open_on_disk();
  kiosk_sound s = {.alarm_ms = 500, .volume = 25, .lang = KIOSK_SPEECH_EN};
  kiosk_audio_play(a, &s);
  assert_true(wait_for(a, KIOSK_AUDIO_SILENT, 5000));
  kiosk_audio_close(a);
  size_t n;
  int16_t *raw = read_raw(&n);
  int peak = 0;
  for (size_t i = 0; i < n; i++)
    peak = abs(raw[i]) > peak ? abs(raw[i]) : peak;
  /* 70 % of full scale at volume 100 (alarm_tone.c), a quarter of it here. */
  assert_in_range(peak, 5000, 6000);
  free(raw);
}

/* Tapping 朗读 again, or leaving the screen: silence at once. */
static void stop_silences_at_once(void **state)
{
  (void)state;
  kiosk_audio *a = open_on_disk();
  kiosk_sound s = {.volume = 100, .lang = KIOSK_SPEECH_ZH};
  snprintf(s.text, sizeof s.text, "%s",
           "停水通知。因二次供水设备年度检修，11月28日9:00至20:00，1号楼、2号楼停水，请提前储水。"
           "如有疑问请致电400-800-1234。");
  kiosk_audio_play(a, &s);
  SDL_Delay(500);
  assert_int_equal(kiosk_audio_now(a), KIOSK_AUDIO_PLAYING);
  kiosk_audio_stop(a);
  assert_true(wait_for(a, KIOSK_AUDIO_SILENT, 300));
  long at_stop = raw_size();
  SDL_Delay(700);
  /* The device closed: at most the buffer in flight (1,024 samples) was
   * written after the stop, and of a notice some 17 s long less than 2 s
   * was heard. */
  assert_true(raw_size() - at_stop <= 2 * 1024);
  assert_true(raw_size() < RATE * 2 * 2);
  assert_int_equal(kiosk_audio_started(a), 1);
  kiosk_audio_close(a);
}

static void no_device_is_silent_and_says_why(void **state)
{
  (void)state;
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  kiosk_audio *a = NULL;
  assert_int_equal(kiosk_audio_open(&a), LOBBY_OK);
  assert_true(wait_for(a, KIOSK_AUDIO_NO_DEVICE, 5000));
  assert_true(strlen(kiosk_audio_why(a)) > 0);
  kiosk_sound s = {.alarm_ms = 500, .volume = 100};
  kiosk_audio_play(a, &s);
  kiosk_audio_stop(a);
  assert_int_equal(kiosk_audio_now(a), KIOSK_AUDIO_NO_DEVICE);
  kiosk_audio_close(a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(alarm_then_speech_is_played),
    cmocka_unit_test(volume_scales_the_sound),
    cmocka_unit_test(stop_silences_at_once),
    cmocka_unit_test(no_device_is_silent_and_says_why),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
