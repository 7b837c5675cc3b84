/* Visitor check-in: contact, host (a unit or a company), purpose, party
 * size and plate, then the pass, or a waiting screen while the host or the
 * front desk approves, or the invite-code path. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_domain.h"
#include "lobby_log.h"
#include "lobby_text.h"

enum { FIELD_NAME = KIOSK_CONTACT_NAME, FIELD_PHONE = KIOSK_CONTACT_PHONE, FIELD_COMPANY, FIELD_PLATE, FIELD_INVITE };

#define WAIT_S 50
#define WAIT_MAX_MS (15 * 60 * 1000)
#define RETRY_MS 3000

static const char *const step_names[VISIT_STEP_COUNT] = {
  "visit-start", "visit-contact", "visit-host", "visit-details", "visit-plate", "visit-review", "visit-sending",
  "visit-waiting", "visit-pass", "visit-refused", "visit-queued", "visit-invite", "visit-cancelled"};

static const char *visit_step_name(kiosk_app *app) { return step_names[app->screens.visit.step]; }

static void visit_reset(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  if (app->link.net && st->approval.poll_req)
    kiosk_net_cancel(app->link.net, st->approval.poll_req);
  kiosk_wipe(st, sizeof *st);
  kiosk_field_init(&st->name, KIOSK_FIELD_NAME, 32);
  kiosk_field_init(&st->phone, KIOSK_FIELD_PHONE, 20);
  kiosk_field_init(&st->company, KIOSK_FIELD_TEXT, 60);
  kiosk_field_init(&st->plate, KIOSK_FIELD_PLATE, 10);
  kiosk_field_init(&st->invite, KIOSK_FIELD_CODE, LOBBY_INVITE_CODE_LEN);
  st->host.building = st->host.unit = st->host.room = -1;
  st->purpose = -1;
  st->party = 1;
}

static void visit_enter(kiosk_app *app)
{
  visit_reset(app);
  if (kiosk_api_dir_count(kiosk_feed_directory(app)) == 1)
    app->screens.visit.host.building = 0;
}

static void cancel_waiting(kiosk_app *app);

static void visit_leave(kiosk_app *app)
{
  /* Leaving the waiting screen (home, idle) gives the visit up, as the
   * cancel button does, so the host is not asked about nobody. */
  if (app->screens.visit.step == VISIT_STEP_WAITING)
    cancel_waiting(app);
  visit_reset(app);
}

static void prompt(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *key, int step)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect pr;
  if (m->portrait || step < 0) {
    if (step >= 0)
      kiosk_step_dots(app, ui, kiosk_rect_take_top(area, m->small * 2, m->gap / 2), step, 5);
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
  } else {
    /* Landscape saves a row: the prompt and the progress share one. */
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
    SDL_Rect dots = {pr.x + pr.w * 3 / 5, pr.y, pr.w * 2 / 5, pr.h};
    pr.w = pr.w * 3 / 5 - m->gap;
    kiosk_step_dots(app, ui, dots, step, 5);
  }
  kiosk_widget *p = kiosk_label(app, ui, pr, kiosk_s(app, key), m->title, true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  kiosk_visit_state *st = &app->screens.visit;
  bool keys = st->step == VISIT_STEP_CONTACT || st->step == VISIT_STEP_PLATE || st->step == VISIT_STEP_INVITE ||
              (st->step == VISIT_STEP_HOST && st->host.mode == 1);
  /* Landscape steps with a keyboard show the error above their fields. */
  if (m->portrait || !keys)
    *area = kiosk_error_box(app, ui, *area);
}

static void split(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, int fields_h, SDL_Rect *fields, SDL_Rect *keys)
{
  kiosk_form_split(app, ui, area, fields_h, fields, keys);
}

static int field_h(kiosk_app *app)
{
  return app->m.small * 3 / 2 + app->m.gap / 4 + app->m.button_h;
}

/* One of the start step's big choices: the icon above the label. */
static void start_choice(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *key, int action, int arg,
                         unsigned color, kiosk_icon icon)
{
  kiosk_widget *w = kiosk_button(app, ui, r, kiosk_s(app, key), action, arg, color);
  w->icon = icon;
  w->font_px = app->m.title;
  w->flags |= KF_ICON_TOP | KF_SHRINK;
}

