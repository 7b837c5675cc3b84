/* pinyin_accuracy: how often the kiosk's pinyin engine offers the phrase a
 * resident means, side by side with libpinyin and libgooglepinyin.
 *
 * Each phrase of the evaluation file (pinyin_accuracy_tsv.c) is typed as a
 * resident types it, letters only ("chufangshuilongtoudishui"), into a
 * fresh composition of each engine, and the exact phrase is looked for
 * among the first candidates: first (top-1), on the kiosk's first page of
 * five (top-5), in the first four pages (20).  For the kiosk's engine the
 * taps to enter the phrase are counted too (pinyin_accuracy_lobby.c), and
 * the first start's deployment time and peak RSS are reported.  The peers
 * are set up as their usual front ends set them up, with no learning
 * (pinyin_peer_libpinyin.c, pinyin_peer_google.cc).  Prints a Markdown
 * table.  A benchmark, not a test: it exits 0 whatever the figures, 1
 * when the file or an engine cannot be opened, 2 on bad arguments.
 *
 *   pinyin_accuracy [--file PATH] [--part tune|held|all] [--misses N]
 *                   [--shared DIR] [--config DIR] [--user DIR]
 *                   [--libpinyin-data DIR] [--google-dict FILE]
 *
 * --misses N lists up to N phrases per engine whose first candidate was
 * not the phrase, for tuning.  --user reuses a Rime user directory
 * (default: a fresh one, so the first start deploys). */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "lobby_fs.h"
#include "lobby_text.h"
#include "pinyin_accuracy.h"

#ifndef PINYIN_ACCURACY_DEFAULT_FILE
#define PINYIN_ACCURACY_DEFAULT_FILE "tests/bench/pinyin/phrases.tsv"
#endif
#ifndef KIOSK_PINYIN_CONFIG_DIR
#define KIOSK_PINYIN_CONFIG_DIR "config/rime"
#endif
#ifndef LIBPINYIN_DATA_DIR
#define LIBPINYIN_DATA_DIR ""
#endif
#ifndef LIBPINYIN_VERSION_TEXT
#define LIBPINYIN_VERSION_TEXT ""
#endif
#ifndef GOOGLE_PINYIN_DICT
#define GOOGLE_PINYIN_DICT ""
#endif

#define WHY_CAP 512

enum { ENGINE_LOBBY, ENGINE_LIBPINYIN, ENGINE_GOOGLE, ENGINES };

typedef struct {
  const char *file, *shared, *config, *user, *libpinyin_data, *google_dict;
  accuracy_part part;
  long misses;
  char scratch[PATH_MAX]; /* made here, removed at the end */
} accuracy_options;

typedef struct {
  const char *name;
  bool ran;
  phrase_result *results;
  double open_ms;
} engine_run;

typedef struct {
  size_t phrases, top1, top5, top20;
  size_t entered, taps, letters, failures; /* ours only */
} engine_summary;

int candidate_rank(const candidate_list *list, const char *phrase)
{
  for (int i = 0; i < list->count; i++)
    if (strcmp(list->text[i], phrase) == 0)
      return i + 1;
  return 0;
}

/* ---- Options ---- */

static void usage(void)
{
  fprintf(stderr, "usage: pinyin_accuracy [--file PATH] [--part tune|held|all] [--misses N]\n"
                  "                       [--shared DIR] [--config DIR] [--user DIR]\n"
                  "                       [--libpinyin-data DIR] [--google-dict FILE]\n");
}

static bool parse_part(const char *text, accuracy_part *part)
{
  if (strcmp(text, "all") == 0)
    *part = PART_ALL;
  else if (strcmp(text, "tune") == 0)
    *part = PART_TUNE;
  else if (strcmp(text, "held") == 0)
    *part = PART_HELD;
  else
    return false;
  return true;
}

static bool parse_misses(const char *text, long *misses)
{
  int64_t n;
  if (lobby_parse_int64(text, 0, 100000, &n) != LOBBY_OK)
    return false;
  *misses = (long)n;
  return true;
}

/* The option at argv[i] that takes a path; false when it is not one. */
static bool parse_path_option(const char *name, const char *value, accuracy_options *o)
{
  static const struct {
    const char *name;
    size_t offset;
  } paths[] = {
    { "--file", offsetof(accuracy_options, file) },
    { "--shared", offsetof(accuracy_options, shared) },
    { "--config", offsetof(accuracy_options, config) },
    { "--user", offsetof(accuracy_options, user) },
    { "--libpinyin-data", offsetof(accuracy_options, libpinyin_data) },
    { "--google-dict", offsetof(accuracy_options, google_dict) },
  };
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
    if (strcmp(name, paths[i].name) == 0) {
      *(const char **)((char *)o + paths[i].offset) = value;
      return true;
    }
  return false;
}

