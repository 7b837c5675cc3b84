/* SDL's audio device and the sound thread (kiosk_audio.h).
 *
 * The device is open only while a sound plays: an open SDL device runs
 * its own thread that wakes every buffer even in silence, and an idle
 * kiosk sleeps.  The sound thread opens it, queues the sound, waits for
 * the queue to drain and closes it again.
 *
 * Invariants: every sample reaches the device through queue_piece, under
 * the lock, and only while the sound it belongs to is the current one
 * (its generation); kiosk_audio_stop and kiosk_audio_play move the
 * generation on and clear the device's queue under the same lock, so no
 * piece of an old sound is heard after they return. */
#include "kiosk_audio.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>
#include "alarm_tone.h"
#include "lobby_log.h"
#include "speech_voice.h"

/* eSpeak NG's rate: the device is opened at it and SDL converts. */
#define AUDIO_RATE 22050
/* The device's own buffer: what may still sound once the queue is empty. */
#define DEVICE_SAMPLES 1024
#define DRAIN_POLL_MS 20
#define TAIL_MS 150

/* Whether there is a device: the sound thread finds out first thing, so
 * that the UI thread never waits for the sound system to start. */
typedef enum { DEVICE_PROBING, DEVICE_FOUND, DEVICE_MISSING } device_probe;

struct kiosk_audio {
  bool sdl_audio; /* SDL's audio subsystem is initialised (the sound thread's) */
  SDL_Thread *thread;
  SDL_mutex *lock;
  SDL_cond *wake;
  /* Under lock. */
  device_probe probe;
  char why[160];  /* set before probe becomes DEVICE_MISSING, then kept */
  SDL_AudioDeviceID dev; /* 0 while closed */
  kiosk_sound pending;
  bool has_pending, busy, quit;
  unsigned generation, started;
  /* The sound thread's own. */
  kiosk_voice *voice;
  bool voice_failed;
  char spoken[KIOSK_SOUND_TEXT_MAX * 3];
};

/* What the voice's pieces are queued for. */
typedef struct {
  kiosk_audio *a;
  unsigned generation;
  int volume;
} sound_call;

static SDL_AudioDeviceID open_device(void)
{
  SDL_AudioSpec want = {.freq = AUDIO_RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = DEVICE_SAMPLES};
  return SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
}

static bool is_current(const kiosk_audio *a, unsigned generation)
{
  return a->generation == generation && !a->quit;
}

/* Queues samples if their sound is still the current one. */
static bool queue_piece(kiosk_audio *a, unsigned generation, const int16_t *samples, size_t count)
{
  SDL_LockMutex(a->lock);
  bool current = is_current(a, generation) && a->dev;
  if (current && SDL_QueueAudio(a->dev, samples, (Uint32)(count * sizeof *samples)) != 0)
    current = false;
  SDL_UnlockMutex(a->lock);
  return current;
}

static bool on_speech(const int16_t *samples, size_t count, void *ctx)
{
  sound_call *call = ctx;
  int16_t scaled[4096];
  while (count > 0) {
    size_t n = count < 4096 ? count : 4096;
    for (size_t i = 0; i < n; i++)
      scaled[i] = (int16_t)(samples[i] * call->volume / 100);
    if (!queue_piece(call->a, call->generation, scaled, n))
      return false;
    samples += n;
    count -= n;
  }
  return true;
}

static void play_alarm(kiosk_audio *a, const kiosk_sound *s, unsigned generation)
{
  size_t n = kiosk_alarm_samples(AUDIO_RATE, s->alarm_ms);
  int16_t *tone = n ? malloc(n * sizeof *tone) : NULL;
  if (!tone)
    return;
  kiosk_alarm_fill(tone, AUDIO_RATE, s->alarm_ms, s->volume);
  (void)queue_piece(a, generation, tone, n);
  free(tone);
}

/* eSpeak NG's data is loaded here, at the first sound, never on the UI
 * thread; a voice that cannot load leaves the kiosk with the tone only. */
static bool voice_ready(kiosk_audio *a)
{
  if (!a->voice && !a->voice_failed && kiosk_voice_open(NULL, &a->voice) != LOBBY_OK) {
    a->voice_failed = true;
    LOBBY_WARN("audio: cannot load the voice (package espeak-ng-data); sounds play without speech");
  }
  return a->voice != NULL;
}

static void play_speech(kiosk_audio *a, const kiosk_sound *s, unsigned generation)
{
  if (!s->text[0] || !voice_ready(a))
    return;
  /* Text that does not fit is read as far as it fits. */
  lobby_err err = kiosk_speech_text(s->text, s->lang, a->spoken, sizeof a->spoken);
  if (err != LOBBY_OK && err != LOBBY_ETOOBIG)
    return;
  sound_call call = {.a = a, .generation = generation, .volume = s->volume};
  if (kiosk_voice_say(a->voice, a->spoken, s->lang, on_speech, &call) != LOBBY_OK)
    LOBBY_WARN("audio: the voice could not speak");
}

/* Opens the device for a sound; false when it cannot be opened now. */
static bool device_up(kiosk_audio *a)
{
  SDL_LockMutex(a->lock);
  if (!a->dev) {
    a->dev = open_device();
    if (a->dev)
      SDL_PauseAudioDevice(a->dev, 0);
    else
      LOBBY_WARN("audio: cannot open the audio device: %s", SDL_GetError());
  }
  bool up = a->dev != 0;
  SDL_UnlockMutex(a->lock);
  return up;
}

/* Waits until the sound has been heard to its end (its queue empty and
 * the device's last buffer played) or is no longer the current one. */
