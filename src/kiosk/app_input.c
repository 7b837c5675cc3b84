/* Actions from taps and keys, and pointer handling shared by mouse and
 * touch. */
#include "kiosk_app.h"

#include <stdlib.h>
#include "lobby_log.h"

/* Actions that belong to the keyboard leave a composition pending; going
 * home wipes it (kiosk_app_go); anything else commits it first. */
static bool leaves_composition(int action)
{
  return action == KIOSK_ACT_KEY || action == KIOSK_ACT_CANDIDATE || action == KIOSK_ACT_CANDIDATE_PAGE ||
         action == KIOSK_ACT_HOME;
}

static void commit_before(kiosk_app *app, int action)
{
  if (leaves_composition(action) || !kiosk_keyboard_composing(&app->kb))
    return;
  lobby_err err = kiosk_keyboard_commit_pending(&app->kb);
  if (err != LOBBY_OK && err != LOBBY_ETOOBIG)
    LOBBY_WARN("committing the composition: %s", lobby_strerror(err));
}

static void keyboard_key(kiosk_app *app, int arg)
{
  if (app->form.source && app->form.focus) {
    app->form.source->press(app->form.source, &app->kb, arg, app->form.focus);
    if (app->form.error_field[0])
      kiosk_app_clear_error(app);
  }
  app->dirty = true;
  if (app->kb.want_next) {
    /* 完成 ends the field like the form's own next button. */
    app->kb.want_next = false;
    if (kiosk_screen_get(app->screen)->action)
      kiosk_screen_get(app->screen)->action(app, KIOSK_ACT_NEXT, 0);
  }
}

static void candidate_action(kiosk_app *app, int action, int arg)
{
  lobby_err err = action == KIOSK_ACT_CANDIDATE ? kiosk_keyboard_choose(&app->kb, arg)
                                                : kiosk_keyboard_page(&app->kb, arg);
  if (err != LOBBY_OK && err != LOBBY_ENOTFOUND && err != LOBBY_ETOOBIG)
    LOBBY_WARN("candidate bar: %s", lobby_strerror(err));
  if (action == KIOSK_ACT_CANDIDATE && app->form.error_field[0])
    kiosk_app_clear_error(app);
  app->dirty = true;
}

void kiosk_app_action(kiosk_app *app, int action, int arg)
{
  app->action_t0 = SDL_GetPerformanceCounter();
  kiosk_app_touch(app);
  commit_before(app, action);
  switch (action) {
  case KIOSK_ACT_HOME:
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    return;
  case KIOSK_ACT_LANG:
    kiosk_app_set_lang(app, !app->lang);
    return;
  case KIOSK_ACT_GO:
    if (arg >= 0 && arg < KIOSK_SCREEN_COUNT)
      kiosk_app_go(app, (kiosk_screen_id)arg);
    return;
  case KIOSK_ACT_KEY:
    keyboard_key(app, arg);
    return;
  case KIOSK_ACT_CANDIDATE:
  case KIOSK_ACT_CANDIDATE_PAGE:
    candidate_action(app, action, arg);
    return;
  default:
    break;
  }
  if (kiosk_screen_get(app->screen)->action)
    kiosk_screen_get(app->screen)->action(app, action, arg);
  app->dirty = true;
}

void kiosk_app_type(kiosk_app *app, const char *utf8)
{
  kiosk_app_touch(app);
  if (!app->form.focus)
    return;
  commit_before(app, KIOSK_ACT_NONE);
  if (kiosk_field_commit(app->form.focus, utf8) == LOBBY_ETOOBIG)
    LOBBY_DEBUG("field full");
  kiosk_app_clear_error(app);
  app->dirty = true;
}

void kiosk_app_tap(kiosk_app *app, int x, int y)
{
  kiosk_app_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
  kiosk_app_pointer(app, SDL_MOUSEBUTTONUP, x, y);
}

/* The touch that wakes the screen at night acts on nothing: the person
 * could not see what was under the finger. */
static void pointer_at_night(kiosk_app *app, int type)
{
  kiosk_app_touch(app);
  app->pointer.pressed = false;
  if (type == SDL_MOUSEBUTTONDOWN) {
    LOBBY_INFO("touched at night: the screen wakes");
    app->clock.night_dark = false;
    app->dirty = true;
  }
}

