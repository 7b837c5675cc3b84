/* A whole notice, scrollable by dragging or with the page buttons. */
#include <math.h>
#include "kiosk_app.h"

/* The notice being read, from the feed shown now; false when it was
 * withdrawn meanwhile.  A member that is no notice reads as an empty one
 * with id 0. */
static bool find_notice(kiosk_app *app, kiosk_api_notice *out)
{
  const json_t *list = kiosk_feed_notices(app);
  for (size_t i = 0; i < kiosk_api_notice_count(list); i++)
    if (kiosk_api_notice_at(list, i, out) != LOBBY_ENOTFOUND && out->id == app->screens.notice.id)
      return true;
  return false;
}

/* Withdrawn while someone was reading it. */
static void build_gone(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(&area, m->button_h * 2, m->gap),
                                kiosk_s(app, "notice.gone"), m->body, false, KIOSK_C_MUTED);
  w->align = KA_CENTER;
  kiosk_nav(app, ui, area, "nav.back_home", NULL, false);
}

/* The category's coloured chip and, beside it, when the notice changed. */
static void build_meta(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const kiosk_api_notice *n)
{
  const kiosk_metrics *m = &app->m;
  char ckey[48];
  snprintf(ckey, sizeof ckey, "category.%s", n->category ? n->category : "other");
  SDL_Rect chip_row = kiosk_rect_take_top(area, m->small * 2, m->gap);
  SDL_Rect chip = chip_row;
  chip.w = m->small * 7;
  kiosk_widget *c = kiosk_ui_add(ui, KW_LABEL, chip, kiosk_s(app, ckey));
  c->bg = kiosk_notice_color(n->category);
  c->fg = kiosk_rgb(0xFFFFFF);
  c->icon = kiosk_notice_icon(n->category);
  c->icon_fg = c->fg;
  c->font_px = m->small;
  c->bold = true;
  c->radius = m->radius / 2;
  c->pad = m->gap / 3;
  c->align = KA_CENTER;
  c->flags |= KF_SHRINK;
  char when[64], meta[128];
  kiosk_time_text(app, n->updated_at, when, sizeof when);
  kiosk_sf(app, meta, sizeof meta, "notice.updated", "time", when, NULL);
  SDL_Rect mr = {chip.x + chip.w + m->gap, chip.y, chip_row.w - chip.w - m->gap, chip.h};
  kiosk_widget *mw = kiosk_label(app, ui, mr, meta, m->small, false, KIOSK_C_MUTED);
  mw->align = KA_RIGHT;
  mw->flags |= KF_SHRINK | KF_ELLIPSIS;
}

/* The title on as many lines as it needs, up to three. */
static void build_title(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *title)
{
  const kiosk_metrics *m = &app->m;
  kiosk_layout tl;
  int tlh = kiosk_text_line_height(app->text, m->title, true);
  int tlines = 1;
  if (kiosk_text_layout(app->text, title, m->title, true, area->w, 3, true, false, &tl) == LOBBY_OK) {
    tlines = tl.n_lines > 0 ? tl.n_lines : 1;
    kiosk_layout_free(&tl);
  }
  kiosk_widget *t = kiosk_ui_add(ui, KW_TITLE, kiosk_rect_take_top(area, tlines * tlh, m->gap), title);
  t->font_px = m->title;
  t->bold = true;
  t->max_lines = 3;
  t->flags |= KF_ELLIPSIS | KF_BALANCE;
}

/* The body in a card, scrolled by the screen's scroller, which learns
 * here how far it may go. */
static void build_body(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const char *body)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *card = kiosk_ui_add(ui, KW_PANEL, area, NULL);
  card->bg = kiosk_rgb(KIOSK_C_CARD);
  card->radius = m->radius;
  /* The text scrolls inside the card's padding. */
  SDL_Rect view = kiosk_rect_inset(area, m->gap / 2);
  int body_px = m->body;
  int lh = kiosk_text_line_height(app->text, body_px, false);
  kiosk_layout bl;
  int lines = 1;
  if (kiosk_text_layout(app->text, body, body_px, false, view.w - m->gap, 0, false, false, &bl) == LOBBY_OK) {
    lines = bl.n_lines;
    kiosk_layout_free(&bl);
  }
  int content = lines * lh;
  kiosk_scroller *s = &app->screens.notice.scroll;
  s->max = content > view.h ? (float)(content - view.h) : 0;
  if (s->pos > s->max)
    s->pos = s->max;
  int clip = kiosk_ui_clip(ui, view);
  app->pointer.scroller = s;
  app->pointer.scroll_view = view;
  SDL_Rect br = {view.x + m->gap / 2, view.y - (int)lroundf(s->pos), view.w - m->gap, content};
  kiosk_widget *b = kiosk_ui_add(ui, KW_PARAGRAPH, br, body);
  b->font_px = body_px;
  b->clip = clip;
  b->flags |= KF_TOP;
}

