/* Shared by the parts of pinyin_accuracy (pinyin_accuracy.c says what it
 * measures): the evaluation phrases, a candidate list, and each engine's
 * way of filling one. */
#ifndef PINYIN_ACCURACY_H
#define PINYIN_ACCURACY_H

#include <stdbool.h>
#include <stddef.h>
#include "pinyin.h"
#include "pinyin_peers.h"

/* A phrase is 2 to 10 characters, one pinyin syllable each, and a
 * syllable has at most 6 letters (zhuang). */
#define PHRASE_CHARS_MIN 2
#define PHRASE_CHARS_MAX 10
#define SYLLABLE_LETTERS_MAX 6
#define KIND_CAP 32

/* How deep a phrase is looked for: the kiosk's first page of five (its
 * schema's menu/page_size), and its first four pages. */
#define ACCURACY_FIRST_PAGE 5
#define ACCURACY_PAGES 4
#define ACCURACY_DEPTH 20
#define CANDIDATE_CAP KIOSK_PINYIN_CANDIDATE_CAP

typedef struct {
  int line;                                            /* in the file, for messages */
  bool held;                                           /* part "held", else "tune" */
  char kind[KIND_CAP];
  char phrase[4 * PHRASE_CHARS_MAX + 1];
  char pinyin[(SYLLABLE_LETTERS_MAX + 1) * PHRASE_CHARS_MAX]; /* "di shui" */
  char letters[SYLLABLE_LETTERS_MAX * PHRASE_CHARS_MAX + 1];  /* "dishui", as typed */
} accuracy_phrase;

typedef enum { PART_ALL, PART_TUNE, PART_HELD } accuracy_part;

/* The first candidates an engine offers, in its order. */
typedef struct {
  int count;
  char text[ACCURACY_DEPTH][CANDIDATE_CAP];
} candidate_list;

/* What one engine did with one phrase. */
typedef struct {
  int rank;                   /* 1-based place among the candidates; 0: not in ACCURACY_DEPTH */
  char first[CANDIDATE_CAP];  /* the first candidate, for --misses */
  int taps;                   /* ours only: taps to enter it; -1 when it could not be */
} phrase_result;

/* Reads the phrases of part from the TSV file at path into *out (malloc'd,
 * *count of them, possibly none).  On a missing file or a malformed line,
 * false with why naming the file and line. */
bool phrases_load(const char *path, accuracy_part part, accuracy_phrase **out, size_t *count,
                  char *why, size_t why_size);

/* 1-based place of phrase in list, 0 when absent. */
int candidate_rank(const candidate_list *list, const char *phrase);

/* The kiosk's engine on phrases[0..count), results into results[]; false
 * when the engine fails (then why says how). */
typedef struct {
  double deploy_ms, open_ms;
  bool deployed;
  long before_open_rss_kib; /* this process's peak before open */
  long self_peak_rss_kib;   /* this process after open: librime and the session */
  long deploy_peak_rss_kib; /* the child that checked and deployed the data */
} lobby_open_figures;

bool lobby_engine_run(const kiosk_pinyin_paths *paths, const accuracy_phrase *phrases, size_t count,
                      phrase_result *results, lobby_open_figures *figures, char *why,
                      size_t why_size);

#endif
