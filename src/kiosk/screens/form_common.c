/* Pieces shared by the screens: the header bar, banners, buttons, fields,
 * navigation, grids and the unit picker (the keyboard area is in
 * form_keyboard.c). */
#include <stdlib.h>
#include <string.h>
#include "kiosk_app.h"
#include "lobby_domain.h"
#include "lobby_repair.h"
#include "lobby_text.h"
#include "lobby_time.h"

SDL_Rect kiosk_rect_inset(SDL_Rect r, int d)
{
  return (SDL_Rect){r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d};
}

SDL_Rect kiosk_rect_take_top(SDL_Rect *r, int h, int gap)
{
  if (h > r->h)
    h = r->h;
  SDL_Rect t = {r->x, r->y, r->w, h};
  r->y += h + gap;
  r->h -= h + gap;
  return t;
}

SDL_Rect kiosk_rect_take_bottom(SDL_Rect *r, int h, int gap)
{
  if (h > r->h)
    h = r->h;
  SDL_Rect b = {r->x, r->y + r->h - h, r->w, h};
  r->h -= h + gap;
  return b;
}

SDL_Rect kiosk_rect_take_left(SDL_Rect *r, int w, int gap)
{
  if (w > r->w)
    w = r->w;
  SDL_Rect l = {r->x, r->y, w, r->h};
  r->x += w + gap;
  r->w -= w + gap;
  return l;
}

SDL_Rect kiosk_grid_cell(SDL_Rect r, int cols, int rows, int i, int gap)
{
  if (cols < 1)
    cols = 1;
  if (rows < 1)
    rows = 1;
  int cw = (r.w - (cols - 1) * gap) / cols, ch = (r.h - (rows - 1) * gap) / rows;
  int c = i % cols, row = i / cols;
  return (SDL_Rect){r.x + c * (cw + gap), r.y + row * (ch + gap), cw, ch};
}

kiosk_widget *kiosk_label(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int px,
                          bool bold, unsigned color)
{
  (void)app;
  kiosk_widget *w = kiosk_ui_add(ui, KW_LABEL, r, text);
  w->font_px = px;
  w->bold = bold;
  w->fg = kiosk_rgb(color);
  return w;
}

kiosk_widget *kiosk_button(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int action,
                           int arg, unsigned color)
{
  kiosk_widget *w = kiosk_ui_add(ui, KW_BUTTON, r, text);
  w->action = action;
  w->arg = arg;
  w->bg = kiosk_rgb(color);
  bool light = color == KIOSK_C_CARD || color == 0xE5E7EB;
  w->fg = kiosk_rgb(light ? KIOSK_C_INK : 0xFFFFFF);
  w->icon_fg = w->fg;
  if (light) {
    w->border = kiosk_rgb(0xB8B3A8);
    w->border_w = 2;
  }
  w->radius = app->m.radius;
  w->align = KA_CENTER;
  w->font_px = app->m.body;
  w->bold = true;
  w->pad = app->m.gap / 2;
  w->flags |= KF_SHRINK;
  return w;
}

kiosk_widget *kiosk_choice(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int action,
                           int arg, bool selected)
{
  kiosk_widget *w = kiosk_button(app, ui, r, text, action, arg, selected ? KIOSK_C_ACCENT : KIOSK_C_CARD);
  w->role = KW_CHIP;
  if (selected)
    w->flags |= KF_SELECTED;
  return w;
}

