/* Remote screenshots on the UI thread: when lobbyd's request arrives
 * (KIOSK_EV_SCREENSHOT) the next frame is copied as it was drawn, before
 * it is shown, and every private widget of the copy (form fields, the
 * keyboard's composition and candidates, the masked phone of a review) is
 * painted over with one flat colour; the frame on screen is untouched.
 * The copy goes to the network thread, which encodes and sends it: this
 * thread only copies and fills rectangles. */
#include "kiosk_app_internal.h"

#include <stdlib.h>
#include <string.h>
#include "lobby_log.h"

/* What the copy shows over a private widget. */
#define BLANK_ARGB 0xFF8C8C8CU

void kiosk_app_screenshot_asked(kiosk_app *app, const char *request_id)
{
  snprintf(app->shot.request, sizeof app->shot.request, "%s", request_id);
  app->dirty = true; /* a frame soon, whether or not anything changed */
}

/* The pixels of the target this frame was drawn on, as packed ARGB8888
 * (B, G, R, A in memory), malloc'd. */
static uint8_t *copy_surface(SDL_Surface *src, int *w, int *h)
{
  SDL_Surface *argb = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
  if (!argb)
    return NULL;
  size_t row = (size_t)argb->w * 4;
  uint8_t *pixels = malloc(row * (size_t)argb->h);
  if (pixels)
    for (int y = 0; y < argb->h; y++)
      memcpy(pixels + row * (size_t)y, (const uint8_t *)argb->pixels + (size_t)argb->pitch * (size_t)y, row);
  *w = argb->w;
  *h = argb->h;
  SDL_FreeSurface(argb);
  return pixels;
}

/* A GPU frame: read back from the render target (the rotated texture or
 * the window's back buffer, before it is presented). */
static uint8_t *copy_render_target(kiosk_app *app, int *w, int *h)
{
  SDL_Texture *target = SDL_GetRenderTarget(app->display.ren);
  if (target ? SDL_QueryTexture(target, NULL, NULL, w, h) != 0
             : SDL_GetRendererOutputSize(app->display.ren, w, h) != 0)
    return NULL;
  uint8_t *pixels = malloc((size_t)*w * (size_t)*h * 4);
  if (pixels && SDL_RenderReadPixels(app->display.ren, NULL, SDL_PIXELFORMAT_ARGB8888, pixels, *w * 4) != 0) {
    free(pixels);
    return NULL;
  }
  return pixels;
}

static uint8_t *copy_frame(kiosk_app *app, int *w, int *h)
{
  SDL_Surface *kept = app->display.surface ? app->display.surface
                    : app->display.window_surface ? SDL_GetWindowSurface(app->display.win) : NULL;
  return kept ? copy_surface(kept, w, h) : copy_render_target(app, w, h);
}

static void fill(uint8_t *pixels, int w, int h, SDL_Rect r)
{
  SDL_Rect all = {0, 0, w, h}, in;
  if (!SDL_IntersectRect(&r, &all, &in))
    return;
  for (int y = in.y; y < in.y + in.h; y++) {
    uint32_t *row = (uint32_t *)(void *)(pixels + (size_t)y * (size_t)w * 4);
    for (int x = in.x; x < in.x + in.w; x++)
      row[x] = BLANK_ARGB;
  }
}

/* Paints over every private widget where it shows (inside its scroll
 * view); returns how many. */
static int blank_private(const kiosk_ui *ui, uint8_t *pixels, int w, int h)
{
  int blanked = 0;
  for (int i = 0; i < ui->n; i++) {
    const kiosk_widget *wd = &ui->w[i];
    if (!(wd->flags & KF_PRIVATE) || (wd->flags & KF_HIDDEN))
      continue;
    SDL_Rect r = wd->rect;
    if (wd->clip >= 0 && wd->clip < ui->n_clips && !SDL_IntersectRect(&wd->rect, &ui->clips[wd->clip], &r))
      continue;
    fill(pixels, w, h, r);
    blanked++;
  }
  return blanked;
}

void kiosk__screenshot_frame(kiosk_app *app)
{
  /* A key held down is drawn pressed: on a keypad it would show the digit
   * being typed.  The frame after the finger lifts is sent instead. */
  if (!app->shot.request[0] || app->pointer.pressed)
    return;
  char request[sizeof app->shot.request];
  memcpy(request, app->shot.request, sizeof request);
  app->shot.request[0] = '\0';
  int w = 0, h = 0;
  uint8_t *pixels = copy_frame(app, &w, &h);
  if (!pixels) {
    LOBBY_WARN("screenshot: could not copy the frame: %s", SDL_GetError());
    return;
  }
  /* The widget tree is at the logical size; a frame of another size
   * (none today) could not be blanked reliably, so it is not sent. */
  if (w != app->ui.width || h != app->ui.height) {
    LOBBY_WARN("screenshot: the frame is %dx%d, the screen %dx%d; not sent", w, h, app->ui.width,
               app->ui.height);
    free(pixels);
    return;
  }
  int blanked = blank_private(&app->ui, pixels, w, h);
  if (kiosk_net_screenshot(app->link.net, request, pixels, w, h, blanked) != LOBBY_OK)
    LOBBY_WARN("screenshot: the network is not running; not sent");
}
