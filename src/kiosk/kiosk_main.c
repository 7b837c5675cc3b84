/* lobby-kiosk: the lobby's touch screen.  README.md ("Headless scripted
 * mode") describes the scripted mode used by tests and the demo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "headless.h"
#include "kiosk_app.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_text.h"
#include "lobby_time.h"

#define DEFAULT_CONFIG LOBBY_SYSCONFDIR "/kiosk.ini"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: lobby-kiosk [--config FILE] [--server URL] [--token T] [--state-dir DIR]\n"
          "                   [--size WxH] [--rotation 0|90|180|270] [--window] [--lang zh|en]\n"
          "                   [--idle-timeout S] [--renderer auto|software|gpu]\n"
          "                   [--rime-shared-dir DIR] [--rime-config-dir DIR] [--no-pinyin]\n"
          "       lobby-kiosk --headless --size WxH [--rotation 0|90|180|270] [--script FILE]\n"
          "                   [--shots DIR] [--dump-ui] [--feed FILE] [--config FILE]\n"
          "                   [--server URL --token T --state-dir DIR]\n"
          "       lobby-kiosk --version\n");
}

typedef struct {
  const char *config, *server, *token, *state_dir, *size, *script, *shots, *feed, *lang, *idle;
  const char *rime_shared, *rime_config, *rotation, *renderer;
  bool headless, dump_ui, window, no_pinyin;
} args;

static lobby_err parse_args(int argc, char **argv, args *a)
{
  memset(a, 0, sizeof *a);
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i];
    const char **dst = NULL;
    if (!strcmp(o, "--headless")) { a->headless = true; continue; }
    if (!strcmp(o, "--dump-ui")) { a->dump_ui = true; continue; }
    if (!strcmp(o, "--window")) { a->window = true; continue; }
    if (!strcmp(o, "--no-pinyin")) { a->no_pinyin = true; continue; }
    if (!strcmp(o, "--help") || !strcmp(o, "-h")) { usage(stdout); exit(0); }
    if (!strcmp(o, "--version")) { printf("lobby-kiosk %s\n", LOBBY_KIOSK_VERSION); exit(0); }
    if (!strcmp(o, "--config")) dst = &a->config;
    else if (!strcmp(o, "--server")) dst = &a->server;
    else if (!strcmp(o, "--token")) dst = &a->token;
    else if (!strcmp(o, "--state-dir")) dst = &a->state_dir;
    else if (!strcmp(o, "--size")) dst = &a->size;
    else if (!strcmp(o, "--script")) dst = &a->script;
    else if (!strcmp(o, "--shots")) dst = &a->shots;
    else if (!strcmp(o, "--feed")) dst = &a->feed;
    else if (!strcmp(o, "--lang")) dst = &a->lang;
    else if (!strcmp(o, "--idle-timeout")) dst = &a->idle;
    else if (!strcmp(o, "--rime-shared-dir")) dst = &a->rime_shared;
    else if (!strcmp(o, "--rime-config-dir")) dst = &a->rime_config;
    else if (!strcmp(o, "--rotation")) dst = &a->rotation;
    else if (!strcmp(o, "--renderer")) dst = &a->renderer;
    if (!dst || i + 1 >= argc) {
      fprintf(stderr, "lobby-kiosk: unknown or incomplete option %s\n", o);
      usage(stderr);
      return LOBBY_EINVAL;
    }
    *dst = argv[++i];
  }
  return LOBBY_OK;
}

/* The configuration file named, or the default one when it exists. */
static lobby_err load_config_file(const args *a, kiosk_config *c)
{
  const char *path = a->config;
  if (!path && access(DEFAULT_CONFIG, F_OK) != 0)
    return LOBBY_OK;
  char why[768];
  lobby_err err = kiosk_config_load_why(path ? path : DEFAULT_CONFIG, c, why, sizeof why);
  if (err != LOBBY_OK)
    fprintf(stderr, "lobby-kiosk: %s\n", why);
  return err;
}

