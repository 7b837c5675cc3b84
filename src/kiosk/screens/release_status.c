/* An item release looked up on the status screen: its number and status
 * in large letters, then what the status means for the resident — waiting
 * for the desk; approved: the 6-digit code large with its QR, the day and
 * the items, to show the gate guard on that day; refused or cancelled:
 * the reason; used: when it left; expired: apply again.  The public
 * look-up carries no name, phone or unit, so nothing here needs masking. */
#include <string.h>
#include "kiosk_app.h"

/* What the resident reads as the status: an approved pass whose day has
 * passed is "expired", whatever its stored status. */
static const char *shown_status(const kiosk_api_release_status *r)
{
  if (r->expired)
    return "expired";
  return r->status[0] ? r->status : "submitted";
}

static unsigned status_color(const char *s)
{
  if (!strcmp(s, "approved") || !strcmp(s, "used"))
    return KIOSK_C_OK;
  if (!strcmp(s, "submitted"))
    return KIOSK_C_WARN;
  return KIOSK_C_ERROR;
}

static void summary(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const kiosk_api_release_status *r)
{
  const kiosk_metrics *m = &app->m;
  char key[48];
  const char *s = shown_status(r);
  kiosk_label(app, ui, kiosk_rect_take_top(in, m->title * 3 / 2, m->gap / 2), r->number, m->title, true,
              KIOSK_C_INK)->align = KA_CENTER;
  snprintf(key, sizeof key, "release_status.%s", s);
  kiosk_widget *sw = kiosk_label(app, ui, kiosk_rect_take_top(in, m->huge * 3 / 2, m->gap), kiosk_s(app, key), m->huge,
                                 true, status_color(s));
  sw->align = KA_CENTER;
  sw->flags |= KF_SHRINK;
}

/* A coloured banner of one or two lines. */
static void banner(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const char *text, bool good, kiosk_icon icon)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, kiosk_rect_take_top(in, m->body * 3, m->gap), text);
  w->bg = kiosk_rgb(good ? 0xDCFCE7 : 0xFEF3C7);
  w->fg = kiosk_rgb(good ? 0x14532D : 0x78350F);
  w->font_px = m->body;
  w->bold = true;
  w->radius = m->radius / 2;
  w->pad = m->gap / 2;
  w->align = KA_CENTER;
  w->icon = icon;
  w->icon_fg = w->fg;
  w->flags |= KF_SHRINK;
}

/* The day and what is leaving, each on its own rows. */
static void details(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const kiosk_api_release_status *r, int item_lines)
{
  const kiosk_metrics *m = &app->m;
  char day[64], text[160];
  kiosk_date_text(app, r->date, day, sizeof day);
  kiosk_sf(app, text, sizeof text, "release.date_line", "date", day[0] ? day : r->date, NULL);
  kiosk_widget *d = kiosk_label(app, ui, kiosk_rect_take_top(in, m->body * 3 / 2, m->gap / 4), text, m->body, false,
                                KIOSK_C_INK);
  d->align = KA_CENTER;
  d->flags |= KF_SHRINK;
  int lh = kiosk_text_line_height(app->text, m->body, false);
  char items[KIOSK_API_ITEMS_MAX + 64];
  kiosk_sf(app, items, sizeof items, "release.items_line", "items", r->items, NULL);
  kiosk_widget *p = kiosk_ui_add(ui, KW_PARAGRAPH, kiosk_rect_take_top(in, lh * item_lines, m->gap / 2), items);
  p->font_px = m->body;
  p->fg = kiosk_rgb(KIOSK_C_MUTED);
  p->align = KA_CENTER;
  p->flags |= KF_TOP | KF_ELLIPSIS;
  p->max_lines = item_lines;
}

