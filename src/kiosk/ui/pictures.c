#include "pictures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kiosk_picture *kiosk_pictures_find(kiosk_pictures *p, const char *key)
{
  for (int i = 0; i < p->n; i++)
    if (strcmp(p->v[i].key, key) == 0)
      return &p->v[i];
  return NULL;
}

lobby_err kiosk_pictures_add(kiosk_pictures *p, const char *key, kiosk_picture **out)
{
  if (strlen(key) >= KIOSK_PICTURE_KEY_SIZE)
    return LOBBY_EINVAL;
  if (p->n == p->cap) {
    int cap = p->cap ? p->cap * 2 : 8;
    kiosk_picture *v = realloc(p->v, (size_t)cap * sizeof *v);
    if (!v)
      return LOBBY_ENOMEM;
    p->v = v;
    p->cap = cap;
  }
  kiosk_picture *pic = &p->v[p->n++];
  memset(pic, 0, sizeof *pic);
  snprintf(pic->key, sizeof pic->key, "%s", key);
  pic->state = KIOSK_PICTURE_PENDING;
  pic->wanted = true;
  *out = pic;
  return LOBBY_OK;
}

static void drop_texture(kiosk_picture *pic)
{
  if (pic->texture)
    SDL_DestroyTexture(pic->texture);
  pic->texture = NULL;
}

void kiosk_picture_set_surface(kiosk_picture *pic, SDL_Surface *surface)
{
  drop_texture(pic);
  if (pic->surface)
    SDL_FreeSurface(pic->surface);
  pic->surface = surface;
  pic->w = surface->w;
  pic->h = surface->h;
  pic->state = KIOSK_PICTURE_READY;
}

lobby_err kiosk_picture_texture(kiosk_pictures *p, kiosk_picture *pic, SDL_Renderer *ren, SDL_Texture **out)
{
  if (pic->state != KIOSK_PICTURE_READY || !ren || (!pic->texture && !pic->surface))
    return LOBBY_ENOTFOUND;
  if (!pic->texture) {
    pic->texture = SDL_CreateTextureFromSurface(ren, pic->surface);
    if (!pic->texture)
      return LOBBY_ENOMEM;
    /* Pictures are mostly shown smaller than they are: linear filtering
     * keeps their edges from jagging. */
    SDL_SetTextureScaleMode(pic->texture, SDL_ScaleModeLinear);
    pic->serial = ++p->next_serial;
    /* The texture holds the pixels now; keeping both doubled the memory
     * of ten posters. */
    SDL_FreeSurface(pic->surface);
    pic->surface = NULL;
  }
  *out = pic->texture;
  return LOBBY_OK;
}

void kiosk_pictures_forget_textures(kiosk_pictures *p)
{
  for (int i = 0; i < p->n; i++) {
    p->v[i].texture = NULL;
    if (p->v[i].state == KIOSK_PICTURE_READY && !p->v[i].surface)
      p->v[i].state = KIOSK_PICTURE_PENDING;
  }
}

void kiosk_pictures_unmark(kiosk_pictures *p)
{
  for (int i = 0; i < p->n; i++)
    p->v[i].wanted = false;
}

static void picture_free(kiosk_picture *pic)
{
  drop_texture(pic);
  if (pic->surface)
    SDL_FreeSurface(pic->surface);
  pic->surface = NULL;
}

void kiosk_pictures_sweep(kiosk_pictures *p)
{
  int k = 0;
  for (int i = 0; i < p->n; i++) {
    if (p->v[i].wanted)
      p->v[k++] = p->v[i];
    else
      picture_free(&p->v[i]);
  }
  p->n = k;
}

void kiosk_pictures_free(kiosk_pictures *p)
{
  for (int i = 0; i < p->n; i++)
    picture_free(&p->v[i]);
  free(p->v);
  memset(p, 0, sizeof *p);
}

SDL_Rect kiosk_picture_fit(int w, int h, SDL_Rect box)
{
  if (w <= 0 || h <= 0 || box.w <= 0 || box.h <= 0)
    return (SDL_Rect){box.x, box.y, 0, 0};
  /* The smallest of the box's two ratios and 2, in integer arithmetic so
   * the aspect is kept to a pixel. */
  long fw = box.w, fh = (long)box.w * h / w;
  if (fh > box.h) {
    fh = box.h;
    fw = (long)box.h * w / h;
  }
  if (fw > 2L * w) {
    fw = 2L * w;
    fh = 2L * h;
  }
  SDL_Rect r = {box.x + (box.w - (int)fw) / 2, box.y + (box.h - (int)fh) / 2, (int)fw, (int)fh};
  return r;
}

/* Sums the source's pixels in rows [y0, y1) and columns [x0, x1) into one
 * average pixel. */
static Uint32 box_average(const SDL_Surface *src, int x0, int x1, int y0, int y1)
{
  Uint64 a = 0, r = 0, g = 0, b = 0;
  for (int y = y0; y < y1; y++) {
    const Uint32 *row = (const Uint32 *)((const Uint8 *)src->pixels + (size_t)y * (size_t)src->pitch);
    for (int x = x0; x < x1; x++) {
      Uint32 p = row[x];
      a += p >> 24, r += (p >> 16) & 0xFF, g += (p >> 8) & 0xFF, b += p & 0xFF;
    }
  }
  Uint64 n = (Uint64)(x1 - x0) * (Uint64)(y1 - y0);
  return (Uint32)(a / n) << 24 | (Uint32)(r / n) << 16 | (Uint32)(g / n) << 8 | (Uint32)(b / n);
}

lobby_err kiosk_picture_shrink(SDL_Surface *src, int max_w, int max_h, SDL_Surface **out)
{
  if (!src || src->format->format != SDL_PIXELFORMAT_ARGB8888 || max_w <= 0 || max_h <= 0)
    return LOBBY_EINVAL;
  if (src->w <= max_w && src->h <= max_h) {
    *out = src;
    return LOBBY_OK;
  }
  /* The larger shrink of the two sides decides, so both fit. */
  int dw = max_w, dh = max_h;
  if ((Sint64)src->w * max_h > (Sint64)src->h * max_w)
    dh = (int)((Sint64)src->h * max_w / src->w);
  else
    dw = (int)((Sint64)src->w * max_h / src->h);
  dw = dw > 0 ? dw : 1, dh = dh > 0 ? dh : 1;
  SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, dw, dh, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!dst)
    return LOBBY_ENOMEM;
  if (SDL_MUSTLOCK(src) && SDL_LockSurface(src) != 0) {
    SDL_FreeSurface(dst);
    return LOBBY_EIO;
  }
  for (int y = 0; y < dh; y++) {
    int y0 = (int)((Sint64)y * src->h / dh), y1 = (int)((Sint64)(y + 1) * src->h / dh);
    Uint32 *row = (Uint32 *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch);
    for (int x = 0; x < dw; x++) {
      int x0 = (int)((Sint64)x * src->w / dw), x1 = (int)((Sint64)(x + 1) * src->w / dw);
      row[x] = box_average(src, x0, x1 > x0 ? x1 : x0 + 1, y0, y1 > y0 ? y1 : y0 + 1);
    }
  }
  if (SDL_MUSTLOCK(src))
    SDL_UnlockSurface(src);
  *out = dst;
  return LOBBY_OK;
}
