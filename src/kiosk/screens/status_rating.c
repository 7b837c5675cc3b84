/* Residents rate a completed repair or an answered complaint from the
 * status screen: 满意 / 基本满意 / 不满意 and an optional comment, sent at
 * once with the number and the phone's last four digits the look-up used.
 * The server records it as the return visit, once; its answer is shown in
 * the resident's words (thanks, already rated, not finished yet, or why it
 * could not be sent). */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_complaint.h"
#include "lobby_text.h"

#define RATING_LEVELS 3

enum { FIELD_COMMENT = 2 };

/* In complaint_satisfaction_names' order. */
static const unsigned level_colors[RATING_LEVELS] = {0x047857, 0xB45309, 0xB91C1C};
static const kiosk_icon level_icons[RATING_LEVELS] = {ICON_CHECK, ICON_INFO, ICON_ALERT};

static const char *level_key(int level, char *buf, size_t n)
{
  snprintf(buf, n, "rating.%s", level >= 0 && level < RATING_LEVELS ? complaint_satisfaction_names[level] : "none");
  return buf;
}

void kiosk_status_rating_reset(kiosk_app *app)
{
  kiosk_status_rating *r = &app->screens.status.rating;
  kiosk_wipe(r, sizeof *r);
  r->level = -1;
  kiosk_field_init(&r->comment, KIOSK_FIELD_TEXT, COMPLAINT_TEXT_MAX);
}

/* A finished record as its look-up shows it: a completed repair, or a
 * replied complaint without a satisfaction. */
static bool status_awaits_rating(const kiosk_status_state *st)
{
  if (st->complaint)
    return !strcmp(st->complaint_found.status, "replied") && !st->complaint_found.satisfaction[0];
  return !strcmp(st->found.status, "completed");
}

bool kiosk_status_rateable(const kiosk_app *app)
{
  const kiosk_status_state *st = &app->screens.status;
  return !st->provisional && !st->rating.closed && status_awaits_rating(st);
}

static const char *record_number(const kiosk_status_state *st)
{
  return st->complaint ? st->complaint_found.number : st->found.ticket;
}

/* The three levels, each with its colour's icon: side by side in a row,
 * or stacked in a column. */
static void levels(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, bool stacked, int selected, int font_px)
{
  for (int i = 0; i < RATING_LEVELS; i++) {
    char key[48];
    SDL_Rect cell = stacked ? kiosk_grid_cell(r, 1, RATING_LEVELS, i, app->m.gap)
                            : kiosk_grid_cell(r, RATING_LEVELS, 1, i, app->m.gap);
    kiosk_widget *w = kiosk_choice(app, ui, cell, kiosk_s(app, level_key(i, key, sizeof key)), KIOSK_ACT_RATE, i,
                                   i == selected);
    w->icon = level_icons[i];
    w->icon_fg = i == selected ? kiosk_rgb(0xFFFFFF) : kiosk_rgb(level_colors[i]);
    w->font_px = font_px;
  }
}

/* A note where the levels were: already rated, not finished, not found. */
static void closed_note(kiosk_app *app, kiosk_ui *ui, SDL_Rect r)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, r, kiosk_s(app, app->screens.status.rating.closed_key));
  w->bg = kiosk_rgb(0xEFF6FF);
  w->fg = kiosk_rgb(0x1E3A8A);
  w->font_px = m->body;
  w->bold = true;
  w->radius = m->radius / 2;
  w->pad = m->gap / 2;
  w->align = KA_CENTER;
  w->icon = ICON_INFO;
  w->icon_fg = w->fg;
  w->flags |= KF_SHRINK;
}

/* The question above the levels. */
static void question(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, int lines)
{
  kiosk_widget *q = kiosk_label(app, ui, r, kiosk_s(app, "status.rate_question"), app->m.body, true, KIOSK_C_INK);
  q->align = KA_CENTER;
  q->flags |= KF_SHRINK | KF_ELLIPSIS | KF_BALANCE;
  q->max_lines = lines;
}

/* Portrait: a rule, the question and the levels in a row along the foot
 * of the card. */
static SDL_Rect block_below(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_metrics *m = &app->m;
  if (app->screens.status.rating.closed) {
    closed_note(app, ui, kiosk_rect_take_bottom(&in, m->button_h, m->gap));
    return in;
  }
  levels(app, ui, kiosk_rect_take_bottom(&in, m->button_h * 5 / 4, m->gap / 2), false, -1, m->body);
  question(app, ui, kiosk_rect_take_bottom(&in, m->body * 3 / 2, m->gap), 1);
  kiosk_ui_add(ui, KW_PANEL, kiosk_rect_take_bottom(&in, 2, m->gap), NULL)->bg = kiosk_rgb(0xE5E7EB);
  return in;
}

/* Landscape: a column on the right, so the record keeps the card's
 * height for its timeline or answer. */
