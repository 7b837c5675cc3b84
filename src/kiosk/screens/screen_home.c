/* The notice board: site, clock, the 24-hour service phone, notices in
 * the feed's order with a colour and icon per category, and the six big
 * actions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kiosk_app.h"
#include "lobby_time.h"

static void date_texts(kiosk_app *app, char *date, size_t dn, char *clock, size_t cn)
{
  lobby_civil c;
  lobby_time_local(kiosk_app_now(app), app->cfg.utc_offset_min, &c);
  char y[8], mo[4], d[4], wkey[16], mkey[16];
  snprintf(y, sizeof y, "%d", c.year % 10000);
  snprintf(mo, sizeof mo, "%d", c.month % 100);
  snprintf(d, sizeof d, "%d", c.day % 100);
  snprintf(wkey, sizeof wkey, "weekday.%d", c.weekday % 7);
  snprintf(mkey, sizeof mkey, "month.%s", mo);
  kiosk_sf(app, date, dn, "home.date", "y", y, "m", mo, "mon", kiosk_s(app, mkey), "d", d, "wd",
           kiosk_s(app, wkey), NULL);
  snprintf(clock, cn, "%02d:%02d", c.hour % 100, c.minute % 100);
}

static SDL_Rect home_header(kiosk_app *app, kiosk_ui *ui)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect bar = {0, 0, m->w, m->header_h > m->button_h * 5 / 4 ? m->header_h : m->button_h * 5 / 4};
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, bar, NULL);
  bg->bg = kiosk_rgb(KIOSK_C_HEADER);
  SDL_Rect in = {m->margin, m->gap / 2, m->w - 2 * m->margin, bar.h - m->gap};
  int lang_w = m->button_h * 2;
  int lang_h = m->button_h < in.h ? m->button_h : in.h;
  SDL_Rect lang = {in.x + in.w - lang_w, in.y + (in.h - lang_h) / 2, lang_w, lang_h};
  in.w -= lang_w + m->gap;
  kiosk_widget *w = kiosk_button(app, ui, lang, kiosk_s(app, "nav.lang"), KIOSK_ACT_LANG, 0, 0x1E56B8);
  w->icon = ICON_GLOBE;
  w->font_px = m->small;
  char date[96], clock[8];
  date_texts(app, date, sizeof date, clock, sizeof clock);
  int clock_w = m->huge * 3;
  SDL_Rect cr = {in.x + in.w - clock_w, in.y, clock_w, in.h};
  in.w -= clock_w + m->gap;
  w = kiosk_label(app, ui, cr, clock, m->huge, true, 0xFFFFFF);
  w->align = KA_RIGHT;
  w->max_lines = 1;
  const char *site = kiosk_feed_str(app, "site", "name");
  const char *bname = kiosk_feed_str(app, "building", "name");
  char title[160];
  if (!*site)
    snprintf(title, sizeof title, "%s", kiosk_s(app, "home.welcome"));
  else if (*bname && app->lang == 0)
    kiosk_sf(app, title, sizeof title, "common.pair", "a", site, "b", bname, NULL);
  else
    snprintf(title, sizeof title, "%s", site);
  SDL_Rect top = in, bottom = in;
  top.h = in.h * 3 / 5;
  bottom.y = in.y + top.h;
  bottom.h = in.h - top.h;
  w = kiosk_ui_add(ui, KW_TITLE, top, title);
  w->fg = kiosk_rgb(0xFFFFFF);
  w->font_px = m->title;
  w->bold = true;
  w->max_lines = 1;
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
  w = kiosk_label(app, ui, bottom, date, m->small, false, 0xDCE6F7);
  w->max_lines = 1;
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
  return (SDL_Rect){0, bar.h, m->w, m->h - bar.h};
}

static void phone_strip(kiosk_app *app, kiosk_ui *ui, SDL_Rect r)
{
  const char *phone = kiosk_feed_str(app, "site", "service_phone");
  char text[160];
  /* In the narrow right column of landscape layouts the number goes on a
   * line of its own. */
  kiosk_sf(app, text, sizeof text, app->m.portrait ? "home.service_phone" : "home.service_phone_2l", "phone",
           *phone ? phone : kiosk_s(app, "common.none"), NULL);
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, r, text);
  w->bg = kiosk_rgb(0xFFF7E6);
  w->border = kiosk_rgb(0xF59E0B);
  w->border_w = 3;
  w->radius = app->m.radius;
  w->fg = kiosk_rgb(0x7C2D12);
  w->icon = ICON_PHONE;
  w->icon_fg = kiosk_rgb(0xC2410C);
  w->font_px = app->m.title;
  w->bold = true;
  w->pad = app->m.gap;
  w->align = KA_CENTER;
  /* A real number always fits once shrunk; the ellipsis is for a feed
   * whose number is no number at all. */
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
}

