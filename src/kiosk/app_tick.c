/* Time passing: idle timeouts, the night screen, the notice board's
 * highlight, coasting scrolls, and how long the loop may sleep. */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include <math.h>
#include <string.h>
#include "lobby_log.h"
#include "lobby_time.h"

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
  return app->pointer.scroller && !app->pointer.scroller->down && fabsf(app->pointer.scroller->vel) >= 1.0f;
}

/* The night screen is up in the night schedule unless an emergency is
 * shown or somebody touched the screen less than the idle timeout ago. */
static bool night_now(const kiosk_app *app)
{
  if (!app->cfg.night.on || kiosk_feed_emergency(app))
    return false;
  lobby_civil t;
  lobby_time_local(kiosk_app_now(app), app->cfg.utc_offset_min, &t);
  if (!kiosk_night_contains(&app->cfg, t.hour * 60 + t.minute))
    return false;
  if (app->clock.touched && kiosk_app_ms(app) - app->clock.last_input_ms < (int64_t)app->cfg.idle_timeout_s * 1000)
    return false;
  /* A visitor waiting for the front desk keeps the screen up. */
  return app->screen == KIOSK_SCREEN_HOME;
}

static void night_tick(kiosk_app *app)
{
  bool dark = night_now(app);
  if (dark == app->clock.night_dark)
    return;
  app->clock.night_dark = dark;
  app->dirty = true;
  if (!dark)
    return;
  /* Waking, the board starts from the top of the first notice. */
  app->screens.home.scroll.pos = 0;
  app->screens.home.highlight = 0;
}

void kiosk_app_tick(kiosk_app *app)
{
  /* First, so that a visitor waiting for approval does not count as idle. */
  const kiosk_screen *screen = kiosk_screen_get(app->screen);
  if (screen->tick)
    screen->tick(app);
  int64_t ms = kiosk_app_ms(app);
  bool home = app->screen == KIOSK_SCREEN_HOME;
  if (!home && ms - app->clock.last_input_ms >= (int64_t)app->cfg.idle_timeout_s * 1000) {
    LOBBY_INFO("idle for %d s on %s: back to the notice board", app->cfg.idle_timeout_s,
               kiosk_screen_get(app->screen)->name);
    kiosk_app_go(app, KIOSK_SCREEN_HOME);
    /* The next person starts from the top of the notice board, in the
     * kiosk's own language. */
    app->screens.home.scroll.pos = 0;
    app->screens.home.highlight = 0;
    kiosk_app_set_lang(app, strcmp(app->cfg.language, "en") == 0);
  }
  night_tick(app);
  kiosk__sound_tick(app);
  int64_t period = (int64_t)app->cfg.rotate_s * 1000;
  if (home && !app->clock.night_dark && ms - app->clock.last_input_ms >= period && ms - app->clock.last_rotate_ms >= period) {
    size_t n = kiosk_api_notice_count(kiosk_feed_notices(app));
    if (n > 1) {
      app->screens.home.highlight = (app->screens.home.highlight + 1) % (int)n;
      app->dirty = true;
    }
    app->clock.last_rotate_ms = ms;
  }
  int key;
  while (kiosk_keyboard_repeat_due(&app->kb, kiosk_app_ms(app), &key))
    kiosk_app_action(app, KIOSK_ACT_KEY, key);
  if (kiosk_app_now(app) / 60 != app->clock.shown_minute)
    app->dirty = true;
  if (scrolling(app)) {
    kiosk_scroller_tick(app->pointer.scroller, 1.0f / 60.0f);
    app->dirty = true;
  }
}

/* How long the loop may sleep: until the next minute on the clock, the
 * next idle deadline, or one frame while a scroll is coasting. */
int kiosk__next_timeout(const kiosk_app *app)
{
  if (scrolling(app))
    return 16;
  int64_t repeat = kiosk_keyboard_next_repeat(&app->kb, kiosk_app_ms(app));
  if (repeat >= 0)
    return repeat < 1 ? 1 : (int)repeat;
  int64_t now_ms = kiosk_app_ms(app);
  int64_t t = (60 - kiosk_app_now(app) % 60) * 1000;
  int64_t sound = kiosk__sound_wait_ms(app);
  if (sound >= 0 && sound < t)
    t = sound;
  /* Dark, the screen changes only when the minute turns (the clock, the
   * end of the night); a touch or the feed wakes the loop. */
  if (app->clock.night_dark)
    return (int)t;
  int64_t idle_left = app->clock.last_input_ms + (int64_t)app->cfg.idle_timeout_s * 1000 - now_ms;
  if (app->screen != KIOSK_SCREEN_HOME && idle_left < t)
    t = idle_left;
  int64_t period = (int64_t)app->cfg.rotate_s * 1000;
  int64_t rot = (app->clock.last_rotate_ms > app->clock.last_input_ms ? app->clock.last_rotate_ms : app->clock.last_input_ms) +
                period - now_ms;
  if (app->screen == KIOSK_SCREEN_HOME && rot < t)
    t = rot;
  const kiosk_screen *screen = kiosk_screen_get(app->screen);
  int64_t wake = screen->next_wake_ms ? screen->next_wake_ms(app) : -1;
  if (wake >= 0 && wake < t)
    t = wake;
  return t < 1 ? 1 : (int)t;
}
