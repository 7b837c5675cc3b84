/* The receipt of a complaint or suggestion (receipt.c lays it out): the
 * number (or the queue number while it waits in the outbox), the promise
 * of an answer within one working day with the latest time the server
 * gave, the phone masked, and a QR code: the follow page's link when
 * lobbyd sent one (an anonymous message can be followed that way too),
 * else the number. */
#include "kiosk_app.h"

static void promise_text(kiosk_app *app, char *out, size_t n)
{
  const kiosk_complaint_answer *c = &app->screens.complaint.answer;
  const kiosk_outbox_answer *a = &c->sent;
  char when[64];
  kiosk_time_text(app, c->reply_due_at, when, sizeof when);
  if (a->queued)
    kiosk_sf(app, out, n, a->busy ? "complaint.promise_busy" : "complaint.promise_queued", NULL);
  else if (!when[0])
    kiosk_sf(app, out, n, "complaint.promise_plain", NULL);
  else
    kiosk_sf(app, out, n, "complaint.promise", "time", when, NULL);
}

void kiosk_complaint_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_complaint_state *st = &app->screens.complaint;
  char promise[384];
  promise_text(app, promise, sizeof promise);
  kiosk_receipt r = {.queued = st->answer.sent.queued, .busy = st->answer.sent.busy, .number = st->answer.sent.number,
                     .heading_key = "complaint.done_heading", .number_label_key = "complaint.number_label",
                     .promise = promise, .phone = st->phone.buf, .qr_prefix = "LOBBY-COMPLAINT",
                     .follow_url = st->answer.sent.follow_url,
                     .hint_key = st->answer.sent.queued ? "complaint.queued_hint"
                                 : st->answer.sent.follow_url[0] ? "complaint.qr_hint_link"
                                 : st->phone.buf[0] ? "complaint.qr_hint" : "complaint.qr_hint_anonymous"};
  kiosk_receipt_build(app, ui, area, &r);
}
