/* The evaluation file of pinyin_accuracy: UTF-8, a header line, then
 *
 *   part<TAB>kind<TAB>phrase<TAB>pinyin
 *
 * part tune or held; kind a lower-case word (fault, name, ...); phrase 2
 * to 10 Chinese characters; pinyin toneless lower-case syllables, one per
 * character, separated by single spaces, ü written v.  Blank lines are
 * skipped; anything else that does not fit is refused with its line,
 * because a typo in the pinyin would otherwise count against the engines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_fs.h"
#include "lobby_text.h"
#include "pinyin_accuracy.h"

#define HEADER "part\tkind\tphrase\tpinyin"
#define FILE_MAX (64u << 20)
#define FIELDS 4

typedef struct {
  const char *path;
  int line;
  char *why;
  size_t why_size;
} line_context;

static bool refuse(const line_context *at, const char *what, const char *field)
{
  snprintf(at->why, at->why_size, "%s:%d: %s%s%s%s", at->path, at->line, what,
           field ? ": \"" : "", field ? field : "", field ? "\"" : "");
  return false;
}

/* Splits line at tabs into at most FIELDS fields; returns how many there
 * were (more than FIELDS means too many). */
static int split_fields(char *line, char *fields[FIELDS])
{
  int n = 0;
  for (char *p = line;; p++) {
    if (n < FIELDS)
      fields[n] = p;
    n++;
    p = strchr(p, '\t');
    if (!p)
      return n;
    *p = '\0';
  }
}

/* The code point at *s (valid UTF-8), moving *s past it. */
static unsigned long next_code_point(const char **s)
{
  const unsigned char *p = (const unsigned char *)*s;
  unsigned long cp;
  size_t n;
  if (p[0] < 0x80) {
    cp = p[0];
    n = 1;
  } else if (p[0] < 0xE0) {
    cp = p[0] & 0x1Fu;
    n = 2;
  } else if (p[0] < 0xF0) {
    cp = p[0] & 0x0Fu;
    n = 3;
  } else {
    cp = p[0] & 0x07u;
    n = 4;
  }
  for (size_t i = 1; i < n; i++)
    cp = (cp << 6) | (p[i] & 0x3Fu);
  *s += n;
  return cp;
}

/* CJK Unified Ideographs, extension A and the supplementary planes'. */
static bool is_han(unsigned long cp)
{
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x3134F);
}

static bool phrase_ok(const char *phrase, size_t *chars)
{
  if (!lobby_utf8_valid(phrase, strlen(phrase)))
    return false;
  *chars = 0;
  for (const char *p = phrase; *p;) {
    if (!is_han(next_code_point(&p)))
      return false;
    (*chars)++;
  }
  return *chars >= PHRASE_CHARS_MIN && *chars <= PHRASE_CHARS_MAX;
}

/* Counts the syllables and copies the letters without spaces; false
 * unless it is a-z syllables of 1 to 6 letters between single spaces. */
static bool pinyin_ok(const char *pinyin, size_t *syllables, char *letters, size_t letters_cap)
{
  size_t run = 0, out = 0;
  *syllables = 0;
  for (const char *p = pinyin;; p++) {
    if (*p >= 'a' && *p <= 'z') {
      if (++run > SYLLABLE_LETTERS_MAX || out + 1 >= letters_cap)
        return false;
      letters[out++] = *p;
      continue;
    }
    if ((*p != ' ' && *p != '\0') || run == 0)
      return false;
    (*syllables)++;
    run = 0;
    if (*p == '\0')
      break;
  }
  letters[out] = '\0';
  return true;
}

static bool kind_ok(const char *kind)
{
  size_t len = strlen(kind);
  if (len == 0 || len >= KIND_CAP)
    return false;
  for (size_t i = 0; i < len; i++)
    if (kind[i] < 'a' || kind[i] > 'z')
      return false;
  return true;
}