static void press_widget(kiosk_app *app, const kiosk_widget *hit)
{
  app->pointer.pressed_action = hit->action;
  app->pointer.pressed_arg = hit->arg;
  app->pointer.pressed_rect = hit->rect;
  app->dirty = true;
  if ((hit->flags & KF_REPEAT) && hit->action == KIOSK_ACT_KEY) {
    /* Backspace acts under the finger at once and repeats while held. */
    app->pointer.pressed_fired = true;
    kiosk_app_action(app, KIOSK_ACT_KEY, hit->arg);
    kiosk_keyboard_hold(&app->kb, hit->arg, kiosk_app_ms(app));
  }
}

static void pointer_down(kiosk_app *app, kiosk_scroller *s, int x, int y, int64_t ms)
{
  const kiosk_widget *hit = kiosk_ui_hit(&app->ui, x, y);
  app->pointer.pressed = hit != NULL;
  app->pointer.pressed_fired = false;
  if (hit)
    press_widget(app, hit);
  SDL_Point pt = {x, y};
  if (s && SDL_PointInRect(&pt, &app->pointer.scroll_view)) {
    s->down = true;
    s->dragging = false;
    s->down_y = s->last_y = (float)y;
    s->down_pos = s->pos;
    s->vel = 0;
    s->last_ms = ms;
  }
}

/* A finger moving more than a few pixels in a scroll view drags it. */
static void pointer_move(kiosk_app *app, kiosk_scroller *s, int y, int64_t ms)
{
  if (!s || !s->down)
    return;
  int slop = (int)(24 * app->m.u) + 6;
  if (!s->dragging && abs(y - (int)s->down_y) > slop) {
    s->dragging = true;
    app->pointer.pressed = false; /* a drag is not a tap */
    kiosk_keyboard_release(&app->kb);
  }
  if (!s->dragging)
    return;
  float dt = (float)(ms - s->last_ms) / 1000.0f;
  float np = s->down_pos - ((float)y - s->down_y);
  np = np < 0 ? 0 : (np > s->max ? s->max : np);
  if (dt > 0.001f)
    s->vel = 0.6f * s->vel + 0.4f * ((s->last_y - (float)y) / dt);
  s->pos = np;
  s->last_y = (float)y;
  s->last_ms = ms;
  app->dirty = true;
}

/* The release taps the pressed widget unless the finger dragged, left
 * it, or a repeating key acted on the press already. */
static void pointer_up(kiosk_app *app, kiosk_scroller *s, int x, int y, int64_t ms)
{
  bool dragged = s && s->down && s->dragging;
  if (s) {
    s->down = false;
    if (ms - s->last_ms > 120)
      s->vel = 0; /* the finger stopped before lifting */
  }
  bool pressed = app->pointer.pressed, fired = app->pointer.pressed_fired;
  app->pointer.pressed = false;
  app->pointer.pressed_fired = false;
  kiosk_keyboard_release(&app->kb);
  app->dirty |= pressed;
  if (dragged || !pressed || fired)
    return;
  SDL_Point up = {x, y};
  if (SDL_PointInRect(&up, &app->pointer.pressed_rect))
    kiosk_app_action(app, app->pointer.pressed_action, app->pointer.pressed_arg);
}

/* Pointer handling shared by mouse and touch: a press that moves more
 * than a few pixels inside a scroll view drags it; otherwise the release
 * taps the widget under the press. */
void kiosk_app_pointer(kiosk_app *app, int type, int x, int y)
{
  if (app->clock.night_dark) {
    pointer_at_night(app, type);
    return;
  }
  kiosk_app_touch(app);
  kiosk_scroller *s = app->pointer.scroller;
  int64_t ms = kiosk_app_ms(app);
  if (type == SDL_MOUSEBUTTONDOWN)
    pointer_down(app, s, x, y, ms);
  else if (type == SDL_MOUSEMOTION)
    pointer_move(app, s, y, ms);
  else if (type == SDL_MOUSEBUTTONUP)
    pointer_up(app, s, x, y, ms);
}
