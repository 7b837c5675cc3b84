/* The night screen ([display] night): black, with a large dim clock, the
 * date, the 24-hour service phone and how to wake the screen.  It moves a
 * little every few minutes so that nothing stays lit on the same pixels
 * all night; it changes only when the minute turns. */
#include "kiosk_app.h"
#include "lobby_time.h"

/* Where the block sits this slot: a few margins either way, in an order
 * that does not look like a slide. */
static void drift(const kiosk_app *app, int *dx, int *dy)
{
  int64_t slot = kiosk_app_now(app) / (3 * 60);
  int a = (int)(slot % 9), b = (int)(slot % 11);
  *dx = ((a * 4) % 9 - 4) * app->m.margin / 2;
  *dy = ((b * 7) % 11 - 5) * app->m.margin;
}

static kiosk_widget *dim_text(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int px, unsigned fg)
{
  kiosk_widget *w = kiosk_label(app, ui, r, text, px, false, fg);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
  return w;
}

static void night_build(kiosk_app *app, kiosk_ui *ui)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *bg = kiosk_ui_add(ui, KW_PANEL, (SDL_Rect){0, 0, m->w, m->h}, NULL);
  bg->bg = kiosk_rgb(0x000000);
  lobby_civil c;
  lobby_time_local(kiosk_app_now(app), app->cfg.utc_offset_min, &c);
  char clock[8], y[8], mo[4], d[4], wkey[16], mkey[16], date[96], phone_text[160];
  snprintf(clock, sizeof clock, "%02d:%02d", c.hour % 100, c.minute % 100);
  snprintf(y, sizeof y, "%d", c.year % 10000);
  snprintf(mo, sizeof mo, "%d", c.month % 100);
  snprintf(d, sizeof d, "%d", c.day % 100);
  snprintf(wkey, sizeof wkey, "weekday.%d", c.weekday % 7);
  snprintf(mkey, sizeof mkey, "month.%s", mo);
  kiosk_sf(app, date, sizeof date, "home.date", "y", y, "m", mo, "mon", kiosk_s(app, mkey), "d", d, "wd",
           kiosk_s(app, wkey), NULL);
  const char *phone = kiosk_feed_str(app, "site", "service_phone");
  kiosk_sf(app, phone_text, sizeof phone_text, "home.service_phone", "phone",
           *phone ? phone : kiosk_s(app, "common.none"), NULL);
  int clock_px = m->huge * 2, clock_h = clock_px * 3 / 2;
  int line_h = m->body * 2;
  int block_h = clock_h + 3 * line_h + 2 * m->gap;
  int dx, dy;
  drift(app, &dx, &dy);
  SDL_Rect in = {m->margin * 3 + dx, (m->h - block_h) / 2 + dy, m->w - m->margin * 6, block_h};
  /* Grey on black: readable across the lobby, never a lit panel. */
  dim_text(app, ui, kiosk_rect_take_top(&in, clock_h, m->gap), clock, clock_px, 0x5A5A5A);
  dim_text(app, ui, kiosk_rect_take_top(&in, line_h, 0), date, m->body, 0x4A4A4A);
  dim_text(app, ui, kiosk_rect_take_top(&in, line_h, m->gap), phone_text, m->body, 0x4A4A4A);
  dim_text(app, ui, kiosk_rect_take_top(&in, line_h, 0), kiosk_s(app, "night.wake"), m->small, 0x3A3A3A);
}

const kiosk_screen kiosk_screen_night = {.name = "night", .build = night_build};
