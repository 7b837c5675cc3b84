/* The on-screen keyboard's layouts and key handling, the pinyin candidate
 * bar's state and the engine's life cycle (see keyboard.h). */
#include "keyboard.h"

#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lobby_log.h"
#include "lobby_text.h"

#define ROW_END {NULL, 0}

#define LETTER_ROWS                                                                                    \
  {"q", 2}, {"w", 2}, {"e", 2}, {"r", 2}, {"t", 2}, {"y", 2}, {"u", 2}, {"i", 2}, {"o", 2}, {"p", 2}, \
  ROW_END, {"a", 2}, {"s", 2}, {"d", 2}, {"f", 2}, {"g", 2}, {"h", 2}, {"j", 2}, {"k", 2}, {"l", 2},  \
  ROW_END

static const kiosk_key_def keyboard_layout_pinyin[] = {
  LETTER_ROWS,
  {KIOSK_KEY_SPLIT, 3}, {"z", 2}, {"x", 2}, {"c", 2}, {"v", 2}, {"b", 2}, {"n", 2}, {"m", 2},
  {KIOSK_KEY_BACKSPACE, 3}, ROW_END,
  {"sym.0", 2}, {"sym.1", 2}, {KIOSK_KEY_SPACE, 8}, {"sym.2", 2}, {KIOSK_KEY_CLEAR, 3}, {KIOSK_KEY_DONE, 3}, ROW_END};

static const kiosk_key_def keyboard_layout_abc[] = {
  LETTER_ROWS,
  {KIOSK_KEY_SHIFT, 3}, {"z", 2}, {"x", 2}, {"c", 2}, {"v", 2}, {"b", 2}, {"n", 2}, {"m", 2},
  {KIOSK_KEY_BACKSPACE, 3}, ROW_END,
  {",", 2}, {".", 2}, {KIOSK_KEY_SPACE, 8}, {"@", 2}, {KIOSK_KEY_CLEAR, 3}, {KIOSK_KEY_DONE, 3}, ROW_END};

static const kiosk_key_def keyboard_layout_num[] = {
  {"1", 2}, {"2", 2}, {"3", 2}, {"4", 2}, {"5", 2}, {"6", 2}, {"7", 2}, {"8", 2}, {"9", 2}, {"0", 2}, ROW_END,
  {"-", 2}, {"/", 2}, {":", 2}, {";", 2}, {"(", 2}, {")", 2}, {"@", 2}, {".", 2}, {",", 2}, {"#", 2}, ROW_END,
  {"+", 2}, {"*", 2}, {"=", 2}, {"%", 2}, {"&", 2}, {"_", 2}, {"\"", 2}, {"'", 2},
  {KIOSK_KEY_BACKSPACE, 4}, ROW_END,
  {KIOSK_KEY_SPACE, 12}, {KIOSK_KEY_CLEAR, 4}, {KIOSK_KEY_DONE, 4}, ROW_END};

static const kiosk_key_def keyboard_layout_symbols[] = {
  {"sym.0", 2}, {"sym.1", 2}, {"sym.2", 2}, {"sym.3", 2}, {"sym.4", 2},
  {"sym.5", 2}, {"sym.6", 2}, {"sym.7", 2}, {"sym.8", 2}, {"sym.9", 2}, ROW_END,
  {"sym.10", 2}, {"sym.11", 2}, {"sym.12", 2}, {"sym.13", 2}, {"sym.14", 2},
  {"sym.15", 2}, {"sym.16", 2}, {"sym.17", 2}, {"sym.18", 2}, {"sym.19", 2}, ROW_END,
  {",", 2}, {".", 2}, {"?", 2}, {"!", 2}, {":", 2}, {";", 2}, {"(", 2}, {")", 2},
  {KIOSK_KEY_BACKSPACE, 4}, ROW_END,
  {KIOSK_KEY_SPACE, 12}, {KIOSK_KEY_CLEAR, 4}, {KIOSK_KEY_DONE, 4}, ROW_END};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct {
  const kiosk_key_def *keys;
  int n;
  bool candidate_bar;
} layout_table;

