/* Whole-name alternatives for the kiosk's name fields.
 *
 * librime offers one whole candidate for a three-character name it does
 * not know, its best sentence (徐博文 for "xubowen"), and after it only
 * shorter ones (徐波, 徐, 许).  A resident called 许博文 then has to choose
 * 许 and then 博文: two steps, and the second page for many.  Homophone
 * surnames (徐/许, 于/余, 王/汪) and given names (军/俊, 家明/嘉明) are
 * the commonest misses in names, and the engine cannot tell them apart
 * from the letters alone.  So next to its whole name the kiosk offers the
 * same name with each surname of the same reading, commonest first, and
 * with the engine's other given names for the same syllables, those in
 * everyday characters (GB 2312) only.
 *
 * The surnames come from config/rime/lobby_surnames.txt, written with
 * the names dictionary by tests/bench/pinyin/name_dict.py. */
#ifndef KIOSK_NAME_ALTERNATIVES_H
#define KIOSK_NAME_ALTERNATIVES_H

#include <stddef.h>
#include "lobby_error.h"

typedef struct kiosk_surnames kiosk_surnames;

/* Most surnames the table holds; the file has about 440. */
#define KIOSK_SURNAMES_MAX 1024

/* Reads the table: comment lines start with '#', every other line is
 * "text<TAB>reading" (a surname of one or two characters, its toneless
 * pinyin with one space between syllables), commonest first.  The file is
 * checked as input from outside: LOBBY_EINVAL names nothing, the first bad
 * line makes the whole table refused. */
lobby_err kiosk_surnames_load(const char *path, kiosk_surnames **out);

/* NULL is allowed. */
void kiosk_surnames_free(kiosk_surnames *table);

/* The name alternatives are built from. */
typedef struct {
  /* The engine's best whole-name candidate: one character per syllable. */
  const char *name;
  /* The syllables typed, "xu", "bo", "wen"; count 2 to 4. */
  const char *const *syllables;
  int syllable_count;
  /* The engine's whole candidates for the given name's syllables, best
   * first (博文, 伯文); may hold the given name of name itself. */
  const char *const *given;
  int given_count;
} kiosk_name_request;

/* How many syllables of req's syllables the surname that name starts with
 * takes (1, or 2 for a compound surname), with the surname's length in
 * bytes; 0 when name does not start with a surname read that way. */
int kiosk_surname_syllables(const kiosk_surnames *table, const kiosk_name_request *req,
                            size_t *surname_bytes);

/* Writes up to max alternatives of cap bytes each into out: other
 * surnames of the same reading with req's given name, and req's surname
 * with each other given name, taken in turn, commonest first.  None is
 * req->name or one of the count texts in taken (what the page already
 * offers).  Returns how many; 0 when the name does not start with a
 * surname or anything does not fit. */
int kiosk_name_alternatives(const kiosk_surnames *table, const kiosk_name_request *req,
                            const char *const *taken, int taken_count, char *out, size_t cap, int max);

#endif
