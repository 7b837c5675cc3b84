/* One frame: the widget tree rebuilt when the state changed, drawn (only
 * what changed where the target keeps its pixels) and presented. */
#include "kiosk_app_internal.h"

#include <stdlib.h>

#include <stddef.h>
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
  app->form.focus = NULL;
  app->form.source = NULL;
  app->pointer.scroller = NULL;
  /* An emergency or the night covers the current screen (screen_table.c). */
  kiosk_screen_shown(app)->build(app, &app->ui);
  app->dirty = false;
  return kiosk_ui_finish(&app->ui, app->text);
}

/* The surface the frame is drawn on when it keeps its pixels. */
static SDL_Surface *kept_surface(const kiosk_app *app)
{
  if (app->display.surface)
    return app->display.surface;
  return app->display.window_surface ? SDL_GetWindowSurface(app->display.win) : NULL;
}

/* Moves the pixels of view up by dy rows (down when negative), row by
 * row in the order that never reads a row already written. */
static void move_pixels(SDL_Surface *s, const SDL_Rect *view, int dy)
{
  size_t bytes = (size_t)view->w * s->format->BytesPerPixel;
  int rows = view->h - abs(dy);
  for (int k = 0; k < rows; k++) {
    int to = dy > 0 ? view->y + k : view->y + view->h - 1 - k;
    Uint8 *dst = (Uint8 *)s->pixels + (size_t)to * (size_t)s->pitch + (size_t)view->x * s->format->BytesPerPixel;
    memmove(dst, dst + (ptrdiff_t)dy * s->pitch, bytes);
  }
}

/* While a list scrolls, its pixels are moved and only the strip it
 * uncovers is drawn: drawing the whole view again costs most of a frame
 * (blending every line of text).  Not while a press is shown, whose
 * darkening would move with the pixels. */
static bool scrolled_damage(kiosk_app *app, kiosk_damage *region)
{
  SDL_Surface *s = kept_surface(app);
  SDL_Rect view;
  int dy;
  if (!s || app->display.shown_pressed || app->pointer.pressed || SDL_MUSTLOCK(s) ||
      !kiosk_ui_damage_scrolled(&app->ui, &app->display.sigs_next, &app->display.sigs_shown, &view, &dy, region))
    return false;
  if (SDL_RenderFlush(app->display.ren) != 0) {
    region->n = 0;
    return false;
  }
  move_pixels(s, &view, dy);
  app->display.moved = view;
  return true;
}

/* What must be redrawn: the whole screen (false), or only the region's
 * rectangles.  On
 * a target that keeps its pixels (the headless surface, a software
 * window's surface) a keystroke then redraws the candidate bar and the
 * field, the clock's minute the clock, instead of the whole screen.  A GPU
 * window's back buffers do not keep their pixels, so it always redraws
 * all. */
static bool frame_damage(kiosk_app *app, bool rebuilt, kiosk_damage *region)
{
  app->display.moved = (SDL_Rect){0, 0, 0, 0};
  region->n = 0;
  bool partial = app->display.keeps_pixels && app->display.frame_kept;
  if (rebuilt || !partial) {
    if (kiosk_ui_signatures(&app->ui, &app->display.sigs_next) != LOBBY_OK)
      return app->display.frame_kept = false;
    kiosk_ui_sigs t = app->display.sigs_shown;
    app->display.sigs_shown = app->display.sigs_next;
    app->display.sigs_next = t;
  }
  if (partial && rebuilt && !scrolled_damage(app, region)) {
    region->n = 0;
    kiosk_ui_damage(&app->display.sigs_next, &app->display.sigs_shown, region);
  }
  /* The pressed overlay is drawn over the tree: where it was and is. */
  if (partial && (app->display.shown_pressed != app->pointer.pressed ||
                  (app->pointer.pressed &&
                   !SDL_RectEquals(&app->display.shown_pressed_rect, &app->pointer.pressed_rect)))) {
    if (app->display.shown_pressed)
      kiosk_damage_add(region, app->display.shown_pressed_rect);
    if (app->pointer.pressed)
      kiosk_damage_add(region, app->pointer.pressed_rect);
  }
  return partial;
}