/* The visitor's two ways in, then the contractor worker's: workers sign
 * in and out here (and from 访客离开), the home screen keeping its six. */
static void build_start(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  prompt(app, ui, &area, "visit.start_prompt", -1);
  area = kiosk_nav(app, ui, area, "nav.cancel", NULL, false);
  int bh = (area.h - 2 * m->gap) / 3;
  if (bh > m->button_h * 3)
    bh = m->button_h * 3;
  /* The three choices sit in the middle of the space, not at its top. */
  int spare = area.h - 3 * bh - 2 * m->gap;
  if (spare > 0) {
    area.y += spare / 3;
    area.h -= spare / 3;
  }
  start_choice(app, ui, kiosk_rect_take_top(&area, bh, m->gap), "visit.register", KIOSK_ACT_NEXT, 0, KIOSK_C_OK,
               ICON_VISITOR_IN);
  start_choice(app, ui, kiosk_rect_take_top(&area, bh, m->gap), "visit.have_invite", KIOSK_ACT_INVITE, 0,
               KIOSK_C_ACCENT, ICON_CHECK);
  start_choice(app, ui, kiosk_rect_take_top(&area, bh, m->gap), "worker.way_in", KIOSK_ACT_GO, KIOSK_SCREEN_WORKER,
               KIOSK_WORKER_COLOR, ICON_WORKS);
}

static kiosk_contact contact(kiosk_app *app)
{
  static kiosk_input_source surnames;
  kiosk_visit_state *st = &app->screens.visit;
  return (kiosk_contact){&st->name, &st->phone, &st->focus, &surnames, st->source};
}

static bool contact_valid(kiosk_app *app)
{
  kiosk_contact c = contact(app);
  return kiosk_contact_valid(app, &c);
}

static void build_contact(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  prompt(app, ui, &area, "visit.contact_prompt", 0);
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  kiosk_contact c = contact(app);
  kiosk_contact_build(app, ui, area, &c);
}

static void build_host(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  prompt(app, ui, &area, "visit.host_prompt", 1);
  /* A pending composition counts: 下一步 commits its first candidate. */
  bool ok = st->host.mode == 0 ? st->host.room >= 0 : st->company.buf[0] != '\0' || kiosk_keyboard_composing(&app->kb);
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", ok);
  /* Landscape with the keyboard: the mode choice sits above the field in
   * the left column, so the keys get the full height. */
  bool modes_left = !m->portrait && st->host.mode == 1;
  SDL_Rect fields, keys;
  if (modes_left)
    split(app, ui, area, field_h(app), &fields, &keys);
  SDL_Rect *modes_from = modes_left ? &fields : &area;
  SDL_Rect modes = kiosk_rect_take_top(modes_from, m->button_h * 4 / 5, m->gap);
  kiosk_choice(app, ui, kiosk_grid_cell(modes, 2, 1, 0, m->gap), kiosk_s(app, "visit.host_resident"),
               KIOSK_ACT_HOST_MODE, 0, st->host.mode == 0);
  kiosk_choice(app, ui, kiosk_grid_cell(modes, 2, 1, 1, m->gap), kiosk_s(app, "visit.host_company"),
               KIOSK_ACT_HOST_MODE, 1, st->host.mode == 1);
  if (st->host.mode == 0) {
    kiosk_unit_picker(app, ui, area, st->host.building, st->host.unit, st->host.room, st->host.room_page, false);
    return;
  }
  if (!modes_left)
    split(app, ui, area, field_h(app), &fields, &keys);
  st->company.error = !strcmp(app->form.error_field, "host");
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, field_h(app), m->gap), "field.company", &st->company,
                     FIELD_COMPANY, true, NULL);
  app->form.focus = &st->company;
  const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
  int n = kiosk_text_sources(&app->kb, srcs, NULL);
  kiosk_keyboard(app, ui, keys, srcs, n, st->source);
}

