/* Pinyin input engine for the kiosk: a thin wrapper over librime's C API.
 * See pinyin.h for the life cycle and the privacy rules. */
#include "pinyin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <rime_api.h>
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "bigram_sentence.h"
#include "name_alternatives.h"
#include "rime_compose.h"
#include "sentence_alternatives.h"

/* The schemas the kiosk ships, one per kiosk_pinyin_mode (the first is
 * the one a session starts in), and the files they need in the Rime user
 * directory: each schema's dictionary (the kiosk's vocabulary on top of
 * Luna Pinyin; names) is one of them, so a kiosk release with new words
 * changes the deploy stamp and deploys again. */
#define SCHEMA_ID "lobby_pinyin"
#define NAME_SCHEMA_ID "lobby_name"
static const char *const mode_schemas[] = {
  [KIOSK_PINYIN_TEXT] = SCHEMA_ID,
  [KIOSK_PINYIN_NAMES] = NAME_SCHEMA_ID,
};
static const char *const kiosk_config_files[] = {
  "default.custom.yaml",
  SCHEMA_ID ".schema.yaml",
  SCHEMA_ID ".dict.yaml",
  NAME_SCHEMA_ID ".schema.yaml",
  NAME_SCHEMA_ID ".dict.yaml",
};
/* Source files of the shared data that the schema is built from.  A missing
 * one means the distribution's Rime data is not installed.  The kiosk's
 * dictionary imports luna_pinyin.dict.yaml and takes its phrases and their
 * weights from essay.txt, so both are compiled into it. */
static const char *const shared_source_files[] = {
  "default.yaml",       "key_bindings.yaml",           "punctuation.yaml",
  "symbols.yaml",       "pinyin.yaml",                 "luna_pinyin.schema.yaml",
  "luna_pinyin_simp.schema.yaml", "luna_pinyin.dict.yaml", "essay.txt",
};
/* Files a finished deployment leaves in the staging directory. */
static const char *const deployed_files[] = {
  "build/default.yaml",
  "build/" SCHEMA_ID ".schema.yaml",
  "build/" SCHEMA_ID ".table.bin",
  "build/" SCHEMA_ID ".prism.bin",
  "build/" NAME_SCHEMA_ID ".schema.yaml",
  "build/" NAME_SCHEMA_ID ".table.bin",
  "build/" NAME_SCHEMA_ID ".prism.bin",
};
/* What the deployer compiles from the dictionary, into the staging
 * directory.  librime reuses such a file when its checksum matches, and
 * aborts on a damaged one (a truncated table throws an uncaught marisa
 * exception), so every deployment removes them first and compiles afresh:
 * a file left damaged by a power cut cannot crash the next deployment. */
static const char *const compiled_files[] = {
  "build/" SCHEMA_ID ".table.bin",
  "build/" SCHEMA_ID ".prism.bin",
  "build/" SCHEMA_ID ".reverse.bin",
  "build/" NAME_SCHEMA_ID ".table.bin",
  "build/" NAME_SCHEMA_ID ".prism.bin",
  "build/" NAME_SCHEMA_ID ".reverse.bin",
};
#define STAMP_FILE "lobby-pinyin.stamp"
#define STAMP_FORMAT_LINE "lobby-pinyin deploy stamp 2\n"
#define CONFIG_FILE_MAX (1024 * 1024)

/* The pinyin typed once at start-up to prove that dictionary, schema and
 * simplification all work, and what it must offer first. */
#define PROBE_PINYIN "weixiu"
#define PROBE_FIRST_CANDIDATE "\xe7\xbb\xb4\xe4\xbf\xae" /* 维修 in simplified characters */
/* And for the names schema: a surname and a given name, which the text
 * schema gives as 网见过. */
#define PROBE_NAME_PINYIN "wangjianguo"
#define PROBE_NAME_FIRST_CANDIDATE "\xe7\x8e\x8b\xe5\xbb\xba\xe5\x9b\xbd" /* 王建国 */

/* X11 keysyms, which are what librime expects (BackSpace is in
 * rime_compose.h). */
#define KEYSYM_APOSTROPHE 0x27
#define KEYSYM_PAGE_UP 0xff55
#define KEYSYM_PAGE_DOWN 0xff56

/* glog's level for errors.  librime reports broken data and configuration
 * at this level; its informational and warning messages, which follow the
 * engine's activity, are never produced.  With working data nothing at all
 * is logged: the tests check that the log directory holds no typed text,
 * and it stays empty through pinyin_bench. */
#define RIME_LOG_LEVEL_ERROR 2

#define MODE_COUNT 2
/* After the modes' sessions, two helpers that never commit: one in the
 * names schema that composes the given name alone, for the whole-name
 * alternatives, and one in the text schema for the sentence
 * alternatives. */
#define GIVEN_SESSION MODE_COUNT
#define SENTENCE_SESSION (MODE_COUNT + 1)
#define SESSION_COUNT (MODE_COUNT + 2)
#define SURNAMES_FILE "lobby_surnames.txt"
/* libpinyin's user directory, inside the Rime one (bigram_sentence.h). */
#define BIGRAM_USER_DIR "libpinyin"
/* libpinyin's sentence is offered for sentences, from three characters:
 * for a word librime's page already holds the homophones. */
#define BIGRAM_CHARS_MIN 3
/* Whole-name alternatives added to the first page: with the engine's own
 * whole names they fill the five places residents look at first. */
#define NAME_ALTERNATIVES_MAX 4
/* Marks a view candidate that the kiosk made, not librime. */
#define NOT_FROM_RIME (-1)

/* The later-word alternatives last made, for the input they were made
 * for: turning back to the first page shows them again at once, so the
 * page does not change under the resident's finger. */
typedef struct {
  char input[KIOSK_PINYIN_INPUT_MAX + 1]; /* "": none */
  char alts[KIOSK_SENTENCE_PLACES - 1][KIOSK_PINYIN_CANDIDATE_CAP];
  int count;
} later_alternatives;

/* Each mode has a session of its own, which stays in its schema: changing
 * mode is choosing the other session, because selecting a schema takes
 * 8-14 ms (pinyin_bench), too long for the key that follows a change of
 * field.  The session in use is sessions[mode].  The view's candidate i is
 * librime's candidate rime_index[i] of its page, or NOT_FROM_RIME. */
struct kiosk_pinyin {
  RimeApi *api;
  RimeSessionId sessions[SESSION_COUNT];
  kiosk_pinyin_mode mode;
  kiosk_pinyin_view view;
  int rime_index[KIOSK_PINYIN_PAGE_MAX];
  kiosk_surnames *surnames; /* NULL: no whole-name alternatives */
  kiosk_bigram *bigram;     /* NULL: no second opinion on sentences */
  /* The view is a first page of text with nothing chosen, whose
   * later-word alternatives are not made yet (kiosk_pinyin_refine). */
  bool later_due;
  later_alternatives later;
};

/* librime's engine state is global, so one engine may be open at a time. */
static bool engine_is_open;
static bool rime_logging_set_up;