/* Turns the frame drawn at the laid-out size onto the output, clockwise
 * about the output's centre. */
static void present_rotated(kiosk_app *app)
{
  const kiosk_metrics *m = &app->m;
  SDL_SetRenderTarget(app->display.ren, NULL);
  SDL_SetRenderDrawColor(app->display.ren, 0, 0, 0, 255);
  SDL_RenderClear(app->display.ren);
  SDL_Rect dst = {(m->out_w - m->w) / 2, (m->out_h - m->h) / 2, m->w, m->h};
  SDL_RenderCopyEx(app->display.ren, app->display.rotated, NULL, &dst, (double)app->cfg.display.rotation, NULL, SDL_FLIP_NONE);
}

/* Where the point x, y of the laid-out frame lands on the output, turned
 * as present_rotated turns it (kiosk_app_from_output undoes it). */
static void to_output(const kiosk_app *app, int x, int y, int *ox, int *oy)
{
  const kiosk_metrics *m = &app->m;
  switch (app->cfg.display.rotation) {
  case 90:
    *ox = m->out_w - 1 - y;
    *oy = x;
    break;
  case 180:
    *ox = m->out_w - 1 - x;
    *oy = m->out_h - 1 - y;
    break;
  case 270:
    *ox = y;
    *oy = m->out_h - 1 - x;
    break;
  default:
    *ox = x;
    *oy = y;
    break;
  }
}

/* The output rectangle that r of the laid-out frame turns into. */
static SDL_Rect turned_rect(const kiosk_app *app, const SDL_Rect *r)
{
  int x0, y0, x1, y1;
  to_output(app, r->x, r->y, &x0, &y0);
  to_output(app, r->x + r->w - 1, r->y + r->h - 1, &x1, &y1);
  SDL_Rect o = {x0 < x1 ? x0 : x1, y0 < y1 ? y0 : y1, 0, 0};
  o.w = (x0 < x1 ? x1 - x0 : x0 - x1) + 1;
  o.h = (y0 < y1 ? y1 - y0 : y0 - y1) + 1;
  return o;
}

/* Copies r of the rotated software window's frame onto the window's
 * surface, turned, in tiles so that the column-wise writes of a quarter
 * turn stay in the cache. */
static lobby_err turn_onto_window(kiosk_app *app, const SDL_Rect *r)
{
  SDL_Surface *src = app->display.surface, *dst = SDL_GetWindowSurface(app->display.win);
  if (!dst || dst->format->format != src->format->format || dst->w != app->m.out_w || dst->h != app->m.out_h) {
    LOBBY_ERROR("the window's surface no longer matches the frame: %s", dst ? "size or format" : SDL_GetError());
    return LOBBY_EIO;
  }
  /* How far the output moves for one pixel to the right in the frame. */
  ptrdiff_t step = app->cfg.display.rotation == 90 ? dst->pitch : app->cfg.display.rotation == 180 ? -4 : -(ptrdiff_t)dst->pitch;
  enum { TILE = 64 };
  for (int ty = r->y; ty < r->y + r->h; ty += TILE)
    for (int tx = r->x; tx < r->x + r->w; tx += TILE) {
      int ey = SDL_min(ty + TILE, r->y + r->h), ex = SDL_min(tx + TILE, r->x + r->w);
      for (int y = ty; y < ey; y++) {
        const Uint32 *s = (const Uint32 *)((const Uint8 *)src->pixels + (size_t)y * (size_t)src->pitch);
        int ox, oy;
        to_output(app, tx, y, &ox, &oy);
        Uint8 *d = (Uint8 *)dst->pixels + (ptrdiff_t)oy * dst->pitch + (ptrdiff_t)ox * 4;
        for (int x = tx; x < ex; x++, d += step)
          *(Uint32 *)d = s[x];
      }
    }
  return LOBBY_OK;
}

/* The software path: only the rectangles drawn go to the window (with
 * XShm on X11), none when nothing changed. */
