/* Runs a script against the kiosk without a display, rendering onto a
 * software surface. */
#ifndef KIOSK_HEADLESS_H
#define KIOSK_HEADLESS_H

#include <stdio.h>
#include "kiosk_app.h"
#include "script.h"

/* Executes every step; stops at the first failure with a message on
 * stderr naming the line, the step and what was on screen. */
lobby_err kiosk_headless_run(kiosk_app *app, const kiosk_script *s, const char *shots_dir);
/* Processes network events and timers for ms milliseconds. */
void kiosk_headless_pump(kiosk_app *app, long ms);
/* Waits until a feed has arrived or ms pass. */
void kiosk_headless_wait_feed(kiosk_app *app, long ms);
lobby_err kiosk_headless_shot(kiosk_app *app, const char *dir, const char *name);
/* "kiosk-frame ..." per screen and one "kiosk-run ..." summary line. */
void kiosk_headless_report(kiosk_app *app, FILE *out);

#endif
