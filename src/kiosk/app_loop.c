/* The windowed event loop: SDL events in, frames out. */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "lobby_log.h"
#include "lobby_time.h"

/* A touch, in fractions of the output, as a point of the screen. */
static void to_pixels(kiosk_app *app, float fx, float fy, int *x, int *y)
{
  kiosk_app_from_output(app, (int)(fx * (float)app->m.out_w), (int)(fy * (float)app->m.out_h), x, y);
}

static void handle_sdl(kiosk_app *app, const SDL_Event *e)
{
  int x, y;
  if (e->type == app->link.wake_event) {
    kiosk_app_drain_net(app);
    return;
  }
  switch (e->type) {
  case SDL_QUIT:
    app->quit = true;
    break;
  case SDL_MOUSEBUTTONDOWN:
  case SDL_MOUSEBUTTONUP:
    if (e->button.which != SDL_TOUCH_MOUSEID) {
      kiosk_app_from_output(app, e->button.x, e->button.y, &x, &y);
      kiosk_app_pointer(app, (int)e->type, x, y);
    }
    break;
  case SDL_MOUSEMOTION:
    if (e->motion.which != SDL_TOUCH_MOUSEID && (e->motion.state & SDL_BUTTON_LMASK)) {
      kiosk_app_from_output(app, e->motion.x, e->motion.y, &x, &y);
      kiosk_app_pointer(app, SDL_MOUSEMOTION, x, y);
    }
    break;
  case SDL_FINGERDOWN:
    to_pixels(app, e->tfinger.x, e->tfinger.y, &x, &y);
    kiosk_app_pointer(app, SDL_MOUSEBUTTONDOWN, x, y);
    break;
  case SDL_FINGERMOTION:
    to_pixels(app, e->tfinger.x, e->tfinger.y, &x, &y);
    kiosk_app_pointer(app, SDL_MOUSEMOTION, x, y);
    break;
  case SDL_FINGERUP:
    to_pixels(app, e->tfinger.x, e->tfinger.y, &x, &y);
    kiosk_app_pointer(app, SDL_MOUSEBUTTONUP, x, y);
    break;
  case SDL_TEXTINPUT:
    kiosk_app_type(app, e->text.text);
    break;
  case SDL_KEYDOWN:
    if (e->key.keysym.sym == SDLK_BACKSPACE && app->form.focus) {
      if (kiosk_keyboard_backspace(&app->kb) != LOBBY_OK)
        LOBBY_WARN("backspace failed");
      kiosk_app_touch(app);
      app->dirty = true;
    }
    break;
  case SDL_WINDOWEVENT:
    if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
      kiosk__display_resized(app);
    } else if (e->window.event == SDL_WINDOWEVENT_EXPOSED) {
      /* The window system lost what it showed: push the whole frame. */
      app->display.frame_kept = false;
      app->dirty = true;
    }
    break;
  default:
    break;
  }
}

/* SDL_WaitEventTimeout sleeps in the kernel only on video drivers that
 * can be woken (X11, Wayland); elsewhere (KMSDRM, offscreen) it polls every
 * millisecond.  There the loop sleeps in poll() itself (wait_event). */
static bool native_wait(void)
{
  const char *d = SDL_GetCurrentVideoDriver();
  return d && (!strcmp(d, "x11") || !strcmp(d, "wayland") || !strcmp(d, "windows") || !strcmp(d, "cocoa"));
}

/* SDL's SIGTERM and SIGINT handlers only note the quit for the next
 * SDL_PumpEvents: ours chains to them and then writes the wake eventfd,
 * so that a stop while the loop sleeps in poll() is seen at once. */
static int signal_wake_fd = -1;
static struct sigaction sdl_term_action, sdl_int_action;

static void on_quit_signal(int sig)
{
  int saved_errno = errno;
  const struct sigaction *sdl = sig == SIGTERM ? &sdl_term_action : &sdl_int_action;
  if (!(sdl->sa_flags & SA_SIGINFO) && sdl->sa_handler != SIG_DFL && sdl->sa_handler != SIG_IGN) {
    sdl->sa_handler(sig);
    /* SDL's handler puts itself back with signal(): ours goes back over it. */
    struct sigaction ours;
    memset(&ours, 0, sizeof ours);
    ours.sa_handler = on_quit_signal;
    sigemptyset(&ours.sa_mask);
    (void)sigaction(sig, &ours, NULL);
  }
  uint64_t one = 1;
  if (signal_wake_fd >= 0 && write(signal_wake_fd, &one, sizeof one) < 0) {
    /* The counter is full: the loop wakes anyway. */
  }
  errno = saved_errno;
}

