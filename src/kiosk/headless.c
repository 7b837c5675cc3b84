#include "headless.h"

#include <png.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include "lobby_time.h"

/* Brings the widget tree up to date with the state. */
static void refresh(kiosk_app *app)
{
  kiosk_app_drain_net(app);
  kiosk_app_tick(app);
  if (app->dirty)
    (void)kiosk_app_frame(app, false);
  /* As the windowed loop does when no input waits. */
  if (kiosk_keyboard_refine(&app->kb))
    (void)kiosk_app_frame(app, false);
}

void kiosk_headless_pump(kiosk_app *app, long ms)
{
  int64_t end = lobby_monotonic_ms() + ms;
  for (;;) {
    refresh(app);
    int64_t left = end - lobby_monotonic_ms();
    if (left <= 0)
      break;
    SDL_Event e;
    /* Network wake-ups arrive as SDL events; any event ends the nap. */
    if (SDL_WaitEventTimeout(&e, left > 20 ? 20 : (int)left))
      while (SDL_PollEvent(&e)) {
      }
  }
}

void kiosk_headless_wait_feed(kiosk_app *app, long ms)
{
  int64_t end = lobby_monotonic_ms() + ms;
  while (!app->link.feed && app->link.net && lobby_monotonic_ms() < end)
    kiosk_headless_pump(app, 20);
}

/* The frame as a PNG, with libpng's simplified API: the surface is
 * ARGB8888, which in memory on a little-endian machine is B, G, R, A. */
static lobby_err save_png(SDL_Surface *surface, const char *path)
{
  if (surface->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_BYTEORDER != SDL_LIL_ENDIAN) {
    fprintf(stderr, "lobby-kiosk: cannot write %s: unexpected pixel format\n", path);
    return LOBBY_EINVAL;
  }
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)surface->w;
  image.height = (png_uint_32)surface->h;
  image.format = PNG_FORMAT_BGRA;
  if (!png_image_write_to_file(&image, path, 0, surface->pixels, surface->pitch, NULL)) {
    fprintf(stderr, "lobby-kiosk: cannot write %s: %s\n", path, image.message);
    png_image_free(&image);
    return LOBBY_EIO;
  }
  return LOBBY_OK;
}

/* The frame as the panel shows it: turned like a rotated window's
 * (kiosk_app_from_output gives, for each output pixel, the screen's). */
static lobby_err turned_copy(kiosk_app *app, SDL_Surface **out)
{
  const kiosk_metrics *m = &app->m;
  SDL_Surface *src = app->display.surface;
  SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, m->out_w, m->out_h, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!dst)
    return LOBBY_ENOMEM;
  for (int oy = 0; oy < m->out_h; oy++) {
    Uint32 *row = (Uint32 *)((Uint8 *)dst->pixels + (size_t)oy * (size_t)dst->pitch);
    for (int ox = 0; ox < m->out_w; ox++) {
      int x, y;
      kiosk_app_from_output(app, ox, oy, &x, &y);
      row[ox] = ((const Uint32 *)((const Uint8 *)src->pixels + (size_t)y * (size_t)src->pitch))[x];
    }
  }
  *out = dst;
  return LOBBY_OK;
}

lobby_err kiosk_headless_shot(kiosk_app *app, const char *dir, const char *name)
{
  (void)kiosk_app_frame(app, false);
  char path[KIOSK_PATH_MAX + 128];
  snprintf(path, sizeof path, "%s/%s.png", dir && *dir ? dir : ".", name);
  if (app->cfg.display.rotation == 0)
    return save_png(app->display.surface, path);
  SDL_Surface *turned;
  lobby_err err = turned_copy(app, &turned);
  if (err != LOBBY_OK)
    return err;
  err = save_png(turned, path);
  SDL_FreeSurface(turned);
  return err;
}

/* Lists what is on screen, for failure messages. */
static void seen(const kiosk_app *app, FILE *out)
{
  fprintf(out, "  screen %s shows:", app->ui.screen ? app->ui.screen : "?");
  int shown = 0;
  for (int i = 0; i < app->ui.n && shown < 40; i++) {
    const kiosk_widget *w = &app->ui.w[i];
    if (!w->text[0] || (w->flags & KF_HIDDEN) || w->role == KW_KEY)
      continue;
    fprintf(out, "%s\"%s\"", shown ? ", " : " ", w->text);
    shown++;
  }
  if (app->form.error_msg[0])
    fprintf(out, "\n  error message: \"%s\"", app->form.error_msg);
  fputc('\n', out);
}

