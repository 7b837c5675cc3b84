/* Visitor check-out by pass code. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_domain.h"

static const char *checkout_step_name(kiosk_app *app)
{
  static const char *const names[] = {"checkout-entry", "checkout-sending", "checkout-done"};
  return names[app->screens.checkout.step];
}

static void checkout_reset(kiosk_app *app)
{
  kiosk_wipe(&app->screens.checkout, sizeof app->screens.checkout);
  kiosk_field_init(&app->screens.checkout.code, KIOSK_FIELD_CODE, LOBBY_PASS_CODE_LEN);
}

static void checkout_enter(kiosk_app *app) { checkout_reset(app); }
static void checkout_leave(kiosk_app *app) { checkout_reset(app); }

static void checkout_build(kiosk_app *app, kiosk_ui *ui)
{
  const kiosk_metrics *m = &app->m;
  kiosk_checkout_state *st = &app->screens.checkout;
  SDL_Rect area = kiosk_frame(app, ui, "checkout.title", st->step == CHECKOUT_STEP_ENTRY);
  if (st->step == CHECKOUT_STEP_SENDING) {
    kiosk_label(app, ui, area, kiosk_s(app, "checkout.sending"), m->title, true, KIOSK_C_INK)->align = KA_CENTER;
    return;
  }
  if (st->step == CHECKOUT_STEP_DONE) {
    area = kiosk_nav(app, ui, area, NULL, "nav.done", true);
    SDL_Rect in = kiosk_result_card(app, ui, area);
    kiosk_widget *h = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->huge * 2, m->gap),
                                  kiosk_s(app, "checkout.done_heading"), m->huge, true, KIOSK_C_OK);
    h->icon = ICON_CHECK;
    h->icon_fg = h->fg;
    h->align = KA_CENTER;
    h->flags |= KF_SHRINK;
    kiosk_widget *b = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->body * 4, m->gap),
                                  kiosk_s(app, "checkout.done_body"), m->body, false, KIOSK_C_INK);
    b->align = KA_CENTER;
    b->flags |= KF_SHRINK;
    return;
  }
  kiosk_code_entry e = {.prompt_key = "checkout.prompt", .field_key = "field.pass_code", .hint_key = "checkout.hint",
                         .submit_key = "checkout.submit", .code = &st->code, .aside_key = "worker.way_in",
                         .aside_screen = KIOSK_SCREEN_WORKER, .aside_color = KIOSK_WORKER_COLOR,
                         .aside_icon = ICON_WORKS};
  kiosk_code_entry_build(app, ui, area, &e);
}

static void checkout_submit(kiosk_app *app)
{
  kiosk_checkout_state *st = &app->screens.checkout;
  kiosk_app_clear_error(app);
  if (!lobby_pass_code_valid(st->code.buf)) {
    kiosk_app_error_key(app, "err.local.pass_code", "pass_code");
    return;
  }
  if (kiosk_api_visit_checkout(app->link.net, st->code.buf, &st->req) != LOBBY_OK) {
    kiosk_app_error_key(app, "err.network", NULL);
    return;
  }
  st->step = CHECKOUT_STEP_SENDING;
}

static void checkout_action(kiosk_app *app, int action, int arg)
{
  (void)arg;
  kiosk_checkout_state *st = &app->screens.checkout;
  if (action == KIOSK_ACT_NEXT) {
    if (st->step == CHECKOUT_STEP_ENTRY)
      checkout_submit(app);
    else if (st->step == CHECKOUT_STEP_DONE)
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
  } else if (action == KIOSK_ACT_BACK) {
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
  }
}

static void checkout_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_checkout_state *st = &app->screens.checkout;
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != st->req || st->step != CHECKOUT_STEP_SENDING)
    return;
  if (kiosk_api_parse_checkout(ev) == LOBBY_OK) {
    st->step = CHECKOUT_STEP_DONE;
    return;
  }
  st->step = CHECKOUT_STEP_ENTRY;
  kiosk_app_error_from_result(app, ev, "checkout");
  if (!app->form.error_field[0] && ev->http_status / 100 == 4)
    snprintf(app->form.error_field, sizeof app->form.error_field, "pass_code");
}

const kiosk_screen kiosk_screen_checkout = {
  .name = "checkout", .form = true, .enter = checkout_enter, .leave = checkout_leave, .build = checkout_build,
  .action = checkout_action, .result = checkout_result, .step_name = checkout_step_name};
