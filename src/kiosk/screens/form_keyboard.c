/* The keyboard area of the forms: the tabs of the input sources and the
 * active source's keys as widgets, the pinyin candidate bar included.
 * What a key does is input/'s (kiosk_input.h, keyboard.h); this file only
 * lays the keys out from the app's metrics and strings. */
#include <string.h>
#include "kiosk_app.h"

/* ---- sizes ---- */

/* The height of one key row: the keyboard's usual touch height, at least
 * the key size rule. */
static int key_row_height(const kiosk_app *app)
{
  int h = app->m.button_h;
  return h > app->m.key_min ? h : app->m.key_min;
}

/* The height a layout needs for its keys (and candidate bar), so keys keep
 * a sensible shape on tall screens; 0 for sources that are not layouts. */
static int layout_height(const kiosk_app *app, const kiosk_input_source *src)
{
  int layout = kiosk_source_layout(src);
  if (layout < 0)
    return 0;
  kiosk_layout_id id = (kiosk_layout_id)layout;
  int rows = kiosk_layout_rows(id) + (kiosk_layout_has_candidate_bar(id) ? 1 : 0);
  return rows * key_row_height(app) + (rows - 1) * (app->m.gap / 2);
}

/* ---- the layouts' keys ---- */

static void style_layout_key(kiosk_app *app, kiosk_widget *w, kiosk_layout_id layout, const char *label)
{
  const kiosk_metrics *m = &app->m;
  bool fn = kiosk_key_is_function(label);
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
  if (!strcmp(label, KIOSK_KEY_DONE)) {
    w->bg = kiosk_rgb(KIOSK_C_OK);
    w->fg = kiosk_rgb(0xFFFFFF);
  } else if (!strcmp(label, KIOSK_KEY_SHIFT) && app->kb.shift) {
    w->bg = kiosk_rgb(KIOSK_C_ACCENT);
    w->fg = kiosk_rgb(0xFFFFFF);
    w->flags |= KF_SELECTED;
  } else if (!strcmp(label, KIOSK_KEY_BACKSPACE)) {
    w->flags |= KF_REPEAT;
  }
}

static void layout_key(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, kiosk_layout_id layout, int index,
                       const char *label)
{
  char buf[32];
  const char *text = kiosk_keyboard_key_text(&app->kb, layout, label, buf, sizeof buf);
  kiosk_widget *w = kiosk_ui_add(ui, KW_KEY, r, text);
  w->action = KIOSK_ACT_KEY;
  w->arg = index;
  style_layout_key(app, w, layout, label);
}

/* Lays the keys out row by row, each row centred, every key the same
 * height. */
static void layout_keys(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, kiosk_layout_id layout)
{
  int n;
  const kiosk_key_def *keys = kiosk_layout_keys(layout, &n);
  int gap = app->m.gap / 2, rows = kiosk_layout_rows(layout);
  int row_h = (area.h - (rows - 1) * gap) / rows;
  int half = (area.w + gap) / KIOSK_ROW_HALVES;
  int row = 0, start = 0;
  while (start < n) {
    int end = start, halves = 0;
    for (; end < n && keys[end].label; end++)
      halves += keys[end].span;
    int x = area.x + (area.w + gap - halves * half) / 2;
    int y = area.y + row * (row_h + gap);
    for (int i = start; i < end; i++) {
      SDL_Rect r = {x, y, keys[i].span * half - gap, row_h};
      layout_key(app, ui, r, layout, i, keys[i].label);
      x += keys[i].span * half;
    }
    start = end + 1;
    row++;
  }
}

/* ---- the candidate bar ---- */

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
  int widths[KIOSK_PINYIN_PAGE_MAX];
  int n = v->candidate_count < KIOSK_PINYIN_PAGE_MAX ? v->candidate_count : KIOSK_PINYIN_PAGE_MAX;
  for (int i = 0; i < n; i++)
    widths[i] = candidate_width(app, v->candidates[i], px, min_w, avail);
  kiosk_keyboard_split_parts(&app->kb, widths, n, avail, app->m.gap / 2);
}

static void paging_key(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *key, int direction)
{
  kiosk_widget *w = kiosk_button(app, ui, r, kiosk_s(app, key), KIOSK_ACT_CANDIDATE_PAGE, direction, 0xE5E7EB);
  w->role = KW_KEY;
  w->font_px = app->m.title;
  w->radius = app->m.radius / 2;
  if (!kiosk_keyboard_can_page(&app->kb, direction))
    w->flags |= KF_DISABLED;
}

