/* Durable file operations.  A file written with lobby_fs_write_atomic is
 * either the old content or the new, never a mix, even across power loss. */
#ifndef LOBBY_FS_H
#define LOBBY_FS_H

#include <stddef.h>
#include "lobby_error.h"

/* Writes to "<path>.tmp", fsyncs it, renames it over path, then fsyncs
 * the directory so the rename itself is durable. */
lobby_err lobby_fs_write_atomic(const char *path, const void *data, size_t len);

/* Reads a whole file into a NUL-terminated malloc'd buffer (max bytes). */
lobby_err lobby_fs_read_all(const char *path, size_t max, char **out, size_t *out_len);

/* fsyncs the directory that holds path. */
lobby_err lobby_fs_sync_dir(const char *path);

/* mkdir -p with mode 0700 for each created component. */
lobby_err lobby_fs_mkdirs(const char *dir);

/* rm -r: removes dir and everything below it, never following symbolic
 * links.  LOBBY_OK when dir is gone (or never existed). */
lobby_err lobby_fs_remove_tree(const char *dir);

#endif
