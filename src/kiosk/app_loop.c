/* The windowed event loop: SDL events in, frames out. */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include <string.h>
#include "lobby_log.h"
#include "lobby_time.h"

/* A touch, in fractions of the output, as a point of the screen. */
static void to_pixels(kiosk_app *app, float fx, float fy, int *x, int *y)
{
  kiosk_app_from_output(app, (int)(fx * (float)app->m.out_w), (int)(fy * (float)app->m.out_h), x, y);
}

static void handle_sdl(kiosk_app *app, const SDL_Event *e)
{
  int x, y;
  if (e->type == app->link.wake_event) {
    kiosk_app_drain_net(app);
    return;
  }
  switch (e->type) {
  case SDL_QUIT:
    app->quit = true;
    break;
  case SDL_MOUSEBUTTONDOWN:
  case SDL_MOUSEBUTTONUP:
    if (e->button.which != SDL_TOUCH_MOUSEID) {
      kiosk_app_from_output(app, e->button.x, e->button.y, &x, &y);
      kiosk_app_pointer(app, (int)e->type, x, y);
    }
    break;
  case SDL_MOUSEMOTION:
    if (e->motion.which != SDL_TOUCH_MOUSEID && (e->motion.state & SDL_BUTTON_LMASK)) {
      kiosk_app_from_output(app, e->motion.x, e->motion.y, &x, &y);
      kiosk_app_pointer(app, SDL_MOUSEMOTION, x, y);
    }
    break;
  case SDL_FINGERDOWN:
    to_pixels(app, e->tfinger.x, e->tfinger.y, &x, &y);
    kiosk_app_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
    break;
  case SDL_FINGERMOTION:
    to_pixels(app, e->tfinger.x, e->tfinger.y, &x, &y);
    kiosk_app_pointer(app, SDL_MOUSEMOTION, x, y);
    break;
  case SDL_FINGERUP:
    to_pixels(app, e->tfinger.x, e->tfinger.y, &x, &y);
    kiosk_app_pointer(app, SDL_MOUSEBUTTONUP, x, y);
    break;
  case SDL_TEXTINPUT:
    kiosk_app_type(app, e->text.text);
    break;
  case SDL_KEYDOWN:
    if (e->key.keysym.sym == SDLK_BACKSPACE && app->form.focus) {
      if (kiosk_keyboard_backspace(&app->kb) != LOBBY_OK)
        LOBBY_WARN("backspace failed");
      kiosk_app_touch(app);
      app->dirty = true;
    }
    break;
  case SDL_WINDOWEVENT:
    if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
      int w, h;
      SDL_GetRendererOutputSize(app->display.ren, &w, &h);
      kiosk_app_set_size(app, w, h);
      LOBBY_INFO("display resized to %dx%d: laid out at %dx%d", w, h, app->m.w, app->m.h);
    } else if (e->window.event == SDL_WINDOWEVENT_EXPOSED) {
      app->dirty = true;
    }
    break;
  default:
    break;
  }
}

/* SDL_WaitEventTimeout sleeps in the kernel only on video drivers that
 * can be woken (X11, Wayland); elsewhere (KMSDRM, offscreen) it polls every
 * millisecond.  There we poll ourselves, briefly after a touch and lazily
 * when idle, which keeps an idle kiosk's CPU use near zero. */
static bool native_wait(void)
{
  const char *d = SDL_GetCurrentVideoDriver();
  return d && (!strcmp(d, "x11") || !strcmp(d, "wayland") || !strcmp(d, "windows") || !strcmp(d, "cocoa"));
}

static int wait_event(kiosk_app *app, bool native, SDL_Event *e, int timeout_ms)
{
  if (native)
    return SDL_WaitEventTimeout(e, timeout_ms);
  int64_t end = lobby_monotonic_ms() + timeout_ms;
  for (;;) {
    if (SDL_PollEvent(e))
      return 1;
    int64_t left = end - lobby_monotonic_ms();
    if (left <= 0)
      return 0;
    int64_t nap = kiosk_app_ms(app) - app->clock.last_input_ms < 3000 ? 8 : 40;
    SDL_Delay((Uint32)(left < nap ? left : nap));
  }
}

lobby_err kiosk_app_run(kiosk_app *app)
{
  SDL_StartTextInput();
  bool native = native_wait();
  bool need_draw = true;
  while (!app->quit) {
    kiosk__net_start_poll(app);
    if (app->quit)
      break;
    kiosk_app_drain_net(app);
    if (kiosk_keyboard_open_poll(&app->kb))
      app->dirty = true;
    kiosk_app_tick(app);
    if (app->dirty || need_draw) {
      lobby_err err = kiosk_app_frame(app, true);
      if (err != LOBBY_OK)
        LOBBY_ERROR("frame: %s", lobby_strerror(err));
      need_draw = false;
      /* The network and pinyin input start once the notice board is up. */
      kiosk_app_start_net_async(app);
      if (kiosk_keyboard_open_continue(&app->kb))
        app->dirty = true;
    }
    SDL_Event e;
    if (wait_event(app, native, &e, kiosk__next_timeout(app))) {
      handle_sdl(app, &e);
      while (SDL_PollEvent(&e))
        handle_sdl(app, &e);
    }
  }
  return LOBBY_OK;
}
