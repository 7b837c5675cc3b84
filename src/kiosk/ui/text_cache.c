#include "text_cache.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lobby_log.h"
#include "lru.h"

#define TEXTURE_COUNT_MAX 768
#define TEXTURE_BYTES_MAX (48u * 1024u * 1024u)
#define LAYOUT_COUNT_MAX 1024

/* One face per weight, resized on use.  Opening a Noto CJK face costs
 * about 2 ms and a megabyte or more (FreeType reads the CFF tables of
 * 65,000 glyphs), while changing its size costs microseconds; SDL_ttf's
 * glyph cache, which a size change empties, holds only 256 glyphs anyway,
 * and whole rendered runs are cached here. */
typedef struct {
  TTF_Font *font;
  int px;
  bool open_failed;
  /* The font file, mapped: FreeType reads a glyph's outline from it on
   * every glyph it loads, and through a FILE each of those reads was a
   * seek and a read system call. */
  void *map;
  size_t map_size;
} font_face;

struct kiosk_text {
  SDL_Renderer *ren;
  char font_path[512], bold_path[512];
  int face_index;
  font_face faces[2]; /* regular, bold */
  kiosk_lru *textures;
  kiosk_lru *layouts;
};

typedef struct {
  SDL_Texture *tex;
  int w, h;
} cached_tex;

static void free_tex(void *v)
{
  cached_tex *c = v;
  SDL_DestroyTexture(c->tex);
  free(c);
}

static void free_layout(void *v)
{
  kiosk_layout *l = v;
  kiosk_layout_free(l);
  free(l);
}

lobby_err kiosk_text_new(SDL_Renderer *ren, const char *font_path, const char *bold_path,
                         int face_index, kiosk_text **out)
{
  if (!TTF_WasInit() && TTF_Init() != 0)
    return LOBBY_EIO;
  kiosk_text *t = calloc(1, sizeof *t);
  if (!t)
    return LOBBY_ENOMEM;
  t->ren = ren;
  snprintf(t->font_path, sizeof t->font_path, "%s", font_path);
  snprintf(t->bold_path, sizeof t->bold_path, "%s", bold_path && *bold_path ? bold_path : font_path);
  t->face_index = face_index;
  if (kiosk_lru_new(TEXTURE_COUNT_MAX, TEXTURE_BYTES_MAX, free_tex, &t->textures) != LOBBY_OK ||
      kiosk_lru_new(LAYOUT_COUNT_MAX, 0, free_layout, &t->layouts) != LOBBY_OK) {
    kiosk_text_free(t);
    return LOBBY_ENOMEM;
  }
  /* Fail early when the font is missing rather than drawing nothing. */
  if (!kiosk_text_font(t, 32, false)) {
    kiosk_text_free(t);
    return LOBBY_ENOTFOUND;
  }
  *out = t;
  return LOBBY_OK;
}

void kiosk_text_set_renderer(kiosk_text *t, SDL_Renderer *ren)
{
  t->ren = ren;
}

void kiosk_text_free(kiosk_text *t)
{
  if (!t)
    return;
  kiosk_lru_free(t->textures);
  kiosk_lru_free(t->layouts);
  for (int i = 0; i < 2; i++) {
    if (t->faces[i].font)
      TTF_CloseFont(t->faces[i].font);
    if (t->faces[i].map)
      munmap(t->faces[i].map, t->faces[i].map_size);
  }
  free(t);
}

static TTF_Font *open_mapped(font_face *face, const char *path, int px, int face_index)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    TTF_SetError("cannot open %s", path);
    return NULL;
  }
  struct stat st;
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size > 0)
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    TTF_SetError("cannot map %s", path);
    return NULL;
  }
  SDL_RWops *rw = SDL_RWFromConstMem(map, (int)st.st_size);
  TTF_Font *font = rw ? TTF_OpenFontIndexRW(rw, 1, px, face_index) : NULL;
  if (!font) {
    munmap(map, (size_t)st.st_size);
    return NULL;
  }
  face->map = map;
  face->map_size = (size_t)st.st_size;
  return font;
}

static TTF_Font *open_face(kiosk_text *t, int px, bool bold)
{
  font_face *face = &t->faces[bold ? 1 : 0];
  if (face->font || face->open_failed)
    return face->font;
  face->font = open_mapped(face, bold ? t->bold_path : t->font_path, px, t->face_index);
  if (!face->font && bold)
    face->font = open_mapped(face, t->font_path, px, t->face_index);
  if (!face->font) {
    LOBBY_ERROR("cannot open font %s: %s", bold ? t->bold_path : t->font_path, TTF_GetError());
    face->open_failed = true;
    return NULL;
  }
  face->px = px;
  return face->font;
}

TTF_Font *kiosk_text_font(kiosk_text *t, int px, bool bold)
{
  if (px < 6)
    px = 6;
  TTF_Font *f = open_face(t, px, bold);
  font_face *face = &t->faces[bold ? 1 : 0];
  if (f && face->px != px) {
    if (TTF_SetFontSize(f, px) != 0) {
      LOBBY_ERROR("cannot size font at %d px: %s", px, TTF_GetError());
      return NULL;
    }
    face->px = px;
  }
  return f;
}

int kiosk_text_line_height(kiosk_text *t, int px, bool bold)
{
  TTF_Font *f = kiosk_text_font(t, px, bold);
  return f ? TTF_FontLineSkip(f) : px;
}

int kiosk_text_measure(kiosk_text *t, int px, bool bold, const char *s, size_t len)
{
  TTF_Font *f = kiosk_text_font(t, px, bold);
  if (!f || len == 0)
    return 0;
  char stackbuf[1024];
  char *buf = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
  if (!buf)
    return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  int w = 0, h = 0;
  if (TTF_SizeUTF8(f, buf, &w, &h) != 0)
    w = 0;
  if (buf != stackbuf)
    free(buf);
  return w;
}

