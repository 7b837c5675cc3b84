/* Whole-name alternatives: the surname table and the interleaving of
 * homophone surnames and given names (name_alternatives.h). */
#include "name_alternatives.h"

#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_fs.h"
#include "lobby_text.h"

/* A surname is one or two characters of at most 4 bytes each; its reading
 * at most two syllables of 6 letters and a space. */
#define SURNAME_TEXT_CAP 9
#define SURNAME_CODE_CAP 14
#define SURNAMES_FILE_MAX (64 * 1024)

typedef struct {
  char text[SURNAME_TEXT_CAP];
  char code[SURNAME_CODE_CAP];
  int syllables;
} surname;

/* gb2312 converts to GB 2312, the 6,763 characters of everyday
 * simplified Chinese, which hold the characters of nearly every given
 * name; (iconv_t)-1 when the C library has no such converter. */
struct kiosk_surnames {
  int count;
  surname entries[KIOSK_SURNAMES_MAX];
  iconv_t gb2312;
};

/* ---- Loading ---- */

static bool is_syllable_letter(char c)
{
  return c >= 'a' && c <= 'z';
}

/* Lower-case syllables separated by single spaces; their count, 0 when
 * the reading is malformed. */
static int count_syllables(const char *code)
{
  int count = 0;
  size_t run = 0;
  for (const char *p = code;; p++) {
    if (is_syllable_letter(*p)) {
      run++;
      continue;
    }
    if (run == 0 || run > 6)
      return 0;
    count++;
    run = 0;
    if (*p == '\0')
      return count;
    if (*p != ' ')
      return 0;
  }
}

static lobby_err parse_line(const char *line, size_t len, surname *out)
{
  const char *tab = memchr(line, '\t', len);
  if (!tab)
    return LOBBY_EINVAL;
  size_t text_len = (size_t)(tab - line), code_len = len - text_len - 1;
  if (text_len == 0 || text_len >= sizeof out->text || code_len == 0 || code_len >= sizeof out->code)
    return LOBBY_EINVAL;
  memcpy(out->text, line, text_len);
  out->text[text_len] = '\0';
  memcpy(out->code, tab + 1, code_len);
  out->code[code_len] = '\0';
  if (!lobby_utf8_valid(out->text, text_len) || (unsigned char)out->text[0] < 0x80)
    return LOBBY_EINVAL;
  out->syllables = count_syllables(out->code);
  size_t chars = lobby_utf8_count(out->text);
  if (out->syllables < 1 || out->syllables > 2 || chars != (size_t)out->syllables)
    return LOBBY_EINVAL;
  return LOBBY_OK;
}

static lobby_err parse_table(const char *text, size_t len, kiosk_surnames *table)
{
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (line_len > 0 && p[0] != '#') {
      if (table->count >= KIOSK_SURNAMES_MAX)
        return LOBBY_ETOOBIG;
      lobby_err err = parse_line(p, line_len, &table->entries[table->count]);
      if (err != LOBBY_OK)
        return err;
      table->count++;
    }
    p += line_len + 1;
  }
  return table->count > 0 ? LOBBY_OK : LOBBY_EINVAL;
}

lobby_err kiosk_surnames_load(const char *path, kiosk_surnames **out)
{
  *out = NULL;
  char *text = NULL;
  size_t len = 0;
  lobby_err err = lobby_fs_read_all(path, SURNAMES_FILE_MAX, &text, &len);
  if (err != LOBBY_OK)
    return err;
  kiosk_surnames *table = calloc(1, sizeof *table);
  if (!table) {
    free(text);
    return LOBBY_ENOMEM;
  }
  err = parse_table(text, len, table);
  free(text);
  if (err != LOBBY_OK) {
    free(table);
    return err;
  }
  table->gb2312 = iconv_open("GB2312", "UTF-8");
  *out = table;
  return LOBBY_OK;
}

void kiosk_surnames_free(kiosk_surnames *table)
{
  if (table && table->gb2312 != (iconv_t)-1)
    (void)iconv_close(table->gb2312);
  free(table);
}

/* True when every character of text is in GB 2312.  The engine's other
 * readings of a given name include rare characters (揃平 for "jianping")
 * that nobody is named with; without the converter there is no telling,
 * so none is offered. */
static bool everyday_characters(const kiosk_surnames *table, const char *text)
{
  if (table->gb2312 == (iconv_t)-1)
    return false;
  char out[64];
  char *in = (char *)text, *to = out;
  size_t in_left = strlen(text), out_left = sizeof out;
  (void)iconv(table->gb2312, NULL, NULL, NULL, NULL);
  size_t done = iconv(table->gb2312, &in, &in_left, &to, &out_left);
  explicit_bzero(out, sizeof out);
  return done != (size_t)-1 && in_left == 0;
}