static void build_details(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  prompt(app, ui, &area, "visit.details_prompt", 2);
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", st->purpose >= 0);
  SDL_Rect l = kiosk_rect_take_top(&area, m->small * 3 / 2, m->gap / 4);
  kiosk_label(app, ui, l, kiosk_s(app, "visit.purpose"), m->small, true, KIOSK_C_MUTED);
  int n = 0;
  while (visit_purpose_names[n])
    n++;
  int cols = m->portrait ? 3 : 5, rows = (n + cols - 1) / cols;
  SDL_Rect grid = kiosk_rect_take_top(&area, rows * m->button_h + (rows - 1) * m->gap / 2, m->gap);
  for (int i = 0; i < n; i++) {
    char key[48];
    snprintf(key, sizeof key, "purpose.%s", visit_purpose_names[i]);
    kiosk_choice(app, ui, kiosk_grid_cell(grid, cols, rows, i, m->gap / 2), kiosk_s(app, key), KIOSK_ACT_PURPOSE, i,
                 i == st->purpose);
  }
  SDL_Rect row = kiosk_rect_take_top(&area, m->button_h + m->small * 3 / 2, m->gap);
  SDL_Rect party = kiosk_rect_take_left(&row, m->portrait ? row.w : row.w / 2 - m->gap, m->gap);
  kiosk_label(app, ui, kiosk_rect_take_top(&party, m->small * 3 / 2, m->gap / 4), kiosk_s(app, "visit.party"),
              m->small, true, KIOSK_C_MUTED);
  SDL_Rect minus = kiosk_rect_take_left(&party, m->button_h * 3 / 2, m->gap);
  SDL_Rect plus = {party.x + party.w - m->button_h * 3 / 2, party.y, m->button_h * 3 / 2, party.h};
  party.w -= plus.w + m->gap;
  kiosk_widget *w = kiosk_button(app, ui, minus, "\xE2\x88\x92", KIOSK_ACT_PARTY, -1, 0xE5E7EB);
  w->font_px = m->title;
  if (st->party <= 1)
    w->flags |= KF_DISABLED;
  char num[32];
  snprintf(num, sizeof num, "%d", st->party);
  char ptext[64];
  kiosk_sf(app, ptext, sizeof ptext, "visit.party_n", "n", num, NULL);
  w = kiosk_label(app, ui, party, ptext, m->title, true, KIOSK_C_INK);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK;
  w = kiosk_button(app, ui, plus, "+", KIOSK_ACT_PARTY, 1, 0xE5E7EB);
  w->font_px = m->title;
  if (st->party >= VISIT_PARTY_MAX)
    w->flags |= KF_DISABLED;
}

static void build_plate(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  prompt(app, ui, &area, "visit.plate_prompt", 3);
  area = kiosk_nav(app, ui, area, "nav.prev", st->plate.buf[0] ? "nav.next" : "visit.no_car", true);
  SDL_Rect fields, keys;
  split(app, ui, area, field_h(app), &fields, &keys);
  st->plate.error = !strcmp(app->form.error_field, "plate");
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, field_h(app), m->gap), "field.plate", &st->plate,
                     FIELD_PLATE, true, NULL);
  app->form.focus = &st->plate;
  static kiosk_input_source provinces;
  kiosk_src_phrases(&provinces, "src.provinces", kiosk_s(app, "phrases.provinces"), "");
  /* Plates start with a province, then letters and digits. */
  const kiosk_input_source *srcs[] = {&provinces, &kiosk_src_abc, &kiosk_src_num};
  kiosk_keyboard(app, ui, keys, srcs, 3, st->source);
}

static void host_text(kiosk_app *app, char *out, size_t n)
{
  kiosk_visit_state *st = &app->screens.visit;
  if (st->host.mode == 1)
    snprintf(out, n, "%.*s", (int)(n - 1), st->company.buf);
  else
    kiosk_unit_text(app, st->host.building, st->host.unit, st->host.room, out, n);
}

static void review_row(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *label_key, const char *value)
{
  const kiosk_metrics *m = &app->m;
  int lh = kiosk_text_line_height(app->text, m->body, false);
  SDL_Rect row = kiosk_rect_take_top(area, lh + m->gap / 2, m->gap / 2);
  SDL_Rect lab = kiosk_rect_take_left(&row, row.w / 3, m->gap);
  kiosk_label(app, ui, lab, kiosk_s(app, label_key), m->body, false, KIOSK_C_MUTED)->flags |= KF_SHRINK;
  kiosk_widget *v = kiosk_label(app, ui, row, value, m->body, true, KIOSK_C_INK);
  v->flags |= KF_ELLIPSIS | KF_PRIVATE;
  v->max_lines = 1;
}

