/* The read-aloud voice's start delay: for a notice and a receipt in each
 * language, the time from asking (the text made speakable, then eSpeak
 * NG) to the first piece of audio, the whole synthesis, and how long the
 * speech lasts.  Also the time to load the voice.
 *
 *   speech_bench [ROUNDS]        (default 20; medians and the worst) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "speech_text.h"
#include "speech_voice.h"

typedef struct {
  const char *name;
  kiosk_speech_lang lang;
  const char *text;
} sample;

static const sample SAMPLES[] = {
  {"zh notice", KIOSK_SPEECH_ZH,
   "停水通知。因二次供水设备年度检修，11月28日9:00至20:00，1号楼、2号楼停水，请提前储水。"
   "如有疑问请致电400-800-1234。"},
  {"zh receipt", KIOSK_SPEECH_ZH, "报修已提交，单号R-20261201-0001。维修人员将在30分钟内到场。"},
  {"en notice", KIOSK_SPEECH_EN,
   "Water off. For the yearly service of the pumps, on 28 November from 9:00 to 20:00 blocks 1 and 2 "
   "have no water. Please call 400-800-1234 with any question."},
  {"en receipt", KIOSK_SPEECH_EN,
   "Your repair request is filed, ticket R-20261201-0001. A technician will be there within 30 minutes."},
};
#define N_SAMPLES (sizeof SAMPLES / sizeof SAMPLES[0])

typedef struct {
  double start, first_ms;
  size_t samples;
} heard;

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static bool on_audio(const int16_t *samples, size_t count, void *ctx)
{
  (void)samples;
  heard *h = ctx;
  if (h->samples == 0)
    h->first_ms = now_ms() - h->start;
  h->samples += count;
  return true;
}

static int by_value(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench_sample(kiosk_voice *voice, const sample *s, int rounds)
{
  double first[rounds], total[rounds];
  char spoken[2048];
  heard h = {0};
  for (int r = 0; r < rounds; r++) {
    h = (heard){.start = now_ms()};
    if (kiosk_speech_text(s->text, s->lang, spoken, sizeof spoken) != LOBBY_OK ||
        kiosk_voice_say(voice, spoken, s->lang, on_audio, &h) != LOBBY_OK || h.samples == 0) {
      fprintf(stderr, "speech_bench: %s: no speech\n", s->name);
      return 1;
    }
    first[r] = h.first_ms;
    total[r] = now_ms() - h.start;
  }
  double worst = 0;
  for (int r = 0; r < rounds; r++)
    worst = first[r] > worst ? first[r] : worst;
  printf("| %s | %.1f | %.1f | %.1f | %.1f |\n", s->name, median(first, rounds), worst, median(total, rounds),
         (double)h.samples / kiosk_voice_rate(voice));
  return 0;
}

int main(int argc, char **argv)
{
  int rounds = argc > 1 ? atoi(argv[1]) : 20;
  if (rounds < 1 || rounds > 10000) {
    fprintf(stderr, "usage: speech_bench [ROUNDS]  (1 to 10000)\n");
    return 2;
  }
  double t0 = now_ms();
  kiosk_voice *voice;
  if (kiosk_voice_open(NULL, &voice) != LOBBY_OK) {
    fprintf(stderr, "speech_bench: cannot load eSpeak NG's data (package espeak-ng-data)\n");
    return 1;
  }
  printf("eSpeak NG at %d Hz, loaded in %.1f ms; %d rounds each\n\n", kiosk_voice_rate(voice), now_ms() - t0,
         rounds);
  printf("| text | first audio ms (median) | first audio ms (worst) | synthesis ms (median) | speech s |\n");
  printf("|---|---:|---:|---:|---:|\n");
  int status = 0;
  for (size_t i = 0; i < N_SAMPLES && status == 0; i++)
    status = bench_sample(voice, &SAMPLES[i], rounds);
  kiosk_voice_close(voice);
  return status;
}