static lobby_err push_to_window(kiosk_app *app, bool partial, const kiosk_damage *region)
{
  kiosk_damage all = {.r = {{0, 0, app->m.w, app->m.h}}, .n = 1};
  kiosk_damage d = partial ? *region : all;
  if (d.n == 0)
    return LOBBY_OK;
  if (SDL_RenderFlush(app->display.ren) != 0)
    return LOBBY_EIO;
  for (int i = 0; i < d.n && app->display.surface; i++) {
    lobby_err err = turn_onto_window(app, &d.r[i]);
    if (err != LOBBY_OK)
      return err;
    d.r[i] = turned_rect(app, &d.r[i]);
  }
  if (SDL_UpdateWindowSurfaceRects(app->display.win, d.r, d.n) != 0) {
    LOBBY_ERROR("cannot show the frame: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

/* Feedback under the finger: the pressed control darkens. */
static void draw_pressed(kiosk_app *app, const SDL_Rect *clip)
{
  if (!app->pointer.pressed || (clip && !SDL_HasIntersection(&app->pointer.pressed_rect, clip)))
    return;
  SDL_RenderSetClipRect(app->display.ren, clip);
  kiosk_fill_round(app->display.ren, app->pointer.pressed_rect, app->m.radius / 2, (SDL_Color){0, 0, 0, 60});
  SDL_RenderSetClipRect(app->display.ren, NULL);
}

static void draw_whole(kiosk_app *app)
{
  SDL_Color bg = kiosk_rgb(KIOSK_C_BG);
  SDL_SetRenderDrawColor(app->display.ren, bg.r, bg.g, bg.b, 255);
  SDL_RenderClear(app->display.ren);
  kiosk_ui_draw(&app->ui, app->display.ren, app->text);
  draw_pressed(app, NULL);
}

/* Each rectangle is cleared and drawn again on its own; they do not
 * overlap (kiosk_damage_add), so nothing is blended twice. */
static void draw_damage(kiosk_app *app, const kiosk_damage *region)
{
  SDL_Color bg = kiosk_rgb(KIOSK_C_BG);
  for (int i = 0; i < region->n; i++) {
    SDL_SetRenderDrawColor(app->display.ren, bg.r, bg.g, bg.b, 255);
    SDL_SetRenderDrawBlendMode(app->display.ren, SDL_BLENDMODE_NONE);
    SDL_RenderFillRect(app->display.ren, &region->r[i]);
    kiosk_ui_draw_region(&app->ui, app->display.ren, app->text, &region->r[i]);
    draw_pressed(app, &region->r[i]);
  }
}

lobby_err kiosk_app_frame(kiosk_app *app, bool present)
{
  int64_t t0 = lobby_monotonic_ms();
  Uint64 c0 = SDL_GetPerformanceCounter();
  lobby_err err = LOBBY_OK;
  bool rebuilt = app->dirty;
  if (app->dirty)
    err = kiosk_app_rebuild(app);
  if (app->display.rotated)
    SDL_SetRenderTarget(app->display.ren, app->display.rotated);
  kiosk_damage region;
  bool partial = frame_damage(app, rebuilt, &region);
  if (!partial)
    draw_whole(app);
  else
    draw_damage(app, &region);
  app->display.shown_pressed = app->pointer.pressed;
  app->display.shown_pressed_rect = app->pointer.pressed_rect;
  app->display.frame_kept = app->display.keeps_pixels;
  kiosk__screenshot_frame(app);
  if (app->display.window_surface) {
    kiosk_damage changed = region;
    kiosk_damage_add(&changed, app->display.moved);
    lobby_err pushed = present ? push_to_window(app, partial, &changed) : LOBBY_OK;
    if (pushed != LOBBY_OK) {
      /* The next frame is drawn and pushed whole. */
      app->display.frame_kept = false;
      if (err == LOBBY_OK)
        err = pushed;
    }
  } else {
    if (app->display.rotated)
      present_rotated(app);
    if (present)
      SDL_RenderPresent(app->display.ren);
  }
  kiosk_keyboard_frame_done(&app->kb);
  double ms = (double)(SDL_GetPerformanceCounter() - c0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
  kiosk_stats_add(&app->stats, app->ui.screen ? app->ui.screen : "?", (float)ms);
  if (!app->clock.first_frame_ms)
    app->clock.first_frame_ms = t0 + (int64_t)ms - app->clock.start_ms;
  int64_t minute = kiosk_app_now(app) / 60;
  app->clock.shown_minute = minute;
  return err;
}
