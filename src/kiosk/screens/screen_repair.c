/* Repair request: where (building -> unit -> room), what (category), how
 * urgent (with an appointment window), who (name and phone), the problem
 * (quick phrases or typing), a review page, and the ticket with its QR code
 * and the promised response. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_log.h"
#include "lobby_repair.h"
#include "lobby_text.h"
#include "lobby_time.h"

#define N_WINDOWS 3
static const int window_start[N_WINDOWS] = {9 * 60, 14 * 60, 18 * 60};
static const int window_end[N_WINDOWS] = {12 * 60, 18 * 60, 21 * 60};

enum { FIELD_NAME = KIOSK_CONTACT_NAME, FIELD_PHONE = KIOSK_CONTACT_PHONE, FIELD_DESC };

static const char *const step_names[REPAIR_STEP_COUNT] = {
  "repair-where", "repair-category", "repair-urgency", "repair-contact",
  "repair-desc", "repair-review", "repair-sending", "repair-done"};

static const char *repair_step_name(kiosk_app *app)
{
  return step_names[app->screens.repair.step];
}

static void repair_reset(kiosk_app *app)
{
  kiosk_repair_state *st = &app->screens.repair;
  kiosk_wipe(st, sizeof *st);
  st->building = st->unit = st->room = -1;
  st->category = st->urgency = st->day = st->window = -1;
  kiosk_field_init(&st->name, KIOSK_FIELD_NAME, 32);
  kiosk_field_init(&st->phone, KIOSK_FIELD_PHONE, 20);
  kiosk_field_init(&st->desc, KIOSK_FIELD_TEXT, 500);
}

static void repair_enter(kiosk_app *app)
{
  repair_reset(app);
  /* A building with one block skips a needless tap. */
  if (kiosk_api_dir_count(kiosk_feed_directory(app)) == 1)
    app->screens.repair.building = 0;
}

static void repair_leave(kiosk_app *app)
{
  repair_reset(app);
}

/* Window times for an appointment as ISO strings. */
static void window_times(kiosk_app *app, int day, int win, char *from, char *to)
{
  int64_t mid = lobby_time_local_midnight(kiosk_app_now(app), app->cfg.utc_offset_min) + (int64_t)day * 86400;
  lobby_time_format(mid + (int64_t)window_start[win] * 60, app->cfg.utc_offset_min, from);
  lobby_time_format(mid + (int64_t)window_end[win] * 60, app->cfg.utc_offset_min, to);
}

static bool window_open(kiosk_app *app, int day, int win)
{
  if (day > 0)
    return true;
  int64_t mid = lobby_time_local_midnight(kiosk_app_now(app), app->cfg.utc_offset_min);
  /* A window can still be booked up to an hour before it ends. */
  return kiosk_app_now(app) < mid + (int64_t)window_end[win] * 60 - 3600;
}

static void window_label(kiosk_app *app, int day, int win, char *out, size_t n)
{
  char key[32], dkey[32];
  snprintf(key, sizeof key, "window.%d", win);
  snprintf(dkey, sizeof dkey, "day.%d", day);
  kiosk_sf(app, out, n, "window.full", "day", kiosk_s(app, dkey), "window", kiosk_s(app, key), NULL);
}

static SDL_Rect step_top(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *prompt_key)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect pr;
  if (m->portrait) {
    kiosk_step_dots(app, ui, kiosk_rect_take_top(area, m->small * 2, m->gap / 2), (int)app->screens.repair.step, 6);
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
  } else {
    /* Landscape saves a row: the prompt and the progress share one. */
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
    SDL_Rect dots = {pr.x + pr.w * 3 / 5, pr.y, pr.w * 2 / 5, pr.h};
    pr.w = pr.w * 3 / 5 - m->gap;
    kiosk_step_dots(app, ui, dots, (int)app->screens.repair.step, 6);
  }
  kiosk_widget *p = kiosk_label(app, ui, pr, kiosk_s(app, prompt_key), m->title, true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  /* Landscape steps with a keyboard show the error above their fields
   * instead (split_form), so the keys keep their height. */
  bool keys = app->screens.repair.step == REPAIR_STEP_CONTACT || app->screens.repair.step == REPAIR_STEP_DESC;
  if (m->portrait || !keys)
    *area = kiosk_error_box(app, ui, *area);
  return *area;
}

