/* The text a notice or a receipt is read aloud from.  A speech
 * synthesizer reads "9:00" as "nine zero zero" and "400-800-1234" as
 * "four hundred, eight hundred, one thousand two hundred…"; a person reads
 * 九点 and 四零零，八零零，幺二三四.  This rewrites times, phone numbers,
 * codes, ticket numbers, years and short ranges the way a person says them,
 * and leaves every other character as it is. */
#ifndef SPEECH_TEXT_H
#define SPEECH_TEXT_H

#include <stddef.h>
#include "lobby_error.h"

typedef enum { KIOSK_SPEECH_ZH, KIOSK_SPEECH_EN } kiosk_speech_lang;

/* Writes text as it is to be spoken in lang into out (size bytes, at least
 * 1; always terminated).  LOBBY_EINVAL when text is not well-formed UTF-8
 * (out is then empty); LOBBY_ETOOBIG when the spoken text does not fit
 * (out then holds what fitted, cut between characters). */
lobby_err kiosk_speech_text(const char *text, kiosk_speech_lang lang, char *out, size_t size);

#endif