static lobby_err fail(const kiosk_app *app, const kiosk_step *st, const char *what)
{
  fprintf(stderr, "lobby-kiosk: script line %d: %s%s%s%s failed: %s\n", st->line, kiosk_step_name(st->kind),
          st->text ? " \"" : "", st->text ? st->text : "", st->text ? "\"" : "", what);
  seen(app, stderr);
  return LOBBY_EINVAL;
}

static bool visible(const kiosk_app *app, const char *text)
{
  return kiosk_ui_find(&app->ui, text, false) != NULL;
}

static void tap_widget(kiosk_app *app, const kiosk_widget *w)
{
  kiosk_app_tap(app, w->rect.x + w->rect.w / 2, w->rect.y + w->rect.h / 2);
}

static bool usable(const kiosk_widget *w)
{
  return w->action && !(w->flags & (KF_HIDDEN | KF_DISABLED));
}

/* A key of the on-screen keyboard by its label, or a layout tab: exact
 * first, then ignoring ASCII case. */
static const kiosk_widget *find_key(const kiosk_app *app, const char *label)
{
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < app->ui.n; i++) {
      const kiosk_widget *w = &app->ui.w[i];
      bool key = w->role == KW_KEY || (w->role == KW_CHIP && w->action == KIOSK_ACT_SOURCE);
      if (!key || !usable(w))
        continue;
      if (pass == 0 ? strcmp(w->text, label) == 0 : strcasecmp(w->text, label) == 0)
        return w;
    }
  return NULL;
}

static const kiosk_widget *find_action(const kiosk_app *app, int action, int arg, const char *text)
{
  for (int i = 0; i < app->ui.n; i++) {
    const kiosk_widget *w = &app->ui.w[i];
    if (usable(w) && w->action == action && (text ? strcmp(w->text, text) == 0 : w->arg == arg))
      return w;
  }
  return NULL;
}

/* A layout by its tab label in either language or its ASCII name. */
static int layout_by_name(const kiosk_app *app, const char *name)
{
  static const char *const ascii[KIOSK_LAYOUT_COUNT] = {"pinyin", "abc", "123", "symbols"};
  for (int id = 0; id < KIOSK_LAYOUT_COUNT; id++) {
    if (strcasecmp(name, ascii[id]) == 0)
      return id;
    const char *key = kiosk_layout_source((kiosk_layout_id)id)->label_key;
    for (int lang = 0; lang < 2; lang++) {
      const char *label = kiosk_strings_find(&app->strings[lang], key);
      if (label && strcmp(label, name) == 0)
        return id;
    }
  }
  return -1;
}

static lobby_err step_layout(kiosk_app *app, const kiosk_step *st)
{
  int id = layout_by_name(app, st->text);
  if (id < 0)
    return fail(app, st, "no such layout (pinyin, ABC, 123, symbols or their labels)");
  const kiosk_input_source *src = kiosk_layout_source((kiosk_layout_id)id);
  for (int i = 0; i < app->kb.n_tabs; i++) {
    if (app->kb.tabs[i] != src)
      continue;
    const kiosk_widget *tab = find_action(app, KIOSK_ACT_SOURCE, i, NULL);
    if (tab) {
      tap_widget(app, tab);
      return LOBBY_OK;
    }
    /* A keyboard with a single layout shows no tabs: it is active. */
    return app->kb.n_tabs == 1 ? LOBBY_OK : fail(app, st, "the layout's tab is not on screen");
  }
  return fail(app, st, "this keyboard does not offer that layout");
}

/* Taps the candidate with exactly that text, paging on with the bar's
 * next key until it shows up or the list ends. */
static lobby_err step_candidate(kiosk_app *app, const kiosk_step *st)
{
  if (!kiosk_keyboard_composing(&app->kb))
    return fail(app, st, "nothing is being composed");
  char seen_list[512] = "";
  size_t used = 0;
  for (int turn = 0; turn < 100; turn++) {
    const kiosk_widget *c = find_action(app, KIOSK_ACT_CANDIDATE, 0, st->text);
    if (c) {
      tap_widget(app, c);
      return LOBBY_OK;
    }
    for (int i = 0; i < app->ui.n && used + 1 < sizeof seen_list; i++)
      if (app->ui.w[i].action == KIOSK_ACT_CANDIDATE) {
        int k = snprintf(seen_list + used, sizeof seen_list - used, "%s%s", used ? " " : "", app->ui.w[i].text);
        used = k < 0 ? used : (used + (size_t)k >= sizeof seen_list ? sizeof seen_list - 1 : used + (size_t)k);
      }
    const kiosk_widget *next = find_action(app, KIOSK_ACT_CANDIDATE_PAGE, 1, NULL);
    if (!next)
      break;
    tap_widget(app, next);
    refresh(app);
  }
  char why[640];
  snprintf(why, sizeof why, "not among the candidates (offered: %s)", seen_list);
  return fail(app, st, why);
}