static double monotonic_ms(void)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static lobby_err join_path(char *out, size_t cap, const char *dir, const char *name)
{
  int n = snprintf(out, cap, "%s/%s", dir, name);
  return n < 0 || (size_t)n >= cap ? LOBBY_ETOOBIG : LOBBY_OK;
}

/* Copies src into dst[cap]; ETOOBIG (and an empty dst) when it does not
 * fit, so a truncated candidate is never shown or committed. */
static lobby_err copy_text(char *dst, size_t cap, const char *src)
{
  size_t len = src ? strlen(src) : 0;
  if (len >= cap) {
    dst[0] = '\0';
    return LOBBY_ETOOBIG;
  }
  memcpy(dst, src ? src : "", len + 1);
  return LOBBY_OK;
}

static bool is_regular_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- Installing the kiosk's YAML files into the user directory ---- */

/* Copies one file unless the destination already has the same content,
 * so that its mtime, which goes into the deploy stamp, only changes when
 * the content does. */
static lobby_err install_file(const char *src_path, const char *dst_path)
{
  char *src = NULL, *dst = NULL;
  size_t src_len = 0, dst_len = 0;
  lobby_err err = lobby_fs_read_all(src_path, CONFIG_FILE_MAX, &src, &src_len);
  if (err != LOBBY_OK)
    return err;
  lobby_err dst_err = lobby_fs_read_all(dst_path, CONFIG_FILE_MAX, &dst, &dst_len);
  bool same = dst_err == LOBBY_OK && dst_len == src_len && memcmp(src, dst, src_len) == 0;
  if (!same)
    err = lobby_fs_write_atomic(dst_path, src, src_len);
  free(src);
  free(dst);
  return err;
}

static lobby_err install_kiosk_config(const kiosk_pinyin_paths *paths, char *why, size_t why_size)
{
  for (size_t i = 0; i < sizeof kiosk_config_files / sizeof kiosk_config_files[0]; i++) {
    char src[PATH_MAX], dst[PATH_MAX];
    if (join_path(src, sizeof src, paths->kiosk_config_dir, kiosk_config_files[i]) != LOBBY_OK ||
        join_path(dst, sizeof dst, paths->user_dir, kiosk_config_files[i]) != LOBBY_OK) {
      lobby_explain(why, why_size, "pinyin: path too long for %s", kiosk_config_files[i]);
      return LOBBY_ETOOBIG;
    }
    lobby_err err = install_file(src, dst);
    if (err != LOBBY_OK) {
      lobby_explain(why, why_size, "pinyin: cannot install %s into %s: %s", src, paths->user_dir,
                    lobby_strerror(err));
      return err == LOBBY_ENOTFOUND ? LOBBY_ENOTFOUND : LOBBY_EIO;
    }
  }
  return LOBBY_OK;
}

static lobby_err check_shared_data(const kiosk_pinyin_paths *paths, char *why, size_t why_size)
{
  for (size_t i = 0; i < sizeof shared_source_files / sizeof shared_source_files[0]; i++) {
    char path[PATH_MAX];
    if (join_path(path, sizeof path, paths->shared_data_dir, shared_source_files[i]) != LOBBY_OK) {
      lobby_explain(why, why_size, "pinyin: shared data path too long");
      return LOBBY_ETOOBIG;
    }
    if (!is_regular_file(path)) {
      lobby_explain(why, why_size, "pinyin: Rime data missing: %s (install rime-data-luna-pinyin, rime-essay)",
                    path);
      return LOBBY_ENOTFOUND;
    }
  }
  return LOBBY_OK;
}

/* ---- Deploy stamp ---- */

