/* pinyin_bench: how long the kiosk's pinyin engine takes to start and to
 * answer each keystroke.
 *
 * It opens the engine on a fresh Rime user directory (the first start,
 * which deploys), closes it and opens it again (a warm start), then types
 * residents' names and fault descriptions key by key, with some
 * backspaces, paging and choices, and prints p50/p99/max per operation.
 * The figure that matters for the UI thread is "key": one keystroke up to
 * an updated preedit and candidate page.  "refine" is the work the kiosk
 * leaves for when no input waits, after each key's candidates are drawn
 * (kiosk_pinyin_refine); it delays only a key that arrives meanwhile.
 *
 *   pinyin_bench [--shared DIR] [--config DIR] [--user DIR] [--rounds N]
 *                [--without-prebuilt]
 *
 * --user reuses a directory, so a second run shows a warm start in a new
 * process; --without-prebuilt hides the distribution's prebuilt tables
 * (the kiosk's schema compiles its own dictionary, so the first start is
 * the same without them). */

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lobby_fs.h"
#include "pinyin.h"

#ifndef KIOSK_PINYIN_CONFIG_DIR
#define KIOSK_PINYIN_CONFIG_DIR "config/rime"
#endif

/* What residents type in a name field: the engine adds whole names with
 * homophone surnames and other given names there (name_alternatives.h). */
static const char *const typed_names[] = {
  "zhangwei", "wangxiuying", "liyang", "ouyangnana", "chenjianguo", "zhaolei",
  "huangmin", "hexinyi", "xubowen", "yujianping", "simajun", "zhugewen",
};

/* And in a description: fault descriptions as phrases or whole
 * sentences. */
static const char *const typed_texts[] = {
  "weixiu", "shuilongtou", "loushui", "dianti", "chufangshuilongtouloushui",
  "diantiguzhangleqingkuailaiweixiu", "weishengjianmatongdusele", "kongtiaobuzhileng",
  "louxiadengbuliang", "menjinkahuaile", "tingchechangdengbuliang", "yangtaidiaoyijialoushui",
  "nuanqibure", "xiashuidaodusele", "xi'an", "gonggongqiyutiaotieguanggao",
  /* Near KIOSK_PINYIN_INPUT_MAX: the slowest keystrokes. */
  "louxiatingchechangdedengyijinghuailelianggetianle",
  "wojiachufangdeshuilongtouyizhizailoushuiqingbangmangkanyixia",
};

#define STATS_MAX 200000

typedef struct {
  const char *name;
  double *samples;
  size_t count;
} stats;

static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void stats_add(stats *s, double ms)
{
  if (s->count < STATS_MAX)
    s->samples[s->count++] = ms;
}