static bool hooked_term, hooked_int;

/* Puts ours before SDL's handler of sig; a signal SDL does not handle
 * (SDL_HINT_NO_SIGNAL_HANDLERS, or a handler of the caller's) is left
 * alone, so that SIGTERM still ends the kiosk. */
static lobby_err hook_quit_signal(int sig, struct sigaction *sdl, bool *hooked)
{
  if (sigaction(sig, NULL, sdl) != 0)
    return LOBBY_EIO;
  if ((sdl->sa_flags & SA_SIGINFO) || sdl->sa_handler == SIG_DFL || sdl->sa_handler == SIG_IGN)
    return LOBBY_OK;
  struct sigaction ours;
  memset(&ours, 0, sizeof ours);
  ours.sa_handler = on_quit_signal;
  sigemptyset(&ours.sa_mask);
  if (sigaction(sig, &ours, NULL) != 0)
    return LOBBY_EIO;
  *hooked = true;
  return LOBBY_OK;
}

static lobby_err hook_quit_signals(void)
{
  if (hook_quit_signal(SIGTERM, &sdl_term_action, &hooked_term) != LOBBY_OK ||
      hook_quit_signal(SIGINT, &sdl_int_action, &hooked_int) != LOBBY_OK)
    return LOBBY_EIO;
  return LOBBY_OK;
}

static void unhook_quit_signals(void)
{
  if (hooked_term)
    (void)sigaction(SIGTERM, &sdl_term_action, NULL);
  if (hooked_int)
    (void)sigaction(SIGINT, &sdl_int_action, NULL);
  hooked_term = hooked_int = false;
}

static void close_input_devices(kiosk_display *d)
{
  for (int i = 0; i < d->n_input_fds; i++)
    close(d->input_fds[i]);
  d->n_input_fds = 0;
}

/* The evdev devices SDL reads on KMSDRM, opened again: each open file
 * gets its own copy of the events, so reading ours takes nothing from
 * SDL's.  Devices plugged in later are found at the next rescan. */
static void open_input_devices(kiosk_display *d)
{
  close_input_devices(d);
  const char *driver = SDL_GetCurrentVideoDriver();
  if (!driver || !strcmp(driver, "offscreen") || !strcmp(driver, "dummy"))
    return;
  DIR *dir = opendir("/dev/input");
  if (!dir)
    return;
  struct dirent *ent;
  while ((ent = readdir(dir)) && d->n_input_fds < KIOSK_INPUT_FDS) {
    if (strncmp(ent->d_name, "event", 5) != 0)
      continue;
    char path[300];
    snprintf(path, sizeof path, "/dev/input/%s", ent->d_name);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0)
      d->input_fds[d->n_input_fds++] = fd;
  }
  closedir(dir);
}

lobby_err kiosk__wait_open(kiosk_app *app)
{
  kiosk_display *d = &app->display;
  d->native_wait = native_wait();
  if (d->native_wait)
    return LOBBY_OK;
  d->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (d->wake_fd < 0) {
    LOBBY_ERROR("eventfd: %s", strerror(errno));
    return LOBBY_EIO;
  }
  d->wake_open = true;
  signal_wake_fd = d->wake_fd;
  if (hook_quit_signals() != LOBBY_OK) {
    LOBBY_ERROR("cannot hook SIGTERM and SIGINT: %s", strerror(errno));
    return LOBBY_EIO;
  }
  open_input_devices(d);
  LOBBY_INFO("the event loop sleeps in poll() on %s (%d input devices)", SDL_GetCurrentVideoDriver(),
             d->n_input_fds);
  return LOBBY_OK;
}

void kiosk__wait_close(kiosk_app *app)
{
  kiosk_display *d = &app->display;
  if (!d->wake_open)
    return;
  unhook_quit_signals();
  signal_wake_fd = -1;
  close(d->wake_fd);
  d->wake_open = false;
  close_input_devices(d);
}