static lobby_err step_hold(kiosk_app *app, const kiosk_step *st)
{
  const kiosk_widget *w = find_key(app, st->text);
  if (!w)
    return fail(app, st, "no key with that label");
  int x = w->rect.x + w->rect.w / 2, y = w->rect.y + w->rect.h / 2;
  kiosk_app_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
  kiosk_headless_pump(app, st->ms);
  kiosk_app_pointer(app, SDL_MOUSEBUTTONUP, x, y);
  return LOBBY_OK;
}

static lobby_err step_tap_text(kiosk_app *app, const kiosk_step *st)
{
  const kiosk_widget *w = kiosk_ui_find(&app->ui, st->text, true);
  if (!w)
    return fail(app, st, "no tappable widget with that text");
  tap_widget(app, w);
  return LOBBY_OK;
}

static lobby_err step_key(kiosk_app *app, const kiosk_step *st)
{
  const kiosk_widget *w = find_key(app, st->text);
  if (!w)
    return fail(app, st, "no key with that label on the keyboard");
  tap_widget(app, w);
  return LOBBY_OK;
}

/* A finger moving in 16 ms steps, then lifted; the list coasts on. */
static lobby_err step_drag(kiosk_app *app, const kiosk_step *st)
{
  int n = (int)(st->ms / 16) + 1;
  kiosk_app_pointer(app, SDL_MOUSEBUTTONDOWN, st->x, st->y);
  for (int i = 1; i <= n; i++) {
    SDL_Delay(16);
    kiosk_app_pointer(app, SDL_MOUSEMOTION, st->x + (st->x2 - st->x) * i / n, st->y + (st->y2 - st->y) * i / n);
  }
  kiosk_app_pointer(app, SDL_MOUSEBUTTONUP, st->x2, st->y2);
  return LOBBY_OK;
}

static lobby_err step_type(kiosk_app *app, const kiosk_step *st)
{
  if (!app->form.focus)
    return fail(app, st, "no text field has the focus");
  kiosk_app_type(app, st->text);
  return LOBBY_OK;
}

static lobby_err step_backspace(kiosk_app *app, const kiosk_step *st)
{
  if (!app->form.focus)
    return fail(app, st, "no text field has the focus");
  for (long i = 0; i < st->ms; i++)
    if (kiosk_keyboard_backspace(&app->kb) != LOBBY_OK)
      return fail(app, st, "the keyboard could not delete");
  kiosk_app_touch(app);
  app->dirty = true;
  return LOBBY_OK;
}

static lobby_err step_wait(kiosk_app *app, const kiosk_step *st)
{
  int64_t end = lobby_monotonic_ms() + st->ms;
  while (!visible(app, st->text)) {
    if (lobby_monotonic_ms() >= end) {
      char why[64];
      snprintf(why, sizeof why, "not shown within %ld ms", st->ms);
      return fail(app, st, why);
    }
    kiosk_headless_pump(app, 20);
  }
  return LOBBY_OK;
}

static bool picture_shown(const kiosk_app *app)
{
  for (int i = 0; i < app->ui.n; i++)
    if (app->ui.w[i].role == KW_PICTURE && app->ui.w[i].picture && !(app->ui.w[i].flags & KF_HIDDEN))
      return true;
  return false;
}

/* A notice's picture on screen: it arrives from the network and the
 * decoder, each on a thread of its own. */
static lobby_err step_wait_picture(kiosk_app *app, const kiosk_step *st)
{
  int64_t end = lobby_monotonic_ms() + st->ms;
  while (!picture_shown(app)) {
    if (lobby_monotonic_ms() >= end)
      return fail(app, st, "no picture shown in time");
    kiosk_headless_pump(app, 20);
  }
  return LOBBY_OK;
}

static lobby_err step_expect(kiosk_app *app, const kiosk_step *st)
{
  bool want = st->kind == KIOSK_STEP_EXPECT;
  if (visible(app, st->text) != want)
    return fail(app, st, want ? "not on screen" : "is on screen");
  return LOBBY_OK;
}

static lobby_err step_shot(kiosk_app *app, const kiosk_step *st, const char *shots)
{
  if (kiosk_headless_shot(app, shots, st->text) != LOBBY_OK)
    return fail(app, st, "cannot write the PNG");
  return LOBBY_OK;
}

static lobby_err step_clock(kiosk_app *app, const kiosk_step *st)
{
  int64_t t;
  if (lobby_time_parse(st->text, &t) != LOBBY_OK)
    return fail(app, st, "not an ISO 8601 time");
  app->clock.clock_offset_s = t - lobby_now();
  app->dirty = true;
  return LOBBY_OK;
}