static void build_review(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  prompt(app, ui, &area, "visit.review_prompt", 4);
  area = kiosk_nav(app, ui, area, "nav.prev", "visit.submit", true);
  kiosk_widget *card = kiosk_ui_add(ui, KW_PANEL, area, NULL);
  card->bg = kiosk_rgb(KIOSK_C_CARD);
  card->radius = m->radius;
  SDL_Rect in = kiosk_rect_inset(area, m->gap);
  char text[256], key[48], masked[32], num[16];
  review_row(app, ui, &in, "review.name", st->name.buf);
  lobby_phone_mask(st->phone.buf, masked, sizeof masked);
  review_row(app, ui, &in, "review.phone", masked);
  host_text(app, text, sizeof text);
  review_row(app, ui, &in, "review.host", text);
  snprintf(key, sizeof key, "purpose.%s", visit_purpose_names[st->purpose]);
  review_row(app, ui, &in, "review.purpose", kiosk_s(app, key));
  snprintf(num, sizeof num, "%d", st->party);
  kiosk_sf(app, text, sizeof text, "visit.party_n", "n", num, NULL);
  review_row(app, ui, &in, "review.party", text);
  review_row(app, ui, &in, "review.plate", st->plate.buf[0] ? st->plate.buf : kiosk_s(app, "review.none"));
}

static void big_message(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in, const char *text, unsigned color,
                        kiosk_icon icon)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(in, m->title * 2, m->gap), text, m->title, true, color);
  h->icon = icon;
  h->icon_fg = h->fg;
  h->align = KA_CENTER;
  h->flags |= KF_SHRINK;
}

static void build_pass(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  area = kiosk_nav(app, ui, area, NULL, "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  big_message(app, ui, &in, kiosk_s(app, "visit.pass_heading"), KIOSK_C_OK, ICON_CHECK);
  kiosk_label(app, ui, kiosk_rect_take_top(&in, m->small * 3 / 2, 0), kiosk_s(app, "visit.pass_label"), m->small,
              false, KIOSK_C_MUTED)->align = KA_CENTER;
  kiosk_widget *c = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->huge * 2, m->gap), st->answer.pass_code, m->huge * 3 / 2,
                                true, KIOSK_C_INK);
  c->align = KA_CENTER;
  c->flags |= KF_SHRINK;
  SDL_Rect rem = kiosk_rect_take_bottom(&in, m->body * 3, m->gap);
  kiosk_widget *r = kiosk_ui_add(ui, KW_BANNER, rem, kiosk_s(app, "visit.signout_reminder"));
  r->bg = kiosk_rgb(0xFEF3C7);
  r->fg = kiosk_rgb(0x78350F);
  r->font_px = m->body;
  r->bold = true;
  r->radius = m->radius / 2;
  r->pad = m->gap / 2;
  r->align = KA_CENTER;
  r->icon = ICON_VISITOR_OUT;
  r->icon_fg = r->fg;
  r->flags |= KF_SHRINK;
  /* The pass page's link (a guard checks it on the visitor's phone). */
  int side = in.h < in.w ? in.h : in.w;
  kiosk_receipt_qr(ui, (SDL_Rect){in.x + (in.w - side) / 2, in.y, side, side}, st->answer.follow_url,
                   "LOBBY-VISIT", st->answer.pass_code);
}

static void build_waiting(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  area = kiosk_nav(app, ui, area, "visit.cancel", NULL, false);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  big_message(app, ui, &in, kiosk_s(app, "visit.waiting_heading"), KIOSK_C_WARN, ICON_CLOCK);
  kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->body * 3, m->gap), kiosk_s(app, "visit.waiting_body"),
                                m->body, false, KIOSK_C_MUTED);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK;
  /* A large clock and a running count show that something is happening. */
  char secs[16], text[64];
  st->approval.shown_wait_s = (int)((kiosk_app_ms(app) - st->approval.wait_started_ms) / 1000);
  snprintf(secs, sizeof secs, "%d", st->approval.shown_wait_s);
  kiosk_sf(app, text, sizeof text, "visit.waited", "n", secs, NULL);
  SDL_Rect count = kiosk_rect_take_bottom(&in, m->body * 2, m->gap);
  kiosk_widget *c = kiosk_label(app, ui, count, text, m->body, true, KIOSK_C_INK);
  c->align = KA_CENTER;
  int side = in.h < in.w / 2 ? in.h : in.w / 2;
  if (side > m->button_h * 3)
    side = m->button_h * 3;
  kiosk_widget *ic = kiosk_ui_add(ui, KW_ICON, (SDL_Rect){in.x + (in.w - side) / 2, in.y + (in.h - side) / 2, side, side},
                                  NULL);
  ic->icon = ICON_CLOCK;
  ic->icon_fg = kiosk_rgb(0xF59E0B);
}

