/* Decoded pictures on the UI thread, by key (a notice picture's ETag):
 * each a surface from the decoder until its texture of the current
 * renderer is made, then the texture alone (a lost renderer means
 * decoding again).  Also how a picture is fitted into a box. */
#ifndef KIOSK_PICTURES_H
#define KIOSK_PICTURES_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include "lobby_error.h"

#define KIOSK_PICTURE_KEY_SIZE 40

typedef enum {
  KIOSK_PICTURE_PENDING, /* asked of the decoder */
  KIOSK_PICTURE_MISSING, /* no usable file yet: the network thread fetches it */
  KIOSK_PICTURE_READY
} kiosk_picture_state;

typedef struct {
  char key[KIOSK_PICTURE_KEY_SIZE];
  kiosk_picture_state state;
  SDL_Surface *surface;   /* owned; READY until the texture is made */
  SDL_Texture *texture;   /* of the current renderer, or NULL */
  int w, h;               /* the picture's size; READY only */
  unsigned serial;        /* new for every texture, so a frame can tell them apart */
  bool wanted;            /* kiosk_pictures_sweep's mark */
} kiosk_picture;

typedef struct {
  kiosk_picture *v;
  int n, cap;
  unsigned next_serial;
} kiosk_pictures;

kiosk_picture *kiosk_pictures_find(kiosk_pictures *p, const char *key);
/* Adds key in state PENDING; *out is the entry. */
lobby_err kiosk_pictures_add(kiosk_pictures *p, const char *key, kiosk_picture **out);
/* The entry becomes READY with surface, which it takes. */
void kiosk_picture_set_surface(kiosk_picture *pic, SDL_Surface *surface);
/* The entry's texture for ren, made on first use; the surface is freed
 * then. */
lobby_err kiosk_picture_texture(kiosk_pictures *p, kiosk_picture *pic, SDL_Renderer *ren, SDL_Texture **out);
/* The renderer was destroyed, and its textures with it: the pictures
 * left without pixels are PENDING again, to be decoded anew. */
void kiosk_pictures_forget_textures(kiosk_pictures *p);
/* Clears every entry's mark; kiosk_pictures_sweep then frees those not
 * marked again since. */
void kiosk_pictures_unmark(kiosk_pictures *p);
void kiosk_pictures_sweep(kiosk_pictures *p);
void kiosk_pictures_free(kiosk_pictures *p);

/* src (ARGB8888) made to fit in max_w x max_h, aspect kept, each pixel the
 * average of the source pixels it covers (a poster's small print stays
 * legible, where SDL's nearest-pixel scaling drops most of it).  *out is
 * src itself when it fits already; else a new surface, src untouched. */
lobby_err kiosk_picture_shrink(SDL_Surface *src, int max_w, int max_h, SDL_Surface **out);

/* Where a w x h picture goes in box: as large as fits with its aspect
 * kept, never more than twice its size, centred. */
SDL_Rect kiosk_picture_fit(int w, int h, SDL_Rect box);

#endif
