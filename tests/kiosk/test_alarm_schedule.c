/* When the emergency sounds (alarm_schedule.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "alarm_schedule.h"

static void sounds_at_once_and_again_every_interval(void **state)
{
  (void)state;
  kiosk_alarm_schedule s = {0};
  uint64_t key = 42;
  assert_int_equal(kiosk_alarm_wait_ms(&s, 0), -1);
  assert_int_equal(kiosk_alarm_due(&s, &key, 1000, 60), KIOSK_ALARM_PLAY);
  assert_int_equal(kiosk_alarm_wait_ms(&s, 1000), 60000);
  assert_int_equal(kiosk_alarm_due(&s, &key, 60999, 60), KIOSK_ALARM_NOTHING);
  assert_int_equal(kiosk_alarm_wait_ms(&s, 60999), 1);
  assert_int_equal(kiosk_alarm_due(&s, &key, 61000, 60), KIOSK_ALARM_PLAY);
  assert_int_equal(kiosk_alarm_due(&s, &key, 61001, 60), KIOSK_ALARM_NOTHING);
  /* A loop that overslept sounds once, not once per missed interval. */
  assert_int_equal(kiosk_alarm_due(&s, &key, 500000, 60), KIOSK_ALARM_PLAY);
  assert_int_equal(kiosk_alarm_due(&s, &key, 500001, 60), KIOSK_ALARM_NOTHING);
}

static void a_changed_emergency_sounds_at_once(void **state)
{
  (void)state;
  kiosk_alarm_schedule s = {0};
  uint64_t first = 1, second = 2;
  assert_int_equal(kiosk_alarm_due(&s, &first, 0, 60), KIOSK_ALARM_PLAY);
  assert_int_equal(kiosk_alarm_due(&s, &second, 5000, 60), KIOSK_ALARM_PLAY);
  assert_int_equal(kiosk_alarm_wait_ms(&s, 5000), 60000);
}

static void withdrawn_is_silence_once(void **state)
{
  (void)state;
  kiosk_alarm_schedule s = {0};
  uint64_t key = 7;
  assert_int_equal(kiosk_alarm_due(&s, NULL, 0, 60), KIOSK_ALARM_NOTHING);
  assert_int_equal(kiosk_alarm_due(&s, &key, 0, 60), KIOSK_ALARM_PLAY);
  assert_int_equal(kiosk_alarm_due(&s, NULL, 100, 60), KIOSK_ALARM_STOP);
  assert_int_equal(kiosk_alarm_due(&s, NULL, 200, 60), KIOSK_ALARM_NOTHING);
  assert_int_equal(kiosk_alarm_wait_ms(&s, 200), -1);
  /* The same emergency posted again sounds again. */
  assert_int_equal(kiosk_alarm_due(&s, &key, 300, 60), KIOSK_ALARM_PLAY);
}

static void key_tells_texts_apart(void **state)
{
  (void)state;
  const char *a[] = {"12", "燃气泄漏", "请立即撤离"};
  const char *b[] = {"12", "燃气泄漏", "请立即撤离。"};
  const char *c[] = {"12", "燃气泄漏请", "立即撤离"};
  assert_int_equal(kiosk_alarm_key(a, 3), kiosk_alarm_key(a, 3));
  assert_int_not_equal(kiosk_alarm_key(a, 3), kiosk_alarm_key(b, 3));
  assert_int_not_equal(kiosk_alarm_key(a, 3), kiosk_alarm_key(c, 3));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(sounds_at_once_and_again_every_interval),
    cmocka_unit_test(a_changed_emergency_sounds_at_once),
    cmocka_unit_test(withdrawn_is_silence_once),
    cmocka_unit_test(key_tells_texts_apart),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