static SDL_Rect header_bar(kiosk_app *app, kiosk_ui *ui, const char *title, bool back)
{
  const kiosk_metrics *m = &app->m;
  int bar_h = m->header_h * 4 / 5;
  if (bar_h < m->button_h + m->gap)
    bar_h = m->button_h + m->gap; /* header buttons keep full touch size */
  SDL_Rect bar = {0, 0, m->w, bar_h};
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, bar, NULL);
  bg->bg = kiosk_rgb(KIOSK_C_HEADER);
  SDL_Rect in = kiosk_rect_inset(bar, m->gap / 2);
  in.x += m->margin - m->gap / 2;
  in.w -= 2 * (m->margin - m->gap / 2);
  int bw = m->w / 5 > m->button_h * 2 ? m->button_h * 2 : m->w / 5;
  if (bw < m->button_h * 3 / 2)
    bw = m->button_h * 3 / 2;
  SDL_Rect left = kiosk_rect_take_left(&in, bw, m->gap);
  SDL_Rect right = {in.x + in.w - 2 * bw - m->gap, in.y, bw, in.h};
  SDL_Rect lang = {in.x + in.w - bw, in.y, bw, in.h};
  in.w -= 2 * bw + 2 * m->gap;
  kiosk_widget *w = kiosk_button(app, ui, left, kiosk_s(app, back ? "nav.back" : "nav.home"),
                                 back ? KIOSK_ACT_BACK : KIOSK_ACT_HOME, 0, 0x1E56B8);
  w->icon = back ? ICON_BACK : ICON_HOME;
  w->font_px = m->small;
  if (back) {
    w = kiosk_button(app, ui, right, kiosk_s(app, "nav.home"), KIOSK_ACT_HOME, 0, 0x1E56B8);
    w->icon = ICON_HOME;
    w->font_px = m->small;
  }
  w = kiosk_button(app, ui, lang, kiosk_s(app, "nav.lang"), KIOSK_ACT_LANG, 0, 0x1E56B8);
  w->icon = ICON_GLOBE;
  w->font_px = m->small;
  w = kiosk_ui_add(ui, KW_TITLE, in, title);
  w->fg = kiosk_rgb(0xFFFFFF);
  w->font_px = m->title;
  w->bold = true;
  w->align = KA_CENTER;
  /* A long title (English in portrait) takes two lines before an ellipsis. */
  w->flags |= KF_SHRINK | KF_ELLIPSIS | KF_BALANCE;
  w->max_lines = 2;
  return (SDL_Rect){0, bar.h, m->w, m->h - bar.h};
}

const char *kiosk_tls_reason_key(const kiosk_app *app)
{
  if (!app->link.connectivity_known || app->link.online)
    return NULL;
  switch (app->link.tls_failure) {
  case LOBBY_TLS_FAIL_UNTRUSTED: return "offline.tls.untrusted";
  case LOBBY_TLS_FAIL_PIN: return "offline.tls.pin";
  case LOBBY_TLS_FAIL_CA_FILE: return "offline.tls.ca_file";
  case LOBBY_TLS_FAIL_HANDSHAKE: return "offline.tls.handshake";
  default: return NULL;
  }
}

void kiosk_offline_banner(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area)
{
  if (!app->link.connectivity_known || app->link.online)
    return;
  char text[512], mins[24];
  /* TLS refusing the server is not "no network": it says what is wrong. */
  const char *tls_key = kiosk_tls_reason_key(app);
  int64_t base = app->link.feed_fetched_at ? app->link.feed_fetched_at : app->link.last_ok_at;
  int64_t age = base ? (kiosk_app_now(app) - base) / 60 : -1;
  if (age < 0 && base)
    age = 0;
  snprintf(mins, sizeof mins, "%lld", (long long)age);
  if (tls_key)
    kiosk_sf(app, text, sizeof text, tls_key, NULL);
  else if (!base)
    kiosk_sf(app, text, sizeof text, "offline.never", NULL);
  else if (age < 1)
    kiosk_sf(app, text, sizeof text, "offline.now", NULL);
  else
    kiosk_sf(app, text, sizeof text, "offline.age", "n", mins, NULL);
  if (app->link.queued > 0) {
    char q[128], nq[16];
    snprintf(nq, sizeof nq, "%d", app->link.queued);
    kiosk_sf(app, q, sizeof q, "offline.queued", "n", nq, NULL);
    size_t l = strlen(text);
    snprintf(text + l, sizeof text - l, "%s", q);
  }
  SDL_Rect r = kiosk_rect_take_top(area, app->m.button_h * 3 / 4, 0);
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, r, text);
  w->bg = kiosk_rgb(0xFDE68A);
  w->fg = kiosk_rgb(0x3F2A00);
  w->font_px = app->m.small;
  w->bold = true;
  w->icon = ICON_OFFLINE;
  w->icon_fg = w->fg;
  w->pad = app->m.gap / 2;
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
}

