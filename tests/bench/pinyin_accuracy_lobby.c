/* The kiosk's own engine in pinyin_accuracy, driven through kiosk_pinyin
 * as the on-screen keyboard drives it: letters one key at a time, pages
 * turned with next_page, candidates chosen on the current page, and a
 * wipe between phrases as between residents.
 *
 * Taps.  A resident types every letter (a tap each).  Then, if the whole
 * phrase is among the first four pages, they turn to its page and tap it
 * (page turns + 1).  Otherwise they take the longest candidate on the
 * first page that begins what remains of the phrase, or, when the first
 * page has none, on the next (up to the fourth), which commits nothing
 * and leaves the rest composing; and so on for the rest.  When no page of
 * the four has a usable candidate, the phrase cannot be entered this way
 * and counts as a failure for taps. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include "pinyin_accuracy.h"

/* The candidates of the first pages, and where on them each sits. */
typedef struct {
  candidate_list list;
  int page[ACCURACY_DEPTH];
  int index[ACCURACY_DEPTH];
} paged_candidates;

/* What the kiosk does once the candidates are drawn and no key waits:
 * a resident reads the page after that. */
static lobby_err settle(kiosk_pinyin *engine)
{
  bool changed;
  return kiosk_pinyin_refine(engine, &changed);
}

static lobby_err go_back_to_page(kiosk_pinyin *engine, int page)
{
  while (kiosk_pinyin_view_get(engine)->page_no > page) {
    lobby_err err = kiosk_pinyin_prev_page(engine);
    if (err == LOBBY_OK)
      err = settle(engine);
    if (err != LOBBY_OK)
      return err;
  }
  return LOBBY_OK;
}

static void add_page(const kiosk_pinyin_view *view, paged_candidates *out)
{
  for (int i = 0; i < view->candidate_count && out->list.count < ACCURACY_DEPTH; i++) {
    int at = out->list.count++;
    memcpy(out->list.text[at], view->candidates[i], sizeof out->list.text[at]);
    out->page[at] = view->page_no;
    out->index[at] = i;
  }
}

/* Reads the first ACCURACY_PAGES pages (at most ACCURACY_DEPTH
 * candidates), leaving the engine on the last page read. */
static lobby_err read_pages(kiosk_pinyin *engine, paged_candidates *out)
{
  out->list.count = 0;
  lobby_err err = go_back_to_page(engine, 0);
  while (err == LOBBY_OK) {
    const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
    add_page(view, out);
    if (out->list.count >= ACCURACY_DEPTH || view->last_page ||
        view->page_no + 1 >= ACCURACY_PAGES)
      break;
    err = kiosk_pinyin_next_page(engine);
    if (err == LOBBY_ENOTFOUND)
      return LOBBY_OK;
  }
  return err;
}

/* What the resident taps next for rest: rest itself anywhere in the
 * pages read, else the longest candidate beginning it on the first page
 * that has one; -1 when there is nothing usable. */
static int pick_candidate(const paged_candidates *pages, const char *rest)
{
  for (int i = 0; i < pages->list.count; i++)
    if (strcmp(pages->list.text[i], rest) == 0)
      return i;
  int best = -1;
  size_t best_len = 0;
  for (int i = 0; i < pages->list.count; i++) {
    if (best >= 0 && pages->page[i] != pages->page[best])
      break;
    size_t len = strlen(pages->list.text[i]);
    if (len > best_len && strncmp(pages->list.text[i], rest, len) == 0) {
      best = i;
      best_len = len;
    }
  }
  return best;
}

/* Taps after the letters until phrase is committed, starting from the
 * pages already read; *taps is -1 when it cannot be entered. */
static lobby_err choose_until_committed(kiosk_pinyin *engine, const char *phrase,
                                        paged_candidates *pages, int *taps)
{
  const char *rest = phrase;
  *taps = -1;
  int spent = 0;
  /* Each choice takes at least one character. */
  for (int step = 0; step < PHRASE_CHARS_MAX; step++) {
    int pick = pick_candidate(pages, rest);
    if (pick < 0)
      return LOBBY_OK;
    char committed[KIOSK_PINYIN_COMMIT_CAP];
    lobby_err err = go_back_to_page(engine, pages->page[pick]);
    if (err == LOBBY_OK)
      err = kiosk_pinyin_choose(engine, pages->index[pick], committed, sizeof committed);
    if (err != LOBBY_OK)
      return err;
    spent += pages->page[pick] + 1;
    if (committed[0] != '\0') {
      if (strcmp(committed, phrase) == 0)
        *taps = spent;
      return LOBBY_OK;
    }
    rest += strlen(pages->list.text[pick]);
    if (*rest == '\0' || !kiosk_pinyin_view_get(engine)->composing)
      return LOBBY_OK;
    err = read_pages(engine, pages);
    if (err != LOBBY_OK)
      return err;
  }
  return LOBBY_OK;
}