static void build_where(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_repair_state *st = &app->screens.repair;
  step_top(app, ui, &area, "repair.where_prompt");
  area = kiosk_nav(app, ui, area, "nav.cancel", "nav.next", st->room >= 0 || st->unit == -2);
  kiosk_unit_picker(app, ui, area, st->building, st->unit, st->room, st->room_page, true);
}

static void build_category(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_repair_state *st = &app->screens.repair;
  step_top(app, ui, &area, "repair.category_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", st->category >= 0);
  int cols = m->portrait ? 2 : 4, rows = m->portrait ? 4 : 2;
  for (int i = 0; repair_category_names[i]; i++) {
    char key[48];
    snprintf(key, sizeof key, "repair_category.%s", repair_category_names[i]);
    SDL_Rect c = kiosk_grid_cell(area, cols, rows, i, m->gap);
    kiosk_widget *w = kiosk_choice(app, ui, c, kiosk_s(app, key), KIOSK_ACT_CATEGORY, i, i == st->category);
    w->icon = kiosk_repair_icon(i);
    w->icon_fg = i == st->category ? kiosk_rgb(0xFFFFFF) : kiosk_repair_color(i);
    w->font_px = m->title;
    if (c.h > m->button_h * 3 / 2)
      w->flags |= KF_ICON_TOP;
  }
}

static void build_urgency(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_repair_state *st = &app->screens.repair;
  step_top(app, ui, &area, "repair.urgency_prompt");
  bool ok = st->urgency == REPAIR_URGENCY_EMERGENCY || st->urgency == REPAIR_URGENCY_NORMAL ||
            (st->urgency == REPAIR_URGENCY_APPOINTMENT && st->day >= 0 && st->window >= 0);
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", ok);
  static const unsigned colors[3] = {0xB91C1C, 0x1D4ED8, 0x047857};
  static const kiosk_icon icons[3] = {ICON_ALERT, ICON_CHECK, ICON_CLOCK};
  /* Stacked in portrait; side by side in landscape, leaving room below for
   * the appointment window. */
  int bh = m->portrait ? m->button_h * 7 / 4 : m->button_h * 2;
  SDL_Rect row = m->portrait ? area : kiosk_rect_take_top(&area, bh, m->gap);
  for (int i = 0; i < REPAIR_URGENCY_COUNT; i++) {
    char key[48], hint[48], text[256];
    snprintf(key, sizeof key, "urgency.%s", repair_urgency_names[i]);
    snprintf(hint, sizeof hint, "urgency.%s.hint", repair_urgency_names[i]);
    snprintf(text, sizeof text, "%s\n%s", kiosk_s(app, key), kiosk_s(app, hint));
    SDL_Rect r = m->portrait ? kiosk_rect_take_top(&area, bh, m->gap) : kiosk_grid_cell(row, 3, 1, i, m->gap);
    kiosk_widget *w = kiosk_choice(app, ui, r, text, KIOSK_ACT_URGENCY, i, i == st->urgency);
    w->align = KA_LEFT;
    w->icon = icons[i];
    w->icon_fg = i == st->urgency ? kiosk_rgb(0xFFFFFF) : kiosk_rgb(colors[i]);
    w->pad = m->gap;
    w->font_px = m->body;
  }
  if (st->urgency != REPAIR_URGENCY_APPOINTMENT)
    return;
  SDL_Rect l = kiosk_rect_take_top(&area, m->small * 3 / 2, m->gap / 4);
  kiosk_label(app, ui, l, kiosk_s(app, "repair.window_prompt"), m->small, true, KIOSK_C_MUTED);
  /* Portrait: a row of days, then a row of windows.  Landscape has no
   * height to spare: days and windows share one row. */
  SDL_Rect days = kiosk_rect_take_top(&area, m->button_h, m->gap);
  SDL_Rect wins = days;
  if (m->portrait) {
    wins = kiosk_rect_take_top(&area, m->button_h, m->gap);
  } else {
    days = kiosk_rect_take_left(&wins, (wins.w - 4 * m->gap) * 2 / 5 + m->gap, m->gap * 2);
  }
  for (int d = 0; d < 2; d++) {
    char dkey[16];
    snprintf(dkey, sizeof dkey, "day.%d", d);
    kiosk_choice(app, ui, kiosk_grid_cell(days, 2, 1, d, m->gap), kiosk_s(app, dkey), KIOSK_ACT_DAY, d, d == st->day);
  }
  if (st->day < 0)
    return;
  for (int i = 0; i < N_WINDOWS; i++) {
    char wkey[16];
    snprintf(wkey, sizeof wkey, "window.%d", i);
    kiosk_widget *w = kiosk_choice(app, ui, kiosk_grid_cell(wins, N_WINDOWS, 1, i, m->gap), kiosk_s(app, wkey),
                                   KIOSK_ACT_WINDOW, i, i == st->window);
    w->font_px = m->small;
    if (!window_open(app, st->day, i)) {
      w->flags |= KF_DISABLED;
      w->bg = kiosk_rgb(0xE7E5E4);
      w->fg = kiosk_rgb(0x78716C);
    }
  }
}

