/* The read-aloud voice (speech_voice.h) with Debian's eSpeak NG: Mandarin
 * and English are heard, a listener can stop it, and there is one voice at
 * a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "speech_voice.h"

typedef struct {
  size_t samples, pieces, loud;
  size_t stop_after; /* pieces; 0: never */
} listener;

static bool listen(const int16_t *samples, size_t count, void *ctx)
{
  listener *l = ctx;
  l->pieces++;
  l->samples += count;
  for (size_t i = 0; i < count; i++)
    l->loud += abs(samples[i]) > 1000;
  return l->stop_after == 0 || l->pieces < l->stop_after;
}

static int open_voice(void **state)
{
  kiosk_voice *v;
  if (kiosk_voice_open(NULL, &v) != LOBBY_OK)
    return -1;
  *state = v;
  return 0;
}

static int close_voice(void **state)
{
  kiosk_voice_close(*state);
  return 0;
}

/* 九点 and a phone number, as speech_text.c writes them: more than a
 * second of audio, much of it not silence. */
static void mandarin_is_heard(void **state)
{
  kiosk_voice *v = *state;
  listener l = {0};
  assert_int_equal(kiosk_voice_say(v, "九点，四零零，八零零，幺二三四", KIOSK_SPEECH_ZH, listen, &l), LOBBY_OK);
  int rate = kiosk_voice_rate(v);
  assert_true(rate >= 8000);
  assert_true(l.samples > (size_t)rate);
  assert_true(l.loud > (size_t)rate / 10);
}

static void english_is_heard(void **state)
{
  kiosk_voice *v = *state;
  listener l = {0};
  assert_int_equal(kiosk_voice_say(v, "Water off from 9 AM to 5 PM.", KIOSK_SPEECH_EN, listen, &l), LOBBY_OK);
  assert_true(l.samples > (size_t)kiosk_voice_rate(v));
}

/* Tapping 朗读 again stops the voice: the listener says no more, and the
 * rest of the text is never made. */
static void a_listener_stops_it(void **state)
{
  kiosk_voice *v = *state;
  listener whole = {0}, cut = {.stop_after = 1};
  const char *text = "停水通知。因二次供水设备年度检修，十一月二十八日九点至二十点停水，请提前储水。";
  assert_int_equal(kiosk_voice_say(v, text, KIOSK_SPEECH_ZH, listen, &whole), LOBBY_OK);
  assert_int_equal(kiosk_voice_say(v, text, KIOSK_SPEECH_ZH, listen, &cut), LOBBY_OK);
  assert_int_equal(cut.pieces, 1);
  assert_true(whole.pieces > 10);
}

static void one_voice_at_a_time(void **state)
{
  (void)state;
  kiosk_voice *second = NULL;
  assert_int_equal(kiosk_voice_open(NULL, &second), LOBBY_ECONFLICT);
  assert_null(second);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mandarin_is_heard),
    cmocka_unit_test(english_is_heard),
    cmocka_unit_test(a_listener_stops_it),
    cmocka_unit_test(one_voice_at_a_time),
  };
  return cmocka_run_group_tests(tests, open_voice, close_voice);
}
