#include "widgets.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "qr.h"
#include "text_cache.h"

/* The caret's colour, and the composition's beside it. */
#define CARET_COLOR 0x1D4ED8

static kiosk_widget scratch;

static const char *const role_names[] = {
  "panel", "label", "title", "paragraph", "button", "field", "key",
  "notice", "banner", "qr", "icon", "chip", "picture"};

const char *kiosk_role_name(kiosk_role r)
{
  return (unsigned)r < sizeof role_names / sizeof role_names[0] ? role_names[r] : "?";
}

bool kiosk_rect_inside(SDL_Rect in, SDL_Rect out)
{
  return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

static void free_layouts(kiosk_ui *ui)
{
  for (int i = 0; i < ui->n; i++)
    kiosk_layout_free(&ui->w[i].layout);
}

void kiosk_ui_reset(kiosk_ui *ui, int width, int height, const char *screen)
{
  free_layouts(ui);
  /* The arena may hold personal data typed into a form. */
  if (ui->arena)
    explicit_bzero(ui->arena, ui->arena_used);
  ui->n = 0;
  ui->arena_used = 0;
  ui->n_clips = 0;
  ui->width = width;
  ui->height = height;
  ui->screen = screen;
}

void kiosk_ui_free(kiosk_ui *ui)
{
  kiosk_ui_reset(ui, 0, 0, NULL);
  free(ui->w);
  free(ui->arena);
  memset(ui, 0, sizeof *ui);
}

const char *kiosk_ui_strdup(kiosk_ui *ui, const char *s)
{
  size_t n = strlen(s) + 1;
  if (ui->arena_used + n > ui->arena_cap) {
    /* Strings already handed out point into the arena, so it grows by
     * chaining is not possible; size it generously and refuse beyond. */
    if (ui->arena_cap == 0) {
      ui->arena_cap = 256 * 1024;
      ui->arena = malloc(ui->arena_cap);
      if (!ui->arena) {
        ui->arena_cap = 0;
        return "";
      }
    }
    if (ui->arena_used + n > ui->arena_cap)
      return "";
  }
  char *p = ui->arena + ui->arena_used;
  memcpy(p, s, n);
  ui->arena_used += n;
  return p;
}

kiosk_widget *kiosk_ui_add(kiosk_ui *ui, kiosk_role role, SDL_Rect r, const char *text)
{
  if (ui->n == ui->cap) {
    int cap = ui->cap ? ui->cap * 2 : 128;
    kiosk_widget *w = realloc(ui->w, (size_t)cap * sizeof *w);
    if (!w) {
      memset(&scratch, 0, sizeof scratch);
      return &scratch;
    }
    ui->w = w;
    ui->cap = cap;
  }
  kiosk_widget *w = &ui->w[ui->n++];
  memset(w, 0, sizeof *w);
  w->role = role;
  w->rect = r;
  w->text = kiosk_ui_strdup(ui, text ? text : "");
  w->font_px = 32;
  w->fg = kiosk_rgb(0x1A1A1A);
  w->icon = ICON_NONE;
  w->icon_fg = w->fg;
  w->clip = -1;
  w->align = KA_LEFT;
  return w;
}

int kiosk_ui_clip(kiosk_ui *ui, SDL_Rect viewport)
{
  if (ui->n_clips == (int)(sizeof ui->clips / sizeof ui->clips[0]))
    return -1;
  ui->clips[ui->n_clips] = viewport;
  return ui->n_clips++;
}

/* The icon's square and the rectangle left for text. */
static void widget_areas(const kiosk_widget *w, SDL_Rect *icon, SDL_Rect *text)
{
  SDL_Rect r = {w->rect.x + w->pad, w->rect.y + w->pad, w->rect.w - 2 * w->pad, w->rect.h - 2 * w->pad};
  *icon = (SDL_Rect){0, 0, 0, 0};
  *text = r;
  if (w->icon == ICON_NONE || w->role == KW_ICON)
    return;
  if (w->flags & KF_ICON_TOP) {
    int s = (r.h * 45) / 100;
    if (s > r.w / 2)
      s = r.w / 2;
    *icon = (SDL_Rect){r.x + (r.w - s) / 2, r.y, s, s};
    *text = (SDL_Rect){r.x, r.y + s + w->pad / 2, r.w, r.h - s - w->pad / 2};
  } else {
    int s = w->font_px * 3 / 2;
    if (s > r.h)
      s = r.h;
    *icon = (SDL_Rect){r.x, r.y + (r.h - s) / 2, s, s};
    int gap = w->font_px / 2;
    *text = (SDL_Rect){r.x + s + gap, r.y, r.w - s - gap, r.h};
    if (w->align == KA_CENTER && w->layout.n_lines > 0) {
      /* Centre icon and text together as one group. */
      int group = s + gap + w->layout.max_width;
      int x0 = r.x + (r.w - group) / 2;
      icon->x = x0;
      *text = (SDL_Rect){x0 + s + gap, r.y, w->layout.max_width, r.h};
    }
  }
}

/* Narrows the layout width as far as the line count allows, so a title
 * that wraps does not leave one character alone on its last line. */
static lobby_err balance(kiosk_widget *w, kiosk_text *text, int width, int max_lines, bool priv)
{
  int lines = w->layout.n_lines, lo = width / 2, hi = width;
  while (hi - lo > 4) {
    int mid = (lo + hi) / 2;
    kiosk_layout l;
    lobby_err err = kiosk_text_layout(text, w->text, w->used_px, w->bold, mid, max_lines, false, priv, &l);
    if (err != LOBBY_OK)
      return err;
    if (l.n_lines == lines && !l.overflow)
      hi = mid;
    else
      lo = mid;
    kiosk_layout_free(&l);
  }
  kiosk_layout l;
  lobby_err err = kiosk_text_layout(text, w->text, w->used_px, w->bold, hi, max_lines, false, priv, &l);
  if (err != LOBBY_OK)
    return err;
  if (l.n_lines == lines && !l.overflow) {
    kiosk_layout_free(&w->layout);
    w->layout = l;
  } else {
    kiosk_layout_free(&l);
  }
  return LOBBY_OK;
}

/* The last max_lines lines of the whole text: where the caret is, so the
 * resident sees what they type even when the text outgrows the box. */
static lobby_err layout_tail(kiosk_widget *w, kiosk_text *text, int px, int width, int max_lines, bool priv)
{
  lobby_err err = kiosk_text_layout(text, w->text, px, w->bold, width, 0, false, priv, &w->layout);
  kiosk_layout *l = &w->layout;
  if (err != LOBBY_OK || l->n_lines <= max_lines)
    return err;
  int drop = l->n_lines - max_lines;
  memmove(l->lines, l->lines + drop, (size_t)max_lines * sizeof l->lines[0]);
  l->n_lines = max_lines;
  l->max_width = 0;
  for (int i = 0; i < l->n_lines; i++)
    if (l->lines[i].width > l->max_width)
      l->max_width = l->lines[i].width;
  return LOBBY_OK;
}

static lobby_err layout_widget(kiosk_widget *w, kiosk_text *text, const kiosk_ui *ui)
{
  SDL_Rect icon, area;
  widget_areas(w, &icon, &area);
  bool ellipsis = (w->flags & KF_ELLIPSIS) != 0;
  bool priv = (w->flags & KF_PRIVATE) != 0;
  int px = w->font_px;
  int min_px = (w->flags & KF_SHRINK) ? px * 7 / 10 : px;
  lobby_err err = LOBBY_OK;
  for (;;) {
    kiosk_layout_free(&w->layout);
    w->line_h = kiosk_text_line_height(text, px, w->bold);
    int fit = w->line_h > 0 ? area.h / w->line_h : 1;
    /* A single line may be a little taller than its box; glyphs sit well
     * inside the line skip. */
    if (fit < 1 && area.h >= px)
      fit = 1;
    int max_lines = w->max_lines > 0 && w->max_lines < fit ? w->max_lines : fit;
    if (max_lines < 1)
      max_lines = 1;
    if (w->flags & KF_TAIL)
      err = layout_tail(w, text, px, area.w > 1 ? area.w : 1, max_lines, priv);
    else
      err = kiosk_text_layout(text, w->text, px, w->bold, area.w > 1 ? area.w : 1, max_lines, ellipsis,
                              priv, &w->layout);
    if (err != LOBBY_OK)
      return err;
    bool over = w->layout.overflow || fit < 1 || w->layout.max_width > area.w;
    /* A widget that may shrink does so before its text is cut. */
    bool smaller = over || w->layout.ellipsized;
    if (!smaller || px <= min_px) {
      w->used_px = px;
      if (over)
        w->flags |= KF_OVERFLOW;
      else if ((w->flags & KF_BALANCE) && w->layout.n_lines > 1 && !w->layout.ellipsized)
        err = balance(w, text, area.w, max_lines, priv);
      if (err != LOBBY_OK)
        return err;
      break;
    }
    px = px * 9 / 10 > min_px ? px * 9 / 10 : min_px;
  }
  (void)ui;
  return LOBBY_OK;
}

lobby_err kiosk_ui_finish(kiosk_ui *ui, kiosk_text *text)
{
  SDL_Rect screen = {0, 0, ui->width, ui->height};
  for (int i = 0; i < ui->n; i++) {
    kiosk_widget *w = &ui->w[i];
    if (w->clip >= 0) {
      SDL_Rect vis;
      if (!SDL_IntersectRect(&w->rect, &ui->clips[w->clip], &vis))
        w->flags |= KF_HIDDEN;
    } else if (!kiosk_rect_inside(w->rect, screen)) {
      w->flags |= KF_OVERFLOW;
    }
    if (w->flags & KF_HIDDEN)
      continue;
    if (w->text[0] && w->role != KW_QR && !(w->flags & KF_NOTEXT)) {
      lobby_err err = layout_widget(w, text, ui);
      if (err != LOBBY_OK)
        return err;
    } else if (w->role == KW_FIELD) {
      /* An empty field still needs a full-height caret. */
      w->used_px = w->font_px;
      w->line_h = kiosk_text_line_height(text, w->font_px, w->bold);
    }
  }
  return LOBBY_OK;
}

static bool in_clip(const kiosk_ui *ui, const kiosk_widget *w, int x, int y)
{
  if (w->clip < 0)
    return true;
  SDL_Point pt = {x, y};
  return SDL_PointInRect(&pt, &ui->clips[w->clip]);
}

const kiosk_widget *kiosk_ui_hit(const kiosk_ui *ui, int x, int y)
{
  SDL_Point pt = {x, y};
  for (int i = ui->n - 1; i >= 0; i--) {
    const kiosk_widget *w = &ui->w[i];
    if (!w->action || (w->flags & (KF_HIDDEN | KF_DISABLED)))
      continue;
    if (SDL_PointInRect(&pt, &w->rect) && in_clip(ui, w, x, y))
      return w;
  }
  return NULL;
}

const kiosk_widget *kiosk_ui_find(const kiosk_ui *ui, const char *text, bool tappable)
{
  for (int pass = 0; pass < 4; pass++) {
    bool exact = pass < 2, want_tap = pass % 2 == 0;
    if (tappable && !want_tap)
      continue;
    for (int i = 0; i < ui->n; i++) {
      const kiosk_widget *w = &ui->w[i];
      if (w->flags & KF_HIDDEN)
        continue;
      if (want_tap && (!w->action || (w->flags & KF_DISABLED)))
        continue;
      if (exact ? strcmp(w->text, text) == 0 : strstr(w->text, text) != NULL)
        return w;
    }
  }
  return NULL;
}

int kiosk_ui_overflow_count(const kiosk_ui *ui)
{
  int n = 0;
  for (int i = 0; i < ui->n; i++)
    if ((ui->w[i].flags & (KF_OVERFLOW | KF_HIDDEN)) == KF_OVERFLOW)
      n++;
  return n;
}

/* A line that holds (part of) a composition: the text before it as usual,
 * then the composition in the accent colour over an underline, as a
 * desktop input method marks what is not yet chosen. */
static void draw_marked_line(const kiosk_widget *w, SDL_Renderer *ren, kiosk_text *text, const kiosk_line *ln,
                             size_t marked_from, int x, int y)
{
  bool priv = (w->flags & KF_PRIVATE) != 0;
  size_t plain = marked_from > ln->start ? marked_from - ln->start : 0;
  const char *start = w->text + ln->start;
  if (plain > 0) {
    kiosk_text_draw(text, start, plain, false, w->used_px, w->bold, w->fg, x, y, priv);
    x += kiosk_text_measure(text, w->used_px, w->bold, start, plain);
  }
  size_t marked = ln->len - plain;
  SDL_Color accent = kiosk_rgb(CARET_COLOR);
  kiosk_text_draw(text, start + plain, marked, false, w->used_px, w->bold, accent, x, y, priv);
  int width = kiosk_text_measure(text, w->used_px, w->bold, start + plain, marked);
  int thick = w->line_h / 16 > 2 ? w->line_h / 16 : 2;
  kiosk_fill_rect(ren, (SDL_Rect){x, y + w->line_h - thick * 2, width, thick}, accent);
}

static void draw_text(const kiosk_widget *w, SDL_Renderer *ren, kiosk_text *text, SDL_Rect area,
                      const SDL_Rect *clip)
{
  const kiosk_layout *l = &w->layout;
  int total = l->n_lines * w->line_h;
  int y = (w->flags & KF_TOP) ? area.y : area.y + (area.h - total) / 2;
  bool priv = (w->flags & KF_PRIVATE) != 0;
  size_t text_len = strlen(w->text);
  size_t marked_from = w->marked_len > 0 && (size_t)w->marked_len <= text_len ? text_len - (size_t)w->marked_len
                                                                              : SIZE_MAX;
  for (int i = 0; i < l->n_lines; i++) {
    const kiosk_line *ln = &l->lines[i];
    /* Lines scrolled out of view are neither rendered nor drawn. */
    if (clip && (y + w->line_h <= clip->y || y >= clip->y + clip->h)) {
      y += w->line_h;
      continue;
    }
    int x = area.x;
    if (w->align == KA_CENTER)
      x = area.x + (area.w - ln->width) / 2;
    else if (w->align == KA_RIGHT)
      x = area.x + area.w - ln->width;
    bool ell = l->ellipsized && i == l->n_lines - 1;
    if (marked_from < ln->start + ln->len)
      draw_marked_line(w, ren, text, ln, marked_from, x, y);
    else
      kiosk_text_draw(text, w->text + ln->start, ln->len, ell, w->used_px, w->bold, w->fg, x, y, priv);
    y += w->line_h;
  }
  if (w->role == KW_FIELD && (w->flags & KF_FOCUSED)) {
    /* A caret after the last character shows where typing goes. */
    int cx = area.x, cy = (w->flags & KF_TOP) ? area.y : area.y + (area.h - w->line_h) / 2;
    if (l->n_lines > 0) {
      cx += l->lines[l->n_lines - 1].width + 2;
      cy = (w->flags & KF_TOP) ? area.y + (l->n_lines - 1) * w->line_h
                               : area.y + (area.h - total) / 2 + (l->n_lines - 1) * w->line_h;
    }
    kiosk_fill_rect(ren, (SDL_Rect){cx, cy + w->line_h / 8, 3, w->line_h * 3 / 4}, kiosk_rgb(CARET_COLOR));
  }
}

static void draw_widget(const kiosk_widget *w, SDL_Renderer *ren, kiosk_text *text, const SDL_Rect *clip)
{
  if (w->bg.a) {
    if (w->border_w > 0 && w->border.a)
      kiosk_frame_round(ren, w->rect, w->radius, w->border_w, w->border, w->bg);
    else
      kiosk_fill_round(ren, w->rect, w->radius, w->bg);
  }
  if (w->role == KW_QR) {
    kiosk_qr_draw(ren, w->text, w->rect);
    return;
  }
  if (w->role == KW_PICTURE) {
    if (w->picture)
      SDL_RenderCopy(ren, w->picture, NULL, &w->rect);
    return;
  }
  SDL_Rect icon, area;
  widget_areas(w, &icon, &area);
  if (w->role == KW_ICON && w->icon != ICON_NONE)
    kiosk_icon_draw(ren, (kiosk_icon)w->icon, w->rect, w->icon_fg, w->bg.a ? w->bg : kiosk_rgb(0xFFFFFF));
  else if (w->icon != ICON_NONE)
    kiosk_icon_draw(ren, (kiosk_icon)w->icon, icon, w->icon_fg, w->bg.a ? w->bg : kiosk_rgb(0xFFFFFF));
  if (w->flags & KF_NOTEXT)
    return;
  if (w->text[0] || (w->role == KW_FIELD && (w->flags & KF_FOCUSED)))
    draw_text(w, ren, text, area, clip);
}

void kiosk_ui_draw(const kiosk_ui *ui, SDL_Renderer *ren, kiosk_text *text)
{
  kiosk_ui_draw_region(ui, ren, text, NULL);
}

/* The clip for widgets of scroll view clip, narrowed to region; false when
 * nothing of it is visible. */
static bool clip_for(const kiosk_ui *ui, int clip, const SDL_Rect *region, SDL_Rect *out)
{
  if (clip < 0 && !region)
    return true;
  if (clip < 0) {
    *out = *region;
    return true;
  }
  if (!region) {
    *out = ui->clips[clip];
    return true;
  }
  return SDL_IntersectRect(&ui->clips[clip], region, out);
}

void kiosk_ui_draw_region(const kiosk_ui *ui, SDL_Renderer *ren, kiosk_text *text, const SDL_Rect *region)
{
  SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_BLEND);
  int clip = -2;
  bool visible = true;
  SDL_Rect cr;
  for (int i = 0; i < ui->n; i++) {
    const kiosk_widget *w = &ui->w[i];
    if (w->flags & KF_HIDDEN)
      continue;
    if (region && !SDL_HasIntersection(&w->rect, region))
      continue;
    if (w->clip != clip) {
      clip = w->clip;
      visible = clip_for(ui, clip, region, &cr);
      SDL_RenderSetClipRect(ren, clip < 0 && !region ? NULL : &cr);
    }
    if (visible)
      draw_widget(w, ren, text, clip >= 0 ? &ui->clips[clip] : NULL);
  }
  SDL_RenderSetClipRect(ren, NULL);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 1099511628211ULL;
  }
  return h;
}