/* Fields on one side, keyboard on the other (landscape) or below
 * (portrait). */
static void split_form(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, int fields_h, SDL_Rect *fields,
                       SDL_Rect *keys)
{
  kiosk_form_split(app, ui, area, fields_h, fields, keys);
}

static kiosk_contact contact(kiosk_app *app)
{
  kiosk_repair_state *st = &app->screens.repair;
  return (kiosk_contact){&st->name, &st->phone, &st->focus, &st->phrases, st->source};
}

static bool contact_valid(kiosk_app *app)
{
  kiosk_contact c = contact(app);
  return kiosk_contact_valid(app, &c);
}

static void build_contact(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  step_top(app, ui, &area, "repair.contact_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  kiosk_contact c = contact(app);
  kiosk_contact_build(app, ui, area, &c);
}

static void build_desc(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_repair_state *st = &app->screens.repair;
  step_top(app, ui, &area, "repair.desc_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  char key[64];
  snprintf(key, sizeof key, "phrases.repair.%s",
           st->category >= 0 ? repair_category_names[st->category] : "other");
  kiosk_src_phrases(&st->phrases, "src.phrases", kiosk_s(app, key), kiosk_s(app, "phrases.separator"));
  const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
  int n = kiosk_text_sources(&app->kb, srcs, &st->phrases);
  /* Portrait: the description grows into what the keyboard leaves, so a
   * long text stays visible above the keys. */
  int fields_h = m->button_h * 2 + m->small * 2;
  int kb_h = kiosk_keyboard_height(app, srcs, n, st->source);
  if (m->portrait && kb_h > 0 && area.h - kb_h - m->gap > fields_h)
    fields_h = area.h - kb_h - m->gap;
  SDL_Rect fields, keys;
  split_form(app, ui, area, fields_h, &fields, &keys);
  st->desc.error = strcmp(app->form.error_field, "description") == 0;
  kiosk_field_widget(app, ui, fields, "field.description", &st->desc, FIELD_DESC, true, NULL);
  app->form.focus = &st->desc;
  kiosk_keyboard(app, ui, keys, srcs, n, st->source);
}

static void review_row(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *label_key, const char *value,
                       int lines)
{
  const kiosk_metrics *m = &app->m;
  int lh = kiosk_text_line_height(app->text, m->body, false);
  SDL_Rect row = kiosk_rect_take_top(area, lh * lines + m->gap / 2, m->gap / 2);
  SDL_Rect lab = kiosk_rect_take_left(&row, row.w / 3, m->gap);
  kiosk_widget *l = kiosk_label(app, ui, lab, kiosk_s(app, label_key), m->body, false, KIOSK_C_MUTED);
  l->flags |= KF_SHRINK | KF_TOP;
  kiosk_widget *v = kiosk_label(app, ui, row, value, m->body, true, KIOSK_C_INK);
  v->flags |= KF_ELLIPSIS | KF_TOP | KF_PRIVATE;
  v->max_lines = lines;
}

static void build_review(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_repair_state *st = &app->screens.repair;
  step_top(app, ui, &area, "repair.review_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "repair.submit", true);
  kiosk_widget *card = kiosk_ui_add(ui, KW_PANEL, area, NULL);
  card->bg = kiosk_rgb(KIOSK_C_CARD);
  card->radius = m->radius;
  SDL_Rect in = kiosk_rect_inset(area, m->gap);
  char text[256], ckey[48], ukey[48], masked[32];
  kiosk_unit_text(app, st->building, st->unit, st->room, text, sizeof text);
  review_row(app, ui, &in, "review.unit", text, 1);
  snprintf(ckey, sizeof ckey, "repair_category.%s", repair_category_names[st->category]);
  review_row(app, ui, &in, "review.category", kiosk_s(app, ckey), 1);
  snprintf(ukey, sizeof ukey, "urgency.%s", repair_urgency_names[st->urgency]);
  if (st->urgency == REPAIR_URGENCY_APPOINTMENT) {
    char wl[96];
    window_label(app, st->day, st->window, wl, sizeof wl);
    kiosk_sf(app, text, sizeof text, "common.pair", "a", kiosk_s(app, ukey), "b", wl, NULL);
  } else {
    snprintf(text, sizeof text, "%s", kiosk_s(app, ukey));
  }
  review_row(app, ui, &in, "review.urgency", text, 1);
  review_row(app, ui, &in, "review.name", st->name.buf, 1);
  lobby_phone_mask(st->phone.buf, masked, sizeof masked);
  review_row(app, ui, &in, "review.phone", masked, 1);
  int lh = kiosk_text_line_height(app->text, m->body, false);
  int lines = (in.h - m->gap) / lh;
  review_row(app, ui, &in, "review.description", st->desc.buf, lines < 1 ? 1 : (lines > 6 ? 6 : lines));
}

static void build_sending(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_widget *w = kiosk_label(app, ui, area, kiosk_s(app, "repair.sending"), app->m.title, true, KIOSK_C_INK);
  w->align = KA_CENTER;
}

static void sla_text(kiosk_app *app, char *out, size_t n)
{
  kiosk_repair_state *st = &app->screens.repair;
  if (st->queued) {
    kiosk_sf(app, out, n, st->busy ? "sla.busy" : "sla.queued", NULL);
  } else if (st->urgency == REPAIR_URGENCY_EMERGENCY) {
    kiosk_sf(app, out, n, "sla.emergency", NULL);
  } else if (st->urgency == REPAIR_URGENCY_APPOINTMENT) {
    kiosk_sf(app, out, n, "sla.appointment", "window", st->window_text, NULL);
  } else if (!st->due_at[0]) {
    kiosk_sf(app, out, n, "sla.normal_today", NULL);
  } else {
    char when[64];
    kiosk_time_text(app, st->due_at, when, sizeof when);
    kiosk_sf(app, out, n, "sla.normal", "time", when, NULL);
  }
}

/* 朗读 (two fifths, when the kiosk has sound) and 完成 along the bottom. */
static void build_done_nav(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect row = kiosk_rect_take_bottom(area, m->button_h, m->gap);
  if (kiosk_app_can_read_aloud(app)) {
    SDL_Rect a = kiosk_grid_cell(row, 5, 1, 0, m->gap);
    a.w = a.w * 2 + m->gap;
    kiosk_read_aloud_button(app, ui, a);
    row.x += a.w + m->gap;
    row.w -= a.w + m->gap;
  }
  kiosk_button(app, ui, row, kiosk_s(app, "nav.done"), KIOSK_ACT_NEXT, 0, KIOSK_C_OK);
}

/* What 朗读 reads on the receipt: the heading, the ticket number (read
 * digit by digit, speech_text.c) and the promise. */
static void read_done_aloud(kiosk_app *app)
{
  kiosk_repair_state *st = &app->screens.repair;
  char sla[256], text[1024];
  sla_text(app, sla, sizeof sla);
  snprintf(text, sizeof text, "%s. %s %s. %s",
           kiosk_s(app, !st->queued ? "repair.done_heading" : st->busy ? "repair.busy_heading" : "repair.queued_heading"),
           kiosk_s(app, st->queued ? "repair.queue_label" : "repair.ticket_label"), st->ticket, sla);
  kiosk_app_toggle_read_aloud(app, text);
}

static void build_done(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_repair_state *st = &app->screens.repair;
  build_done_nav(app, ui, &area);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->title * 2, m->gap),
                                kiosk_s(app, !st->queued ? "repair.done_heading"
                                                         : st->busy ? "repair.busy_heading" : "repair.queued_heading"), m->title,
                                true, st->queued ? KIOSK_C_WARN : KIOSK_C_OK);
  h->icon = st->queued ? ICON_CLOCK : ICON_CHECK;
  h->icon_fg = h->fg;
  h->align = KA_CENTER;
  h->flags |= KF_SHRINK;
  kiosk_label(app, ui, kiosk_rect_take_top(&in, m->small * 3 / 2, 0),
              kiosk_s(app, st->queued ? "repair.queue_label" : "repair.ticket_label"),
              m->small, false, KIOSK_C_MUTED)->align = KA_CENTER;
  kiosk_widget *t = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->huge * 3 / 2, m->gap), st->ticket, m->huge,
                                true, KIOSK_C_INK);
  t->align = KA_CENTER;
  t->flags |= KF_SHRINK;
  char sla[256];
  sla_text(app, sla, sizeof sla);
  SDL_Rect sr = kiosk_rect_take_top(&in, m->body * 3, m->gap);
  kiosk_widget *s = kiosk_ui_add(ui, KW_BANNER, sr, sla);
  unsigned bg = st->queued ? 0xFEF3C7 : st->urgency == REPAIR_URGENCY_EMERGENCY ? 0xFEE2E2 : 0xDCFCE7;
  unsigned fg = st->queued ? 0x78350F : st->urgency == REPAIR_URGENCY_EMERGENCY ? 0x7F1D1D : 0x14532D;
  s->bg = kiosk_rgb(bg);
  s->fg = kiosk_rgb(fg);
  s->font_px = m->body;
  s->bold = true;
  s->radius = m->radius / 2;
  s->pad = m->gap / 2;
  s->align = KA_CENTER;
  s->flags |= KF_SHRINK;
  SDL_Rect hint = kiosk_rect_take_bottom(&in, m->small * 3, m->gap);
  const char *hint_key = st->queued ? "repair.queued_hint" : st->follow_url[0] ? "repair.qr_hint_link" : "repair.qr_hint";
  kiosk_widget *hw = kiosk_label(app, ui, hint, kiosk_s(app, hint_key), m->small, false, KIOSK_C_MUTED);
  hw->align = KA_CENTER;
  hw->flags |= KF_SHRINK;
  int side = in.h < in.w ? in.h : in.w;
  kiosk_receipt_qr(ui, (SDL_Rect){in.x + (in.w - side) / 2, in.y, side, side},
                   st->queued ? NULL : st->follow_url, "LOBBY-REPAIR", st->ticket);
}

