/* The hi-lo alarm tone (alarm_tone.h). */
#include "alarm_tone.h"

#include <math.h>

#define HIGH_HZ 960.0
#define LOW_HZ 770.0
#define STEP_MS 250
/* Full volume stays below clipping, and the edges of each step are
 * faded over 5 ms so that the speaker does not click. */
#define PEAK 0.7
#define FADE_MS 5
#define TWO_PI 6.283185307179586

size_t kiosk_alarm_samples(int rate, int ms)
{
  return rate > 0 && ms > 0 ? (size_t)rate * (size_t)ms / 1000 : 0;
}

void kiosk_alarm_fill(int16_t *out, int rate, int ms, int volume)
{
  size_t n = kiosk_alarm_samples(rate, ms);
  size_t step = (size_t)rate * STEP_MS / 1000, fade = (size_t)rate * FADE_MS / 1000;
  double amp = PEAK * 32767.0 * (volume < 0 ? 0 : volume > 100 ? 100 : volume) / 100.0;
  double phase = 0;
  for (size_t i = 0; i < n; i++) {
    size_t in_step = i % step;
    double hz = (i / step) % 2 ? LOW_HZ : HIGH_HZ;
    double edge = 1.0;
    if (in_step < fade)
      edge = (double)in_step / (double)fade;
    else if (step - in_step < fade)
      edge = (double)(step - in_step) / (double)fade;
    phase += TWO_PI * hz / rate;
    out[i] = (int16_t)lrint(amp * edge * sin(phase));
  }
}