static void build_message(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const char *head, const char *body,
                          unsigned color, kiosk_icon icon)
{
  const kiosk_metrics *m = &app->m;
  area = kiosk_nav(app, ui, area, NULL, "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  big_message(app, ui, &in, head, color, icon);
  kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->body * 8, m->gap), body, m->body, false,
                                KIOSK_C_INK);
  w->align = KA_CENTER;
  w->flags |= KF_SHRINK;
}

static void build_invite(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_visit_state *st = &app->screens.visit;
  prompt(app, ui, &area, "visit.invite_prompt", -1);
  area = kiosk_nav(app, ui, area, "nav.prev", "visit.invite_submit", true);
  SDL_Rect fields, keys;
  split(app, ui, area, field_h(app), &fields, &keys);
  st->invite.error = !strcmp(app->form.error_field, "invite_code");
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, field_h(app), m->gap), "field.invite", &st->invite,
                     FIELD_INVITE, true, NULL);
  app->form.focus = &st->invite;
  const kiosk_input_source *srcs[] = {&kiosk_src_code};
  kiosk_keyboard(app, ui, keys, srcs, 1, 0);
}

static void visit_build(kiosk_app *app, kiosk_ui *ui)
{
  kiosk_visit_state *st = &app->screens.visit;
  bool back = st->step < VISIT_STEP_SENDING || st->step == VISIT_STEP_INVITE;
  SDL_Rect area = kiosk_frame(app, ui, "visit.title", back);
  char text[512];
  switch (st->step) {
  case VISIT_STEP_START: build_start(app, ui, area); break;
  case VISIT_STEP_CONTACT: build_contact(app, ui, area); break;
  case VISIT_STEP_HOST: build_host(app, ui, area); break;
  case VISIT_STEP_DETAILS: build_details(app, ui, area); break;
  case VISIT_STEP_PLATE: build_plate(app, ui, area); break;
  case VISIT_STEP_REVIEW: build_review(app, ui, area); break;
  case VISIT_STEP_SENDING:
    kiosk_label(app, ui, area, kiosk_s(app, "visit.sending"), app->m.title, true, KIOSK_C_INK)->align = KA_CENTER;
    break;
  case VISIT_STEP_WAITING: build_waiting(app, ui, area); break;
  case VISIT_STEP_PASS: build_pass(app, ui, area); break;
  case VISIT_STEP_REFUSED:
    kiosk_sf(app, text, sizeof text, st->answer.reason[0] ? "visit.refused_body" : "visit.refused_body_noreason", "reason",
             st->answer.reason, NULL);
    build_message(app, ui, area, kiosk_s(app, "visit.refused_heading"), text, KIOSK_C_ERROR, ICON_ALERT);
    break;
  case VISIT_STEP_QUEUED:
    kiosk_sf(app, text, sizeof text, st->answer.busy ? "visit.busy_body" : "visit.queued_body", "ref",
             st->answer.provisional, NULL);
    build_message(app, ui, area, kiosk_s(app, st->answer.busy ? "visit.busy_heading" : "visit.queued_heading"),
                  text, KIOSK_C_WARN, ICON_CLOCK);
    break;
  case VISIT_STEP_INVITE: build_invite(app, ui, area); break;
  case VISIT_STEP_CANCELLED:
    build_message(app, ui, area, kiosk_s(app, "visit.cancelled_heading"), kiosk_s(app, "visit.cancelled_body"),
                  KIOSK_C_MUTED, ICON_INFO);
    break;
  default: break;
  }
}

