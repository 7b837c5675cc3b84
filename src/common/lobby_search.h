/* The staff console's one search box (issue 15): what a front desk types
 * when a resident phones — a ticket number, a full phone number or its
 * last four digits, a room like 1-2-301, or a name — told apart by its
 * shape so that each becomes one exact, indexable condition instead of
 * a LIKE over every column. */
#ifndef LOBBY_SEARCH_H
#define LOBBY_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

#define LOBBY_SEARCH_MAX 64 /* bytes of the typed text that are kept */

typedef enum {
  LOBBY_SEARCH_NONE,    /* nothing typed */
  LOBBY_SEARCH_NUMBER,  /* a ticket or record number, or its start: R-2026 */
  LOBBY_SEARCH_PHONE,   /* a whole mainland mobile number */
  LOBBY_SEARCH_LAST4,   /* four digits: a phone's last four */
  LOBBY_SEARCH_ROOM,    /* building[-unit[-room]] */
  LOBBY_SEARCH_TEXT     /* anything else: a name's start, words */
} lobby_search_kind;

typedef struct {
  lobby_search_kind kind;
  char text[LOBBY_SEARCH_MAX + 1]; /* the whole query, trimmed */
  /* LOBBY_SEARCH_ROOM: its parts; unit and room "" when not typed. */
  char building[17], unit[17], room[17];
} lobby_search;

/* Classifies q (may be NULL or empty: kind NONE).  LOBBY_EINVAL for text
 * that is not valid UTF-8, has control characters or is longer than
 * LOBBY_SEARCH_MAX bytes; `out` is then kind NONE. */
lobby_err lobby_search_parse(const char *q, lobby_search *out);

/* text with LIKE's wildcards (% _) and the escape character (\) escaped
 * by a backslash, for `LIKE ? ESCAPE '\'`; out holds 2 * strlen + 1. */
void lobby_search_like_escape(const char *text, char *out, size_t size);

#endif