SDL_Rect kiosk_result_card(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_widget *card = kiosk_ui_add(ui, KW_PANEL, area, NULL);
  card->bg = kiosk_rgb(KIOSK_C_CARD);
  card->radius = app->m.radius;
  return kiosk_rect_inset(area, app->m.margin);
}

SDL_Rect kiosk_frame(kiosk_app *app, kiosk_ui *ui, const char *title_key, bool back)
{
  SDL_Rect area = header_bar(app, ui, kiosk_s(app, title_key), back);
  kiosk_offline_banner(app, ui, &area);
  return kiosk_rect_inset(area, app->m.margin);
}

SDL_Rect kiosk_error_box(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  if (!app->form.error_msg[0])
    return area;
  int h = app->m.button_h * 5 / 4;
  SDL_Rect r = kiosk_rect_take_top(&area, h, app->m.gap);
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, r, app->form.error_msg);
  w->bg = kiosk_rgb(0xFDE2E2);
  w->border = kiosk_rgb(KIOSK_C_ERROR);
  w->border_w = 3;
  w->radius = app->m.radius;
  w->fg = kiosk_rgb(0x7F1D1D);
  w->icon = ICON_ALERT;
  w->icon_fg = kiosk_rgb(KIOSK_C_ERROR);
  w->font_px = app->m.small;
  w->bold = true;
  w->pad = app->m.gap / 2;
  w->flags |= KF_SHRINK;
  return area;
}

/* The field's text followed by the composition, which is marked. */
static void mark_composition(kiosk_ui *ui, kiosk_widget *w, const char *buf, const char *preedit)
{
  size_t n = strlen(buf), k = strlen(preedit);
  char *joined = malloc(n + k + 1);
  if (!joined)
    return; /* the bar still shows the composition */
  memcpy(joined, buf, n);
  memcpy(joined + n, preedit, k + 1);
  w->text = kiosk_ui_strdup(ui, joined);
  w->marked_len = (int)k;
  explicit_bzero(joined, n + k);
  free(joined);
}

SDL_Rect kiosk_field_widget(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *label_key,
                            kiosk_field *f, int field_id, bool focused, const char *placeholder_key)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect lab = kiosk_rect_take_top(&r, m->small * 3 / 2, m->gap / 4);
  /* Near a long field's limit the caption counts, so a resident who
   * reaches it knows why typing stops. */
  char caption[256];
  size_t chars = kiosk_field_chars(f);
  if (f->max_chars >= 60 && chars * 10 >= f->max_chars * 9) {
    char n[16], max[16];
    snprintf(n, sizeof n, "%zu", chars);
    snprintf(max, sizeof max, "%zu", f->max_chars);
    kiosk_sf(app, caption, sizeof caption, "field.count", "label", kiosk_s(app, label_key), "n", n, "max",
             max, NULL);
  } else {
    snprintf(caption, sizeof caption, "%s", kiosk_s(app, label_key));
  }
  kiosk_widget *l = kiosk_label(app, ui, lab, caption, m->small, true, KIOSK_C_MUTED);
  l->flags |= KF_SHRINK | KF_ELLIPSIS;
  l->max_lines = 1;
  /* Tapping the caption focuses the field too: a bigger target. */
  l->action = KIOSK_ACT_FIELD;
  l->arg = field_id;
  const kiosk_pinyin_view *v = focused ? kiosk_keyboard_view(&app->kb) : NULL;
  bool composing = v && v->composing;
  bool empty = !f->buf[0] && !composing;
  const char *shown = empty && placeholder_key && !focused ? kiosk_s(app, placeholder_key) : f->buf;
  kiosk_widget *w = kiosk_ui_add(ui, KW_FIELD, r, shown);
  /* The composition shows where it will go, at the caret, as well as in
   * the candidate bar. */
  if (composing)
    mark_composition(ui, w, f->buf, v->preedit);
  w->action = KIOSK_ACT_FIELD;
  w->arg = field_id;
  w->bg = kiosk_rgb(f->error ? 0xFEF2F2 : KIOSK_C_CARD);
  w->border = kiosk_rgb(f->error ? KIOSK_C_ERROR : focused ? KIOSK_C_ACCENT : 0xA8A29E);
  w->border_w = focused || f->error ? 5 : 2;
  w->radius = m->radius / 2;
  w->pad = m->gap;
  w->font_px = m->body;
  w->fg = kiosk_rgb(empty ? 0x78716C : KIOSK_C_INK);
  w->flags |= KF_PRIVATE | (focused ? KF_FOCUSED | KF_TAIL : KF_ELLIPSIS) | (f->error ? KF_ERROR : 0);
  if (r.h > 2 * m->button_h)
    w->flags |= KF_TOP;
  return r;
}

