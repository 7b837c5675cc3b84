/* Keeping a helper librime session composing the same letters as the
 * resident's session, for the alternatives the kiosk adds to a page
 * (name_alternatives.h, sentence_alternatives.h). */
#ifndef KIOSK_RIME_COMPOSE_H
#define KIOSK_RIME_COMPOSE_H

#include <stdbool.h>
#include <rime_api.h>

/* X11 keysym of the key that takes a letter away, or reopens a chosen
 * part, in librime. */
#define KIOSK_RIME_BACKSPACE 0xff08

/* Makes session compose input (letters and apostrophes), with nothing
 * chosen.  Each key costs librime a translation, so only the difference
 * is sent: typing adds a letter at the end, and a backspace takes one
 * away; anything else starts again.  False when librime refuses a key. */
bool kiosk_rime_compose(RimeApi *api, RimeSessionId session, const char *input);

#endif
