#include "service.h"

#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>
#include "lobby_log.h"
#include "lobby_time.h"
#include "events.h"
#include "http.h"
#include "ratelimit.h"
#include "tls.h"

void service_notify_ready(lobbyd *d)
{
  const lobbyd_config *cfg = d->cfg;
  /* sd_notify's result only says whether systemd listens; without
   * NOTIFY_SOCKET it is 0 and nothing is sent. */
  (void)sd_notifyf(0, "READY=1\nSTATUS=serving on %s:%d\nMAINPID=%lu", cfg->server.listen_addr,
                   cfg->server.listen_port, (unsigned long)getpid());
}

void service_notify_stopping(int sig)
{
  (void)sd_notifyf(0, "STOPPING=1\nSTATUS=stopping on signal %d", sig);
}

void service_notify_reloading(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  /* MONOTONIC_USEC lets systemd (Type=notify-reload) tell this reload
   * from an earlier one; older systemd ignores it. */
  (void)sd_notifyf(0, "RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=%llu",
                   (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
}

void service_watchdog_init(service_watchdog *w)
{
  uint64_t usec = 0;
  w->interval_ms = 0;
  w->next_ms = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    w->interval_ms = (int64_t)(usec / 2000);
    if (w->interval_ms < 1)
      w->interval_ms = 1;
    LOBBY_INFO("systemd watchdog: a ping every %lld ms", (long long)w->interval_ms);
  }
}

void service_watchdog_tick(service_watchdog *w, bool healthy)
{
  if (w->interval_ms == 0 || !healthy)
    return;
  int64_t now = lobby_monotonic_ms();
  if (now < w->next_ms)
    return;
  (void)sd_notify(0, "WATCHDOG=1");
  w->next_ms = now + w->interval_ms;
}

/* Keeps the running [tls] files in next. */
static void keep_tls(lobbyd_config *next, const lobbyd_config *running)
{
  memcpy(next->tls.cert, running->tls.cert, sizeof next->tls.cert);
  memcpy(next->tls.key, running->tls.key, sizeof next->tls.key);
}

/* The certificate and key are re-read at every reload, so a renewed
 * certificate is served to new connections without a restart; a pair
 * that does not load is refused and the old one stays.  The socket
 * speaks TLS or not from the start: switching needs a restart. */
static void reload_tls(lobbyd_config *next, const lobbyd_config *running, char *restart,
                       size_t size)
{
  bool was = running->tls.cert[0] != '\0', now = next->tls.cert[0] != '\0';
  if (was != now) {
    size_t used = strlen(restart);
    snprintf(restart + used, size - used, "%s[tls] cert and key (TLS %s)", used ? ", " : "",
             now ? "on" : "off");
    keep_tls(next, running);
    return;
  }
  if (!now)
    return;
  if (lobby_tls_load(next->tls.cert, next->tls.key) != LOBBY_OK) {
    /* lobby_tls_load logged which file and why. */
    LOBBY_ERROR("reload: TLS certificate %s and key %s refused; lobbyd keeps serving the "
                "certificate it had (%s)", next->tls.cert, next->tls.key, running->tls.cert);
    keep_tls(next, running);
  }
}

lobby_err service_apply_config(lobbyd *d, const lobbyd_config *boot, const lobbyd_config *next)
{
  lobbyd_config *running = d->cfg, *fresh;
  char changed[512], restart[256];
  lobbyd_config_changes(boot, next, true, restart, sizeof restart);
  lobby_err err = lobbyd_config_dup(next, &fresh);
  if (err != LOBBY_OK)
    return err;
  lobbyd_config_keep_restart(fresh, running);
  reload_tls(fresh, running, restart, sizeof restart);
  lobbyd_config_changes(running, fresh, false, changed, sizeof changed);
  /* Handlers may be reading the running config: it stays allocated,
   * chained behind the new one, until exit. */
  fresh->replaced = running;
  atomic_store(&d->cfg, fresh);
  lobby_log_set_level(fresh->log_level);
  http_apply_limits(d, fresh);
  if (fresh->limits.lookup_rate_per_minute != running->limits.lookup_rate_per_minute)
    rate_limiter_set_rate(d->lookups, fresh->limits.lookup_rate_per_minute);
  if (fresh->follow.per_minute != running->follow.per_minute)
    rate_limiter_set_rate(d->follow_pages, fresh->follow.per_minute);
  if (fresh->visits.checkout_failures_per_hour != running->visits.checkout_failures_per_hour)
    rate_limiter_set_window(d->checkout_failures, fresh->visits.checkout_failures_per_hour, 3600 * 1000);
  if (fresh->limits.kiosk_submissions_per_minute != running->limits.kiosk_submissions_per_minute)
    rate_limiter_set_rate(d->kiosk_submissions, fresh->limits.kiosk_submissions_per_minute);
  /* The feed carries the site name, the service phone and times in the
   * site's offset: rebuild it and wake the waiting kiosks, which get the
   * new feed when its content changed. */
  events_publish(d->events, &(lobby_change){.feed = true});
  LOBBY_INFO("reload: %s%s%s%s", changed[0] ? "applied " : "no setting changed", changed,
             restart[0] ? "; needs a restart to change: " : "", restart);
  return LOBBY_OK;
}
