/* The widget tree.  Every screen rebuilds it from its state when something
 * changes; the same tree is drawn, hit-tested for taps, searched by the
 * headless script ("tap \"text\"", "wait \"text\"") and dumped as JSON with
 * a flag on any text that does not fit its rectangle. */
#ifndef KIOSK_WIDGETS_H
#define KIOSK_WIDGETS_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "lobby_error.h"
#include "text_layout.h"

struct kiosk_text;

typedef enum {
  KW_PANEL, KW_LABEL, KW_TITLE, KW_PARAGRAPH, KW_BUTTON, KW_FIELD, KW_KEY,
  KW_NOTICE, KW_BANNER, KW_QR, KW_ICON, KW_CHIP,
  KW_PICTURE /* picture drawn into rect, which the caller fitted to it */
} kiosk_role;

enum {
  KF_FOCUSED = 1 << 0, KF_ERROR = 1 << 1, KF_SELECTED = 1 << 2, KF_DISABLED = 1 << 3,
  KF_OVERFLOW = 1 << 4, KF_PRIVATE = 1 << 5, KF_HIDDEN = 1 << 6, KF_SHRINK = 1 << 7,
  KF_TOP = 1 << 8,       /* text starts at the top instead of the middle */
  KF_ICON_TOP = 1 << 9,  /* icon above the text instead of on its left */
  KF_ELLIPSIS = 1 << 10, /* text may be cut with an ellipsis */
  KF_HIGHLIGHT = 1 << 11,
  KF_NOTEXT = 1 << 12,   /* text only names the widget; other widgets draw it */
  KF_BALANCE = 1 << 13,  /* wrapped lines of about equal length (titles) */
  KF_REPEAT = 1 << 14,   /* acts on the press and repeats while held (backspace) */
  KF_TAIL = 1 << 15      /* text longer than the box shows its last lines (a field being typed in) */
};

typedef enum { KA_LEFT, KA_CENTER, KA_RIGHT } kiosk_align;

typedef struct {
  kiosk_role role;
  const char *text;      /* in the tree's arena; "" when none */
  SDL_Rect rect;
  int action, arg;       /* 0 = not tappable */
  int font_px;
  bool bold;
  SDL_Color fg, bg, border;
  int border_w, radius, pad;
  kiosk_align align;
  int max_lines;         /* 0 = as many as fit the height */
  int icon;              /* -1 = none */
  SDL_Color icon_fg;
  int clip;              /* scroll viewport index or -1 */
  unsigned flags;
  /* The last bytes of text that are a pinyin composition not yet chosen,
   * drawn in the accent colour and underlined at the caret; 0: none. */
  int marked_len;
  /* KW_PICTURE: the texture and its serial (pictures.h), which tells a
   * frame that the picture changed. */
  SDL_Texture *picture;
  unsigned picture_serial;
  /* Filled in by kiosk_ui_finish. */
  kiosk_layout layout;
  int line_h;
  int used_px;
} kiosk_widget;

typedef struct {
  kiosk_widget *w;
  int n, cap;
  char *arena;
  size_t arena_used, arena_cap;
  SDL_Rect clips[8];
  int n_clips;
  int width, height;
  const char *screen;    /* name for stats and dumps */
} kiosk_ui;

void kiosk_ui_reset(kiosk_ui *ui, int width, int height, const char *screen);
void kiosk_ui_free(kiosk_ui *ui);

/* Adds a widget with sensible defaults (no background, dark text, left
 * aligned).  Never returns NULL: on allocation failure the widget goes to a
 * scratch slot that is not part of the tree. */
kiosk_widget *kiosk_ui_add(kiosk_ui *ui, kiosk_role role, SDL_Rect r, const char *text);
/* Copies formatted text into the arena. */
const char *kiosk_ui_strdup(kiosk_ui *ui, const char *s);

/* A scroll viewport; widgets tagged with it are clipped to it and hidden
 * when entirely outside. */
int kiosk_ui_clip(kiosk_ui *ui, SDL_Rect viewport);

/* Lays out all text, shrinking KF_SHRINK widgets and flagging overflow. */
lobby_err kiosk_ui_finish(kiosk_ui *ui, struct kiosk_text *text);

/* The topmost tappable widget at (x, y), or NULL. */
const kiosk_widget *kiosk_ui_hit(const kiosk_ui *ui, int x, int y);
/* A visible widget whose text equals text, preferring tappable ones; then
 * one whose text contains it. */
const kiosk_widget *kiosk_ui_find(const kiosk_ui *ui, const char *text, bool tappable);
int kiosk_ui_overflow_count(const kiosk_ui *ui);

void kiosk_ui_draw(const kiosk_ui *ui, SDL_Renderer *ren, struct kiosk_text *text);
/* Draws only what lies in region (NULL: everything), for a target that
 * keeps its pixels between frames: the caller clears region first. */
void kiosk_ui_draw_region(const kiosk_ui *ui, SDL_Renderer *ren, struct kiosk_text *text, const SDL_Rect *region);

/* What a widget looks like, in a few bytes: widgets with equal signatures
 * draw the same pixels. */
typedef struct {
  SDL_Rect rect;
  uint64_t hash;
  int clip;              /* the widget's scroll view, or -1 */
} kiosk_widget_sig;

typedef struct {
  kiosk_widget_sig *v;
  int n, cap;
} kiosk_ui_sigs;

lobby_err kiosk_ui_signatures(const kiosk_ui *ui, kiosk_ui_sigs *out);
void kiosk_ui_sigs_free(kiosk_ui_sigs *s);
/* The parts of the screen to draw again: a few rectangles, those that
 * overlap or touch merged (so none is drawn twice), and when the slots
 * run out the two whose box adds the least area.  Zeroed, it is empty. */
#define KIOSK_DAMAGE_RECTS 16
typedef struct {
  SDL_Rect r[KIOSK_DAMAGE_RECTS];
  int n;
} kiosk_damage;
void kiosk_damage_add(kiosk_damage *d, SDL_Rect r);

/* Adds every widget that differs between two frames to out (where it was
 * and where it is); false when they draw the same. */
bool kiosk_ui_damage(const kiosk_ui_sigs *before, const kiosk_ui_sigs *after, kiosk_damage *out);
/* The same for two frames between which a scroll view scrolled: its
 * widgets that only moved up by *dy pixels (down when negative) add
 * nothing, since the caller moves their pixels (*view is that view), and
 * the strip the move uncovers is added.  False when anything else would
 * need those pixels redrawn (a widget over the view, a background that is
 * not plain behind it, a layout that changed): the caller then uses
 * kiosk_ui_damage.  ui is the tree of after. */
bool kiosk_ui_damage_scrolled(const kiosk_ui *ui, const kiosk_ui_sigs *before, const kiosk_ui_sigs *after,
                              SDL_Rect *view, int *dy, kiosk_damage *out);
lobby_err kiosk_ui_dump_json(const kiosk_ui *ui, FILE *out);

const char *kiosk_role_name(kiosk_role r);
bool kiosk_rect_inside(SDL_Rect inner, SDL_Rect outer);

#endif