/* ---- Matching ---- */

/* True when code is the first n of the syllables, space-separated. */
static bool code_is_syllables(const char *code, const char *const *syllables, int n)
{
  for (int i = 0; i < n; i++) {
    size_t len = strlen(syllables[i]);
    if (strncmp(code, syllables[i], len) != 0)
      return false;
    code += len;
    if (i + 1 < n && *code++ != ' ')
      return false;
  }
  return *code == '\0';
}

static bool starts_with(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A compound surname is tried first: 司马俊 is 司马 and 俊, not 司. */
int kiosk_surname_syllables(const kiosk_surnames *table, const kiosk_name_request *req,
                            size_t *surname_bytes)
{
  for (int want = 2; want >= 1; want--) {
    if (want >= req->syllable_count)
      continue;
    for (int i = 0; i < table->count; i++) {
      const surname *s = &table->entries[i];
      if (s->syllables == want && starts_with(req->name, s->text) &&
          code_is_syllables(s->code, req->syllables, want)) {
        *surname_bytes = strlen(s->text);
        return want;
      }
    }
  }
  return 0;
}

/* ---- Building ---- */

typedef struct {
  char *out;
  size_t cap;
  int count, max;
  const char *first;
  const char *const *taken;
  int taken_count;
} alternatives;

static bool already_offered(const alternatives *a, const char *text)
{
  if (strcmp(text, a->first) == 0)
    return true;
  for (int i = 0; i < a->taken_count; i++)
    if (strcmp(text, a->taken[i]) == 0)
      return true;
  for (int i = 0; i < a->count; i++)
    if (strcmp(text, a->out + (size_t)i * a->cap) == 0)
      return true;
  return false;
}

/* Adds surname + given unless it is offered already or does not fit. */
static void offer(alternatives *a, const char *surname_text, size_t surname_len, const char *given)
{
  size_t given_len = strlen(given);
  if (a->count >= a->max || surname_len + given_len >= a->cap)
    return;
  char *slot = a->out + (size_t)a->count * a->cap;
  memcpy(slot, surname_text, surname_len);
  memcpy(slot + surname_len, given, given_len + 1);
  if (already_offered(a, slot))
    slot[0] = '\0';
  else
    a->count++;
}

/* The next surname after *from with the same reading as the name's. */
static const surname *next_homophone(const kiosk_surnames *table, const kiosk_name_request *req,
                                     int syllables, size_t surname_bytes, int *from)
{
  for (; *from < table->count; (*from)++) {
    const surname *s = &table->entries[*from];
    if (s->syllables == syllables && code_is_syllables(s->code, req->syllables, syllables) &&
        !(strlen(s->text) == surname_bytes && strncmp(s->text, req->name, surname_bytes) == 0)) {
      (*from)++;
      return s;
    }
  }
  return NULL;
}

/* The next of the engine's given names other than the name's own with as
 * many characters as it has, in everyday characters. */
static const char *next_given(const kiosk_surnames *table, const kiosk_name_request *req,
                              const char *given_name, int *from)
{
  size_t given_chars = lobby_utf8_count(given_name);
  for (; *from < req->given_count; (*from)++) {
    const char *g = req->given[*from];
    if (lobby_utf8_count(g) == given_chars && strcmp(g, given_name) != 0 &&
        everyday_characters(table, g)) {
      (*from)++;
      return g;
    }
  }
  return NULL;
}

int kiosk_name_alternatives(const kiosk_surnames *table, const kiosk_name_request *req,
                            const char *const *taken, int taken_count, char *out, size_t cap, int max)
{
  if (!table || req->syllable_count < 2 || lobby_utf8_count(req->name) != (size_t)req->syllable_count)
    return 0;
  size_t surname_bytes = 0;
  int syllables = kiosk_surname_syllables(table, req, &surname_bytes);
  if (syllables == 0)
    return 0;
  const char *given_name = req->name + surname_bytes;
  alternatives a = {out, cap, 0, max, req->name, taken, taken_count};
  int next_surname = 0, next_given_at = 0;
  bool surnames_left = true, given_left = true;
  /* Homophone surnames and other given names in turn: a name is as
   * likely to differ in one as in the other. */
  while (a.count < a.max && (surnames_left || given_left)) {
    const surname *s = surnames_left ? next_homophone(table, req, syllables, surname_bytes, &next_surname)
                                     : NULL;
    surnames_left = s != NULL;
    if (s)
      offer(&a, s->text, strlen(s->text), given_name);
    const char *g = given_left ? next_given(table, req, given_name, &next_given_at) : NULL;
    given_left = g != NULL;
    if (g)
      offer(&a, req->name, surname_bytes, g);
  }
  return a.count;
}
