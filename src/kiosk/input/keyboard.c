/* The on-screen keyboard's layouts, the pinyin candidate bar and the
 * engine's life cycle (see keyboard.h). */
#include "keyboard.h"

#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kiosk_app.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_text.h"

/* A key: its label (literal ASCII, a string key starting with key., or sym.N, the
 * N-th item of the strings' full-width punctuation list) and its width in
 * half keys; a row holds 20 halves.  {NULL, 0} ends a row. */
typedef struct {
  const char *label;
  int span;
} key_def;

#define ROW_END {NULL, 0}
#define ROW_HALVES 20
#define KEY_BACKSPACE "key.backspace"
#define KEY_CLEAR "key.clear"
#define KEY_SPACE "key.space"
#define KEY_DONE "key.done"
#define KEY_SHIFT "key.shift"
#define KEY_SPLIT "key.split"

#define LETTER_ROWS                                                                                    \
  {"q", 2}, {"w", 2}, {"e", 2}, {"r", 2}, {"t", 2}, {"y", 2}, {"u", 2}, {"i", 2}, {"o", 2}, {"p", 2}, \
  ROW_END, {"a", 2}, {"s", 2}, {"d", 2}, {"f", 2}, {"g", 2}, {"h", 2}, {"j", 2}, {"k", 2}, {"l", 2},  \
  ROW_END

static const key_def keyboard_layout_pinyin[] = {
  LETTER_ROWS,
  {KEY_SPLIT, 3}, {"z", 2}, {"x", 2}, {"c", 2}, {"v", 2}, {"b", 2}, {"n", 2}, {"m", 2}, {KEY_BACKSPACE, 3}, ROW_END,
  {"sym.0", 2}, {"sym.1", 2}, {KEY_SPACE, 8}, {"sym.2", 2}, {KEY_CLEAR, 3}, {KEY_DONE, 3}, ROW_END};

static const key_def keyboard_layout_abc[] = {
  LETTER_ROWS,
  {KEY_SHIFT, 3}, {"z", 2}, {"x", 2}, {"c", 2}, {"v", 2}, {"b", 2}, {"n", 2}, {"m", 2}, {KEY_BACKSPACE, 3}, ROW_END,
  {",", 2}, {".", 2}, {KEY_SPACE, 8}, {"@", 2}, {KEY_CLEAR, 3}, {KEY_DONE, 3}, ROW_END};

static const key_def keyboard_layout_num[] = {
  {"1", 2}, {"2", 2}, {"3", 2}, {"4", 2}, {"5", 2}, {"6", 2}, {"7", 2}, {"8", 2}, {"9", 2}, {"0", 2}, ROW_END,
  {"-", 2}, {"/", 2}, {":", 2}, {";", 2}, {"(", 2}, {")", 2}, {"@", 2}, {".", 2}, {",", 2}, {"#", 2}, ROW_END,
  {"+", 2}, {"*", 2}, {"=", 2}, {"%", 2}, {"&", 2}, {"_", 2}, {"\"", 2}, {"'", 2}, {KEY_BACKSPACE, 4}, ROW_END,
  {KEY_SPACE, 12}, {KEY_CLEAR, 4}, {KEY_DONE, 4}, ROW_END};

