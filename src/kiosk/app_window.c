/* The window or headless surface the kiosk draws on, its renderer and
 * fonts, and the metrics every layout is relative to. */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include <math.h>
#include <string.h>
#include "lobby_log.h"

/* The metrics for an output of out_w x out_h: the screen is laid out at
 * the rotated size. */
static void compute_metrics(kiosk_app *app, int out_w, int out_h)
{
  kiosk_metrics *m = &app->m;
  bool turned = app->cfg.display.rotation == 90 || app->cfg.display.rotation == 270;
  int w = turned ? out_h : out_w, h = turned ? out_w : out_h;
  m->out_w = out_w;
  m->out_h = out_h;
  m->w = w;
  m->h = h;
  m->portrait = h > w;
  m->u = (float)(w < h ? w : h) / 1080.0f;
  /* Body text stays at least 32 px, and touch targets at least 88 px, even
   * on the smallest supported screen. */
  float u = m->u;
  m->body = (int)fmaxf(32.0f, 40.0f * u);
  m->small = (int)fmaxf(28.0f, 32.0f * u);
  m->title = (int)fmaxf(40.0f, 52.0f * u);
  m->huge = (int)fmaxf(64.0f, 96.0f * u);
  m->button_h = (int)fmaxf(88.0f, 120.0f * u);
  m->header_h = (int)fmaxf(96.0f, 150.0f * u);
  m->margin = (int)fmaxf(20.0f, 40.0f * u);
  m->gap = (int)fmaxf(14.0f, 24.0f * u);
  m->radius = (int)fmaxf(12.0f, 20.0f * u);
  m->px_per_mm = kiosk_px_per_mm(app->cfg.display.dpi, app->cfg.display.diagonal_in, w, h);
  m->key_min = kiosk_key_min_px(w, h, m->px_per_mm);
}

/* A surface at the logical size and a software renderer drawing on it:
 * the headless target, and a rotated software window's frame.  The text
 * cache's textures belong to the renderer: free it first. */
static lobby_err make_surface_target(kiosk_app *app, Uint32 format)
{
  if (app->display.ren)
    SDL_DestroyRenderer(app->display.ren);
  kiosk_app_pictures_lost_renderer(app);
  if (app->display.surface)
    SDL_FreeSurface(app->display.surface);
  app->display.ren = NULL;
  app->display.frame_kept = false;
  app->display.surface = SDL_CreateRGBSurfaceWithFormat(0, app->m.w, app->m.h, 32, format);
  if (!app->display.surface)
    return LOBBY_ENOMEM;
  app->display.ren = SDL_CreateSoftwareRenderer(app->display.surface);
  return app->display.ren ? LOBBY_OK : LOBBY_EIO;
}

/* The surface target made again at the current size, with new fonts. */
static lobby_err remake_surface_target(kiosk_app *app, Uint32 format)
{
  if (app->text) {
    kiosk_text_free(app->text);
    app->text = NULL;
  }
  lobby_err err = make_surface_target(app, format);
  if (err != LOBBY_OK)
    return err;
  return kiosk_text_new(app->display.ren, app->cfg.font.path, app->cfg.font.bold_path, app->cfg.font.index,
                        &app->text);
}

/* A rotated GPU window draws the screen into a texture at the laid-out
 * size and turns it onto the output when presenting (kiosk_app_frame). */
static lobby_err make_rotated_target(kiosk_app *app)
{
  if (app->display.rotated)
    SDL_DestroyTexture(app->display.rotated);
  app->display.rotated = NULL;
  if (app->cfg.display.rotation == 0)
    return LOBBY_OK;
  app->display.rotated = SDL_CreateTexture(app->display.ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, app->m.w, app->m.h);
  if (!app->display.rotated) {
    LOBBY_ERROR("cannot rotate the screen by %d degrees: %s", app->cfg.display.rotation, SDL_GetError());
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

static lobby_err make_gpu_target(kiosk_app *app)
{
  app->display.ren = SDL_CreateRenderer(app->display.win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!app->display.ren) {
    /* Small boards without a GPU driver still get a working screen. */
    LOBBY_WARN("no accelerated renderer (%s); using software", SDL_GetError());
    app->display.ren = SDL_CreateRenderer(app->display.win, -1, SDL_RENDERER_SOFTWARE);
  }
  if (!app->display.ren)
    return LOBBY_EIO;
  int w, h;
  SDL_GetRendererOutputSize(app->display.ren, &w, &h);
  compute_metrics(app, w, h);
  return make_rotated_target(app);
}

/* SDL's software render driver, by index: a named driver is not
 * overridden by SDL_RENDER_DRIVER. */
static int software_driver_index(void)
{
  int n = SDL_GetNumRenderDrivers();
  for (int i = 0; i < n; i++) {
    SDL_RendererInfo info;
    if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, "software") == 0)
      return i;
  }
  return -1;
}