static int card_height(kiosk_app *app)
{
  const kiosk_metrics *m = &app->m;
  int title = kiosk_text_line_height(app->text, m->body, true);
  int body = kiosk_text_line_height(app->text, m->small, false);
  return 2 * m->gap + title + 2 * body;
}

/* The start of a notice's body as one paragraph: line breaks vanish
 * after Chinese text and become spaces after Latin text. */
static void preview_text(const char *body, char *out, size_t n)
{
  size_t k = 0;
  const char *p = body ? body : "";
  while (*p) {
    if (*p == '\r' || *p == '\n') {
      if (*p == '\n' && k > 0 && (unsigned char)out[k - 1] < 0x80 && out[k - 1] != ' ' && k + 1 < n)
        out[k++] = ' ';
      p++;
      continue;
    }
    /* Whole characters only, so the cut never splits one. */
    size_t cl;
    kiosk_utf8_decode(p, &cl);
    if (k + cl + 1 > n)
      break;
    memcpy(out + k, p, cl);
    k += cl;
    p += cl;
  }
  out[k] = '\0';
}

/* The card itself and its category's stripe; the card carries the title
 * only so scripts and dumps can find the notice (the labels draw it). */
static void card_frame(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_api_notice *n, int i, int clip,
                       bool highlight)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *card = kiosk_ui_add(ui, KW_NOTICE, r, n->title);
  card->action = KIOSK_ACT_NOTICE;
  card->arg = i;
  card->bg = kiosk_rgb(highlight ? 0xFFFBEB : KIOSK_C_CARD);
  card->border = highlight ? kiosk_rgb(0xF59E0B) : kiosk_rgb(KIOSK_C_LINE);
  card->border_w = highlight ? 5 : 2;
  card->radius = m->radius;
  card->clip = clip;
  card->flags |= KF_NOTEXT | (highlight ? KF_HIGHLIGHT : 0);
  SDL_Rect stripe = {r.x, r.y, m->gap / 2 + 4, r.h};
  kiosk_widget *s = kiosk_ui_add(ui, KW_PANEL, stripe, NULL);
  s->bg = kiosk_notice_color(n->category);
  s->radius = 4;
  s->clip = clip;
}

/* The 置顶 badge at the right end of the title row, which it narrows. */
static void pinned_badge(kiosk_app *app, kiosk_ui *ui, SDL_Rect *title, int th, SDL_Color color, int clip)
{
  const kiosk_metrics *m = &app->m;
  int pw = m->small * 3;
  SDL_Rect pr = {title->x + title->w - pw, title->y + (th - m->small * 3 / 2) / 2, pw, m->small * 3 / 2};
  title->w -= pw + m->gap / 2;
  kiosk_widget *p = kiosk_ui_add(ui, KW_LABEL, pr, kiosk_s(app, "home.pinned"));
  p->bg = color;
  p->fg = kiosk_rgb(0xFFFFFF);
  p->font_px = m->small * 3 / 4;
  p->bold = true;
  p->radius = 6;
  p->align = KA_CENTER;
  p->clip = clip;
  p->flags |= KF_SHRINK;
}