static void candidate_paging(kiosk_app *app, kiosk_ui *ui, SDL_Rect r)
{
  paging_key(app, ui, kiosk_grid_cell(r, 2, 1, 0, app->m.gap / 2), "key.cand_prev", -1);
  paging_key(app, ui, kiosk_grid_cell(r, 2, 1, 1, app->m.gap / 2), "key.cand_next", 1);
}

static void candidate_chip(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_pinyin_view *v, int i, int px)
{
  kiosk_widget *c = kiosk_ui_add(ui, KW_CHIP, r, v->candidates[i]);
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
}

static void candidate_chips(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_pinyin_view *v, int px,
                            int min_w)
{
  const kiosk_keyboard_state *kb = &app->kb;
  int gap = app->m.gap / 2, x = r.x;
  int first = kb->bar.part_first[kb->bar.part], end = kb->bar.part_first[kb->bar.part + 1], used = 0;
  for (int i = first; i < end; i++)
    used += candidate_width(app, v->candidates[i], px, min_w, r.w) + (i > first ? gap : 0);
  /* The room left is shared out, so the chips are wide targets, up to a
   * square's worth more each. */
  int extra = end > first ? (r.w - used) / (end - first) : 0;
  if (extra > r.h)
    extra = r.h;
  for (int i = first; i < end; i++) {
    int w = candidate_width(app, v->candidates[i], px, min_w, r.w) + (extra > 0 ? extra : 0);
    candidate_chip(app, ui, (SDL_Rect){x, r.y, w, r.h}, v, i, px);
    x += w + gap;
  }
}

/* Empty, the bar says what to do. */
static void candidate_hint(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *hint = kiosk_label(app, ui, kiosk_rect_inset(in, m->gap / 2), kiosk_s(app, "input.pinyin_hint"),
                                   m->small, false, KIOSK_C_MUTED);
  hint->flags |= KF_SHRINK | KF_ELLIPSIS;
  hint->max_lines = 1;
}

/* The composition on the left, the candidates as large chips, and ‹ ›
 * for more. */
static void candidate_list(kiosk_app *app, kiosk_ui *ui, SDL_Rect in, const kiosk_pinyin_view *v)
{
  const kiosk_metrics *m = &app->m;
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
  if (app->kb.bar.parts > 0)
    candidate_chips(app, ui, in, v, px, min_w);
  candidate_paging(app, ui, paging);
}

static void candidate_bar(kiosk_app *app, kiosk_ui *ui, SDL_Rect bar)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, bar, NULL);
  bg->bg = kiosk_rgb(0xFAF9F6);
  bg->border = kiosk_rgb(0xC7C3BA);
  bg->border_w = 2;
  bg->radius = m->radius / 2;
  SDL_Rect in = kiosk_rect_inset(bar, m->gap / 4);
  const kiosk_pinyin_view *v = kiosk_keyboard_view(&app->kb);
  if (!v || !v->composing)
    candidate_hint(app, ui, in);
  else
    candidate_list(app, ui, in, v);
}

static void layout_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, kiosk_layout_id layout)
{
  if (kiosk_layout_has_candidate_bar(layout)) {
    SDL_Rect bar = kiosk_rect_take_top(&area, key_row_height(app), app->m.gap / 2);
    candidate_bar(app, ui, bar);
  }
  layout_keys(app, ui, area, layout);
}

/* ---- keypads and quick phrases ---- */

static kiosk_widget *grid_key(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int index, bool fn)
{
  kiosk_widget *w = kiosk_ui_add(ui, KW_KEY, r, text);
  w->action = KIOSK_ACT_KEY;
  w->arg = index;
  w->bg = kiosk_rgb(fn ? 0xE5E7EB : 0xFFFFFF);
  w->border = kiosk_rgb(0xC7C3BA);
  w->border_w = 2;
  w->radius = app->m.radius / 2;
  w->align = KA_CENTER;
  w->font_px = app->m.body;
  w->flags |= KF_SHRINK;
  return w;
}

