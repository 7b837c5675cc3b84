/* A remote screenshot on the network thread: the frame the UI thread
 * captured (its private areas already blanked) is encoded as a PNG here,
 * never on the UI thread, and sent to lobbyd once; a failure is logged
 * and not retried (staff ask again, and the request lapses anyway). */
#include "kiosk_net_internal.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lobby_log.h"

/* The frame as PNG bytes (malloc'd), in one pass into a buffer of the
 * most lobbyd takes: libpng says when that was too small, which is a
 * screen lobbyd would refuse anyway.  Fast compression: a screen of flat
 * colours compresses well at any level, and the thread has feeds to
 * serve. */
static lobby_err encode_png(const command *cmd, char **out, size_t *len)
{
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = (png_uint_32)cmd->width;
  image.height = (png_uint_32)cmd->height;
  image.format = PNG_FORMAT_BGRA;
  image.flags = PNG_IMAGE_FLAG_FAST;
  png_alloc_size_t size = SCREENSHOT_MAX_BYTES;
  png_int_32 stride = (png_int_32)cmd->width * 4;
  char *bytes = malloc(size);
  if (!bytes)
    return LOBBY_ENOMEM;
  if (!png_image_write_to_memory(&image, bytes, &size, 0, cmd->pixels, stride, NULL)) {
    free(bytes);
    png_image_free(&image);
    return size > SCREENSHOT_MAX_BYTES ? LOBBY_ETOOBIG : LOBBY_EINVAL;
  }
  char *fitted = realloc(bytes, size);
  *out = fitted ? fitted : bytes;
  *len = size;
  return LOBBY_OK;
}

void kiosk_net__screenshot_start(kiosk_net *net, command *cmd)
{
  char *png = NULL;
  size_t len = 0;
  char path[128];
  snprintf(path, sizeof path, "/api/v1/screenshots/%s?blanked=%d", cmd->path, cmd->blanked);
  lobby_err err = encode_png(cmd, &png, &len);
  free(cmd->pixels); /* the frame is not needed past here */
  cmd->pixels = NULL;
  if (err != LOBBY_OK) {
    LOBBY_WARN("screenshot: could not make the PNG: %s", lobby_strerror(err));
    return;
  }
  transfer *t = kiosk_net__transfer_new(net, XFER_SCREENSHOT, path, CALL_RESPONSE_MAX_BYTES,
                                        SCREENSHOT_TIMEOUT_MS);
  if (!t) {
    free(png);
    LOBBY_WARN("screenshot: could not start the upload");
    return;
  }
  err = kiosk_net__set_request_bytes(t, png, len, "image/png"); /* t owns png now */
  if (err == LOBBY_OK)
    err = kiosk_net__set_method(t, "PUT");
  if (err != LOBBY_OK)
    kiosk_net__transfer_free(t);
  else
    err = kiosk_net__transfer_start(net, t); /* frees t when it fails */
  if (err != LOBBY_OK) {
    LOBBY_WARN("screenshot: could not start the upload: %s", lobby_strerror(err));
    return;
  }
  LOBBY_INFO("screenshot: sending %dx%d, %zu bytes, %d private areas blanked", cmd->width,
             cmd->height, len, cmd->blanked);
}

void kiosk_net__screenshot_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  (void)net;
  if (rc == CURLE_OK && status == 200) {
    LOBBY_INFO("screenshot: sent");
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  kiosk_net__describe_failure(t, rc, status, why, sizeof why);
  LOBBY_WARN("screenshot: not taken (%s)", why);
}