/* Appends "path size mtime" for one file to the stamp text. */
static lobby_err stamp_add_file(char *stamp, size_t cap, const char *dir, const char *name)
{
  char path[PATH_MAX];
  if (join_path(path, sizeof path, dir, name) != LOBBY_OK)
    return LOBBY_ETOOBIG;
  struct stat st;
  if (stat(path, &st) != 0)
    return LOBBY_ENOTFOUND;
  size_t used = strlen(stamp);
  int n = snprintf(stamp + used, cap - used, "%s %lld %lld.%09ld\n", path, (long long)st.st_size,
                   (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
  return n < 0 || (size_t)n >= cap - used ? LOBBY_ETOOBIG : LOBBY_OK;
}

/* The stamp describes every input of a deployment: the librime version
 * and the size and mtime of each source file, so a package upgrade (Luna
 * Pinyin, the essay vocabulary) or a kiosk release with other YAML files
 * or dictionary words deploys again.  A later start whose stamp text is
 * identical skips deployment. */
static lobby_err build_stamp(const kiosk_pinyin_paths *paths, const char *rime_version, char *stamp,
                             size_t cap)
{
  int n = snprintf(stamp, cap, "%slibrime %s\n", STAMP_FORMAT_LINE, rime_version);
  if (n < 0 || (size_t)n >= cap)
    return LOBBY_ETOOBIG;
  for (size_t i = 0; i < sizeof shared_source_files / sizeof shared_source_files[0]; i++) {
    lobby_err err = stamp_add_file(stamp, cap, paths->shared_data_dir, shared_source_files[i]);
    if (err != LOBBY_OK)
      return err;
  }
  for (size_t i = 0; i < sizeof kiosk_config_files / sizeof kiosk_config_files[0]; i++) {
    lobby_err err = stamp_add_file(stamp, cap, paths->user_dir, kiosk_config_files[i]);
    if (err != LOBBY_OK)
      return err;
  }
  return LOBBY_OK;
}

static bool deployment_is_current(const kiosk_pinyin_paths *paths, const char *stamp)
{
  for (size_t i = 0; i < sizeof deployed_files / sizeof deployed_files[0]; i++) {
    char path[PATH_MAX];
    if (join_path(path, sizeof path, paths->user_dir, deployed_files[i]) != LOBBY_OK ||
        !is_regular_file(path))
      return false;
  }
  char path[PATH_MAX];
  if (join_path(path, sizeof path, paths->user_dir, STAMP_FILE) != LOBBY_OK)
    return false;
  char *old = NULL;
  if (lobby_fs_read_all(path, CONFIG_FILE_MAX, &old, NULL) != LOBBY_OK)
    return false;
  bool same = strcmp(old, stamp) == 0;
  free(old);
  return same;
}

static lobby_err write_stamp(const kiosk_pinyin_paths *paths, const char *stamp)
{
  char path[PATH_MAX];
  lobby_err err = join_path(path, sizeof path, paths->user_dir, STAMP_FILE);
  if (err != LOBBY_OK)
    return err;
  return lobby_fs_write_atomic(path, stamp, strlen(stamp));
}

static void remove_stamp(const kiosk_pinyin_paths *paths)
{
  char path[PATH_MAX];
  if (join_path(path, sizeof path, paths->user_dir, STAMP_FILE) == LOBBY_OK)
    unlink(path);
}

/* ---- librime set-up ---- */

/* Points librime at the kiosk's directories and starts it.  RimeSetup
 * initialises glog, which aborts the process when initialised twice, so it
 * runs on the first open only: the log level and log directory chosen then
 * hold until the process exits.  Errors only (data and configuration
 * problems while deploying or loading), never the informational messages,
 * and into the kiosk's own Rime directory (and stderr, which glog always
 * adds), not /tmp. */
static void start_rime(RimeApi *api, const kiosk_pinyin_paths *paths, const char *log_dir)
{
  RIME_STRUCT(RimeTraits, traits);
  traits.shared_data_dir = paths->shared_data_dir;
  traits.user_data_dir = paths->user_dir;
  traits.distribution_name = "Lobby";
  traits.distribution_code_name = "lobby-kiosk";
  traits.distribution_version = "1";
  traits.app_name = "rime.lobby";
  traits.min_log_level = RIME_LOG_LEVEL_ERROR;
  traits.log_dir = log_dir;
  /* Only what the schema uses plus the deployer: no plugins (Lua,
   * octagram) are loaded from the system plugin directory. */
  static const char *modules[] = { "core", "dict", "gears", "levers", NULL };
  traits.modules = modules;
  if (!rime_logging_set_up) {
    api->setup(&traits);
    rime_logging_set_up = true;
  }
  /* RimeInitialize sets the directories again, so a later open with other
   * directories (the tests) uses them. */
  api->initialize(&traits);
}

static lobby_err deploy(RimeApi *api, const kiosk_pinyin_paths *paths, char *why, size_t why_size)
{
  for (size_t i = 0; i < sizeof compiled_files / sizeof compiled_files[0]; i++) {
    char path[PATH_MAX];
    if (join_path(path, sizeof path, paths->user_dir, compiled_files[i]) == LOBBY_OK &&
        unlink(path) != 0 && errno != ENOENT) {
      lobby_explain(why, why_size, "pinyin: cannot remove %s", path);
      return LOBBY_EIO;
    }
  }
  /* Synchronous deployment: the two tasks RimeDeploy would run that
   * matter here, each with its result checked, and no maintenance thread
   * that could outlive a failed open. */
  if (!api->run_task("installation_update") || !api->run_task("workspace_update")) {
    lobby_explain(why, why_size, "pinyin: deploying Rime data from %s failed (see %s/log)",
                  paths->shared_data_dir, paths->user_dir);
    return LOBBY_EIO;
  }
  for (size_t i = 0; i < sizeof deployed_files / sizeof deployed_files[0]; i++) {
    char path[PATH_MAX];
    if (join_path(path, sizeof path, paths->user_dir, deployed_files[i]) != LOBBY_OK ||
        !is_regular_file(path)) {
      lobby_explain(why, why_size, "pinyin: deployment produced no %s (see %s/log)", deployed_files[i],
                    paths->user_dir);
      return LOBBY_EIO;
    }
  }
  return LOBBY_OK;
}

/* ---- Session and view ---- */

static RimeSessionId current_session(const kiosk_pinyin *engine)
{
  return engine->sessions[engine->mode];
}

/* ---- Whole-name alternatives (name_alternatives.h) ---- */

/* Splits a preedit of pinyin alone ("xu bo wen", "xi'an") into its
 * syllables, in place; 0 when it holds anything else, such as a part
 * already chosen. */
static int split_syllables(char *preedit, char **syllables, int max)
{
  int n = 0;
  for (char *p = preedit; *p;) {
    while (*p == ' ' || *p == '\'')
      *p++ = '\0';
    if (!*p)
      break;
    if (n == max)
      return 0;
    syllables[n++] = p;
    while (*p >= 'a' && *p <= 'z')
      p++;
    if (*p && *p != ' ' && *p != '\'')
      return 0;
  }
  return n;
}

/* The helper sessions hold a resident's letters only while they are
 * being typed. */
static void clear_helpers(kiosk_pinyin *engine)
{
  for (int i = GIVEN_SESSION; i < SESSION_COUNT; i++)
    if (engine->sessions[i])
      engine->api->clear_composition(engine->sessions[i]);
  explicit_bzero(&engine->later, sizeof engine->later);
}

/* The letters typed for the syllables after the first `skip`: the input
 * is the syllables' letters, with apostrophes where the resident put
 * them. */
static const char *letters_after(const char *input, char *const *syllables, int skip)
{
  const char *p = input;
  for (int i = 0; i < skip; i++) {
    while (*p == '\'')
      p++;
    size_t len = strlen(syllables[i]);
    if (strncmp(p, syllables[i], len) != 0)
      return NULL;
    p += len;
  }
  while (*p == '\'')
    p++;
  return *p ? p : NULL;
}

/* The engine's whole candidates for the given name, on its first page. */
static int given_name_candidates(kiosk_pinyin *engine, RimeContext *ctx, const char **given, int max)
{
  if (!engine->api->get_context(engine->sessions[GIVEN_SESSION], ctx))
    return -1;
  int n = 0;
  for (int i = 0; i < ctx->menu.num_candidates && n < max; i++)
    if (ctx->menu.candidates[i].text)
      given[n++] = ctx->menu.candidates[i].text;
  return n;
}

/* Where alternatives go: after librime's whole names, before the parts
 * of the input (徐波, 徐) that follow them. */
static int whole_names_end(const kiosk_pinyin_view *view, size_t chars)
{
  int end = 1;
  while (end < view->candidate_count && lobby_utf8_count(view->candidates[end]) == chars)
    end++;
  return end;
}

static void insert_alternatives(kiosk_pinyin *engine, char alts[][KIOSK_PINYIN_CANDIDATE_CAP], int n,
                                int at)
{
  kiosk_pinyin_view *view = &engine->view;
  if (view->candidate_count + n > KIOSK_PINYIN_PAGE_MAX)
    n = KIOSK_PINYIN_PAGE_MAX - view->candidate_count;
  for (int i = view->candidate_count - 1; i >= at; i--) {
    memcpy(view->candidates[i + n], view->candidates[i], sizeof view->candidates[i]);
    engine->rime_index[i + n] = engine->rime_index[i];
  }
  for (int i = 0; i < n; i++) {
    memcpy(view->candidates[at + i], alts[i], sizeof alts[i]);
    engine->rime_index[at + i] = NOT_FROM_RIME;
  }
  view->candidate_count += n;
}

/* For a name typed whole (no part chosen yet), adds the same name with
 * the other surnames of its reading and the engine's other given names. */
static void add_name_alternatives(kiosk_pinyin *engine)
{
  kiosk_pinyin_view *view = &engine->view;
  char preedit[KIOSK_PINYIN_PREEDIT_CAP];
  char *syllables[8];
  if (!engine->surnames || view->candidate_count < 1 ||
      copy_text(preedit, sizeof preedit, view->preedit) != LOBBY_OK)
    return;
  int n = split_syllables(preedit, syllables, 8);
  const char *input = engine->api->get_input(current_session(engine));
  kiosk_name_request req = {view->candidates[0], (const char *const *)syllables, n, NULL, 0};
  size_t surname_bytes = 0;
  int surname_syllables = n >= 2 && n <= 4 && input ? kiosk_surname_syllables(engine->surnames, &req, &surname_bytes) : 0;
  const char *rest = surname_syllables ? letters_after(input, syllables, surname_syllables) : NULL;
  RIME_STRUCT(RimeContext, ctx);
  const char *given[KIOSK_PINYIN_PAGE_MAX];
  int given_count = rest && kiosk_rime_compose(engine->api, engine->sessions[GIVEN_SESSION], rest)
                      ? given_name_candidates(engine, &ctx, given, KIOSK_PINYIN_PAGE_MAX)
                      : -1;
  if (given_count >= 0) {
    req.given = given;
    req.given_count = given_count;
    const char *taken[KIOSK_PINYIN_PAGE_MAX];
    for (int i = 0; i < view->candidate_count; i++)
      taken[i] = view->candidates[i];
    char alts[NAME_ALTERNATIVES_MAX][KIOSK_PINYIN_CANDIDATE_CAP];
    int made = kiosk_name_alternatives(engine->surnames, &req, taken, view->candidate_count, &alts[0][0],
                                       sizeof alts[0], NAME_ALTERNATIVES_MAX);
    insert_alternatives(engine, alts, made, whole_names_end(view, (size_t)n));
    explicit_bzero(alts, sizeof alts);
    engine->api->free_context(&ctx);
  } else {
    clear_helpers(engine);
  }
  explicit_bzero(preedit, sizeof preedit);
}

/* ---- Sentence alternatives (sentence_alternatives.h) ---- */

/* Whether the preedit is letters alone: nothing has been chosen yet. */
static bool nothing_chosen(const char *preedit)
{
  for (const char *p = preedit; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || *p == ' ' || *p == '\''))
      return false;
  return true;
}

/* For text typed whole (no part chosen yet), adds after librime's
 * sentence the sentences that start with another of its first page's
 * parts. */
static void add_sentence_alternatives(kiosk_pinyin *engine)
{
  kiosk_pinyin_view *view = &engine->view;
  const char *input = engine->api->get_input(current_session(engine));
  if (!engine->sessions[SENTENCE_SESSION] || !view->composing || view->candidate_count < 2 || !input ||
      !nothing_chosen(view->preedit)) {
    clear_helpers(engine);
    return;
  }
  const char *page[KIOSK_PINYIN_PAGE_MAX];
  for (int i = 0; i < view->candidate_count; i++)
    page[i] = view->candidates[i];
  kiosk_sentence_request req = {engine->api, engine->sessions[SENTENCE_SESSION], input, page,
                                view->candidate_count};
  char alts[KIOSK_SENTENCE_ALTERNATIVES_MAX][KIOSK_PINYIN_CANDIDATE_CAP];
  int made = kiosk_sentence_alternatives(&req, &alts[0][0], sizeof alts[0],
                                         KIOSK_SENTENCE_ALTERNATIVES_MAX);
  insert_alternatives(engine, alts, made, 1);
  explicit_bzero(alts, sizeof alts);
  if (strcmp(engine->later.input, input) == 0)
    insert_alternatives(engine, engine->later.alts, engine->later.count, 1 + made);
  else
    engine->later_due = true;
}

/* The alternatives the kiosk made come right after the sentence. */
static int alternatives_end(const kiosk_pinyin *engine)
{
  int end = 1;
  while (end < engine->view.candidate_count && engine->rime_index[end] == NOT_FROM_RIME)
    end++;
  return end;
}

/* libpinyin's sentence for input into out, when there is one and the page
 * does not hold it yet: 1, else 0 (bigram_sentence.h). */
static int bigram_alternative(kiosk_pinyin *engine, const char *input, char *out, size_t cap)
{
  if (!engine->bigram || engine->view.candidate_count < 1 ||
      lobby_utf8_count(engine->view.candidates[0]) < BIGRAM_CHARS_MIN ||
      kiosk_bigram_sentence(engine->bigram, input, out, cap) != LOBBY_OK)
    return 0;
  for (int i = 0; i < engine->view.candidate_count; i++)
    if (strcmp(engine->view.candidates[i], out) == 0) {
      explicit_bzero(out, cap);
      return 0;
    }
  return 1;
}

lobby_err kiosk_pinyin_refine(kiosk_pinyin *engine, bool *changed)
{
  if (!engine || !changed)
    return LOBBY_EINVAL;
  *changed = false;
  if (!engine->later_due)
    return LOBBY_OK;
  engine->later_due = false;
  kiosk_pinyin_view *view = &engine->view;
  const char *input = engine->api->get_input(current_session(engine));
  if (!input)
    return LOBBY_OK;
  int at = alternatives_end(engine);
  later_alternatives *later = &engine->later;
  explicit_bzero(later, sizeof *later);
  int room = KIOSK_SENTENCE_PLACES - at;
  if (room > 0) {
    /* The bigram sentence takes the last of the places, after the
     * later-word alternatives, and none of those repeats it. */
    char bigram[KIOSK_PINYIN_CANDIDATE_CAP];
    int has_bigram = bigram_alternative(engine, input, bigram, sizeof bigram);
    const char *page[KIOSK_PINYIN_PAGE_MAX + 1];
    for (int i = 0; i < view->candidate_count; i++)
      page[i] = view->candidates[i];
    if (has_bigram)
      page[view->candidate_count] = bigram;
    kiosk_sentence_request req = {engine->api, engine->sessions[SENTENCE_SESSION], input, page,
                                  view->candidate_count + has_bigram};
    later->count = kiosk_sentence_later_alternatives(&req, &later->alts[0][0], sizeof later->alts[0],
                                                     room - has_bigram);
    if (has_bigram)
      memcpy(later->alts[later->count++], bigram, sizeof bigram);
    explicit_bzero(bigram, sizeof bigram);
  }
  if (copy_text(later->input, sizeof later->input, input) != LOBBY_OK)
    explicit_bzero(later, sizeof *later);
  insert_alternatives(engine, later->alts, later->count, at);
  *changed = later->count > 0;
  return LOBBY_OK;
}

bool kiosk_pinyin_refine_due(const kiosk_pinyin *engine)
{
  return engine && engine->later_due;
}

static lobby_err refresh_view(kiosk_pinyin *engine)
{
  kiosk_pinyin_view *view = &engine->view;
  RIME_STRUCT(RimeContext, ctx);
  if (!engine->api->get_context(current_session(engine), &ctx)) {
    kiosk_pinyin_view_wipe(view);
    return LOBBY_EIO;
  }
  lobby_err err = LOBBY_OK;
  engine->later_due = false;
  view->composing = ctx.composition.length > 0;
  if (copy_text(view->preedit, sizeof view->preedit, ctx.composition.preedit) != LOBBY_OK)
    err = LOBBY_ETOOBIG;
  int count = ctx.menu.num_candidates;
  if (count > KIOSK_PINYIN_PAGE_MAX)
    count = KIOSK_PINYIN_PAGE_MAX;
  if (count < 0)
    count = 0;
  for (int i = 0; i < count; i++) {
    engine->rime_index[i] = i;
    if (copy_text(view->candidates[i], sizeof view->candidates[i], ctx.menu.candidates[i].text) !=
        LOBBY_OK)
      err = LOBBY_ETOOBIG;
  }
  /* Old candidates beyond the new count are user text too. */
  for (int i = count; i < view->candidate_count && i < KIOSK_PINYIN_PAGE_MAX; i++)
    explicit_bzero(view->candidates[i], sizeof view->candidates[i]);
  view->candidate_count = count;
  view->page_no = ctx.menu.page_no;
  view->last_page = ctx.menu.is_last_page || count == 0;
  engine->api->free_context(&ctx);
  if (err == LOBBY_OK && engine->mode == KIOSK_PINYIN_NAMES && view->page_no == 0)
    add_name_alternatives(engine);
  else if (err == LOBBY_OK && engine->mode == KIOSK_PINYIN_TEXT && view->page_no == 0)
    add_sentence_alternatives(engine);
  return err;
}

/* Takes whatever the engine committed; "" when it committed nothing. */
static lobby_err take_commit(kiosk_pinyin *engine, char *committed, size_t committed_size)
{
  committed[0] = '\0';
  RIME_STRUCT(RimeCommit, commit);
  if (!engine->api->get_commit(current_session(engine), &commit))
    return LOBBY_OK;
  lobby_err err = copy_text(committed, committed_size, commit.text);
  if (commit.text)
    explicit_bzero(commit.text, strlen(commit.text));
  engine->api->free_commit(&commit);
  return err;
}

static bool session_has_schema(RimeApi *api, RimeSessionId session, const char *id)
{
  char schema_id[64] = "";
  return api->get_current_schema(session, schema_id, sizeof schema_id) &&
         strcmp(schema_id, id) == 0;
}

/* What each mode's session is proved with: pinyin that must come out as
 * first (维修; 王建国, which the text schema gives as 网见过). */
static const struct {
  const char *pinyin, *first;
} mode_probes[MODE_COUNT] = {
  [KIOSK_PINYIN_TEXT] = {PROBE_PINYIN, PROBE_FIRST_CANDIDATE},
  [KIOSK_PINYIN_NAMES] = {PROBE_NAME_PINYIN, PROBE_NAME_FIRST_CANDIDATE},
};

/* Types the mode's probe into its session and checks the first candidate,
 * then clears.  Typing also loads the simplifier's conversion tables, so
 * the first real keystroke is as fast as the others. */
static bool probe_mode(kiosk_pinyin *engine, kiosk_pinyin_mode mode)
{
  kiosk_pinyin_mode in_use = engine->mode;
  engine->mode = mode;
  RimeSessionId session = current_session(engine);
  for (const char *p = mode_probes[mode].pinyin; *p; p++)
    engine->api->process_key(session, *p, 0);
  bool ok = refresh_view(engine) == LOBBY_OK && engine->view.candidate_count > 0 &&
            strcmp(engine->view.candidates[0], mode_probes[mode].first) == 0;
  engine->api->clear_composition(session);
  kiosk_pinyin_view_wipe(&engine->view);
  engine->mode = in_use;
  return ok;
}

static void destroy_sessions(RimeApi *api, RimeSessionId *sessions, int count)
{
  for (int m = 0; m < count; m++) {
    if (sessions[m])
      api->destroy_session(sessions[m]);
    sessions[m] = 0;
  }
}

/* A new session in schema (a new session starts in the first schema of
 * the list, the text one); 0 when it cannot be made. */
static RimeSessionId create_session_in(RimeApi *api, const char *schema)
{
  RimeSessionId session = api->create_session();
  if (session && (!(session_has_schema(api, session, schema) || api->select_schema(session, schema)) ||
                  !session_has_schema(api, session, schema))) {
    api->destroy_session(session);
    return 0;
  }
  return session;
}

/* Fills sessions with a fresh session per mode, each in its schema. */
static bool create_mode_sessions(RimeApi *api, RimeSessionId *sessions)
{
  for (int m = 0; m < MODE_COUNT; m++) {
    sessions[m] = create_session_in(api, mode_schemas[m]);
    if (!sessions[m]) {
      destroy_sessions(api, sessions, m);
      return false;
    }
  }
  return true;
}

/* Replaces the modes' sessions with fresh ones and proves each works.
 * The new ones are made before the old ones go, so the dictionaries they
 * share stay mapped and the swap is quick.  The helper sessions stay:
 * nothing is ever committed in them (the sentence session chooses a part
 * and goes back), so clearing their composition leaves them holding
 * nothing typed. */
static lobby_err renew_sessions(kiosk_pinyin *engine)
{
  RimeSessionId fresh[MODE_COUNT];
  if (!create_mode_sessions(engine->api, fresh))
    return LOBBY_EIO;
  destroy_sessions(engine->api, engine->sessions, MODE_COUNT);
  memcpy(engine->sessions, fresh, sizeof fresh);
  for (int m = 0; m < MODE_COUNT; m++)
    if (!probe_mode(engine, (kiosk_pinyin_mode)m))
      return LOBBY_EIO;
  return LOBBY_OK;
}

static lobby_err start_session(kiosk_pinyin *engine)
{
  lobby_err err = renew_sessions(engine);
  if (err == LOBBY_OK && !engine->sessions[GIVEN_SESSION]) {
    engine->sessions[GIVEN_SESSION] = create_session_in(engine->api, NAME_SCHEMA_ID);
    if (!engine->sessions[GIVEN_SESSION])
      err = LOBBY_EIO;
  }
  if (err == LOBBY_OK && !engine->sessions[SENTENCE_SESSION]) {
    engine->sessions[SENTENCE_SESSION] = create_session_in(engine->api, SCHEMA_ID);
    if (!engine->sessions[SENTENCE_SESSION])
      err = LOBBY_EIO;
  }
  if (err != LOBBY_OK)
    destroy_sessions(engine->api, engine->sessions, SESSION_COUNT);
  return err;
}

static lobby_err check_paths(const kiosk_pinyin_paths *paths, char *why, size_t why_size)
{
  if (!paths || !paths->shared_data_dir || !paths->kiosk_config_dir || !paths->user_dir ||
      !paths->shared_data_dir[0] || !paths->kiosk_config_dir[0] || !paths->user_dir[0]) {
    lobby_explain(why, why_size, "pinyin: data directories not configured");
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}

/* Everything open does once librime is initialised: deploy when the stamp
 * is stale, start a session and prove it works.  A working stamp with a
 * failing session (data damaged since) gets one fresh deployment. */
static lobby_err deploy_and_start(kiosk_pinyin *engine, const kiosk_pinyin_paths *paths,
                                  kiosk_pinyin_open_info *info, char *why, size_t why_size)
{
  char stamp[8192];
  lobby_err err = build_stamp(paths, engine->api->get_version(), stamp, sizeof stamp);
  if (err != LOBBY_OK) {
    lobby_explain(why, why_size, "pinyin: cannot read Rime data in %s", paths->shared_data_dir);
    return err;
  }
  bool current = deployment_is_current(paths, stamp);
  for (int attempt = 0; attempt < 2; attempt++) {
    if (!current) {
      remove_stamp(paths);
      double t0 = monotonic_ms();
      err = deploy(engine->api, paths, why, why_size);
      info->deployed = true;
      info->deploy_ms += monotonic_ms() - t0;
      if (err != LOBBY_OK)
        return err;
    }
    if (start_session(engine) == LOBBY_OK) {
      if (!current && write_stamp(paths, stamp) != LOBBY_OK) {
        /* Harmless: the next start deploys again. */
        lobby_explain(why, why_size, "pinyin: cannot write %s/%s", paths->user_dir, STAMP_FILE);
      }
      return LOBBY_OK;
    }
    if (!current)
      break;
    current = false;
  }
  lobby_explain(why, why_size, "pinyin: Rime data in %s does not work (no %s for \"%s\"; see %s/log)",
                paths->shared_data_dir, PROBE_FIRST_CANDIDATE, PROBE_PINYIN, paths->user_dir);
  return LOBBY_EIO;
}

/* ---- Loading librime ---- */

/* librime and the C++ libraries under it (Boost, glog, LevelDB, OpenCC,
 * yaml-cpp, ICU) take several milliseconds to map and relocate.  Loaded
 * when the engine opens, on a worker thread after the kiosk's first frame
 * or in the check child, they cost the start-up nothing.  Its whole API is
 * the table rime_get_api returns.  Never unloaded: librime's globals
 * (glog above all) must not be initialised twice in one process. */
#define RIME_LIBRARY "librime.so.1"

static RimeApi *load_rime(char *why, size_t why_size)
{
  void *lib = dlopen(RIME_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    lobby_explain(why, why_size, "pinyin: cannot load %s (install librime1): %s", RIME_LIBRARY,
                  dlerror());
    return NULL;
  }
  void *symbol = dlsym(lib, "rime_get_api");
  RimeApi *(*get_api)(void) = NULL;
  if (symbol)
    memcpy(&get_api, &symbol, sizeof get_api);
  RimeApi *api = get_api ? get_api() : NULL;
  if (!api)
    lobby_explain(why, why_size, "pinyin: %s has no usable rime_get_api", RIME_LIBRARY);
  return api;
}

/* ---- Trial run in a child process ---- */

/* What the child reports through its pipe. */
typedef struct {
  lobby_err err;
  kiosk_pinyin_open_info info;
  char why[KIOSK_PINYIN_WHY_CAP];
} trial_result;

static lobby_err log_dir_path(const kiosk_pinyin_paths *paths, char *log_dir, size_t cap,
                              char *why, size_t why_size)
{
  if (join_path(log_dir, cap, paths->user_dir, "log") != LOBBY_OK) {
    lobby_explain(why, why_size, "pinyin: user directory path too long");
    return LOBBY_ETOOBIG;
  }
  return LOBBY_OK;
}

/* The files the check needs before librime starts: the shared data is
 * there, the user and log directories exist, the kiosk's YAML is
 * installed. */
static lobby_err prepare_user_dir(const kiosk_pinyin_paths *paths, char *log_dir, size_t cap,
                                  char *why, size_t why_size)
{
  lobby_err err = check_shared_data(paths, why, why_size);
  if (err == LOBBY_OK)
    err = log_dir_path(paths, log_dir, cap, why, why_size);
  if (err != LOBBY_OK)
    return err;
  if (lobby_fs_mkdirs(log_dir) != LOBBY_OK) {
    lobby_explain(why, why_size, "pinyin: cannot create %s", log_dir);
    return LOBBY_EIO;
  }
  return install_kiosk_config(paths, why, why_size);
}

static void run_trial_child(const kiosk_pinyin_paths *paths, int result_fd)
{
  /* The check is background work: the kiosk's own threads, drawing its
   * first frame, come first.  Failing to lower the priority is harmless. */
  if (setpriority(PRIO_PROCESS, 0, 10) != 0)
    errno = 0;
  trial_result result = { .err = LOBBY_ENOMEM };
  char log_dir[PATH_MAX];
  result.err = prepare_user_dir(paths, log_dir, sizeof log_dir, result.why, sizeof result.why);
  if (result.err == LOBBY_OK) {
    kiosk_pinyin engine = { .api = load_rime(result.why, sizeof result.why) };
    if (engine.api) {
      start_rime(engine.api, paths, log_dir);
      result.err = deploy_and_start(&engine, paths, &result.info, result.why, sizeof result.why);
    } else {
      result.err = LOBBY_EIO;
    }
  }
  /* One write below PIPE_BUF arrives whole.  _exit skips librime's and
   * the sanitizers' exit handlers: the parent owns the process's exit. */
  ssize_t written = write(result_fd, &result, sizeof result);
  _exit(written == (ssize_t)sizeof result ? 0 : 1);
}

typedef enum { REPORT_ARRIVED, REPORT_MISSING, REPORT_CANCELLED } report_state;

/* Reads the child's report until it arrives, the child closes the pipe,
 * the deadline passes or cancel_fd (when not -1) becomes readable. */
static report_state read_trial_result(int fd, int cancel_fd, trial_result *result,
                                      double deadline_ms)
{
  size_t got = 0;
  char *bytes = (char *)result;
  while (got < sizeof *result) {
    double left = deadline_ms - monotonic_ms();
    if (left <= 0)
      return REPORT_MISSING;
    struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = cancel_fd, .events = POLLIN } };
    int ready = poll(pfd, cancel_fd >= 0 ? 2 : 1, (int)left + 1);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      return REPORT_MISSING;
    if (cancel_fd >= 0 && pfd[1].revents)
      return REPORT_CANCELLED;
    ssize_t n = read(fd, bytes + got, sizeof *result - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return REPORT_MISSING;
    got += (size_t)n;
  }
  return REPORT_ARRIVED;
}

/* A thread's name (its comm), "" when unknown. */
static void thread_name(const char *tid, char *name, size_t size)
{
  char path[320];
  name[0] = '\0';
  int n = snprintf(path, sizeof path, "/proc/self/task/%s/comm", tid);
  FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "r") : NULL;
  if (!f)
    return;
  if (!fgets(name, (int)size, f))
    name[0] = '\0';
  name[strcspn(name, "\n")] = '\0';
  fclose(f);
}

