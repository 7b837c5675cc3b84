/* Decodes the notices' cached pictures on a worker thread of its own, so
 * the UI thread never reads a file or decodes a JPEG.  The UI thread asks
 * with kiosk_decoder_request and takes the surfaces with
 * kiosk_decoder_poll after the wake callback fires; it alone turns them
 * into textures.  A file that is not the picture its name says, or that
 * SDL_image cannot decode, is deleted so the network thread fetches it
 * again. */
#ifndef KIOSK_PICTURE_DECODER_H
#define KIOSK_PICTURE_DECODER_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include "lobby_error.h"

typedef struct kiosk_decoder kiosk_decoder;

typedef struct {
  char etag[40];
  /* LOBBY_OK: surface (ARGB8888) is the caller's.  LOBBY_ENOTFOUND: no
   * file yet.  LOBBY_EINVAL: the file was damaged and is deleted. */
  lobby_err err;
  SDL_Surface *surface;
} kiosk_decoded;

/* wake is called on the worker after each result.  Pictures larger than
 * max_w x max_h (the screen: nothing is drawn larger) are shrunk to fit
 * on the worker, so the UI thread holds and uploads no more pixels than
 * it can show. */
lobby_err kiosk_decoder_start(const char *state_dir, int max_w, int max_h, void (*wake)(void *ctx), void *ctx,
                              kiosk_decoder **out);
/* Stops the worker, dropping what was not yet taken. */
void kiosk_decoder_stop(kiosk_decoder *d);
/* Queues the picture images/<etag>.jpg of the state directory. */
lobby_err kiosk_decoder_request(kiosk_decoder *d, const char *etag);
/* Takes the next result; false when there is none.  Never blocks. */
bool kiosk_decoder_poll(kiosk_decoder *d, kiosk_decoded *out);

#endif
