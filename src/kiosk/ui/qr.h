/* QR codes (libqrencode) drawn as crisp squares with a quiet zone. */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <SDL2/SDL.h>
#include "lobby_error.h"

/* Draws the code for text centred in rect, on white. */
lobby_err kiosk_qr_draw(SDL_Renderer *ren, const char *text, SDL_Rect rect);
/* The number of modules per side, for tests; 0 on failure. */
int kiosk_qr_modules(const char *text);

#endif
