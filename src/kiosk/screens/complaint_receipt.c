/* The receipt of a complaint or suggestion: the number (or the queue
 * number while it waits in the outbox), the promise of an answer within
 * one working day with the latest time the server gave, the phone masked,
 * and a QR code of the number. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_text.h"

static void promise_text(kiosk_app *app, char *out, size_t n)
{
  const kiosk_complaint_answer *a = &app->screens.complaint.answer;
  char when[64];
  kiosk_time_text(app, a->reply_due_at, when, sizeof when);
  if (a->queued)
    kiosk_sf(app, out, n, a->busy ? "complaint.promise_busy" : "complaint.promise_queued", NULL);
  else if (!when[0])
    kiosk_sf(app, out, n, "complaint.promise_plain", NULL);
  else
    kiosk_sf(app, out, n, "complaint.promise", "time", when, NULL);
}

static void heading(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_complaint_answer *a = &app->screens.complaint.answer;
  const char *key = !a->queued ? "complaint.done_heading" : a->busy ? "complaint.busy_heading"
                                                                     : "complaint.queued_heading";
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(in, m->title * 2, m->gap), kiosk_s(app, key), m->title,
                                true, a->queued ? KIOSK_C_WARN : KIOSK_C_OK);
  h->icon = a->queued ? ICON_CLOCK : ICON_CHECK;
  h->icon_fg = h->fg;
  h->align = KA_CENTER;
  h->flags |= KF_SHRINK;
  kiosk_label(app, ui, kiosk_rect_take_top(in, m->small * 3 / 2, 0),
              kiosk_s(app, a->queued ? "complaint.queue_label" : "complaint.number_label"), m->small, false,
              KIOSK_C_MUTED)->align = KA_CENTER;
  kiosk_widget *t = kiosk_label(app, ui, kiosk_rect_take_top(in, m->huge * 3 / 2, m->gap), a->number, m->huge, true,
                                KIOSK_C_INK);
  t->align = KA_CENTER;
  t->flags |= KF_SHRINK;
}

static void promise_banner(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_complaint_answer *a = &app->screens.complaint.answer;
  char text[384];
  promise_text(app, text, sizeof text);
  kiosk_widget *s = kiosk_ui_add(ui, KW_BANNER, kiosk_rect_take_top(in, m->body * 3, m->gap), text);
  s->bg = kiosk_rgb(a->queued ? 0xFEF3C7 : 0xDCFCE7);
  s->fg = kiosk_rgb(a->queued ? 0x78350F : 0x14532D);
  s->font_px = m->body;
  s->bold = true;
  s->radius = m->radius / 2;
  s->pad = m->gap / 2;
  s->align = KA_CENTER;
  s->flags |= KF_SHRINK;
}

/* The phone given, masked: the receipt is on a public screen. */
static void contact_line(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_field *phone = &app->screens.complaint.phone;
  if (!phone->buf[0])
    return;
  char masked[32], text[96];
  lobby_phone_mask(phone->buf, masked, sizeof masked);
  kiosk_sf(app, text, sizeof text, "complaint.contact_line", "phone", masked, NULL);
  kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(in, m->small * 3 / 2, m->gap / 2), text, m->small, false,
                                KIOSK_C_MUTED);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK | KF_PRIVATE;
}

static void qr_code(kiosk_ui *ui, SDL_Rect r, const char *number)
{
  char payload[64];
  snprintf(payload, sizeof payload, "LOBBY-COMPLAINT %s", number);
  int side = r.h < r.w ? r.h : r.w;
  if (side > 0)
    kiosk_ui_add(ui, KW_QR, (SDL_Rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side}, payload);
}

void kiosk_complaint_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_complaint_state *st = &app->screens.complaint;
  area = kiosk_nav(app, ui, area, NULL, "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  /* Landscape has no height for the code under the text: it goes beside. */
  SDL_Rect qr = in;
  if (!m->portrait) {
    int side = in.h < in.w / 3 ? in.h : in.w / 3;
    qr = (SDL_Rect){in.x + in.w - side, in.y, side, in.h};
    in.w -= side + m->margin;
  }
  heading(app, ui, &in);
  promise_banner(app, ui, &in);
  contact_line(app, ui, &in);
  const char *hint_key = st->answer.queued ? "complaint.queued_hint"
                         : st->phone.buf[0] ? "complaint.qr_hint" : "complaint.qr_hint_anonymous";
  kiosk_widget *hw = kiosk_label(app, ui, kiosk_rect_take_bottom(&in, m->small * 4, m->gap), kiosk_s(app, hint_key),
                                 m->small, false, KIOSK_C_MUTED);
  hw->align = KA_CENTER;
  hw->flags |= KF_SHRINK;
  qr_code(ui, m->portrait ? in : qr, st->answer.number);
}
