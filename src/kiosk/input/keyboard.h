/* The on-screen keyboard for free-text fields: four layouts (拼音, ABC,
 * 123, 符号) offered as tabs next to a form's quick phrases, the pinyin
 * candidate bar, hold-to-repeat keys, the key size rule, and the keystroke
 * latency the headless benchmark reports.
 *
 * The pinyin engine (pinyin.h) is opened once at start-up and used only
 * from the UI thread.  The windowed kiosk opens it without delaying its
 * first frame: the data check is forked before the network thread starts,
 * and a worker thread started after the first frame waits for it and
 * starts librime, then hands the engine over (kiosk_keyboard_open_poll).
 * Until then, and when it cannot be opened, the kiosk offers ABC, 123 and
 * 符号 only; after a failure the home screen's footer tells staff why.
 *
 * A composition still pending when the resident leaves the keyboard (a
 * layout tab, another field, 下一步, 完成 or a typed-in text) commits its
 * first candidate, as the common Chinese input methods do with the space
 * bar: the resident sees the characters the bar was offering, never raw
 * pinyin letters.  Going home, the idle timeout and the end of a form wipe
 * the engine instead, so nothing reaches the next person. */
#ifndef KIOSK_KEYBOARD_H
#define KIOSK_KEYBOARD_H

#include <SDL2/SDL.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "kiosk_input.h"
#include "lobby_error.h"
#include "pinyin.h"

struct kiosk_app;

/* A held key (backspace) repeats after this delay at about 12 a second. */
#define KIOSK_REPEAT_DELAY_MS 500
#define KIOSK_REPEAT_INTERVAL_MS 83
/* Keys are at least this tall and wide on a 1080-pixel-wide screen (in
 * proportion on smaller ones), and never under KIOSK_KEY_MIN_MM. */
#define KIOSK_KEY_MIN_PX_1080 64
#define KIOSK_KEY_MIN_MM 9.0
/* The most tabs a keyboard shows: four layouts and one phrase list. */
#define KIOSK_TEXT_SOURCES_MAX 6
#define KIOSK_KEYSTROKE_SAMPLES 4096

typedef enum {
  KIOSK_LAYOUT_PINYIN, KIOSK_LAYOUT_ABC, KIOSK_LAYOUT_NUM, KIOSK_LAYOUT_SYMBOLS, KIOSK_LAYOUT_COUNT
} kiosk_layout_id;

typedef struct {
  kiosk_pinyin *engine;                 /* NULL: pinyin is not offered */
  bool open_tried;                      /* opening has finished, well or not */
  kiosk_pinyin_open_info open_info;
  char why[KIOSK_PINYIN_WHY_CAP];       /* why pinyin is unavailable, for staff */
  /* Opening in the background (see above). */
  char user_dir[PATH_MAX];              /* $state_dir/rime */
  kiosk_pinyin_check check;             /* the forked data check */
  SDL_Thread *opener;                   /* waits for the check, starts librime */
  SDL_atomic_t opener_done;
  int cancel_pipe[2];                   /* written to stop the opener early */
  /* Written by the opener, read by the UI thread once it has joined it. */
  kiosk_pinyin *opened;
  lobby_err opened_err;
  kiosk_pinyin_open_info opened_info;
  char opened_why[KIOSK_PINYIN_WHY_CAP];
  bool shift;                           /* ABC: the next letter is a capital */
  /* The engine's page may hold more candidates than the bar fits: the bar
   * shows it in parts, part_first[i] being the first candidate of part i. */
  int part, parts;
  int part_first[KIOSK_PINYIN_PAGE_MAX + 1];
  bool want_next;                       /* 完成 asks the screen for its next step */
  /* A held repeating key. */
  bool repeating;
  int64_t repeat_next_ms;
  int repeat_arg;
  /* The tabs the last build offered, so a script can pick a layout. */
  const kiosk_input_source *tabs[KIOSK_TEXT_SOURCES_MAX];
  int n_tabs;
  /* Keystroke to redrawn candidates, in milliseconds. */
  uint64_t key_t0;                      /* performance counter at the key; 0 = none */
  float lat_ms[KIOSK_KEYSTROKE_SAMPLES];
  int n_lat;
} kiosk_keyboard_state;

