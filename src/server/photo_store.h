/* The photo directory: completion photos as files, named after their
 * ticket and the upload's SHA-256 ("R-20261203-0007-3f2a…c1.jpg"), so the
 * same upload always lands on the same name and a retry rewrites it with
 * the same bytes.  Notices' pictures (posters) live in the same directory,
 * named after the kept JPEG's SHA-256 alone ("notice-3f2a…c1.jpg"): two
 * notices showing the same poster share one file.  The database rows only
 * name these files. */
#ifndef LOBBYD_PHOTO_STORE_H
#define LOBBYD_PHOTO_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

#define PHOTO_NAME_SIZE 64
#define PHOTO_SHA256_HEX_SIZE 65

/* The SHA-256 of data in lowercase hex. */
void photo_store_sha256(const uint8_t *data, size_t len, char hex[PHOTO_SHA256_HEX_SIZE]);

/* "<ticket>-<first 32 hex digits>.jpg"; LOBBY_EINVAL for a ticket or
 * digest that is not one. */
lobby_err photo_store_name(const char *ticket, const char *sha256_hex, char name[PHOTO_NAME_SIZE]);

/* "notice-<first 32 hex digits>.jpg"; LOBBY_EINVAL for a digest that is
 * not one. */
lobby_err photo_store_notice_name(const char *sha256_hex, char name[PHOTO_NAME_SIZE]);

/* Writes the file durably (lobby_fs_write_atomic), creating dir first. */
lobby_err photo_store_write(const char *dir, const char *name, const uint8_t *data, size_t len);

/* Reads a photo or a notice's picture; LOBBY_EINVAL for a name neither
 * photo_store_name nor photo_store_notice_name could have made (the name comes from the database: checked before any path is
 * built from it), LOBBY_ENOTFOUND when the file is gone. */
lobby_err photo_store_read(const char *dir, const char *name, char **data, size_t *len);

/* Removes a photo whose row was never written. */
void photo_store_remove(const char *dir, const char *name);

/* Removes each photo or notice picture file in dir last changed before
 * older_than that named() says no row names, counting them in *removed.
 * The age keeps an upload whose file is written and row not yet from
 * being taken; files neither name function could have made are left
 * alone. */
lobby_err photo_store_sweep(const char *dir, int64_t older_than,
                            lobby_err (*named)(void *ctx, const char *name, bool *is_named),
                            void *ctx, int *removed);

#endif