static void repair_build(kiosk_app *app, kiosk_ui *ui)
{
  SDL_Rect area = kiosk_frame(app, ui, "repair.title", app->screens.repair.step != REPAIR_STEP_DONE);
  switch (app->screens.repair.step) {
  case REPAIR_STEP_WHERE: build_where(app, ui, area); break;
  case REPAIR_STEP_CATEGORY: build_category(app, ui, area); break;
  case REPAIR_STEP_URGENCY: build_urgency(app, ui, area); break;
  case REPAIR_STEP_CONTACT: build_contact(app, ui, area); break;
  case REPAIR_STEP_DESC: build_desc(app, ui, area); break;
  case REPAIR_STEP_REVIEW: build_review(app, ui, area); break;
  case REPAIR_STEP_SENDING: build_sending(app, ui, area); break;
  case REPAIR_STEP_DONE: build_done(app, ui, area); break;
  default: break;
  }
}

static lobby_err submit(kiosk_app *app)
{
  kiosk_repair_state *st = &app->screens.repair;
  const char *b, *u, *r;
  if (!kiosk_unit_codes(app, st->building, st->unit, st->room, &b, &u, &r))
    return LOBBY_EINVAL;
  kiosk_api_repair in = {.building = b, .unit = u, .room = r, .name = st->name.buf, .phone = st->phone.buf,
                        .category = repair_category_names[st->category],
                        .kind = st->unit == -2 ? "public_area" : "in_unit",
                        .urgency = repair_urgency_names[st->urgency], .description = st->desc.buf};
  char from[LOBBY_ISO_LEN], to[LOBBY_ISO_LEN];
  if (st->urgency == REPAIR_URGENCY_APPOINTMENT) {
    window_times(app, st->day, st->window, from, to);
    in.preferred_from = from;
    in.preferred_to = to;
    window_label(app, st->day, st->window, st->window_text, sizeof st->window_text);
  }
  return kiosk_api_repair_submit(app->link.net, &in, &st->req);
}

