/* Complaints and suggestions (投诉建议): what kind (complaint, suggestion,
 * praise, enquiry), about what (eight categories), the text (quick phrases
 * or the pinyin keyboard), the flat and who (both required for a
 * complaint so it can be answered, optional otherwise), a review page, and
 * the receipt (complaint_receipt.c).  It goes through the outbox exactly
 * once, like a repair. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_complaint.h"
#include "lobby_domain.h"
#include "lobby_text.h"

enum { FIELD_NAME = KIOSK_CONTACT_NAME, FIELD_PHONE = KIOSK_CONTACT_PHONE, FIELD_DESC };

/* The steps a resident sees numbered (kind to review). */
#define COMPLAINT_FORM_STEPS 6

static const char *const step_names[COMPLAINT_STEP_COUNT] = {
  "complaint-kind", "complaint-category", "complaint-desc", "complaint-where",
  "complaint-contact", "complaint-review", "complaint-sending", "complaint-done"};

static const char *complaint_step_name(kiosk_app *app)
{
  return step_names[app->screens.complaint.step];
}

static void complaint_reset(kiosk_app *app)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  kiosk_wipe(st, sizeof *st);
  st->kind = st->category = -1;
  st->building = st->unit = st->room = -1;
  kiosk_field_init(&st->name, KIOSK_FIELD_NAME, 32);
  kiosk_field_init(&st->phone, KIOSK_FIELD_PHONE, 20);
  kiosk_field_init(&st->desc, KIOSK_FIELD_TEXT, COMPLAINT_TEXT_MAX);
}

static void complaint_enter(kiosk_app *app)
{
  complaint_reset(app);
  /* A building with one block skips a needless tap. */
  if (kiosk_api_dir_count(kiosk_feed_directory(app)) == 1)
    app->screens.complaint.building = 0;
}

static void complaint_leave(kiosk_app *app)
{
  complaint_reset(app);
}

/* Only a complaint must say who and where: it is answered and visited. */
static bool needs_contact(const kiosk_complaint_state *st)
{
  return st->kind >= 0 && complaint_kind_needs_contact((complaint_kind)st->kind);
}