static const layout_table layout_tables[KIOSK_LAYOUT_COUNT] = {
  {keyboard_layout_pinyin, COUNT(keyboard_layout_pinyin), true},
  {keyboard_layout_abc, COUNT(keyboard_layout_abc), false},
  {keyboard_layout_num, COUNT(keyboard_layout_num), false},
  {keyboard_layout_symbols, COUNT(keyboard_layout_symbols), false}};


/* ---- sizes ---- */

double kiosk_px_per_mm(double dpi, double diagonal_in, int w, int h)
{
  if (dpi > 0)
    return dpi / 25.4;
  if (diagonal_in <= 0)
    diagonal_in = 21.5;
  return hypot((double)w, (double)h) / diagonal_in / 25.4;
}

int kiosk_key_min_px(int w, int h, double px_per_mm)
{
  int shorter = w < h ? w : h;
  int by_pixels = (KIOSK_KEY_MIN_PX_1080 * shorter + 1079) / 1080;
  int by_mm = (int)ceil(KIOSK_KEY_MIN_MM * px_per_mm);
  return by_pixels > by_mm ? by_pixels : by_mm;
}

/* ---- layouts ---- */

static const layout_table *table_of(const kiosk_input_source *src)
{
  int id = kiosk_source_layout(src);
  return id >= 0 ? &layout_tables[id] : NULL;
}

const kiosk_key_def *kiosk_layout_keys(kiosk_layout_id id, int *n)
{
  *n = layout_tables[id].n;
  return layout_tables[id].keys;
}

int kiosk_layout_rows(kiosk_layout_id id)
{
  const layout_table *t = &layout_tables[id];
  int rows = 0;
  for (int i = 0; i < t->n; i++)
    rows += t->keys[i].label == NULL;
  return rows;
}

bool kiosk_layout_has_candidate_bar(kiosk_layout_id id)
{
  return layout_tables[id].candidate_bar;
}

/* A string in the app's current language. */
static const char *text_of(const kiosk_keyboard_state *kb, const char *key)
{
  return kb->env.text(kb->env.ctx, key);
}

const char *kiosk_keyboard_key_text(const kiosk_keyboard_state *kb, kiosk_layout_id layout, const char *label,
                                    char *buf, size_t size)
{
  if (kiosk_key_is_function(label))
    return text_of(kb, label);
  if (strncmp(label, "sym.", 4) == 0) {
    int64_t index;
    if (lobby_parse_int64(label + 4, 0, 99, &index) != LOBBY_OK ||
        !kiosk_list_item(text_of(kb, "symbols.fullwidth"), (int)index, buf, size))
      snprintf(buf, size, "%s", "?");
    return buf;
  }
  if (layout == KIOSK_LAYOUT_ABC && kb->shift && islower((unsigned char)label[0]) && !label[1]) {
    snprintf(buf, size, "%c", toupper((unsigned char)label[0]));
    return buf;
  }
  return label;
}

/* ---- the engine ---- */

void kiosk_keyboard_init(kiosk_keyboard_state *kb, const kiosk_keyboard_env *env)
{
  memset(kb, 0, sizeof *kb);
  kb->env = *env;
}

bool kiosk_keyboard_pinyin_available(const kiosk_keyboard_state *kb)
{
  return kb->engine != NULL;
}

const kiosk_pinyin_view *kiosk_keyboard_view(const kiosk_keyboard_state *kb)
{
  return kb->engine ? kiosk_pinyin_view_get(kb->engine) : NULL;
}

bool kiosk_keyboard_composing(const kiosk_keyboard_state *kb)
{
  const kiosk_pinyin_view *v = kiosk_keyboard_view(kb);
  return v && v->composing;
}

static kiosk_pinyin_paths engine_paths(const kiosk_keyboard_state *kb)
{
  return (kiosk_pinyin_paths){.shared_data_dir = kb->env.rime_shared_dir,
                              .kiosk_config_dir = kb->env.rime_config_dir,
                              .user_dir = kb->opening.user_dir};
}