static void next(kiosk_app *app)
{
  kiosk_repair_state *st = &app->screens.repair;
  kiosk_app_clear_error(app);
  switch (st->step) {
  case REPAIR_STEP_WHERE:
    if (st->room >= 0 || st->unit == -2)
      st->step = REPAIR_STEP_CATEGORY;
    break;
  case REPAIR_STEP_CATEGORY:
    if (st->category >= 0)
      st->step = REPAIR_STEP_URGENCY;
    break;
  case REPAIR_STEP_URGENCY:
    st->step = REPAIR_STEP_CONTACT;
    st->source = 0;
    break;
  case REPAIR_STEP_CONTACT:
    if (contact_valid(app)) {
      st->step = REPAIR_STEP_DESC;
      st->source = 0;
    }
    break;
  case REPAIR_STEP_DESC:
    if (lobby_text_check(st->desc.buf, 1, 500, true) != LOBBY_OK)
      kiosk_app_error_key(app, "err.local.description", "description");
    else
      st->step = REPAIR_STEP_REVIEW;
    break;
  case REPAIR_STEP_REVIEW:
    st->step = REPAIR_STEP_SENDING;
    if (submit(app) != LOBBY_OK) {
      st->step = REPAIR_STEP_REVIEW;
      kiosk_app_error_key(app, "err.network", NULL);
    }
    break;
  case REPAIR_STEP_DONE:
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    break;
  default:
    break;
  }
}