static SDL_Rect block_beside(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  const kiosk_metrics *m = &app->m;
  int w = in.w * 2 / 5;
  SDL_Rect col = {in.x + in.w - w, in.y, w, in.h};
  in.w -= w + m->margin;
  kiosk_ui_add(ui, KW_PANEL, (SDL_Rect){col.x - m->margin / 2 - 1, col.y, 2, col.h}, NULL)->bg =
    kiosk_rgb(0xE5E7EB);
  if (app->screens.status.rating.closed) {
    closed_note(app, ui, kiosk_rect_take_top(&col, m->button_h * 2, m->gap));
    return in;
  }
  int levels_h = 3 * m->button_h + 2 * m->gap;
  int q_h = m->body * 3;
  if (q_h + m->gap + levels_h > col.h)
    levels_h = col.h - q_h - m->gap;
  question(app, ui, kiosk_rect_take_top(&col, q_h, m->gap), 2);
  levels(app, ui, kiosk_rect_take_top(&col, levels_h, 0), true, -1, m->body);
  return in;
}

SDL_Rect kiosk_status_rating_block(kiosk_app *app, kiosk_ui *ui, SDL_Rect in)
{
  if (!app->screens.status.rating.closed && !kiosk_status_rateable(app))
    return in;
  return app->m.portrait ? block_below(app, ui, in) : block_beside(app, ui, in);
}

/* The level (changeable) and the comment with the keyboard beside or
 * below it. */
static void build_rate(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_status_state *st = &app->screens.status;
  kiosk_status_rating *r = &st->rating;
  char title[96];
  kiosk_sf(app, title, sizeof title, "status.rate_prompt", "number", record_number(st), NULL);
  kiosk_widget *p = kiosk_label(app, ui, kiosk_rect_take_top(&area, m->title * 3 / 2, m->gap / 2), title, m->title,
                                true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  if (m->portrait)
    area = kiosk_error_box(app, ui, area);
  area = kiosk_nav(app, ui, area, "nav.back", "status.rate_submit", r->level >= 0);
  kiosk_src_phrases(&r->phrases, "src.phrases", kiosk_s(app, "phrases.rating"), kiosk_s(app, "phrases.separator"));
  const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
  int n = kiosk_text_sources(&app->kb, srcs, &r->phrases);
  int field_h = m->small * 3 / 2 + m->gap / 4 + m->button_h * 3 / 2;
  SDL_Rect fields, keys;
  if (m->portrait) {
    levels(app, ui, kiosk_rect_take_top(&area, m->button_h, m->gap), false, r->level, m->body);
    int kb_h = kiosk_keyboard_height(app, srcs, n, r->source);
    if (kb_h > 0 && area.h - kb_h - m->gap > field_h)
      field_h = area.h - kb_h - m->gap;
    kiosk_form_split(app, ui, area, field_h, &fields, &keys);
  } else {
    /* Landscape: the levels stacked at the head of the fields' column
     * (side by side they would be too narrow for their words); the keys
     * keep the full height. */
    kiosk_form_split(app, ui, area, field_h, &fields, &keys);
    levels(app, ui, kiosk_rect_take_top(&fields, 3 * m->button_h + 2 * m->gap, m->gap), true, r->level, m->body);
  }
  r->comment.error = !strcmp(app->form.error_field, "comment");
  kiosk_field_widget(app, ui, fields, "field.rating_comment", &r->comment, FIELD_COMMENT, true, NULL);
  app->form.focus = &r->comment;
  kiosk_keyboard(app, ui, keys, srcs, n, r->source);
}

static const char *status_text(kiosk_app *app, char *key, size_t n)
{
  const kiosk_status_state *st = &app->screens.status;
  const char *status = st->rating.answer.status;
  snprintf(key, n, "%s.%s", st->complaint ? "complaint_status" : "repair_status", status[0] ? status : "closed");
  return kiosk_s(app, key);
}

/* Thanks, and for an unsatisfied resident that somebody will call. */
static void build_rated(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_status_rating *r = &app->screens.status.rating;
  area = kiosk_nav(app, ui, area, "status.again", "nav.done", true);
  SDL_Rect in = kiosk_result_card(app, ui, area);
  kiosk_widget *t = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->huge * 3 / 2, m->gap),
                                kiosk_s(app, "status.rated_thanks"), m->huge, true, KIOSK_C_OK);
  t->align = KA_CENTER;
  t->flags |= KF_SHRINK;
  /* Levels index the names, which start after COMPLAINT_SATISFACTION_NONE. */
  if (r->level + 1 == COMPLAINT_UNSATISFIED) {
    kiosk_widget *w = kiosk_ui_add(ui, KW_BANNER, kiosk_rect_take_top(&in, m->body * 3, m->gap),
                                   kiosk_s(app, "status.rated_follow_up"));
    w->bg = kiosk_rgb(0xFEF3C7);
    w->fg = kiosk_rgb(0x78350F);
    w->font_px = m->body;
    w->bold = true;
    w->radius = m->radius / 2;
    w->pad = m->gap / 2;
    w->align = KA_CENTER;
    w->icon = ICON_PHONE;
    w->icon_fg = w->fg;
    w->flags |= KF_SHRINK;
  }
  kiosk_label(app, ui, kiosk_rect_take_top(&in, m->title * 3 / 2, m->gap / 2), r->answer.number, m->title, true,
              KIOSK_C_INK)->align = KA_CENTER;
  char skey[64], lkey[48], line[256];
  kiosk_sf(app, line, sizeof line, "status.rated_line", "status", status_text(app, skey, sizeof skey), "level",
           kiosk_s(app, level_key(r->level, lkey, sizeof lkey)), NULL);
  kiosk_widget *s = kiosk_label(app, ui, kiosk_rect_take_top(&in, m->body * 2, m->gap), line, m->body, false,
                                KIOSK_C_MUTED);
  s->align = KA_CENTER;
  s->flags |= KF_SHRINK;
}