#define FNV_FIELD(h, f) ((h) = fnv((h), &(f), sizeof(f)))

static uint64_t widget_hash(const kiosk_ui *ui, const kiosk_widget *w)
{
  uint64_t h = 14695981039346656037ULL;
  h = fnv(h, w->text, strlen(w->text) + 1);
  FNV_FIELD(h, w->role);
  FNV_FIELD(h, w->font_px);
  FNV_FIELD(h, w->used_px);
  FNV_FIELD(h, w->bold);
  FNV_FIELD(h, w->fg);
  FNV_FIELD(h, w->bg);
  FNV_FIELD(h, w->border);
  FNV_FIELD(h, w->border_w);
  FNV_FIELD(h, w->radius);
  FNV_FIELD(h, w->pad);
  FNV_FIELD(h, w->align);
  FNV_FIELD(h, w->max_lines);
  FNV_FIELD(h, w->icon);
  FNV_FIELD(h, w->icon_fg);
  FNV_FIELD(h, w->clip);
  FNV_FIELD(h, w->flags);
  FNV_FIELD(h, w->marked_len);
  FNV_FIELD(h, w->picture_serial);
  if (w->clip >= 0)
    FNV_FIELD(h, ui->clips[w->clip]);
  return h;
}

lobby_err kiosk_ui_signatures(const kiosk_ui *ui, kiosk_ui_sigs *out)
{
  if (ui->n > out->cap) {
    int cap = ui->n + 64;
    kiosk_widget_sig *v = realloc(out->v, (size_t)cap * sizeof *v);
    if (!v)
      return LOBBY_ENOMEM;
    out->v = v;
    out->cap = cap;
  }
  out->n = ui->n;
  for (int i = 0; i < ui->n; i++) {
    const kiosk_widget *w = &ui->w[i];
    out->v[i].rect = w->rect;
    out->v[i].clip = w->clip;
    /* A hidden widget draws nothing wherever it is. */
    out->v[i].hash = (w->flags & KF_HIDDEN) ? 0 : widget_hash(ui, w);
    if (w->flags & KF_HIDDEN)
      out->v[i].rect = (SDL_Rect){0, 0, 0, 0};
  }
  return LOBBY_OK;
}