/* The digit keypad in three columns, the code keypad in six or seven. */
static void keypad_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_input_source *src)
{
  int cols = src == &kiosk_src_code ? (app->m.portrait ? 6 : 7) : 3;
  int rows = (src->n_keys + cols - 1) / cols;
  for (int i = 0; i < src->n_keys; i++) {
    const char *label = src->keys[i];
    bool fn = kiosk_key_is_function(label);
    SDL_Rect r = kiosk_grid_cell(area, cols, rows, i, app->m.gap / 2);
    grid_key(app, ui, r, fn ? kiosk_s(app, label) : label, i, fn)->bold = true;
  }
}

/* Short items (surnames) pack densely in keys about a button high and a
 * little wider; phrases get two or three wide columns. */
static int phrase_columns(const kiosk_app *app, const kiosk_input_source *src, int n, SDL_Rect area)
{
  char item[256];
  size_t longest = 0;
  for (int i = 0; i < n; i++)
    if (kiosk_list_item(src->phrases, i, item, sizeof item) && strlen(item) > longest)
      longest = strlen(item);
  int cols = longest <= 9 ? area.w * 10 / (app->m.button_h * 11) : (area.w > 1100 ? 3 : 2);
  if (cols < 4)
    cols = 4;
  return cols > 8 ? 8 : cols;
}

/* The phrases, then a backspace key. */
static void phrases_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_input_source *src)
{
  int n = kiosk_list_count(src->phrases);
  int cols = phrase_columns(app, src, n, area);
  int rows = (n + 1 + cols - 1) / cols;
  char item[256];
  for (int i = 0; i <= n; i++) {
    SDL_Rect r = kiosk_grid_cell(area, cols, rows, i, app->m.gap / 2);
    const char *label = item;
    if (i == n)
      label = kiosk_s(app, KIOSK_KEY_BACKSPACE);
    else if (!kiosk_list_item(src->phrases, i, item, sizeof item))
      continue;
    grid_key(app, ui, r, label, i, i == n);
  }
}

static void source_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_input_source *src)
{
  int layout = kiosk_source_layout(src);
  if (layout >= 0)
    layout_build(app, ui, area, (kiosk_layout_id)layout);
  else if (src->phrases)
    phrases_build(app, ui, area, src);
  else
    keypad_build(app, ui, area, src);
}

/* ---- the keyboard area ---- */

int kiosk_keyboard_height(const kiosk_app *app, const kiosk_input_source *const *srcs, int n, int active)
{
  if (active < 0 || active >= n)
    active = 0;
  int keys = n > 0 ? layout_height(app, srcs[active]) : 0;
  if (keys == 0)
    return 0;
  return keys + app->m.gap + (n > 1 ? app->m.button_h * 3 / 4 + app->m.gap / 2 : 0);
}

static void source_tabs(kiosk_app *app, kiosk_ui *ui, SDL_Rect tabs, const kiosk_input_source *const *srcs,
                        int n, int active)
{
  for (int i = 0; i < n; i++) {
    SDL_Rect t = kiosk_grid_cell(tabs, n, 1, i, app->m.gap / 2);
    kiosk_widget *w = kiosk_choice(app, ui, t, kiosk_s(app, srcs[i]->label_key), KIOSK_ACT_SOURCE, i,
                                   i == active);
    w->font_px = app->m.small;
  }
}

void kiosk_keyboard(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_input_source *const *srcs,
                    int n, int active)
{
  const kiosk_metrics *m = &app->m;
  if (active < 0 || active >= n)
    active = 0; /* a layout may have gone (pinyin switched off) */
  app->kb.n_tabs = 0;
  for (int i = 0; i < n && i < KIOSK_TEXT_SOURCES_MAX; i++)
    app->kb.tabs[app->kb.n_tabs++] = srcs[i];
  /* A layout takes the height its keys need and no more, so on a tall
   * screen the keys stay key-shaped and close to the field. */
  int need = kiosk_keyboard_height(app, srcs, n, active);
  if (need > 0 && need < r.h)
    r.h = need;
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, r, NULL);
  bg->bg = kiosk_rgb(0xE7E4DD);
  bg->radius = m->radius;
  SDL_Rect in = kiosk_rect_inset(r, m->gap / 2);
  if (n > 1)
    source_tabs(app, ui, kiosk_rect_take_top(&in, m->button_h * 3 / 4, m->gap / 2), srcs, n, active);
  if (active >= 0 && active < n) {
    app->form.source = srcs[active];
    source_build(app, ui, in, srcs[active]);
  }
}
