/* Status look-ups: a repair's ticket number ("R-"), a complaint's number
 * ("C-") or an item release's ("F-") and the last four digits of the
 * phone, then the ticket's timeline, the complaint's status and the
 * answer, or the release's status and its code (release_status.c), in
 * plain words; a finished repair or complaint can be rated
 * (status_rating.c).  Provisional "Q-" refs from the offline outbox are
 * looked up locally. */
#include <ctype.h>
#include <string.h>
#include "kiosk_app.h"
#include "lobby_complaint.h"
#include "lobby_release.h"
#include "lobby_repair.h"
#include "lobby_text.h"

/* The look-up modes, as KIOSK_ACT_PREFIX's argument. */
enum { MODE_REPAIR = 0, MODE_QUEUE = 1, MODE_COMPLAINT = 2, MODE_RELEASE = 3 };

enum { FIELD_TICKET, FIELD_LAST4 };

static const char *status_step_name(kiosk_app *app)
{
  static const char *const names[STATUS_STEP_COUNT] = {"status-entry", "status-wait",   "status-result",
                                                       "status-rate",  "status-rating", "status-rated"};
  return names[app->screens.status.step];
}

static void status_reset(kiosk_app *app)
{
  kiosk_status_state *st = &app->screens.status;
  kiosk_wipe(st, sizeof *st);
  kiosk_field_init(&st->ticket, KIOSK_FIELD_DIGITS, 13);
  kiosk_field_init(&st->last4, KIOSK_FIELD_DIGITS, 4);
  kiosk_status_rating_reset(app);
}

static void status_enter(kiosk_app *app) { status_reset(app); }
static void status_leave(kiosk_app *app) { status_reset(app); }

/* "R-20261126-0042" (or "C-…", "F-…") from the digits typed so far. */
static void number_from_digits(char prefix, const char *d, char *out, size_t n)
{
  size_t len = strlen(d);
  if (len <= 8)
    snprintf(out, n, "%c-%s", prefix, d);
  else
    snprintf(out, n, "%c-%.8s-%s", prefix, d, d + 8);
}

static char number_prefix(const kiosk_status_state *st)
{
  return st->complaint ? 'C' : st->release ? 'F' : 'R';
}

static bool number_valid(const kiosk_status_state *st, const char *number)
{
  if (st->complaint)
    return complaint_number_valid(number);
  return st->release ? release_number_valid(number) : repair_ticket_valid(number);
}

static void provisional_ref(const char *typed, char *out, size_t n)
{
  char clean[32];
  size_t k = 0;
  for (const char *p = typed; *p && k + 1 < sizeof clean; p++)
    if (isalnum((unsigned char)*p))
      clean[k++] = (char)toupper((unsigned char)*p);
  clean[k] = '\0';
  const char *rest = clean;
  if (clean[0] == 'Q' && k > 6)
    rest = clean + 1;
  snprintf(out, n, "Q-%s", rest);
}

static int current_mode(const kiosk_status_state *st)
{
  return st->provisional ? MODE_QUEUE : st->complaint ? MODE_COMPLAINT : st->release ? MODE_RELEASE : MODE_REPAIR;
}

/* Four modes side by side: repair, complaint, release, queue number. */
static void mode_chips(kiosk_app *app, kiosk_ui *ui, SDL_Rect row)
{
  static const char *const keys[4] = {"status.mode_ticket", "status.mode_complaint", "status.mode_release",
                                      "status.mode_queue"};
  static const int modes[4] = {MODE_REPAIR, MODE_COMPLAINT, MODE_RELEASE, MODE_QUEUE};
  int current = current_mode(&app->screens.status);
  for (int i = 0; i < 4; i++) {
    kiosk_widget *w = kiosk_choice(app, ui, kiosk_grid_cell(row, 4, 1, i, app->m.gap), kiosk_s(app, keys[i]),
                                   KIOSK_ACT_PREFIX, modes[i], modes[i] == current);
    w->font_px = app->m.small;
    w->flags |= KF_SHRINK;
  }
}

static const char *entry_prompt(const kiosk_status_state *st)
{
  static const char *const keys[4] = {[MODE_REPAIR] = "status.prompt", [MODE_QUEUE] = "status.prompt_q",
                                      [MODE_COMPLAINT] = "status.prompt_c", [MODE_RELEASE] = "status.prompt_f"};
  return keys[current_mode(st)];
}

static const char *number_label(const kiosk_status_state *st)
{
  static const char *const keys[4] = {[MODE_REPAIR] = "field.ticket", [MODE_QUEUE] = "field.queue_ref",
                                      [MODE_COMPLAINT] = "field.complaint_number",
                                      [MODE_RELEASE] = "field.release_number"};
  return keys[current_mode(st)];
}

