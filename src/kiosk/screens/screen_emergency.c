/* The emergency takeover: red, large, no way to dismiss it; it ends when
 * the feed clears the emergency. */
#include "kiosk_app.h"

static void emergency_build(kiosk_app *app, kiosk_ui *ui)
{
  const kiosk_metrics *m = &app->m;
  kiosk_api_notice n;
  if (kiosk_api_notice_view(kiosk_feed_emergency(app), &n) != LOBBY_OK)
    return; /* The table shows this overlay only while there is one. */
  SDL_Rect all = {0, 0, m->w, m->h};
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, all, NULL);
  bg->bg = kiosk_rgb(0xB91C1C);
  SDL_Rect in = kiosk_rect_inset(all, m->margin * 2);
  int band = m->huge * 2;
  SDL_Rect head = kiosk_rect_take_top(&in, band, m->gap);
  kiosk_widget *h = kiosk_ui_add(ui, KW_TITLE, head, kiosk_s(app, "emergency.heading"));
  h->fg = kiosk_rgb(0xFFFFFF);
  h->font_px = m->huge;
  h->bold = true;
  h->icon = ICON_ALERT;
  h->icon_fg = kiosk_rgb(0xFDE047);
  h->align = KA_CENTER;
  h->flags |= KF_SHRINK;
  kiosk_widget *rule = kiosk_ui_add(ui, KW_PANEL, kiosk_rect_take_top(&in, 6, m->gap * 2), NULL);
  rule->bg = kiosk_rgb(0xFDE047);
  const char *phone = kiosk_feed_str(app, "site", "service_phone");
  char ptext[160];
  kiosk_sf(app, ptext, sizeof ptext, "emergency.phone", "phone", *phone ? phone : kiosk_s(app, "common.none"), NULL);
  SDL_Rect foot = kiosk_rect_take_bottom(&in, m->button_h * 3 / 2, m->gap);
  kiosk_widget *f = kiosk_ui_add(ui, KW_BANNER, foot, ptext);
  f->bg = kiosk_rgb(0x7F1D1D);
  f->fg = kiosk_rgb(0xFFFFFF);
  f->icon = ICON_PHONE;
  f->icon_fg = kiosk_rgb(0xFDE047);
  f->font_px = m->title;
  f->bold = true;
  f->radius = m->radius;
  f->pad = m->gap;
  f->align = KA_CENTER;
  f->flags |= KF_SHRINK | KF_ELLIPSIS; /* cut only when even shrunk it cannot fit */
  int title_px = m->huge;
  int tlh = kiosk_text_line_height(app->text, title_px, true);
  kiosk_widget *t = kiosk_ui_add(ui, KW_TITLE, kiosk_rect_take_top(&in, tlh * 2, m->gap), n.title);
  t->fg = kiosk_rgb(0xFFFFFF);
  t->font_px = title_px;
  t->bold = true;
  t->max_lines = 2;
  t->flags |= KF_SHRINK | KF_ELLIPSIS | KF_BALANCE;
  /* The body is shown whole: it shrinks to fit rather than scroll, since
   * nobody should have to touch the screen in an emergency.  Only a body
   * that cannot fit even shrunk (a hostile feed's) is cut. */
  kiosk_widget *b = kiosk_ui_add(ui, KW_PARAGRAPH, in, n.body);
  b->fg = kiosk_rgb(0xFFFFFF);
  b->font_px = m->huge * 3 / 4 > m->title ? m->huge * 3 / 4 : m->title;
  b->flags |= KF_SHRINK | KF_TOP | KF_ELLIPSIS;
}

const kiosk_screen kiosk_screen_emergency = {.name = "emergency", .build = emergency_build};