static lobby_err make_config(const args *a, kiosk_config *c)
{
  kiosk_config_defaults(c);
  lobby_err err = load_config_file(a, c);
  if (err != LOBBY_OK)
    return err;
  if (a->server) snprintf(c->server.url, sizeof c->server.url, "%s", a->server);
  if (a->server) {
    /* The file's ca_file and pin now go with this url. */
    char why[768];
    if (kiosk_config_check_tls(c, "--server", why, sizeof why) != LOBBY_OK) {
      fprintf(stderr, "lobby-kiosk: %s\n", why);
      return LOBBY_EINVAL;
    }
  }
  if (a->token) snprintf(c->server.token, sizeof c->server.token, "%s", a->token);
  if (a->state_dir) snprintf(c->state_dir, sizeof c->state_dir, "%s", a->state_dir);
  if (a->script) snprintf(c->headless.script, sizeof c->headless.script, "%s", a->script);
  if (a->shots) snprintf(c->headless.shots, sizeof c->headless.shots, "%s", a->shots);
  if (a->feed) snprintf(c->feed_file, sizeof c->feed_file, "%s", a->feed);
  if (a->rime_shared) snprintf(c->input.rime_shared_dir, sizeof c->input.rime_shared_dir, "%s", a->rime_shared);
  if (a->rime_config) snprintf(c->input.rime_config_dir, sizeof c->input.rime_config_dir, "%s", a->rime_config);
  if (a->no_pinyin)
    c->input.pinyin = false;
  if (a->lang) {
    if (strcmp(a->lang, "zh") && strcmp(a->lang, "en")) {
      fprintf(stderr, "lobby-kiosk: --lang must be zh or en\n");
      return LOBBY_EINVAL;
    }
    snprintf(c->language, sizeof c->language, "%s", a->lang);
  }
  if (a->idle) {
    int64_t v;
    if (lobby_parse_int64(a->idle, 1, 86400, &v) != LOBBY_OK) {
      fprintf(stderr, "lobby-kiosk: --idle-timeout must be a number of seconds from 1 to 86400\n");
      return LOBBY_EINVAL;
    }
    c->idle_timeout_s = (int)v;
  }
  if (a->size && kiosk_parse_size(a->size, &c->display.width, &c->display.height) != LOBBY_OK) {
    fprintf(stderr, "lobby-kiosk: --size must look like 1080x1920\n");
    return LOBBY_EINVAL;
  }
  if (a->rotation && kiosk_parse_rotation(a->rotation, &c->display.rotation) != LOBBY_OK) {
    fprintf(stderr, "lobby-kiosk: --rotation must be 0, 90, 180 or 270\n");
    return LOBBY_EINVAL;
  }
  if (a->renderer && kiosk_parse_renderer(a->renderer, &c->display.renderer) != LOBBY_OK) {
    fprintf(stderr, "lobby-kiosk: --renderer must be auto, software or gpu\n");
    return LOBBY_EINVAL;
  }
  if (a->window)
    c->display.fullscreen = false;
  c->headless.on = a->headless;
  c->headless.dump_ui = a->dump_ui;
  return LOBBY_OK;
}

static lobby_err load_feed_file(kiosk_app *app, const char *path)
{
  json_error_t je;
  json_t *feed = json_load_file(path, 0, &je);
  if (!feed) {
    fprintf(stderr, "lobby-kiosk: %s:%d: %s\n", path, je.line, je.text);
    return LOBBY_EINVAL;
  }
  kiosk_app_set_feed(app, feed, lobby_now());
  return LOBBY_OK;
}

static int run_headless(kiosk_app *app)
{
  kiosk_script script = {0};
  char err[256] = "";
  if (app->cfg.headless.script[0] && kiosk_script_load(app->cfg.headless.script, &script, err, sizeof err) != LOBBY_OK) {
    fprintf(stderr, "lobby-kiosk: script %s\n", err);
    return 2;
  }
  if (app->cfg.headless.shots[0] && lobby_fs_mkdirs(app->cfg.headless.shots) != LOBBY_OK) {
    fprintf(stderr, "lobby-kiosk: cannot create %s\n", app->cfg.headless.shots);
    kiosk_script_free(&script);
    return 2;
  }
  (void)kiosk_app_frame(app, false);
  /* Give the network thread a moment to deliver the cached or live feed so
   * scripts start from the notice board as people see it. */
  kiosk_headless_wait_feed(app, 5000);
  kiosk_headless_pump(app, 0);
  lobby_err e = kiosk_headless_run(app, &script, app->cfg.headless.shots);
  kiosk_script_free(&script);
  if (app->cfg.headless.dump_ui) {
    kiosk_headless_pump(app, 0);
    (void)kiosk_ui_dump_json(&app->ui, stdout);
  }
  kiosk_headless_report(app, stderr);
  return e == LOBBY_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
  args a;
  if (parse_args(argc, argv, &a) != LOBBY_OK)
    return 2;
  kiosk_config cfg;
  if (make_config(&a, &cfg) != LOBBY_OK)
    return 2;
  if (cfg.headless.on) {
    /* No display is needed: everything renders onto a software surface. */
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    if (!cfg.display.width)
      cfg.display.width = 1080, cfg.display.height = 1920;
  }
  static kiosk_app app;
  if (kiosk_app_init(&app, &cfg) != LOBBY_OK) {
    kiosk_app_free(&app);
    return 1;
  }
  /* The pinyin engine forks a child to check its data: before the network
   * thread exists.  The windowed kiosk has started it already (in
   * kiosk_app_init) and finishes opening it after its first frame; scripts
   * wait for it.  Without it the keyboard offers ABC, 123 and symbols. */
  if (cfg.headless.on && kiosk_keyboard_open(&app.kb) != LOBBY_OK)
    LOBBY_WARN("the keyboard offers no pinyin: %s", app.kb.why);
  int rc = 0;
  if (cfg.feed_file[0] && load_feed_file(&app, cfg.feed_file) != LOBBY_OK)
    rc = 2;
  else if (!cfg.feed_file[0] && cfg.state_dir[0])
    kiosk_app_load_feed_cache(&app);
  /* The windowed kiosk starts its network after the first frame. */
  if (rc == 0 && cfg.headless.on && kiosk_app_start_net(&app) != LOBBY_OK)
    rc = 1;
  if (rc == 0 && cfg.headless.on) {
    rc = run_headless(&app);
  } else if (rc == 0) {
    rc = kiosk_app_run(&app) == LOBBY_OK ? app.exit_code : 1;
    /* The frame times at exit, as headless runs print them: what the
     * renderers were compared on (docs/deploy.md). */
    kiosk_stats_print(&app.stats, stderr);
  }
  kiosk_app_free(&app);
  return rc;
}