kiosk_widget *kiosk_read_aloud_button(kiosk_app *app, kiosk_ui *ui, SDL_Rect r)
{
  bool reading = kiosk_app_reading_aloud(app);
  kiosk_widget *w = kiosk_button(app, ui, r, kiosk_s(app, reading ? "read.stop" : "read.aloud"),
                                 KIOSK_ACT_READ_ALOUD, 0, reading ? 0xB45309 : KIOSK_C_ACCENT);
  w->icon = reading ? ICON_STOP : ICON_SPEAKER;
  w->icon_fg = w->fg;
  return w;
}

SDL_Rect kiosk_nav(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *back_key, const char *next_key,
                   bool next_enabled)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect row = kiosk_rect_take_bottom(&r, m->button_h, m->gap);
  if (back_key && next_key) {
    SDL_Rect a = kiosk_grid_cell(row, 5, 1, 0, m->gap);
    a.w = a.w * 2 + m->gap;
    SDL_Rect b = {a.x + a.w + m->gap, row.y, row.w - a.w - m->gap, row.h};
    kiosk_widget *w = kiosk_button(app, ui, a, kiosk_s(app, back_key), KIOSK_ACT_BACK, 0, 0xE5E7EB);
    w->icon = ICON_BACK;
    w->icon_fg = w->fg;
    w = kiosk_button(app, ui, b, kiosk_s(app, next_key), KIOSK_ACT_NEXT, 0,
                     next_enabled ? KIOSK_C_OK : 0x9CA3AF);
    if (!next_enabled)
      w->flags |= KF_DISABLED;
  } else if (next_key) {
    kiosk_widget *w = kiosk_button(app, ui, row, kiosk_s(app, next_key), KIOSK_ACT_NEXT, 0,
                                   next_enabled ? KIOSK_C_OK : 0x9CA3AF);
    if (!next_enabled)
      w->flags |= KF_DISABLED;
  } else if (back_key) {
    kiosk_widget *w = kiosk_button(app, ui, row, kiosk_s(app, back_key), KIOSK_ACT_BACK, 0, 0xE5E7EB);
    w->icon = ICON_BACK;
  }
  return r;
}

void kiosk_step_dots(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, int step, int count)
{
  char a[16], b[16], text[64];
  snprintf(a, sizeof a, "%d", step + 1);
  snprintf(b, sizeof b, "%d", count);
  kiosk_sf(app, text, sizeof text, "form.step", "n", a, "total", b, NULL);
  SDL_Rect lab = r;
  lab.w = r.w / 3;
  kiosk_widget *w = kiosk_label(app, ui, lab, text, app->m.small, true, KIOSK_C_MUTED);
  w->max_lines = 1;
  w->flags |= KF_SHRINK;
  SDL_Rect bar = {r.x + r.w / 3, r.y + r.h / 2 - r.h / 8, r.w * 2 / 3, r.h / 4};
  for (int i = 0; i < count; i++) {
    SDL_Rect seg = kiosk_grid_cell(bar, count, 1, i, app->m.gap / 3);
    kiosk_widget *s = kiosk_ui_add(ui, KW_PANEL, seg, NULL);
    s->bg = kiosk_rgb(i <= step ? KIOSK_C_ACCENT : 0xD6D3CC);
    s->radius = seg.h / 2;
  }
}

/* Building b of the directory shown: an empty view (no code, name or
 * units) past its end or for no choice (-1). */
