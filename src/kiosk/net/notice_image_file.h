/* A notice's picture in the kiosk's state directory, images/<etag>.jpg,
 * and the checks a picture passes before it is kept or decoded.  The
 * network thread writes these files; the decoder reads them.  Built into
 * both the kiosk and its network module, like feed_cache.c. */
#ifndef KIOSK_NOTICE_IMAGE_FILE_H
#define KIOSK_NOTICE_IMAGE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

/* lobbyd's ETag of a picture: the first 32 hex digits of its SHA-256. */
#define KIOSK_IMAGE_ETAG_LEN 32
/* lobbyd keeps a picture as a JPEG of at most 1920 pixels a side, far
 * below these; anything larger is not a picture of ours.  The pixel cap
 * keeps a decoded picture under 64 MiB. */
#define KIOSK_IMAGE_MAX_BYTES (8u * 1024 * 1024)
#define KIOSK_IMAGE_MAX_SIDE 4096
#define KIOSK_IMAGE_MAX_PIXELS (4096L * 4096L)

/* True for 32 lower-case hex digits, so an ETag can name a file. */
bool kiosk_image_etag_valid(const char *etag);
/* $state_dir/images. */
lobby_err kiosk_image_dir(const char *state_dir, char *out, size_t cap);
/* $state_dir/images/<etag>.jpg; LOBBY_EINVAL for an ETag that is not one. */
lobby_err kiosk_image_path(const char *state_dir, const char *etag, char *out, size_t cap);
/* A JPEG's or PNG's size from its header alone; LOBBY_EINVAL when it is
 * neither or the header is cut short. */
lobby_err kiosk_image_probe(const uint8_t *data, size_t len, int *width, int *height);
/* The bytes are the picture etag names (their SHA-256 starts with it),
 * within the size caps, and their header's size within the pixel caps:
 * only then may they be kept or decoded.  LOBBY_ETOOBIG for a picture too
 * large, LOBBY_EINVAL for anything else. */
lobby_err kiosk_image_verify(const uint8_t *data, size_t len, const char *etag, int *width, int *height);

#endif