/* The title on one line and two lines of the body below it. */
static void card_text(kiosk_app *app, kiosk_ui *ui, SDL_Rect in, const kiosk_api_notice *n, int clip)
{
  const kiosk_metrics *m = &app->m;
  int th = kiosk_text_line_height(app->text, m->body, true);
  SDL_Rect tr = kiosk_rect_take_top(&in, th, 0);
  if (n->pinned)
    pinned_badge(app, ui, &tr, th, kiosk_notice_color(n->category), clip);
  kiosk_widget *t = kiosk_ui_add(ui, KW_LABEL, tr, n->title);
  t->font_px = m->body;
  t->bold = true;
  t->max_lines = 1;
  t->clip = clip;
  t->flags |= KF_ELLIPSIS;
  char preview[600];
  preview_text(n->body, preview, sizeof preview);
  kiosk_widget *b = kiosk_ui_add(ui, KW_PARAGRAPH, in, preview);
  b->font_px = m->small;
  b->fg = kiosk_rgb(KIOSK_C_MUTED);
  b->max_lines = 2;
  b->clip = clip;
  b->flags |= KF_ELLIPSIS | KF_TOP;
}

/* The notice's picture at the card's right end, as tall as the card's
 * inside and at most a third of its width; the text keeps the rest.  Until
 * the picture is decoded the card is text alone. */
static void card_picture(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const kiosk_api_notice *n, int clip)
{
  kiosk_picture_view v;
  if (!n->image_etag || !kiosk_app_picture(app, n->image_etag, &v))
    return;
  long tw = (long)in->h * v.w / v.h;
  if (tw > in->w / 3)
    tw = in->w / 3;
  SDL_Rect box = {in->x + in->w - (int)tw, in->y, (int)tw, in->h};
  SDL_Rect r = kiosk_app_picture_widget(app, ui, n->image_etag, box, clip);
  if (r.w > 0)
    in->w = r.x - app->m.gap / 2 - in->x;
}

static void notice_card(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_api_notice *n, int i, int clip,
                        bool highlight)
{
  const kiosk_metrics *m = &app->m;
  card_frame(app, ui, r, n, i, clip, highlight);
  SDL_Rect in = kiosk_rect_inset(r, m->gap);
  in.x += m->gap / 2;
  in.w -= m->gap / 2;
  int isz = m->body * 2;
  SDL_Rect ir = {in.x, in.y + (in.h - isz) / 2, isz, isz};
  kiosk_widget *ic = kiosk_ui_add(ui, KW_ICON, ir, NULL);
  ic->icon = kiosk_notice_icon(n->category);
  ic->icon_fg = kiosk_notice_color(n->category);
  ic->clip = clip;
  kiosk_rect_take_left(&in, isz, m->gap);
  card_picture(app, ui, &in, n, clip);
  card_text(app, ui, in, n, clip);
}

static void notice_list(kiosk_app *app, kiosk_ui *ui, SDL_Rect view)
{
  const kiosk_metrics *m = &app->m;
  kiosk_home_state *st = &app->screens.home;
  const json_t *notices = kiosk_feed_notices(app);
  size_t n = kiosk_api_notice_count(notices);
  SDL_Rect head = kiosk_rect_take_top(&view, m->body * 3 / 2, m->gap / 2);
  kiosk_label(app, ui, head, kiosk_s(app, "home.notices"), m->body, true, KIOSK_C_INK);
  if (n == 0) {
    kiosk_widget *w = kiosk_label(app, ui, view, kiosk_s(app, app->link.feed ? "home.no_notices" : "home.loading"),
                                  m->body, false, KIOSK_C_MUTED);
    w->align = KA_CENTER;
    return;
  }
  int ch = card_height(app);
  float total = (float)(n * (size_t)(ch + m->gap) - (size_t)m->gap);
  st->scroll.max = total > (float)view.h ? total - (float)view.h : 0;
  if (st->highlight != st->shown_highlight) {
    /* Bring the newly highlighted card into view. */
    float top = (float)(st->highlight * (ch + m->gap));
    if (top < st->scroll.pos || top + (float)ch > st->scroll.pos + (float)view.h)
      st->scroll.pos = top;
    st->shown_highlight = st->highlight;
  }
  if (st->scroll.pos > st->scroll.max)
    st->scroll.pos = st->scroll.max;
  if (st->scroll.pos < 0)
    st->scroll.pos = 0;
  int clip = kiosk_ui_clip(ui, view);
  app->pointer.scroller = &st->scroll;
  app->pointer.scroll_view = view;
  for (size_t i = 0; i < n; i++) {
    int y = view.y + (int)i * (ch + m->gap) - (int)lroundf(st->scroll.pos);
    if (y + ch < view.y || y > view.y + view.h)
      continue;
    kiosk_api_notice notice;
    /* A member that is no notice is an empty card (the view is empty). */
    if (kiosk_api_notice_at(notices, i, &notice) == LOBBY_ENOTFOUND)
      break;
    notice_card(app, ui, (SDL_Rect){view.x, y, view.w, ch}, &notice, (int)i, clip, (int)i == st->highlight && n > 1);
  }
}

