/* A contractor worker (施工人员) signs in or out with the 8-character code
 * of the temporary pass.  The server decides which from whether the worker
 * is on site, so the request goes at once and is never queued: offline,
 * the worker is sent to the front desk.  The answer is shown large; a
 * refused sign-in says why, that the desk has been told and the service
 * phone.  Reached from the visitor's screens (访客登记's first step and
 * 访客离开), not the home screen. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_domain.h"

static const char *worker_step_name(kiosk_app *app)
{
  static const char *const names[WORKER_STEP_COUNT] = {"worker-entry", "worker-sending", "worker-done",
                                                       "worker-refused", "worker-offline"};
  return names[app->screens.worker.step];
}

/* Entering, leaving and the idle timeout: the code typed and the answer
 * (a masked name, a company, a unit) are wiped. */
static void worker_reset(kiosk_app *app)
{
  kiosk_wipe(&app->screens.worker, sizeof app->screens.worker);
  kiosk_field_init(&app->screens.worker.code, KIOSK_FIELD_CODE, LOBBY_PASS_CODE_LEN);
}

static void worker_enter(kiosk_app *app) { worker_reset(app); }
static void worker_leave(kiosk_app *app) { worker_reset(app); }

/* A centred line of an answer card: its text, size, and the lines it
 * has room for in portrait (landscape's are twice as wide: half as many). */
typedef struct {
  const char *text;
  int px, lines;
  bool bold;
  unsigned color;
} card_row;

static int row_h(const kiosk_app *app, const card_row *r)
{
  int lines = app->m.portrait ? r->lines : (r->lines + 1) / 2;
  return r->px * 3 / 2 * lines;
}

/* The navigation, then a white card: the heading large with its icon and
 * the rows under it, the whole moved down to the card's upper third
 * where there is height to spare (portrait). */
static void answer_card(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const char *back_key, const char *heading_key,
                        unsigned color, kiosk_icon icon, const card_row *rows, int n)
{
  const kiosk_metrics *m = &app->m;
  area = kiosk_nav(app, ui, area, back_key, "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  int head_h = m->portrait ? m->huge * 2 : m->huge * 3 / 2;
  int need = head_h + m->gap;
  for (int i = 0; i < n; i++)
    need += row_h(app, &rows[i]) + m->gap / 2;
  if (in.h > need) {
    in.y += (in.h - need) / 3;
    in.h -= (in.h - need) / 3;
  }
  kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(&in, head_h, m->gap), kiosk_s(app, heading_key), m->huge,
                                true, color);
  h->icon = icon;
  h->icon_fg = h->fg;
  h->align = KA_CENTER;
  h->flags |= KF_SHRINK;
  for (int i = 0; i < n; i++) {
    kiosk_widget *w = kiosk_label(app, ui, kiosk_rect_take_top(&in, row_h(app, &rows[i]), m->gap / 2), rows[i].text,
                                  rows[i].px, rows[i].bold, rows[i].color);
    w->align = KA_CENTER;
    w->flags |= KF_SHRINK | (rows[i].lines > 1 ? KF_BALANCE : 0);
  }
}

/* 签到成功 / 签离成功: who (masked), the company, the flat and the time,
 * large, so the worker can read it from a step back. */
static void build_done(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_api_attendance *a = &app->screens.worker.answer;
  unsigned color = a->in ? KIOSK_C_OK : KIOSK_C_ACCENT;
  char unit[256], at[256], until[256], when[64];
  kiosk_unit_text_of_codes(app, a->building, a->unit, a->room, unit, sizeof unit);
  kiosk_time_text(app, a->at, when, sizeof when);
  kiosk_sf(app, at, sizeof at, a->in ? "worker.in_at" : "worker.out_at", "time", when, NULL);
  until[0] = '\0';
  if (a->in && a->valid_until[0]) {
    kiosk_date_text(app, a->valid_until, when, sizeof when);
    kiosk_sf(app, until, sizeof until, "worker.valid_until", "date", when, NULL);
  }
  const card_row rows[] = {
    {a->name, m->portrait ? m->huge : m->title, 1, true, KIOSK_C_INK},
    {a->company, m->title, 2, false, KIOSK_C_INK},
    {unit, m->title, 1, false, KIOSK_C_INK},
    {at, m->title, 1, true, color},
    {until, m->body, 1, false, KIOSK_C_MUTED},
  };
  int n = (int)(sizeof rows / sizeof *rows) - (until[0] ? 0 : 1);
  answer_card(app, ui, area, NULL, a->in ? "worker.in_heading" : "worker.out_heading", color, ICON_CHECK, rows, n);
}

/* The service phone the refusal named, else the site's. */
static const char *refusal_phone(kiosk_app *app)
{
  const char *c = app->screens.worker.refusal.contact;
  return c[0] ? c : kiosk_feed_str(app, "site", "service_phone");
}

