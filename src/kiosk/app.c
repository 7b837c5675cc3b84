/* The app that wires the kiosk's layers: set-up and tear-down, the
 * strings in the current language, the idle clock and navigation between
 * screens. */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include <stdarg.h>
#include <string.h>
#include <SDL2/SDL_ttf.h>
#include "lobby_log.h"
#include "lobby_time.h"

void kiosk_wipe(void *p, size_t n)
{
  explicit_bzero(p, n);
}

int64_t kiosk_app_ms(const kiosk_app *app)
{
  return lobby_monotonic_ms() + app->clock.idle_shift_ms;
}

int64_t kiosk_app_now(const kiosk_app *app)
{
  return lobby_now() + app->clock.clock_offset_s;
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

static const char *keyboard_text(void *app, const char *key)
{
  return kiosk_s(app, key);
}

static void keyboard_wake(void *app)
{
  kiosk_app_wake(app);
}

/* The keyboard sees the app through its environment only: the settings,
 * the strings, the focused field and the event loop's wake-up. */
static void init_keyboard(kiosk_app *app)
{
  const kiosk_keyboard_env env = {
    .pinyin = app->cfg.input.pinyin, .rime_shared_dir = app->cfg.input.rime_shared_dir,
    .rime_config_dir = app->cfg.input.rime_config_dir, .state_dir = app->cfg.state_dir,
    .text = keyboard_text, .wake = keyboard_wake, .ctx = app,
    .focus = &app->form.focus, .action_t0 = &app->action_t0};
  kiosk_keyboard_init(&app->kb, &env);
}

static void init_forms(kiosk_app *app)
{
  for (int i = 0; i < KIOSK_SCREEN_COUNT; i++)
    if (kiosk_screen_get(i)->leave)
      kiosk_screen_get(i)->leave(app);
}

lobby_err kiosk_app_init(kiosk_app *app, const kiosk_config *cfg)
{
  memset(app, 0, sizeof *app);
  app->cfg = *cfg;
  app->clock.start_ms = lobby_monotonic_ms();
  app->lang = strcmp(cfg->language, "en") == 0 ? 1 : 0;
  kiosk_text_layout_init();
  lobby_err err = load_strings(app);
  if (err != LOBBY_OK)
    return err;
  init_keyboard(app);
  /* The windowed kiosk forks pinyin's data check first, while the process
   * is small: forked after the window's 8 MB frame buffer exists, every
   * page of it that the first frame writes would be copied. */
  if (!cfg->headless.on && kiosk_keyboard_open_begin(&app->kb) != LOBBY_OK)
    LOBBY_WARN("the keyboard offers no pinyin: %s", app->kb.why);
  err = kiosk__display_open(app);
  if (err != LOBBY_OK) {
    LOBBY_ERROR("cannot set up the display or font: %s", lobby_strerror(err));
    return err;
  }
  app->link.wake_event = SDL_RegisterEvents(1);
  app->screen = KIOSK_SCREEN_HOME;
  init_forms(app);
  app->clock.last_input_ms = app->clock.last_rotate_ms = kiosk_app_ms(app);
  app->dirty = true;
  return LOBBY_OK;
}

void kiosk_app_free(kiosk_app *app)
{
  kiosk__net_stop(app);
  kiosk__sound_close(app);
  init_forms(app);
  kiosk_keyboard_close(&app->kb);
  json_decref(app->link.feed);
  kiosk_ui_free(&app->ui);
  /* Before the renderer, whose textures it frees. */
  kiosk_app_pictures_free(app);
  kiosk_ui_sigs_free(&app->display.sigs_shown);
  kiosk_ui_sigs_free(&app->display.sigs_next);
  kiosk__display_close(app);
  for (int i = 0; i < 2; i++)
    kiosk_strings_free(&app->strings[i]);
  kiosk_stats_free(&app->stats);
  TTF_Quit();
  SDL_Quit();
}

void kiosk_app_touch(kiosk_app *app)
{
  app->clock.last_input_ms = kiosk_app_ms(app);
  app->clock.touched = true;
}

const char *kiosk_app_screen_name(kiosk_app *app)
{
  const kiosk_screen *s = kiosk_screen_shown(app);
  return s->step_name ? s->step_name(app) : s->name;
}

void kiosk_app_clear_error(kiosk_app *app)
{
  app->form.error_msg[0] = '\0';
  app->form.error_field[0] = '\0';
}

void kiosk_app_go(kiosk_app *app, kiosk_screen_id id)
{
  app->clock.trim_due = true;
  /* What a screen read aloud ends with it. */
  kiosk_app_quiet(app);
  if (kiosk_screen_get(app->screen)->leave)
    kiosk_screen_get(app->screen)->leave(app);
  /* The next person must not see this one's composition or candidates. */
  if (kiosk_keyboard_wipe(&app->kb) != LOBBY_OK)
    LOBBY_WARN("pinyin input is off until the kiosk restarts");
  /* Rendered text of names and phones must not outlive the form. */
  kiosk_text_purge_private(app->text);
  kiosk_ui_reset(&app->ui, app->m.w, app->m.h, NULL);
  kiosk_app_clear_error(app);
  app->form.focus = NULL;
  app->form.source = NULL;
  app->pointer.scroller = NULL;
  app->pointer.pressed = false;
  app->screen = id;
  if (kiosk_screen_get(id)->enter)
    kiosk_screen_get(id)->enter(app);
  app->dirty = true;
}

void kiosk_app_set_lang(kiosk_app *app, int lang)
{
  app->lang = lang ? 1 : 0;
  app->dirty = true;
}