static bool parse_args(int argc, char **argv, accuracy_options *o)
{
  for (int i = 1; i < argc; i++) {
    if (i + 1 >= argc)
      return false;
    const char *value = argv[++i];
    if (strcmp(argv[i - 1], "--part") == 0) {
      if (!parse_part(value, &o->part))
        return false;
    } else if (strcmp(argv[i - 1], "--misses") == 0) {
      if (!parse_misses(value, &o->misses))
        return false;
    } else if (!parse_path_option(argv[i - 1], value, o)) {
      return false;
    }
  }
  return true;
}

/* ---- Running the engines ---- */

static bool scratch_path(const accuracy_options *o, const char *name, char *out, size_t cap)
{
  int n = snprintf(out, cap, "%s/%s", o->scratch, name);
  return n > 0 && (size_t)n < cap;
}

static bool run_lobby(const accuracy_options *o, const accuracy_phrase *phrases, size_t count,
                      engine_run *run, lobby_open_figures *figures, char *why, size_t why_size)
{
  char user_dir[PATH_MAX];
  if (o->user)
    snprintf(user_dir, sizeof user_dir, "%s", o->user);
  else if (!scratch_path(o, "rime", user_dir, sizeof user_dir)) {
    snprintf(why, why_size, "scratch path too long");
    return false;
  }
  kiosk_pinyin_paths paths = { .shared_data_dir = o->shared, .kiosk_config_dir = o->config,
                               .user_dir = user_dir };
  run->ran = lobby_engine_run(&paths, phrases, count, run->results, figures, why, why_size);
  run->open_ms = figures->open_ms;
  return run->ran;
}

#if defined(LOBBY_HAVE_LIBPINYIN) || defined(LOBBY_HAVE_GOOGLEPINYIN)
static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

typedef int (*peer_lookup)(const char *letters, char *slots, size_t slot_size, int max_slots);

static void run_peer(engine_run *run, peer_lookup lookup, const accuracy_phrase *phrases,
                     size_t count)
{
  candidate_list list;
  for (size_t i = 0; i < count; i++) {
    phrase_result *r = &run->results[i];
    *r = (phrase_result){ .taps = -1 };
    list.count = lookup(phrases[i].letters, &list.text[0][0], sizeof list.text[0], ACCURACY_DEPTH);
    if (list.count < 0) {
      fprintf(stderr, "pinyin_accuracy: %s failed on line %d (%s); counted as a miss\n", run->name,
              phrases[i].line, phrases[i].pinyin);
      continue;
    }
    r->rank = candidate_rank(&list, phrases[i].phrase);
    if (list.count > 0)
      memcpy(r->first, list.text[0], sizeof r->first);
  }
  run->ran = true;
}
#endif

#ifdef LOBBY_HAVE_LIBPINYIN
static bool run_libpinyin(const accuracy_options *o, const accuracy_phrase *phrases, size_t count,
                          engine_run *run, char *why, size_t why_size)
{
  char user_dir[PATH_MAX];
  if (!scratch_path(o, "libpinyin", user_dir, sizeof user_dir) || mkdir(user_dir, 0700) != 0) {
    snprintf(why, why_size, "cannot make libpinyin's user directory in %s", o->scratch);
    return false;
  }
  double t0 = now_ms();
  if (!libpinyin_peer_open(o->libpinyin_data, user_dir)) {
    snprintf(why, why_size, "libpinyin did not open its data in %s", o->libpinyin_data);
    return false;
  }
  run->open_ms = now_ms() - t0;
  run_peer(run, libpinyin_peer_lookup, phrases, count);
  libpinyin_peer_close();
  return true;
}
#endif

#ifdef LOBBY_HAVE_GOOGLEPINYIN
static bool run_google(const accuracy_options *o, const accuracy_phrase *phrases, size_t count,
                       engine_run *run, char *why, size_t why_size)
{
  char user_dict[PATH_MAX];
  if (!scratch_path(o, "googlepinyin-user.dat", user_dict, sizeof user_dict)) {
    snprintf(why, why_size, "scratch path too long");
    return false;
  }
  double t0 = now_ms();
  if (!google_peer_open(o->google_dict, user_dict)) {
    snprintf(why, why_size, "libgooglepinyin did not open %s", o->google_dict);
    return false;
  }
  run->open_ms = now_ms() - t0;
  run_peer(run, google_peer_lookup, phrases, count);
  google_peer_close();
  return true;
}
#endif