static lobby_err submit(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  char host[KIOSK_FIELD_CAP];
  if (st->host.mode == 1) {
    snprintf(host, sizeof host, "%s", st->company.buf);
  } else {
    const char *b, *u, *r;
    if (!kiosk_unit_codes(app, st->host.building, st->host.unit, st->host.room, &b, &u, &r))
      return LOBBY_EINVAL;
    snprintf(host, sizeof host, "%s-%s-%s", b, u, r);
  }
  kiosk_api_visit visit = {.name = st->name.buf, .phone = st->phone.buf, .host = host,
                           .purpose = visit_purpose_names[st->purpose], .party_size = st->party,
                           .plate = st->plate.buf};
  lobby_err err = kiosk_api_visit_submit(app->link.net, &visit, &st->req);
  kiosk_wipe(host, sizeof host);
  return err;
}

static lobby_err submit_invite(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  return kiosk_api_invite_checkin(app->link.net, st->invite.buf, &st->req);
}

static void next(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  kiosk_app_clear_error(app);
  switch (st->step) {
  case VISIT_STEP_START: st->step = VISIT_STEP_CONTACT; st->focus = FIELD_NAME; st->source = 0; break;
  case VISIT_STEP_CONTACT:
    if (contact_valid(app))
      st->step = VISIT_STEP_HOST;
    break;
  case VISIT_STEP_HOST:
    if (st->host.mode == 1 && lobby_text_check(st->company.buf, 1, 60, false) != LOBBY_OK)
      kiosk_app_error_key(app, "err.local.host", "host");
    else if (st->host.mode == 1 || st->host.room >= 0) {
      st->step = VISIT_STEP_DETAILS;
      st->source = 0;
    }
    break;
  case VISIT_STEP_DETAILS:
    if (st->purpose >= 0) {
      st->step = VISIT_STEP_PLATE;
      st->source = 0;
    }
    break;
  case VISIT_STEP_PLATE:
    st->step = VISIT_STEP_REVIEW;
    break;
  case VISIT_STEP_REVIEW:
    st->step = VISIT_STEP_SENDING;
    if (submit(app) != LOBBY_OK) {
      st->step = VISIT_STEP_REVIEW;
      kiosk_app_error_key(app, "err.network", NULL);
    }
    break;
  case VISIT_STEP_INVITE:
    if (!lobby_code_alphabet_valid(st->invite.buf, LOBBY_INVITE_CODE_LEN)) {
      kiosk_app_error_key(app, "err.local.invite", "invite_code");
      break;
    }
    st->step = VISIT_STEP_SENDING;
    st->from_invite = true;
    if (submit_invite(app) != LOBBY_OK) {
      st->step = VISIT_STEP_INVITE;
      kiosk_app_error_key(app, "err.network", NULL);
    }
    break;
  default:
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    break;
  }
}

static void cancel_waiting(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  if (app->link.net && st->approval.poll_req)
    kiosk_net_cancel(app->link.net, st->approval.poll_req);
  st->approval.poll_req = 0;
  uint64_t id = 0;
  if (app->link.net && kiosk_api_visit_cancel(app->link.net, st->answer.visit_id, &id) != LOBBY_OK)
    LOBBY_WARN("could not send the visit cancellation");
  st->req = id;
  st->step = VISIT_STEP_CANCELLED;
}

static void back(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  kiosk_app_clear_error(app);
  switch (st->step) {
  case VISIT_STEP_START: kiosk_app_go(app, KIOSK_SCREEN_HOME); break;
  case VISIT_STEP_INVITE: st->step = VISIT_STEP_START; break;
  case VISIT_STEP_WAITING: cancel_waiting(app); break;
  case VISIT_STEP_CONTACT: case VISIT_STEP_HOST: case VISIT_STEP_DETAILS: case VISIT_STEP_PLATE:
  case VISIT_STEP_REVIEW:
    st->step--;
    st->source = 0;
    break;
  default: kiosk_app_go(app, KIOSK_SCREEN_HOME); break;
  }
}

