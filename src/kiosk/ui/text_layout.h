/* Line breaking for the kiosk: break opportunities from libunibreak
 * (UAX #14), widths from a measuring callback (TTF_SizeUTF8 in the kiosk, a
 * fixed-width fake in tests), no line starting with closing punctuation,
 * and an ellipsis where text must be cut. */
#ifndef KIOSK_TEXT_LAYOUT_H
#define KIOSK_TEXT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

#define KIOSK_ELLIPSIS "\xE2\x80\xA6"

/* Width in pixels of s[0..len). */
typedef int (*kiosk_measure_fn)(void *ctx, const char *s, size_t len);

typedef struct {
  size_t start, len;   /* byte range in the source text, trailing spaces cut */
  int width;
} kiosk_line;

typedef struct {
  kiosk_line *lines;
  int n_lines;
  int max_width;       /* widest line */
  bool ellipsized;     /* the last line is drawn with an ellipsis after it */
  bool overflow;       /* the text does not fit and may not be cut */
} kiosk_layout;

void kiosk_text_layout_init(void);

/* Lays s out in lines of at most max_w pixels.  max_lines 0 means no limit.
 * When more lines are needed and ellipsis is set, the last line is cut to
 * leave room for the ellipsis; without it, layout->overflow is set and every line
 * is kept. */
lobby_err kiosk_layout_text(const char *s, int max_w, int max_lines, bool ellipsis,
                            kiosk_measure_fn measure, void *ctx, kiosk_layout *out);
void kiosk_layout_free(kiosk_layout *l);

/* True for characters that must not begin a line (full-width comma, full stop, closing brackets, ellipsis and the like). */
bool kiosk_no_line_start(uint32_t cp);

/* Decodes one code point of valid UTF-8 at s, storing its byte length. */
uint32_t kiosk_utf8_decode(const char *s, size_t *len);

#endif
