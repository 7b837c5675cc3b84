/* The receipt of an item release (receipt.c lays it out): the F- number
 * (or the queue number while it waits in the outbox), a QR code of it, the
 * promise (once the front desk approves, the code is read at 进度查询 with
 * the number and the phone's last four digits) and the day it is for. */
#include "kiosk_app.h"

void kiosk_release_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_release_state *st = &app->screens.release;
  const kiosk_outbox_answer *a = &st->answer;
  char promise[384], day[64], detail[128];
  kiosk_date_text(app, st->date, day, sizeof day);
  kiosk_sf(app, promise, sizeof promise,
           !a->queued ? "release.promise" : a->busy ? "release.promise_busy" : "release.promise_queued", NULL);
  /* The day on a line of its own, so a narrow banner never splits it. */
  kiosk_sf(app, detail, sizeof detail, "release.receipt_date", "date", day, NULL);
  kiosk_receipt r = {.queued = a->queued, .busy = a->busy, .number = a->number,
                     .heading_key = "release.done_heading", .number_label_key = "release.number_label",
                     .promise = promise, .detail = detail, .phone = st->phone.buf, .qr_prefix = "LOBBY-RELEASE",
                     .hint_key = a->queued ? "release.queued_hint" : "release.qr_hint"};
  kiosk_receipt_build(app, ui, area, &r);
}
