/* wcwidth() is an X/Open function. */
#define _XOPEN_SOURCE 700

#include "ctl_table.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026, one column */
#define ELLIPSIS_LEN 3
#define CP_INVALID 0xFFFFFFFFu
#define COL_GAP 2

static bool use_wcwidth;

/* Decodes one character.  Overlong forms, surrogates and bytes that do not
 * start a sequence give CP_INVALID and consume one byte, so a bad byte from
 * the server never swallows the characters after it. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
  unsigned char c = s[0];
  size_t extra;
  uint32_t v;
  if (c < 0x80) { *cp = c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) { extra = 1; v = c & 0x1Fu; }
  else if (c >= 0xE0 && c <= 0xEF) { extra = 2; v = c & 0x0Fu; }
  else if (c >= 0xF0 && c <= 0xF4) { extra = 3; v = c & 0x07u; }
  else { *cp = CP_INVALID; return 1; }
  for (size_t k = 1; k <= extra; k++) {
    if ((s[k] & 0xC0) != 0x80) { *cp = CP_INVALID; return 1; }
    v = (v << 6) | (s[k] & 0x3Fu);
  }
  if ((extra == 2 && v < 0x800) || (extra == 3 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = CP_INVALID;
    return 1;
  }
  *cp = v;
  return extra + 1;
}

typedef struct { uint32_t lo, hi; } cp_range;

/* East Asian Wide and Fullwidth blocks that occur in Chinese text, plus the
 * common emoji blocks.  Only used when no UTF-8 locale is available. */