void kiosk_ui_sigs_free(kiosk_ui_sigs *s)
{
  free(s->v);
  memset(s, 0, sizeof *s);
}

/* Rectangles that overlap or touch are drawn as one. */
static bool near(const SDL_Rect *a, const SDL_Rect *b)
{
  return a->x <= b->x + b->w && b->x <= a->x + a->w && a->y <= b->y + b->h && b->y <= a->y + a->h;
}

static long area(const SDL_Rect *r)
{
  return (long)r->w * r->h;
}

/* With every slot taken, the two rectangles whose box adds the least
 * area are drawn as one. */
static void merge_closest(kiosk_damage *d)
{
  long best = -1;
  int bi = 0, bj = 1;
  for (int i = 0; i < d->n; i++)
    for (int j = i + 1; j < d->n; j++) {
      SDL_Rect u;
      SDL_UnionRect(&d->r[i], &d->r[j], &u);
      long grows = area(&u) - area(&d->r[i]) - area(&d->r[j]);
      if (best < 0 || grows < best) {
        best = grows;
        bi = i;
        bj = j;
      }
    }
  SDL_Rect u;
  SDL_UnionRect(&d->r[bi], &d->r[bj], &u);
  d->r[bj] = d->r[--d->n]; /* bi < bj: bi is still in place */
  d->r[bi] = d->r[--d->n];
  kiosk_damage_add(d, u); /* the box may now reach others */
}