/* Landscape's buttons are wide and low: a label of two lines goes beside
 * the icon, not under it. */
static bool label_one_line(kiosk_app *app, const char *text, int width)
{
  kiosk_layout l;
  if (kiosk_text_layout(app->text, text, app->m.title, true, width, 0, false, false, &l) != LOBBY_OK)
    return false;
  bool one = l.n_lines <= 1;
  kiosk_layout_free(&l);
  return one;
}

/* The big actions: the resident's (repair, complaints, item release,
 * status) first, then the visitor's. */
#define N_ACTIONS 6
static void action_button(kiosk_app *app, kiosk_ui *ui, SDL_Rect c, int i)
{
  static const char *const keys[N_ACTIONS] = {"home.repair", "home.complaint", "home.release", "home.status",
                                              "home.visit", "home.checkout"};
  static const int targets[N_ACTIONS] = {KIOSK_SCREEN_REPAIR, KIOSK_SCREEN_COMPLAINT, KIOSK_SCREEN_RELEASE,
                                         KIOSK_SCREEN_STATUS, KIOSK_SCREEN_VISIT, KIOSK_SCREEN_CHECKOUT};
  static const unsigned colors[N_ACTIONS] = {0xC2410C, 0xB91C1C, 0x0F766E, 0x1D4ED8, 0x047857, 0x6D28D9};
  static const kiosk_icon icons[N_ACTIONS] = {ICON_REPAIR, ICON_COMMUNITY, ICON_PARCEL_OUT, ICON_SEARCH,
                                              ICON_VISITOR_IN, ICON_VISITOR_OUT};
  kiosk_widget *w = kiosk_button(app, ui, c, kiosk_s(app, keys[i]), KIOSK_ACT_GO, targets[i], colors[i]);
  w->icon = icons[i];
  w->font_px = app->m.title;
  /* Landscape's narrower buttons keep their width for the label. */
  w->pad = app->m.portrait ? app->m.gap : app->m.gap / 2;
  if (c.h > app->m.button_h * 3 / 2 && (app->m.portrait || label_one_line(app, w->text, c.w - 2 * w->pad)))
    w->flags |= KF_ICON_TOP;
}

/* The portrait rows' least height: a button's icon on top (45% of its
 * inside, widgets.c) and two lines of its label, shrunk as far as labels
 * shrink.  The notices give way when staff lines at the foot take room. */
static int actions_min_height(kiosk_app *app)
{
  const kiosk_metrics *m = &app->m;
  int pad = m->gap;
  int lines_h = 2 * kiosk_text_line_height(app->text, m->title * 7 / 10, true);
  int row = (lines_h + pad / 2) * 100 / 55 + 2 * pad;
  return 2 * row + m->gap;
}

/* Portrait: two rows of three, each filling the width (the resident's
 * three, then status and the visitor's two).  Landscape: two columns of
 * three, the resident's on the left; one column of six would leave each
 * button too low for its label at 1920x1080. */
