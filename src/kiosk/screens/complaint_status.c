/* A complaint or suggestion looked up on the status screen: its number,
 * its status in large letters, what kind and about what, and the
 * property's answer (or when it is due).  The public look-up carries no
 * name, phone or unit, so nothing here needs masking. */
#include <string.h>
#include "kiosk_app.h"

static void summary(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const kiosk_api_complaint_status *c)
{
  const kiosk_metrics *m = &app->m;
  char key[64], kind_key[48], cat_key[64], text[256];
  kiosk_label(app, ui, kiosk_rect_take_top(in, m->title * 3 / 2, m->gap / 2), c->number, m->title, true,
              KIOSK_C_INK)->align = KA_CENTER;
  snprintf(key, sizeof key, "complaint_status.%s", c->status[0] ? c->status : "submitted");
  kiosk_widget *sw = kiosk_label(app, ui, kiosk_rect_take_top(in, m->huge * 3 / 2, m->gap), kiosk_s(app, key), m->huge,
                                 true, KIOSK_C_OK);
  sw->align = KA_CENTER;
  sw->flags |= KF_SHRINK;
  snprintf(kind_key, sizeof kind_key, "complaint_kind.%s", c->kind[0] ? c->kind : "complaint");
  snprintf(cat_key, sizeof cat_key, "complaint_category.%s", c->category[0] ? c->category : "other");
  kiosk_sf(app, text, sizeof text, "status.complaint_summary", "kind", kiosk_s(app, kind_key), "category",
           kiosk_s(app, cat_key), NULL);
  kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(in, m->body * 2, m->gap), text, m->body, false,
                                KIOSK_C_MUTED);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK;
}

/* No answer yet: when it is due. */
static void pending(kiosk_app *app, kiosk_ui *ui, SDL_Rect in, const kiosk_api_complaint_status *c)
{
  const kiosk_metrics *m = &app->m;
  char due[64], text[256];
  kiosk_time_text(app, c->reply_due_at, due, sizeof due);
  if (due[0])
    kiosk_sf(app, text, sizeof text, "status.no_reply", "due", due, NULL);
  else
    kiosk_sf(app, text, sizeof text, "status.no_reply_notime", NULL);
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, kiosk_rect_take_top(&in, m->body * 3, m->gap), text);
  w->bg = kiosk_rgb(0xFEF3C7);
  w->fg = kiosk_rgb(0x78350F);
  w->font_px = m->body;
  w->bold = true;
  w->radius = m->radius / 2;
  w->pad = m->gap / 2;
  w->align = KA_CENTER;
  w->icon = ICON_CLOCK;
  w->icon_fg = w->fg;
  w->flags |= KF_SHRINK;
}

/* The answer: a heading with its time, then the text in what is left. */
static void answer(kiosk_app *app, kiosk_ui *ui, SDL_Rect in, const kiosk_api_complaint_status *c)
{
  const kiosk_metrics *m = &app->m;
  char when[64], head[128];
  kiosk_time_text(app, c->replied_at, when, sizeof when);
  if (when[0])
    kiosk_sf(app, head, sizeof head, "status.reply_heading", "time", when, NULL);
  else
    kiosk_sf(app, head, sizeof head, "status.reply_heading_notime", NULL);
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->body * 3 / 2, m->gap / 2), head, m->body, true,
                                KIOSK_C_INK);
  h->flags |= KF_SHRINK | KF_ELLIPSIS;
  h->max_lines = 1;
  /* The box fits the text's lines, up to what the card has left. */
  int lh = kiosk_text_line_height(app->text, m->body, false);
  int inner_w = in.w - m->gap, max_lines = lh > 0 ? (in.h - m->gap) / lh : 1, lines = max_lines;
  kiosk_layout l;
  if (kiosk_text_layout(app->text, c->reply, m->body, false, inner_w, 0, false, false, &l) == LOBBY_OK) {
    lines = l.n_lines > 0 ? l.n_lines : 1;
    kiosk_layout_free(&l);
  }
  if (lines > max_lines)
    lines = max_lines > 0 ? max_lines : 1;
  SDL_Rect r = kiosk_rect_take_top(&in, lines * lh + m->gap, 0);
  kiosk_widget *box = kiosk_ui_add(ui, KW_PANEL, r, NULL);
  box->bg = kiosk_rgb(0xF0FDF4);
  box->border = kiosk_rgb(0x86EFAC);
  box->border_w = 2;
  box->radius = m->radius / 2;
  kiosk_widget *p = kiosk_ui_add(ui, KW_PARAGRAPH, kiosk_rect_inset(r, m->gap / 2), c->reply);
  p->font_px = m->body;
  p->fg = kiosk_rgb(KIOSK_C_INK);
  p->flags |= KF_TOP | KF_ELLIPSIS;
  p->max_lines = lines;
}

void kiosk_complaint_status_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_api_complaint_status *c = &app->screens.status.complaint_found;
  summary(app, ui, &in, c);
  if (c->reply[0])
    answer(app, ui, in, c);
  else
    pending(app, ui, in, c);
}