/* Ours first: its peak RSS is read before the peers load their data. */
static bool run_engines(const accuracy_options *o, const accuracy_phrase *phrases, size_t count,
                        engine_run runs[ENGINES], lobby_open_figures *figures, char *why,
                        size_t why_size)
{
  if (!run_lobby(o, phrases, count, &runs[ENGINE_LOBBY], figures, why, why_size))
    return false;
#ifdef LOBBY_HAVE_LIBPINYIN
  if (!run_libpinyin(o, phrases, count, &runs[ENGINE_LIBPINYIN], why, why_size))
    return false;
#endif
#ifdef LOBBY_HAVE_GOOGLEPINYIN
  if (!run_google(o, phrases, count, &runs[ENGINE_GOOGLE], why, why_size))
    return false;
#endif
  return true;
}

/* ---- Report ---- */

static engine_summary summarize(const phrase_result *results, size_t count,
                                const accuracy_phrase *phrases)
{
  engine_summary s = { .phrases = count };
  for (size_t i = 0; i < count; i++) {
    int rank = results[i].rank;
    s.top1 += rank == 1;
    s.top5 += rank >= 1 && rank <= ACCURACY_FIRST_PAGE;
    s.top20 += rank >= 1 && rank <= ACCURACY_DEPTH;
    if (results[i].taps < 0) {
      s.failures++;
      continue;
    }
    s.entered++;
    s.taps += (size_t)results[i].taps;
    s.letters += strlen(phrases[i].letters);
  }
  return s;
}