static kiosk_api_building dir_building(kiosk_app *app, int b)
{
  kiosk_api_building out;
  if (b < 0 || kiosk_api_dir_building(kiosk_feed_directory(app), (size_t)b, &out) != LOBBY_OK)
    memset(&out, 0, sizeof out);
  return out;
}

/* Unit u of building b, or an empty view. */
static kiosk_api_unit dir_unit(kiosk_app *app, int b, int u)
{
  kiosk_api_unit out;
  if (b < 0 || u < 0 || kiosk_api_dir_unit(kiosk_feed_directory(app), (size_t)b, (size_t)u, &out) != LOBBY_OK)
    memset(&out, 0, sizeof out);
  return out;
}

/* Room r of unit u of building b: its code, or NULL. */
static const char *dir_room(kiosk_app *app, int b, int u, int r)
{
  if (b < 0 || u < 0 || r < 0)
    return NULL;
  return kiosk_api_dir_room(kiosk_feed_directory(app), (size_t)b, (size_t)u, (size_t)r);
}

bool kiosk_unit_codes(kiosk_app *app, int building, int unit, int room, const char **b,
                      const char **u, const char **r)
{
  *b = dir_building(app, building).code;
  if (!*b)
    return false;
  if (unit == -2) {
    *u = *r = "";
    return true;
  }
  *u = dir_unit(app, building, unit).code;
  *r = dir_room(app, building, unit, room);
  return *u && *r;
}

/* The flat in words from the building's name (when the directory has one
 * and the screen is in Chinese, else its number) and the codes. */
static void unit_words(kiosk_app *app, const char *bname, const char *b, const char *u, const char *r, char *out,
                       size_t n)
{
  char bn[96];
  if (bname && app->lang == 0)
    snprintf(bn, sizeof bn, "%s", bname);
  else
    kiosk_sf(app, bn, sizeof bn, "unit.building", "b", b, NULL);
  if (!u[0])
    kiosk_sf(app, out, n, "unit.public_full", "building", bn, NULL);
  else
    kiosk_sf(app, out, n, "unit.full", "building", bn, "unit", u, "room", r, NULL);
}

void kiosk_unit_text(kiosk_app *app, int building, int unit, int room, char *out, size_t n)
{
  const char *b, *u, *r;
  if (!kiosk_unit_codes(app, building, unit, room, &b, &u, &r)) {
    snprintf(out, n, "%s", "");
    return;
  }
  unit_words(app, dir_building(app, building).name, b, u, r, out, n);
}

void kiosk_unit_text_of_codes(kiosk_app *app, const char *building, const char *unit, const char *room, char *out,
                              size_t n)
{
  if (!building || !building[0]) {
    snprintf(out, n, "%s", "");
    return;
  }
  const char *bname = NULL;
  json_t *dir = kiosk_feed_directory(app);
  for (size_t i = 0; i < kiosk_api_dir_count(dir); i++) {
    kiosk_api_building bv;
    if (kiosk_api_dir_building(dir, i, &bv) == LOBBY_OK && bv.code && !strcmp(bv.code, building)) {
      bname = bv.name;
      break;
    }
  }
  unit_words(app, bname, building, unit ? unit : "", room ? room : "", out, n);
}

static const char *code_or(const char *code)
{
  return code ? code : "?";
}

static void section_label(kiosk_app *app, kiosk_ui *ui, SDL_Rect *r, const char *key)
{
  SDL_Rect l = kiosk_rect_take_top(r, app->m.small * 3 / 2, app->m.gap / 4);
  kiosk_label(app, ui, l, kiosk_s(app, key), app->m.small, true, KIOSK_C_MUTED);
}

/* How the picker lays its choices out. */
typedef struct {
  int bh;    /* a choice's height */
  int cols;  /* building and unit columns */
} picker_grid;

/* Takes from the top of r a grid of n choices in g's columns. */
static SDL_Rect choice_rows(kiosk_app *app, SDL_Rect *r, const picker_grid *g, int n, int *rows)
{
  *rows = (n + g->cols - 1) / g->cols;
  return kiosk_rect_take_top(r, *rows * g->bh + (*rows - 1) * app->m.gap / 2, app->m.gap);
}

