/* The kiosk's UI thread: configuration, the current screen and its state,
 * the feed, the clock, idle handling, and the event loop, in owned parts
 * (kiosk_display, kiosk_link, kiosk_clock, kiosk_pointer, kiosk_form, the
 * screens' states).  Screens build a widget tree from the state (see
 * widgets.h) and react to actions; they reach the server only through
 * kiosk_api.h. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <SDL2/SDL.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "alarm_schedule.h"
#include "draw.h"
#include "keyboard.h"
#include "kiosk_audio.h"
#include "kiosk_input.h"
#include "kiosk_net.h"
#include "lobby_error.h"
#include "pictures.h"
#include "stats.h"
#include "kiosk_strings.h"
#include "text_cache.h"
#include "widgets.h"

#define KIOSK_PATH_MAX 512

/* How a window is drawn ([display] renderer; the figures behind the
 * default are in docs/deploy.md). */
typedef enum {
  /* Software where the video driver gives a window pixels of its own
   * (X11, offscreen), else GPU: SDL 2.26's Wayland and KMSDRM drivers
   * show a window surface through OpenGL anyway. */
  KIOSK_RENDERER_AUTO,
  /* SDL's software renderer into the window's own surface (XShm on X11):
   * a frame redraws and pushes only what changed. */
  KIOSK_RENDERER_SOFTWARE,
  /* SDL's accelerated renderer (OpenGL; Mesa's llvmpipe without a GPU):
   * every frame is redrawn and presented whole. */
  KIOSK_RENDERER_GPU
} kiosk_renderer;

/* [server]: where lobbyd is and how the kiosk proves who it is. */
typedef struct {
  char url[256];
  char token[160];
  /* Only with an https:// url (kiosk_config_check_tls): the CA the
   * server's certificate must chain to ("" = the system's) and the
   * public-key pin(s) it must match ("" = none). */
  char ca_file[KIOSK_PATH_MAX];
  char pin[512];
} kiosk_server_config;

typedef struct {
  char path[KIOSK_PATH_MAX];
  char bold_path[KIOSK_PATH_MAX];
  int index;
} kiosk_font_config;

/* [display]. */
typedef struct {
  int width, height;         /* 0 = the display's size; the output's, before rotation */
  /* The panel turned on its wall: the picture is drawn at the rotated
   * size and turned this many degrees clockwise onto the output. */
  int rotation;              /* 0, 90, 180 or 270 */
  kiosk_renderer renderer;
  bool fullscreen;
  /* The panel's physical size, for the key size rule: dpi when set (> 0),
   * else the diagonal in inches. */
  double diagonal_in;
  double dpi;
} kiosk_display_config;

/* The night schedule in minutes after local midnight; the screen goes
 * dark from start until end (which may be the next day). */
typedef struct {
  bool on;
  int start_min, end_min;
} kiosk_night_config;

/* Pinyin input (librime): whether to offer it at all, the distribution's
 * data and the kiosk's own schema. */
typedef struct {
  bool pinyin;
  char rime_shared_dir[KIOSK_PATH_MAX];
  char rime_config_dir[KIOSK_PATH_MAX];
} kiosk_input_config;

/* [audio]: the emergency's alarm and announcement, and read-aloud. */
typedef struct {
  bool on;
  int volume;              /* 0 to 100 */
  int emergency_repeat_s;  /* the alarm and announcement again this often */
  /* Quiet hours (minutes after local midnight; may cross midnight):
   * read-aloud plays at quiet_volume; an emergency sounds at volume. */
  bool quiet_on;
  int quiet_start_min, quiet_end_min;
  int quiet_volume;
} kiosk_audio_config;

/* Headless scripted mode. */
typedef struct {
  bool on;
  char script[KIOSK_PATH_MAX];
  char shots[KIOSK_PATH_MAX];
  bool dump_ui;
} kiosk_headless_config;

typedef struct {
  kiosk_server_config server;
  char state_dir[KIOSK_PATH_MAX];
  kiosk_font_config font;
  char assets_dir[KIOSK_PATH_MAX];
  char language[8];
  kiosk_display_config display;
  kiosk_night_config night;
  int idle_timeout_s;
  int rotate_s;              /* idle highlight cycling on the notice board */
  int utc_offset_min;
  kiosk_input_config input;
  kiosk_audio_config audio;
  kiosk_headless_config headless;
  char feed_file[KIOSK_PATH_MAX]; /* a feed JSON to show without a server */
} kiosk_config;