void kiosk_damage_add(kiosk_damage *d, SDL_Rect r)
{
  if (r.w <= 0 || r.h <= 0)
    return;
  /* Merging may make r reach others: take them in until none is near. */
  for (int i = 0; i < d->n;) {
    if (near(&d->r[i], &r)) {
      SDL_UnionRect(&r, &d->r[i], &r);
      d->r[i] = d->r[--d->n];
      i = 0;
    } else {
      i++;
    }
  }
  d->r[d->n++] = r;
  if (d->n == KIOSK_DAMAGE_RECTS)
    merge_closest(d);
}

bool kiosk_ui_damage(const kiosk_ui_sigs *before, const kiosk_ui_sigs *after, kiosk_damage *out)
{
  int n = before->n > after->n ? before->n : after->n;
  for (int i = 0; i < n; i++) {
    const kiosk_widget_sig *a = i < before->n ? &before->v[i] : NULL;
    const kiosk_widget_sig *b = i < after->n ? &after->v[i] : NULL;
    if (a && b && a->hash == b->hash && SDL_RectEquals(&a->rect, &b->rect))
      continue;
    if (a)
      kiosk_damage_add(out, a->rect);
    if (b)
      kiosk_damage_add(out, b->rect);
  }
  return out->n > 0;
}

static bool same_size_at_x(const SDL_Rect *a, const SDL_Rect *b)
{
  return a->x == b->x && a->w == b->w && a->h == b->h;
}