/* One data line into *out; false with why when malformed. */
static bool parse_line(char *line, const line_context *at, accuracy_phrase *out)
{
  char *f[FIELDS];
  int n = split_fields(line, f);
  if (n != FIELDS) {
    char what[96];
    snprintf(what, sizeof what,
             "expected 4 tab-separated fields (part, kind, phrase, pinyin), found %d", n);
    return refuse(at, what, NULL);
  }
  *out = (accuracy_phrase){ .line = at->line };
  if (strcmp(f[0], "tune") != 0 && strcmp(f[0], "held") != 0)
    return refuse(at, "part must be tune or held, not", f[0]);
  out->held = strcmp(f[0], "held") == 0;
  if (!kind_ok(f[1]))
    return refuse(at, "kind must be one lower-case word", f[1]);
  memcpy(out->kind, f[1], strlen(f[1]) + 1);
  size_t chars, syllables;
  if (!phrase_ok(f[2], &chars))
    return refuse(at, "phrase must be 2 to 10 Chinese characters", f[2]);
  memcpy(out->phrase, f[2], strlen(f[2]) + 1);
  if (strlen(f[3]) >= sizeof out->pinyin ||
      !pinyin_ok(f[3], &syllables, out->letters, sizeof out->letters))
    return refuse(at,
                  "pinyin must be lower-case syllables (a-z, v for ü, no tones) separated by "
                  "single spaces",
                  f[3]);
  memcpy(out->pinyin, f[3], strlen(f[3]) + 1);
  if (syllables != chars)
    return refuse(at, "pinyin needs one syllable per character of the phrase", f[3]);
  return true;
}

/* The next line of text (NUL-terminated in place, "\r\n" taken as "\n");
 * NULL at the end. */
static char *next_line(char **cursor)
{
  char *line = *cursor;
  if (!line || !*line)
    return NULL;
  char *nl = strchr(line, '\n');
  *cursor = nl ? nl + 1 : NULL;
  if (nl)
    *nl = '\0';
  size_t len = strlen(line);
  if (len > 0 && line[len - 1] == '\r')
    line[len - 1] = '\0';
  return line;
}

static bool wanted(const accuracy_phrase *p, accuracy_part part)
{
  return part == PART_ALL || (part == PART_HELD) == p->held;
}

static bool parse_text(char *text, accuracy_part part, line_context *at, accuracy_phrase *out,
                       size_t *count)
{
  char *cursor = text;
  char *line = next_line(&cursor);
  at->line = 1;
  if (!line || strcmp(line, HEADER) != 0)
    return refuse(at, "expected the header part<TAB>kind<TAB>phrase<TAB>pinyin", NULL);
  while ((line = next_line(&cursor)) != NULL) {
    at->line++;
    if (line[0] == '\0')
      continue;
    if (!parse_line(line, at, &out[*count]))
      return false;
    if (wanted(&out[*count], part))
      (*count)++;
  }
  return true;
}

static size_t count_lines(const char *text)
{
  size_t n = 1;
  for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
    n++;
  return n;
}

bool phrases_load(const char *path, accuracy_part part, accuracy_phrase **out, size_t *count,
                  char *why, size_t why_size)
{
  *out = NULL;
  *count = 0;
  char *text = NULL;
  size_t len = 0;
  lobby_err err = lobby_fs_read_all(path, FILE_MAX, &text, &len);
  if (err != LOBBY_OK) {
    snprintf(why, why_size, "%s: cannot read: %s", path, lobby_strerror(err));
    return false;
  }
  if (strlen(text) != len) {
    free(text);
    snprintf(why, why_size, "%s: not a text file (it holds a NUL byte)", path);
    return false;
  }
  line_context at = { .path = path, .why = why, .why_size = why_size };
  accuracy_phrase *phrases = calloc(count_lines(text), sizeof *phrases);
  bool ok = phrases && parse_text(text, part, &at, phrases, count);
  if (!phrases)
    snprintf(why, why_size, "%s: out of memory", path);
  free(text);
  if (!ok) {
    free(phrases);
    *count = 0;
    return false;
  }
  *out = phrases;
  return true;
}