static void build_entry(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_status_state *st = &app->screens.status;
  kiosk_widget *p = kiosk_label(app, ui, kiosk_rect_take_top(&area, m->title * 3 / 2, m->gap / 2),
                                kiosk_s(app, entry_prompt(st)), m->title, true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  if (m->portrait)
    area = kiosk_error_box(app, ui, area);
  area = kiosk_nav(app, ui, area, "nav.cancel", "status.lookup", true);
  mode_chips(app, ui, kiosk_rect_take_top(&area, m->button_h * 4 / 5, m->gap));
  int fh = m->small * 3 / 2 + m->gap / 4 + m->button_h;
  SDL_Rect fields, keys;
  if (m->portrait) {
    fields = kiosk_rect_take_top(&area, 2 * fh + m->gap, m->gap);
    keys = area;
  } else {
    fields = kiosk_rect_take_left(&area, area.w * 2 / 5, m->margin);
    fields = kiosk_error_box(app, ui, fields);
    keys = area;
  }
  st->ticket.error = !strcmp(app->form.error_field, "ticket");
  st->last4.error = !strcmp(app->form.error_field, "phone_last4");
  /* The field shows the ticket formatted; the digits are what is kept. */
  static kiosk_field shown;
  shown = st->ticket;
  if (st->provisional)
    provisional_ref(st->ticket.buf, shown.buf, sizeof shown.buf);
  else
    number_from_digits(number_prefix(st), st->ticket.buf, shown.buf, sizeof shown.buf);
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, fh, m->gap), number_label(st), &shown, FIELD_TICKET,
                     st->focus == FIELD_TICKET, NULL);
  kiosk_wipe(&shown, sizeof shown);
  if (!st->provisional)
    kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, fh, m->gap), "field.last4", &st->last4, FIELD_LAST4,
                       st->focus == FIELD_LAST4,
                       st->complaint || st->release ? "field.last4_hint_c" : "field.last4_hint");
  app->form.focus = st->focus == FIELD_LAST4 && !st->provisional ? &st->last4 : &st->ticket;
  const kiosk_input_source *digits[] = {&kiosk_src_digits};
  const kiosk_input_source *code[] = {&kiosk_src_code};
  SDL_Rect k = keys;
  if (!st->provisional && !m->portrait && k.w > k.h * 5 / 4) {
    k.w = k.h * 5 / 4;
    k.x = keys.x + (keys.w - k.w) / 2;
  }
  kiosk_keyboard(app, ui, k, st->provisional ? code : digits, 1, 0);
}

static const char *status_key(const char *status, char *buf, size_t n)
{
  snprintf(buf, n, "repair_status.%s", status[0] ? status : "submitted");
  return buf;
}

/* A provisional ref from this kiosk's outbox: still queued, or sent with
 * its ticket. */
static void build_queued(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_api_ref_status *q = &app->screens.status.queued;
  char text[256];
  kiosk_label(app, ui, kiosk_rect_take_top(&in, m->title * 3 / 2, m->gap), app->screens.status.ref, m->title, true,
              KIOSK_C_INK)->align = KA_CENTER;
  bool queued = q->state == KIOSK_API_REF_QUEUED || !q->ticket[0];
  if (queued)
    kiosk_sf(app, text, sizeof text, "status.queued", NULL);
  else
    kiosk_sf(app, text, sizeof text,
             !strncmp(q->ticket, "C-", 2)   ? "status.delivered_complaint"
             : !strncmp(q->ticket, "F-", 2) ? "status.delivered_release"
                                            : "status.delivered",
             "ticket", q->ticket, NULL);
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, kiosk_rect_take_top(&in, m->body * 4, m->gap), text);
  w->bg = kiosk_rgb(queued ? 0xFEF3C7 : 0xDCFCE7);
  w->fg = kiosk_rgb(queued ? 0x78350F : 0x14532D);
  w->font_px = m->body;
  w->bold = true;
  w->radius = m->radius / 2;
  w->pad = m->gap;
  w->align = KA_CENTER;
  w->icon = queued ? ICON_CLOCK : ICON_CHECK;
  w->icon_fg = w->fg;
  w->flags |= KF_SHRINK;
}

/* The ticket, its status in large letters and a line with the category
 * and when it is due. */