void kiosk_config_defaults(kiosk_config *c);
/* Reads an ini file (inih) over the defaults.  Every value goes through
 * lobby_ini_value (a '#' or ';' after white space starts a comment);
 * booleans through lobby_ini_bool.  A bad value or line is an error, and
 * why says which file, line and setting, and what it accepts; unknown
 * settings are only warned about. */
lobby_err kiosk_config_load_why(const char *path, kiosk_config *c, char *why, size_t why_size);
/* The same, logging why. */
lobby_err kiosk_config_load(const char *path, kiosk_config *c);
/* [server] ca_file and pin go only with an https:// url, the CA file must
 * be readable and the pin well formed; why names the settings and where
 * they came from (origin: the file, or "--server"). */
lobby_err kiosk_config_check_tls(const kiosk_config *c, const char *origin, char *why, size_t why_size);
/* Parses "1080x1920". */
lobby_err kiosk_parse_size(const char *s, int *w, int *h);
/* Parses auto, software or gpu. */
lobby_err kiosk_parse_renderer(const char *s, kiosk_renderer *out);
/* Parses 0, 90, 180 or 270. */
lobby_err kiosk_parse_rotation(const char *s, int *degrees);
/* Parses "00:00-06:00" (empty: no night); a range may cross midnight. */
lobby_err kiosk_parse_night(const char *s, bool *on, int *start_min, int *end_min);
/* Whether minute_of_day (0-1439) falls in the configured night. */
bool kiosk_night_contains(const kiosk_config *c, int minute_of_day);

/* Actions carried by tappable widgets. */
enum {
  KIOSK_ACT_NONE, KIOSK_ACT_HOME, KIOSK_ACT_BACK, KIOSK_ACT_NEXT, KIOSK_ACT_LANG,
  KIOSK_ACT_GO, KIOSK_ACT_NOTICE, KIOSK_ACT_FIELD, KIOSK_ACT_KEY, KIOSK_ACT_SOURCE,
  KIOSK_ACT_PICK_BUILDING, KIOSK_ACT_PICK_UNIT, KIOSK_ACT_PICK_ROOM, KIOSK_ACT_PAGE,
  KIOSK_ACT_CATEGORY, KIOSK_ACT_URGENCY, KIOSK_ACT_DAY, KIOSK_ACT_WINDOW,
  KIOSK_ACT_PURPOSE, KIOSK_ACT_PARTY, KIOSK_ACT_HOST_MODE, KIOSK_ACT_INVITE,
  KIOSK_ACT_PREFIX, KIOSK_ACT_SCROLL, KIOSK_ACT_CANDIDATE, KIOSK_ACT_CANDIDATE_PAGE,
  KIOSK_ACT_KIND, KIOSK_ACT_RATE, KIOSK_ACT_READ_ALOUD
};

typedef enum {
  KIOSK_SCREEN_HOME, KIOSK_SCREEN_NOTICE, KIOSK_SCREEN_REPAIR, KIOSK_SCREEN_STATUS,
  KIOSK_SCREEN_VISIT, KIOSK_SCREEN_CHECKOUT, KIOSK_SCREEN_COMPLAINT, KIOSK_SCREEN_RELEASE, KIOSK_SCREEN_WORKER,
  KIOSK_SCREEN_COUNT
} kiosk_screen_id;

typedef struct kiosk_app kiosk_app;

typedef struct {
  const char *name;
  bool form;            /* holds personal data: the idle timeout wipes it */
  void (*enter)(kiosk_app *app);
  void (*leave)(kiosk_app *app);  /* must wipe personal data */
  void (*build)(kiosk_app *app, kiosk_ui *ui);
  void (*action)(kiosk_app *app, int action, int arg);
  void (*result)(kiosk_app *app, const kiosk_event *ev);
  /* The name of the current step, for stats and dumps ("repair.review"). */
  const char *(*step_name)(kiosk_app *app);
  /* Time passing while the screen is current: called first in each tick,
   * before the idle check, so a screen may hold the idle clock (a visitor
   * waiting for approval is not idle).  NULL: nothing to do. */
  void (*tick)(kiosk_app *app);
  /* How soon, in milliseconds, the screen needs its next tick; -1 when it
   * needs none.  The event loop sleeps no longer.  NULL: never. */
  int64_t (*next_wake_ms)(const kiosk_app *app);
} kiosk_screen;

/* Finger-drag scrolling with momentum. */
typedef struct {
  float pos, max, vel;
  bool down, dragging;
  float down_y, down_pos, last_y;
  int64_t last_ms;
} kiosk_scroller;

#include "screens.h"