static void wait_heard(kiosk_audio *a, unsigned generation)
{
  int tail = TAIL_MS;
  for (;;) {
    SDL_LockMutex(a->lock);
    bool waiting = is_current(a, generation) && !a->has_pending;
    bool queued = waiting && SDL_GetQueuedAudioSize(a->dev) > 0;
    SDL_UnlockMutex(a->lock);
    if (!waiting || (!queued && (tail -= DRAIN_POLL_MS) <= 0))
      return;
    SDL_Delay(DRAIN_POLL_MS);
  }
}

static void play(kiosk_audio *a, const kiosk_sound *s, unsigned generation)
{
  if (!device_up(a))
    return;
  if (s->alarm_ms > 0)
    play_alarm(a, s, generation);
  play_speech(a, s, generation);
  wait_heard(a, generation);
}

/* Under lock: the device closes when no sound follows. */
static void device_down(kiosk_audio *a)
{
  if (a->dev && !a->has_pending) {
    SDL_CloseAudioDevice(a->dev);
    a->dev = 0;
  }
}

static void probe_device(kiosk_audio *a);

static int sound_thread(void *arg)
{
  kiosk_audio *a = arg;
  probe_device(a);
  kiosk_sound *s = malloc(sizeof *s);
  SDL_LockMutex(a->lock);
  while (s && !a->quit && a->probe == DEVICE_FOUND) {
    if (!a->has_pending) {
      SDL_CondWait(a->wake, a->lock);
      continue;
    }
    *s = a->pending;
    a->has_pending = false;
    a->busy = true;
    unsigned generation = a->generation;
    SDL_UnlockMutex(a->lock);
    play(a, s, generation);
    SDL_LockMutex(a->lock);
    a->busy = false;
    device_down(a);
  }
  a->has_pending = false;
  a->busy = false;
  device_down(a);
  SDL_UnlockMutex(a->lock);
  free(s);
  kiosk_voice_close(a->voice);
  return 0;
}

/* Whether the kiosk has a device at all: opened once and closed. */
static void probe_device(kiosk_audio *a)
{
  a->sdl_audio = SDL_InitSubSystem(SDL_INIT_AUDIO) == 0;
  SDL_AudioDeviceID dev = a->sdl_audio ? open_device() : 0;
  if (dev)
    SDL_CloseAudioDevice(dev);
  SDL_LockMutex(a->lock);
  if (!dev) {
    SDL_snprintf(a->why, sizeof a->why, "%s", SDL_GetError()[0] ? SDL_GetError() : "no audio device");
    LOBBY_WARN("audio: no audio device (%s); the kiosk carries on silently", a->why);
  }
  a->probe = dev ? DEVICE_FOUND : DEVICE_MISSING;
  SDL_UnlockMutex(a->lock);
}

lobby_err kiosk_audio_open(kiosk_audio **out)
{
  kiosk_audio *a = calloc(1, sizeof *a);
  if (!a)
    return LOBBY_ENOMEM;
  a->lock = SDL_CreateMutex();
  a->wake = SDL_CreateCond();
  if (a->lock && a->wake)
    a->thread = SDL_CreateThread(sound_thread, "sound", a);
  if (!a->thread) {
    kiosk_audio_close(a);
    return LOBBY_ENOMEM;
  }
  *out = a;
  return LOBBY_OK;
}

/* Under lock: what is queued is dropped. */
static void silence(kiosk_audio *a)
{
  a->generation++;
  if (a->dev)
    SDL_ClearQueuedAudio(a->dev);
}

void kiosk_audio_play(kiosk_audio *a, const kiosk_sound *s)
{
  SDL_LockMutex(a->lock);
  if (a->probe == DEVICE_MISSING) {
    SDL_UnlockMutex(a->lock);
    return;
  }
  silence(a);
  a->started++;
  a->pending = *s;
  a->has_pending = true;
  SDL_CondSignal(a->wake);
  SDL_UnlockMutex(a->lock);
}

void kiosk_audio_stop(kiosk_audio *a)
{
  SDL_LockMutex(a->lock);
  silence(a);
  a->has_pending = false;
  SDL_UnlockMutex(a->lock);
}

kiosk_audio_state kiosk_audio_now(kiosk_audio *a)
{
  SDL_LockMutex(a->lock);
  bool missing = a->probe == DEVICE_MISSING, playing = a->busy || a->has_pending;
  SDL_UnlockMutex(a->lock);
  return missing ? KIOSK_AUDIO_NO_DEVICE : playing ? KIOSK_AUDIO_PLAYING : KIOSK_AUDIO_SILENT;
}

const char *kiosk_audio_why(kiosk_audio *a)
{
  SDL_LockMutex(a->lock);
  const char *why = a->probe == DEVICE_MISSING ? a->why : "";
  SDL_UnlockMutex(a->lock);
  return why;
}

unsigned kiosk_audio_started(kiosk_audio *a)
{
  SDL_LockMutex(a->lock);
  unsigned n = a->started;
  SDL_UnlockMutex(a->lock);
  return n;
}

void kiosk_audio_close(kiosk_audio *a)
{
  if (!a)
    return;
  if (a->thread) {
    SDL_LockMutex(a->lock);
    a->quit = true;
    silence(a);
    SDL_CondSignal(a->wake);
    SDL_UnlockMutex(a->lock);
    SDL_WaitThread(a->thread, NULL);
  }
  /* The thread has ended: sdl_audio is the UI thread's to read now. */
  if (a->sdl_audio)
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  if (a->wake)
    SDL_DestroyCond(a->wake);
  if (a->lock)
    SDL_DestroyMutex(a->lock);
  free(a);
}
