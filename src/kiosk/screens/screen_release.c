/* Item release (物品放行): a resident moving things out applies here; the
 * front desk approves and the code is read at 进度查询.  Steps: where
 * (the flat, required), what (quick phrases or the pinyin keyboard), when
 * (today and the next 14 days as large chips), the plate (optional, with
 * a skip), name and phone, a review with the phone masked, then the
 * receipt (release_receipt.c).  It goes through the outbox exactly once,
 * like a complaint. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_domain.h"
#include "lobby_release.h"
#include "lobby_text.h"
#include "lobby_time.h"

enum { FIELD_NAME = KIOSK_CONTACT_NAME, FIELD_PHONE = KIOSK_CONTACT_PHONE, FIELD_ITEMS, FIELD_PLATE };

/* The chips: the kiosk's today and each day lobbyd still takes. */
#define RELEASE_DAYS (RELEASE_DAYS_AHEAD + 1)

/* The steps a resident sees numbered (where to review). */
#define RELEASE_FORM_STEPS 6

static const char *const step_names[RELEASE_STEP_COUNT] = {
  "release-where", "release-items", "release-date", "release-plate",
  "release-contact", "release-review", "release-sending", "release-done"};

static const char *release_step_name(kiosk_app *app)
{
  return step_names[app->screens.release.step];
}

static void release_reset(kiosk_app *app)
{
  kiosk_release_state *st = &app->screens.release;
  kiosk_wipe(st, sizeof *st);
  st->building = st->unit = st->room = -1;
  st->day = -1;
  kiosk_field_init(&st->items, KIOSK_FIELD_TEXT, RELEASE_ITEMS_MAX);
  kiosk_field_init(&st->plate, KIOSK_FIELD_PLATE, VISIT_PLATE_MAX);
  kiosk_field_init(&st->name, KIOSK_FIELD_NAME, 32);
  kiosk_field_init(&st->phone, KIOSK_FIELD_PHONE, 20);
}

static void release_enter(kiosk_app *app)
{
  release_reset(app);
  /* A building with one block skips a needless tap. */
  if (kiosk_api_dir_count(kiosk_feed_directory(app)) == 1)
    app->screens.release.building = 0;
}

static void release_leave(kiosk_app *app)
{
  release_reset(app);
}

/* Day d after the kiosk's today, at noon local time: its calendar fields. */
static void day_civil(const kiosk_app *app, int d, lobby_civil *c)
{
  int64_t mid = lobby_time_local_midnight(kiosk_app_now(app), app->cfg.utc_offset_min);
  lobby_time_local(mid + (int64_t)d * 86400 + 12 * 3600, app->cfg.utc_offset_min, c);
}

static void day_ymd(const kiosk_app *app, int d, char *out, size_t n)
{
  lobby_civil c;
  day_civil(app, d, &c);
  snprintf(out, n, "%04d-%02d-%02d", c.year % 10000, c.month % 100, c.day % 100);
}

static SDL_Rect step_top(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *prompt_key)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_release_state *st = &app->screens.release;
  SDL_Rect pr;
  if (m->portrait) {
    kiosk_step_dots(app, ui, kiosk_rect_take_top(area, m->small * 2, m->gap / 2), (int)st->step, RELEASE_FORM_STEPS);
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
  } else {
    /* Landscape saves a row: the prompt and the progress share one. */
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
    SDL_Rect dots = {pr.x + pr.w * 3 / 5, pr.y, pr.w * 2 / 5, pr.h};
    pr.w = pr.w * 3 / 5 - m->gap;
    kiosk_step_dots(app, ui, dots, (int)st->step, RELEASE_FORM_STEPS);
  }
  kiosk_widget *p = kiosk_label(app, ui, pr, kiosk_s(app, prompt_key), m->title, true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  /* Landscape steps with a keyboard show the error beside the keys
   * (kiosk_form_split), so the keys keep their height. */
  bool keys = st->step == RELEASE_STEP_ITEMS || st->step == RELEASE_STEP_PLATE || st->step == RELEASE_STEP_CONTACT;
  if (m->portrait || !keys)
    *area = kiosk_error_box(app, ui, *area);
  return *area;
}

static void build_where(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_release_state *st = &app->screens.release;
  step_top(app, ui, &area, "release.where_prompt");
  area = kiosk_nav(app, ui, area, "nav.cancel", "nav.next", st->room >= 0);
  kiosk_unit_picker(app, ui, area, st->building, st->unit, st->room, st->room_page, false);
}