/* Types letters; *fits is false when the composition filled up first. */
static lobby_err type_letters(kiosk_pinyin *engine, const char *letters, bool *fits)
{
  *fits = true;
  for (const char *p = letters; *p; p++) {
    lobby_err err = kiosk_pinyin_key(engine, *p);
    if (err == LOBBY_ETOOBIG) {
      *fits = false;
      return LOBBY_OK;
    }
    if (err != LOBBY_OK)
      return err;
  }
  return LOBBY_OK;
}

static lobby_err measure_phrase(kiosk_pinyin *engine, const accuracy_phrase *phrase,
                                phrase_result *result)
{
  paged_candidates pages;
  *result = (phrase_result){ .taps = -1 };
  bool fits;
  /* Names are typed into the forms' name fields, which use the names
   * schema; everything else into text fields. */
  lobby_err err = kiosk_pinyin_set_mode(engine, strcmp(phrase->kind, "name") == 0
                                                    ? KIOSK_PINYIN_NAMES
                                                    : KIOSK_PINYIN_TEXT);
  if (err == LOBBY_OK)
    err = type_letters(engine, phrase->letters, &fits);
  if (err == LOBBY_OK)
    err = settle(engine);
  if (err == LOBBY_OK && fits)
    err = read_pages(engine, &pages);
  if (err == LOBBY_OK && fits) {
    result->rank = candidate_rank(&pages.list, phrase->phrase);
    if (pages.list.count > 0)
      memcpy(result->first, pages.list.text[0], sizeof result->first);
    int chosen;
    err = choose_until_committed(engine, phrase->phrase, &pages, &chosen);
    if (err == LOBBY_OK && chosen >= 0)
      result->taps = (int)strlen(phrase->letters) + chosen;
  }
  lobby_err wiped = kiosk_pinyin_wipe(engine);
  return err != LOBBY_OK ? err : wiped;
}

static long peak_rss_kib(int who)
{
  struct rusage usage;
  return getrusage(who, &usage) == 0 ? usage.ru_maxrss : -1;
}

bool lobby_engine_run(const kiosk_pinyin_paths *paths, const accuracy_phrase *phrases, size_t count,
                      phrase_result *results, lobby_open_figures *figures, char *why,
                      size_t why_size)
{
  kiosk_pinyin *engine = NULL;
  kiosk_pinyin_open_info info;
  char reason[KIOSK_PINYIN_WHY_CAP] = "";
  long before_open_rss_kib = peak_rss_kib(RUSAGE_SELF);
  lobby_err err = kiosk_pinyin_open(paths, &engine, &info, reason, sizeof reason);
  if (err != LOBBY_OK) {
    snprintf(why, why_size, "the kiosk's engine did not open: %s: %s", lobby_strerror(err), reason);
    return false;
  }
  /* Before any phrase: what deploying and opening cost, nothing else. */
  *figures = (lobby_open_figures){
    .deploy_ms = info.deploy_ms,
    .open_ms = info.open_ms,
    .deployed = info.deployed,
    .before_open_rss_kib = before_open_rss_kib,
    .self_peak_rss_kib = peak_rss_kib(RUSAGE_SELF),
    .deploy_peak_rss_kib = peak_rss_kib(RUSAGE_CHILDREN),
  };
  for (size_t i = 0; i < count && err == LOBBY_OK; i++) {
    err = measure_phrase(engine, &phrases[i], &results[i]);
    if (err != LOBBY_OK)
      snprintf(why, why_size, "the kiosk's engine failed on line %d (%s): %s", phrases[i].line,
               phrases[i].pinyin, lobby_strerror(err));
  }
  kiosk_pinyin_close(engine);
  return err == LOBBY_OK;
}
