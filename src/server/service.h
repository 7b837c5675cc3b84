/* lobbyd as a systemd service: readiness, watchdog and reload
 * notifications through sd_notify (each a no-op without NOTIFY_SOCKET),
 * and applying a re-read configuration to the running server. */
#ifndef LOBBYD_SERVICE_H
#define LOBBYD_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include "lobbyd.h"

/* READY=1 with a STATUS= line and MAINPID=, once lobbyd listens. */
void service_notify_ready(lobbyd *d);
/* STOPPING=1 as lobbyd begins to stop on signal sig. */
void service_notify_stopping(int sig);
/* RELOADING=1 (with MONOTONIC_USEC=) as a reload begins; READY=1 again
 * follows through service_notify_ready whether the reload took or not. */
void service_notify_reloading(void);

/* The watchdog: pings at half of WATCHDOG_USEC when systemd asks for
 * them (sd_watchdog_enabled), never otherwise. */
typedef struct {
  int64_t interval_ms;   /* 0: no watchdog */
  int64_t next_ms;       /* monotonic time of the next ping */
} service_watchdog;

void service_watchdog_init(service_watchdog *w);
/* Called by the ticker about once a second; healthy says the ticker and
 * the store answered this time.  Pings when due and healthy, so a hung
 * store or ticker stops the pings and systemd restarts lobbyd. */
void service_watchdog_tick(service_watchdog *w, bool healthy);

/* Makes next the live configuration (d->cfg).  Settings that need a
 * restart (listen, database, threads, max_connections) keep their running
 * values and, when next differs from boot (the configuration lobbyd
 * started with), are named in the log line as needing a restart.  The
 * feed is rebuilt and waiting kiosks are woken, the log level and the
 * look-up rate change at once.  One log line says what changed. */
lobby_err service_apply_config(lobbyd *d, const lobbyd_config *boot, const lobbyd_config *next);

#endif
