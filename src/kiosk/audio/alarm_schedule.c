/* The emergency's sound schedule (alarm_schedule.h). */
#include "alarm_schedule.h"

kiosk_alarm_action kiosk_alarm_due(kiosk_alarm_schedule *s, const uint64_t *key, int64_t now_ms, int repeat_s)
{
  if (!key) {
    if (!s->active)
      return KIOSK_ALARM_NOTHING;
    s->active = false;
    return KIOSK_ALARM_STOP;
  }
  if (s->active && s->key == *key && now_ms < s->next_ms)
    return KIOSK_ALARM_NOTHING;
  s->active = true;
  s->key = *key;
  s->next_ms = now_ms + (int64_t)repeat_s * 1000;
  return KIOSK_ALARM_PLAY;
}

int64_t kiosk_alarm_wait_ms(const kiosk_alarm_schedule *s, int64_t now_ms)
{
  if (!s->active)
    return -1;
  return s->next_ms > now_ms ? s->next_ms - now_ms : 0;
}

uint64_t kiosk_alarm_key(const char *const *parts, int n)
{
  uint64_t h = 14695981039346656037ull;
  for (int i = 0; i < n; i++) {
    for (const unsigned char *p = (const unsigned char *)(parts[i] ? parts[i] : ""); ; p++) {
      h = (h ^ *p) * 1099511628211ull;
      if (!*p)
        break;
    }
  }
  return h;
}
