/* The emergency's alarm: a hi-lo tone (960 Hz and 770 Hz, a quarter of a
 * second each), the pattern evacuation alarms use, so that people in the
 * lobby look up before the voice speaks. */
#ifndef ALARM_TONE_H
#define ALARM_TONE_H

#include <stddef.h>
#include <stdint.h>

/* Samples of a tone of ms milliseconds at rate, at volume 0 to 100. */
size_t kiosk_alarm_samples(int rate, int ms);

/* Fills out (kiosk_alarm_samples(rate, ms) of them) with the tone. */
void kiosk_alarm_fill(int16_t *out, int rate, int ms, int volume);

#endif
