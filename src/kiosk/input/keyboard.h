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
 * the engine instead, so nothing reaches the next person.
 *
 * The keyboard reaches the app only through the kiosk_keyboard_env it is
 * given (strings, the focused field, a wake-up); the screens draw its keys
 * and candidate bar from what it exposes here (form_keyboard.c). */
#ifndef KIOSK_KEYBOARD_H
#define KIOSK_KEYBOARD_H

#include <SDL2/SDL.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "kiosk_input.h"
#include "lobby_error.h"
#include "pinyin.h"

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

/* What the keyboard needs from the app that shows it.  The strings and
 * pointers must outlive the keyboard. */
typedef struct {
  /* Pinyin: whether to offer it, librime's shared data, the kiosk's
   * schema, and the state directory ($state_dir/rime holds user data). */
  bool pinyin;
  const char *rime_shared_dir;
  const char *rime_config_dir;
  const char *state_dir;
  /* A string in the current language (the key itself when missing). */
  const char *(*text)(void *ctx, const char *key);
  /* Wakes the UI thread's event loop; called from the opener thread. */
  void (*wake)(void *ctx);
  void *ctx;
  /* The field the keys type into; *focus is NULL when no field has it. */
  kiosk_field *const *focus;
  /* When the action being handled began (a performance counter): a
   * pinyin key's latency is counted from there. */
  const uint64_t *action_t0;
} kiosk_keyboard_env;

/* Opening the engine in the background (see above). */
typedef struct {
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
} kiosk_keyboard_opening;

/* The engine's page may hold more candidates than the bar fits: the bar
 * shows it in parts, part_first[i] being the first candidate of part i. */
typedef struct {
  int part, parts;
  int part_first[KIOSK_PINYIN_PAGE_MAX + 1];
} kiosk_candidate_bar;

/* A held repeating key. */
typedef struct {
  bool on;
  int64_t next_ms;
  int arg;
} kiosk_key_repeat;

/* Keystroke to redrawn candidates, in milliseconds. */
typedef struct {
  uint64_t key_t0;                      /* performance counter at the key; 0 = none */
  float lat_ms[KIOSK_KEYSTROKE_SAMPLES];
  int n_lat;
} kiosk_keystroke_latency;

typedef struct kiosk_keyboard_state {
  kiosk_keyboard_env env;
  kiosk_pinyin *engine;                 /* NULL: pinyin is not offered */
  bool open_tried;                      /* opening has finished, well or not */
  kiosk_pinyin_open_info open_info;
  char why[KIOSK_PINYIN_WHY_CAP];       /* why pinyin is unavailable, for staff */
  kiosk_keyboard_opening opening;
  bool shift;                           /* ABC: the next letter is a capital */
  kiosk_candidate_bar bar;
  bool want_next;                       /* 完成 asks the screen for its next step */
  kiosk_key_repeat repeat;
  /* The tabs the last build offered, so a script can pick a layout. */
  const kiosk_input_source *tabs[KIOSK_TEXT_SOURCES_MAX];
  int n_tabs;
  kiosk_keystroke_latency latency;
} kiosk_keyboard_state;

/* Clears the keyboard and gives it its environment; call it before any
 * other function here. */
void kiosk_keyboard_init(kiosk_keyboard_state *kb, const kiosk_keyboard_env *env);

extern const kiosk_input_source kiosk_src_pinyin;
extern const kiosk_input_source kiosk_src_abc;
extern const kiosk_input_source kiosk_src_num;
extern const kiosk_input_source kiosk_src_symbols;

/* The layout a source stands for, or -1 for phrase lists and keypads. */
int kiosk_source_layout(const kiosk_input_source *src);
const kiosk_input_source *kiosk_layout_source(kiosk_layout_id id);

/* A layout's key: its label (see kiosk_input.h; "sym.N" is the N-th item
 * of the strings' full-width punctuation list) and its width in half keys.
 * A row holds KIOSK_ROW_HALVES halves; {NULL, 0} ends a row. */
typedef struct {
  const char *label;
  int span;
} kiosk_key_def;
#define KIOSK_ROW_HALVES 20

/* The layout's keys, row ends included; *n gets how many entries. */
const kiosk_key_def *kiosk_layout_keys(kiosk_layout_id id, int *n);
int kiosk_layout_rows(kiosk_layout_id id);
/* Whether the layout shows the pinyin candidate bar above its keys. */
bool kiosk_layout_has_candidate_bar(kiosk_layout_id id);
/* The text a key shows and types (a capital after shift on ABC); buf
 * holds it when it is neither the label nor a string. */
const char *kiosk_keyboard_key_text(const kiosk_keyboard_state *kb, kiosk_layout_id layout, const char *label,
                                    char *buf, size_t size);

/* Pixels per millimetre: from dpi when it is positive, else from the
 * panel's diagonal in inches and its pixel size. */
