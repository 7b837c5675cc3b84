/* Remote screenshots' pictures: files in the photo directory, named after
 * their request ("screenshot-<32 hex digits>.png"), so every lobbyd
 * instance sharing the directory serves the picture another one took in.
 * They live [screenshots] keep_seconds; screenshot_file_sweep deletes
 * them by age alone, whatever the database says. */
#ifndef LOBBYD_SCREENSHOT_FILE_H
#define LOBBYD_SCREENSHOT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

/* A picture a kiosk may send: its bytes and its sides. */
#define SCREENSHOT_UPLOAD_MAX (4u * 1024 * 1024)
#define SCREENSHOT_SIDE_MAX 4096u

/* Whether id is a request id: 32 lowercase hex digits. */
bool screenshot_id_valid(const char *id);

/* Writes the picture of request id (atomically: another instance never
 * reads half of it); LOBBY_EINVAL for an id that is not one. */
lobby_err screenshot_file_write(const char *dir, const char *id, const uint8_t *data, size_t len);

/* Reads it; LOBBY_ENOTFOUND when it is gone. */
lobby_err screenshot_file_read(const char *dir, const char *id, char **data, size_t *len);

/* Deletes every screenshot file in dir last changed before older_than
 * (epoch seconds), counting them in *removed; other files are left. */
lobby_err screenshot_file_sweep(const char *dir, int64_t older_than, int *removed);

#endif