static void build_items(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_release_state *st = &app->screens.release;
  step_top(app, ui, &area, "release.items_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  kiosk_src_phrases(&st->phrases, "src.items", kiosk_s(app, "phrases.release"), kiosk_s(app, "phrases.separator"));
  const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
  int n = kiosk_text_sources(&app->kb, srcs, &st->phrases);
  /* Portrait: the text grows into what the keyboard leaves. */
  int fields_h = m->button_h * 2 + m->small * 2;
  int kb_h = kiosk_keyboard_height(app, srcs, n, st->source);
  if (m->portrait && kb_h > 0 && area.h - kb_h - m->gap > fields_h)
    fields_h = area.h - kb_h - m->gap;
  SDL_Rect fields, keys;
  kiosk_form_split(app, ui, area, fields_h, &fields, &keys);
  st->items.error = strcmp(app->form.error_field, "items") == 0;
  kiosk_field_widget(app, ui, fields, "field.items", &st->items, FIELD_ITEMS, true, NULL);
  app->form.focus = &st->items;
  kiosk_keyboard(app, ui, keys, srcs, n, st->source);
}

/* "12月3日\n今天 周四": the date on top, then today or tomorrow and the
 * weekday. */
static void chip_text(kiosk_app *app, int d, char *out, size_t n)
{
  lobby_civil c;
  day_civil(app, d, &c);
  char mon[4], day[4], mkey[16], wkey[24], md[48];
  snprintf(mon, sizeof mon, "%d", c.month % 100);
  snprintf(day, sizeof day, "%d", c.day % 100);
  snprintf(mkey, sizeof mkey, "month.%s", mon);
  snprintf(wkey, sizeof wkey, "weekday_short.%d", c.weekday % 7);
  kiosk_sf(app, md, sizeof md, "date.md", "m", mon, "mon", kiosk_s(app, mkey), "d", day, NULL);
  const char *key = d == 0 ? "release.chip_today" : d == 1 ? "release.chip_tomorrow" : "release.chip";
  kiosk_sf(app, out, n, key, "md", md, "wd", kiosk_s(app, wkey), NULL);
}

static void build_date(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_release_state *st = &app->screens.release;
  step_top(app, ui, &area, "release.date_prompt");
  /* Enabled with no day chosen: the tap says what is missing. */
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  kiosk_widget *note = kiosk_label(app, ui, kiosk_rect_take_top(&area, m->small * 3 / 2, m->gap / 2),
                                   kiosk_s(app, "release.date_note"), m->small, false, KIOSK_C_MUTED);
  note->flags |= KF_SHRINK | KF_ELLIPSIS;
  note->max_lines = 1;
  int cols = m->portrait ? 3 : 5, rows = (RELEASE_DAYS + cols - 1) / cols;
  /* Large chips, but not taller than two buttons: the grid sits at the top. */
  int most = rows * (m->button_h * 2 + m->gap);
  if (area.h > most)
    area.h = most;
  for (int d = 0; d < RELEASE_DAYS; d++) {
    char text[96];
    chip_text(app, d, text, sizeof text);
    kiosk_widget *w = kiosk_choice(app, ui, kiosk_grid_cell(area, cols, rows, d, m->gap), text, KIOSK_ACT_DAY, d,
                                   d == st->day);
    w->font_px = m->body;
  }
}

static void build_plate(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_release_state *st = &app->screens.release;
  step_top(app, ui, &area, "release.plate_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", st->plate.buf[0] ? "nav.next" : "release.no_car", true);
  int fh = m->small * 3 / 2 + m->gap / 4 + m->button_h;
  SDL_Rect fields, keys;
  kiosk_form_split(app, ui, area, fh, &fields, &keys);
  st->plate.error = !strcmp(app->form.error_field, "plate");
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, fh, m->gap), "field.release_plate", &st->plate,
                     FIELD_PLATE, true, NULL);
  app->form.focus = &st->plate;
  /* Plates start with a province, then letters and digits. */
  kiosk_src_phrases(&st->phrases, "src.provinces", kiosk_s(app, "phrases.provinces"), "");
  const kiosk_input_source *srcs[] = {&st->phrases, &kiosk_src_abc, &kiosk_src_num};
  kiosk_keyboard(app, ui, keys, srcs, 3, st->source);
}

