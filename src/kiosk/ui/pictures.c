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
  pic->state = KIOSK_PICTURE_READY;
}

lobby_err kiosk_picture_texture(kiosk_pictures *p, kiosk_picture *pic, SDL_Renderer *ren, SDL_Texture **out)
{
  if (pic->state != KIOSK_PICTURE_READY || !pic->surface || !ren)
    return LOBBY_ENOTFOUND;
  if (!pic->texture) {
    pic->texture = SDL_CreateTextureFromSurface(ren, pic->surface);
    if (!pic->texture)
      return LOBBY_ENOMEM;
    /* Pictures are mostly shown smaller than they are: linear filtering
     * keeps their edges from jagging. */
    SDL_SetTextureScaleMode(pic->texture, SDL_ScaleModeLinear);
    pic->serial = ++p->next_serial;
  }
  *out = pic->texture;
  return LOBBY_OK;
}

void kiosk_pictures_forget_textures(kiosk_pictures *p)
{
  for (int i = 0; i < p->n; i++)
    p->v[i].texture = NULL;
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