/* A building by its name in Chinese, else "Building 1". */
static void building_label(kiosk_app *app, const kiosk_api_building *b, char *out, size_t n)
{
  if (b->name && app->lang == 0)
    snprintf(out, n, "%s", b->name);
  else
    kiosk_sf(app, out, n, "unit.building", "b", code_or(b->code), NULL);
}

static void pick_building(kiosk_app *app, kiosk_ui *ui, SDL_Rect *r, const picker_grid *g, int building)
{
  size_t nb = kiosk_api_dir_count(kiosk_feed_directory(app));
  section_label(app, ui, r, "unit.pick_building");
  int rows;
  SDL_Rect grid = choice_rows(app, r, g, (int)nb, &rows);
  for (size_t i = 0; i < nb; i++) {
    kiosk_api_building b = dir_building(app, (int)i);
    char label[96];
    building_label(app, &b, label, sizeof label);
    kiosk_choice(app, ui, kiosk_grid_cell(grid, g->cols, rows, (int)i, app->m.gap / 2), label,
                 KIOSK_ACT_PICK_BUILDING, (int)i, (int)i == building);
  }
}

/* The building's units, and the public area last when allowed (-2). */
static void pick_unit(kiosk_app *app, kiosk_ui *ui, SDL_Rect *r, const picker_grid *g, int building, int unit,
                      bool allow_public)
{
  int nu = (int)dir_building(app, building).n_units + (allow_public ? 1 : 0);
  section_label(app, ui, r, "unit.pick_unit");
  int rows;
  SDL_Rect grid = choice_rows(app, r, g, nu, &rows);
  for (int i = 0; i < nu; i++) {
    char label[64];
    bool pub = allow_public && i == nu - 1;
    if (pub)
      snprintf(label, sizeof label, "%s", kiosk_s(app, "unit.public"));
    else
      kiosk_sf(app, label, sizeof label, "unit.unit", "u", code_or(dir_unit(app, building, i).code), NULL);
    kiosk_choice(app, ui, kiosk_grid_cell(grid, g->cols, rows, i, app->m.gap / 2), label, KIOSK_ACT_PICK_UNIT,
                 pub ? -2 : i, pub ? unit == -2 : i == unit);
  }
}

/* The previous and next page keys in the last two cells of the rooms. */
static void room_page_keys(kiosk_app *app, kiosk_ui *ui, SDL_Rect grid, int cols, int rows, int page, int pages)
{
  kiosk_widget *w = kiosk_button(app, ui, kiosk_grid_cell(grid, cols, rows, cols * rows - 2, app->m.gap / 2),
                                 kiosk_s(app, "unit.prev_page"), KIOSK_ACT_PAGE, page - 1, 0xE5E7EB);
  if (page == 0)
    w->flags |= KF_DISABLED;
  w = kiosk_button(app, ui, kiosk_grid_cell(grid, cols, rows, cols * rows - 1, app->m.gap / 2),
                   kiosk_s(app, "unit.next_page"), KIOSK_ACT_PAGE, page + 1, 0xE5E7EB);
  if (page >= pages - 1)
    w->flags |= KF_DISABLED;
}

/* The unit's rooms as a grid filling r, paged when they do not fit. */
static void pick_room(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const picker_grid *g, int building, int unit,
                      int room, int page)
{
  const kiosk_metrics *m = &app->m;
  int nr = (int)dir_unit(app, building, unit).n_rooms;
  section_label(app, ui, &r, "unit.pick_room");
  int rcols = m->portrait ? 5 : 4;
  int rrows = (r.h + m->gap / 2) / (g->bh + m->gap / 2);
  if (rrows < 1)
    rrows = 1;
  int per_page = rcols * rrows;
  bool paged = nr > per_page;
  if (paged)
    per_page -= 2; /* room for the previous/next page keys */
  int pages = paged ? (nr + per_page - 1) / per_page : 1;
  if (page >= pages)
    page = pages - 1;
  SDL_Rect grid = {r.x, r.y, r.w, rrows * g->bh + (rrows - 1) * m->gap / 2};
  int first = page * per_page, k = 0;
  for (int i = first; i < nr && k < per_page; i++, k++)
    kiosk_choice(app, ui, kiosk_grid_cell(grid, rcols, rrows, k, m->gap / 2), code_or(dir_room(app, building, unit, i)),
                 KIOSK_ACT_PICK_ROOM, i, i == room);
  if (paged)
    room_page_keys(app, ui, grid, rcols, rrows, page, pages);
}