static int compare_doubles(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted samples. */
static double percentile(const double *sorted, size_t n, double p)
{
  size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
  if (rank == 0)
    rank = 1;
  if (rank > n)
    rank = n;
  return sorted[rank - 1];
}

static void stats_print(stats *s)
{
  if (s->count == 0) {
    printf("%-9s no samples\n", s->name);
    return;
  }
  qsort(s->samples, s->count, sizeof s->samples[0], compare_doubles);
  printf("%-9s n=%-7zu p50=%.3f ms  p99=%.3f ms  max=%.3f ms\n", s->name, s->count,
         percentile(s->samples, s->count, 50), percentile(s->samples, s->count, 99),
         s->samples[s->count - 1]);
}

static bool check(lobby_err err, const char *what)
{
  if (err == LOBBY_OK)
    return true;
  fprintf(stderr, "pinyin_bench: %s: %s\n", what, lobby_strerror(err));
  return false;
}

typedef struct {
  stats key, name_key, refine, page, choose, mode, wipe;
} bench_stats;

/* What the kiosk does when idle after a keystroke's candidates are drawn:
 * the later-word alternatives, timed apart from the key. */
static bool refine_timed(kiosk_pinyin *engine, bench_stats *st)
{
  if (!kiosk_pinyin_refine_due(engine))
    return true;
  bool changed;
  double t0 = now_ms();
  lobby_err err = kiosk_pinyin_refine(engine, &changed);
  stats_add(&st->refine, now_ms() - t0);
  return check(err, "refine");
}

static bool type_timed(kiosk_pinyin *engine, const char *letters, stats *keys, bench_stats *st)
{
  for (const char *p = letters; *p; p++) {
    double t0 = now_ms();
    lobby_err err = kiosk_pinyin_key(engine, *p);
    stats_add(keys, now_ms() - t0);
    if (!check(err, "key") || !refine_timed(engine, st))
      return false;
  }
  return true;
}

/* One resident: types each text, corrects the last two letters, looks at
 * the second page and back, then chooses the first candidate, whole or in
 * parts. */
static bool type_one_text(kiosk_pinyin *engine, const char *text, stats *keys, bench_stats *st)
{
  if (!type_timed(engine, text, keys, st))
    return false;
  size_t len = strlen(text);
  if (len > 4) {
    for (int i = 0; i < 2; i++) {
      double t0 = now_ms();
      lobby_err err = kiosk_pinyin_key(engine, KIOSK_PINYIN_BACKSPACE);
      stats_add(keys, now_ms() - t0);
      if (!check(err, "backspace"))
        return false;
    }
    if (!type_timed(engine, text + len - 2, keys, st))
      return false;
  }
  if (!kiosk_pinyin_view_get(engine)->last_page) {
    double t0 = now_ms();
    lobby_err err = kiosk_pinyin_next_page(engine);
    stats_add(&st->page, now_ms() - t0);
    t0 = now_ms();
    lobby_err back = kiosk_pinyin_prev_page(engine);
    stats_add(&st->page, now_ms() - t0);
    if (!check(err, "next page") || !check(back, "previous page"))
      return false;
  }
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  for (int parts = 0; kiosk_pinyin_view_get(engine)->composing && parts < 32; parts++) {
    double t0 = now_ms();
    lobby_err err = kiosk_pinyin_choose(engine, 0, committed, sizeof committed);
    stats_add(&st->choose, now_ms() - t0);
    if (!check(err, "choose"))
      return false;
  }
  return true;
}

/* The shared data as symbolic links, without the prebuilt build/ tables. */
static bool make_shared_without_prebuilt(const char *shared, char *out, size_t cap)
{
  int n = snprintf(out, cap, "/tmp/pinyin-bench-shared-XXXXXX");
  if (n < 0 || (size_t)n >= cap || !mkdtemp(out))
    return false;
  DIR *d = opendir(shared);
  if (!d)
    return false;
  bool ok = true;
  struct dirent *entry;
  while (ok && (entry = readdir(d)) != NULL) {
    if (entry->d_name[0] == '.' || strcmp(entry->d_name, "build") == 0)
      continue;
    char from[PATH_MAX], to[PATH_MAX];
    int a = snprintf(from, sizeof from, "%s/%s", shared, entry->d_name);
    int b = snprintf(to, sizeof to, "%s/%s", out, entry->d_name);
    ok = a > 0 && (size_t)a < sizeof from && b > 0 && (size_t)b < sizeof to &&
         symlink(from, to) == 0;
  }
  closedir(d);
  return ok;
}

static bool open_timed(const kiosk_pinyin_paths *paths, const char *label, kiosk_pinyin **engine)
{
  kiosk_pinyin_open_info info;
  char why[KIOSK_PINYIN_WHY_CAP];
  double t0 = now_ms();
  lobby_err err = kiosk_pinyin_open(paths, engine, &info, why, sizeof why);
  double elapsed = now_ms() - t0;
  if (err != LOBBY_OK) {
    fprintf(stderr, "pinyin_bench: open: %s: %s\n", lobby_strerror(err), why);
    return false;
  }
  printf("%-12s %8.1f ms  (deployed: %s, deploy %.1f ms)\n", label, elapsed,
         info.deployed ? "yes" : "no", info.deploy_ms);
  return true;
}

static void usage(void)
{
  fprintf(stderr, "usage: pinyin_bench [--shared DIR] [--config DIR] [--user DIR] [--rounds N] "
                  "[--without-prebuilt]\n");
}

typedef struct {
  const char *shared, *config, *user;
  bool without_prebuilt;
  long rounds;
  char temp_user[PATH_MAX], temp_shared[PATH_MAX]; /* made here, removed at the end */
} bench_options;

static bool parse_args(int argc, char **argv, bench_options *o)
{
  for (int i = 1; i < argc; i++) {
    bool has_value = i + 1 < argc;
    if (strcmp(argv[i], "--shared") == 0 && has_value)
      o->shared = argv[++i];
    else if (strcmp(argv[i], "--config") == 0 && has_value)
      o->config = argv[++i];
    else if (strcmp(argv[i], "--user") == 0 && has_value)
      o->user = argv[++i];
    else if (strcmp(argv[i], "--rounds") == 0 && has_value)
      o->rounds = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--without-prebuilt") == 0)
      o->without_prebuilt = true;
    else
      return false;
  }
  return o->rounds >= 1 && o->rounds <= 1000;
}

/* A fresh user directory unless one was given, and a copy of the shared
 * data without its prebuilt files when asked. */
static bool prepare_dirs(bench_options *o)
{
  if (!o->user) {
    snprintf(o->temp_user, sizeof o->temp_user, "/tmp/pinyin-bench-user-XXXXXX");
    if (!mkdtemp(o->temp_user)) {
      perror("pinyin_bench: mkdtemp");
      return false;
    }
    o->user = o->temp_user;
  }
  if (o->without_prebuilt) {
    if (!make_shared_without_prebuilt(o->shared, o->temp_shared, sizeof o->temp_shared)) {
      fprintf(stderr, "pinyin_bench: cannot copy %s\n", o->shared);
      return false;
    }
    o->shared = o->temp_shared;
  }
  return true;
}

/* The resident moves to the name field, types a name there and moves
 * back: each move switches the engine's schema. */
static bool type_name(kiosk_pinyin *engine, const char *name, bench_stats *st)
{
  double t0 = now_ms();
  lobby_err err = kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_NAMES);
  stats_add(&st->mode, now_ms() - t0);
  if (!check(err, "names mode") || !type_one_text(engine, name, &st->name_key, st))
    return false;
  t0 = now_ms();
  err = kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_TEXT);
  stats_add(&st->mode, now_ms() - t0);
  return check(err, "text mode");
}

