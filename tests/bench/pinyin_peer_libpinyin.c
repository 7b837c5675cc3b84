/* libpinyin as pinyin_accuracy's first peer, set up as ibus-libpinyin sets
 * it up by default (its gschema and PYLibPinyin.cc, PYPConfig.cc):
 *
 *   options  PINYIN_INCOMPLETE | ZHUYIN_INCOMPLETE | PINYIN_CORRECT_ALL
 *            (incomplete and corrected pinyin on, fuzzy pinyin off)
 *            | DYNAMIC_ADJUST | USE_RESPLIT_TABLE | USE_DIVIDED_TABLE
 *   sort     SORT_BY_PHRASE_LENGTH | SORT_BY_PINYIN_LENGTH | SORT_BY_FREQUENCY
 *            (its "sort-candidate-option" 1)
 *
 * and asked as its editor asks on every key: the letters parsed as full
 * pinyin, pinyin_guess_sentence, then pinyin_guess_candidates from the
 * start, whose list begins with the guessed sentences (the N-best match,
 * what ibus-libpinyin shows first) followed by words for the first
 * syllables.  Only libpinyin's own list is taken: ibus-libpinyin's extra
 * emoji, English and cloud candidates are not libpinyin.
 *
 * Nothing is learnt: no candidate is ever chosen, trained or remembered,
 * and nothing is saved, so the user directory (a fresh one) stays empty;
 * libpinyin says on stderr that it has no user.conf there yet.  The
 * instance is reset between phrases. */
#include <stdbool.h>
#include <pinyin.h>
#include <string.h>
#include "pinyin_peers.h"

static pinyin_context_t *context;
static pinyin_instance_t *instance;

#define IBUS_LIBPINYIN_OPTIONS                                                       \
  (PINYIN_INCOMPLETE | ZHUYIN_INCOMPLETE | PINYIN_CORRECT_ALL | DYNAMIC_ADJUST |     \
   USE_RESPLIT_TABLE | USE_DIVIDED_TABLE)
#define IBUS_LIBPINYIN_SORT (SORT_BY_PHRASE_LENGTH | SORT_BY_PINYIN_LENGTH | SORT_BY_FREQUENCY)

bool libpinyin_peer_open(const char *data_dir, const char *user_dir)
{
  context = pinyin_init(data_dir, user_dir);
  if (!context)
    return false;
  if (!pinyin_set_options(context, IBUS_LIBPINYIN_OPTIONS)) {
    libpinyin_peer_close();
    return false;
  }
  instance = pinyin_alloc_instance(context);
  if (!instance) {
    libpinyin_peer_close();
    return false;
  }
  return true;
}

void libpinyin_peer_close(void)
{
  if (instance)
    pinyin_free_instance(instance);
  if (context)
    pinyin_fini(context);
  instance = NULL;
  context = NULL;
}

/* Copies text into slot, cut at a character boundary when too long. */
static void copy_candidate(char *slot, size_t slot_size, const char *text)
{
  size_t len = strlen(text);
  if (len >= slot_size) {
    len = slot_size - 1;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
      len--;
  }
  memcpy(slot, text, len);
  slot[len] = '\0';
}

int libpinyin_peer_lookup(const char *letters, char *slots, size_t slot_size, int max_slots)
{
  if (!instance || !pinyin_reset(instance))
    return -1;
  /* Letters it cannot parse stay raw in ibus-libpinyin's preedit; the
   * candidates are for the parsed ones, as here. */
  (void)pinyin_parse_more_full_pinyins(instance, letters);
  if (!pinyin_guess_sentence(instance))
    return 0;
  if (!pinyin_guess_candidates(instance, 0, IBUS_LIBPINYIN_SORT))
    return 0;
  guint total = 0;
  if (!pinyin_get_n_candidate(instance, &total))
    return -1;
  int count = 0;
  for (guint i = 0; i < total && count < max_slots; i++) {
    lookup_candidate_t *candidate = NULL;
    const gchar *text = NULL;
    if (!pinyin_get_candidate(instance, i, &candidate) ||
        !pinyin_get_candidate_string(instance, candidate, &text) || !text)
      return -1;
    copy_candidate(slots + (size_t)count * slot_size, slot_size, text);
    count++;
  }
  return count;
}