static const key_def keyboard_layout_symbols[] = {
  {"sym.0", 2}, {"sym.1", 2}, {"sym.2", 2}, {"sym.3", 2}, {"sym.4", 2},
  {"sym.5", 2}, {"sym.6", 2}, {"sym.7", 2}, {"sym.8", 2}, {"sym.9", 2}, ROW_END,
  {"sym.10", 2}, {"sym.11", 2}, {"sym.12", 2}, {"sym.13", 2}, {"sym.14", 2},
  {"sym.15", 2}, {"sym.16", 2}, {"sym.17", 2}, {"sym.18", 2}, {"sym.19", 2}, ROW_END,
  {",", 2}, {".", 2}, {"?", 2}, {"!", 2}, {":", 2}, {";", 2}, {"(", 2}, {")", 2}, {KEY_BACKSPACE, 4}, ROW_END,
  {KEY_SPACE, 12}, {KEY_CLEAR, 4}, {KEY_DONE, 4}, ROW_END};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct {
  const key_def *keys;
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

static int row_count(const layout_table *t)
{
  int rows = 0;
  for (int i = 0; i < t->n; i++)
    rows += t->keys[i].label == NULL;
  return rows;
}

/* The height of one key row: the keyboard's usual touch height, at least
 * the key size rule. */
static int key_row_height(const kiosk_app *app)
{
  int h = app->m.button_h;
  return h > app->m.key_min ? h : app->m.key_min;
}

/* ---- the engine ---- */

bool kiosk_keyboard_pinyin_available(const kiosk_app *app)
{
  return app->kb.engine != NULL;
}

const kiosk_pinyin_view *kiosk_keyboard_view(const kiosk_app *app)
{
  return app->kb.engine ? kiosk_pinyin_view_get(app->kb.engine) : NULL;
}

bool kiosk_keyboard_composing(const kiosk_app *app)
{
  const kiosk_pinyin_view *v = kiosk_keyboard_view(app);
  return v && v->composing;
}

static kiosk_pinyin_paths engine_paths(kiosk_app *app)
{
  return (kiosk_pinyin_paths){app->cfg.rime_shared_dir, app->cfg.rime_config_dir, app->kb.user_dir};
}

/* The end of every opening, on the UI thread. */
static lobby_err opened(kiosk_app *app, lobby_err err, kiosk_pinyin *engine)
{
  kiosk_keyboard_state *kb = &app->kb;
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

lobby_err kiosk_keyboard_open_begin(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  kb->why[0] = '\0';
  if (!app->cfg.pinyin) {
    snprintf(kb->why, sizeof kb->why, "%s", kiosk_s(app, "input.pinyin_off"));
    kb->open_tried = true;
    return LOBBY_ENOTFOUND;
  }
  snprintf(kb->user_dir, sizeof kb->user_dir, "%s/rime", app->cfg.state_dir);
  kiosk_pinyin_paths paths = engine_paths(app);
  lobby_err err = kiosk_pinyin_check_start(&paths, &kb->check, kb->why, sizeof kb->why);
  if (err != LOBBY_OK)
    return opened(app, err, NULL);
  return LOBBY_OK;
}

/* Waits for the check and opens the engine on this thread. */
static lobby_err open_here(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  kiosk_pinyin_paths paths = engine_paths(app);
  kiosk_pinyin *engine = NULL;
  lobby_err err = kiosk_pinyin_open_checked(&paths, &kb->check, -1, &engine, &kb->open_info,
                                            kb->why, sizeof kb->why);
  return opened(app, err, engine);
}

lobby_err kiosk_keyboard_open(kiosk_app *app)
{
  lobby_err err = kiosk_keyboard_open_begin(app);
  return err == LOBBY_OK ? open_here(app) : err;
}

static int opener_main(void *data)
{
  kiosk_app *app = data;
  kiosk_keyboard_state *kb = &app->kb;
  kiosk_pinyin_paths paths = engine_paths(app);
  kb->opened_err = kiosk_pinyin_open_checked(&paths, &kb->check, kb->cancel_pipe[0], &kb->opened,
                                             &kb->opened_info, kb->opened_why,
                                             sizeof kb->opened_why);
  SDL_AtomicSet(&kb->opener_done, 1);
  /* The event loop then calls kiosk_keyboard_open_poll. */
  kiosk_app_wake(app);
  return 0;
}

void kiosk_keyboard_open_continue(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (kb->check.pid <= 0 || kb->opener)
    return;
  SDL_AtomicSet(&kb->opener_done, 0);
  if (pipe(kb->cancel_pipe) == 0) {
    fcntl(kb->cancel_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(kb->cancel_pipe[1], F_SETFD, FD_CLOEXEC);
    kb->opener = SDL_CreateThread(opener_main, "pinyin-open", app);
    if (kb->opener)
      return;
    close(kb->cancel_pipe[0]);
    close(kb->cancel_pipe[1]);
  }
  /* No thread: open here rather than not at all. */
  LOBBY_WARN("no thread to open pinyin input in; opening it on the UI thread");
  (void)open_here(app);
  app->dirty = true;
}

/* Joins the opener; the engine it opened, if any, becomes the caller's. */
static kiosk_pinyin *join_opener(kiosk_keyboard_state *kb)
{
  SDL_WaitThread(kb->opener, NULL);
  kb->opener = NULL;
  close(kb->cancel_pipe[0]);
  close(kb->cancel_pipe[1]);
  kiosk_pinyin *engine = kb->opened;
  kb->opened = NULL;
  return engine;
}

bool kiosk_keyboard_open_poll(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (!kb->opener || !SDL_AtomicGet(&kb->opener_done))
    return false;
  kiosk_pinyin *engine = join_opener(kb);
  kb->open_info = kb->opened_info;
  snprintf(kb->why, sizeof kb->why, "%s", kb->opened_why);
  (void)opened(app, kb->opened_err, engine);
  app->dirty = true;
  return true;
}

void kiosk_keyboard_close(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (kb->opener) {
    /* Stops a wait for the check; a librime start-up already under way
     * finishes first (some tens of milliseconds). */
    if (write(kb->cancel_pipe[1], "x", 1) != 1)
      LOBBY_WARN("cannot signal the pinyin opener; waiting for it");
    kiosk_pinyin_close(join_opener(kb));
  }
  kiosk_pinyin_check_abandon(&kb->check);
  kiosk_pinyin_close(kb->engine);
  kb->engine = NULL;
}

static void reset_bar(kiosk_keyboard_state *kb)
{
  kb->part = 0;
  kb->parts = 0;
  memset(kb->part_first, 0, sizeof kb->part_first);
}

lobby_err kiosk_keyboard_wipe(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  reset_bar(kb);
  kb->shift = false;
  kb->repeating = false;
  kb->want_next = false;
  kb->key_t0 = 0;
  if (!kb->engine)
    return LOBBY_OK;
  lobby_err err = kiosk_pinyin_wipe(kb->engine);
  if (err != LOBBY_OK) {
    /* An engine that cannot forget must not be used by the next person. */
    LOBBY_ERROR("pinyin wipe failed (%s): pinyin input switched off", lobby_strerror(err));
    snprintf(kb->why, sizeof kb->why, "%s", kiosk_s(app, "input.pinyin_wipe_failed"));
    kiosk_keyboard_close(app);
  }
  return err;
}

/* Appends committed text to the focused field; a full field keeps what
 * fits, which the resident sees. */
static lobby_err field_append(kiosk_app *app, const char *text)
{
  if (!app->form.focus || !text[0])
    return LOBBY_OK;
  lobby_err err = kiosk_field_commit(app->form.focus, text);
  if (err == LOBBY_ETOOBIG)
    LOBBY_DEBUG("field full");
  return err;
}

lobby_err kiosk_keyboard_choose(kiosk_app *app, int index)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (!kb->engine)
    return LOBBY_ENOTFOUND;
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  lobby_err err = kiosk_pinyin_choose(kb->engine, index, committed, sizeof committed);
  reset_bar(kb);
  if (err != LOBBY_OK)
    return err;
  err = field_append(app, committed);
  kiosk_wipe(committed, sizeof committed);
  return err;
}

lobby_err kiosk_keyboard_commit_pending(kiosk_app *app)
{
  /* Each choice of the first candidate commits or shortens the
   * composition, so this ends; the bound is a guard only. */
  for (int i = 0; i < KIOSK_PINYIN_INPUT_MAX && kiosk_keyboard_composing(app); i++) {
    lobby_err err = kiosk_keyboard_choose(app, 0);
    if (err == LOBBY_ENOTFOUND)
      return kiosk_pinyin_clear(app->kb.engine);
    if (err != LOBBY_OK && err != LOBBY_ETOOBIG)
      return err;
  }
  return LOBBY_OK;
}

lobby_err kiosk_keyboard_backspace(kiosk_app *app)
{
  if (kiosk_keyboard_composing(app)) {
    reset_bar(&app->kb);
    lobby_err err = kiosk_pinyin_key(app->kb.engine, KIOSK_PINYIN_BACKSPACE);
    if (err != LOBBY_ENOTFOUND)
      return err;
  }
  if (app->form.focus)
    kiosk_field_backspace(app->form.focus);
  return LOBBY_OK;
}

lobby_err kiosk_keyboard_page(kiosk_app *app, int direction)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (!kiosk_keyboard_composing(app))
    return LOBBY_ENOTFOUND;
  if (direction > 0 && kb->part < kb->parts - 1) {
    kb->part++;
    return LOBBY_OK;
  }
  if (direction < 0 && kb->part > 0) {
    kb->part--;
    return LOBBY_OK;
  }
  lobby_err err = direction > 0 ? kiosk_pinyin_next_page(kb->engine) : kiosk_pinyin_prev_page(kb->engine);
  if (err == LOBBY_OK) {
    /* Back a page shows that page's last part. */
    kb->part = direction > 0 ? 0 : -1;
  }
  return err;
}

/* ---- key presses ---- */

static const layout_table *table_of(const kiosk_input_source *src)
{
  int id = kiosk_source_layout(src);
  return id >= 0 ? &layout_tables[id] : NULL;
}

/* The text a key shows and types. */
static const char *key_text(const kiosk_app *app, kiosk_layout_id layout, const char *label, char *buf,
                            size_t size)
{
  if (strncmp(label, "key.", 4) == 0)
    return kiosk_s(app, label);
  if (strncmp(label, "sym.", 4) == 0) {
    int64_t index;
    if (lobby_parse_int64(label + 4, 0, 99, &index) != LOBBY_OK ||
        !kiosk_list_item(kiosk_s(app, "symbols.fullwidth"), (int)index, buf, size))
      snprintf(buf, size, "%s", "?");
    return buf;
  }
  if (layout == KIOSK_LAYOUT_ABC && app->kb.shift && islower((unsigned char)label[0]) && !label[1]) {
    snprintf(buf, size, "%c", toupper((unsigned char)label[0]));
    return buf;
  }
  return label;
}

static bool is_pinyin_letter(kiosk_layout_id layout, const char *label)
{
  return layout == KIOSK_LAYOUT_PINYIN && islower((unsigned char)label[0]) && !label[1];
}

/* A pinyin letter: into the composition, timed until the candidates are
 * drawn. */
static lobby_err press_pinyin_letter(kiosk_app *app, char letter)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (!kb->engine)
    return LOBBY_ENOTFOUND;
  reset_bar(kb);
  kb->key_t0 = app->action_t0;
  lobby_err err = kiosk_pinyin_key(kb->engine, letter);
  if (err == LOBBY_ETOOBIG)
    LOBBY_DEBUG("composition full");
  return err;
}

