/* Fonts (one face per weight, resized on use), cached line layouts, and
 * an LRU of rendered text textures keyed by string, size, weight and
 * colour: SDL_ttf's own glyph cache is far too small for Chinese, so whole
 * runs are kept instead. */
#ifndef KIOSK_TEXT_CACHE_H
#define KIOSK_TEXT_CACHE_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdbool.h>
#include "lobby_error.h"
#include "text_layout.h"

typedef struct kiosk_text kiosk_text;

lobby_err kiosk_text_new(SDL_Renderer *ren, const char *font_path, const char *bold_path,
                         int face_index, kiosk_text **out);
void kiosk_text_free(kiosk_text *t);
/* For a kiosk_text made without a renderer (NULL): the kiosk opens its
 * fonts on a worker thread while SDL makes the window, then hands the
 * result the window's renderer.  Nothing may be drawn before. */
void kiosk_text_set_renderer(kiosk_text *t, SDL_Renderer *ren);

/* The face of that weight set to px: valid until the next call, which may
 * resize it.  NULL if the font cannot be opened. */
TTF_Font *kiosk_text_font(kiosk_text *t, int px, bool bold);
int kiosk_text_line_height(kiosk_text *t, int px, bool bold);
int kiosk_text_measure(kiosk_text *t, int px, bool bold, const char *s, size_t len);

/* A layout from the cache or freshly made; out->lines is the caller's. */
lobby_err kiosk_text_layout(kiosk_text *t, const char *s, int px, bool bold, int max_w,
                            int max_lines, bool ellipsis, bool private_data, kiosk_layout *out);

/* Draws s[0..len) (plus an ellipsis when asked) with its top-left at x, y. */
void kiosk_text_draw(kiosk_text *t, const char *s, size_t len, bool ellipsis, int px, bool bold,
                     SDL_Color c, int x, int y, bool private_data);

/* Forgets textures and layouts of personal data. */
void kiosk_text_purge_private(kiosk_text *t);
void kiosk_text_stats(const kiosk_text *t, size_t *textures, uint64_t *hits, uint64_t *misses);

#endif