static SDL_Rect step_top(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area, const char *prompt_key)
{
  const kiosk_metrics *m = &app->m;
  const kiosk_complaint_state *st = &app->screens.complaint;
  SDL_Rect pr;
  if (m->portrait) {
    kiosk_step_dots(app, ui, kiosk_rect_take_top(area, m->small * 2, m->gap / 2), (int)st->step, COMPLAINT_FORM_STEPS);
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
  } else {
    /* Landscape saves a row: the prompt and the progress share one. */
    pr = kiosk_rect_take_top(area, m->title * 3 / 2, m->gap / 2);
    SDL_Rect dots = {pr.x + pr.w * 3 / 5, pr.y, pr.w * 2 / 5, pr.h};
    pr.w = pr.w * 3 / 5 - m->gap;
    kiosk_step_dots(app, ui, dots, (int)st->step, COMPLAINT_FORM_STEPS);
  }
  kiosk_widget *p = kiosk_label(app, ui, pr, kiosk_s(app, prompt_key), m->title, true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  /* Landscape steps with a keyboard show the error beside the keys
   * (kiosk_form_split), so the keys keep their height. */
  bool keys = st->step == COMPLAINT_STEP_CONTACT || st->step == COMPLAINT_STEP_DESC;
  if (m->portrait || !keys)
    *area = kiosk_error_box(app, ui, *area);
  return *area;
}

static kiosk_icon kind_icon(int kind)
{
  static const kiosk_icon icons[COMPLAINT_KIND_COUNT] = {ICON_ALERT, ICON_INFO, ICON_CHECK, ICON_SEARCH};
  return kind >= 0 && kind < COMPLAINT_KIND_COUNT ? icons[kind] : ICON_INFO;
}

static unsigned kind_color(int kind)
{
  static const unsigned colors[COMPLAINT_KIND_COUNT] = {0xB91C1C, 0x1D4ED8, 0x047857, 0x6D28D9};
  return kind >= 0 && kind < COMPLAINT_KIND_COUNT ? colors[kind] : 0x475569;
}

static void build_kind(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_complaint_state *st = &app->screens.complaint;
  step_top(app, ui, &area, "complaint.kind_prompt");
  area = kiosk_nav(app, ui, area, "nav.cancel", "nav.next", st->kind >= 0);
  /* Stacked from the top in portrait, two by two in landscape; each says
   * whether it may be anonymous. */
  int cols = 2, rows = 2;
  for (int i = 0; i < COMPLAINT_KIND_COUNT; i++) {
    char key[48], hint[56], text[256];
    snprintf(key, sizeof key, "complaint_kind.%s", complaint_kind_names[i]);
    snprintf(hint, sizeof hint, "complaint_kind.%s.hint", complaint_kind_names[i]);
    snprintf(text, sizeof text, "%s\n%s", kiosk_s(app, key), kiosk_s(app, hint));
    SDL_Rect r = m->portrait ? kiosk_rect_take_top(&area, m->button_h * 2, m->gap)
                             : kiosk_grid_cell(area, cols, rows, i, m->gap);
    kiosk_widget *w = kiosk_choice(app, ui, r, text, KIOSK_ACT_KIND, i, i == st->kind);
    w->align = KA_LEFT;
    w->icon = kind_icon(i);
    w->icon_fg = i == st->kind ? kiosk_rgb(0xFFFFFF) : kiosk_rgb(kind_color(i));
    w->pad = m->gap;
    w->font_px = m->body;
  }
}

static int category_count(void)
{
  int n = 0;
  while (complaint_category_names[n])
    n++;
  return n;
}

/* In complaint_category_names' order. */
static kiosk_icon category_icon(int category)
{
  static const kiosk_icon icons[] = {ICON_COMMUNITY, ICON_PUBLIC_AREA, ICON_SAFETY, ICON_ALERT,
                                     ICON_PIN, ICON_FEES, ICON_WORKS, ICON_OTHER};
  int n = (int)(sizeof icons / sizeof icons[0]);
  return category >= 0 && category < n ? icons[category] : ICON_OTHER;
}

static void build_category(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_complaint_state *st = &app->screens.complaint;
  step_top(app, ui, &area, "complaint.category_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", st->category >= 0);
  int cols = m->portrait ? 2 : 4, rows = m->portrait ? 4 : 2;
  for (int i = 0; complaint_category_names[i]; i++) {
    char key[64];
    snprintf(key, sizeof key, "complaint_category.%s", complaint_category_names[i]);
    SDL_Rect c = kiosk_grid_cell(area, cols, rows, i, m->gap);
    kiosk_widget *w = kiosk_choice(app, ui, c, kiosk_s(app, key), KIOSK_ACT_CATEGORY, i, i == st->category);
    w->icon = category_icon(i);
    w->icon_fg = i == st->category ? kiosk_rgb(0xFFFFFF) : kiosk_rgb(KIOSK_C_HEADER);
    w->font_px = m->title;
    if (c.h > m->button_h * 3 / 2)
      w->flags |= KF_ICON_TOP;
  }
}

static void build_desc(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  const kiosk_metrics *m = &app->m;
  kiosk_complaint_state *st = &app->screens.complaint;
  step_top(app, ui, &area, "complaint.desc_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "nav.next", true);
  char key[64];
  snprintf(key, sizeof key, "phrases.complaint.%s",
           st->category >= 0 ? complaint_category_names[st->category] : "other");
  kiosk_src_phrases(&st->phrases, "src.phrases", kiosk_s(app, key), kiosk_s(app, "phrases.separator"));
  const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
  int n = kiosk_text_sources(&app->kb, srcs, &st->phrases);
  /* Portrait: the text grows into what the keyboard leaves. */
  int fields_h = m->button_h * 2 + m->small * 2;
  int kb_h = kiosk_keyboard_height(app, srcs, n, st->source);
  if (m->portrait && kb_h > 0 && area.h - kb_h - m->gap > fields_h)
    fields_h = area.h - kb_h - m->gap;
  SDL_Rect fields, keys;
  kiosk_form_split(app, ui, area, fields_h, &fields, &keys);
  st->desc.error = strcmp(app->form.error_field, "description") == 0;
  kiosk_field_widget(app, ui, fields, "review.content", &st->desc, FIELD_DESC, true, NULL);
  app->form.focus = &st->desc;
  kiosk_keyboard(app, ui, keys, srcs, n, st->source);
}

static void build_where(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  bool needed = needs_contact(st);
  step_top(app, ui, &area, needed ? "complaint.where_prompt" : "complaint.where_prompt_optional");
  /* Optional: with no flat chosen the button says it is skipped. */
  area = kiosk_nav(app, ui, area, "nav.prev", needed || st->room >= 0 ? "nav.next" : "complaint.skip",
                   st->room >= 0 || !needed);
  kiosk_unit_picker(app, ui, area, st->building, st->unit, st->room, st->room_page, false);
}

static kiosk_contact contact(kiosk_app *app)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  return (kiosk_contact){&st->name, &st->phone, &st->focus, &st->phrases, st->source};
}

/* The screen says plainly that leaving both empty is allowed: above the
 * fields in portrait; in landscape at the foot of the fields' column, so
 * the keyboard beside it keeps its height. */
static void anonymous_note(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area)
{
  const kiosk_metrics *m = &app->m;
  SDL_Rect note;
  if (m->portrait) {
    note = kiosk_rect_take_top(area, m->small * 2, m->gap / 2);
  } else {
    int h = m->small * 4;
    note = (SDL_Rect){area->x, area->y + area->h - h, area->w * 2 / 5, h};
  }
  kiosk_widget *w = kiosk_label(app, ui, note, kiosk_s(app, "complaint.anonymous_note"), m->small, true, KIOSK_C_OK);
  w->icon = ICON_INFO;
  w->icon_fg = w->fg;
  w->max_lines = m->portrait ? 2 : 3;
  w->flags |= KF_SHRINK | KF_ELLIPSIS;
}

static void build_contact(kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  bool needed = needs_contact(st);
  step_top(app, ui, &area, needed ? "complaint.contact_prompt" : "complaint.contact_prompt_optional");
  bool empty = !st->name.buf[0] && !st->phone.buf[0];
  area = kiosk_nav(app, ui, area, "nav.prev", !needed && empty ? "complaint.anonymous_next" : "nav.next", true);
  if (!needed)
    anonymous_note(app, ui, &area);
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
  kiosk_complaint_state *st = &app->screens.complaint;
  step_top(app, ui, &area, "complaint.review_prompt");
  area = kiosk_nav(app, ui, area, "nav.prev", "complaint.submit", true);
  kiosk_widget *card = kiosk_ui_add(ui, KW_PANEL, area, NULL);
  card->bg = kiosk_rgb(KIOSK_C_CARD);
  card->radius = m->radius;
  SDL_Rect in = kiosk_rect_inset(area, m->gap);
  char text[256], key[64], masked[32];
  snprintf(key, sizeof key, "complaint_kind.%s", complaint_kind_names[st->kind]);
  review_row(app, ui, &in, "review.kind", kiosk_s(app, key), 1);
  snprintf(key, sizeof key, "complaint_category.%s", complaint_category_names[st->category]);
  review_row(app, ui, &in, "review.category", kiosk_s(app, key), 1);
  kiosk_unit_text(app, st->building, st->unit, st->room, text, sizeof text);
  review_row(app, ui, &in, "review.unit", st->room >= 0 ? text : kiosk_s(app, "review.none"), 1);
  bool anonymous = !st->phone.buf[0];
  review_row(app, ui, &in, "review.name", anonymous ? kiosk_s(app, "complaint.anonymous") : st->name.buf, 1);
  lobby_phone_mask(st->phone.buf, masked, sizeof masked);
  review_row(app, ui, &in, "review.phone", anonymous ? kiosk_s(app, "review.none") : masked, 1);
  int lh = kiosk_text_line_height(app->text, m->body, false);
  int lines = (in.h - m->gap) / lh;
  review_row(app, ui, &in, "review.content", st->desc.buf, lines < 1 ? 1 : (lines > 6 ? 6 : lines));
}

static void complaint_build(kiosk_app *app, kiosk_ui *ui)
{
  kiosk_complaint_step step = app->screens.complaint.step;
  SDL_Rect area = kiosk_frame(app, ui, "complaint.title", step != COMPLAINT_STEP_DONE);
  switch (step) {
  case COMPLAINT_STEP_KIND: build_kind(app, ui, area); break;
  case COMPLAINT_STEP_CATEGORY: build_category(app, ui, area); break;
  case COMPLAINT_STEP_DESC: build_desc(app, ui, area); break;
  case COMPLAINT_STEP_WHERE: build_where(app, ui, area); break;
  case COMPLAINT_STEP_CONTACT: build_contact(app, ui, area); break;
  case COMPLAINT_STEP_REVIEW: build_review(app, ui, area); break;
  case COMPLAINT_STEP_SENDING:
    kiosk_label(app, ui, area, kiosk_s(app, "complaint.sending"), app->m.title, true, KIOSK_C_INK)->align = KA_CENTER;
    break;
  case COMPLAINT_STEP_DONE: kiosk_complaint_receipt_build(app, ui, area); break;
  default: break;
  }
}

/* Shows a problem with one of the two fields and gives it the keyboard. */
static bool contact_error(kiosk_app *app, const char *key, int field)
{
  kiosk_app_error_key(app, key, field == FIELD_PHONE ? "phone" : "name");
  app->screens.complaint.focus = field;
  return false;
}

/* A complaint needs a name and a valid phone; the other kinds take both
 * or neither (anonymous). */
static bool contact_valid(kiosk_app *app)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  bool has_name = st->name.buf[0] != '\0', has_phone = st->phone.buf[0] != '\0';
  if (!needs_contact(st)) {
    if (!has_name && !has_phone)
      return true;
    if (!has_name || !has_phone)
      return contact_error(app, "err.local.contact_pair", has_name ? FIELD_PHONE : FIELD_NAME);
  }
  if (lobby_text_check(st->name.buf, 1, 32, false) != LOBBY_OK)
    return contact_error(app, "err.local.name", FIELD_NAME);
  if (!has_phone)
    return contact_error(app, "err.local.complaint_phone_missing", FIELD_PHONE);
  if (!lobby_phone_valid(st->phone.buf))
    return contact_error(app, "err.local.phone", FIELD_PHONE);
  return true;
}