/* Sizes derived from the window so every layout is relative. */
typedef struct {
  int w, h;          /* the logical size the UI is laid out at */
  int out_w, out_h;  /* the output's size: w and h swapped at 90 and 270 degrees */
  bool portrait;
  float u;          /* min(w, h) / 1080 */
  int margin, gap, radius;
  int body, small, title, huge, button_h, header_h;
  double px_per_mm;  /* from [display] diagonal_in or dpi */
  int key_min;       /* smallest key side: 64 px at 1080 wide, and 9 mm */
} kiosk_metrics;

/* What the kiosk draws on and what it last showed (app_window.c,
 * app_frame.c), and what the event loop sleeps on (app_loop.c). */
#define KIOSK_INPUT_FDS 32
typedef struct {
  SDL_Window *win;
  SDL_Renderer *ren;
  /* The headless target, or a rotated software window's frame: at the
   * logical size, turned onto the window's surface when pushed. */
  SDL_Surface *surface;
  SDL_Texture *rotated;      /* a rotated GPU window's frame, at the logical size */
  /* The software path: frames are pushed to the window's own surface,
   * only the rectangle that changed (SDL_UpdateWindowSurfaceRects). */
  bool window_surface;
  /* The target keeps its pixels between frames (the headless surface, the
   * software path), so a frame redraws only what changed since the one
   * shown (see frame_damage); frame_kept is false until a whole frame is
   * drawn, and again when the window's pixels are lost (resize, expose). */
  bool keeps_pixels;
  bool frame_kept;
  kiosk_ui_sigs sigs_shown, sigs_next;
  bool shown_pressed;
  SDL_Rect shown_pressed_rect;
  /* The scroll view whose pixels this frame moved (empty when none): it is
   * shown whole though only a strip of it was drawn. */
  SDL_Rect moved;
  /* Where SDL_WaitEventTimeout would poll (KMSDRM, offscreen), the loop
   * sleeps in poll() on an eventfd that kiosk_app_wake writes and on the
   * input devices SDL reads (native_wait: SDL sleeps itself). */
  bool native_wait;
  bool wake_open;            /* wake_fd is open */
  int wake_fd;
  int input_fds[KIOSK_INPUT_FDS];
  int n_input_fds;
} kiosk_display;

/* The network thread as the UI thread sees it, and the feed it brought
 * (app_net.c, app_feed.c). */
typedef struct {
  kiosk_net *net;
  Uint32 wake_event;
  /* The windowed kiosk starts the network on a worker after its first
   * frame (kiosk_app_start_net_async); the event loop takes the result. */
  SDL_Thread *net_starter;
  SDL_atomic_t net_start_done;
  kiosk_net *net_started;    /* the worker's result, read after joining it */
  lobby_err net_start_err;
  bool net_start_tried;
  bool online;
  lobby_tls_failure tls_failure; /* why offline, when TLS refused the server */
  bool connectivity_known;
  int64_t last_ok_at;
  int queued;
  json_t *feed;              /* the latest feed, owned */
  int64_t feed_fetched_at;
} kiosk_link;

/* The notices' pictures (app_pictures.c): those decoded, and the worker
 * that decodes them (picture_decoder.h), started when a feed first has a
 * picture. */
struct kiosk_decoder;
typedef struct {
  kiosk_pictures store;
  struct kiosk_decoder *decoder;
  bool decoder_failed;
} kiosk_picture_part;

/* A picture ready to draw (kiosk_app_picture). */
typedef struct {
  SDL_Texture *texture;
  unsigned serial;
  int w, h;
} kiosk_picture_view;

/* The kiosk's sense of time: idle deadlines, the night, the board's
 * rotation and the minute shown (app_tick.c). */
typedef struct {
  int64_t clock_offset_s;    /* the script's "clock" step */
  int64_t idle_shift_ms;     /* the script's "idle" step */
  int64_t last_input_ms;
  bool touched;              /* any input since the start */
  bool night_dark;           /* the night screen is up */
  int64_t last_rotate_ms;
  int64_t shown_minute;
  int64_t start_ms;
  int64_t first_frame_ms;
  /* Memory was freed in bulk (a screen left, a feed replaced, start-up
   * done): the next long sleep gives it back first (app_loop.c). */
  bool trim_due;
} kiosk_clock;

/* A finger or mouse on the screen (app_input.c). */
typedef struct {
  kiosk_scroller *scroller;  /* the current screen's scroll view, if any */
  SDL_Rect scroll_view;
  /* The widget under a press, kept by value: the tree may be rebuilt
   * (a feed arrives) before the finger lifts. */
  bool pressed;
  bool pressed_fired;        /* a repeating key acted on the press already */
  int pressed_action, pressed_arg;
  SDL_Rect pressed_rect;
} kiosk_pointer;