static kiosk_contact contact(kiosk_app *app)
{
  kiosk_release_state *st = &app->screens.release;
  return (kiosk_contact){&st->name, &st->phone, &st->focus, &st->phrases, st->source};
}

static void build_contact(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  step_top(app, ui, &area, "release.contact_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  kiosk_contact c = contact(app);
  kiosk_contact_build(app, ui, area, &c);
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
  kiosk_release_state *st = &app->screens.release;
  step_top(app, ui, &area, "release.review_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "release.submit", true);
  kiosk_widget *card = kiosk_ui_add(ui, KW_PANEL, area, NULL);
  card->bg = kiosk_rgb(KIOSK_C_CARD);
  card->radius = m->radius;
  SDL_Rect in = kiosk_rect_inset(area, m->gap);
  char text[256], masked[32];
  kiosk_unit_text(app, st->building, st->unit, st->room, text, sizeof text);
  review_row(app, ui, &in, "review.unit", text, 1);
  kiosk_date_text(app, st->date, text, sizeof text);
  review_row(app, ui, &in, "review.release_date", text, 1);
  review_row(app, ui, &in, "review.plate", st->plate.buf[0] ? st->plate.buf : kiosk_s(app, "review.none"), 1);
  review_row(app, ui, &in, "review.name", st->name.buf, 1);
  lobby_phone_mask(st->phone.buf, masked, sizeof masked);
  review_row(app, ui, &in, "review.phone", masked, 1);
  /* The items last: they take the lines that are left, up to six. */
  int lh = kiosk_text_line_height(app->text, m->body, false);
  int lines = (in.h - m->gap) / lh;
  review_row(app, ui, &in, "review.items", st->items.buf, lines < 1 ? 1 : (lines > 6 ? 6 : lines));
}

static void release_build(kiosk_app *app, kiosk_ui *ui)
{
  kiosk_release_step step = app->screens.release.step;
  SDL_Rect area = kiosk_frame(app, ui, "release.title", step != RELEASE_STEP_DONE);
  switch (step) {
  case RELEASE_STEP_WHERE: build_where(app, ui, area); break;
  case RELEASE_STEP_ITEMS: build_items(app, ui, area); break;
  case RELEASE_STEP_DATE: build_date(app, ui, area); break;
  case RELEASE_STEP_PLATE: build_plate(app, ui, area); break;
  case RELEASE_STEP_CONTACT: build_contact(app, ui, area); break;
  case RELEASE_STEP_REVIEW: build_review(app, ui, area); break;
  case RELEASE_STEP_SENDING:
    kiosk_label(app, ui, area, kiosk_s(app, "release.sending"), app->m.title, true, KIOSK_C_INK)->align = KA_CENTER;
    break;
  case RELEASE_STEP_DONE: kiosk_release_receipt_build(app, ui, area); break;
  default: break;
  }
}

static lobby_err submit(kiosk_app *app)
{
  kiosk_release_state *st = &app->screens.release;
  kiosk_api_release in = {.items = st->items.buf, .date = st->date, .plate = st->plate.buf, .name = st->name.buf,
                          .phone = st->phone.buf};
  if (!kiosk_unit_codes(app, st->building, st->unit, st->room, &in.building, &in.unit, &in.room))
    return LOBBY_EINVAL;
  return kiosk_api_release_submit(app->link.net, &in, &st->req);
}

/* Moves to a step that shows a keyboard with its first tab. */
static void go_step(kiosk_release_state *st, kiosk_release_step step)
{
  st->step = step;
  st->source = 0;
}

static void next(kiosk_app *app)
{
  kiosk_release_state *st = &app->screens.release;
  kiosk_contact c = contact(app);
  kiosk_app_clear_error(app);
  switch (st->step) {
  case RELEASE_STEP_WHERE:
    if (st->room >= 0)
      go_step(st, RELEASE_STEP_ITEMS);
    break;
  case RELEASE_STEP_ITEMS:
    if (lobby_text_check(st->items.buf, 1, RELEASE_ITEMS_MAX, false) != LOBBY_OK)
      kiosk_app_error_key(app, "err.local.release_items", "items");
    else
      go_step(st, RELEASE_STEP_DATE);
    break;
  case RELEASE_STEP_DATE:
    if (st->day >= 0)
      go_step(st, RELEASE_STEP_PLATE);
    else
      kiosk_app_error_key(app, "err.local.release_date", "date");
    break;
  case RELEASE_STEP_PLATE:
    if (lobby_text_check(st->plate.buf, 0, VISIT_PLATE_MAX, false) != LOBBY_OK)
      kiosk_app_error_key(app, "err.invalid_field.plate", "plate");
    else
      go_step(st, RELEASE_STEP_CONTACT);
    break;
  case RELEASE_STEP_CONTACT:
    /* No phone: said in this screen's words (the shared message speaks of
     * a technician). */
    if (lobby_text_check(st->name.buf, 1, 32, false) == LOBBY_OK && !st->phone.buf[0]) {
      kiosk_app_error_key(app, "err.local.release_phone_missing", "phone");
      st->focus = FIELD_PHONE;
    } else if (kiosk_contact_valid(app, &c)) {
      st->step = RELEASE_STEP_REVIEW;
    }
    break;
  case RELEASE_STEP_REVIEW:
    st->step = RELEASE_STEP_SENDING;
    if (submit(app) != LOBBY_OK) {
      st->step = RELEASE_STEP_REVIEW;
      kiosk_app_error_key(app, "err.network", NULL);
    }
    break;
  case RELEASE_STEP_DONE:
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    break;
  default:
    break;
  }
}

static void back(kiosk_app *app)
{
  kiosk_release_state *st = &app->screens.release;
  kiosk_app_clear_error(app);
  if (st->step == RELEASE_STEP_WHERE || st->step == RELEASE_STEP_DONE)
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
  else if (st->step != RELEASE_STEP_SENDING)
    go_step(st, st->step - 1);
}

static void release_action(kiosk_app *app, int action, int arg)
{
  kiosk_release_state *st = &app->screens.release;
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
  case KIOSK_ACT_DAY:
    if (arg >= 0 && arg < RELEASE_DAYS) {
      st->day = arg;
      day_ymd(app, arg, st->date, sizeof st->date);
      kiosk_app_clear_error(app);
    }
    break;
  case KIOSK_ACT_FIELD:
    if (arg != st->focus)
      st->source = 0;
    st->focus = arg == FIELD_PHONE ? FIELD_PHONE : FIELD_NAME;
    break;
  case KIOSK_ACT_SOURCE: st->source = arg; break;
  default: break;
  }
}

/* A server error sends the person back to the step holding the field. */
static kiosk_release_step step_for_field(const char *field)
{
  if (!strcmp(field, "name") || !strcmp(field, "phone"))
    return RELEASE_STEP_CONTACT;
  if (!strcmp(field, "items"))
    return RELEASE_STEP_ITEMS;
  if (!strcmp(field, "date"))
    return RELEASE_STEP_DATE;
  if (!strcmp(field, "plate"))
    return RELEASE_STEP_PLATE;
  if (!strncmp(field, "unit", 4))
    return RELEASE_STEP_WHERE;
  return RELEASE_STEP_REVIEW;
}

static void release_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_release_state *st = &app->screens.release;
  kiosk_outbox_answer *a = &st->answer;
  /* A queued one that just went through shows its real number. */
  if (st->step == RELEASE_STEP_DONE && kiosk_outbox_answer_delivered(a, ev))
    return;
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != st->req || st->step != RELEASE_STEP_SENDING)
    return;
  if (ev->state == KIOSK_RESULT_QUEUED) {
    kiosk_outbox_answer_queued(a, ev);
    st->step = RELEASE_STEP_DONE;
    return;
  }
  kiosk_api_release_receipt receipt;
  if (kiosk_api_parse_release_receipt(ev, &receipt) == LOBBY_OK) {
    snprintf(a->number, sizeof a->number, "%s", receipt.number);
    st->step = RELEASE_STEP_DONE;
    return;
  }
  kiosk_app_error_from_result(app, ev, "release");
  go_step(st, step_for_field(app->form.error_field));
  if (st->step == RELEASE_STEP_CONTACT)
    st->focus = strcmp(app->form.error_field, "phone") == 0 ? FIELD_PHONE : FIELD_NAME;
  /* A day the server no longer takes (midnight passed) is chosen again. */
  if (st->step == RELEASE_STEP_DATE)
    st->day = -1;
}

const kiosk_screen kiosk_screen_release = {
  .name = "release", .form = true, .enter = release_enter, .leave = release_leave,
  .build = release_build, .action = release_action, .result = release_result,
  .step_name = release_step_name};
