#include "text_layout.h"

#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

void kiosk_text_layout_init(void)
{
  init_linebreak();
}

uint32_t kiosk_utf8_decode(const char *str, size_t *len)
{
  const unsigned char *s = (const unsigned char *)str;
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if ((s[0] & 0xE0) == 0xC0 && s[1]) {
    *len = 2;
    return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
    *len = 3;
    return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
    *len = 4;
    return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
           ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
  }
  *len = 1;
  return 0xFFFD;
}

bool kiosk_no_line_start(uint32_t cp)
{
  static const uint32_t closers[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300D, 0x300F,
    0x300B, 0x3009, 0x3011, 0x3015, 0x3017, 0x3019, 0xFF3D, 0xFF5D, 0x201D, 0x2019,
    0x2026, 0x2025, 0x30FC, 0xFF0E, 0x00B7, 0x30FB, 0xFF5E,
    ',', '.', ';', ':', '?', '!', ')', ']', '}', '%'};
  for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
    if (closers[i] == cp)
      return true;
  return false;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Trailing spaces and newlines do not count toward a line's width. */
static size_t trim_end(const char *s, size_t start, size_t end)
{
  while (end > start && is_space(s[end - 1]))
    end--;
  return end;
}

static bool starts_forbidden(const char *s, size_t pos, size_t n)
{
  if (pos >= n)
    return false;
  size_t cl;
  return kiosk_no_line_start(kiosk_utf8_decode(s + pos, &cl));
}

static size_t next_char(const char *s, size_t pos)
{
  size_t cl;
  kiosk_utf8_decode(s + pos, &cl);
  return pos + cl;
}

static size_t prev_char(const char *s, size_t pos)
{
  if (pos == 0)
    return 0;
  pos--;
  while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
    pos--;
  return pos;
}

typedef struct {
  kiosk_line *v;
  int n, cap;
} line_vec;

static lobby_err push_line(line_vec *lv, const char *s, size_t start, size_t end,
                           kiosk_measure_fn measure, void *ctx)
{
  if (lv->n == lv->cap) {
    int cap = lv->cap ? lv->cap * 2 : 8;
    kiosk_line *v = realloc(lv->v, (size_t)cap * sizeof *v);
    if (!v)
      return LOBBY_ENOMEM;
    lv->v = v;
    lv->cap = cap;
  }
  end = trim_end(s, start, end);
  lv->v[lv->n].start = start;
  lv->v[lv->n].len = end - start;
  lv->v[lv->n].width = end > start ? measure(ctx, s + start, end - start) : 0;
  lv->n++;
  return LOBBY_OK;
}

/* A word longer than the line: cut it by characters, keeping at least one
 * character and never leaving a closer at the start of the next line. */
static size_t char_break(const char *s, size_t start, size_t limit, int max_w,
                         kiosk_measure_fn measure, void *ctx)
{
  size_t end = next_char(s, start);
  for (;;) {
    size_t nx = next_char(s, end);
    if (nx > limit || measure(ctx, s + start, nx - start) > max_w)
      break;
    end = nx;
  }
  while (starts_forbidden(s, end, limit) && prev_char(s, end) > start)
    end = prev_char(s, end);
  return end;
}

/* What finding one line needs besides the text: the break opportunities,
 * the measuring callback, and scratch space for the candidate ends. */
typedef struct {
  const char *s;
  size_t n;
  const char *brks;
  int max_w;
  kiosk_measure_fn measure;
  void *ctx;
  size_t *ends;      /* candidate line ends, n entries of room */
  size_t guess;      /* how many candidates fitted on the previous line */
} line_finder;

static bool end_fits(const line_finder *f, size_t start, size_t end)
{
  size_t vis = trim_end(f->s, start, end);
  return vis <= start || f->measure(f->ctx, f->s + start, vis - start) <= f->max_w;
}

/* The index of the last candidate end that fits, or -1.  Widths grow with
 * the end, so this is a search; it starts from the previous line's count,
 * which for running Chinese text is usually right, and gallops from there.
 * Measuring every candidate instead costs one shaping call per character,
 * which made laying out the notice board the largest part of start-up. */
static long last_fitting(line_finder *f, size_t start, size_t count)
{
  long lo, hi; /* lo fits (or is -1), hi does not fit (or is count) */
  long g = (long)(f->guess < count ? f->guess : count - 1);
  if (end_fits(f, start, f->ends[g])) {
    long step = 1;
    lo = g;
    while (lo + step < (long)count && end_fits(f, start, f->ends[lo + step])) {
      lo += step;
      step *= 2;
    }
    hi = lo + step < (long)count ? lo + step : (long)count;
  } else {
    long step = 1;
    hi = g;
    while (hi - step >= 0 && !end_fits(f, start, f->ends[hi - step])) {
      hi -= step;
      step *= 2;
    }
    lo = hi - step >= 0 ? hi - step : -1;
  }
  while (hi - lo > 1) {
    long mid = lo + (hi - lo) / 2;
    if (end_fits(f, start, f->ends[mid]))
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* Finds the end of the line that starts at start: the first mandatory
 * break if the text up to it fits, else the last allowed break whose text
 * fits and that does not leave a closer at the start of the next line, or
 * a character break (setting *forced) when none fits. */
static size_t line_end(line_finder *f, size_t start, bool *forced)
{
  const char *s = f->s, *brks = f->brks;
  size_t n = f->n;
  size_t count = 0;
  bool mandatory = false;
  *forced = false;
  for (size_t i = start; i < n && !mandatory; i++) {
    if (brks[i] != LINEBREAK_MUSTBREAK && brks[i] != LINEBREAK_ALLOWBREAK)
      continue;
    f->ends[count++] = i + 1;
    mandatory = brks[i] == LINEBREAK_MUSTBREAK;
  }
  long fit = count ? last_fitting(f, start, count) : -1;
  if (fit >= 0)
    f->guess = (size_t)fit;
  if (mandatory && fit == (long)count - 1)
    return f->ends[fit];
  for (long j = fit; j >= 0; j--)
    if (!starts_forbidden(s, f->ends[j], n))
      return f->ends[j];
  *forced = true;
  size_t limit = mandatory ? f->ends[count - 1] : n;
  size_t vis = trim_end(s, start, limit);
  if (vis <= start || f->measure(f->ctx, s + start, vis - start) <= f->max_w) {
    *forced = false;
    return limit;
  }
  return char_break(s, start, limit, f->max_w, f->measure, f->ctx);
}

/* Cuts the last line so that its text plus the ellipsis fits in max_w. */
static void apply_ellipsis(const char *s, kiosk_line *last, int max_w, kiosk_measure_fn measure,
                           void *ctx)
{
  int ell = measure(ctx, KIOSK_ELLIPSIS, strlen(KIOSK_ELLIPSIS));
  size_t end = last->start + last->len;
  while (end > last->start && measure(ctx, s + last->start, end - last->start) + ell > max_w)
    end = prev_char(s, end);
  end = trim_end(s, last->start, end);
  last->len = end - last->start;
  last->width = (last->len ? measure(ctx, s + last->start, last->len) : 0) + ell;
}

lobby_err kiosk_layout_text(const char *s, int max_w, int max_lines, bool ellipsis,
                            kiosk_measure_fn measure, void *ctx, kiosk_layout *out)
{
  memset(out, 0, sizeof *out);
  size_t n = strlen(s);
  if (n == 0)
    return LOBBY_OK;
  char *brks = malloc(n);
  size_t *ends = malloc(n * sizeof *ends);
  if (!brks || !ends) {
    free(brks);
    free(ends);
    return LOBBY_ENOMEM;
  }
  set_linebreaks_utf8((const utf8_t *)s, n, "zh", brks);
  line_finder finder = {s, n, brks, max_w, measure, ctx, ends, 8};
  line_vec lv = {0};
  size_t pos = 0;
  lobby_err err = LOBBY_OK;
  while (pos < n && err == LOBBY_OK) {
    bool forced;
    size_t end = line_end(&finder, pos, &forced);
    if (end <= pos)
      end = next_char(s, pos);
    if (max_lines > 0 && lv.n == max_lines) {
      out->overflow = !ellipsis;
      if (ellipsis)
        break;
    }
    err = push_line(&lv, s, pos, end, measure, ctx);
    /* A word cut in the middle, or a character wider than the line, means
     * the text does not really fit. */
    if (forced)
      out->overflow = true;
    pos = end;
    /* Spaces at the start of a wrapped line are dropped. */
    while (pos < n && s[pos] == ' ')
      pos++;
  }
  free(brks);
  free(ends);
  if (err != LOBBY_OK) {
    free(lv.v);
    return err;
  }
  if (pos < n && ellipsis && lv.n > 0) {
    out->ellipsized = true;
    kiosk_line *last = &lv.v[lv.n - 1];
    apply_ellipsis(s, last, max_w, measure, ctx);
  }
  out->lines = lv.v;
  out->n_lines = lv.n;
  for (int i = 0; i < lv.n; i++)
    if (lv.v[i].width > out->max_width)
      out->max_width = lv.v[i].width;
  return LOBBY_OK;
}

void kiosk_layout_free(kiosk_layout *l)
{
  free(l->lines);
  memset(l, 0, sizeof *l);
}
