/* What the app's own files share and nothing else may call: the app is
 * split by concern (app.c wires, app_window.c the display, app_net.c the
 * network thread, app_feed.c the feed, app_frame.c a frame, app_tick.c
 * time, app_input.c taps and keys, app_loop.c the event loop). */
#ifndef KIOSK_APP_INTERNAL_H
#define KIOSK_APP_INTERNAL_H

#include "kiosk_app.h"

/* Opens the window (or the headless surface), its renderer and the fonts,
 * at the configured size; kiosk__display_close frees what was opened. */
lobby_err kiosk__display_open(kiosk_app *app);
void kiosk__display_close(kiosk_app *app);
/* The window changed size or lost its pixels (SIZE_CHANGED): lays out
 * again if its size changed, and draws the next frame whole. */
void kiosk__display_resized(kiosk_app *app);

/* What the windowed loop sleeps on where SDL would poll (app_loop.c): the
 * wake eventfd, the input devices and the quit signals' hook.  Opened
 * once the window exists, before any thread that wakes the loop; closed
 * after those threads are joined. */
lobby_err kiosk__wait_open(kiosk_app *app);
void kiosk__wait_close(kiosk_app *app);
/* Wakes a loop sleeping in poll(); thread-safe, nothing when not open. */
void kiosk__wait_wake(kiosk_app *app);

/* Takes the network over once the worker kiosk_app_start_net_async began
 * is done; a failure ends the loop with exit_code 1. */
void kiosk__net_start_poll(kiosk_app *app);
/* Stops the network thread, joining the worker starting it first. */
void kiosk__net_stop(kiosk_app *app);

/* The kiosk's sound (app_sound.c): started by the first tick when
 * [audio] is on, the emergency's schedule kept by the tick, and how long
 * until it must sound again (-1: not before the feed changes). */
void kiosk__sound_close(kiosk_app *app);
void kiosk__sound_tick(kiosk_app *app);
int64_t kiosk__sound_wait_ms(const kiosk_app *app);

/* A screenshot staff asked for (app_screenshot.c): called by
 * kiosk_app_frame once the frame is drawn, before it is shown; copies it,
 * blanks its private widgets and hands it to the network thread. */
void kiosk__screenshot_frame(kiosk_app *app);

/* How long the event loop may sleep, in milliseconds. */
int kiosk__next_timeout(const kiosk_app *app);

#endif
