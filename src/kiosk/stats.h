/* Frame render times per screen, for the headless run's summary line. */
#ifndef KIOSK_STATS_H
#define KIOSK_STATS_H

#include <stdio.h>

#define KIOSK_STATS_SCREENS 48
#define KIOSK_STATS_SAMPLES 4096

typedef struct {
  char name[32];
  float *ms;
  int n, cap;
} kiosk_stat_screen;

typedef struct {
  kiosk_stat_screen s[KIOSK_STATS_SCREENS];
  int n;
} kiosk_stats;

void kiosk_stats_add(kiosk_stats *st, const char *screen, float ms);
/* p in [0, 100]; 0 when there are no samples. */
float kiosk_stats_percentile(const kiosk_stat_screen *s, float p);
/* One line per screen: "kiosk-frame screen=NAME frames=N p50_ms=X p99_ms=Y". */
void kiosk_stats_print(const kiosk_stats *st, FILE *out);
void kiosk_stats_free(kiosk_stats *st);

#endif