/* The form's active input, set by the screen while it builds, and a
 * message for it in the current language. */
typedef struct {
  kiosk_field *focus;
  const kiosk_input_source *source;
  char error_msg[512];
  char error_field[32];
} kiosk_form;

/* The kiosk's sound (app_sound.c): the emergency's alarm and
 * announcement on their schedule, and read-aloud. */
typedef struct {
  kiosk_audio *audio;         /* NULL: [audio] off, or before the first tick */
  bool opened;                /* the sound thread was asked for (first tick) */
  kiosk_alarm_schedule alarm;
  unsigned emergencies;       /* times the emergency has sounded */
  /* What the 朗读 button is reading; "" when it is not (never finished,
   * stopped, or drowned by an emergency). */
  char reading[KIOSK_SOUND_TEXT_MAX];
  kiosk_net_audio reported;   /* what the heartbeat was last told */
} kiosk_sound_part;

/* Each screen's own state (screens.h). */
typedef struct {
  kiosk_home_state home;
  kiosk_notice_state notice;
  kiosk_repair_state repair;
  kiosk_status_state status;
  kiosk_visit_state visit;
  kiosk_checkout_state checkout;
  kiosk_complaint_state complaint;
  kiosk_release_state release;
  kiosk_worker_state worker;
} kiosk_screen_states;

/* The kiosk's UI thread: its parts, each owned by the files named above. */
struct kiosk_app {
  kiosk_config cfg;
  kiosk_metrics m;
  kiosk_text *text;
  kiosk_strings strings[2];  /* zh, en */
  int lang;                  /* 0 zh, 1 en */
  kiosk_display display;
  kiosk_link link;
  kiosk_picture_part pictures;
  kiosk_clock clock;
  kiosk_pointer pointer;
  kiosk_form form;
  kiosk_screen_states screens;
  kiosk_screen_id screen;
  char logged_screen[48];    /* the screen name last logged */
  kiosk_ui ui;
  bool dirty;
  /* The on-screen keyboard and the pinyin engine (keyboard.h). */
  kiosk_keyboard_state kb;
  kiosk_sound_part sound;
  /* A screenshot request waiting for the next frame; "" when none. */
  struct {
    char request[40];
  } shot;
  uint64_t action_t0;        /* performance counter when the current action began */
  kiosk_stats stats;
  int exit_code;             /* what kiosk_app_run's caller exits with */
  bool quit;
};

lobby_err kiosk_app_init(kiosk_app *app, const kiosk_config *cfg);
/* Reads text aloud (the 朗读 button), instead of what was being read;
 * false when the kiosk has no sound or an emergency is sounding. */
bool kiosk_app_read_aloud(kiosk_app *app, const char *text);
/* Stops reading aloud (an emergency's sound goes on). */
void kiosk_app_quiet(kiosk_app *app);
/* Whether a 朗读 button would do anything: the kiosk has a sound device
 * and no emergency is sounding.  Screens leave the button out otherwise. */
bool kiosk_app_can_read_aloud(kiosk_app *app);
/* Whether the 朗读 button's reading is still going on. */
bool kiosk_app_reading_aloud(const kiosk_app *app);
/* The 朗读 button: reads text, or stops when it is reading already. */
void kiosk_app_toggle_read_aloud(kiosk_app *app, const char *text);
void kiosk_app_free(kiosk_app *app);
/* Wakes the event loop from another thread (SDL_PushEvent is
 * thread-safe): a worker has something for the UI thread. */
void kiosk_app_wake(kiosk_app *app);
/* Shows the feed cached in the state directory, if any: a restart's first
 * frame then has the notices before the network is up. */
void kiosk_app_load_feed_cache(kiosk_app *app);
/* Starts the network thread (loading the network module) and waits. */
lobby_err kiosk_app_start_net(kiosk_app *app);
/* The same on a worker thread: the event loop calls it after the first
 * frame and takes the network over when the worker is done.  A failure
 * (say, another kiosk holds the state directory) ends the loop with
 * exit_code 1. */
void kiosk_app_start_net_async(kiosk_app *app);
/* The windowed event loop; returns at quit. */
lobby_err kiosk_app_run(kiosk_app *app);

/* Rebuilds the tree when dirty and draws it (presenting it when asked),
 * recording the frame's render time for the current screen. */
