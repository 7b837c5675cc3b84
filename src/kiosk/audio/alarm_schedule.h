/* When the emergency sounds: at once when it appears (or its text
 * changes), again every repeat_s seconds while it is shown, and silence
 * the moment it is withdrawn.  Pure: the app feeds it the emergency's
 * identity and the time, and acts on the answer. */
#ifndef ALARM_SCHEDULE_H
#define ALARM_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { KIOSK_ALARM_NOTHING, KIOSK_ALARM_PLAY, KIOSK_ALARM_STOP } kiosk_alarm_action;

typedef struct {
  bool active;      /* an emergency is sounding */
  uint64_t key;     /* its identity: a hash of its id and text */
  int64_t next_ms;  /* when it sounds again */
} kiosk_alarm_schedule;

/* What to do at now_ms; key is NULL when no emergency is shown. */
kiosk_alarm_action kiosk_alarm_due(kiosk_alarm_schedule *s, const uint64_t *key, int64_t now_ms, int repeat_s);

/* Milliseconds from now_ms until it must be asked again; -1: not before
 * the emergency changes. */
int64_t kiosk_alarm_wait_ms(const kiosk_alarm_schedule *s, int64_t now_ms);

/* The identity of an emergency: FNV-1a over its parts, each ended by a 0. */
uint64_t kiosk_alarm_key(const char *const *parts, int n);

#endif