extern const kiosk_input_source kiosk_src_pinyin;
extern const kiosk_input_source kiosk_src_abc;
extern const kiosk_input_source kiosk_src_num;
extern const kiosk_input_source kiosk_src_symbols;

/* The layout a source stands for, or -1 for phrase lists and keypads. */
int kiosk_source_layout(const kiosk_input_source *src);
const kiosk_input_source *kiosk_layout_source(kiosk_layout_id id);

/* Pixels per millimetre: from dpi when it is positive, else from the
 * panel's diagonal in inches and its pixel size. */
double kiosk_px_per_mm(double dpi, double diagonal_in, int w, int h);
/* The smallest key side allowed at this size: 64 px at 1080 wide and at
 * least 9 mm. */
int kiosk_key_min_px(int w, int h, double px_per_mm);

/* Opens the pinyin engine from the configuration (user data in
 * $state_dir/rime) and waits for it: the headless kiosk and the tests.
 * Call once, before the network thread starts.  On failure the keyboard
 * offers no pinyin and kb.why says why. */
lobby_err kiosk_keyboard_open(struct kiosk_app *app);
/* Opening without waiting: _begin forks the data check (call it before
 * the network thread starts), _continue starts the worker thread (call it
 * after the first frame), and _poll, called from the event loop, hands
 * the engine over once the worker is done: true when the keyboard changed
 * (pinyin arrived, or failed and kb.why says why). */
lobby_err kiosk_keyboard_open_begin(struct kiosk_app *app);
void kiosk_keyboard_open_continue(struct kiosk_app *app);
bool kiosk_keyboard_open_poll(struct kiosk_app *app);
/* Closes the engine, stopping an opening still in progress. */
void kiosk_keyboard_close(struct kiosk_app *app);
bool kiosk_keyboard_pinyin_available(const struct kiosk_app *app);
bool kiosk_keyboard_composing(const struct kiosk_app *app);
/* The engine's view, or NULL without an engine. */
const kiosk_pinyin_view *kiosk_keyboard_view(const struct kiosk_app *app);

/* Forgets the composition, the candidates and everything the engine held
 * (form closed, idle timeout).  A failing wipe closes the engine. */
lobby_err kiosk_keyboard_wipe(struct kiosk_app *app);
/* Commits the first candidate of a pending composition to the focused
 * field (until nothing is pending). */
lobby_err kiosk_keyboard_commit_pending(struct kiosk_app *app);
/* Backspace: the composition first, then the field. */
lobby_err kiosk_keyboard_backspace(struct kiosk_app *app);

/* Candidate bar actions. */
lobby_err kiosk_keyboard_choose(struct kiosk_app *app, int index);
lobby_err kiosk_keyboard_page(struct kiosk_app *app, int direction);

/* The height a layout needs for its keys (and candidate bar): the
 * keyboard takes no more, so keys keep a sensible shape on tall screens.
 * 0 for sources that are not layouts. */
int kiosk_keyboard_layout_height(const struct kiosk_app *app, const kiosk_input_source *src);

/* The tabs of a free-text field: 拼音 (when available), ABC, 123, 符号 and
 * then extra (quick phrases; may be NULL).  Returns how many. */
int kiosk_text_sources(const struct kiosk_app *app, const kiosk_input_source **out,
                       const kiosk_input_source *extra);

/* Hold-to-repeat: the press of a repeating key acts at once and then
 * repeats from kiosk_keyboard_tick until the release. */
void kiosk_keyboard_hold(struct kiosk_app *app, int arg);
void kiosk_keyboard_release(struct kiosk_app *app);
void kiosk_keyboard_tick(struct kiosk_app *app);
/* Milliseconds until the next repeat, or -1 when nothing repeats. */
int64_t kiosk_keyboard_next_repeat(const struct kiosk_app *app);

/* Called after each drawn frame: a pending keystroke's latency is taken. */
void kiosk_keyboard_frame_done(struct kiosk_app *app);
/* "kiosk-keystroke ..." and "kiosk-pinyin ..." lines for the headless run. */
void kiosk_keyboard_report(const struct kiosk_app *app, FILE *out);

#endif