static void actions(kiosk_app *app, kiosk_ui *ui, SDL_Rect r)
{
  const kiosk_metrics *m = &app->m;
  for (int i = 0; i < N_ACTIONS; i++) {
    SDL_Rect c = m->portrait ? kiosk_grid_cell(r, 3, 2, i, m->gap)
                             : kiosk_grid_cell(r, 2, 3, (i % 3) * 2 + i / 3, m->gap);
    action_button(app, ui, c, i);
  }
}

/* Staff see why the keyboard offers no pinyin: a small line at the foot
 * of the notice board, in the screen's language. */
static void input_status_line(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area)
{
  if (!app->kb.open_tried || kiosk_keyboard_pinyin_available(&app->kb))
    return;
  char text[KIOSK_PINYIN_WHY_CAP + 128];
  kiosk_sf(app, text, sizeof text, "input.pinyin_unavailable", "why", app->kb.why, NULL);
  /* Two lines: the reason often names a directory staff must check. */
  SDL_Rect r = kiosk_rect_take_bottom(area, app->m.small * 3, app->m.gap / 2);
  kiosk_widget *w = kiosk_label(app, ui, r, text, app->m.small, false, KIOSK_C_WARN);
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
  w->max_lines = 2;
}

/* Staff see what to check when TLS refuses the server: a line at the foot
 * of the notice board, under the reason in the banner. */
static void tls_status_line(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area)
{
  if (!kiosk_tls_reason_key(app))
    return;
  char text[512];
  kiosk_sf(app, text, sizeof text, "offline.tls.staff", NULL);
  SDL_Rect r = kiosk_rect_take_bottom(area, app->m.small * 3, app->m.gap / 2);
  kiosk_widget *w = kiosk_label(app, ui, r, text, app->m.small, false, KIOSK_C_WARN);
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
  w->max_lines = 2;
}

static void home_build(kiosk_app *app, kiosk_ui *ui)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect area = home_header(app, ui);
  kiosk_offline_banner(app, ui, &area);
  area = kiosk_rect_inset(area, m->margin);
  input_status_line(app, ui, &area);
  tls_status_line(app, ui, &area);
  if (m->portrait) {
    SDL_Rect phone = kiosk_rect_take_top(&area, m->button_h, m->gap);
    phone_strip(app, ui, phone);
    int acts_h = area.h * 2 / 5;
    if (acts_h < actions_min_height(app))
      acts_h = actions_min_height(app);
    SDL_Rect acts = kiosk_rect_take_bottom(&area, acts_h, m->gap);
    actions(app, ui, acts);
    notice_list(app, ui, area);
  } else {
    /* Half the width for the notices: the six actions go two by two. */
    SDL_Rect left = kiosk_rect_take_left(&area, area.w / 2, m->margin);
    SDL_Rect phone = kiosk_rect_take_top(&area, m->button_h * 7 / 4, m->gap);
    phone_strip(app, ui, phone);
    actions(app, ui, area);
    notice_list(app, ui, left);
  }
}

static void home_action(kiosk_app *app, int action, int arg)
{
  if (action == KIOSK_ACT_NOTICE) {
    kiosk_api_notice n;
    /* A member that is no notice opens as an empty one (id 0). */
    if (arg < 0 || kiosk_api_notice_at(kiosk_feed_notices(app), (size_t)arg, &n) == LOBBY_ENOTFOUND)
      return;
    app->screens.home.highlight = app->screens.home.shown_highlight = arg;
    kiosk_app_go(app, KIOSK_SCREEN_NOTICE);
    app->screens.notice.id = n.id;
    app->screens.notice.scroll = (kiosk_scroller){0};
  }
}

static void home_enter(kiosk_app *app)
{
  app->screens.home.scroll.vel = 0;
  app->clock.last_rotate_ms = kiosk_app_ms(app);
}

const kiosk_screen kiosk_screen_home = {
  .name = "home", .form = false, .enter = home_enter, .build = home_build, .action = home_action};