static void visit_action(kiosk_app *app, int action, int arg)
{
  kiosk_visit_state *st = &app->screens.visit;
  switch (action) {
  case KIOSK_ACT_NEXT: next(app); break;
  case KIOSK_ACT_BACK: back(app); break;
  case KIOSK_ACT_INVITE: st->step = VISIT_STEP_INVITE; kiosk_app_clear_error(app); break;
  case KIOSK_ACT_FIELD:
    if (st->step == VISIT_STEP_CONTACT) {
      if (arg != st->focus)
        st->source = 0;
      st->focus = arg == FIELD_PHONE ? FIELD_PHONE : FIELD_NAME;
    }
    break;
  case KIOSK_ACT_SOURCE: st->source = arg; break;
  case KIOSK_ACT_HOST_MODE: st->host.mode = arg ? 1 : 0; kiosk_app_clear_error(app); break;
  case KIOSK_ACT_PICK_BUILDING: st->host.building = arg; st->host.unit = st->host.room = -1; st->host.room_page = 0; break;
  case KIOSK_ACT_PICK_UNIT: st->host.unit = arg; st->host.room = -1; st->host.room_page = 0; break;
  case KIOSK_ACT_PICK_ROOM: st->host.room = arg; break;
  case KIOSK_ACT_PAGE: st->host.room_page = arg < 0 ? 0 : arg; break;
  case KIOSK_ACT_PURPOSE: st->purpose = arg; break;
  case KIOSK_ACT_PARTY:
    st->party += arg;
    st->party = st->party < 1 ? 1 : (st->party > VISIT_PARTY_MAX ? VISIT_PARTY_MAX : st->party);
    break;
  default: break;
  }
}

static void poll_status(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  /* The first poll has no ETag yet and answers at once; later ones wait. */
  if (kiosk_api_visit_status(app->link.net, st->answer.visit_id, st->approval.etag, WAIT_S, &st->approval.poll_req) != LOBBY_OK)
    st->approval.poll_req = 0;
  st->approval.poll_sent_ms = kiosk_app_ms(app);
}

/* Re-issues the approval long-poll when it is due. */
static void visit_tick(kiosk_app *app)
{
  kiosk_visit_state *st = &app->screens.visit;
  if (st->step != VISIT_STEP_WAITING)
    return;
  /* Waiting for a host is not idling, up to a limit. */
  if (kiosk_app_ms(app) - st->approval.wait_started_ms < WAIT_MAX_MS)
    app->clock.last_input_ms = kiosk_app_ms(app);
  if (!st->approval.poll_req && kiosk_app_ms(app) - st->approval.poll_sent_ms >= RETRY_MS)
    poll_status(app);
  if ((int)((kiosk_app_ms(app) - st->approval.wait_started_ms) / 1000) != st->approval.shown_wait_s)
    app->dirty = true;
}

/* While waiting, the loop wakes each second for the running count. */
static int64_t visit_next_wake_ms(const kiosk_app *app)
{
  return app->screens.visit.step == VISIT_STEP_WAITING ? 1000 : -1;
}

/* Applies a visit from any of the endpoints; an answer without a state is
 * an approved visit (an invite's check-in). */
static void apply_visit(kiosk_app *app, const kiosk_api_visit_record *v)
{
  kiosk_visit_state *st = &app->screens.visit;
  if (v->id[0])
    snprintf(st->answer.visit_id, sizeof st->answer.visit_id, "%s", v->id);
  if (v->pass_code[0])
    snprintf(st->answer.pass_code, sizeof st->answer.pass_code, "%s", v->pass_code);
  if (v->follow_url[0])
    snprintf(st->answer.follow_url, sizeof st->answer.follow_url, "%s", v->follow_url);
  snprintf(st->answer.reason, sizeof st->answer.reason, "%s", v->reason);
  switch (v->state) {
  case KIOSK_API_VISIT_UNSTATED:
  case KIOSK_API_VISIT_APPROVED: st->step = VISIT_STEP_PASS; break;
  case KIOSK_API_VISIT_PENDING:
    if (st->step != VISIT_STEP_WAITING) {
      st->step = VISIT_STEP_WAITING;
      st->approval.wait_started_ms = kiosk_app_ms(app);
      poll_status(app);
    }
    break;
  case KIOSK_API_VISIT_REFUSED: st->step = VISIT_STEP_REFUSED; break;
  case KIOSK_API_VISIT_ENDED: st->step = VISIT_STEP_CANCELLED; break;
  }
}

