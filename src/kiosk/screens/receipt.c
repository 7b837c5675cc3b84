/* The receipt of something filed through the outbox (a complaint, an item
 * release): a heading, the number (or the queue number while it waits in
 * the outbox), a promise in a banner, a detail line, the phone masked (the
 * receipt is on a public screen), a hint and a QR code of the number.  Each kind fills
 * a kiosk_receipt with its own words. */
#include <stdio.h>
#include <string.h>
#include "kiosk_app.h"
#include "lobby_text.h"

static void heading(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const kiosk_receipt *r)
{
  const kiosk_metrics *m = &app->m;
  const char *key = !r->queued ? r->heading_key : r->busy ? "receipt.busy_heading" : "receipt.queued_heading";
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(in, m->title * 2, m->gap), kiosk_s(app, key), m->title,
                                true, r->queued ? KIOSK_C_WARN : KIOSK_C_OK);
  h->icon = r->queued ? ICON_CLOCK : ICON_CHECK;
  h->icon_fg = h->fg;
  h->align = KA_CENTER;
  h->flags |= KF_SHRINK;
  kiosk_label(app, ui, kiosk_rect_take_top(in, m->small * 3 / 2, 0),
              kiosk_s(app, r->queued ? "receipt.queue_label" : r->number_label_key), m->small, false,
              KIOSK_C_MUTED)->align = KA_CENTER;
  kiosk_widget *t = kiosk_label(app, ui, kiosk_rect_take_top(in, m->huge * 3 / 2, m->gap), r->number, m->huge, true,
                                KIOSK_C_INK);
  t->align = KA_CENTER;
  t->flags |= KF_SHRINK;
}

static void promise_banner(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const kiosk_receipt *r)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *s = kiosk_ui_add(ui, KW_BANNER, kiosk_rect_take_top(in, m->body * 3, m->gap), r->promise);
  s->bg = kiosk_rgb(r->queued ? 0xFEF3C7 : 0xDCFCE7);
  s->fg = kiosk_rgb(r->queued ? 0x78350F : 0x14532D);
  s->font_px = m->body;
  s->bold = true;
  s->radius = m->radius / 2;
  s->pad = m->gap / 2;
  s->align = KA_CENTER;
  s->flags |= KF_SHRINK;
}

/* One centred line of small text. */
static kiosk_widget *small_line(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const char *text, unsigned color)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(in, m->small * 3 / 2, m->gap / 2), text, m->small, false,
                                color);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK;
  return w;
}

/* The phone given, masked. */
static void contact_line(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const char *phone)
{
  if (!phone || !phone[0])
    return;
  char masked[32], text[96];
  lobby_phone_mask(phone, masked, sizeof masked);
  kiosk_sf(app, text, sizeof text, "receipt.contact_line", "phone", masked, NULL);
  small_line(app, ui, in, text, KIOSK_C_MUTED)->flags |= KF_PRIVATE;
}

void kiosk_receipt_qr(kiosk_ui *ui, SDL_Rect r, const char *follow_url, const char *prefix,
                      const char *number)
{
  char payload[LOBBY_FOLLOW_URL_MAX];
  if (follow_url && follow_url[0])
    snprintf(payload, sizeof payload, "%s", follow_url);
  else
    snprintf(payload, sizeof payload, "%s %s", prefix, number);
  int side = r.h < r.w ? r.h : r.w;
  if (side > 0)
    kiosk_ui_add(ui, KW_QR, (SDL_Rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side}, payload);
}

/* A queued item's code holds its queue number, even with a link. */
static void qr_code(kiosk_ui *ui, SDL_Rect r, const kiosk_receipt *rc)
{
  kiosk_receipt_qr(ui, r, rc->queued ? NULL : rc->follow_url, rc->qr_prefix, rc->number);
}

void kiosk_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_receipt *r)
{
  const kiosk_metrics *m = &app->m;
  area = kiosk_nav(app, ui, area, NULL, "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  /* Landscape has no height for the code under the text: it goes beside,
   * with the hint under it. */
  SDL_Rect qr = in;
  if (!m->portrait) {
    int w = in.w / 3;
    qr = (SDL_Rect){in.x + in.w - w, in.y, w, in.h};
    in.w -= w + m->margin;
  }
  heading(app, ui, &in, r);
  promise_banner(app, ui, &in, r);
  if (r->detail && r->detail[0])
    small_line(app, ui, &in, r->detail, KIOSK_C_INK);
  contact_line(app, ui, &in, r->phone);
  SDL_Rect *code = m->portrait ? &in : &qr;
  kiosk_widget *hw = kiosk_label(app, ui, kiosk_rect_take_bottom(code, m->small * 4, m->gap),
                                 kiosk_s(app, r->hint_key), m->small, false, KIOSK_C_MUTED);
  hw->align = KA_CENTER;
  hw->flags |= KF_SHRINK;
  qr_code(ui, *code, r);
}

bool kiosk_outbox_answer_delivered(kiosk_outbox_answer *a, const kiosk_event *ev)
{
  kiosk_api_ref_status ref;
  if (ev->kind != KIOSK_EV_OUTBOX || !a->queued || strcmp(ev->provisional_ref, a->number) != 0 ||
      kiosk_api_parse_ref_status(ev, &ref) != LOBBY_OK)
    return false;
  if (ref.ticket[0]) {
    snprintf(a->number, sizeof a->number, "%s", ref.ticket);
    snprintf(a->follow_url, sizeof a->follow_url, "%s", ref.follow_url);
    a->queued = a->busy = false;
  }
  return true;
}

void kiosk_outbox_answer_queued(kiosk_outbox_answer *a, const kiosk_event *ev)
{
  a->queued = true;
  a->busy = ev->http_status == 429;
  snprintf(a->number, sizeof a->number, "%s", ev->provisional_ref);
}