/* A refusal's or cancellation's reason in a box that fits its lines. */
static void reason_box(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const char *reason)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(in, m->body * 3 / 2, m->gap / 4),
                                kiosk_s(app, "release.reason_heading"), m->body, true, KIOSK_C_INK);
  h->flags |= KF_SHRINK;
  int lh = kiosk_text_line_height(app->text, m->body, false);
  int max_lines = lh > 0 ? (in->h - m->gap) / lh : 1, lines = 1;
  if (max_lines > 4)
    max_lines = 4;
  kiosk_layout l;
  if (kiosk_text_layout(app->text, reason, m->body, false, in->w - m->gap, 0, false, false, &l) == LOBBY_OK) {
    lines = l.n_lines > 0 ? l.n_lines : 1;
    kiosk_layout_free(&l);
  }
  if (lines > max_lines)
    lines = max_lines > 0 ? max_lines : 1;
  SDL_Rect r = kiosk_rect_take_top(in, lines * lh + m->gap, m->gap);
  kiosk_widget *box = kiosk_ui_add(ui, KW_PANEL, r, NULL);
  box->bg = kiosk_rgb(0xFEF2F2);
  box->border = kiosk_rgb(0xFCA5A5);
  box->border_w = 2;
  box->radius = m->radius / 2;
  kiosk_widget *p = kiosk_ui_add(ui, KW_PARAGRAPH, kiosk_rect_inset(r, m->gap / 2), reason);
  p->font_px = m->body;
  p->fg = kiosk_rgb(KIOSK_C_INK);
  p->flags |= KF_TOP | KF_ELLIPSIS;
  p->max_lines = lines;
}

/* The code large over its QR, in r. */
static void code_block(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *code)
{
  const kiosk_metrics *m = &app->m;
  kiosk_label(app, ui, kiosk_rect_take_top(&r, m->small * 3 / 2, 0), kiosk_s(app, "release.code_label"), m->small,
              false, KIOSK_C_MUTED)->align = KA_CENTER;
  kiosk_widget *c = kiosk_label(app, ui, kiosk_rect_take_top(&r, m->huge * 2, m->gap / 2), code, m->huge * 4 / 3, true,
                                KIOSK_C_INK);
  c->align = KA_CENTER;
  c->flags |= KF_SHRINK;
  int side = r.h < r.w ? r.h : r.w;
  if (side > 0)
    kiosk_ui_add(ui, KW_QR, (SDL_Rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side}, code);
}

/* Approved: when to show it, the day and the items, and the code large
 * with its QR: below in portrait, in a column on the right in landscape
 * (in is the whole card there, the summary included). */
static void approved(kiosk_app *app, kiosk_ui *ui, SDL_Rect in, const kiosk_api_release_status *r)
{
  const kiosk_metrics *m = &app->m;
  char day[64], text[256];
  SDL_Rect code = in;
  if (!m->portrait) {
    int w = in.w * 2 / 5;
    code = (SDL_Rect){in.x + in.w - w, in.y, w, in.h};
    in.w -= w + m->margin;
    summary(app, ui, &in, r);
  }
  kiosk_date_text(app, r->date, day, sizeof day);
  kiosk_sf(app, text, sizeof text, "release.show_guard", "date", day[0] ? day : r->date, NULL);
  banner(app, ui, &in, text, true, ICON_CHECK);
  details(app, ui, &in, r, 2);
  code_block(app, ui, m->portrait ? in : code, r->code);
}

void kiosk_release_status_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_api_release_status *r = &app->screens.status.release_found;
  const char *s = shown_status(r);
  char text[256], day[64], when[64];
  if (!strcmp(s, "approved") && r->code[0]) {
    if (app->m.portrait)
      summary(app, ui, &in, r);
    approved(app, ui, in, r);
    return;
  }
  summary(app, ui, &in, r);
  if (!strcmp(s, "used")) {
    kiosk_time_text(app, r->used_at, when, sizeof when);
    kiosk_sf(app, text, sizeof text, when[0] ? "release.used_at" : "release.used_notime", "time", when, NULL);
    banner(app, ui, &in, text, true, ICON_CHECK);
    details(app, ui, &in, r, 3);
  } else if (!strcmp(s, "expired")) {
    kiosk_date_text(app, r->date, day, sizeof day);
    kiosk_sf(app, text, sizeof text, "release.expired_line", "date", day[0] ? day : r->date, NULL);
    banner(app, ui, &in, text, false, ICON_CLOCK);
    details(app, ui, &in, r, 3);
  } else if (!strcmp(s, "refused") || !strcmp(s, "cancelled")) {
    reason_box(app, ui, &in, r->reason[0] ? r->reason : kiosk_s(app, "release.no_reason"));
    details(app, ui, &in, r, 2);
  } else {
    banner(app, ui, &in, kiosk_s(app, "release.waiting_line"), false, ICON_CLOCK);
    details(app, ui, &in, r, 3);
  }
}