/* The queued check-in went through while the visitor is still here. */
static void queued_delivered(kiosk_visit_state *st, const kiosk_event *ev)
{
  kiosk_api_ref_status ref;
  if (st->step != VISIT_STEP_QUEUED || strcmp(ev->provisional_ref, st->answer.provisional) != 0 ||
      kiosk_api_parse_ref_status(ev, &ref) != LOBBY_OK)
    return;
  if (ref.visit_id[0])
    snprintf(st->answer.visit_id, sizeof st->answer.visit_id, "%s", ref.visit_id);
  if (ref.follow_url[0])
    snprintf(st->answer.follow_url, sizeof st->answer.follow_url, "%s", ref.follow_url);
  if (ref.pass_code[0]) {
    snprintf(st->answer.pass_code, sizeof st->answer.pass_code, "%s", ref.pass_code);
    st->step = VISIT_STEP_PASS;
  }
}

static void approval_answered(kiosk_app *app, kiosk_visit_state *st, const kiosk_event *ev)
{
  st->approval.poll_req = 0;
  if (ev->etag[0])
    snprintf(st->approval.etag, sizeof st->approval.etag, "%s", ev->etag);
  kiosk_api_visit_record v;
  if (ev->http_status == 200 && kiosk_api_parse_visit(ev, &v) == LOBBY_OK && v.state != KIOSK_API_VISIT_UNSTATED &&
      v.state != KIOSK_API_VISIT_PENDING)
    apply_visit(app, &v);
  /* A long-poll that ran its course is renewed at once; anything quick
   * (an error, or an answer without an ETag) waits for the tick's retry
   * so a misbehaving server cannot make this a busy loop. */
  if (st->step == VISIT_STEP_WAITING && st->approval.etag[0] && ev->state == KIOSK_RESULT_DELIVERED &&
      (ev->http_status == 304 || ev->http_status == 200) && kiosk_app_ms(app) - st->approval.poll_sent_ms >= RETRY_MS)
    poll_status(app);
}

/* The step to go back to for the field the server refused. */
static kiosk_visit_step step_for_field(const char *f, int *focus)
{
  if (!strcmp(f, "name") || !strcmp(f, "phone")) {
    *focus = !strcmp(f, "phone") ? FIELD_PHONE : FIELD_NAME;
    return VISIT_STEP_CONTACT;
  }
  if (!strcmp(f, "host"))
    return VISIT_STEP_HOST;
  if (!strcmp(f, "plate"))
    return VISIT_STEP_PLATE;
  if (!strcmp(f, "party_size") || !strcmp(f, "purpose"))
    return VISIT_STEP_DETAILS;
  return VISIT_STEP_REVIEW;
}

static void submission_answered(kiosk_app *app, kiosk_visit_state *st, const kiosk_event *ev)
{
  if (ev->state == KIOSK_RESULT_QUEUED) {
    snprintf(st->answer.provisional, sizeof st->answer.provisional, "%s", ev->provisional_ref);
    st->answer.busy = ev->http_status == 429;
    st->step = VISIT_STEP_QUEUED;
    return;
  }
  kiosk_api_visit_record v;
  if (kiosk_api_parse_visit(ev, &v) == LOBBY_OK) {
    apply_visit(app, &v);
    return;
  }
  kiosk_app_error_from_result(app, ev, st->from_invite ? "invite" : "visit");
  if (st->from_invite) {
    st->step = VISIT_STEP_INVITE;
    st->from_invite = false;
    return;
  }
  st->step = step_for_field(app->form.error_field, &st->focus);
}

static void visit_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_visit_state *st = &app->screens.visit;
  if (ev->kind == KIOSK_EV_OUTBOX)
    queued_delivered(st, ev);
  else if (ev->kind != KIOSK_EV_RESULT)
    return;
  else if (ev->request_id == st->approval.poll_req && st->step == VISIT_STEP_WAITING)
    approval_answered(app, st, ev);
  else if (ev->request_id == st->req && st->step == VISIT_STEP_SENDING)
    submission_answered(app, st, ev);
}

const kiosk_screen kiosk_screen_visit = {
  .name = "visit", .form = true, .enter = visit_enter, .leave = visit_leave, .build = visit_build,
  .action = visit_action, .result = visit_result, .step_name = visit_step_name, .tick = visit_tick,
  .next_wake_ms = visit_next_wake_ms};