static lobby_err press_function_key(kiosk_app *app, const char *label)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (!strcmp(label, KEY_BACKSPACE))
    return kiosk_keyboard_backspace(app);
  if (!strcmp(label, KEY_SHIFT)) {
    kb->shift = !kb->shift;
    return LOBBY_OK;
  }
  if (!strcmp(label, KEY_SPLIT))
    return kb->engine ? kiosk_pinyin_key(kb->engine, '\'') : LOBBY_ENOTFOUND;
  if (!strcmp(label, KEY_CLEAR)) {
    if (kiosk_keyboard_composing(app)) {
      reset_bar(kb);
      return kiosk_pinyin_clear(kb->engine);
    }
    if (app->form.focus)
      kiosk_field_wipe(app->form.focus);
    return LOBBY_OK;
  }
  if (!strcmp(label, KEY_SPACE)) {
    if (kiosk_keyboard_composing(app))
      return kiosk_keyboard_commit_pending(app);
    return field_append(app, " ");
  }
  if (!strcmp(label, KEY_DONE)) {
    kb->want_next = true;
    return kiosk_keyboard_commit_pending(app);
  }
  return LOBBY_EINVAL;
}

static void layout_press(const kiosk_input_source *src, kiosk_app *app, int key, kiosk_field *f)
{
  (void)f;
  const layout_table *t = table_of(src);
  if (!t || !app || key < 0 || key >= t->n || !t->keys[key].label)
    return;
  kiosk_layout_id layout = (kiosk_layout_id)kiosk_source_layout(src);
  const char *label = t->keys[key].label;
  lobby_err err;
  if (is_pinyin_letter(layout, label)) {
    err = press_pinyin_letter(app, label[0]);
  } else if (strncmp(label, "key.", 4) == 0) {
    err = press_function_key(app, label);
  } else {
    /* Punctuation and letters other than pinyin: what the bar offered
     * goes first, then the character. */
    char buf[32];
    err = kiosk_keyboard_commit_pending(app);
    if (err == LOBBY_OK || err == LOBBY_ETOOBIG)
      err = field_append(app, key_text(app, layout, label, buf, sizeof buf));
    if (layout == KIOSK_LAYOUT_ABC && isalpha((unsigned char)label[0]))
      app->kb.shift = false; /* shift is for one letter, like a phone's */
  }
  if (err != LOBBY_OK && err != LOBBY_ETOOBIG && err != LOBBY_ENOTFOUND)
    LOBBY_WARN("keyboard key %s: %s", label, lobby_strerror(err));
}