static void back(kiosk_app *app)
{
  kiosk_repair_state *st = &app->screens.repair;
  kiosk_app_clear_error(app);
  if (st->step == REPAIR_STEP_WHERE || st->step == REPAIR_STEP_DONE)
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
  else if (st->step != REPAIR_STEP_SENDING) {
    st->step--;
    st->source = 0;
  }
}

static void repair_action(kiosk_app *app, int action, int arg)
{
  kiosk_repair_state *st = &app->screens.repair;
  switch (action) {
  case KIOSK_ACT_NEXT: next(app); break;
  case KIOSK_ACT_BACK: back(app); break;
  case KIOSK_ACT_PICK_BUILDING:
    st->building = arg;
    st->unit = st->room = -1;
    st->room_page = 0;
    break;
  case KIOSK_ACT_PICK_UNIT:
    st->unit = arg;
    st->room = -1;
    st->room_page = 0;
    break;
  case KIOSK_ACT_PICK_ROOM: st->room = arg; break;
  case KIOSK_ACT_PAGE: st->room_page = arg < 0 ? 0 : arg; break;
  case KIOSK_ACT_CATEGORY: st->category = arg; break;
  case KIOSK_ACT_URGENCY:
    st->urgency = arg;
    if (arg != REPAIR_URGENCY_APPOINTMENT)
      st->day = st->window = -1;
    break;
  case KIOSK_ACT_DAY:
    st->day = arg;
    if (st->window >= 0 && !window_open(app, arg, st->window))
      st->window = -1;
    break;
  case KIOSK_ACT_WINDOW: st->window = arg; break;
  case KIOSK_ACT_FIELD:
    if (arg != st->focus)
      st->source = 0;
    st->focus = arg == FIELD_PHONE ? FIELD_PHONE : FIELD_NAME;
    break;
  case KIOSK_ACT_SOURCE: st->source = arg; break;
  case KIOSK_ACT_READ_ALOUD:
    if (st->step == REPAIR_STEP_DONE)
      read_done_aloud(app);
    break;
  default: break;
  }
}