void kiosk_status_rating_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  switch (app->screens.status.step) {
  case STATUS_STEP_RATE: build_rate(app, ui, area); break;
  case STATUS_STEP_RATING:
    kiosk_label(app, ui, area, kiosk_s(app, "status.rating"), app->m.title, true, KIOSK_C_INK)->align = KA_CENTER;
    break;
  case STATUS_STEP_RATED: build_rated(app, ui, area); break;
  default: break;
  }
}

static void submit(kiosk_app *app)
{
  kiosk_status_state *st = &app->screens.status;
  kiosk_status_rating *r = &st->rating;
  kiosk_app_clear_error(app);
  if (r->level < 0 || r->level >= RATING_LEVELS)
    return;
  if (lobby_text_check(r->comment.buf, 0, COMPLAINT_TEXT_MAX, true) != LOBBY_OK) {
    kiosk_app_error_key(app, "err.local.rating_comment", "comment");
    return;
  }
  kiosk_api_rating in = {.number = record_number(st), .phone_last4 = st->last4.buf,
                         .satisfaction = complaint_satisfaction_names[r->level], .comment = r->comment.buf};
  if (kiosk_api_rating_submit(app->link.net, &in, &r->req) != LOBBY_OK) {
    kiosk_app_error_key(app, "err.rating.network", NULL);
    return;
  }
  st->step = STATUS_STEP_RATING;
}

bool kiosk_status_rating_action(kiosk_app *app, int action, int arg)
{
  kiosk_status_state *st = &app->screens.status;
  kiosk_status_rating *r = &st->rating;
  if (action == KIOSK_ACT_RATE && arg >= 0 && arg < RATING_LEVELS &&
      (st->step == STATUS_STEP_RATE || (st->step == STATUS_STEP_RESULT && kiosk_status_rateable(app)))) {
    if (st->step == STATUS_STEP_RESULT) {
      r->source = 0;
      kiosk_app_clear_error(app);
    }
    r->level = arg;
    st->step = STATUS_STEP_RATE;
    return true;
  }
  if (st->step != STATUS_STEP_RATE)
    return false;
  switch (action) {
  case KIOSK_ACT_NEXT: submit(app); return true;
  case KIOSK_ACT_BACK:
    kiosk_app_clear_error(app);
    st->step = STATUS_STEP_RESULT;
    return true;
  case KIOSK_ACT_SOURCE: r->source = arg; return true;
  default: return false;
  }
}

/* The look-up's record now shows what the rating made of it. */
static void record_rated(kiosk_status_state *st)
{
  const kiosk_api_rating_answer *a = &st->rating.answer;
  if (st->complaint) {
    snprintf(st->complaint_found.status, sizeof st->complaint_found.status, "%s", a->status);
    snprintf(st->complaint_found.satisfaction, sizeof st->complaint_found.satisfaction, "%s",
             complaint_satisfaction_names[st->rating.level]);
  } else {
    snprintf(st->found.status, sizeof st->found.status, "%s", a->status);
  }
}

/* A refusal that ends rating this record: said where the levels were. */
static void close_rating(kiosk_status_state *st, const char *key)
{
  st->rating.closed = true;
  snprintf(st->rating.closed_key, sizeof st->rating.closed_key, "%s", key);
  st->step = STATUS_STEP_RESULT;
}

bool kiosk_status_rating_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_status_state *st = &app->screens.status;
  kiosk_status_rating *r = &st->rating;
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != r->req || st->step != STATUS_STEP_RATING)
    return false;
  if (kiosk_api_parse_rating(ev, &r->answer) == LOBBY_OK) {
    record_rated(st);
    kiosk_field_wipe(&r->comment);
    st->step = STATUS_STEP_RATED;
    return true;
  }
  kiosk_api_error e;
  kiosk_api_parse_error(ev, &e);
  if (e.http_status == 409 && !strcmp(e.code, "not_awaiting_rating")) {
    /* Rated already (here or at another kiosk, or by the desk's call), or
     * not finished after all. */
    close_rating(st, status_awaits_rating(st) ? "status.rated_already" : "status.rate_not_yet");
    return true;
  }
  if (e.http_status == 404) {
    close_rating(st, "err.rating.not_found");
    return true;
  }
  /* Not sent, too many tries, a server error: the resident may try again. */
  st->step = STATUS_STEP_RATE;
  kiosk_app_error_from_result(app, ev, "rating");
  return true;
}