static lobby_err step_dump(kiosk_app *app)
{
  refresh(app);
  (void)kiosk_ui_dump_json(&app->ui, stdout);
  fflush(stdout);
  return LOBBY_OK;
}

static lobby_err step_no_overflow(kiosk_app *app, const kiosk_step *st)
{
  refresh(app);
  if (kiosk_ui_overflow_count(&app->ui) == 0)
    return LOBBY_OK;
  for (int i = 0; i < app->ui.n; i++) {
    const kiosk_widget *w = &app->ui.w[i];
    if ((w->flags & (KF_OVERFLOW | KF_HIDDEN)) == KF_OVERFLOW)
      fprintf(stderr, "  overflow: %s \"%s\" at %d,%d %dx%d\n", kiosk_role_name(w->role), w->text, w->rect.x,
              w->rect.y, w->rect.w, w->rect.h);
  }
  return fail(app, st, "text overflows its widget");
}

/* The steps that only change the app's state and cannot fail. */
static lobby_err step_state(kiosk_app *app, const kiosk_step *st)
{
  switch (st->kind) {
  case KIOSK_STEP_TAP_XY:
    kiosk_app_tap(app, st->x, st->y);
    break;
  case KIOSK_STEP_SLEEP:
    kiosk_headless_pump(app, st->ms);
    break;
  case KIOSK_STEP_IDLE:
    app->clock.idle_shift_ms += st->ms;
    break;
  case KIOSK_STEP_LANG:
    kiosk_app_set_lang(app, strcmp(st->text, "en") == 0);
    break;
  case KIOSK_STEP_SIZE:
    kiosk_app_set_size(app, st->x, st->y);
    break;
  default:
    break;
  }
  return LOBBY_OK;
}

static lobby_err step_run(kiosk_app *app, const kiosk_step *st, const char *shots)
{
  switch (st->kind) {
  case KIOSK_STEP_TAP_TEXT: return step_tap_text(app, st);
  case KIOSK_STEP_KEY: return step_key(app, st);
  case KIOSK_STEP_LAYOUT: return step_layout(app, st);
  case KIOSK_STEP_CANDIDATE: return step_candidate(app, st);
  case KIOSK_STEP_HOLD: return step_hold(app, st);
  case KIOSK_STEP_DRAG: return step_drag(app, st);
  case KIOSK_STEP_TYPE: return step_type(app, st);
  case KIOSK_STEP_BACKSPACE: return step_backspace(app, st);
  case KIOSK_STEP_WAIT: return step_wait(app, st);
  case KIOSK_STEP_EXPECT:
  case KIOSK_STEP_EXPECT_NOT: return step_expect(app, st);
  case KIOSK_STEP_SHOT: return step_shot(app, st, shots);
  case KIOSK_STEP_CLOCK: return step_clock(app, st);
  case KIOSK_STEP_DUMP: return step_dump(app);
  case KIOSK_STEP_NO_OVERFLOW: return step_no_overflow(app, st);
  case KIOSK_STEP_WAIT_PICTURE: return step_wait_picture(app, st);
  case KIOSK_STEP_EXPECT_NO_PICTURE: return picture_shown(app) ? fail(app, st, "a picture is shown") : LOBBY_OK;
  default: return step_state(app, st);
  }
}

/* The frame is brought up to date before and after each step, so a step
 * acts on what the screen shows. */
static lobby_err run_step(kiosk_app *app, const kiosk_step *st, const char *shots)
{
  refresh(app);
  lobby_err err = step_run(app, st, shots);
  if (err != LOBBY_OK)
    return LOBBY_EINVAL;
  refresh(app);
  return LOBBY_OK;
}

lobby_err kiosk_headless_run(kiosk_app *app, const kiosk_script *s, const char *shots_dir)
{
  for (int i = 0; i < s->n; i++) {
    lobby_err err = run_step(app, &s->steps[i], shots_dir);
    if (err != LOBBY_OK)
      return err;
  }
  return LOBBY_OK;
}

void kiosk_headless_report(kiosk_app *app, FILE *out)
{
  kiosk_stats_print(&app->stats, out);
  kiosk_keyboard_report(&app->kb, out);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  size_t tex;
  uint64_t hits, misses;
  kiosk_text_stats(app->text, &tex, &hits, &misses);
  fprintf(out, "kiosk-run first_frame_ms=%lld peak_rss_kb=%ld text_cache_entries=%zu text_cache_hits=%llu "
               "text_cache_misses=%llu\n",
          (long long)app->clock.first_frame_ms, ru.ru_maxrss, tex, (unsigned long long)hits, (unsigned long long)misses);
}
