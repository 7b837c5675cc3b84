/* The kiosk's sound: SDL's audio device, and a sound thread that makes
 * what it plays (the alarm tone, and speech from eSpeak NG, whose data is
 * loaded there at the first use).  The UI thread only hands over a sound
 * or a stop and reads the state: it never waits for either.  A kiosk with
 * no audio device works as before, silently, and says why. */
#ifndef KIOSK_AUDIO_H
#define KIOSK_AUDIO_H

#include <stdbool.h>
#include "lobby_error.h"
#include "speech_text.h"

#define KIOSK_SOUND_TEXT_MAX 4096

typedef enum { KIOSK_AUDIO_NO_DEVICE, KIOSK_AUDIO_SILENT, KIOSK_AUDIO_PLAYING } kiosk_audio_state;

/* One sound: the alarm tone (if alarm_ms > 0), then text read aloud. */
typedef struct {
  int alarm_ms;
  int volume; /* 0 to 100 */
  kiosk_speech_lang lang;
  char text[KIOSK_SOUND_TEXT_MAX]; /* as written: made speakable on the sound thread */
} kiosk_sound;

typedef struct kiosk_audio kiosk_audio;

/* Starts the sound thread, which first looks for an audio device (until
 * it has, the state is silent).  Fails only when out of memory or
 * threads; no device is a state, not an error. */
lobby_err kiosk_audio_open(kiosk_audio **out);

/* Plays s instead of whatever is playing. */
void kiosk_audio_play(kiosk_audio *a, const kiosk_sound *s);

/* Silence now: what is queued is dropped and speech being made stops. */
void kiosk_audio_stop(kiosk_audio *a);

kiosk_audio_state kiosk_audio_now(kiosk_audio *a);

/* Why there is no device ("" when there is one). */
const char *kiosk_audio_why(kiosk_audio *a);

/* Sounds started since opening: for tests and the log. */
unsigned kiosk_audio_started(kiosk_audio *a);

void kiosk_audio_close(kiosk_audio *a);

#endif