bool kiosk_unit_picker(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, int building, int unit, int room,
                       int page, bool allow_public)
{
  const kiosk_metrics *m = &app->m;
  if (kiosk_api_dir_count(kiosk_feed_directory(app)) == 0) {
    kiosk_widget *w = kiosk_label(app, ui, r, kiosk_s(app, "unit.no_directory"), m->body, false, KIOSK_C_MUTED);
    w->align = KA_CENTER;
    return false;
  }
  picker_grid g = {.bh = m->button_h * 4 / 5, .cols = m->portrait ? 4 : 3};
  /* Landscape: building and unit on the left, rooms on the right. */
  SDL_Rect right = r;
  if (!m->portrait)
    r = kiosk_rect_take_left(&right, r.w * 2 / 5, m->margin);
  pick_building(app, ui, &r, &g, building);
  if (building < 0)
    return false;
  pick_unit(app, ui, &r, &g, building, unit, allow_public);
  if (unit == -2)
    return true;
  if (unit < 0)
    return false;
  pick_room(app, ui, m->portrait ? r : right, &g, building, unit, room, page);
  return room >= 0;
}

void kiosk_time_text(kiosk_app *app, const char *iso, char *out, size_t n)
{
  int64_t t;
  if (!iso || lobby_time_parse(iso, &t) != LOBBY_OK) {
    snprintf(out, n, "%s", "");
    return;
  }
  lobby_civil c;
  lobby_time_local(t, app->cfg.utc_offset_min, &c);
  char mon[4], day[4], hh[4], mm[4], mkey[16];
  snprintf(mon, sizeof mon, "%d", c.month % 100);
  snprintf(day, sizeof day, "%d", c.day % 100);
  snprintf(hh, sizeof hh, "%02d", c.hour % 100);
  snprintf(mm, sizeof mm, "%02d", c.minute % 100);
  snprintf(mkey, sizeof mkey, "month.%s", mon);
  kiosk_sf(app, out, n, "time.short", "m", mon, "mon", kiosk_s(app, mkey), "d", day, "hh", hh, "mm", mm, NULL);
}

void kiosk_date_text(kiosk_app *app, const char *ymd, char *out, size_t n)
{
  char iso[40];
  int64_t t;
  /* Noon UTC of that day: its weekday is the day's own in any offset. */
  if (!ymd || strlen(ymd) != 10 || snprintf(iso, sizeof iso, "%sT12:00:00Z", ymd) <= 0 ||
      lobby_time_parse(iso, &t) != LOBBY_OK) {
    snprintf(out, n, "%s", "");
    return;
  }
  lobby_civil c;
  lobby_time_local(t, 0, &c);
  char mon[4], day[4], mkey[16], wkey[24];
  snprintf(mon, sizeof mon, "%d", c.month % 100);
  snprintf(day, sizeof day, "%d", c.day % 100);
  snprintf(mkey, sizeof mkey, "month.%s", mon);
  snprintf(wkey, sizeof wkey, "weekday_short.%d", c.weekday % 7);
  kiosk_sf(app, out, n, "date.short", "m", mon, "mon", kiosk_s(app, mkey), "d", day, "wd", kiosk_s(app, wkey), NULL);
}

SDL_Color kiosk_notice_color(const char *category)
{
  static const unsigned colors[] = {0xB45309, 0x1D4ED8, 0x047857, 0xB91C1C, 0x7C3AED, 0x475569};
  int i = category ? lobby_name_index(notice_category_names, category) : -1;
  return kiosk_rgb(i >= 0 ? colors[i] : colors[5]);
}

