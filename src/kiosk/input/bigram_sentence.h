/* A second opinion on a typed sentence, from libpinyin's bigram model.
 *
 * librime with Luna Pinyin builds a sentence from word frequencies alone,
 * with no grammar (Debian ships octagram's plugin but no model for it), so
 * in a sentence it often picks a frequent word where the words around it
 * call for another: 总建筑面积月 for 总建筑面积约, 组长有项目经理担任 for
 * 组长由项目经理担任.  libpinyin (Debian's libpinyin15 and its
 * libpinyin-data) scores a sentence with a bigram model trained on a large
 * corpus.  Alone it knows few words of the trade and scores far below the
 * kiosk's engine (tests/bench/pinyin), but its sentence is often right
 * where librime's is wrong in a function word, so the kiosk offers it
 * among the first page's alternatives.
 *
 * libpinyin and its C++ libraries are loaded with dlopen when the engine
 * opens, as librime is, so they do not delay the kiosk's first frame.
 *
 * Privacy.  Nothing is learnt: no candidate is ever chosen or trained and
 * nothing is saved.  libpinyin requires a user directory; the kiosk gives
 * it one that holds only a user.conf that libpinyin does not take as its
 * own, so it loads no user data from there.  The instance's input is
 * reset after every sentence. */
#ifndef KIOSK_BIGRAM_SENTENCE_H
#define KIOSK_BIGRAM_SENTENCE_H

#include <stddef.h>
#include "lobby_error.h"

typedef struct kiosk_bigram kiosk_bigram;

/* Loads libpinyin and its model from data_dir.  user_dir is created when
 * missing, with the user.conf described above.  On failure *out is NULL and why (may be NULL) holds
 * a one-line reason for staff; the kiosk then goes on without the second
 * opinion. */
lobby_err kiosk_bigram_open(const char *data_dir, const char *user_dir, kiosk_bigram **out,
                            char *why, size_t why_size) __attribute__((warn_unused_result));

/* Frees the engine.  NULL is allowed. */
void kiosk_bigram_close(kiosk_bigram *bigram);

/* Writes into out (cap bytes) libpinyin's best sentence for letters
 * ('a'..'z' and apostrophes between syllables, as librime holds its
 * input).  LOBBY_ENOTFOUND when it does not read all the letters as
 * pinyin or has no sentence, LOBBY_ETOOBIG when the sentence does not fit;
 * out is "" then. */
lobby_err kiosk_bigram_sentence(kiosk_bigram *bigram, const char *letters, char *out, size_t cap)
  __attribute__((warn_unused_result));

#endif
