/* Rules for values read from Lobby's .ini files, shared by lobbyd and the
 * kiosk so both read a file the same way.  inih hands each value over as
 * written; these turn it into what it means or say it is malformed. */
#ifndef LOBBY_INI_H
#define LOBBY_INI_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

/* Copies value to out without a trailing comment: a '#' or ';' that
 * follows white space (or starts the value) ends it, and the white space
 * before it goes too, so `database = t.db  # the db` means `t.db`.
 * LOBBY_ETOOBIG when the cleaned value does not fit out (nothing is cut). */
lobby_err lobby_ini_value(const char *value, char *out, size_t out_size);

/* true/false, yes/no, on/off, 1/0 (any case); anything else is
 * LOBBY_EINVAL, so `fullscreen = maybe` is an error, not true. */
lobby_err lobby_ini_bool(const char *value, bool *out);

#endif