/* Why, in plain words; the desk has been told; whom to call. */
static void build_refused(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  static const char *const why[] = {"worker.refused.expired", "worker.refused.revoked", "worker.refused.not_active"};
  const kiosk_metrics *m = &app->m;
  char told[384];
  kiosk_sf(app, told, sizeof told, "worker.refused_told", "phone", refusal_phone(app), NULL);
  const card_row rows[] = {
    {kiosk_s(app, why[app->screens.worker.refusal.reason]), m->title, 3, true, KIOSK_C_INK},
    {told, m->title, 3, false, KIOSK_C_INK},
  };
  answer_card(app, ui, area, NULL, "worker.refused_heading", KIOSK_C_ERROR, ICON_ALERT, rows, 2);
}

/* Not reached: no sign-in or -out happened, so the worker goes to the
 * desk (or tries again). */
static void build_offline(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  char text[384];
  kiosk_sf(app, text, sizeof text, "worker.offline_body", "phone", kiosk_feed_str(app, "site", "service_phone"),
           NULL);
  const card_row rows[] = {{text, app->m.title, 4, false, KIOSK_C_INK}};
  answer_card(app, ui, area, "worker.retry", "worker.offline_heading", KIOSK_C_WARN, ICON_OFFLINE, rows, 1);
}

static void worker_build(kiosk_app *app, kiosk_ui *ui)
{
  kiosk_worker_state *st = &app->screens.worker;
  SDL_Rect area = kiosk_frame(app, ui, "worker.title", st->step == WORKER_STEP_ENTRY);
  switch (st->step) {
  case WORKER_STEP_SENDING:
    kiosk_label(app, ui, area, kiosk_s(app, "worker.sending"), app->m.title, true, KIOSK_C_INK)->align = KA_CENTER;
    break;
  case WORKER_STEP_DONE: build_done(app, ui, area); break;
  case WORKER_STEP_REFUSED: build_refused(app, ui, area); break;
  case WORKER_STEP_OFFLINE: build_offline(app, ui, area); break;
  default: {
    kiosk_code_entry e = {.prompt_key = "worker.prompt", .field_key = "field.worker_code", .hint_key = "worker.hint",
                           .submit_key = "worker.submit", .code = &st->code};
    kiosk_code_entry_build(app, ui, area, &e);
    break;
  }
  }
}

static void worker_submit(kiosk_app *app)
{
  kiosk_worker_state *st = &app->screens.worker;
  kiosk_app_clear_error(app);
  /* Workers' passes have only the 8-character form. */
  if (!lobby_code_alphabet_valid(st->code.buf, LOBBY_PASS_CODE_LEN)) {
    kiosk_app_error_key(app, "err.local.worker_code", "pass_code");
    return;
  }
  if (kiosk_api_worker_attendance(app->link.net, st->code.buf, &st->req) != LOBBY_OK) {
    st->step = WORKER_STEP_OFFLINE;
    return;
  }
  st->step = WORKER_STEP_SENDING;
}

static void worker_action(kiosk_app *app, int action, int arg)
{
  (void)arg;
  kiosk_worker_state *st = &app->screens.worker;
  if (action == KIOSK_ACT_NEXT) {
    if (st->step == WORKER_STEP_ENTRY)
      worker_submit(app);
    else if (st->step != WORKER_STEP_SENDING)
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
  } else if (action == KIOSK_ACT_BACK) {
    /* Offline, "try again" keeps the code typed. */
    if (st->step == WORKER_STEP_OFFLINE)
      st->step = WORKER_STEP_ENTRY;
    else
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
  }
}

static void worker_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_worker_state *st = &app->screens.worker;
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != st->req || st->step != WORKER_STEP_SENDING)
    return;
  if (kiosk_api_parse_attendance(ev, &st->answer) == LOBBY_OK) {
    st->step = WORKER_STEP_DONE;
  } else if (kiosk_api_parse_attendance_refusal(ev, &st->refusal) == LOBBY_OK) {
    st->step = WORKER_STEP_REFUSED;
  } else if (ev->state != KIOSK_RESULT_DELIVERED) {
    st->step = WORKER_STEP_OFFLINE;
  } else {
    /* Not known (404), too many guesses (429), a server fault: back to
     * the code with why. */
    st->step = WORKER_STEP_ENTRY;
    kiosk_app_error_from_result(app, ev, "worker");
    if (!app->form.error_field[0] && ev->http_status / 100 == 4 && ev->http_status != 429)
      snprintf(app->form.error_field, sizeof app->form.error_field, "pass_code");
  }
  /* The answer named the worker: the code is not needed any more. */
  if (st->step == WORKER_STEP_DONE || st->step == WORKER_STEP_REFUSED)
    kiosk_field_wipe(&st->code);
}

const kiosk_screen kiosk_screen_worker = {
  .name = "worker", .form = true, .enter = worker_enter, .leave = worker_leave, .build = worker_build,
  .action = worker_action, .result = worker_result, .step_name = worker_step_name};
