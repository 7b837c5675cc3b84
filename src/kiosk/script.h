/* The headless script language (README.md, "The script language" under
 * "Headless scripted mode"): one step a line. */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H

#include <stddef.h>
#include "lobby_error.h"

typedef enum {
  KIOSK_STEP_TAP_XY, KIOSK_STEP_TAP_TEXT, KIOSK_STEP_TYPE, KIOSK_STEP_WAIT, KIOSK_STEP_EXPECT,
  KIOSK_STEP_EXPECT_NOT, KIOSK_STEP_SHOT, KIOSK_STEP_CLOCK, KIOSK_STEP_SLEEP, KIOSK_STEP_IDLE,
  KIOSK_STEP_LANG, KIOSK_STEP_DUMP, KIOSK_STEP_SIZE, KIOSK_STEP_NO_OVERFLOW, KIOSK_STEP_BACKSPACE,
  KIOSK_STEP_DRAG, KIOSK_STEP_KEY, KIOSK_STEP_LAYOUT, KIOSK_STEP_CANDIDATE, KIOSK_STEP_HOLD,
  KIOSK_STEP_WAIT_PICTURE, KIOSK_STEP_EXPECT_NO_PICTURE
} kiosk_step_kind;

typedef struct {
  kiosk_step_kind kind;
  int line;
  int x, y;          /* tap X Y; size WxH; drag start */
  int x2, y2;        /* drag end */
  long ms;           /* wait timeout, sleep, idle (in ms), backspace count, drag and hold time */
  char *text;        /* quoted text, shot name, clock time, language, key label, layout */
} kiosk_step;

typedef struct {
  kiosk_step *steps;
  int n;
} kiosk_script;

/* Parses a whole script.  On error, err holds "line N: why". */
lobby_err kiosk_script_parse(const char *text, kiosk_script *out, char *err, size_t err_size);
lobby_err kiosk_script_load(const char *path, kiosk_script *out, char *err, size_t err_size);
void kiosk_script_free(kiosk_script *s);
const char *kiosk_step_name(kiosk_step_kind k);

#endif