/* The first widget of a scroll view that only moved between the frames
 * gives the view and how far it moved up. */
static bool find_scroll(const kiosk_ui_sigs *before, const kiosk_ui_sigs *after, int *clip, int *dy)
{
  for (int i = 0; i < after->n; i++) {
    const kiosk_widget_sig *a = &before->v[i], *b = &after->v[i];
    if (a->hash && a->hash == b->hash && b->clip >= 0 && a->clip == b->clip &&
        same_size_at_x(&a->rect, &b->rect) && a->rect.y != b->rect.y) {
      *clip = b->clip;
      *dy = a->rect.y - b->rect.y;
      return true;
    }
  }
  return false;
}

/* A widget outside the view whose pixels moving the view's would spoil:
 * one drawn over the view, or one behind it that is not plain there
 * (text, an icon, or an edge or corner inside the view). */
static bool spoils_move(const kiosk_ui *ui, int i, int first_in_view, const SDL_Rect *view)
{
  const kiosk_widget *w = &ui->w[i];
  if ((w->flags & KF_HIDDEN) || !SDL_HasIntersection(&w->rect, view))
    return false;
  if (i > first_in_view || w->text[0] || w->icon >= 0 || w->role == KW_QR || w->role == KW_PICTURE)
    return true;
  /* A rounded corner leaves the square inset by r (1 - 1/sqrt 2) plain. */
  int corner = w->radius - w->radius * 707 / 1000 + 1;
  int edge = corner > w->border_w ? corner : w->border_w;
  SDL_Rect inner = {w->rect.x + edge, w->rect.y + edge, w->rect.w - 2 * edge, w->rect.h - 2 * edge};
  SDL_Rect both;
  return !SDL_IntersectRect(&inner, view, &both) || !SDL_RectEquals(&both, view);
}