static const cp_range wide_ranges[] = {
  {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
  {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
  {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
  {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static const cp_range zero_ranges[] = {
  {0x0300, 0x036F}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
  {0xFE20, 0xFE2F},
};

static bool in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (cp >= r[i].lo && cp <= r[i].hi)
      return true;
  return false;
}

static int builtin_width(uint32_t cp)
{
  if (in_ranges(cp, zero_ranges, sizeof zero_ranges / sizeof zero_ranges[0]))
    return 0;
  if (in_ranges(cp, wide_ranges, sizeof wide_ranges / sizeof wide_ranges[0]))
    return 2;
  return 1;
}

bool ctl_text_init(void)
{
  static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "zh_CN.UTF-8", NULL};
  use_wcwidth = false;
  for (size_t i = 0; names[i]; i++) {
    if (!setlocale(LC_CTYPE, names[i]))
      continue;
    /* A locale whose wcwidth does not know CJK is no better than our table. */
    if (wcwidth((wchar_t)0x4E2D) == 2) {
      use_wcwidth = true;
      break;
    }
  }
  return use_wcwidth;
}

void ctl_text_use_builtin(bool builtin)
{
  use_wcwidth = !builtin;
}

int ctl_cp_width(uint32_t cp)
{
  if (cp == CP_INVALID)
    return 1;
  if (use_wcwidth) {
    int w = wcwidth((wchar_t)cp);
    if (w >= 0)
      return w;
  }
  return builtin_width(cp);
}

size_t ctl_display_width(const char *s)
{
  size_t cols = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    uint32_t cp;
    p += utf8_decode(p, &cp);
    cols += (size_t)ctl_cp_width(cp);
  }
  return cols;
}

lobby_err ctl_truncate(const char *s, size_t max_cols, char *out, size_t out_size)
{
  size_t len = strlen(s);
  if (out_size == 0)
    return LOBBY_ETOOBIG;
  if (ctl_display_width(s) <= max_cols) {
    if (len + 1 > out_size)
      return LOBBY_ETOOBIG;
    memcpy(out, s, len + 1);
    return LOBBY_OK;
  }
  out[0] = '\0';
  if (max_cols == 0)
    return LOBBY_OK;
  /* Keep whole characters while they fit in max_cols - 1, then the "…". */
  const unsigned char *p = (const unsigned char *)s;
  size_t cols = 0, used = 0;
  while (*p) {
    uint32_t cp;
    size_t n = utf8_decode(p, &cp);
    size_t w = (size_t)ctl_cp_width(cp);
    if (cols + w > max_cols - 1)
      break;
    cols += w;
    used += n;
    p += n;
  }
  if (used + ELLIPSIS_LEN + 1 > out_size)
    return LOBBY_ETOOBIG;
  memcpy(out, s, used);
  memcpy(out + used, ELLIPSIS, ELLIPSIS_LEN + 1);
  return LOBBY_OK;
}

char *ctl_text_clean(const char *s)
{
  size_t len = strlen(s);
  char *out = malloc(len + 1);
  if (!out)
    return NULL;
  const unsigned char *p = (const unsigned char *)s;
  size_t o = 0;
  while (*p) {
    uint32_t cp;
    size_t n = utf8_decode(p, &cp);
    if (cp == CP_INVALID)
      out[o++] = '?';
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
      out[o++] = ' '; /* C0/C1 controls, including ESC */
    else {
      memcpy(out + o, p, n);
      o += n;
    }
    p += n;
  }
  out[o] = '\0';
  return out;
}

struct ctl_table {
  size_t ncols;
  char **headers;
  size_t *max;     /* per-column cap, 0 = none */
  size_t flex;     /* column that shrinks first, ncols = none */
  char **cells;    /* rows * ncols, row-major */
  size_t rows, cap;
};

lobby_err ctl_table_new(size_t ncols, const char *const *headers, ctl_table **out)
{
  *out = NULL;
  if (ncols == 0)
    return LOBBY_EINVAL;
  ctl_table *t = calloc(1, sizeof *t);
  if (!t)
    return LOBBY_ENOMEM;
  t->ncols = ncols;
  t->flex = ncols;
  t->headers = calloc(ncols, sizeof *t->headers);
  t->max = calloc(ncols, sizeof *t->max);
  if (!t->headers || !t->max) {
    ctl_table_free(t);
    return LOBBY_ENOMEM;
  }
  for (size_t i = 0; i < ncols; i++) {
    t->headers[i] = ctl_text_clean(headers[i]);
    if (!t->headers[i]) {
      ctl_table_free(t);
      return LOBBY_ENOMEM;
    }
  }
  *out = t;
  return LOBBY_OK;
}

void ctl_table_free(ctl_table *t)
{
  if (!t)
    return;
  if (t->headers)
    for (size_t i = 0; i < t->ncols; i++)
      free(t->headers[i]);
  for (size_t i = 0; i < t->rows * t->ncols; i++)
    free(t->cells[i]);
  free(t->headers);
  free(t->max);
  free(t->cells);
  free(t);
}

lobby_err ctl_table_set_max(ctl_table *t, size_t col, size_t max_cols)
{
  if (col >= t->ncols)
    return LOBBY_EINVAL;
  t->max[col] = max_cols;
  return LOBBY_OK;
}

lobby_err ctl_table_set_flex(ctl_table *t, size_t col)
{
  if (col >= t->ncols)
    return LOBBY_EINVAL;
  t->flex = col;
  return LOBBY_OK;
}

size_t ctl_table_rows(const ctl_table *t)
{
  return t->rows;
}

lobby_err ctl_table_add_row(ctl_table *t, const char *const *cells)
{
  if (t->rows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
    if (!grown)
      return LOBBY_ENOMEM;
    t->cells = grown;
    t->cap = cap;
  }
  char **row = t->cells + t->rows * t->ncols;
  for (size_t i = 0; i < t->ncols; i++) {
    row[i] = ctl_text_clean(cells[i] ? cells[i] : "-");
    if (!row[i]) {
      for (size_t k = 0; k < i; k++)
        free(row[k]);
      return LOBBY_ENOMEM;
    }
  }
  t->rows++;
  return LOBBY_OK;
}

/* Natural width of each column, capped, then the flex column narrowed so
 * the whole line fits the terminal.  It never goes below its header. */
static void column_widths(const ctl_table *t, size_t term_width, size_t *w)
{
  size_t total = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    w[c] = ctl_display_width(t->headers[c]);
    for (size_t r = 0; r < t->rows; r++) {
      size_t cw = ctl_display_width(t->cells[r * t->ncols + c]);
      if (cw > w[c])
        w[c] = cw;
    }
    if (t->max[c] && w[c] > t->max[c])
      w[c] = t->max[c];
    total += w[c] + (c ? COL_GAP : 0);
  }
  if (term_width == 0 || total <= term_width || t->flex >= t->ncols)
    return;
  size_t floor = ctl_display_width(t->headers[t->flex]);
  if (floor < 6)
    floor = 6;
  size_t excess = total - term_width;
  size_t *f = &w[t->flex];
  *f = (*f > floor + excess) ? *f - excess : (*f > floor ? floor : *f);
}

static lobby_err print_cell(FILE *out, const char *text, size_t width, bool last)
{
  size_t size = strlen(text) + ELLIPSIS_LEN + 1;
  char *buf = malloc(size);
  if (!buf)
    return LOBBY_ENOMEM;
  lobby_err err = ctl_truncate(text, width, buf, size);
  if (err == LOBBY_OK) {
    size_t pad = last ? 0 : width - ctl_display_width(buf) + COL_GAP;
    if (fputs(buf, out) == EOF || fprintf(out, "%*s", (int)pad, "") < 0)
      err = LOBBY_EIO;
  }
  free(buf);
  return err;
}

static lobby_err print_line(FILE *out, char *const *cells, size_t ncols, const size_t *w)
{
  for (size_t c = 0; c < ncols; c++) {
    lobby_err err = print_cell(out, cells[c], w[c], c + 1 == ncols);
    if (err != LOBBY_OK)
      return err;
  }
  return fputc('\n', out) == EOF ? LOBBY_EIO : LOBBY_OK;
}

lobby_err ctl_table_print(const ctl_table *t, FILE *out, size_t term_width)
{
  size_t *w = calloc(t->ncols, sizeof *w);
  if (!w)
    return LOBBY_ENOMEM;
  column_widths(t, term_width, w);
  lobby_err err = print_line(out, t->headers, t->ncols, w);
  for (size_t r = 0; r < t->rows && err == LOBBY_OK; r++)
    err = print_line(out, t->cells + r * t->ncols, t->ncols, w);
  free(w);
  if (err == LOBBY_OK && fflush(out) == EOF)
    err = LOBBY_EIO;
  return err;
}