typedef struct {
  kiosk_text *t;
  int px;
  bool bold;
} measure_ctx;

static int measure_cb(void *ctx, const char *s, size_t len)
{
  measure_ctx *m = ctx;
  return kiosk_text_measure(m->t, m->px, m->bold, s, len);
}

/* Key: fixed header then the text bytes. */
static size_t make_key(char *key, size_t cap, const char *s, size_t len, long a, long b, long c, long d)
{
  int n = snprintf(key, cap, "%ld|%ld|%ld|%ld|", a, b, c, d);
  if (n < 0 || (size_t)n + len > cap)
    return 0;
  memcpy(key + n, s, len);
  return (size_t)n + len;
}

static lobby_err copy_layout(const kiosk_layout *src, kiosk_layout *dst)
{
  *dst = *src;
  dst->lines = NULL;
  if (src->n_lines == 0)
    return LOBBY_OK;
  dst->lines = malloc((size_t)src->n_lines * sizeof *dst->lines);
  if (!dst->lines)
    return LOBBY_ENOMEM;
  memcpy(dst->lines, src->lines, (size_t)src->n_lines * sizeof *dst->lines);
  return LOBBY_OK;
}

lobby_err kiosk_text_layout(kiosk_text *t, const char *s, int px, bool bold, int max_w,
                            int max_lines, bool ellipsis, bool private_data, kiosk_layout *out)
{
  size_t len = strlen(s);
  char stackkey[2048];
  char *key = stackkey;
  size_t cap = len + 64;
  if (cap > sizeof stackkey && !(key = malloc(cap)))
    return LOBBY_ENOMEM;
  if (cap <= sizeof stackkey)
    cap = sizeof stackkey;
  size_t klen = make_key(key, cap, s, len, px * 2 + bold, max_w, max_lines, ellipsis);
  const kiosk_layout *hit = kiosk_lru_get(t->layouts, key, klen);
  lobby_err err;
  if (hit) {
    err = copy_layout(hit, out);
  } else {
    measure_ctx m = {t, px, bold};
    err = kiosk_layout_text(s, max_w, max_lines, ellipsis, measure_cb, &m, out);
    kiosk_layout *keep = err == LOBBY_OK ? malloc(sizeof *keep) : NULL;
    if (keep && copy_layout(out, keep) == LOBBY_OK) {
      if (kiosk_lru_put(t->layouts, key, klen, keep, 1, private_data) != LOBBY_OK)
        free_layout(keep);
    } else {
      free(keep);
    }
  }
  if (private_data)
    explicit_bzero(key, klen);
  if (key != stackkey)
    free(key);
  return err;
}

static cached_tex *render_run(kiosk_text *t, const char *s, size_t len, bool ellipsis, int px,
                              bool bold, SDL_Color c)
{
  TTF_Font *f = kiosk_text_font(t, px, bold);
  if (!f)
    return NULL;
  size_t n = len + (ellipsis ? strlen(KIOSK_ELLIPSIS) : 0);
  char *buf = malloc(n + 1);
  if (!buf)
    return NULL;
  memcpy(buf, s, len);
  if (ellipsis)
    memcpy(buf + len, KIOSK_ELLIPSIS, strlen(KIOSK_ELLIPSIS));
  buf[n] = '\0';
  SDL_Surface *surf = TTF_RenderUTF8_Blended(f, buf, c);
  explicit_bzero(buf, n);
  free(buf);
  if (!surf)
    return NULL;
  cached_tex *ct = malloc(sizeof *ct);
  if (ct) {
    ct->tex = SDL_CreateTextureFromSurface(t->ren, surf);
    ct->w = surf->w;
    ct->h = surf->h;
    if (!ct->tex) {
      free(ct);
      ct = NULL;
    }
  }
  SDL_FreeSurface(surf);
  return ct;
}

void kiosk_text_draw(kiosk_text *t, const char *s, size_t len, bool ellipsis, int px, bool bold,
                     SDL_Color c, int x, int y, bool private_data)
{
  if (len == 0 && !ellipsis)
    return;
  char stackkey[1024];
  char *key = stackkey;
  size_t cap = len + 64;
  if (cap > sizeof stackkey && !(key = malloc(cap)))
    return;
  if (cap <= sizeof stackkey)
    cap = sizeof stackkey;
  long rgba = ((long)c.r << 24) | ((long)c.g << 16) | ((long)c.b << 8) | (long)c.a;
  size_t klen = make_key(key, cap, s, len, px * 2 + bold, rgba, ellipsis, 0);
  cached_tex *ct = kiosk_lru_get(t->textures, key, klen);
  if (!ct) {
    ct = render_run(t, s, len, ellipsis, px, bold, c);
    if (ct && kiosk_lru_put(t->textures, key, klen, ct, (size_t)ct->w * (size_t)ct->h * 4,
                            private_data) != LOBBY_OK) {
      free_tex(ct);
      ct = NULL;
    }
  }
  if (private_data)
    explicit_bzero(key, klen);
  if (key != stackkey)
    free(key);
  if (!ct)
    return;
  SDL_Rect dst = {x, y, ct->w, ct->h};
  SDL_RenderCopy(t->ren, ct->tex, NULL, &dst);
}

void kiosk_text_purge_private(kiosk_text *t)
{
  kiosk_lru_purge_private(t->textures);
  kiosk_lru_purge_private(t->layouts);
}

void kiosk_text_stats(const kiosk_text *t, size_t *textures, uint64_t *hits, uint64_t *misses)
{
  *textures = kiosk_lru_count(t->textures);
  *hits = kiosk_lru_hits(t->textures);
  *misses = kiosk_lru_misses(t->textures);
}
