#include "stats.h"

#include <stdlib.h>
#include <string.h>

void kiosk_stats_add(kiosk_stats *st, const char *screen, float ms)
{
  kiosk_stat_screen *s = NULL;
  for (int i = 0; i < st->n; i++)
    if (strcmp(st->s[i].name, screen) == 0)
      s = &st->s[i];
  if (!s) {
    if (st->n == KIOSK_STATS_SCREENS)
      return;
    s = &st->s[st->n++];
    snprintf(s->name, sizeof s->name, "%s", screen);
  }
  if (s->n == s->cap) {
    if (s->cap >= KIOSK_STATS_SAMPLES)
      return;
    int cap = s->cap ? s->cap * 2 : 64;
    float *v = realloc(s->ms, (size_t)cap * sizeof *v);
    if (!v)
      return;
    s->ms = v;
    s->cap = cap;
  }
  s->ms[s->n++] = ms;
}

static int cmp_float(const void *a, const void *b)
{
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

float kiosk_stats_percentile(const kiosk_stat_screen *s, float p)
{
  if (s->n == 0)
    return 0;
  float *v = malloc((size_t)s->n * sizeof *v);
  if (!v)
    return 0;
  memcpy(v, s->ms, (size_t)s->n * sizeof *v);
  qsort(v, (size_t)s->n, sizeof *v, cmp_float);
  /* Nearest-rank percentile. */
  int rank = (int)(p / 100.0f * (float)s->n + 0.999f);
  if (rank < 1)
    rank = 1;
  if (rank > s->n)
    rank = s->n;
  float r = v[rank - 1];
  free(v);
  return r;
}

void kiosk_stats_print(const kiosk_stats *st, FILE *out)
{
  for (int i = 0; i < st->n; i++) {
    const kiosk_stat_screen *s = &st->s[i];
    fprintf(out, "kiosk-frame screen=%s frames=%d p50_ms=%.2f p99_ms=%.2f\n", s->name, s->n,
            (double)kiosk_stats_percentile(s, 50), (double)kiosk_stats_percentile(s, 99));
  }
}

void kiosk_stats_free(kiosk_stats *st)
{
  for (int i = 0; i < st->n; i++)
    free(st->s[i].ms);
  memset(st, 0, sizeof *st);
}