bool kiosk_ui_damage_scrolled(const kiosk_ui *ui, const kiosk_ui_sigs *before, const kiosk_ui_sigs *after,
                              SDL_Rect *view, int *dy, kiosk_damage *out)
{
  int clip = -1, first_in_view = -1;
  if (before->n != after->n || after->n != ui->n || !find_scroll(before, after, &clip, dy))
    return false;
  *view = ui->clips[clip];
  if (*dy == 0 || abs(*dy) >= view->h)
    return false;
  for (int i = 0; i < ui->n && first_in_view < 0; i++)
    if (ui->w[i].clip == clip)
      first_in_view = i;
  for (int i = 0; i < after->n; i++) {
    const kiosk_widget_sig *a = &before->v[i], *b = &after->v[i];
    if (b->clip != clip) {
      if (spoils_move(ui, i, first_in_view, view))
        return false;
      if (a->hash != b->hash || !SDL_RectEquals(&a->rect, &b->rect)) {
        kiosk_damage_add(out, a->rect);
        kiosk_damage_add(out, b->rect);
      }
      continue;
    }
    if (a->hash && a->hash == b->hash && same_size_at_x(&a->rect, &b->rect) && b->rect.y == a->rect.y - *dy)
      continue;
    SDL_Rect r;
    if (SDL_IntersectRect(&a->rect, view, &r))
      kiosk_damage_add(out, r);
    if (SDL_IntersectRect(&b->rect, view, &r))
      kiosk_damage_add(out, r);
  }
  SDL_Rect strip = {view->x, *dy > 0 ? view->y + view->h - *dy : view->y, view->w, abs(*dy)};
  kiosk_damage_add(out, strip);
  return true;
}