/* ---- drawing ---- */

static bool is_function_key(const char *label)
{
  return strncmp(label, "key.", 4) == 0;
}

static kiosk_widget *key_widget(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, kiosk_layout_id layout, int index,
                                const char *label)
{
  const kiosk_metrics *m = &app->m;
  char buf[32];
  const char *text = key_text(app, layout, label, buf, sizeof buf);
  kiosk_widget *w = kiosk_ui_add(ui, KW_KEY, r, text);
  w->action = KIOSK_ACT_KEY;
  w->arg = index;
  bool fn = is_function_key(label);
  w->bg = kiosk_rgb(fn ? 0xD9DCE1 : 0xFFFFFF);
  w->border = kiosk_rgb(0xB8B3A8);
  w->border_w = 2;
  w->radius = m->radius / 2;
  w->align = KA_CENTER;
  /* Letters and punctuation large, words on function keys at body size. */
  w->font_px = fn ? m->body : m->title;
  w->bold = true;
  w->max_lines = 1;
  w->flags |= KF_SHRINK;
  /* The half-width signs among the full-width ones look alike: a cooler
   * key colour sets them apart. */
  if (layout == KIOSK_LAYOUT_SYMBOLS && !fn && strncmp(label, "sym.", 4) != 0)
    w->bg = kiosk_rgb(0xE6EEF8);
  /* The half-width signs among the full-width ones look alike: a cooler
   * key colour sets them apart. */
  if (layout == KIOSK_LAYOUT_SYMBOLS && !fn && strncmp(label, "sym.", 4) != 0)
    w->bg = kiosk_rgb(0xE6EEF8);
  if (!strcmp(label, KEY_DONE)) {
    w->bg = kiosk_rgb(KIOSK_C_OK);
    w->fg = kiosk_rgb(0xFFFFFF);
  } else if (!strcmp(label, KEY_SHIFT) && app->kb.shift) {
    w->bg = kiosk_rgb(KIOSK_C_ACCENT);
    w->fg = kiosk_rgb(0xFFFFFF);
    w->flags |= KF_SELECTED;
  } else if (!strcmp(label, KEY_BACKSPACE)) {
    w->flags |= KF_REPEAT;
  }
  return w;
}