/* This process's threads (/proc/self/task) but SDL's timer, which only
 * waits for its semaphore between timers and so holds no lock a forked
 * child could need, or 0 when unknown; the names of those counted in
 * names, for the log. */
static int thread_count(char *names, size_t size)
{
  DIR *d = opendir("/proc/self/task");
  size_t used = 0;
  names[0] = '\0';
  if (!d)
    return 0;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    char name[32];
    if (e->d_name[0] == '.')
      continue;
    thread_name(e->d_name, name, sizeof name);
    if (strncmp(name, "SDLTimer", 8) == 0)
      continue;
    n++;
    int w = snprintf(names + used, size - used, "%s%s", used ? ", " : "", name);
    if (w > 0 && (size_t)w < size - used)
      used += (size_t)w;
  }
  closedir(d);
  return n;
}

/* librime aborts the process on some damaged files (a truncated prebuilt
 * table throws an uncaught exception from marisa), and compiling a large
 * dictionary on slow hardware has no upper bound.  So a child process
 * first deploys and probes under a deadline; the kiosk only starts
 * librime itself once the child has shown that it works, and is never
 * taken down by broken data.  The child is forked, so it must start while
 * the process has no threads that may hold a lock at that moment (a child
 * forked beside the network thread was seen to hang under ASan). */