/* The end of every opening, on the UI thread. */
static lobby_err opened(kiosk_keyboard_state *kb, lobby_err err, kiosk_pinyin *engine)
{
  kb->open_tried = true;
  if (err != LOBBY_OK) {
    kb->engine = NULL;
    if (!kb->why[0])
      snprintf(kb->why, sizeof kb->why, "%s", lobby_strerror(err));
    LOBBY_WARN("pinyin input unavailable: %s", kb->why);
    return err;
  }
  kb->engine = engine;
  LOBBY_INFO("pinyin input ready (deployed=%d, open %.0f ms)", kb->open_info.deployed ? 1 : 0,
             kb->open_info.open_ms);
  return LOBBY_OK;
}

lobby_err kiosk_keyboard_open_begin(kiosk_keyboard_state *kb)
{
  kb->why[0] = '\0';
  if (!kb->env.pinyin) {
    snprintf(kb->why, sizeof kb->why, "%s", text_of(kb, "input.pinyin_off"));
    kb->open_tried = true;
    return LOBBY_ENOTFOUND;
  }
  snprintf(kb->opening.user_dir, sizeof kb->opening.user_dir, "%s/rime", kb->env.state_dir);
  kiosk_pinyin_paths paths = engine_paths(kb);
  lobby_err err = kiosk_pinyin_check_start(&paths, &kb->opening.check, kb->why, sizeof kb->why);
  if (err != LOBBY_OK)
    return opened(kb, err, NULL);
  return LOBBY_OK;
}

/* Waits for the check and opens the engine on this thread. */
static lobby_err open_here(kiosk_keyboard_state *kb)
{
  kiosk_pinyin_paths paths = engine_paths(kb);
  kiosk_pinyin *engine = NULL;
  lobby_err err = kiosk_pinyin_open_checked(&paths, &kb->opening.check, -1, &engine, &kb->open_info,
                                            kb->why, sizeof kb->why);
  return opened(kb, err, engine);
}

lobby_err kiosk_keyboard_open(kiosk_keyboard_state *kb)
{
  lobby_err err = kiosk_keyboard_open_begin(kb);
  return err == LOBBY_OK ? open_here(kb) : err;
}

static int opener_main(void *data)
{
  kiosk_keyboard_state *kb = data;
  kiosk_pinyin_paths paths = engine_paths(kb);
  kb->opening.opened_err = kiosk_pinyin_open_checked(&paths, &kb->opening.check, kb->opening.cancel_pipe[0], &kb->opening.opened,
                                             &kb->opening.opened_info, kb->opening.opened_why,
                                             sizeof kb->opening.opened_why);
  SDL_AtomicSet(&kb->opening.opener_done, 1);
  /* The event loop then calls kiosk_keyboard_open_poll. */
  if (kb->env.wake)
    kb->env.wake(kb->env.ctx);
  return 0;
}