/* Lays the keys out row by row, each row centred, every key the same
 * height. */
static void keyboard_keys_draw(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, kiosk_layout_id layout)
{
  const layout_table *t = &layout_tables[layout];
  const kiosk_metrics *m = &app->m;
  int gap = m->gap / 2, rows = row_count(t);
  int row_h = (area.h - (rows - 1) * gap) / rows;
  int half = (area.w + gap) / ROW_HALVES;
  int row = 0, start = 0;
  while (start < t->n) {
    int end = start, halves = 0;
    for (; end < t->n && t->keys[end].label; end++)
      halves += t->keys[end].span;
    int x = area.x + (area.w + gap - halves * half) / 2;
    int y = area.y + row * (row_h + gap);
    for (int i = start; i < end; i++) {
      SDL_Rect r = {x, y, t->keys[i].span * half - gap, row_h};
      key_widget(app, ui, r, layout, i, t->keys[i].label);
      x += t->keys[i].span * half;
    }
    start = end + 1;
    row++;
  }
}

static int candidate_width(kiosk_app *app, const char *text, int px, int min_w, int max_w)
{
  int w = kiosk_text_measure(app->text, px, false, text, strlen(text)) + app->m.gap / 2;
  if (w < min_w)
    w = min_w;
  return w > max_w ? max_w : w;
}

