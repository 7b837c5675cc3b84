/* User-visible strings, loaded from assets/strings/<lang>.ini: one
 * "key = value" a line, '#' or ';' comments, "\n" for a line break, and
 * {name} placeholders filled by kiosk_strings_format. */
#ifndef KIOSK_STRINGS_H
#define KIOSK_STRINGS_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

typedef struct {
  char *key;
  char *value;
} kiosk_string_entry;

typedef struct {
  kiosk_string_entry *v;
  size_t n, cap;
  char lang[8];
} kiosk_strings;

lobby_err kiosk_strings_load(const char *path, const char *lang, kiosk_strings *out);
lobby_err kiosk_strings_parse(const char *text, const char *lang, kiosk_strings *out);
void kiosk_strings_free(kiosk_strings *s);

/* The value or NULL. */
const char *kiosk_strings_find(const kiosk_strings *s, const char *key);

/* Copies the template for key into out, replacing {name} with the value
 * that follows name in the NULL-terminated list of pairs.  A missing key
 * yields the key itself so the gap is visible, never a crash. */
void kiosk_strings_format(const kiosk_strings *s, char *out, size_t out_size, const char *key, ...);
void kiosk_strings_vformat_tpl(const char *tpl, char *out, size_t out_size, const char *const *pairs);

#endif