/* The notice's picture as large as it fits: the whole area when there is
 * no body; else above the body in portrait (at most 55% of the height)
 * and beside it in landscape (55% of the width), the body keeping the
 * rest.  False while the picture is not decoded: the notice is then text
 * alone. */
static bool build_picture(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const kiosk_api_notice *n, bool has_body)
{
  const kiosk_metrics *m = &app->m;
  kiosk_picture_view v;
  if (!n->image_etag || !kiosk_app_picture(app, n->image_etag, &v))
    return false;
  if (!has_body) {
    kiosk_app_picture_widget(app, ui, n->image_etag, *area, -1);
    return true;
  }
  SDL_Rect box = *area;
  if (m->portrait) {
    box.h = area->h * 55 / 100;
    SDL_Rect fit = kiosk_picture_fit(v.w, v.h, box);
    box.h = fit.h;
    kiosk_rect_take_top(area, box.h, m->gap);
  } else {
    box.w = area->w * 55 / 100;
    SDL_Rect fit = kiosk_picture_fit(v.w, v.h, box);
    box.w = fit.w;
    box.h = fit.h;
    kiosk_rect_take_left(area, box.w, m->gap);
  }
  kiosk_app_picture_widget(app, ui, n->image_etag, box, -1);
  return true;
}

/* Back, 朗读 when the kiosk has sound, and page buttons for people who
 * do not drag when the body scrolls. */
static void build_page_buttons(kiosk_app *app, kiosk_ui *ui, SDL_Rect nav)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_scroller *s = &app->screens.notice.scroll;
  bool scrollable = s->max > 0, aloud = kiosk_app_can_read_aloud(app);
  int cells = 1 + aloud + 2 * scrollable, i = 0;
  kiosk_widget *bk = kiosk_button(app, ui, kiosk_grid_cell(nav, cells, 1, i++, m->gap), kiosk_s(app, "nav.back_home"),
                                  KIOSK_ACT_BACK, 0, 0xE5E7EB);
  bk->icon = ICON_BACK;
  if (aloud)
    kiosk_read_aloud_button(app, ui, kiosk_grid_cell(nav, cells, 1, i++, m->gap));
  if (!scrollable)
    return;
  kiosk_widget *up = kiosk_button(app, ui, kiosk_grid_cell(nav, cells, 1, i++, m->gap), kiosk_s(app, "notice.page_up"),
                                  KIOSK_ACT_SCROLL, -1, KIOSK_C_ACCENT);
  if (s->pos <= 0)
    up->flags |= KF_DISABLED, up->bg = kiosk_rgb(0x9CA3AF);
  kiosk_widget *dn = kiosk_button(app, ui, kiosk_grid_cell(nav, cells, 1, i, m->gap), kiosk_s(app, "notice.page_down"),
                                  KIOSK_ACT_SCROLL, 1, KIOSK_C_ACCENT);
  if (s->pos >= s->max)
    dn->flags |= KF_DISABLED, dn->bg = kiosk_rgb(0x9CA3AF);
}

static void notice_build(kiosk_app *app, kiosk_ui *ui)
{
  kiosk_api_notice n;
  SDL_Rect area = kiosk_frame(app, ui, "notice.title", true);
  if (!find_notice(app, &n)) {
    build_gone(app, ui, area);
    return;
  }
  build_meta(app, ui, &area, &n);
  build_title(app, ui, &area, n.title);
  SDL_Rect nav = kiosk_rect_take_bottom(&area, app->m.button_h, app->m.gap);
  bool has_body = n.body[0] != '\0';
  if (build_picture(app, ui, &area, &n, has_body) && !has_body)
    app->screens.notice.scroll = (kiosk_scroller){0};
  else
    build_body(app, ui, area, n.body);
  build_page_buttons(app, ui, nav);
}

static void notice_action(kiosk_app *app, int action, int arg)
{
  kiosk_scroller *s = &app->screens.notice.scroll;
  kiosk_api_notice n;
  if (action == KIOSK_ACT_BACK) {
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
  } else if (action == KIOSK_ACT_READ_ALOUD && find_notice(app, &n)) {
    /* Title, then body: the full stop is a pause in both voices. */
    static char text[KIOSK_SOUND_TEXT_MAX];
    snprintf(text, sizeof text, "%s. %s", n.title, n.body);
    kiosk_app_toggle_read_aloud(app, text);
  } else if (action == KIOSK_ACT_SCROLL) {
    /* Page by whole lines, keeping one line of the old page in view. */
    int lh = kiosk_text_line_height(app->text, app->m.body, false);
    int lines = app->pointer.scroll_view.h / lh - 1;
    float page = (float)((lines > 1 ? lines : 1) * lh);
    s->pos = (float)((int)(s->pos / (float)lh + 0.5f) * lh) + arg * page;
    s->pos = s->pos < 0 ? 0 : (s->pos > s->max ? s->max : s->pos);
    s->vel = 0;
  }
}

const kiosk_screen kiosk_screen_notice = {
  .name = "notice", .build = notice_build, .action = notice_action};