lobby_err kiosk_pinyin_check_start(const kiosk_pinyin_paths *paths, kiosk_pinyin_check *check,
                                   char *why, size_t why_size)
{
  lobby_explain(why, why_size, "%s", "");
  if (!check)
    return LOBBY_EINVAL;
  *check = (kiosk_pinyin_check){ .pid = 0, .fd = -1, .started_ms = monotonic_ms() };
  lobby_err err = check_paths(paths, why, why_size);
  if (err != LOBBY_OK)
    return err;
  int fds[2];
  if (pipe(fds) != 0) {
    lobby_explain(why, why_size, "pinyin: cannot create a pipe");
    return LOBBY_EIO;
  }
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  char names[256];
  int threads = thread_count(names, sizeof names);
  /* A thread joined just now stays listed until the kernel has reaped it,
   * and one SDL started just now has no name yet: look again for a
   * moment before calling it another thread (kiosk.e2e_follow failed so
   * once under load). */
  for (int i = 0; i < 20 && threads > 1; i++) {
    nanosleep(&(struct timespec){.tv_nsec = 2500000}, NULL);
    threads = thread_count(names, sizeof names);
  }
  if (threads > 1)
    LOBBY_WARN("pinyin: the data check is forked beside %d other threads (%s); it may hang", threads - 1,
               names);
  pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    lobby_explain(why, why_size, "pinyin: cannot start the data check");
    return LOBBY_EIO;
  }
  if (child == 0) {
    close(fds[0]);
    run_trial_child(paths, fds[1]);
  }
  close(fds[1]);
  check->pid = child;
  check->fd = fds[0];
  return LOBBY_OK;
}

