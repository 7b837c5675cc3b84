/* The read-aloud text (speech_text.h) made from a notice's title and body,
 * which come from the feed: in both languages, into a roomy buffer and a
 * tight one.  What is written must always be well-formed UTF-8. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "lobby_text.h"
#include "speech_text.h"

static void speak(const char *text, kiosk_speech_lang lang, size_t size)
{
  char out[4096];
  lobby_err err = kiosk_speech_text(text, lang, out, size);
  if (err != LOBBY_OK && err != LOBBY_EINVAL && err != LOBBY_ETOOBIG)
    abort();
  if (!lobby_utf8_valid(out, strlen(out)))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  size_t tight = size % 64 + 1;
  for (int lang = KIOSK_SPEECH_ZH; lang <= KIOSK_SPEECH_EN; lang++) {
    speak(text, (kiosk_speech_lang)lang, 4096);
    speak(text, (kiosk_speech_lang)lang, tight);
  }
  free(text);
  return 0;
}
