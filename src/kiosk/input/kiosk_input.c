/* Fields, quick-phrase lists and the two keypads (see kiosk_input.h). */
#include "kiosk_input.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "text_layout.h"

void kiosk_field_init(kiosk_field *f, kiosk_field_kind kind, size_t max_chars)
{
  explicit_bzero(f, sizeof *f);
  f->kind = kind;
  f->max_chars = max_chars;
}

void kiosk_field_wipe(kiosk_field *f)
{
  explicit_bzero(f->buf, sizeof f->buf);
  f->error = false;
}

size_t kiosk_field_chars(const kiosk_field *f)
{
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)f->buf; *p; p++)
    if ((*p & 0xC0) != 0x80)
      n++;
  return n;
}

static bool accepts(kiosk_field_kind kind, uint32_t cp)
{
  static const char code_alphabet[] = "34679ACDEFGHJKMNPQRTUVWXY";
  switch (kind) {
  case KIOSK_FIELD_DIGITS: return cp >= '0' && cp <= '9';
  case KIOSK_FIELD_PHONE: return (cp >= '0' && cp <= '9') || cp == '+' || cp == '-';
  case KIOSK_FIELD_CODE: return cp < 128 && cp && strchr(code_alphabet, toupper((int)cp));
  case KIOSK_FIELD_PLATE: return cp > 127 || isalnum((int)cp);
  case KIOSK_FIELD_TEXT:
  case KIOSK_FIELD_NAME: return cp >= 0x20 && cp != 0x7F;
  }
  return false;
}

lobby_err kiosk_field_commit(kiosk_field *f, const char *utf8)
{
  size_t used = strlen(f->buf), chars = kiosk_field_chars(f);
  const char *p = utf8;
  while (*p) {
    size_t cl;
    uint32_t cp = kiosk_utf8_decode(p, &cl);
    if (accepts(f->kind, cp)) {
      if (chars >= f->max_chars || used + cl + 1 > sizeof f->buf)
        return LOBBY_ETOOBIG;
      memcpy(f->buf + used, p, cl);
      if (f->kind == KIOSK_FIELD_CODE || f->kind == KIOSK_FIELD_PLATE)
        f->buf[used] = (char)toupper((unsigned char)f->buf[used]);
      used += cl;
      chars++;
      f->buf[used] = '\0';
    }
    p += cl;
  }
  f->error = false;
  return LOBBY_OK;
}

void kiosk_field_backspace(kiosk_field *f)
{
  size_t n = strlen(f->buf);
  while (n > 0) {
    n--;
    unsigned char c = (unsigned char)f->buf[n];
    f->buf[n] = '\0';
    if ((c & 0xC0) != 0x80)
      break;
  }
  f->error = false;
}

int kiosk_list_count(const char *list)
{
  if (!list || !*list)
    return 0;
  int n = 1;
  for (const char *p = list; *p; p++)
    n += *p == '|';
  return n;
}

bool kiosk_list_item(const char *list, int n, char *out, size_t out_size)
{
  if (!list || !*list || n < 0)
    return false;
  const char *p = list;
  for (int i = 0; i < n; i++) {
    p = strchr(p, '|');
    if (!p)
      return false;
    p++;
  }
  const char *e = strchr(p, '|');
  size_t len = e ? (size_t)(e - p) : strlen(p);
  snprintf(out, out_size, "%.*s", (int)len, p);
  return true;
}

bool kiosk_key_is_function(const char *label)
{
  return strncmp(label, "key.", 4) == 0;
}

static const char *const digit_keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", KIOSK_KEY_CLEAR, "0",
                                         KIOSK_KEY_BACKSPACE};
static const char *const code_keys[] = {
  "3", "4", "6", "7", "9", "A", "C", "D", "E", "F", "G", "H", "J", "K", "M",
  "N", "P", "Q", "R", "T", "U", "V", "W", "X", "Y", KIOSK_KEY_CLEAR, KIOSK_KEY_BACKSPACE};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void press_key(const char *label, kiosk_field *f)
{
  if (strcmp(label, KIOSK_KEY_BACKSPACE) == 0)
    kiosk_field_backspace(f);
  else if (strcmp(label, KIOSK_KEY_CLEAR) == 0)
    kiosk_field_wipe(f);
  else if (strcmp(label, KIOSK_KEY_SPACE) == 0)
    (void)kiosk_field_commit(f, " ");
  else
    (void)kiosk_field_commit(f, label);
}

static void keypad_press(const kiosk_input_source *src, struct kiosk_keyboard_state *kb, int key, kiosk_field *f)
{
  (void)kb;
  if (f && key >= 0 && key < src->n_keys)
    press_key(src->keys[key], f);
}

static void phrases_press(const kiosk_input_source *src, struct kiosk_keyboard_state *kb, int key, kiosk_field *f)
{
  (void)kb;
  if (!f)
    return;
  if (key == kiosk_list_count(src->phrases)) {
    kiosk_field_backspace(f);
    return;
  }
  char item[256];
  if (!kiosk_list_item(src->phrases, key, item, sizeof item))
    return;
  if (f->buf[0] && src->separator && *src->separator)
    (void)kiosk_field_commit(f, src->separator);
  (void)kiosk_field_commit(f, item);
}

const kiosk_input_source kiosk_src_digits = {
  .label_key = "src.digits", .press = keypad_press, .keys = digit_keys, .n_keys = N(digit_keys)};
const kiosk_input_source kiosk_src_code = {
  .label_key = "src.code", .press = keypad_press, .keys = code_keys, .n_keys = N(code_keys)};

void kiosk_src_phrases(kiosk_input_source *src, const char *label_key, const char *phrases,
                       const char *separator)
{
  *src = (kiosk_input_source){
    .label_key = label_key, .press = phrases_press, .phrases = phrases, .separator = separator};
}
