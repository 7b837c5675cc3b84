/* One frame: the widget tree rebuilt when the state changed, drawn (only
 * what changed where the target keeps its pixels) and presented. */
#include "kiosk_app.h"

#include <string.h>
#include "lobby_log.h"
#include "lobby_time.h"

lobby_err kiosk_app_rebuild(kiosk_app *app)
{
  const char *name = kiosk_app_screen_name(app);
  /* Staff reading the log see what the screen showed when. */
  if (strcmp(app->logged_screen, name) != 0) {
    LOBBY_INFO("screen %s", name);
    snprintf(app->logged_screen, sizeof app->logged_screen, "%s", name);
  }
  kiosk_ui_reset(&app->ui, app->m.w, app->m.h, name);
  app->focus = NULL;
  app->source = NULL;
  app->scroller = NULL;
  json_t *em = kiosk_feed_emergency(app);
  if (em)
    kiosk_emergency_build(app, &app->ui, em);
  else if (app->night_dark)
    kiosk_night_build(app, &app->ui);
  else
    kiosk_screen_get(app->screen)->build(app, &app->ui);
  app->dirty = false;
  return kiosk_ui_finish(&app->ui, app->text);
}

/* What must be redrawn: the whole screen (false), or only region.  On
 * the headless surface, which keeps its pixels, a keystroke then redraws
 * the candidate bar and the field instead of the whole screen.  A window's
 * back buffers do not keep their pixels, so it always redraws all. */
static bool frame_damage(kiosk_app *app, bool rebuilt, SDL_Rect *region)
{
  bool partial = app->surface && app->frame_kept;
  if (rebuilt || !partial) {
    if (kiosk_ui_signatures(&app->ui, &app->sigs_next) != LOBBY_OK)
      return app->frame_kept = false;
    kiosk_ui_sigs t = app->sigs_shown;
    app->sigs_shown = app->sigs_next;
    app->sigs_next = t;
  }
  bool any = partial && rebuilt && kiosk_ui_damage(&app->sigs_next, &app->sigs_shown, region);
  /* The pressed overlay is drawn over the tree: where it was and is. */
  if (partial && (app->shown_pressed || app->pressed) &&
      (app->shown_pressed != app->pressed || !SDL_RectEquals(&app->shown_pressed_rect, &app->pressed_rect))) {
    SDL_Rect r = app->shown_pressed ? app->shown_pressed_rect : app->pressed_rect;
    if (app->shown_pressed && app->pressed)
      SDL_UnionRect(&r, &app->pressed_rect, &r);
    if (any)
      SDL_UnionRect(region, &r, region);
    else
      *region = r;
    any = true;
  }
  if (!any)
    *region = (SDL_Rect){0, 0, 0, 0};
  return partial;
}

/* Turns the frame drawn at the laid-out size onto the output, clockwise
 * about the output's centre. */
static void present_rotated(kiosk_app *app)
{
  const kiosk_metrics *m = &app->m;
  SDL_SetRenderTarget(app->ren, NULL);
  SDL_SetRenderDrawColor(app->ren, 0, 0, 0, 255);
  SDL_RenderClear(app->ren);
  SDL_Rect dst = {(m->out_w - m->w) / 2, (m->out_h - m->h) / 2, m->w, m->h};
  SDL_RenderCopyEx(app->ren, app->rotated, NULL, &dst, (double)app->cfg.rotation, NULL, SDL_FLIP_NONE);
}

lobby_err kiosk_app_frame(kiosk_app *app, bool present)
{
  int64_t t0 = lobby_monotonic_ms();
  Uint64 c0 = SDL_GetPerformanceCounter();
  lobby_err err = LOBBY_OK;
  bool rebuilt = app->dirty;
  if (app->dirty)
    err = kiosk_app_rebuild(app);
  if (app->rotated)
    SDL_SetRenderTarget(app->ren, app->rotated);
  SDL_Rect region;
  bool partial = frame_damage(app, rebuilt, &region);
  SDL_Color bg = kiosk_rgb(KIOSK_C_BG);
  SDL_SetRenderDrawColor(app->ren, bg.r, bg.g, bg.b, 255);
  if (!partial) {
    SDL_RenderClear(app->ren);
    kiosk_ui_draw(&app->ui, app->ren, app->text);
  } else if (region.w > 0 && region.h > 0) {
    SDL_SetRenderDrawBlendMode(app->ren, SDL_BLENDMODE_NONE);
    SDL_RenderFillRect(app->ren, &region);
    kiosk_ui_draw_region(&app->ui, app->ren, app->text, &region);
  }
  if (app->pressed && (!partial || SDL_HasIntersection(&app->pressed_rect, &region))) {
    /* Feedback under the finger: the pressed control darkens. */
    if (partial)
      SDL_RenderSetClipRect(app->ren, &region);
    kiosk_fill_round(app->ren, app->pressed_rect, app->m.radius / 2, (SDL_Color){0, 0, 0, 60});
    SDL_RenderSetClipRect(app->ren, NULL);
  }
  app->shown_pressed = app->pressed;
  app->shown_pressed_rect = app->pressed_rect;
  app->frame_kept = app->surface != NULL;
  if (app->rotated)
    present_rotated(app);
  if (present)
    SDL_RenderPresent(app->ren);
  kiosk_keyboard_frame_done(app);
  double ms = (double)(SDL_GetPerformanceCounter() - c0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
  kiosk_stats_add(&app->stats, app->ui.screen ? app->ui.screen : "?", (float)ms);
  if (!app->first_frame_ms)
    app->first_frame_ms = t0 + (int64_t)ms - app->start_ms;
  int64_t minute = kiosk_app_now(app) / 60;
  app->shown_minute = minute;
  return err;
}