/* Splits the engine's page into parts that fit the bar's width. */
static void candidate_parts(kiosk_app *app, const kiosk_pinyin_view *v, int avail, int px, int min_w)
{
  kiosk_keyboard_state *kb = &app->kb;
  int gap = app->m.gap / 2, used = 0;
  kb->parts = 0;
  for (int i = 0; i < v->candidate_count; i++) {
    int w = candidate_width(app, v->candidates[i], px, min_w, avail);
    if (i == 0 || used + gap + w > avail) {
      kb->part_first[kb->parts++] = i;
      used = w;
    } else {
      used += gap + w;
    }
  }
  kb->part_first[kb->parts] = v->candidate_count;
  if (kb->part < 0 || kb->part >= kb->parts)
    kb->part = kb->parts > 0 && kb->part < 0 ? kb->parts - 1 : 0;
}

static void candidate_paging_draw(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_pinyin_view *v)
{
  const kiosk_keyboard_state *kb = &app->kb;
  bool can_back = kb->part > 0 || v->page_no > 0;
  bool can_forward = kb->part < kb->parts - 1 || !v->last_page;
  SDL_Rect prev = kiosk_grid_cell(r, 2, 1, 0, app->m.gap / 2);
  SDL_Rect next = kiosk_grid_cell(r, 2, 1, 1, app->m.gap / 2);
  kiosk_widget *w = kiosk_button(app, ui, prev, kiosk_s(app, "key.cand_prev"), KIOSK_ACT_CANDIDATE_PAGE, -1, 0xE5E7EB);
  w->role = KW_KEY;
  w->font_px = app->m.title;
  w->radius = app->m.radius / 2;
  if (!can_back)
    w->flags |= KF_DISABLED;
  w = kiosk_button(app, ui, next, kiosk_s(app, "key.cand_next"), KIOSK_ACT_CANDIDATE_PAGE, 1, 0xE5E7EB);
  w->role = KW_KEY;
  w->font_px = app->m.title;
  w->radius = app->m.radius / 2;
  if (!can_forward)
    w->flags |= KF_DISABLED;
}

