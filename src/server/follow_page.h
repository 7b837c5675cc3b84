/* The follow page's HTML (扫码查进度): what a resident sees on their own
 * phone after scanning the repair receipt's QR code.  Made on the server
 * with no script, so it works in WeChat's in-app browser and on a weak
 * connection; large type; Simplified Chinese first, English a tap away.
 * Nothing of the resident is shown but the phone's last four digits. */
#ifndef LOBBYD_FOLLOW_PAGE_H
#define LOBBYD_FOLLOW_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "lobby_error.h"

typedef enum { FOLLOW_LANG_ZH, FOLLOW_LANG_EN } follow_lang;

typedef struct {
  follow_lang lang;
  int offset_min;             /* the site's UTC offset, for times of day */
  int64_t now;
  const char *site_name;      /* shown when the record's site has none */
  const char *service_phone;  /* the same */
} follow_page_ctx;

/* The page of repair r, as store.h repair_follow gives it; *out is
 * malloc'd (free it).  LOBBY_ENOMEM only. */
lobby_err follow_page_repair(const json_t *r, const follow_page_ctx *ctx, char **out, size_t *len);

/* The page for an address that leads nowhere (a wrong, expired or
 * malformed token) or for too many pages asked: the same words in both
 * languages, and no hint of which it was. */
lobby_err follow_page_missing(char **out, size_t *len);
lobby_err follow_page_too_many(char **out, size_t *len);

/* Seconds after which the page suggests the browser loads it again
 * (the Refresh header): soon while an emergency runs, seldom while other
 * work runs, never once the repair is closed or cancelled. */
int follow_page_refresh_s(const json_t *r);

#endif
