/* Starting and stopping the network thread, and waking the UI thread
 * from it. */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include "feed_cache.h"
#include "lobby_log.h"

void kiosk_app_wake(kiosk_app *app)
{
  SDL_Event ev;
  SDL_zero(ev);
  ev.type = app->link.wake_event;
  SDL_PushEvent(&ev);
  /* Where the loop sleeps in poll(), the event alone would not wake it. */
  kiosk__wait_wake(app);
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
  return app->cfg.server.url[0] && app->cfg.server.token[0];
}

static lobby_err start_net(kiosk_app *app, kiosk_net **out)
{
  kiosk_net_config nc = {
    .server_url = app->cfg.server.url, .token = app->cfg.server.token, .state_dir = app->cfg.state_dir,
    .version = LOBBY_KIOSK_VERSION, .poll_wait_s = 50, .heartbeat_s = 60, .backoff_max_s = 30,
    .wake = wake_from_net, .wake_ctx = app, .ca_file = app->cfg.server.ca_file, .pin = app->cfg.server.pin};
  lobby_err err = kiosk_net_start(&nc, out);
  if (err != LOBBY_OK)
    LOBBY_ERROR("cannot start the network thread: %s", lobby_strerror(err));
  return err;
}

lobby_err kiosk_app_start_net(kiosk_app *app)
{
  app->link.net_start_tried = true;
  if (!net_configured(app)) {
    if (!app->cfg.feed_file[0])
      LOBBY_WARN("no server url or kiosk token configured: the kiosk runs without a network");
    return LOBBY_OK;
  }
  return start_net(app, &app->link.net);
}

static int net_starter_main(void *data)
{
  kiosk_app *app = data;
  app->link.net_start_err = start_net(app, &app->link.net_started);
  SDL_AtomicSet(&app->link.net_start_done, 1);
  kiosk_app_wake(app);
  return 0;
}

void kiosk_app_start_net_async(kiosk_app *app)
{
  if (app->link.net_start_tried)
    return;
  if (!net_configured(app)) {
    (void)kiosk_app_start_net(app);
    return;
  }
  app->link.net_start_tried = true;
  SDL_AtomicSet(&app->link.net_start_done, 0);
  app->link.net_starter = SDL_CreateThread(net_starter_main, "net-start", app);
  if (app->link.net_starter)
    return;
  LOBBY_WARN("no thread to start the network on; starting it on the UI thread");
  if (start_net(app, &app->link.net) != LOBBY_OK) {
    app->exit_code = 1;
    app->quit = true;
  }
}

/* Joins the starter, if any, and takes its network over. */
static void net_start_join(kiosk_app *app)
{
  SDL_WaitThread(app->link.net_starter, NULL);
  app->link.net_starter = NULL;
  app->link.net = app->link.net_started;
  app->link.net_started = NULL;
}

void kiosk__net_start_poll(kiosk_app *app)
{
  if (!app->link.net_starter || !SDL_AtomicGet(&app->link.net_start_done))
    return;
  net_start_join(app);
  app->clock.trim_due = true;
  if (app->link.net_start_err != LOBBY_OK) {
    app->exit_code = 1;
    app->quit = true;
  }
}

void kiosk__net_stop(kiosk_app *app)
{
  if (app->link.net_starter)
    net_start_join(app);
  if (app->link.net)
    kiosk_net_stop(app->link.net);
  app->link.net = NULL;
}