static lobby_err submit(kiosk_app *app)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  kiosk_api_complaint in = {.kind = complaint_kind_names[st->kind],
                            .category = complaint_category_names[st->category], .description = st->desc.buf};
  if (st->room >= 0 && !kiosk_unit_codes(app, st->building, st->unit, st->room, &in.building, &in.unit, &in.room))
    return LOBBY_EINVAL;
  if (needs_contact(st) && !in.building)
    return LOBBY_EINVAL;
  if (st->phone.buf[0]) {
    in.name = st->name.buf;
    in.phone = st->phone.buf;
  }
  return kiosk_api_complaint_submit(app->link.net, &in, &st->req);
}

static void next(kiosk_app *app)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  kiosk_app_clear_error(app);
  switch (st->step) {
  case COMPLAINT_STEP_KIND:
    if (st->kind >= 0)
      st->step = COMPLAINT_STEP_CATEGORY;
    break;
  case COMPLAINT_STEP_CATEGORY:
    if (st->category >= 0) {
      st->step = COMPLAINT_STEP_DESC;
      st->source = 0;
    }
    break;
  case COMPLAINT_STEP_DESC:
    if (lobby_text_check(st->desc.buf, 1, COMPLAINT_TEXT_MAX, true) != LOBBY_OK)
      kiosk_app_error_key(app, "err.local.complaint_text", "description");
    else
      st->step = COMPLAINT_STEP_WHERE;
    break;
  case COMPLAINT_STEP_WHERE:
    if (st->room >= 0 || !needs_contact(st)) {
      st->step = COMPLAINT_STEP_CONTACT;
      st->source = 0;
    }
    break;
  case COMPLAINT_STEP_CONTACT:
    if (contact_valid(app))
      st->step = COMPLAINT_STEP_REVIEW;
    break;
  case COMPLAINT_STEP_REVIEW:
    st->step = COMPLAINT_STEP_SENDING;
    if (submit(app) != LOBBY_OK) {
      st->step = COMPLAINT_STEP_REVIEW;
      kiosk_app_error_key(app, "err.network", NULL);
    }
    break;
  case COMPLAINT_STEP_DONE:
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    break;
  default:
    break;
  }
}