static void candidate_chips_draw(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_pinyin_view *v, int px,
                                 int min_w)
{
  const kiosk_keyboard_state *kb = &app->kb;
  int gap = app->m.gap / 2, x = r.x;
  int first = kb->part_first[kb->part], end = kb->part_first[kb->part + 1], used = 0;
  for (int i = first; i < end; i++)
    used += candidate_width(app, v->candidates[i], px, min_w, r.w) + (i > first ? gap : 0);
  /* The room left is shared out, so the chips are wide targets, up to a
   * square's worth more each. */
  int extra = end > first ? (r.w - used) / (end - first) : 0;
  if (extra > r.h)
    extra = r.h;
  for (int i = first; i < end; i++) {
    int w = candidate_width(app, v->candidates[i], px, min_w, r.w) + (extra > 0 ? extra : 0);
    kiosk_widget *c = kiosk_ui_add(ui, KW_CHIP, (SDL_Rect){x, r.y, w, r.h}, v->candidates[i]);
    c->action = KIOSK_ACT_CANDIDATE;
    c->arg = i;
    /* The first candidate is what space and 完成 commit: marked. */
    bool default_choice = v->page_no == 0 && i == 0;
    c->bg = kiosk_rgb(default_choice ? 0xDBEAFE : KIOSK_C_CARD);
    c->border = kiosk_rgb(default_choice ? KIOSK_C_ACCENT : 0xB8B3A8);
    c->border_w = default_choice ? 3 : 2;
    c->radius = app->m.radius / 2;
    c->font_px = px;
    c->align = KA_CENTER;
    c->max_lines = 1;
    c->flags |= KF_PRIVATE | KF_SHRINK | KF_ELLIPSIS;
    x += w + gap;
  }
}

/* The candidate bar: the composition on the left, the candidates as large
 * chips, and ‹ › for more.  Empty, it says what to do. */
static void candidate_bar_draw(kiosk_app *app, kiosk_ui *ui, SDL_Rect bar)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, bar, NULL);
  bg->bg = kiosk_rgb(0xFAF9F6);
  bg->border = kiosk_rgb(0xC7C3BA);
  bg->border_w = 2;
  bg->radius = m->radius / 2;
  SDL_Rect in = kiosk_rect_inset(bar, m->gap / 4);
  const kiosk_pinyin_view *v = kiosk_keyboard_view(app);
  if (!v || !v->composing) {
    kiosk_widget *hint = kiosk_label(app, ui, kiosk_rect_inset(in, m->gap / 2), kiosk_s(app, "input.pinyin_hint"),
                                     m->small, false, KIOSK_C_MUTED);
    hint->flags |= KF_SHRINK | KF_ELLIPSIS;
    hint->max_lines = 1;
    return;
  }
  int pre_w = kiosk_text_measure(app->text, m->small, false, v->preedit, strlen(v->preedit)) + m->gap;
  if (pre_w > in.w / 5)
    pre_w = in.w / 5;
  SDL_Rect pre = kiosk_rect_take_left(&in, pre_w, m->gap / 2);
  kiosk_widget *p = kiosk_label(app, ui, pre, v->preedit, m->small, false, KIOSK_C_ACCENT);
  p->flags |= KF_PRIVATE | KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 2;
  /* Paging keys as narrow as the key rule allows: the room goes to the
   * candidates. */
  int page_key = in.h * 3 / 4 > m->key_min ? in.h * 3 / 4 : m->key_min;
  int page_w = 2 * page_key + m->gap / 2;
  SDL_Rect paging = {in.x + in.w - page_w, in.y, page_w, in.h};
  in.w -= page_w + m->gap / 2;
  int px = m->title, min_w = m->key_min * 5 / 4;
  candidate_parts(app, v, in.w, px, min_w);
  if (app->kb.parts > 0)
    candidate_chips_draw(app, ui, in, v, px, min_w);
  candidate_paging_draw(app, ui, paging, v);
}

static void layout_build(const kiosk_input_source *src, kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_layout_id layout = (kiosk_layout_id)kiosk_source_layout(src);
  if (layout_tables[layout].candidate_bar) {
    SDL_Rect bar = kiosk_rect_take_top(&area, key_row_height(app), app->m.gap / 2);
    candidate_bar_draw(app, ui, bar);
  }
  keyboard_keys_draw(app, ui, area, layout);
}

int kiosk_keyboard_layout_height(const kiosk_app *app, const kiosk_input_source *src)
{
  const layout_table *t = table_of(src);
  if (!t)
    return 0;
  int rows = row_count(t) + (t->candidate_bar ? 1 : 0);
  return rows * key_row_height(app) + (rows - 1) * (app->m.gap / 2);
}