/* The window's surface format, when the software path can turn frames
 * onto it (4 bytes a pixel). */
static lobby_err window_format(kiosk_app *app, Uint32 *format)
{
  SDL_Surface *ws = SDL_GetWindowSurface(app->display.win);
  if (!ws) {
    LOBBY_ERROR("no window surface: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  if (ws->format->BytesPerPixel != 4) {
    LOBBY_ERROR("the window has %d bits a pixel; a rotated screen needs 32 ([display] renderer = gpu turns it)",
                ws->format->BitsPerPixel);
    return LOBBY_EINVAL;
  }
  *format = ws->format->format;
  return LOBBY_OK;
}

/* On X11 (XShm) and offscreen a window has pixels of its own.  SDL
 * 2.26's Wayland and KMSDRM drivers have none: a window surface there is
 * an OpenGL texture. */
static bool window_has_pixels(void)
{
  const char *driver = SDL_GetCurrentVideoDriver();
  return driver && (!strcmp(driver, "x11") || !strcmp(driver, "offscreen"));
}

/* The software path.  Upright, SDL's software renderer draws straight
 * into the window's surface (and follows it across a resize); rotated, the
 * frame is drawn on a surface of ours at the laid-out size and only the
 * changed rectangle is turned onto the window's (kiosk_app_frame). */
static lobby_err make_software_target(kiosk_app *app)
{
  /* SDL would stand a GL texture in for a window's own pixels, loading
   * Mesa and LLVM for nothing, unless told not to (before the first window
   * surface). */
  if (window_has_pixels())
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  int w, h;
  SDL_GetWindowSizeInPixels(app->display.win, &w, &h);
  compute_metrics(app, w, h);
  app->display.window_surface = true;
  app->display.keeps_pixels = true;
  if (app->cfg.display.rotation != 0) {
    Uint32 format;
    lobby_err err = window_format(app, &format);
    return err != LOBBY_OK ? err : make_surface_target(app, format);
  }
  int i = software_driver_index();
  app->display.ren = i >= 0 ? SDL_CreateRenderer(app->display.win, i, 0) : NULL;
  if (!app->display.ren) {
    LOBBY_ERROR("cannot make the software renderer: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

/* SDL_RENDER_DRIVER=opengl (opengles2...) asks for SDL's renderer by
 * name, as SDL documents it: it wins over [display] renderer = software. */
static bool names_gpu_driver(const char *name)
{
  return name && *name && strcmp(name, "software") != 0;
}

/* [display] renderer, with auto decided for this video driver. */
static bool use_gpu(const kiosk_config *cfg)
{
  if (names_gpu_driver(SDL_GetHint(SDL_HINT_RENDER_DRIVER)))
    return true;
  if (cfg->display.renderer == KIOSK_RENDERER_AUTO)
    return !window_has_pixels();
  return cfg->display.renderer == KIOSK_RENDERER_GPU;
}

/* Undoes a software target that failed half-way. */
static void drop_software_target(kiosk_app *app)
{
  if (app->display.ren)
    SDL_DestroyRenderer(app->display.ren);
  kiosk_app_pictures_lost_renderer(app);
  if (app->display.surface)
    SDL_FreeSurface(app->display.surface);
  app->display.ren = NULL;
  app->display.surface = NULL;
  app->display.window_surface = false;
  app->display.keeps_pixels = false;
}

static lobby_err make_window(kiosk_app *app)
{
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
    LOBBY_ERROR("SDL_Init: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
  int w = app->cfg.display.width, h = app->cfg.display.height;
  if (app->cfg.display.fullscreen || !w)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  SDL_DisplayMode mode;
  if ((flags & SDL_WINDOW_FULLSCREEN_DESKTOP) && SDL_GetDesktopDisplayMode(0, &mode) == 0) {
    /* Made at the display's size: an X server without a window manager
     * (xinit, Xvfb) does not resize a window to make it fullscreen. */
    w = mode.w;
    h = mode.h;
  } else if (!w) {
    w = 1080;
    h = 1920;
  }
  app->display.win = SDL_CreateWindow("Lobby", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (!app->display.win) {
    LOBBY_ERROR("cannot create window: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  bool gpu = use_gpu(&app->cfg);
  lobby_err err = gpu ? make_gpu_target(app) : make_software_target(app);
  if (err != LOBBY_OK && !gpu) {
    /* A screen drawn whole every frame is better than none. */
    LOBBY_WARN("the software window path failed; drawing with SDL's renderer instead");
    drop_software_target(app);
    gpu = true;
    err = make_gpu_target(app);
  }
  if (err != LOBBY_OK)
    return err;
  SDL_RendererInfo info;
  if (SDL_GetRendererInfo(app->display.ren, &info) != 0)
    info.name = "?";
  LOBBY_INFO("display %dx%d on %s, rotation %d, %s renderer (SDL's %s): laid out at %dx%d", app->m.out_w,
             app->m.out_h, SDL_GetCurrentVideoDriver(), app->cfg.display.rotation, gpu ? "gpu" : "software", info.name,
             app->m.w, app->m.h);
  SDL_ShowCursor(SDL_DISABLE);
  return LOBBY_OK;
}

/* Opening the two Noto CJK faces takes about 5 ms, as long as SDL takes to
 * make the window and its renderer; a worker opens them meanwhile.
 * FreeType is used by no other thread until the worker is joined. */
typedef struct {
  const kiosk_config *cfg;
  kiosk_text *text;
  lobby_err err;
} font_job;

static int open_fonts(void *data)
{
  font_job *job = data;
  job->err = kiosk_text_new(NULL, job->cfg->font.path, job->cfg->font.bold_path,
                            job->cfg->font.index, &job->text);
  /* The notice board's titles are bold: open that face too. */
  if (job->err == LOBBY_OK && !kiosk_text_font(job->text, 32, true))
    job->err = LOBBY_ENOTFOUND;
  return 0;
}

static lobby_err make_window_and_fonts(kiosk_app *app)
{
  font_job job = {.cfg = &app->cfg};
  SDL_Thread *opener = SDL_CreateThread(open_fonts, "fonts", &job);
  lobby_err err = make_window(app);
  if (opener)
    SDL_WaitThread(opener, NULL);
  else
    open_fonts(&job);
  if (job.err != LOBBY_OK) {
    kiosk_text_free(job.text);
    return job.err;
  }
  app->text = job.text;
  kiosk_text_set_renderer(app->text, app->display.ren);
  return err;
}

lobby_err kiosk__display_open(kiosk_app *app)
{
  const kiosk_config *cfg = &app->cfg;
  if (cfg->headless.on) {
    if (SDL_Init(SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0)
      return LOBBY_EIO;
    int w = cfg->display.width ? cfg->display.width : 1080, h = cfg->display.height ? cfg->display.height : 1920;
    compute_metrics(app, w, h);
    app->display.keeps_pixels = true;
    return remake_surface_target(app, SDL_PIXELFORMAT_ARGB8888);
  }
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
  lobby_err err = make_window_and_fonts(app);
  return err != LOBBY_OK ? err : kiosk__wait_open(app);
}

void kiosk__display_close(kiosk_app *app)
{
  kiosk__wait_close(app);
  kiosk_text_free(app->text);
  if (app->display.rotated)
    SDL_DestroyTexture(app->display.rotated);
  if (app->display.ren)
    SDL_DestroyRenderer(app->display.ren);
  if (app->display.surface)
    SDL_FreeSurface(app->display.surface);
  if (app->display.win)
    SDL_DestroyWindow(app->display.win);
}

void kiosk_app_set_size(kiosk_app *app, int w, int h)
{
  compute_metrics(app, w, h);
  Uint32 format = SDL_PIXELFORMAT_ARGB8888;
  if (app->cfg.headless.on) {
    if (remake_surface_target(app, format) != LOBBY_OK)
      LOBBY_ERROR("cannot resize the headless target");
  } else if (app->display.surface) {
    if (window_format(app, &format) != LOBBY_OK || remake_surface_target(app, format) != LOBBY_OK)
      LOBBY_ERROR("cannot resize the rotated frame");
  } else if (!app->display.window_surface && make_rotated_target(app) != LOBBY_OK) {
    LOBBY_ERROR("cannot resize the rotated frame");
  }
  app->display.frame_kept = false;
  app->dirty = true;
}

void kiosk__display_resized(kiosk_app *app)
{
  int w, h;
  if (app->display.window_surface)
    SDL_GetWindowSizeInPixels(app->display.win, &w, &h);
  else
    SDL_GetRendererOutputSize(app->display.ren, &w, &h);
  /* The window's surface is new, if only its pixels: all is drawn again. */
  app->display.frame_kept = false;
  app->dirty = true;
  if (w != app->m.out_w || h != app->m.out_h || !app->display.window_surface)
    kiosk_app_set_size(app, w, h);
  LOBBY_INFO("display resized to %dx%d: laid out at %dx%d", w, h, app->m.w, app->m.h);
}

void kiosk_app_from_output(const kiosk_app *app, int ox, int oy, int *x, int *y)
{
  const kiosk_metrics *m = &app->m;
  switch (app->cfg.display.rotation) {
  case 90:
    *x = oy;
    *y = m->out_w - 1 - ox;
    break;
  case 180:
    *x = m->out_w - 1 - ox;
    *y = m->out_h - 1 - oy;
    break;
  case 270:
    *x = m->out_h - 1 - oy;
    *y = ox;
    break;
  default:
    *x = ox;
    *y = oy;
    break;
  }
}
