#include "kiosk_app.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <SDL2/SDL_ttf.h>
#include "feed_cache.h"
#include "lobby_log.h"
#include "lobby_time.h"

static const kiosk_screen *const screens[KIOSK_SCREEN_COUNT] = {
  &kiosk_screen_home, &kiosk_screen_notice, &kiosk_screen_repair,
  &kiosk_screen_status, &kiosk_screen_visit, &kiosk_screen_checkout};

void kiosk_wipe(void *p, size_t n)
{
  explicit_bzero(p, n);
}

int64_t kiosk_app_ms(const kiosk_app *app)
{
  return lobby_monotonic_ms() + app->idle_shift_ms;
}

int64_t kiosk_app_now(const kiosk_app *app)
{
  return lobby_now() + app->clock_offset_s;
}

const char *kiosk_s(const kiosk_app *app, const char *key)
{
  const char *v = kiosk_strings_find(&app->strings[app->lang], key);
  if (!v)
    v = kiosk_strings_find(&app->strings[0], key);
  return v ? v : key;
}

void kiosk_sf(const kiosk_app *app, char *out, size_t n, const char *key, ...)
{
  const char *pairs[33];
  int k = 0;
  va_list ap;
  va_start(ap, key);
  const char *a;
  while (k < 32 && (a = va_arg(ap, const char *)) != NULL)
    pairs[k++] = a;
  va_end(ap);
  pairs[k] = NULL;
  kiosk_strings_vformat_tpl(kiosk_s(app, key), out, n, pairs);
}

/* The metrics for an output of out_w x out_h: the screen is laid out at
 * the rotated size. */
static void compute_metrics(kiosk_app *app, int out_w, int out_h)
{
  kiosk_metrics *m = &app->m;
  bool turned = app->cfg.rotation == 90 || app->cfg.rotation == 270;
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
  m->px_per_mm = kiosk_px_per_mm(app->cfg.dpi, app->cfg.diagonal_in, w, h);
  m->key_min = kiosk_key_min_px(w, h, m->px_per_mm);
}

static lobby_err load_strings(kiosk_app *app)
{
  static const char *const langs[2] = {"zh", "en"};
  for (int i = 0; i < 2; i++) {
    char path[KIOSK_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/strings/%s.ini", app->cfg.assets_dir, langs[i]);
    lobby_err err = kiosk_strings_load(path, langs[i], &app->strings[i]);
    if (err != LOBBY_OK) {
      LOBBY_ERROR("cannot load strings %s: %s", path, lobby_strerror(err));
      return err;
    }
  }
  return LOBBY_OK;
}

static lobby_err make_headless_target(kiosk_app *app, int w, int h)
{
  if (app->text) {
    kiosk_text_free(app->text);
    app->text = NULL;
  }
  if (app->ren)
    SDL_DestroyRenderer(app->ren);
  if (app->surface)
    SDL_FreeSurface(app->surface);
  app->ren = NULL;
  app->frame_kept = false;
  app->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!app->surface)
    return LOBBY_ENOMEM;
  app->ren = SDL_CreateSoftwareRenderer(app->surface);
  if (!app->ren)
    return LOBBY_EIO;
  return kiosk_text_new(app->ren, app->cfg.font_path, app->cfg.font_bold_path, app->cfg.font_index,
                        &app->text);
}

/* A rotated window draws the screen into a texture at the laid-out size
 * and turns it onto the output when presenting (kiosk_app_frame). */