const kiosk_input_source kiosk_src_pinyin = {"src.pinyin", layout_build, layout_press, NULL, NULL};
const kiosk_input_source kiosk_src_abc = {"src.abc", layout_build, layout_press, NULL, NULL};
const kiosk_input_source kiosk_src_num = {"src.num", layout_build, layout_press, NULL, NULL};
const kiosk_input_source kiosk_src_symbols = {"src.symbols", layout_build, layout_press, NULL, NULL};

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

int kiosk_text_sources(const kiosk_app *app, const kiosk_input_source **out, const kiosk_input_source *extra)
{
  int n = 0;
  if (kiosk_keyboard_pinyin_available(app))
    out[n++] = &kiosk_src_pinyin;
  out[n++] = &kiosk_src_abc;
  out[n++] = &kiosk_src_num;
  out[n++] = &kiosk_src_symbols;
  if (extra)
    out[n++] = extra;
  return n;
}

/* ---- hold to repeat ---- */

void kiosk_keyboard_hold(kiosk_app *app, int arg)
{
  kiosk_keyboard_state *kb = &app->kb;
  kiosk_app_action(app, KIOSK_ACT_KEY, arg);
  kb->repeating = true;
  kb->repeat_arg = arg;
  kb->repeat_next_ms = kiosk_app_ms(app) + KIOSK_REPEAT_DELAY_MS;
}

void kiosk_keyboard_release(kiosk_app *app)
{
  app->kb.repeating = false;
}

void kiosk_keyboard_tick(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  /* Repeats owed since the last tick all happen, so the count follows the
   * time held rather than how often the loop runs. */
  while (kb->repeating && kiosk_app_ms(app) >= kb->repeat_next_ms) {
    kb->repeat_next_ms += KIOSK_REPEAT_INTERVAL_MS;
    kiosk_app_action(app, KIOSK_ACT_KEY, kb->repeat_arg);
  }
}

int64_t kiosk_keyboard_next_repeat(const kiosk_app *app)
{
  if (!app->kb.repeating)
    return -1;
  int64_t left = app->kb.repeat_next_ms - kiosk_app_ms(app);
  return left < 0 ? 0 : left;
}

/* ---- measurements ---- */

void kiosk_keyboard_frame_done(kiosk_app *app)
{
  kiosk_keyboard_state *kb = &app->kb;
  if (!kb->key_t0)
    return;
  double ms = (double)(SDL_GetPerformanceCounter() - kb->key_t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
  kb->key_t0 = 0;
  if (kb->n_lat < KIOSK_KEYSTROKE_SAMPLES)
    kb->lat_ms[kb->n_lat++] = (float)ms;
}

static int cmp_float(const void *a, const void *b)
{
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

void kiosk_keyboard_report(const kiosk_app *app, FILE *out)
{
  const kiosk_keyboard_state *kb = &app->kb;
  if (kb->engine)
    fprintf(out, "kiosk-pinyin available=1 deployed=%d deploy_ms=%.1f open_ms=%.1f\n", kb->open_info.deployed ? 1 : 0,
            kb->open_info.deploy_ms, kb->open_info.open_ms);
  else
    fprintf(out, "kiosk-pinyin available=0 why=\"%s\"\n", kb->why);
  if (kb->n_lat == 0)
    return;
  float sorted[KIOSK_KEYSTROKE_SAMPLES];
  memcpy(sorted, kb->lat_ms, (size_t)kb->n_lat * sizeof sorted[0]);
  qsort(sorted, (size_t)kb->n_lat, sizeof sorted[0], cmp_float);
  /* Nearest-rank percentiles. */
  int i50 = (int)ceil(0.50 * kb->n_lat) - 1, i99 = (int)ceil(0.99 * kb->n_lat) - 1;
  fprintf(out, "kiosk-keystroke p50_ms=%.2f p99_ms=%.2f max_ms=%.2f n=%d\n", (double)sorted[i50 < 0 ? 0 : i50],
          (double)sorted[i99 < 0 ? 0 : i99], (double)sorted[kb->n_lat - 1], kb->n_lat);
}