/* A server error sends the person back to the step holding the field. */
static kiosk_repair_step step_for_field(const char *field)
{
  if (!strcmp(field, "name") || !strcmp(field, "phone"))
    return REPAIR_STEP_CONTACT;
  if (!strcmp(field, "description"))
    return REPAIR_STEP_DESC;
  if (!strcmp(field, "preferred_time") || !strcmp(field, "urgency"))
    return REPAIR_STEP_URGENCY;
  if (!strcmp(field, "category") || !strcmp(field, "kind"))
    return REPAIR_STEP_CATEGORY;
  if (!strncmp(field, "unit", 4))
    return REPAIR_STEP_WHERE;
  return REPAIR_STEP_REVIEW;
}

/* Says once in the log when receipts' QR codes carry the number only. */
static void note_follow_link(const char *follow_url)
{
  static bool said;
  if (follow_url[0] || said)
    return;
  said = true;
  LOBBY_INFO("repair receipts' QR codes carry the ticket number only: lobbyd sent no follow link "
             "(set [server] public_url in lobbyd.ini for scan-to-follow)");
}

static void repair_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_repair_state *st = &app->screens.repair;
  kiosk_api_ref_status ref;
  if (ev->kind == KIOSK_EV_OUTBOX && st->queued && st->step == REPAIR_STEP_DONE &&
      strcmp(ev->provisional_ref, st->ticket) == 0 && kiosk_api_parse_ref_status(ev, &ref) == LOBBY_OK) {
    /* The queued request just went through: show its real ticket. */
    if (ref.ticket[0]) {
      snprintf(st->ticket, sizeof st->ticket, "%s", ref.ticket);
      snprintf(st->follow_url, sizeof st->follow_url, "%s", ref.follow_url);
      st->queued = false;
    }
    return;
  }
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != st->req || st->step != REPAIR_STEP_SENDING)
    return;
  if (ev->state == KIOSK_RESULT_QUEUED) {
    st->queued = true;
    st->busy = ev->http_status == 429;
    snprintf(st->ticket, sizeof st->ticket, "%s", ev->provisional_ref);
    st->step = REPAIR_STEP_DONE;
    return;
  }
  kiosk_api_repair_receipt receipt;
  if (kiosk_api_parse_repair_receipt(ev, &receipt) == LOBBY_OK) {
    snprintf(st->ticket, sizeof st->ticket, "%s", receipt.ticket);
    snprintf(st->due_at, sizeof st->due_at, "%s", receipt.due_at);
    snprintf(st->follow_url, sizeof st->follow_url, "%s", receipt.follow_url);
    note_follow_link(receipt.follow_url);
    st->step = REPAIR_STEP_DONE;
    return;
  }
  kiosk_app_error_from_result(app, ev, "repair");
  st->step = step_for_field(app->form.error_field);
  if (st->step == REPAIR_STEP_CONTACT)
    st->focus = strcmp(app->form.error_field, "phone") == 0 ? FIELD_PHONE : FIELD_NAME;
}

const kiosk_screen kiosk_screen_repair = {
  .name = "repair", .form = true, .enter = repair_enter, .leave = repair_leave, .build = repair_build,
  .action = repair_action, .result = repair_result, .step_name = repair_step_name};