static void build_summary(kiosk_app *app, kiosk_ui *ui, SDL_Rect *in)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_api_repair_status *r = &app->screens.status.found;
  char key[64], text[256], ck[64], due[64];
  kiosk_label(app, ui, kiosk_rect_take_top(in, m->title * 3 / 2, m->gap / 2), r->ticket, m->title, true,
              KIOSK_C_INK)->align = KA_CENTER;
  kiosk_widget *sw = kiosk_label(app, ui, kiosk_rect_take_top(in, m->huge * 3 / 2, m->gap),
                                 kiosk_s(app, status_key(r->status, key, sizeof key)), m->huge, true, KIOSK_C_OK);
  sw->align = KA_CENTER;
  sw->flags |= KF_SHRINK;
  snprintf(ck, sizeof ck, "repair_category.%s", r->category[0] ? r->category : "other");
  kiosk_time_text(app, r->due_at, due, sizeof due);
  kiosk_sf(app, text, sizeof text, r->overdue ? "status.summary_overdue" : "status.summary", "category",
           kiosk_s(app, ck), "due", due, NULL);
  kiosk_widget *sum = kiosk_label(app, ui, kiosk_rect_take_top(in, m->body * 2, m->gap), text, m->body, false,
                                  KIOSK_C_MUTED);
  sum->align = KA_CENTER;
  sum->flags |= KF_SHRINK;
}

/* One row of the timeline, lh high: a dot (joined to the next by a line),
 * the status and its time; the last row is the current status. */
static void timeline_row(kiosk_app *app, kiosk_ui *ui, SDL_Rect row, int lh, const kiosk_api_timeline_entry *e,
                         bool last)
{
  const kiosk_metrics *m = &app->m;
  int dot = lh / 2;
  kiosk_widget *d = kiosk_ui_add(ui, KW_PANEL, (SDL_Rect){row.x, row.y + (lh - dot) / 2, dot, dot}, NULL);
  d->bg = kiosk_rgb(last ? KIOSK_C_OK : 0x9CA3AF);
  d->radius = dot / 2;
  if (!last) {
    kiosk_widget *ln = kiosk_ui_add(ui, KW_PANEL, (SDL_Rect){row.x + dot / 2 - 2, row.y + (lh + dot) / 2, 4,
                                                             lh + m->gap - dot}, NULL);
    ln->bg = kiosk_rgb(0xD1D5DB);
  }
  row.x += dot + m->gap;
  row.w -= dot + m->gap;
  char key[64], when[64];
  kiosk_time_text(app, e->at, when, sizeof when);
  SDL_Rect tr = kiosk_rect_take_left(&row, row.w / 2, m->gap);
  kiosk_widget *a = kiosk_label(app, ui, tr, kiosk_s(app, status_key(e->status, key, sizeof key)), m->body, last,
                                last ? KIOSK_C_INK : KIOSK_C_MUTED);
  a->flags |= KF_SHRINK | KF_ELLIPSIS;
  kiosk_widget *b = kiosk_label(app, ui, row, when, m->body, false, KIOSK_C_MUTED);
  b->align = KA_RIGHT;
  b->flags |= KF_SHRINK;
}

/* As much of the timeline as fits, newest last. */
static void build_timeline(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_api_repair_status *r = &app->screens.status.found;
  size_t n = r->n_timeline;
  int lh = kiosk_text_line_height(app->text, m->body, true);
  int max_rows = in.h / (lh + m->gap);
  if (max_rows <= 0)
    return;
  size_t first = n > (size_t)max_rows && max_rows > 0 ? n - (size_t)max_rows : 0;
  for (size_t i = first; i < n; i++)
    timeline_row(app, ui, kiosk_rect_take_top(&in, lh, m->gap), lh, &r->timeline[i], i + 1 == n);
}

static void build_result(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  area = kiosk_nav(app, ui, area, "status.again", "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  if (app->screens.status.provisional) {
    build_queued(app, ui, in);
    return;
  }
  if (app->screens.status.release) {
    kiosk_release_status_build(app, ui, in);
    return;
  }
  in = kiosk_status_rating_block(app, ui, in);
  if (app->screens.status.complaint) {
    kiosk_complaint_status_build(app, ui, in);
    return;
  }
  build_summary(app, ui, &in);
  build_timeline(app, ui, in);
}

static void status_build(kiosk_app *app, kiosk_ui *ui)
{
  SDL_Rect area = kiosk_frame(app, ui, "status.title", true);
  switch (app->screens.status.step) {
  case STATUS_STEP_ENTRY: build_entry(app, ui, area); break;
  case STATUS_STEP_WAIT:
    kiosk_label(app, ui, area, kiosk_s(app, "status.waiting"), app->m.title, true, KIOSK_C_INK)->align = KA_CENTER;
    break;
  case STATUS_STEP_RESULT: build_result(app, ui, area); break;
  default: kiosk_status_rating_build(app, ui, area); break;
  }
}

