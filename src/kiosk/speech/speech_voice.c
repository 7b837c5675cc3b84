/* eSpeak NG behind kiosk_voice (speech_voice.h).  The library is loaded
 * with dlopen at the first voice: linked, it and the audio codecs under
 * it (libsndfile, FLAC, Vorbis, Opus, mpg123, LAME) would load before the
 * kiosk's first frame, for a voice most kiosks use rarely. */
#include "speech_voice.h"

#include <dlfcn.h>
#include <espeak-ng/speak_lib.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Debian's "cmn" voice reads the characters its dictionary lacks (修, 九,
 * 点 among them) as their pinyin spelt out in English letters; the
 * pinyin voice reads the same pinyin as Mandarin. */
#define VOICE_ZH "cmn-latn-pinyin"
#define VOICE_EN "en"
/* Pieces of 100 ms: small enough that the first is ready at once. */
#define PIECE_MS 100

struct kiosk_voice {
  int rate;
};

/* What one kiosk_voice_say passes to eSpeak's callback. */
typedef struct {
  kiosk_voice_sink sink;
  void *ctx;
  bool stopped;
} voice_call;

static atomic_bool voice_open;
/* The call being spoken: eSpeak's callback has no argument of its own
 * that is set on every piece, and there is one voice at a time. */
static voice_call *speaking;

static int on_samples(short *wav, int count, espeak_EVENT *events)
{
  (void)events;
  voice_call *call = speaking;
  if (!call || call->stopped)
    return 1;
  if (wav && count > 0 && !call->sink((const int16_t *)wav, (size_t)count, call->ctx))
    call->stopped = true;
  return call->stopped ? 1 : 0;
}

/* The library's functions this file calls. */
typedef struct {
  int (*initialize)(espeak_AUDIO_OUTPUT, int, const char *, int);
  void (*set_synth_callback)(t_espeak_callback *);
  espeak_ERROR (*set_voice_by_name)(const char *);
  espeak_ERROR (*synth)(const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int,
                        unsigned int *, void *);
} espeak_api;

static espeak_api api;

/* Loads the library once; false when it or a function is missing. */
static bool load_api(void)
{
  if (api.synth)
    return true;
  void *lib = dlopen(ESPEAK_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return false;
  espeak_api a;
  *(void **)&a.initialize = dlsym(lib, "espeak_Initialize");
  *(void **)&a.set_synth_callback = dlsym(lib, "espeak_SetSynthCallback");
  *(void **)&a.set_voice_by_name = dlsym(lib, "espeak_SetVoiceByName");
  *(void **)&a.synth = dlsym(lib, "espeak_Synth");
  if (!a.initialize || !a.set_synth_callback || !a.set_voice_by_name || !a.synth) {
    dlclose(lib);
    return false;
  }
  /* Kept loaded: eSpeak NG is never terminated (below). */
  api = a;
  return true;
}

/* eSpeak NG is initialised once per process and never terminated:
 * espeak_Terminate of Debian's 1.51 was seen to hang for good after a
 * synthesis its callback had cut short.  Its data stays loaded (about
 * 2 MB) once the kiosk has spoken. */
static int espeak_rate;

lobby_err kiosk_voice_open(const char *data_dir, kiosk_voice **out)
{
  bool was_open = false;
  if (!atomic_compare_exchange_strong(&voice_open, &was_open, true))
    return LOBBY_ECONFLICT;
  /* espeakINITIALIZE_DONT_EXIT: missing data is an error to report, not
   * a reason for the library to end the process. */
  if (espeak_rate <= 0 && load_api())
    espeak_rate = api.initialize(AUDIO_OUTPUT_SYNCHRONOUS, PIECE_MS, data_dir, espeakINITIALIZE_DONT_EXIT);
  kiosk_voice *v = espeak_rate > 0 ? calloc(1, sizeof *v) : NULL;
  if (!v) {
    atomic_store(&voice_open, false);
    return espeak_rate > 0 ? LOBBY_ENOMEM : LOBBY_EIO;
  }
  v->rate = espeak_rate;
  api.set_synth_callback(on_samples);
  *out = v;
  return LOBBY_OK;
}

int kiosk_voice_rate(const kiosk_voice *v)
{
  return v->rate;
}

lobby_err kiosk_voice_say(kiosk_voice *v, const char *text, kiosk_speech_lang lang, kiosk_voice_sink sink,
                          void *ctx)
{
  (void)v;
  if (api.set_voice_by_name(lang == KIOSK_SPEECH_ZH ? VOICE_ZH : VOICE_EN) != EE_OK)
    return LOBBY_ENOTFOUND;
  voice_call call = {.sink = sink, .ctx = ctx};
  speaking = &call;
  espeak_ERROR err = api.synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakENDPAUSE,
                                  NULL, NULL);
  speaking = NULL;
  /* A sink that stopped is not a failure. */
  return err == EE_OK || call.stopped ? LOBBY_OK : LOBBY_EIO;
}

void kiosk_voice_close(kiosk_voice *v)
{
  if (!v)
    return;
  free(v);
  atomic_store(&voice_open, false);
}
