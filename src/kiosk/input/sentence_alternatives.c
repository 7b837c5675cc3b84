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

/* chosen (what is already chosen in the helper session, "" for nothing)
 * and the part at index of its page, followed by the first candidate for
 * the rest of the input, when that candidate is a whole sentence for the
 * rest (one character per syllable left); false otherwise or when librime
 * refuses.  Choosing in librime and going back (BackSpace reopens the
 * part) leaves the session as it was; when the input changed instead, the
 * session is cleared and the caller gets false. */
static bool part_then_sentence(const kiosk_sentence_request *req, const char *chosen, int index,
                               const char *part, char *out, size_t out_cap)
{
  RimeApi *api = req->api;
  RimeSessionId session = req->session;
  int head_len = snprintf(out, out_cap, "%s%s", chosen, part);
  if (head_len < 0 || (size_t)head_len >= out_cap ||
      !api->select_candidate_on_current_page(session, (size_t)index))
    return false;
  bool made = false;
  RIME_STRUCT(RimeContext, ctx);
  if (api->get_context(session, &ctx)) {
    const char *rest = sentence_for_rest(&ctx, out);
    if (rest) {
      int len = snprintf(out + head_len, out_cap - (size_t)head_len, "%s", rest);
      made = len > 0 && (size_t)len < out_cap - (size_t)head_len;
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

/* Keeps the alternative written in row *made when it is new; otherwise
 * wipes the row.  *made counts the rows kept. */
static void keep_if_new(const kiosk_sentence_request *req, char *alts, size_t alt_cap, int *made)
{
  char *slot = alts + (size_t)*made * alt_cap;
  if (slot[0] && !already_offered(req, alts, alt_cap, *made, slot))
    (*made)++;
  else
    explicit_bzero(slot, alt_cap);
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
    if (!part_then_sentence(req, "", part, req->page[part], slot, alt_cap)) {
      explicit_bzero(slot, alt_cap);
      const char *input = req->api->get_input(req->session);
      if (!input || !input[0])
        break; /* going back failed: the session was cleared */
      continue;
    }
    keep_if_new(req, alts, alt_cap, &made);
  }
  return made;
}

/* ---- Later words ---- */

/* Word boundaries of the sentence walked, and candidates tried at each.
 * On the tuning phrases (tests/bench/pinyin) three of each reached every
 * right alternative that more did. */
#define LATER_WORDS_MAX 6
#define LATER_TRIED 3
/* The rest's other whole readings are tried only for a rest this short,
 * a last word: a longer rest read otherwise changes words librime had
 * placed well, and on the tuning phrases that gave no right one. */
#define WHOLE_REST_SYLLABLES_MAX 2

/* The page of the helper session, copied: choosing changes the context. */
typedef struct {
  char text[KIOSK_SENTENCE_PAGE_MAX][KIOSK_SENTENCE_TEXT_CAP];
  int count;
  size_t syllables_left; /* after what is chosen */
} helper_page;

static bool read_helper_page(const kiosk_sentence_request *req, size_t chosen_bytes, helper_page *page)
{
  RIME_STRUCT(RimeContext, ctx);
  if (!req->api->get_context(req->session, &ctx))
    return false;
  const char *preedit = ctx.composition.preedit;
  bool ok = preedit && strlen(preedit) >= chosen_bytes;
  page->count = 0;
  page->syllables_left = ok ? syllable_count(preedit + chosen_bytes) : 0;
  for (int i = 0; ok && i < ctx.menu.num_candidates && page->count < KIOSK_SENTENCE_PAGE_MAX; i++) {
    int len = snprintf(page->text[page->count], sizeof page->text[0], "%s", ctx.menu.candidates[i].text);
    ok = len >= 0 && (size_t)len < sizeof page->text[0];
    page->count++;
  }
  req->api->free_context(&ctx);
  return ok;
}

/* At the boundary after chosen (the sentence's first words, chosen in
 * the helper session): the rest's other whole readings when it is short,
 * then each of its first parts followed by the sentence for what is left
 * after it. */
static void offer_at_boundary(const kiosk_sentence_request *req, const char *chosen, char *alts,
                              size_t alt_cap, int *made, int max)
{
  helper_page page;
  if (!read_helper_page(req, strlen(chosen), &page))
    return;
  int tried = page.syllables_left <= WHOLE_REST_SYLLABLES_MAX ? 0 : LATER_TRIED;
  for (int i = 1; i < page.count && tried < LATER_TRIED && *made < max; i++)
    if (lobby_utf8_count(page.text[i]) == page.syllables_left) {
      tried++;
      int len = snprintf(alts + (size_t)*made * alt_cap, alt_cap, "%s%s", chosen, page.text[i]);
      if (len < 0 || (size_t)len >= alt_cap)
        explicit_bzero(alts + (size_t)*made * alt_cap, alt_cap);
      keep_if_new(req, alts, alt_cap, made);
    }
  for (int i = 1; i < page.count && i <= LATER_TRIED && *made < max; i++) {
    char *slot = alts + (size_t)*made * alt_cap;
    if (lobby_utf8_count(page.text[i]) < page.syllables_left &&
        part_then_sentence(req, chosen, i, page.text[i], slot, alt_cap))
      keep_if_new(req, alts, alt_cap, made);
    else
      explicit_bzero(slot, alt_cap);
  }
  explicit_bzero(&page, sizeof page);
}

/* Chooses the sentence's next word: the longest candidate of the page
 * that begins what is left of the sentence and is shorter than it.  Adds
 * it to chosen; false when there is none. */
static bool choose_next_word(const kiosk_sentence_request *req, char *chosen, size_t chosen_cap)
{
  helper_page page;
  size_t have = strlen(chosen);
  const char *left = req->page[0] + have;
  int best = -1;
  size_t best_len = 0;
  if (read_helper_page(req, have, &page))
    for (int i = 1; i < page.count; i++) {
      size_t len = strlen(page.text[i]);
      if (len > best_len && len < strlen(left) && strncmp(left, page.text[i], len) == 0) {
        best = i;
        best_len = len;
      }
    }
  bool ok = best >= 0 && have + best_len < chosen_cap &&
            req->api->select_candidate_on_current_page(req->session, (size_t)best);
  if (ok)
    memcpy(chosen + have, page.text[best], best_len + 1);
  explicit_bzero(&page, sizeof page);
  return ok;
}

int kiosk_sentence_later_alternatives(const kiosk_sentence_request *req, char *alts, size_t alt_cap,
                                      int max)
{
  if (req->page_count < 1 || !req->input || !req->input[0] || strlen(req->input) > INPUT_LETTERS_MAX ||
      !kiosk_rime_compose(req->api, req->session, req->input))
    return 0;
  char chosen[KIOSK_SENTENCE_TEXT_CAP] = "";
  int made = 0, words = 0;
  while (words < LATER_WORDS_MAX && made < max && choose_next_word(req, chosen, sizeof chosen)) {
    words++;
    offer_at_boundary(req, chosen, alts, alt_cap, &made, max);
  }
  /* Each BackSpace takes back one choice; a session that does not come
   * back to the input is cleared, and kiosk_rime_compose types it again. */
  for (; words > 0; words--)
    (void)req->api->process_key(req->session, KIOSK_RIME_BACKSPACE, 0);
  const char *input = req->api->get_input(req->session);
  if (!input || strcmp(input, req->input) != 0)
    req->api->clear_composition(req->session);
  explicit_bzero(chosen, sizeof chosen);
  return made;
}