static void lookup(kiosk_app *app)
{
  kiosk_status_state *st = &app->screens.status;
  kiosk_app_clear_error(app);
  lobby_err err;
  if (st->provisional) {
    provisional_ref(st->ticket.buf, st->ref, sizeof st->ref);
    if (strlen(st->ref) < 4) {
      kiosk_app_error_key(app, "err.local.queue_ref", "ticket");
      return;
    }
    err = kiosk_api_ref_lookup(app->link.net, st->ref, &st->req);
  } else {
    number_from_digits(number_prefix(st), st->ticket.buf, st->ref, sizeof st->ref);
    if (!number_valid(st, st->ref)) {
      kiosk_app_error_key(app,
                          st->complaint  ? "err.local.complaint_number"
                          : st->release ? "err.local.release_number"
                                        : "err.local.ticket",
                          "ticket");
      st->focus = FIELD_TICKET;
      return;
    }
    if (strlen(st->last4.buf) != 4) {
      kiosk_app_error_key(app, st->complaint || st->release ? "err.local.last4_c" : "err.local.last4", "phone_last4");
      st->focus = FIELD_LAST4;
      return;
    }
    if (st->complaint)
      err = kiosk_api_complaint_lookup(app->link.net, st->ref, st->last4.buf, &st->req);
    else if (st->release)
      err = kiosk_api_release_lookup(app->link.net, st->ref, st->last4.buf, &st->req);
    else
      err = kiosk_api_repair_lookup(app->link.net, st->ref, st->last4.buf, &st->req);
  }
  if (err != LOBBY_OK) {
    kiosk_app_error_key(app, "err.network", NULL);
    return;
  }
  st->step = STATUS_STEP_WAIT;
}

/* Repair, complaint and release numbers share the digits typed; a queue
 * number is typed afresh. */
static void set_mode(kiosk_app *app, int mode)
{
  kiosk_status_state *st = &app->screens.status;
  bool provisional = mode == MODE_QUEUE, complaint = mode == MODE_COMPLAINT, release = mode == MODE_RELEASE;
  if (mode == current_mode(st))
    return;
  if (provisional != st->provisional)
    kiosk_field_init(&st->ticket, provisional ? KIOSK_FIELD_TEXT : KIOSK_FIELD_DIGITS, provisional ? 12 : 13);
  st->provisional = provisional;
  st->complaint = complaint;
  st->release = release;
  st->focus = FIELD_TICKET;
  kiosk_app_clear_error(app);
}

static void status_action(kiosk_app *app, int action, int arg)
{
  kiosk_status_state *st = &app->screens.status;
  if (kiosk_status_rating_action(app, action, arg))
    return;
  switch (action) {
  case KIOSK_ACT_NEXT:
    if (st->step == STATUS_STEP_ENTRY)
      lookup(app);
    else
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
    break;
  case KIOSK_ACT_BACK:
    if (st->step == STATUS_STEP_RESULT || st->step == STATUS_STEP_RATED) {
      status_reset(app);
    } else {
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
    }
    break;
  case KIOSK_ACT_PREFIX:
    set_mode(app, arg);
    break;
  case KIOSK_ACT_FIELD: st->focus = arg; break;
  default: break;
  }
}

static void status_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_status_state *st = &app->screens.status;
  if (ev->kind == KIOSK_EV_OUTBOX) {
    /* The queued item being shown was just delivered or rejected. */
    kiosk_api_ref_status q;
    if (st->step == STATUS_STEP_RESULT && st->provisional && strcmp(ev->provisional_ref, st->ref) == 0 &&
        kiosk_api_parse_ref_status(ev, &q) == LOBBY_OK)
      st->queued = q;
    return;
  }
  if (kiosk_status_rating_result(app, ev))
    return;
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != st->req || st->step != STATUS_STEP_WAIT)
    return;
  lobby_err parsed = st->provisional ? kiosk_api_parse_ref_status(ev, &st->queued)
                     : st->complaint ? kiosk_api_parse_complaint_status(ev, &st->complaint_found)
                     : st->release   ? kiosk_api_parse_release_status(ev, &st->release_found)
                                     : kiosk_api_parse_repair_status(ev, &st->found);
  if (parsed == LOBBY_OK) {
    st->step = STATUS_STEP_RESULT;
    return;
  }
  st->step = STATUS_STEP_ENTRY;
  kiosk_app_error_from_result(app, ev,
                              st->provisional ? "lookup_q"
                              : st->complaint ? "complaint_lookup"
                              : st->release   ? "release_lookup"
                                              : "lookup");
  if (!strcmp(app->form.error_field, "phone_last4"))
    st->focus = FIELD_LAST4;
}

const kiosk_screen kiosk_screen_status = {
  .name = "status", .form = true, .enter = status_enter, .leave = status_leave, .build = status_build,
  .action = status_action, .result = status_result, .step_name = status_step_name};