kiosk_icon kiosk_notice_icon(const char *category)
{
  static const kiosk_icon icons[] = {ICON_WORKS, ICON_OUTAGE, ICON_FEES, ICON_SAFETY, ICON_COMMUNITY, ICON_INFO};
  int i = category ? lobby_name_index(notice_category_names, category) : -1;
  return i >= 0 ? icons[i] : ICON_INFO;
}

SDL_Color kiosk_repair_color(int category)
{
  static const unsigned colors[] = {0x1D4ED8, 0xB45309, 0x374151, 0x0F766E, 0x7C3AED, 0x047857, 0x475569};
  return kiosk_rgb(category >= 0 && category < 7 ? colors[category] : colors[6]);
}

kiosk_icon kiosk_repair_icon(int category)
{
  static const kiosk_icon icons[] = {ICON_WATER, ICON_ELECTRIC, ICON_DOOR_LOCK, ICON_LIFT,
                                     ICON_APPLIANCE, ICON_PUBLIC_AREA, ICON_OTHER};
  return category >= 0 && category < 7 ? icons[category] : ICON_OTHER;
}

void kiosk_form_split(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, int fields_h, SDL_Rect *fields, SDL_Rect *keys)
{
  const kiosk_metrics *m = &app->m;
  if (m->portrait) {
    *fields = kiosk_rect_take_top(&area, fields_h, m->gap);
    *keys = area;
  } else {
    *fields = kiosk_rect_take_left(&area, area.w * 2 / 5, m->margin);
    *fields = kiosk_error_box(app, ui, *fields);
    *keys = area;
  }
}

/* A keypad needs no more width than a phone's: in landscape it is
 * narrowed and centred rather than stretched across the screen. */
static SDL_Rect keypad_rect(const kiosk_app *app, SDL_Rect keys)
{
  SDL_Rect k = keys;
  if (!app->m.portrait && k.w > k.h * 5 / 4) {
    k.w = k.h * 5 / 4;
    k.x = keys.x + (keys.w - k.w) / 2;
  }
  return k;
}

void kiosk_contact_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_contact *c)
{
  const kiosk_metrics *m = &app->m;
  int fh = m->small * 3 / 2 + m->gap / 4 + m->button_h;
  SDL_Rect fields, keys;
  kiosk_form_split(app, ui, area, 2 * fh + m->gap, &fields, &keys);
  c->name->error = strcmp(app->form.error_field, "name") == 0;
  c->phone->error = strcmp(app->form.error_field, "phone") == 0;
  if (*c->focus != KIOSK_CONTACT_PHONE)
    *c->focus = KIOSK_CONTACT_NAME;
  bool on_name = *c->focus == KIOSK_CONTACT_NAME;
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, fh, m->gap), "field.name", c->name,
                     KIOSK_CONTACT_NAME, on_name, "field.name_hint");
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, fh, m->gap), "field.phone", c->phone,
                     KIOSK_CONTACT_PHONE, !on_name, "field.phone_hint");
  if (on_name) {
    app->form.focus = c->name;
    kiosk_src_phrases(c->surnames, "src.surnames", kiosk_s(app, "phrases.surnames"), "");
    const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
    int n = kiosk_name_sources(&app->kb, srcs, c->surnames, app->lang == 1);
    kiosk_keyboard(app, ui, keys, srcs, n, c->source);
  } else {
    app->form.focus = c->phone;
    const kiosk_input_source *srcs[] = {&kiosk_src_digits};
    kiosk_keyboard(app, ui, keypad_rect(app, keys), srcs, 1, 0);
  }
}

bool kiosk_contact_valid(kiosk_app *app, const kiosk_contact *c)
{
  if (lobby_text_check(c->name->buf, 1, 32, false) != LOBBY_OK) {
    kiosk_app_error_key(app, "err.local.name", "name");
    *c->focus = KIOSK_CONTACT_NAME;
    return false;
  }
  if (!lobby_phone_valid(c->phone->buf)) {
    kiosk_app_error_key(app, c->phone->buf[0] ? "err.local.phone" : "err.local.phone_missing", "phone");
    *c->focus = KIOSK_CONTACT_PHONE;
    return false;
  }
  return true;
}