double kiosk_px_per_mm(double dpi, double diagonal_in, int w, int h);
/* The smallest key side allowed at this size: 64 px at 1080 wide and at
 * least 9 mm. */
int kiosk_key_min_px(int w, int h, double px_per_mm);

/* Opens the pinyin engine as the environment says (user data in
 * $state_dir/rime) and waits for it: the headless kiosk and the tests.
 * Call once, before the network thread starts.  On failure the keyboard
 * offers no pinyin and kb->why says why. */
lobby_err kiosk_keyboard_open(kiosk_keyboard_state *kb);
/* Opening without waiting: _begin forks the data check (call it before
 * the network thread starts), _continue starts the worker thread (call it
 * after the first frame), and _poll, called from the event loop, hands
 * the engine over once the worker is done.  _continue and _poll return
 * true when the keyboard changed (pinyin arrived, or failed and kb->why
 * says why), so the screen needs drawing again. */
lobby_err kiosk_keyboard_open_begin(kiosk_keyboard_state *kb);
bool kiosk_keyboard_open_continue(kiosk_keyboard_state *kb);
bool kiosk_keyboard_open_poll(kiosk_keyboard_state *kb);
/* Closes the engine, stopping an opening still in progress. */
void kiosk_keyboard_close(kiosk_keyboard_state *kb);
bool kiosk_keyboard_pinyin_available(const kiosk_keyboard_state *kb);
bool kiosk_keyboard_composing(const kiosk_keyboard_state *kb);
/* The engine's view, or NULL without an engine. */
const kiosk_pinyin_view *kiosk_keyboard_view(const kiosk_keyboard_state *kb);

/* Forgets the composition, the candidates and everything the engine held
 * (form closed, idle timeout).  A failing wipe closes the engine. */
lobby_err kiosk_keyboard_wipe(kiosk_keyboard_state *kb);
/* Commits the first candidate of a pending composition to the focused
 * field (until nothing is pending). */
lobby_err kiosk_keyboard_commit_pending(kiosk_keyboard_state *kb);
/* Backspace: the composition first, then the field. */
lobby_err kiosk_keyboard_backspace(kiosk_keyboard_state *kb);

/* Candidate bar actions. */
lobby_err kiosk_keyboard_choose(kiosk_keyboard_state *kb, int index);
lobby_err kiosk_keyboard_page(kiosk_keyboard_state *kb, int direction);
/* Work the pinyin page leaves for when no input waits (the later-word
 * alternatives, kiosk_pinyin_refine), while the bar shows its first part:
 * the loop calls kiosk_keyboard_refine after drawing, and redraws when it
 * returns true. */
bool kiosk_keyboard_refine_due(const kiosk_keyboard_state *kb);
bool kiosk_keyboard_refine(kiosk_keyboard_state *kb);
/* Whether the bar has more that way (direction 1 or -1): another part or
 * another page of the engine's. */
bool kiosk_keyboard_can_page(const kiosk_keyboard_state *kb, int direction);
/* Splits the engine's page into the bar's parts: candidate i is widths[i]
 * wide, gap apart, and a part fits in avail.  The part shown stays, or
 * becomes the last one after paging back. */
void kiosk_keyboard_split_parts(kiosk_keyboard_state *kb, const int *widths, int n, int avail, int gap);

/* The tabs of a free-text field: 拼音 (when available), ABC, 123, 符号 and
 * then extra (quick phrases; may be NULL).  Returns how many. */
int kiosk_text_sources(const kiosk_keyboard_state *kb, const kiosk_input_source **out,
                       const kiosk_input_source *extra);
/* The tabs of a name field: as kiosk_text_sources, but with ABC first when
 * latin_first (the English interface), so the field opens on it: a
 * visitor reading English most likely writes their name in letters. */
int kiosk_name_sources(const kiosk_keyboard_state *kb, const kiosk_input_source **out,
                       const kiosk_input_source *extra, bool latin_first);

/* Hold-to-repeat, on the caller's millisecond clock: once the press of a
 * repeating key has acted, _hold starts the repeats; each time
 * _repeat_due says so, the caller presses that key (*arg) again; _release
 * ends them. */
void kiosk_keyboard_hold(kiosk_keyboard_state *kb, int arg, int64_t now_ms);
void kiosk_keyboard_release(kiosk_keyboard_state *kb);
bool kiosk_keyboard_repeat_due(kiosk_keyboard_state *kb, int64_t now_ms, int *arg);
/* Milliseconds until the next repeat, or -1 when nothing repeats. */
int64_t kiosk_keyboard_next_repeat(const kiosk_keyboard_state *kb, int64_t now_ms);

/* Called after each drawn frame: a pending keystroke's latency is taken. */
void kiosk_keyboard_frame_done(kiosk_keyboard_state *kb);
/* "kiosk-keystroke ..." and "kiosk-pinyin ..." lines for the headless run. */
void kiosk_keyboard_report(const kiosk_keyboard_state *kb, FILE *out);

#endif
