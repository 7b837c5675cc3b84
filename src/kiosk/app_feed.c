/* The feed the screens show, and what the network thread reports. */
#include "kiosk_app.h"

#include "lobby_log.h"

/* The feed's shape is kiosk_api.c's; these read the one the app holds. */
json_t *kiosk_feed_notices(const kiosk_app *app)
{
  return kiosk_api_feed_notices(app->link.feed);
}

json_t *kiosk_feed_directory(const kiosk_app *app)
{
  return kiosk_api_feed_directory(app->link.feed);
}

json_t *kiosk_feed_emergency(const kiosk_app *app)
{
  return kiosk_api_feed_emergency(app->link.feed);
}

const char *kiosk_feed_str(const kiosk_app *app, const char *obj, const char *key)
{
  return kiosk_api_feed_str(app->link.feed, obj, key);
}

void kiosk_app_set_feed(kiosk_app *app, json_t *feed, int64_t fetched_at)
{
  bool had_emergency = kiosk_feed_emergency(app) != NULL;
  json_decref(app->link.feed);
  app->link.feed = feed;
  app->clock.trim_due = true;
  app->link.feed_fetched_at = fetched_at;
  kiosk_app_pictures_feed(app);
  bool emergency = kiosk_feed_emergency(app) != NULL;
  if (emergency && !had_emergency) {
    LOBBY_INFO("emergency notice shown");
    /* The takeover replaces any half-filled form, which is wiped. */
    if (app->screen != KIOSK_SCREEN_HOME)
      kiosk_app_go(app, KIOSK_SCREEN_HOME);
  }
  if (app->screen == KIOSK_SCREEN_HOME && app->screens.home.highlight >= (int)kiosk_api_notice_count(kiosk_feed_notices(app)))
    app->screens.home.highlight = 0;
  app->dirty = true;
}

static void handle_event(kiosk_app *app, kiosk_event *ev)
{
  switch (ev->kind) {
  case KIOSK_EV_FEED:
    kiosk_app_set_feed(app, ev->feed, ev->fetched_at);
    ev->feed = NULL;
    if (!app->link.connectivity_known && !ev->from_cache) {
      app->link.online = true;
      app->link.last_ok_at = ev->fetched_at;
    }
    break;
  case KIOSK_EV_CONNECTIVITY:
    app->link.connectivity_known = true;
    app->link.online = ev->online;
    app->link.tls_failure = ev->online ? LOBBY_TLS_FAIL_NONE : ev->tls_failure;
    app->link.last_ok_at = ev->last_ok_at;
    app->dirty = true;
    break;
  case KIOSK_EV_RESULT:
    LOBBY_DEBUG("result for request %llu: state %d status %d", (unsigned long long)ev->request_id,
                (int)ev->state, ev->http_status);
    if (kiosk_screen_get(app->screen)->result)
      kiosk_screen_get(app->screen)->result(app, ev);
    app->dirty = true;
    break;
  case KIOSK_EV_IMAGE:
    kiosk_app_picture_cached(app, ev->etag);
    break;
  case KIOSK_EV_SCREENSHOT:
    kiosk_app_screenshot_asked(app, ev->etag);
    break;
  case KIOSK_EV_OUTBOX:
    app->link.queued = ev->queued;
    if (kiosk_screen_get(app->screen)->result)
      kiosk_screen_get(app->screen)->result(app, ev);
    app->dirty = true;
    break;
  }
  json_decref(ev->feed);
  json_decref(ev->body);
}

void kiosk_app_drain_net(kiosk_app *app)
{
  kiosk_app_pictures_drain(app);
  if (!app->link.net)
    return;
  kiosk_event ev;
  while (kiosk_net_poll(app->link.net, &ev))
    handle_event(app, &ev);
}