lobby_err kiosk_app_frame(kiosk_app *app, bool present);
lobby_err kiosk_app_rebuild(kiosk_app *app);
void kiosk_app_drain_net(kiosk_app *app);
void kiosk_app_tick(kiosk_app *app);
void kiosk_app_pointer(kiosk_app *app, int type, int x, int y);
void kiosk_app_tap(kiosk_app *app, int x, int y);
void kiosk_app_action(kiosk_app *app, int action, int arg);
void kiosk_app_type(kiosk_app *app, const char *utf8);
void kiosk_app_go(kiosk_app *app, kiosk_screen_id id);
void kiosk_app_set_lang(kiosk_app *app, int lang);
/* Lays out again for an output of w x h pixels (before rotation). */
void kiosk_app_set_size(kiosk_app *app, int w, int h);
/* A point on the output (a click, a touch) as a point of the laid-out
 * screen, undoing the rotation. */
void kiosk_app_from_output(const kiosk_app *app, int ox, int oy, int *x, int *y);
void kiosk_app_set_feed(kiosk_app *app, json_t *feed, int64_t fetched_at);
void kiosk_app_touch(kiosk_app *app);
/* Milliseconds on the kiosk's idle clock (monotonic plus "idle" shifts). */
int64_t kiosk_app_ms(const kiosk_app *app);
int64_t kiosk_app_now(const kiosk_app *app);
const char *kiosk_app_screen_name(kiosk_app *app);

/* A string in the current language ("" never; the key when missing). */
const char *kiosk_s(const kiosk_app *app, const char *key);
void kiosk_sf(const kiosk_app *app, char *out, size_t n, const char *key, ...);

/* The server's error (or a transport failure) as a message in the user's
 * language with a next step; sets app->form.error_msg and app->form.error_field. */
void kiosk_app_error_from_result(kiosk_app *app, const kiosk_event *ev, const char *context);
void kiosk_app_error_key(kiosk_app *app, const char *key, const char *field);
void kiosk_app_clear_error(kiosk_app *app);

/* The notices' pictures (app_pictures.c).  The feed changed: decode the
 * pictures it shows that are not decoded yet, drop those it no longer
 * shows. */
void kiosk_app_pictures_feed(kiosk_app *app);
/* The network thread cached a picture. */
void kiosk_app_picture_cached(kiosk_app *app, const char *etag);
/* lobbyd asked for a screenshot (KIOSK_EV_SCREENSHOT): the next frame
 * is sent, its private widgets blanked (app_screenshot.c). */
void kiosk_app_screenshot_asked(kiosk_app *app, const char *request_id);
/* Takes the decoder's results. */
void kiosk_app_pictures_drain(kiosk_app *app);
/* The renderer was destroyed, and the pictures' textures with it. */
void kiosk_app_pictures_lost_renderer(kiosk_app *app);
void kiosk_app_pictures_free(kiosk_app *app);
/* The picture etag names, ready to draw; false while it is not (the
 * screen then shows the notice's text alone). */
bool kiosk_app_picture(kiosk_app *app, const char *etag, kiosk_picture_view *out);
/* Adds the picture fitted into box (pictures.h), clipped to clip (-1:
 * none); returns where it went, or an empty rectangle when it is not
 * ready. */
SDL_Rect kiosk_app_picture_widget(kiosk_app *app, kiosk_ui *ui, const char *etag, SDL_Rect box, int clip);

/* Feed helpers. */
json_t *kiosk_feed_notices(const kiosk_app *app);
json_t *kiosk_feed_directory(const kiosk_app *app);
json_t *kiosk_feed_emergency(const kiosk_app *app);
const char *kiosk_feed_str(const kiosk_app *app, const char *obj, const char *key);

/* Wipes memory that held personal data. */
void kiosk_wipe(void *p, size_t n);

/* Theme. */
#define KIOSK_C_BG 0xF3F1EC
#define KIOSK_C_INK 0x1A1A1A
#define KIOSK_C_MUTED 0x4B5563
#define KIOSK_C_HEADER 0x0B3D91
#define KIOSK_C_CARD 0xFFFFFF
#define KIOSK_C_LINE 0xD6D3CC
#define KIOSK_C_ACCENT 0x1D4ED8
#define KIOSK_C_ERROR 0xB91C1C
#define KIOSK_C_OK 0x047857
#define KIOSK_C_WARN 0xB45309

SDL_Color kiosk_notice_color(const char *category);
kiosk_icon kiosk_notice_icon(const char *category);
SDL_Color kiosk_repair_color(int category);
kiosk_icon kiosk_repair_icon(int category);

#endif