static lobby_err make_rotated_target(kiosk_app *app)
{
  if (app->rotated)
    SDL_DestroyTexture(app->rotated);
  app->rotated = NULL;
  if (app->cfg.rotation == 0)
    return LOBBY_OK;
  app->rotated = SDL_CreateTexture(app->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, app->m.w, app->m.h);
  if (!app->rotated) {
    LOBBY_ERROR("cannot rotate the screen by %d degrees: %s", app->cfg.rotation, SDL_GetError());
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

static lobby_err make_window(kiosk_app *app)
{
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
    LOBBY_ERROR("SDL_Init: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
  int w = app->cfg.width, h = app->cfg.height;
  if (app->cfg.fullscreen || !w)
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
  app->win = SDL_CreateWindow("Lobby", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (!app->win) {
    LOBBY_ERROR("cannot create window: %s", SDL_GetError());
    return LOBBY_EIO;
  }
  app->ren = SDL_CreateRenderer(app->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!app->ren) {
    /* Small boards without a GPU driver still get a working screen. */
    LOBBY_WARN("no accelerated renderer (%s); using software", SDL_GetError());
    app->ren = SDL_CreateRenderer(app->win, -1, SDL_RENDERER_SOFTWARE);
  }
  if (!app->ren)
    return LOBBY_EIO;
  SDL_GetRendererOutputSize(app->ren, &w, &h);
  compute_metrics(app, w, h);
  LOBBY_INFO("display %dx%d on %s, rotation %d: laid out at %dx%d", w, h, SDL_GetCurrentVideoDriver(),
             app->cfg.rotation, app->m.w, app->m.h);
  SDL_ShowCursor(SDL_DISABLE);
  return make_rotated_target(app);
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
  job->err = kiosk_text_new(NULL, job->cfg->font_path, job->cfg->font_bold_path,
                            job->cfg->font_index, &job->text);
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
  kiosk_text_set_renderer(app->text, app->ren);
  return err;
}

static void init_forms(kiosk_app *app)
{
  for (int i = 0; i < KIOSK_SCREEN_COUNT; i++)
    if (screens[i]->leave)
      screens[i]->leave(app);
}

lobby_err kiosk_app_init(kiosk_app *app, const kiosk_config *cfg)
{
  memset(app, 0, sizeof *app);
  app->cfg = *cfg;
  app->start_ms = lobby_monotonic_ms();
  app->lang = strcmp(cfg->language, "en") == 0 ? 1 : 0;
  kiosk_text_layout_init();
  lobby_err err = load_strings(app);
  if (err != LOBBY_OK)
    return err;
  /* The windowed kiosk forks pinyin's data check first, while the process
   * is small: forked after the window's 8 MB frame buffer exists, every
   * page of it that the first frame writes would be copied. */
  if (!cfg->headless && kiosk_keyboard_open_begin(app) != LOBBY_OK)
    LOBBY_WARN("the keyboard offers no pinyin: %s", app->kb.why);
  if (cfg->headless) {
    if (SDL_Init(SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0)
      return LOBBY_EIO;
    int w = cfg->width ? cfg->width : 1080, h = cfg->height ? cfg->height : 1920;
    compute_metrics(app, w, h);
    err = make_headless_target(app, app->m.w, app->m.h);
  } else {
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    err = make_window_and_fonts(app);
  }
  if (err != LOBBY_OK) {
    LOBBY_ERROR("cannot set up the display or font: %s", lobby_strerror(err));
    return err;
  }
  app->wake_event = SDL_RegisterEvents(1);
  app->screen = KIOSK_SCREEN_HOME;
  init_forms(app);
  app->last_input_ms = app->last_rotate_ms = kiosk_app_ms(app);
  app->dirty = true;
  return LOBBY_OK;
}

void kiosk_app_wake(kiosk_app *app)
{
  SDL_Event ev;
  SDL_zero(ev);
  ev.type = app->wake_event;
  SDL_PushEvent(&ev);
}

static void wake_from_net(void *ctx)
{
  kiosk_app_wake(ctx);
}

void kiosk_app_load_feed_cache(kiosk_app *app)
{
  char path[KIOSK_PATH_MAX + 16];
  json_t *feed = NULL;
  int64_t fetched_at = 0;
  if (kiosk_feed_cache_path(app->cfg.state_dir, path, sizeof path) != LOBBY_OK)
    return;
  lobby_err err = kiosk_feed_cache_read(path, &feed, NULL, 0, &fetched_at);
  if (err == LOBBY_OK)
    kiosk_app_set_feed(app, feed, fetched_at);
  else if (err != LOBBY_ENOTFOUND)
    LOBBY_WARN("feed: the cache %s is unreadable (%s); starting without it", path,
               lobby_strerror(err));
}

static bool net_configured(const kiosk_app *app)
{
  return app->cfg.server_url[0] && app->cfg.token[0];
}

static lobby_err start_net(kiosk_app *app, kiosk_net **out)
{
  kiosk_net_config nc = {
    .server_url = app->cfg.server_url, .token = app->cfg.token, .state_dir = app->cfg.state_dir,
    .version = LOBBY_KIOSK_VERSION, .poll_wait_s = 50, .heartbeat_s = 60, .backoff_max_s = 30,
    .wake = wake_from_net, .wake_ctx = app, .ca_file = app->cfg.ca_file, .pin = app->cfg.pin};
  lobby_err err = kiosk_net_start(&nc, out);
  if (err != LOBBY_OK)
    LOBBY_ERROR("cannot start the network thread: %s", lobby_strerror(err));
  return err;
}

lobby_err kiosk_app_start_net(kiosk_app *app)
{
  app->net_start_tried = true;
  if (!net_configured(app)) {
    if (!app->cfg.feed_file[0])
      LOBBY_WARN("no server url or kiosk token configured: the kiosk runs without a network");
    return LOBBY_OK;
  }
  return start_net(app, &app->net);
}

static int net_starter_main(void *data)
{
  kiosk_app *app = data;
  app->net_start_err = start_net(app, &app->net_started);
  SDL_AtomicSet(&app->net_start_done, 1);
  kiosk_app_wake(app);
  return 0;
}

void kiosk_app_start_net_async(kiosk_app *app)
{
  if (app->net_start_tried)
    return;
  if (!net_configured(app)) {
    (void)kiosk_app_start_net(app);
    return;
  }
  app->net_start_tried = true;
  SDL_AtomicSet(&app->net_start_done, 0);
  app->net_starter = SDL_CreateThread(net_starter_main, "net-start", app);
  if (app->net_starter)
    return;
  LOBBY_WARN("no thread to start the network on; starting it on the UI thread");
  if (start_net(app, &app->net) != LOBBY_OK) {
    app->exit_code = 1;
    app->quit = true;
  }
}

/* Joins the starter, if any, and takes its network over. */
static void net_start_join(kiosk_app *app)
{
  SDL_WaitThread(app->net_starter, NULL);
  app->net_starter = NULL;
  app->net = app->net_started;
  app->net_started = NULL;
}

static void net_start_poll(kiosk_app *app)
{
  if (!app->net_starter || !SDL_AtomicGet(&app->net_start_done))
    return;
  net_start_join(app);
  if (app->net_start_err != LOBBY_OK) {
    app->exit_code = 1;
    app->quit = true;
  }
}

void kiosk_app_free(kiosk_app *app)
{
  if (app->net_starter)
    net_start_join(app);
  if (app->net)
    kiosk_net_stop(app->net);
  init_forms(app);
  kiosk_keyboard_close(app);
  json_decref(app->feed);
  json_decref(app->status.result);
  kiosk_ui_free(&app->ui);
  kiosk_ui_sigs_free(&app->sigs_shown);
  kiosk_ui_sigs_free(&app->sigs_next);
  kiosk_text_free(app->text);
  if (app->rotated)
    SDL_DestroyTexture(app->rotated);
  if (app->ren)
    SDL_DestroyRenderer(app->ren);
  if (app->surface)
    SDL_FreeSurface(app->surface);
  if (app->win)
    SDL_DestroyWindow(app->win);
  for (int i = 0; i < 2; i++)
    kiosk_strings_free(&app->strings[i]);
  kiosk_stats_free(&app->stats);
  TTF_Quit();
  SDL_Quit();
}

void kiosk_app_touch(kiosk_app *app)
{
  app->last_input_ms = kiosk_app_ms(app);
  app->touched = true;
}

const char *kiosk_app_screen_name(kiosk_app *app)
{
  if (kiosk_feed_emergency(app))
    return "emergency";
  if (app->night_dark)
    return "night";
  const kiosk_screen *s = screens[app->screen];
  return s->step_name ? s->step_name(app) : s->name;
}

void kiosk_app_clear_error(kiosk_app *app)
{
  app->error_msg[0] = '\0';
  app->error_field[0] = '\0';
}

void kiosk_app_go(kiosk_app *app, kiosk_screen_id id)
{
  if (screens[app->screen]->leave)
    screens[app->screen]->leave(app);
  /* The next person must not see this one's composition or candidates. */
  if (kiosk_keyboard_wipe(app) != LOBBY_OK)
    LOBBY_WARN("pinyin input is off until the kiosk restarts");
  /* Rendered text of names and phones must not outlive the form. */
  kiosk_text_purge_private(app->text);
  kiosk_ui_reset(&app->ui, app->m.w, app->m.h, NULL);
  kiosk_app_clear_error(app);
  app->focus = NULL;
  app->source = NULL;
  app->scroller = NULL;
  app->pressed = false;
  app->screen = id;
  if (screens[id]->enter)
    screens[id]->enter(app);
  app->dirty = true;
}

void kiosk_app_set_lang(kiosk_app *app, int lang)
{
  app->lang = lang ? 1 : 0;
  app->dirty = true;
}

void kiosk_app_set_size(kiosk_app *app, int w, int h)
{
  compute_metrics(app, w, h);
  if (app->cfg.headless && make_headless_target(app, app->m.w, app->m.h) != LOBBY_OK)
    LOBBY_ERROR("cannot resize the headless target");
  if (!app->cfg.headless && make_rotated_target(app) != LOBBY_OK)
    LOBBY_ERROR("cannot resize the rotated frame");
  app->dirty = true;
}

void kiosk_app_from_output(const kiosk_app *app, int ox, int oy, int *x, int *y)
{
  const kiosk_metrics *m = &app->m;
  switch (app->cfg.rotation) {
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

json_t *kiosk_feed_notices(const kiosk_app *app)
{
  json_t *n = app->feed ? json_object_get(app->feed, "notices") : NULL;
  return json_is_array(n) ? n : NULL;
}

json_t *kiosk_feed_directory(const kiosk_app *app)
{
  json_t *d = app->feed ? json_object_get(app->feed, "directory") : NULL;
  return json_is_array(d) ? d : NULL;
}

json_t *kiosk_feed_emergency(const kiosk_app *app)
{
  json_t *e = app->feed ? json_object_get(app->feed, "emergency") : NULL;
  return json_is_object(e) ? e : NULL;
}

const char *kiosk_feed_str(const kiosk_app *app, const char *obj, const char *key)
{
  json_t *o = app->feed ? json_object_get(app->feed, obj) : NULL;
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

void kiosk_app_set_feed(kiosk_app *app, json_t *feed, int64_t fetched_at)
{
  bool had_emergency = kiosk_feed_emergency(app) != NULL;
  json_decref(app->feed);
  app->feed = feed;
  app->feed_fetched_at = fetched_at;
  bool emergency = kiosk_feed_emergency(app) != NULL;
  if (emergency && !had_emergency) {
    LOBBY_INFO("emergency notice shown");
    /* The takeover replaces any half-filled form, which is wiped. */
    if (app->screen != KIOSK_SCREEN_HOME)
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
  }
  if (app->screen == KIOSK_SCREEN_HOME && app->home.highlight >= (int)json_array_size(kiosk_feed_notices(app)))
    app->home.highlight = 0;
  app->dirty = true;
}

static void handle_event(kiosk_app *app, kiosk_event *ev)
{
  switch (ev->kind) {
  case KIOSK_EV_FEED:
    kiosk_app_set_feed(app, ev->feed, ev->fetched_at);
    ev->feed = NULL;
    if (!app->connectivity_known && !ev->from_cache) {
      app->online = true;
      app->last_ok_at = ev->fetched_at;
    }
    break;
  case KIOSK_EV_CONNECTIVITY:
    app->connectivity_known = true;
    app->online = ev->online;
    app->tls_failure = ev->online ? LOBBY_TLS_FAIL_NONE : ev->tls_failure;
    app->last_ok_at = ev->last_ok_at;
    app->dirty = true;
    break;
  case KIOSK_EV_RESULT:
    LOBBY_DEBUG("result for request %llu: state %d status %d", (unsigned long long)ev->request_id,
                (int)ev->state, ev->http_status);
    if (screens[app->screen]->result)
      screens[app->screen]->result(app, ev);
    app->dirty = true;
    break;
  case KIOSK_EV_OUTBOX:
    app->queued = ev->queued;
    if (screens[app->screen]->result)
      screens[app->screen]->result(app, ev);
    app->dirty = true;
    break;
  }
  json_decref(ev->feed);
  json_decref(ev->body);
}

void kiosk_app_drain_net(kiosk_app *app)
{
  if (!app->net)
    return;
  kiosk_event ev;
  while (kiosk_net_poll(app->net, &ev))
    handle_event(app, &ev);
}

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
    screens[app->screen]->build(app, &app->ui);
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

void kiosk_scroller_tick(kiosk_scroller *s, float dt)
{
  if (s->down || fabsf(s->vel) < 1.0f)
    return;
  s->pos += s->vel * dt;
  s->vel *= powf(0.05f, dt); /* friction: 95 % of the speed gone per second */
  if (s->pos < 0) {
    s->pos = 0;
    s->vel = 0;
  }
  if (s->pos > s->max) {
    s->pos = s->max;
    s->vel = 0;
  }
  if (fabsf(s->vel) < 20.0f)
    s->vel = 0;
}

static bool scrolling(const kiosk_app *app)
{
  return app->scroller && !app->scroller->down && fabsf(app->scroller->vel) >= 1.0f;
}

/* The night screen is up in the night schedule unless an emergency is
 * shown or somebody touched the screen less than the idle timeout ago. */
static bool night_now(const kiosk_app *app)
{
  if (!app->cfg.night || kiosk_feed_emergency(app))
    return false;
  lobby_civil t;
  lobby_time_local(kiosk_app_now(app), app->cfg.utc_offset_min, &t);
  if (!kiosk_night_contains(&app->cfg, t.hour * 60 + t.minute))
    return false;
  if (app->touched && kiosk_app_ms(app) - app->last_input_ms < (int64_t)app->cfg.idle_timeout_s * 1000)
    return false;
  /* A visitor waiting for the front desk keeps the screen up. */
  return app->screen == KIOSK_SCREEN_HOME;
}

static void night_tick(kiosk_app *app)
{
  bool dark = night_now(app);
  if (dark == app->night_dark)
    return;
  app->night_dark = dark;
  app->dirty = true;
  if (!dark)
    return;
  /* Waking, the board starts from the top of the first notice. */
  app->home.scroll.pos = 0;
  app->home.highlight = 0;
}

void kiosk_app_tick(kiosk_app *app)
{
  /* First, so that a visitor waiting for approval does not count as idle. */
  if (app->screen == KIOSK_SCREEN_VISIT)
    kiosk_visit_tick(app);
  int64_t ms = kiosk_app_ms(app);
  bool home = app->screen == KIOSK_SCREEN_HOME;
  if (!home && ms - app->last_input_ms >= (int64_t)app->cfg.idle_timeout_s * 1000) {
    LOBBY_INFO("idle for %d s on %s: back to the notice board", app->cfg.idle_timeout_s,
               screens[app->screen]->name);
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    /* The next person starts from the top of the notice board, in the
     * kiosk's own language. */
    app->home.scroll.pos = 0;
    app->home.highlight = 0;
    kiosk_app_set_lang(app, strcmp(app->cfg.language, "en") == 0);
  }
  night_tick(app);
  int64_t period = (int64_t)app->cfg.rotate_s * 1000;
  if (home && !app->night_dark && ms - app->last_input_ms >= period && ms - app->last_rotate_ms >= period) {
    size_t n = json_array_size(kiosk_feed_notices(app));
    if (n > 1) {
      app->home.highlight = (app->home.highlight + 1) % (int)n;
      app->dirty = true;
    }
    app->last_rotate_ms = ms;
  }
  kiosk_keyboard_tick(app);
  if (kiosk_app_now(app) / 60 != app->shown_minute)
    app->dirty = true;
  if (scrolling(app)) {
    kiosk_scroller_tick(app->scroller, 1.0f / 60.0f);
    app->dirty = true;
  }
}

/* How long the loop may sleep: until the next minute on the clock, the
 * next idle deadline, or one frame while a scroll is coasting. */
static int next_timeout(const kiosk_app *app)
{
  if (scrolling(app))
    return 16;
  int64_t repeat = kiosk_keyboard_next_repeat(app);
  if (repeat >= 0)
    return repeat < 1 ? 1 : (int)repeat;
  int64_t now_ms = kiosk_app_ms(app);
  int64_t t = (60 - kiosk_app_now(app) % 60) * 1000;
  /* Dark, the screen changes only when the minute turns (the clock, the
   * end of the night); a touch or the feed wakes the loop. */
  if (app->night_dark)
    return (int)t;
  int64_t idle_left = app->last_input_ms + (int64_t)app->cfg.idle_timeout_s * 1000 - now_ms;
  if (app->screen != KIOSK_SCREEN_HOME && idle_left < t)
    t = idle_left;
  int64_t period = (int64_t)app->cfg.rotate_s * 1000;
  int64_t rot = (app->last_rotate_ms > app->last_input_ms ? app->last_rotate_ms : app->last_input_ms) +
                period - now_ms;
  if (app->screen == KIOSK_SCREEN_HOME && rot < t)
    t = rot;
  if (app->screen == KIOSK_SCREEN_VISIT && app->visit.step == VISIT_STEP_WAITING && t > 1000)
    t = 1000;
  return t < 1 ? 1 : (int)t;
}

/* Actions that belong to the keyboard leave a composition pending; going
 * home wipes it (kiosk_app_go); anything else commits it first. */
static bool leaves_composition(int action)
{
  return action == KIOSK_ACT_KEY || action == KIOSK_ACT_CANDIDATE || action == KIOSK_ACT_CANDIDATE_PAGE ||
         action == KIOSK_ACT_HOME;
}

static void commit_before(kiosk_app *app, int action)
{
  if (leaves_composition(action) || !kiosk_keyboard_composing(app))
    return;
  lobby_err err = kiosk_keyboard_commit_pending(app);
  if (err != LOBBY_OK && err != LOBBY_ETOOBIG)
    LOBBY_WARN("committing the composition: %s", lobby_strerror(err));
}

static void keyboard_key(kiosk_app *app, int arg)
{
  if (app->source && app->focus) {
    app->source->press(app->source, app, arg, app->focus);
    if (app->error_field[0])
      kiosk_app_clear_error(app);
  }
  app->dirty = true;
  if (app->kb.want_next) {
    /* 完成 ends the field like the form's own next button. */
    app->kb.want_next = false;
    if (screens[app->screen]->action)
      screens[app->screen]->action(app, KIOSK_ACT_NEXT, 0);
  }
}

static void candidate_action(kiosk_app *app, int action, int arg)
{
  lobby_err err = action == KIOSK_ACT_CANDIDATE ? kiosk_keyboard_choose(app, arg) : kiosk_keyboard_page(app, arg);
  if (err != LOBBY_OK && err != LOBBY_ENOTFOUND && err != LOBBY_ETOOBIG)
    LOBBY_WARN("candidate bar: %s", lobby_strerror(err));
  if (action == KIOSK_ACT_CANDIDATE && app->error_field[0])
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
  if (screens[app->screen]->action)
    screens[app->screen]->action(app, action, arg);
  app->dirty = true;
}

void kiosk_app_type(kiosk_app *app, const char *utf8)
{
  kiosk_app_touch(app);
  if (!app->focus)
    return;
  commit_before(app, KIOSK_ACT_NONE);
  if (kiosk_field_commit(app->focus, utf8) == LOBBY_ETOOBIG)
    LOBBY_DEBUG("field full");
  kiosk_app_clear_error(app);
  app->dirty = true;
}

void kiosk_app_tap(kiosk_app *app, int x, int y)
{
  kiosk_app_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
  kiosk_app_pointer(app, SDL_MOUSEBUTTONUP, x, y);
}

/* Pointer handling shared by mouse and touch: a press that moves more
 * than a few pixels inside a scroll view drags it; otherwise the release
 * taps the widget under the press. */
void kiosk_app_pointer(kiosk_app *app, int type, int x, int y)
{
  if (app->night_dark) {
    /* The touch that wakes the screen acts on nothing: the person could
     * not see what was under the finger. */
    kiosk_app_touch(app);
    app->pressed = false;
    if (type == SDL_MOUSEBUTTONDOWN) {
      LOBBY_INFO("touched at night: the screen wakes");
      app->night_dark = false;
      app->dirty = true;
    }
    return;
  }
  kiosk_app_touch(app);
  kiosk_scroller *s = app->scroller;
  SDL_Point pt = {x, y};
  int64_t ms = kiosk_app_ms(app);
  int slop = (int)(24 * app->m.u) + 6;
  if (type == SDL_MOUSEBUTTONDOWN) {
    const kiosk_widget *hit = kiosk_ui_hit(&app->ui, x, y);
    app->pressed = hit != NULL;
    app->pressed_fired = false;
    if (hit) {
      app->pressed_action = hit->action;
      app->pressed_arg = hit->arg;
      app->pressed_rect = hit->rect;
      app->dirty = true;
      if ((hit->flags & KF_REPEAT) && hit->action == KIOSK_ACT_KEY) {
        /* Backspace acts under the finger at once and repeats while held. */
        app->pressed_fired = true;
        kiosk_keyboard_hold(app, hit->arg);
      }
    }
    if (s && SDL_PointInRect(&pt, &app->scroll_view)) {
      s->down = true;
      s->dragging = false;
      s->down_y = s->last_y = (float)y;
      s->down_pos = s->pos;
      s->vel = 0;
      s->last_ms = ms;
    }
    return;
  }
  if (type == SDL_MOUSEMOTION) {
    if (s && s->down) {
      if (!s->dragging && abs(y - (int)s->down_y) > slop) {
        s->dragging = true;
        app->pressed = false; /* a drag is not a tap */
        kiosk_keyboard_release(app);
      }
      if (s->dragging) {
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
    }
    return;
  }
  if (type == SDL_MOUSEBUTTONUP) {
    bool dragged = s && s->down && s->dragging;
    if (s) {
      s->down = false;
      if (ms - s->last_ms > 120)
        s->vel = 0; /* the finger stopped before lifting */
    }
    bool pressed = app->pressed, fired = app->pressed_fired;
    app->pressed = false;
    app->pressed_fired = false;
    kiosk_keyboard_release(app);
    app->dirty |= pressed;
    if (dragged || !pressed || fired)
      return;
    SDL_Point up = {x, y};
    if (!SDL_PointInRect(&up, &app->pressed_rect))
      return;
    kiosk_app_action(app, app->pressed_action, app->pressed_arg);
  }
}

/* A touch, in fractions of the output, as a point of the screen. */
static void to_pixels(kiosk_app *app, float fx, float fy, int *x, int *y)
{
  kiosk_app_from_output(app, (int)(fx * (float)app->m.out_w), (int)(fy * (float)app->m.out_h), x, y);
}

static void handle_sdl(kiosk_app *app, const SDL_Event *e)
{
  int x, y;
  if (e->type == app->wake_event) {
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
    if (e->key.keysym.sym == SDLK_BACKSPACE && app->focus) {
      if (kiosk_keyboard_backspace(app) != LOBBY_OK)
        LOBBY_WARN("backspace failed");
      kiosk_app_touch(app);
      app->dirty = true;
    }
    break;
  case SDL_WINDOWEVENT:
    if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
      int w, h;
      SDL_GetRendererOutputSize(app->ren, &w, &h);
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
    int64_t nap = kiosk_app_ms(app) - app->last_input_ms < 3000 ? 8 : 40;
    SDL_Delay((Uint32)(left < nap ? left : nap));
  }
}

lobby_err kiosk_app_run(kiosk_app *app)
{
  SDL_StartTextInput();
  bool native = native_wait();
  bool need_draw = true;
  while (!app->quit) {
    net_start_poll(app);
    if (app->quit)
      break;
    kiosk_app_drain_net(app);
    kiosk_keyboard_open_poll(app);
    kiosk_app_tick(app);
    if (app->dirty || need_draw) {
      lobby_err err = kiosk_app_frame(app, true);
      if (err != LOBBY_OK)
        LOBBY_ERROR("frame: %s", lobby_strerror(err));
      need_draw = false;
      /* The network and pinyin input start once the notice board is up. */
      kiosk_app_start_net_async(app);
      kiosk_keyboard_open_continue(app);
    }
    SDL_Event e;
    if (wait_event(app, native, &e, next_timeout(app))) {
      handle_sdl(app, &e);
      while (SDL_PollEvent(&e))
        handle_sdl(app, &e);
    }
  }
  return LOBBY_OK;
}