void kiosk_pinyin_check_abandon(kiosk_pinyin_check *check)
{
  if (!check || check->pid <= 0)
    return;
  kill(check->pid, SIGKILL);
  while (waitpid(check->pid, NULL, 0) < 0 && errno == EINTR) {
  }
  close(check->fd);
  check->pid = 0;
  check->fd = -1;
}

/* Waits for the child's verdict, then reaps it. */
static lobby_err trial_wait(const kiosk_pinyin_paths *paths, kiosk_pinyin_check *check,
                            int cancel_fd, kiosk_pinyin_open_info *info, char *why,
                            size_t why_size)
{
  trial_result result;
  report_state state = read_trial_result(
    check->fd, cancel_fd, &result, check->started_ms + KIOSK_PINYIN_DEPLOY_TIMEOUT_S * 1000.0);
  close(check->fd);
  if (state != REPORT_ARRIVED)
    kill(check->pid, SIGKILL);
  int status = 0;
  pid_t waited;
  do
    waited = waitpid(check->pid, &status, 0);
  while (waited < 0 && errno == EINTR);
  pid_t child = check->pid;
  check->pid = 0;
  check->fd = -1;

  if (state == REPORT_CANCELLED) {
    lobby_explain(why, why_size, "pinyin: start-up cancelled");
    return LOBBY_ECONFLICT;
  }
  if (state == REPORT_MISSING) {
    if (waited == child && WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
      lobby_explain(why, why_size, "pinyin: Rime data in %s crashes librime (signal %d; see %s/log)",
                    paths->shared_data_dir, WTERMSIG(status), paths->user_dir);
    else
      lobby_explain(why, why_size, "pinyin: Rime data in %s: no answer within %d s", paths->shared_data_dir,
                    KIOSK_PINYIN_DEPLOY_TIMEOUT_S);
    return LOBBY_EIO;
  }
  *info = result.info;
  if (result.err != LOBBY_OK)
    lobby_explain(why, why_size, "%s", result.why);
  return result.err;
}

/* Without the table names are still typed; only the alternatives are
 * missing, which staff learn from the log. */
static void load_surnames(kiosk_pinyin *engine, const kiosk_pinyin_paths *paths)
{
  char path[PATH_MAX];
  lobby_err err = join_path(path, sizeof path, paths->kiosk_config_dir, SURNAMES_FILE);
  if (err == LOBBY_OK)
    err = kiosk_surnames_load(path, &engine->surnames);
  if (err != LOBBY_OK)
    LOBBY_WARN("pinyin: %s/%s: %s; names get no homophone surnames", paths->kiosk_config_dir,
               SURNAMES_FILE, lobby_strerror(err));
}

/* Without libpinyin sentences are still typed; only its alternative is
 * missing, which staff learn from the log. */
static void open_bigram(kiosk_pinyin *engine, const kiosk_pinyin_paths *paths)
{
  char user[PATH_MAX], why[KIOSK_PINYIN_WHY_CAP] = "";
  const char *data = paths->bigram_data_dir ? paths->bigram_data_dir : KIOSK_BIGRAM_DATA_DIR;
  lobby_err err = join_path(user, sizeof user, paths->user_dir, BIGRAM_USER_DIR);
  if (err == LOBBY_OK)
    err = kiosk_bigram_open(data, user, &engine->bigram, why, sizeof why);
  if (err != LOBBY_OK && !why[0])
    lobby_explain(why, sizeof why, "pinyin: libpinyin: %s", lobby_strerror(err));
  if (err != LOBBY_OK)
    LOBBY_WARN("%s; sentences get no second opinion", why);
}

lobby_err kiosk_pinyin_open_checked(const kiosk_pinyin_paths *paths, kiosk_pinyin_check *check,
                                    int cancel_fd, kiosk_pinyin **out,
                                    kiosk_pinyin_open_info *info, char *why, size_t why_size)
{
  kiosk_pinyin_open_info local_info = { 0 };
  if (!info)
    info = &local_info;
  *info = (kiosk_pinyin_open_info){ 0 };
  lobby_explain(why, why_size, "%s", "");
  if (!out || !check || check->pid <= 0) {
    kiosk_pinyin_check_abandon(check);
    return LOBBY_EINVAL;
  }
  *out = NULL;
  double t0 = check->started_ms;
  if (engine_is_open) {
    kiosk_pinyin_check_abandon(check);
    lobby_explain(why, why_size, "pinyin: an engine is already open");
    return LOBBY_ECONFLICT;
  }
  lobby_err err = trial_wait(paths, check, cancel_fd, info, why, why_size);
  if (err != LOBBY_OK)
    return err;
  char log_dir[PATH_MAX];
  err = log_dir_path(paths, log_dir, sizeof log_dir, why, why_size);
  if (err != LOBBY_OK)
    return err;
  kiosk_pinyin *engine = calloc(1, sizeof *engine);
  if (!engine) {
    lobby_explain(why, why_size, "pinyin: out of memory");
    return LOBBY_ENOMEM;
  }
  engine->api = load_rime(why, why_size);
  if (!engine->api) {
    free(engine);
    return LOBBY_EIO;
  }
  /* The child deployed when needed and wrote the stamp, so this finds the
   * data current and only starts a session. */
  start_rime(engine->api, paths, log_dir);
  kiosk_pinyin_open_info parent_info = { 0 };
  err = deploy_and_start(engine, paths, &parent_info, why, why_size);
  info->deployed = info->deployed || parent_info.deployed;
  info->deploy_ms += parent_info.deploy_ms;
  if (err != LOBBY_OK) {
    engine->api->finalize();
    free(engine);
    return err;
  }
  load_surnames(engine, paths);
  open_bigram(engine, paths);
  engine_is_open = true;
  info->open_ms = monotonic_ms() - t0;
  *out = engine;
  return LOBBY_OK;
}

lobby_err kiosk_pinyin_open(const kiosk_pinyin_paths *paths, kiosk_pinyin **out,
                            kiosk_pinyin_open_info *info, char *why, size_t why_size)
{
  if (out)
    *out = NULL;
  if (info)
    *info = (kiosk_pinyin_open_info){ 0 };
  if (!out)
    return LOBBY_EINVAL;
  kiosk_pinyin_check check;
  lobby_err err = kiosk_pinyin_check_start(paths, &check, why, why_size);
  if (err != LOBBY_OK)
    return err;
  return kiosk_pinyin_open_checked(paths, &check, -1, out, info, why, why_size);
}

void kiosk_pinyin_close(kiosk_pinyin *engine)
{
  if (!engine)
    return;
  kiosk_pinyin_view_wipe(&engine->view);
  destroy_sessions(engine->api, engine->sessions, SESSION_COUNT);
  kiosk_surnames_free(engine->surnames);
  kiosk_bigram_close(engine->bigram);
  engine->api->finalize();
  explicit_bzero(engine, sizeof *engine);
  free(engine);
  engine_is_open = false;
}

const kiosk_pinyin_view *kiosk_pinyin_view_get(const kiosk_pinyin *engine)
{
  return &engine->view;
}

void kiosk_pinyin_view_wipe(kiosk_pinyin_view *view)
{
  explicit_bzero(view, sizeof *view);
  view->last_page = true;
}

/* ---- Keys ---- */

static bool is_pinyin_letter(char key)
{
  return key >= 'a' && key <= 'z';
}

static lobby_err send_key(kiosk_pinyin *engine, int keysym)
{
  if (!engine->api->process_key(current_session(engine), keysym, 0))
    return LOBBY_ENOTFOUND;
  /* The schema commits only when a candidate is chosen; if a key ever
   * commits, the text would otherwise wait in the session, so drop it. */
  char discarded[KIOSK_PINYIN_COMMIT_CAP];
  lobby_err err = take_commit(engine, discarded, sizeof discarded);
  explicit_bzero(discarded, sizeof discarded);
  if (err != LOBBY_OK)
    return err;
  return refresh_view(engine);
}

lobby_err kiosk_pinyin_key(kiosk_pinyin *engine, char key)
{
  if (!engine)
    return LOBBY_EINVAL;
  if (key >= 'A' && key <= 'Z')
    key = (char)(key - 'A' + 'a');
  const char *input = engine->api->get_input(current_session(engine));
  size_t input_len = input ? strlen(input) : 0;
  if (key == KIOSK_PINYIN_BACKSPACE) {
    if (input_len == 0)
      return LOBBY_ENOTFOUND;
    return send_key(engine, KIOSK_RIME_BACKSPACE);
  }
  if (key != '\'' && !is_pinyin_letter(key))
    return LOBBY_EINVAL;
  if (key == '\'' && input_len == 0)
    return LOBBY_OK;
  if (input_len >= KIOSK_PINYIN_INPUT_MAX)
    return LOBBY_ETOOBIG;
  return send_key(engine, key == '\'' ? KEYSYM_APOSTROPHE : key);
}

lobby_err kiosk_pinyin_next_page(kiosk_pinyin *engine)
{
  if (!engine)
    return LOBBY_EINVAL;
  if (!engine->view.composing || engine->view.last_page)
    return LOBBY_ENOTFOUND;
  int before = engine->view.page_no;
  lobby_err err = send_key(engine, KEYSYM_PAGE_DOWN);
  if (err != LOBBY_OK)
    return err;
  return engine->view.page_no != before ? LOBBY_OK : LOBBY_ENOTFOUND;
}

lobby_err kiosk_pinyin_prev_page(kiosk_pinyin *engine)
{
  if (!engine)
    return LOBBY_EINVAL;
  if (!engine->view.composing || engine->view.page_no == 0)
    return LOBBY_ENOTFOUND;
  int before = engine->view.page_no;
  lobby_err err = send_key(engine, KEYSYM_PAGE_UP);
  if (err != LOBBY_OK)
    return err;
  return engine->view.page_no != before ? LOBBY_OK : LOBBY_ENOTFOUND;
}

/* An alternative is a whole name: it is committed and the letters go. */
static lobby_err choose_alternative(kiosk_pinyin *engine, int index, char *committed,
                                    size_t committed_size)
{
  lobby_err err = copy_text(committed, committed_size, engine->view.candidates[index]);
  engine->api->clear_composition(current_session(engine));
  clear_helpers(engine);
  lobby_err view_err = refresh_view(engine);
  return err != LOBBY_OK ? err : view_err;
}

lobby_err kiosk_pinyin_choose(kiosk_pinyin *engine, int index, char *committed,
                              size_t committed_size)
{
  if (!engine || !committed || committed_size < KIOSK_PINYIN_COMMIT_CAP)
    return LOBBY_EINVAL;
  committed[0] = '\0';
  if (index < 0 || index >= engine->view.candidate_count)
    return LOBBY_ENOTFOUND;
  if (engine->rime_index[index] == NOT_FROM_RIME)
    return choose_alternative(engine, index, committed, committed_size);
  if (!engine->api->select_candidate_on_current_page(current_session(engine),
                                                     (size_t)engine->rime_index[index]))
    return LOBBY_ENOTFOUND;
  lobby_err err = take_commit(engine, committed, committed_size);
  lobby_err view_err = refresh_view(engine);
  return err != LOBBY_OK ? err : view_err;
}

lobby_err kiosk_pinyin_set_mode(kiosk_pinyin *engine, kiosk_pinyin_mode mode)
{
  if (!engine || (mode != KIOSK_PINYIN_TEXT && mode != KIOSK_PINYIN_NAMES))
    return LOBBY_EINVAL;
  if (engine->mode == mode)
    return LOBBY_OK;
  engine->api->clear_composition(current_session(engine));
  clear_helpers(engine);
  engine->mode = mode;
  return refresh_view(engine);
}

lobby_err kiosk_pinyin_clear(kiosk_pinyin *engine)
{
  if (!engine)
    return LOBBY_EINVAL;
  engine->api->clear_composition(current_session(engine));
  clear_helpers(engine);
  return refresh_view(engine);
}

lobby_err kiosk_pinyin_wipe(kiosk_pinyin *engine)
{
  if (!engine)
    return LOBBY_EINVAL;
  engine->api->clear_composition(current_session(engine));
  clear_helpers(engine);
  kiosk_pinyin_view_wipe(&engine->view);
  lobby_err err = renew_sessions(engine);
  return err != LOBBY_OK ? err : refresh_view(engine);
}
