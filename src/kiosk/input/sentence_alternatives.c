/* Whole-input alternatives to librime's sentence; see
 * sentence_alternatives.h for why. */
#include "sentence_alternatives.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "lobby_text.h"
#include "rime_compose.h"

/* Only the two parts right after the sentence are tried: each costs
 * librime a translation of the rest, and on the tuning phrases
 * (tests/bench/pinyin) parts further down added no right alternative. */
#define PARTS_TRIED 3
/* Longer input gets no alternatives: each try translates the rest again,
 * which for 60 letters took the keystroke's p99 near 10 ms (pinyin_bench).
 * Ten characters, the most a phrase of the evaluation has, took at most
 * 35 letters there; a longer sentence is chosen in parts anyway. */
#define INPUT_LETTERS_MAX 40

/* Syllables in pinyin as librime shows it ("ting zai ban ceng" has 4,
 * and so has "ting'zai ban c"): each becomes one character of a
 * sentence. */
static size_t syllable_count(const char *pinyin)
{
  size_t n = 0;
  bool in_syllable = false;
  for (const char *p = pinyin; *p; p++) {
    bool letter = *p >= 'a' && *p <= 'z';
    if (letter && !in_syllable)
      n++;
    in_syllable = letter;
  }
  return n;
}

/* The first candidate after choosing part, when it is a whole sentence
 * for the rest; NULL when not, or when what was chosen is not part (the
 * helper's page must be the one the resident sees). */
static const char *sentence_for_rest(const RimeContext *ctx, const char *part)
{
  const char *preedit = ctx->composition.preedit;
  const char *rest = ctx->menu.num_candidates > 0 ? ctx->menu.candidates[0].text : NULL;
  size_t part_len = strlen(part);
  if (!rest || !preedit || strncmp(preedit, part, part_len) != 0)
    return NULL;
  return lobby_utf8_count(rest) == syllable_count(preedit + part_len) ? rest : NULL;
}

/* The part `part` of the page followed by the first candidate for the rest
 * of the input, when that candidate is a whole sentence for the rest (one
 * character per syllable left); false otherwise or when librime refuses.
 * Choosing in librime and going back (BackSpace reopens the part) leaves
 * the session composing the same input with nothing chosen; when it does
 * not, the session is cleared and the caller gets false. */
static bool part_then_sentence(const kiosk_sentence_request *req, int part, char *out,
                               size_t out_cap)
{
  RimeApi *api = req->api;
  RimeSessionId session = req->session;
  if (!api->select_candidate_on_current_page(session, (size_t)part))
    return false;
  bool made = false;
  RIME_STRUCT(RimeContext, ctx);
  if (api->get_context(session, &ctx)) {
    const char *rest = sentence_for_rest(&ctx, req->page[part]);
    if (rest) {
      int len = snprintf(out, out_cap, "%s%s", req->page[part], rest);
      made = len > 0 && (size_t)len < out_cap;
    }
    api->free_context(&ctx);
  }
  const char *input = api->process_key(session, KIOSK_RIME_BACKSPACE, 0) ? api->get_input(session) : NULL;
  if (!input || strcmp(input, req->input) != 0) {
    api->clear_composition(session);
    return false;
  }
  return made;
}

static bool already_offered(const kiosk_sentence_request *req, const char *alts, size_t alt_cap,
                            int made, const char *text)
{
  for (int i = 0; i < req->page_count; i++)
    if (strcmp(req->page[i], text) == 0)
      return true;
  for (int i = 0; i < made; i++)
    if (strcmp(alts + (size_t)i * alt_cap, text) == 0)
      return true;
  return false;
}

int kiosk_sentence_alternatives(const kiosk_sentence_request *req, char *alts, size_t alt_cap,
                                int max)
{
  if (req->page_count < 2 || !req->input || !req->input[0] ||
      strlen(req->input) > INPUT_LETTERS_MAX)
    return 0;
  if (!kiosk_rime_compose(req->api, req->session, req->input))
    return 0;
  size_t whole = lobby_utf8_count(req->page[0]);
  int made = 0;
  for (int part = 1; part < req->page_count && part < PARTS_TRIED && made < max; part++) {
    /* A candidate as long as the sentence is a whole one already. */
    if (lobby_utf8_count(req->page[part]) >= whole)
      continue;
    char *slot = alts + (size_t)made * alt_cap;
    if (!part_then_sentence(req, part, slot, alt_cap)) {
      const char *input = req->api->get_input(req->session);
      if (!input || !input[0])
        break; /* going back failed: the session was cleared */
      continue;
    }
    if (already_offered(req, alts, alt_cap, made, slot))
      explicit_bzero(slot, alt_cap);
    else
      made++;
  }
  return made;
}