bool kiosk_keyboard_open_continue(kiosk_keyboard_state *kb)
{
  if (kb->opening.check.pid <= 0 || kb->opening.opener)
    return false;
  SDL_AtomicSet(&kb->opening.opener_done, 0);
  if (pipe(kb->opening.cancel_pipe) == 0) {
    fcntl(kb->opening.cancel_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(kb->opening.cancel_pipe[1], F_SETFD, FD_CLOEXEC);
    kb->opening.opener = SDL_CreateThread(opener_main, "pinyin-open", kb);
    if (kb->opening.opener)
      return false;
    close(kb->opening.cancel_pipe[0]);
    close(kb->opening.cancel_pipe[1]);
  }
  /* No thread: open here rather than not at all. */
  LOBBY_WARN("no thread to open pinyin input in; opening it on the UI thread");
  (void)open_here(kb);
  return true;
}

/* Joins the opener; the engine it opened, if any, becomes the caller's. */
static kiosk_pinyin *join_opener(kiosk_keyboard_state *kb)
{
  SDL_WaitThread(kb->opening.opener, NULL);
  kb->opening.opener = NULL;
  close(kb->opening.cancel_pipe[0]);
  close(kb->opening.cancel_pipe[1]);
  kiosk_pinyin *engine = kb->opening.opened;
  kb->opening.opened = NULL;
  return engine;
}

bool kiosk_keyboard_open_poll(kiosk_keyboard_state *kb)
{
  if (!kb->opening.opener || !SDL_AtomicGet(&kb->opening.opener_done))
    return false;
  kiosk_pinyin *engine = join_opener(kb);
  kb->open_info = kb->opening.opened_info;
  snprintf(kb->why, sizeof kb->why, "%s", kb->opening.opened_why);
  (void)opened(kb, kb->opening.opened_err, engine);
  return true;
}

void kiosk_keyboard_close(kiosk_keyboard_state *kb)
{
  if (kb->opening.opener) {
    /* Stops a wait for the check; a librime start-up already under way
     * finishes first (some tens of milliseconds). */
    if (write(kb->opening.cancel_pipe[1], "x", 1) != 1)
      LOBBY_WARN("cannot signal the pinyin opener; waiting for it");
    kiosk_pinyin_close(join_opener(kb));
  }
  kiosk_pinyin_check_abandon(&kb->opening.check);
  kiosk_pinyin_close(kb->engine);
  kb->engine = NULL;
}

static void reset_bar(kiosk_keyboard_state *kb)
{
  kb->bar.part = 0;
  kb->bar.parts = 0;
  memset(kb->bar.part_first, 0, sizeof kb->bar.part_first);
}

lobby_err kiosk_keyboard_wipe(kiosk_keyboard_state *kb)
{
  reset_bar(kb);
  kb->shift = false;
  kb->repeat.on = false;
  kb->want_next = false;
  kb->latency.key_t0 = 0;
  if (!kb->engine)
    return LOBBY_OK;
  lobby_err err = kiosk_pinyin_wipe(kb->engine);
  if (err != LOBBY_OK) {
    /* An engine that cannot forget must not be used by the next person. */
    LOBBY_ERROR("pinyin wipe failed (%s): pinyin input switched off", lobby_strerror(err));
    snprintf(kb->why, sizeof kb->why, "%s", text_of(kb, "input.pinyin_wipe_failed"));
    kiosk_keyboard_close(kb);
  }
  return err;
}

/* ---- typing into the focused field ---- */

static kiosk_field *focused_field(const kiosk_keyboard_state *kb)
{
  return kb->env.focus ? *kb->env.focus : NULL;
}

/* Appends committed text to the focused field; a full field keeps what
 * fits, which the resident sees. */
static lobby_err field_append(kiosk_keyboard_state *kb, const char *text)
{
  kiosk_field *f = focused_field(kb);
  if (!f || !text[0])
    return LOBBY_OK;
  lobby_err err = kiosk_field_commit(f, text);
  if (err == LOBBY_ETOOBIG)
    LOBBY_DEBUG("field full");
  return err;
}

lobby_err kiosk_keyboard_choose(kiosk_keyboard_state *kb, int index)
{
  if (!kb->engine)
    return LOBBY_ENOTFOUND;
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  lobby_err err = kiosk_pinyin_choose(kb->engine, index, committed, sizeof committed);
  reset_bar(kb);
  if (err != LOBBY_OK)
    return err;
  err = field_append(kb, committed);
  explicit_bzero(committed, sizeof committed);
  return err;
}

lobby_err kiosk_keyboard_commit_pending(kiosk_keyboard_state *kb)
{
  /* Each choice of the first candidate commits or shortens the
   * composition, so this ends; the bound is a guard only. */
  for (int i = 0; i < KIOSK_PINYIN_INPUT_MAX && kiosk_keyboard_composing(kb); i++) {
    lobby_err err = kiosk_keyboard_choose(kb, 0);
    if (err == LOBBY_ENOTFOUND)
      return kiosk_pinyin_clear(kb->engine);
    if (err != LOBBY_OK && err != LOBBY_ETOOBIG)
      return err;
  }
  return LOBBY_OK;
}

lobby_err kiosk_keyboard_backspace(kiosk_keyboard_state *kb)
{
  if (kiosk_keyboard_composing(kb)) {
    reset_bar(kb);
    lobby_err err = kiosk_pinyin_key(kb->engine, KIOSK_PINYIN_BACKSPACE);
    if (err != LOBBY_ENOTFOUND)
      return err;
  }
  kiosk_field *f = focused_field(kb);
  if (f)
    kiosk_field_backspace(f);
  return LOBBY_OK;
}

/* ---- the candidate bar ---- */

lobby_err kiosk_keyboard_page(kiosk_keyboard_state *kb, int direction)
{
  if (!kiosk_keyboard_composing(kb))
    return LOBBY_ENOTFOUND;
  if (direction > 0 && kb->bar.part < kb->bar.parts - 1) {
    kb->bar.part++;
    return LOBBY_OK;
  }
  if (direction < 0 && kb->bar.part > 0) {
    kb->bar.part--;
    return LOBBY_OK;
  }
  lobby_err err = direction > 0 ? kiosk_pinyin_next_page(kb->engine) : kiosk_pinyin_prev_page(kb->engine);
  if (err == LOBBY_OK) {
    /* Back a page shows that page's last part. */
    kb->bar.part = direction > 0 ? 0 : -1;
  }
  return err;
}

bool kiosk_keyboard_refine_due(const kiosk_keyboard_state *kb)
{
  return kb->engine && kb->bar.part == 0 && kiosk_pinyin_refine_due(kb->engine);
}

bool kiosk_keyboard_refine(kiosk_keyboard_state *kb)
{
  bool changed = false;
  if (kiosk_keyboard_refine_due(kb)) {
    lobby_err err = kiosk_pinyin_refine(kb->engine, &changed);
    if (err != LOBBY_OK)
      LOBBY_WARN("pinyin: later alternatives: %s", lobby_strerror(err));
  }
  return changed;
}

bool kiosk_keyboard_can_page(const kiosk_keyboard_state *kb, int direction)
{
  const kiosk_pinyin_view *v = kiosk_keyboard_view(kb);
  if (!v)
    return false;
  if (direction < 0)
    return kb->bar.part > 0 || v->page_no > 0;
  return kb->bar.part < kb->bar.parts - 1 || !v->last_page;
}

void kiosk_keyboard_split_parts(kiosk_keyboard_state *kb, const int *widths, int n, int avail, int gap)
{
  int used = 0;
  kb->bar.parts = 0;
  for (int i = 0; i < n && i < KIOSK_PINYIN_PAGE_MAX; i++) {
    if (i == 0 || used + gap + widths[i] > avail) {
      kb->bar.part_first[kb->bar.parts++] = i;
      used = widths[i];
    } else {
      used += gap + widths[i];
    }
  }
  kb->bar.part_first[kb->bar.parts] = n < KIOSK_PINYIN_PAGE_MAX ? n : KIOSK_PINYIN_PAGE_MAX;
  if (kb->bar.part < 0 || kb->bar.part >= kb->bar.parts)
    kb->bar.part = kb->bar.parts > 0 && kb->bar.part < 0 ? kb->bar.parts - 1 : 0;
}

/* ---- key presses ---- */

static bool is_pinyin_letter(kiosk_layout_id layout, const char *label)
{
  return layout == KIOSK_LAYOUT_PINYIN && islower((unsigned char)label[0]) && !label[1];
}

/* A pinyin letter: into the composition, timed until the candidates are
 * drawn. */
static lobby_err press_pinyin_letter(kiosk_keyboard_state *kb, char letter)
{
  if (!kb->engine)
    return LOBBY_ENOTFOUND;
  reset_bar(kb);
  kb->latency.key_t0 = kb->env.action_t0 ? *kb->env.action_t0 : 0;
  /* The schema follows the field: a change drops a composition left from
   * the field typed in before, which the resident has moved away from. */
  const kiosk_field *f = focused_field(kb);
  lobby_err err = kiosk_pinyin_set_mode(kb->engine, f && f->kind == KIOSK_FIELD_NAME
                                                        ? KIOSK_PINYIN_NAMES
                                                        : KIOSK_PINYIN_TEXT);
  if (err != LOBBY_OK)
    return err;
  err = kiosk_pinyin_key(kb->engine, letter);
  if (err == LOBBY_ETOOBIG)
    LOBBY_DEBUG("composition full");
  return err;
}

static lobby_err press_clear(kiosk_keyboard_state *kb)
{
  if (kiosk_keyboard_composing(kb)) {
    reset_bar(kb);
    return kiosk_pinyin_clear(kb->engine);
  }
  kiosk_field *f = focused_field(kb);
  if (f)
    kiosk_field_wipe(f);
  return LOBBY_OK;
}

static lobby_err press_function_key(kiosk_keyboard_state *kb, const char *label)
{
  if (!strcmp(label, KIOSK_KEY_BACKSPACE))
    return kiosk_keyboard_backspace(kb);
  if (!strcmp(label, KIOSK_KEY_SHIFT)) {
    kb->shift = !kb->shift;
    return LOBBY_OK;
  }
  if (!strcmp(label, KIOSK_KEY_SPLIT))
    return kb->engine ? kiosk_pinyin_key(kb->engine, '\'') : LOBBY_ENOTFOUND;
  if (!strcmp(label, KIOSK_KEY_CLEAR))
    return press_clear(kb);
  if (!strcmp(label, KIOSK_KEY_SPACE)) {
    if (kiosk_keyboard_composing(kb))
      return kiosk_keyboard_commit_pending(kb);
    return field_append(kb, " ");
  }
  if (!strcmp(label, KIOSK_KEY_DONE)) {
    kb->want_next = true;
    return kiosk_keyboard_commit_pending(kb);
  }
  return LOBBY_EINVAL;
}

/* Punctuation and letters other than pinyin: what the bar offered goes
 * first, then the character. */
static lobby_err press_character(kiosk_keyboard_state *kb, kiosk_layout_id layout, const char *label)
{
  char buf[32];
  lobby_err err = kiosk_keyboard_commit_pending(kb);
  if (err == LOBBY_OK || err == LOBBY_ETOOBIG)
    err = field_append(kb, kiosk_keyboard_key_text(kb, layout, label, buf, sizeof buf));
  if (layout == KIOSK_LAYOUT_ABC && isalpha((unsigned char)label[0]))
    kb->shift = false; /* shift is for one letter, like a phone's */
  return err;
}

/* The keyboard's layouts type into its focused field rather than f (the
 * same field when the app presses them). */
static void layout_press(const kiosk_input_source *src, kiosk_keyboard_state *kb, int key, kiosk_field *f)
{
  (void)f;
  const layout_table *t = table_of(src);
  if (!t || !kb || key < 0 || key >= t->n || !t->keys[key].label)
    return;
  kiosk_layout_id layout = (kiosk_layout_id)kiosk_source_layout(src);
  const char *label = t->keys[key].label;
  lobby_err err;
  if (is_pinyin_letter(layout, label))
    err = press_pinyin_letter(kb, label[0]);
  else if (kiosk_key_is_function(label))
    err = press_function_key(kb, label);
  else
    err = press_character(kb, layout, label);
  if (err != LOBBY_OK && err != LOBBY_ETOOBIG && err != LOBBY_ENOTFOUND)
    LOBBY_WARN("keyboard key %s: %s", label, lobby_strerror(err));
}

/* ---- sources ---- */

const kiosk_input_source kiosk_src_pinyin = {.label_key = "src.pinyin", .press = layout_press};
const kiosk_input_source kiosk_src_abc = {.label_key = "src.abc", .press = layout_press};
const kiosk_input_source kiosk_src_num = {.label_key = "src.num", .press = layout_press};
const kiosk_input_source kiosk_src_symbols = {.label_key = "src.symbols", .press = layout_press};

int kiosk_source_layout(const kiosk_input_source *src)
{
  if (src == &kiosk_src_pinyin)
    return KIOSK_LAYOUT_PINYIN;
  if (src == &kiosk_src_abc)
    return KIOSK_LAYOUT_ABC;
  if (src == &kiosk_src_num)
    return KIOSK_LAYOUT_NUM;
  if (src == &kiosk_src_symbols)
    return KIOSK_LAYOUT_SYMBOLS;
  return -1;
}

const kiosk_input_source *kiosk_layout_source(kiosk_layout_id id)
{
  static const kiosk_input_source *const sources[KIOSK_LAYOUT_COUNT] = {&kiosk_src_pinyin, &kiosk_src_abc,
                                                                         &kiosk_src_num, &kiosk_src_symbols};
  return (unsigned)id < KIOSK_LAYOUT_COUNT ? sources[id] : NULL;
}

int kiosk_text_sources(const kiosk_keyboard_state *kb, const kiosk_input_source **out,
                       const kiosk_input_source *extra)
{
  int n = 0;
  if (kiosk_keyboard_pinyin_available(kb))
    out[n++] = &kiosk_src_pinyin;
  out[n++] = &kiosk_src_abc;
  out[n++] = &kiosk_src_num;
  out[n++] = &kiosk_src_symbols;
  if (extra)
    out[n++] = extra;
  return n;
}

int kiosk_name_sources(const kiosk_keyboard_state *kb, const kiosk_input_source **out,
                       const kiosk_input_source *extra, bool latin_first)
{
  int n = kiosk_text_sources(kb, out, extra);
  if (latin_first && n > 1 && out[0] == &kiosk_src_pinyin) {
    out[0] = &kiosk_src_abc;
    out[1] = &kiosk_src_pinyin;
  }
  return n;
}

/* ---- hold to repeat ---- */

void kiosk_keyboard_hold(kiosk_keyboard_state *kb, int arg, int64_t now_ms)
{
  kb->repeat.on = true;
  kb->repeat.arg = arg;
  kb->repeat.next_ms = now_ms + KIOSK_REPEAT_DELAY_MS;
}

void kiosk_keyboard_release(kiosk_keyboard_state *kb)
{
  kb->repeat.on = false;
}

bool kiosk_keyboard_repeat_due(kiosk_keyboard_state *kb, int64_t now_ms, int *arg)
{
  if (!kb->repeat.on || now_ms < kb->repeat.next_ms)
    return false;
  kb->repeat.next_ms += KIOSK_REPEAT_INTERVAL_MS;
  *arg = kb->repeat.arg;
  return true;
}

int64_t kiosk_keyboard_next_repeat(const kiosk_keyboard_state *kb, int64_t now_ms)
{
  if (!kb->repeat.on)
    return -1;
  int64_t left = kb->repeat.next_ms - now_ms;
  return left < 0 ? 0 : left;
}

/* ---- measurements ---- */

void kiosk_keyboard_frame_done(kiosk_keyboard_state *kb)
{
  if (!kb->latency.key_t0)
    return;
  double ms = (double)(SDL_GetPerformanceCounter() - kb->latency.key_t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
  kb->latency.key_t0 = 0;
  if (kb->latency.n_lat < KIOSK_KEYSTROKE_SAMPLES)
    kb->latency.lat_ms[kb->latency.n_lat++] = (float)ms;
}

static int cmp_float(const void *a, const void *b)
{
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

void kiosk_keyboard_report(const kiosk_keyboard_state *kb, FILE *out)
{
  if (kb->engine)
    fprintf(out, "kiosk-pinyin available=1 deployed=%d deploy_ms=%.1f open_ms=%.1f\n", kb->open_info.deployed ? 1 : 0,
            kb->open_info.deploy_ms, kb->open_info.open_ms);
  else
    fprintf(out, "kiosk-pinyin available=0 why=\"%s\"\n", kb->why);
  if (kb->latency.n_lat == 0)
    return;
  float sorted[KIOSK_KEYSTROKE_SAMPLES];
  memcpy(sorted, kb->latency.lat_ms, (size_t)kb->latency.n_lat * sizeof sorted[0]);
  qsort(sorted, (size_t)kb->latency.n_lat, sizeof sorted[0], cmp_float);
  /* Nearest-rank percentiles. */
  int i50 = (int)ceil(0.50 * kb->latency.n_lat) - 1, i99 = (int)ceil(0.99 * kb->latency.n_lat) - 1;
  fprintf(out, "kiosk-keystroke p50_ms=%.2f p99_ms=%.2f max_ms=%.2f n=%d\n", (double)sorted[i50 < 0 ? 0 : i50],
          (double)sorted[i99 < 0 ? 0 : i99], (double)sorted[kb->latency.n_lat - 1], kb->latency.n_lat);
}