static double percent(size_t part, size_t whole)
{
  return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static double per_phrase(size_t total, size_t phrases)
{
  return phrases ? (double)total / (double)phrases : 0.0;
}

static void print_row(const char *name, const engine_summary *s, bool with_taps)
{
  printf("| %s | %zu | %.1f | %.1f | %.1f |", name, s->phrases, percent(s->top1, s->phrases),
         percent(s->top5, s->phrases), percent(s->top20, s->phrases));
  if (with_taps && s->entered)
    printf(" %.1f | %zu |\n", per_phrase(s->taps, s->entered), s->failures);
  else if (with_taps)
    printf(" – | %zu |\n", s->failures);
  else
    printf(" – | – |\n");
}

static double kib_to_mib(long kib)
{
  return (double)kib / 1024.0;
}

static void print_lobby_figures(const lobby_open_figures *f, const engine_summary *s)
{
  if (f->deployed)
    printf("\nlobby: first deploy %.1f ms (open %.1f ms in all)", f->deploy_ms, f->open_ms);
  else
    printf("\nlobby: data already deployed in --user, open %.1f ms", f->open_ms);
  printf("; peak RSS after %s %.1f MiB (%.1f MiB before opening; the deploying child "
         "%.1f MiB)\n",
         f->deployed ? "deploy" : "open", kib_to_mib(f->self_peak_rss_kib),
         kib_to_mib(f->before_open_rss_kib), kib_to_mib(f->deploy_peak_rss_kib));
  printf("lobby taps: %.1f per phrase entered, of which %.1f letters; %zu of %zu phrases could "
         "not be entered within four pages a step\n",
         per_phrase(s->taps, s->entered), per_phrase(s->letters, s->entered), s->failures,
         s->phrases);
}

static void print_peer_figures(const engine_run runs[ENGINES], const accuracy_phrase *phrases,
                               size_t count)
{
  for (int e = ENGINE_LIBPINYIN; e < ENGINES; e++)
    if (runs[e].ran)
      printf("%s: open %.1f ms\n", runs[e].name, runs[e].open_ms);
  if (!runs[ENGINE_GOOGLE].ran)
    return;
  size_t cut = 0;
  for (size_t i = 0; i < count; i++)
    cut += strlen(phrases[i].letters) > GOOGLE_PEER_LETTERS_MAX;
  if (cut)
    printf("libgooglepinyin reads at most %d letters: %zu phrases are longer\n",
           GOOGLE_PEER_LETTERS_MAX, cut);
}

static const char *part_name(accuracy_part part)
{
  return part == PART_TUNE ? "tune" : part == PART_HELD ? "held" : "all";
}

static void print_table(const accuracy_options *o, const engine_run runs[ENGINES],
                        const accuracy_phrase *phrases, size_t count,
                        const lobby_open_figures *figures)
{
  printf("pinyin accuracy: %s, part %s, %zu phrases, letters typed without separators\n\n",
         o->file, part_name(o->part), count);
  printf("| engine | phrases | top-1 %% | top-5 %% | first 4 pages %% | taps/phrase "
         "| tap failures |\n");
  printf("|---|--:|--:|--:|--:|--:|--:|\n");
  engine_summary ours = { 0 };
  for (int e = 0; e < ENGINES; e++) {
    if (!runs[e].ran)
      continue;
    engine_summary s = summarize(runs[e].results, count, phrases);
    print_row(runs[e].name, &s, e == ENGINE_LOBBY);
    if (e == ENGINE_LOBBY)
      ours = s;
  }
  print_lobby_figures(figures, &ours);
  print_peer_figures(runs, phrases, count);
}

static void print_misses(const engine_run *run, const accuracy_phrase *phrases, size_t count,
                         long max)
{
  printf("\n%s: phrases not offered first (up to %ld):\n", run->name, max);
  long shown = 0;
  for (size_t i = 0; i < count && shown < max; i++) {
    const phrase_result *r = &run->results[i];
    if (r->rank == 1)
      continue;
    shown++;
    printf("  %s  %s  → %s", phrases[i].phrase, phrases[i].pinyin,
           r->first[0] ? r->first : "(no candidates)");
    if (r->rank > 0)
      printf("  (at %d)\n", r->rank);
    else
      printf("  (not in the first %d)\n", ACCURACY_DEPTH);
  }
  if (shown == 0)
    printf("  none\n");
}

/* ---- Main ---- */

static bool make_scratch(accuracy_options *o)
{
  snprintf(o->scratch, sizeof o->scratch, "/tmp/pinyin-accuracy-XXXXXX");
  if (mkdtemp(o->scratch))
    return true;
  perror("pinyin_accuracy: mkdtemp");
  o->scratch[0] = '\0';
  return false;
}

static bool allocate_results(engine_run runs[ENGINES], size_t count)
{
  for (int e = 0; e < ENGINES; e++) {
    runs[e].results = calloc(count ? count : 1, sizeof *runs[e].results);
    if (!runs[e].results)
      return false;
  }
  return true;
}

static int measure(accuracy_options *o, const accuracy_phrase *phrases, size_t count)
{
  engine_run runs[ENGINES] = {
    [ENGINE_LOBBY] = { .name = "lobby (librime)" },
    [ENGINE_LIBPINYIN] = { .name = "libpinyin " LIBPINYIN_VERSION_TEXT },
    [ENGINE_GOOGLE] = { .name = "libgooglepinyin" },
  };
  lobby_open_figures figures = { 0 };
  char why[WHY_CAP] = "";
  int status = 1;
  if (!allocate_results(runs, count)) {
    fprintf(stderr, "pinyin_accuracy: out of memory\n");
  } else if (make_scratch(o)) {
    if (run_engines(o, phrases, count, runs, &figures, why, sizeof why))
      status = 0;
    else
      fprintf(stderr, "pinyin_accuracy: %s\n", why);
  }
  if (status == 0) {
    print_table(o, runs, phrases, count, &figures);
    for (int e = 0; e < ENGINES && o->misses > 0; e++)
      if (runs[e].ran)
        print_misses(&runs[e], phrases, count, o->misses);
  }
  for (int e = 0; e < ENGINES; e++)
    free(runs[e].results);
  return status;
}

int main(int argc, char **argv)
{
  static accuracy_options o = {
    .file = PINYIN_ACCURACY_DEFAULT_FILE,
    .shared = "/usr/share/rime-data",
    .config = KIOSK_PINYIN_CONFIG_DIR,
    .libpinyin_data = LIBPINYIN_DATA_DIR,
    .google_dict = GOOGLE_PINYIN_DICT,
    .part = PART_ALL,
  };
  if (!parse_args(argc, argv, &o)) {
    usage();
    return 2;
  }
  accuracy_phrase *phrases = NULL;
  size_t count = 0;
  char why[WHY_CAP];
  /* The file first: a malformed line is refused before any engine starts. */
  if (!phrases_load(o.file, o.part, &phrases, &count, why, sizeof why)) {
    fprintf(stderr, "pinyin_accuracy: %s\n", why);
    return 1;
  }
  int status = measure(&o, phrases, count);
  if (o.scratch[0] && lobby_fs_remove_tree(o.scratch) != LOBBY_OK)
    fprintf(stderr, "pinyin_accuracy: could not remove %s\n", o.scratch);
  free(phrases);
  return status;
}
