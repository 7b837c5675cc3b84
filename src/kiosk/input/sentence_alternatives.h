/* Whole-input alternatives to librime's sentence, for the kiosk's text
 * fields.
 *
 * For "diantitingzaibanceng" librime offers one whole candidate, its best
 * sentence (电梯厅在半层), and after it only parts of the input (电梯厅,
 * 电梯, 点题 ...).  A resident who meant 电梯停在半层 has to choose 电梯 and
 * then the sentence for the rest: two steps, and only if they see that the
 * first part is where it went wrong.  Most wrong sentences go wrong in
 * their first word.  So next to the sentence the kiosk offers what those
 * two steps would give: each of the first page's parts followed by the
 * engine's sentence for the rest, when that differs from what is already
 * offered.
 *
 * This runs in a session of its own, in the text schema, so that the
 * session the resident types into is never disturbed.  It chooses a part
 * there and goes back, and never commits, so clearing its composition
 * leaves it holding nothing typed. */
#ifndef KIOSK_SENTENCE_ALTERNATIVES_H
#define KIOSK_SENTENCE_ALTERNATIVES_H

#include <stddef.h>
#include <rime_api.h>

/* How many alternatives the kiosk adds; with the sentence they are the
 * first three places of the first page.  More added nothing on the tuning
 * phrases (tests/bench/pinyin) and cost a full translation each. */
#define KIOSK_SENTENCE_ALTERNATIVES_MAX 2
/* The later-word alternatives fill what the sentence and the first-word
 * alternatives leave of the first page's first five places, the ones a
 * resident reads. */
#define KIOSK_SENTENCE_PLACES 5
/* The helper page's candidates read at each step, and the longest text
 * one may hold (a page's candidate, or the sentence's chosen words). */
#define KIOSK_SENTENCE_PAGE_MAX 8
#define KIOSK_SENTENCE_TEXT_CAP 512

/* What the alternatives are made from: the letters typed (nothing chosen
 * yet) and the first page the resident's session shows for them, whose
 * candidate 0 is the sentence.  Candidate i of the page is librime's
 * candidate i of its first page in a session of the same schema. */
typedef struct {
  RimeApi *api;
  RimeSessionId session; /* the alternatives' own session, text schema */
  const char *input;     /* as librime holds it: letters and apostrophes */
  const char *const *page;
  int page_count;
} kiosk_sentence_request;

/* Writes up to max alternatives into alts (max rows of alt_cap bytes),
 * each the whole text that choosing one of the page's shorter candidates
 * and then the first candidate for the rest commits, none equal to a
 * candidate of the page or to another.  Returns how many.  Leaves the
 * session with nothing composed. */
int kiosk_sentence_alternatives(const kiosk_sentence_request *req, char *alts, size_t alt_cap,
                                int max);

/* Writes up to max alternatives that keep the sentence's first words and
 * differ from it later: walking the sentence word by word in the helper
 * session, at each boundary the rest's other whole readings, then its
 * first parts followed by the sentence for what is left (收据不开 gives
 * 收据补开).  None equals a candidate of the page (which may already
 * hold the first-word alternatives) or another.  This costs a translation
 * per candidate tried, several times what the first-word alternatives
 * cost, so the kiosk runs it when idle, after the keystroke's candidates
 * are drawn.  Leaves the session composing the input with nothing
 * chosen, or with nothing composed. */
int kiosk_sentence_later_alternatives(const kiosk_sentence_request *req, char *alts, size_t alt_cap,
                                      int max);

#endif
