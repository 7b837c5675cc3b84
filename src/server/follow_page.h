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
  const char *token;          /* the page's own token, for its rating form */
} follow_page_ctx;

/* The page of repair r, as store.h repair_follow gives it; *out is
 * malloc'd (free it).  A completed repair waiting for its return visit
 * has the rating form (满意 / 基本满意 / 不满意), posted to
 * /f/{token}/rate.  LOBBY_ENOMEM only. */
lobby_err follow_page_repair(const json_t *r, const follow_page_ctx *ctx, char **out, size_t *len);

/* The pass page of visit v, as store.h visit_follow gives it, for the
 * visitor and the guard at the gate: whether the pass is valid, until
 * when (checked in plus auto_checkout_hours), the name masked, the place
 * visited, the party and the pass code while valid. */
lobby_err follow_page_visit(const json_t *v, const follow_page_ctx *ctx, int auto_checkout_hours,
                            char **out, size_t *len);

/* The page of a complaint, suggestion, praise or enquiry, as store.h
 * complaint_follow gives it: where it stands, by when it is answered,
 * the answer once given, and the return visit's question once answered
 * (for a message left with a phone). */
lobby_err follow_page_complaint(const json_t *c, const follow_page_ctx *ctx, char **out, size_t *len);

/* The page for an address that leads nowhere (a wrong, expired or
 * malformed token) or for too many pages asked: the same words in both
 * languages, and no hint of which it was. */
lobby_err follow_page_missing(char **out, size_t *len);
lobby_err follow_page_bad_rating(char **out, size_t *len);
lobby_err follow_page_too_many(char **out, size_t *len);

/* The item's version as the page and its long-poll (GET /f/{token}/wait)
 * compare it: a repair's status and the number of steps in its timeline,
 * a complaint's status, a visit's state. */
void follow_page_version(const json_t *r, char *out, size_t size);

/* The page's one script: it long-polls /wait with the version the page
 * shows and reloads the page when it moves, so the page follows the
 * repair without a timed refresh; without scripts the page is the same,
 * only still.  The Content-Security-Policy allows it by its SHA-256
 * (base64), FOLLOW_PAGE_SCRIPT_SHA256, which unit.follow checks. */
extern const char follow_page_script[];
#define FOLLOW_PAGE_SCRIPT_SHA256 "XCie7Y8gH415XzpmSPToHSXfiiyFji0Nae2uTDYl7rg="

#endif