lobby_err kiosk_ui_dump_json(const kiosk_ui *ui, FILE *out)
{
  json_t *root = json_object();
  json_t *list = json_array();
  if (!root || !list) {
    json_decref(root);
    json_decref(list);
    return LOBBY_ENOMEM;
  }
  json_object_set_new(root, "screen", json_string(ui->screen ? ui->screen : ""));
  json_object_set_new(root, "width", json_integer(ui->width));
  json_object_set_new(root, "height", json_integer(ui->height));
  json_object_set_new(root, "overflow_count", json_integer(kiosk_ui_overflow_count(ui)));
  for (int i = 0; i < ui->n; i++) {
    const kiosk_widget *w = &ui->w[i];
    if (w->flags & KF_HIDDEN)
      continue;
    json_t *o = json_pack("{s:s, s:s, s:[i,i,i,i], s:b}", "role", kiosk_role_name(w->role), "text",
                          w->text, "rect", w->rect.x, w->rect.y, w->rect.w, w->rect.h, "overflow",
                          (w->flags & KF_OVERFLOW) != 0);
    if (!o)
      continue;
    if (w->action)
      json_object_set_new(o, "tappable", json_true());
    if (w->flags & KF_FOCUSED)
      json_object_set_new(o, "focused", json_true());
    if (w->flags & KF_ERROR)
      json_object_set_new(o, "error", json_true());
    if (w->flags & KF_SELECTED)
      json_object_set_new(o, "selected", json_true());
    if (w->flags & KF_HIGHLIGHT)
      json_object_set_new(o, "highlight", json_true());
    if (w->flags & KF_PRIVATE)
      json_object_set_new(o, "private", json_true());
    if (w->text[0] && w->role != KW_QR && !(w->flags & KF_NOTEXT))
      json_object_set_new(o, "font_px", json_integer(w->used_px));
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "widgets", list);
  int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_ENSURE_ASCII * 0 | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return rc == 0 ? LOBBY_OK : LOBBY_EIO;
}
