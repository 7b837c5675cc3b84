/* Text input for the kiosk's forms.  A text field receives committed UTF-8
 * text and backspaces from whatever input source is active: the numeric
 * keypad, the code keypad and quick phrases here, and the keyboard's
 * layouts (拼音, ABC, 123, 符号; keyboard.h), each a kiosk_input_source.
 *
 * This layer knows the keys and what pressing one does; the screens lay
 * the keys out as widgets (form_keyboard.c), so nothing here depends on
 * the app or its screens. */
#ifndef KIOSK_INPUT_H
#define KIOSK_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

#define KIOSK_FIELD_CAP 1600

typedef enum {
  KIOSK_FIELD_TEXT,    /* any text: descriptions, company names */
  KIOSK_FIELD_NAME,    /* a person's name: any text, typed with the names schema */
  KIOSK_FIELD_PHONE,   /* digits, '+' and '-' */
  KIOSK_FIELD_DIGITS,  /* digits only */
  KIOSK_FIELD_CODE,    /* pass and invite codes: the unambiguous alphabet */
  KIOSK_FIELD_PLATE    /* licence plates: letters, digits and Chinese */
} kiosk_field_kind;

typedef struct {
  char buf[KIOSK_FIELD_CAP];
  size_t max_chars;
  kiosk_field_kind kind;
  bool error;
} kiosk_field;

void kiosk_field_init(kiosk_field *f, kiosk_field_kind kind, size_t max_chars);
/* Appends text, dropping characters the field does not accept; ETOOBIG
 * when the field is full (what fits is kept). */
lobby_err kiosk_field_commit(kiosk_field *f, const char *utf8);
void kiosk_field_backspace(kiosk_field *f);
/* Clears the field and wipes its memory. */
void kiosk_field_wipe(kiosk_field *f);
size_t kiosk_field_chars(const kiosk_field *f);

/* Key labels: a label starting with "key." is a function key whose text
 * is that string key; any other label is the text the key types. */
#define KIOSK_KEY_BACKSPACE "key.backspace"
#define KIOSK_KEY_CLEAR "key.clear"
#define KIOSK_KEY_SPACE "key.space"
#define KIOSK_KEY_DONE "key.done"
#define KIOSK_KEY_SHIFT "key.shift"
#define KIOSK_KEY_SPLIT "key.split"
bool kiosk_key_is_function(const char *label);

struct kiosk_keyboard_state;

typedef struct kiosk_input_source {
  const char *label_key;  /* string key of the tab that selects it */
  /* Turns the key with that index into a commit or backspace: a keypad or
   * phrase list types into field, a keyboard layout into the keyboard's
   * focused field (keyboard.h; kb may be NULL for the others). */
  void (*press)(const struct kiosk_input_source *src, struct kiosk_keyboard_state *kb, int key,
                kiosk_field *field);
  /* Keypads: the keys' labels, in order. */
  const char *const *keys;
  int n_keys;
  /* Quick phrases: items separated by '|', and the text put between two
   * phrases in one field (may be ""). */
  const char *phrases;
  const char *separator;
} kiosk_input_source;

extern const kiosk_input_source kiosk_src_digits;
extern const kiosk_input_source kiosk_src_code;
void kiosk_src_phrases(kiosk_input_source *src, const char *label_key, const char *phrases,
                       const char *separator);

/* The n-th item of a '|' list into out; false when there is none. */
bool kiosk_list_item(const char *list, int n, char *out, size_t out_size);
int kiosk_list_count(const char *list);

#endif