void kiosk__wait_wake(kiosk_app *app)
{
  uint64_t one = 1;
  if (app->display.wake_open && write(app->display.wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
    LOBBY_WARN("cannot wake the event loop: %s", strerror(errno));
}

/* Reads fd until it is empty; false when the device is gone. */
static bool drain(int fd)
{
  char buf[1024];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0)
      continue;
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
}

/* After poll(): the wake counter reset, the input devices' copies of the
 * events read (SDL reads its own), devices that went away closed. */
static void drain_wake_sources(kiosk_display *d, const struct pollfd *fds)
{
  (void)drain(d->wake_fd);
  int kept = 0;
  for (int i = 0; i < d->n_input_fds; i++) {
    bool alive = !(fds[1 + i].revents & (POLLERR | POLLHUP | POLLNVAL)) &&
                 (!(fds[1 + i].revents & POLLIN) || drain(d->input_fds[i]));
    if (alive)
      d->input_fds[kept++] = d->input_fds[i];
    else
      close(d->input_fds[i]);
  }
  d->n_input_fds = kept;
}

/* Sleeps until a touch, a wake-up (the network, the pinyin opener, a
 * quit signal) or the timeout, then takes SDL's events. */
static int sleep_in_poll(kiosk_app *app, SDL_Event *e, int timeout_ms)
{
  kiosk_display *d = &app->display;
  if (SDL_PollEvent(e))
    return 1;
  struct pollfd fds[1 + KIOSK_INPUT_FDS];
  fds[0] = (struct pollfd){.fd = d->wake_fd, .events = POLLIN};
  for (int i = 0; i < d->n_input_fds; i++)
    fds[1 + i] = (struct pollfd){.fd = d->input_fds[i], .events = POLLIN};
  int n = poll(fds, (nfds_t)(1 + d->n_input_fds), timeout_ms);
  if (n < 0 && errno != EINTR) {
    LOBBY_WARN("poll: %s; waiting in SDL", strerror(errno));
    return SDL_WaitEventTimeout(e, timeout_ms);
  }
  if (n > 0)
    drain_wake_sources(d, fds);
  else if (n == 0)
    open_input_devices(d);
  SDL_PumpEvents();
  return SDL_PollEvent(e);
}

static int wait_event(kiosk_app *app, SDL_Event *e, int timeout_ms)
{
  if (app->display.native_wait || !app->display.wake_open)
    return SDL_WaitEventTimeout(e, timeout_ms);
  return sleep_in_poll(app, e, timeout_ms);
}

/* What malloc keeps of memory freed in bulk (librime's start-up, the
 * previous feed, a finished form) goes back to the system before a sleep
 * of a second or more: about 2 MB of an idle kiosk's 40 MB.  Not before
 * every sleep, which would cost CPU for nothing. */
static int sleep_after_trim(kiosk_app *app)
{
  int timeout = kiosk__next_timeout(app);
  if (app->clock.trim_due && timeout >= 1000) {
    malloc_trim(0);
    app->clock.trim_due = false;
  }
  return timeout;
}

/* The keyboard's work for later runs once the keystroke's candidates
 * are on screen and only when no input waits, so it never delays a key
 * already typed.  True when it ran: the loop goes round again to redraw. */
static bool refine_when_idle(kiosk_app *app)
{
  if (!kiosk_keyboard_refine_due(&app->kb))
    return false;
  SDL_PumpEvents();
  if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
    return false;
  if (kiosk_keyboard_refine(&app->kb))
    app->dirty = true;
  return true;
}

lobby_err kiosk_app_run(kiosk_app *app)
{
  SDL_StartTextInput();
  bool need_draw = true;
  while (!app->quit) {
    kiosk__net_start_poll(app);
    if (app->quit)
      break;
    kiosk_app_drain_net(app);
    if (kiosk_keyboard_open_poll(&app->kb))
      app->dirty = app->clock.trim_due = true;
    kiosk_app_tick(app);
    if (app->dirty || need_draw) {
      lobby_err err = kiosk_app_frame(app, true);
      if (err != LOBBY_OK)
        LOBBY_ERROR("frame: %s", lobby_strerror(err));
      need_draw = false;
      /* The network and pinyin input start once the notice board is up. */
      kiosk_app_start_net_async(app);
      if (kiosk_keyboard_open_continue(&app->kb))
        app->dirty = true;
    }
    if (refine_when_idle(app))
      continue;
    SDL_Event e;
    if (wait_event(app, &e, sleep_after_trim(app))) {
      handle_sdl(app, &e);
      while (SDL_PollEvent(&e))
        handle_sdl(app, &e);
    }
  }
  return LOBBY_OK;
}