/* Types every text once per round and a name, wiping between rounds as
 * the idle timeout does between residents. */
static bool run_rounds(kiosk_pinyin *engine, long rounds, bench_stats *st)
{
  for (long round = 0; round < rounds; round++) {
    for (size_t i = 0; i < sizeof typed_texts / sizeof typed_texts[0]; i++)
      if (!type_one_text(engine, typed_texts[i], &st->key, st))
        return false;
    for (size_t i = 0; i < sizeof typed_names / sizeof typed_names[0]; i++)
      if (!type_name(engine, typed_names[i], st))
        return false;
    double t0 = now_ms();
    lobby_err err = kiosk_pinyin_wipe(engine);
    stats_add(&st->wipe, now_ms() - t0);
    if (!check(err, "wipe"))
      return false;
  }
  printf("%ld rounds of %zu texts and %zu names, times per call:\n", rounds,
         sizeof typed_texts / sizeof typed_texts[0], sizeof typed_names / sizeof typed_names[0]);
  stats_print(&st->key);
  stats_print(&st->name_key);
  stats_print(&st->refine);
  stats_print(&st->page);
  stats_print(&st->choose);
  stats_print(&st->mode);
  stats_print(&st->wipe);
  return true;
}

static bool bench(const bench_options *o)
{
  kiosk_pinyin_paths paths = {.shared_data_dir = o->shared, .kiosk_config_dir = o->config, .user_dir = o->user};
  printf("shared %s\nuser   %s\n", o->shared, o->user);
  static double key_samples[STATS_MAX], name_key_samples[STATS_MAX], refine_samples[STATS_MAX], page_samples[STATS_MAX],
    choose_samples[STATS_MAX], mode_samples[STATS_MAX], wipe_samples[STATS_MAX];
  bench_stats st = {
    .key = { "key", key_samples, 0 },
    .name_key = { "name key", name_key_samples, 0 },
    .refine = { "refine", refine_samples, 0 },
    .page = { "page", page_samples, 0 },
    .choose = { "choose", choose_samples, 0 },
    .mode = { "mode", mode_samples, 0 },
    .wipe = { "wipe", wipe_samples, 0 },
  };
  kiosk_pinyin *engine = NULL;
  if (!open_timed(&paths, "first start", &engine))
    return false;
  kiosk_pinyin_close(engine);
  if (!open_timed(&paths, "warm start", &engine))
    return false;
  bool ok = run_rounds(engine, o->rounds, &st);
  kiosk_pinyin_close(engine);
  return ok;
}

int main(int argc, char **argv)
{
  static bench_options o = {.shared = "/usr/share/rime-data", .config = KIOSK_PINYIN_CONFIG_DIR, .rounds = 20};
  if (!parse_args(argc, argv, &o)) {
    usage();
    return 2;
  }
  int status = prepare_dirs(&o) && bench(&o) ? 0 : 1;
  if (o.temp_user[0])
    (void)lobby_fs_remove_tree(o.temp_user);
  if (o.temp_shared[0])
    (void)lobby_fs_remove_tree(o.temp_shared);
  return status;
}
