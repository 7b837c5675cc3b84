/* The read-aloud voice: eSpeak NG (Debian's espeak-ng) turns spoken text
 * (speech_text.h) into 16-bit mono samples handed to a sink as they are
 * made.  eSpeak NG keeps its state in globals, so one voice exists at a
 * time and is used from one thread: the kiosk's speech thread. */
#ifndef SPEECH_VOICE_H
#define SPEECH_VOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"
#include "speech_text.h"

typedef struct kiosk_voice kiosk_voice;

/* Receives each piece of audio as it is made; returns false to stop. */
typedef bool (*kiosk_voice_sink)(const int16_t *samples, size_t count, void *ctx);

/* Loads eSpeak NG's data (data_dir: the directory holding espeak-ng-data,
 * NULL for the system's).  LOBBY_ECONFLICT when a voice is open already,
 * LOBBY_EIO when the data cannot be loaded. */
lobby_err kiosk_voice_open(const char *data_dir, kiosk_voice **out);

/* Samples per second of what the sink receives. */
int kiosk_voice_rate(const kiosk_voice *v);

/* Speaks text (already made speakable) in lang; returns when all of it has
 * reached the sink or the sink asked to stop.  LOBBY_ENOTFOUND when the
 * language's voice is missing, LOBBY_EIO when synthesis fails. */
lobby_err kiosk_voice_say(kiosk_voice *v, const char *text, kiosk_speech_lang lang, kiosk_voice_sink sink,
                          void *ctx);

void kiosk_voice_close(kiosk_voice *v);

#endif