static void back(kiosk_app *app)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  kiosk_app_clear_error(app);
  if (st->step == COMPLAINT_STEP_KIND || st->step == COMPLAINT_STEP_DONE) {
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
  } else if (st->step != COMPLAINT_STEP_SENDING) {
    st->step--;
    st->source = 0;
  }
}

static void complaint_action(kiosk_app *app, int action, int arg)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  switch (action) {
  case KIOSK_ACT_NEXT: next(app); break;
  case KIOSK_ACT_BACK: back(app); break;
  case KIOSK_ACT_KIND:
    if (arg >= 0 && arg < COMPLAINT_KIND_COUNT)
      st->kind = arg;
    break;
  case KIOSK_ACT_CATEGORY:
    if (arg >= 0 && arg < category_count())
      st->category = arg;
    break;
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
  case KIOSK_ACT_PICK_ROOM:
    /* Where the flat is optional, tapping the chosen room again unpicks it. */
    st->room = st->room == arg && !needs_contact(st) ? -1 : arg;
    break;
  case KIOSK_ACT_PAGE: st->room_page = arg < 0 ? 0 : arg; break;
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
static kiosk_complaint_step step_for_field(const char *field)
{
  if (!strcmp(field, "name") || !strcmp(field, "phone"))
    return COMPLAINT_STEP_CONTACT;
  if (!strcmp(field, "description"))
    return COMPLAINT_STEP_DESC;
  if (!strcmp(field, "category"))
    return COMPLAINT_STEP_CATEGORY;
  if (!strcmp(field, "kind"))
    return COMPLAINT_STEP_KIND;
  if (!strncmp(field, "unit", 4))
    return COMPLAINT_STEP_WHERE;
  return COMPLAINT_STEP_REVIEW;
}

static void complaint_result(kiosk_app *app, const kiosk_event *ev)
{
  kiosk_complaint_state *st = &app->screens.complaint;
  kiosk_outbox_answer *a = &st->answer.sent;
  /* A queued one that just went through shows its real number. */
  if (st->step == COMPLAINT_STEP_DONE && kiosk_outbox_answer_delivered(a, ev))
    return;
  if (ev->kind != KIOSK_EV_RESULT || ev->request_id != st->req || st->step != COMPLAINT_STEP_SENDING)
    return;
  if (ev->state == KIOSK_RESULT_QUEUED) {
    kiosk_outbox_answer_queued(a, ev);
    st->step = COMPLAINT_STEP_DONE;
    return;
  }
  kiosk_api_complaint_receipt receipt;
  if (kiosk_api_parse_complaint_receipt(ev, &receipt) == LOBBY_OK) {
    snprintf(a->number, sizeof a->number, "%s", receipt.number);
    snprintf(a->follow_url, sizeof a->follow_url, "%s", receipt.follow_url);
    snprintf(st->answer.reply_due_at, sizeof st->answer.reply_due_at, "%s", receipt.reply_due_at);
    st->step = COMPLAINT_STEP_DONE;
    return;
  }
  kiosk_app_error_from_result(app, ev, "complaint");
  st->step = step_for_field(app->form.error_field);
  if (st->step == COMPLAINT_STEP_CONTACT)
    st->focus = strcmp(app->form.error_field, "phone") == 0 ? FIELD_PHONE : FIELD_NAME;
}

const kiosk_screen kiosk_screen_complaint = {
  .name = "complaint", .form = true, .enter = complaint_enter, .leave = complaint_leave,
  .build = complaint_build, .action = complaint_action, .result = complaint_result,
  .step_name = complaint_step_name};
