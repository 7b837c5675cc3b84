/* What the follow pages' makers share (follow_page.c): words in both
 * languages, escaping, times, and the parts every page has.  Each kind of
 * page has its own file: follow_page_repair.c, follow_page_visit.c,
 * follow_page_complaint.c. */
#ifndef LOBBYD_FOLLOW_PAGE_INTERNAL_H
#define LOBBYD_FOLLOW_PAGE_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include "follow_page.h"

/* One phrase in both languages. */
typedef struct {
  const char *zh, *en;
} follow_words;

#define FOLLOW_SAY(ctx, w) ((ctx)->lang == FOLLOW_LANG_ZH ? (w).zh : (w).en)

/* Writes s with HTML's special characters escaped. */
void follow_page__text(FILE *f, const char *s);
/* A member of r: a string ("" when absent), a number (0 when absent). */
const char *follow_page__str(const json_t *r, const char *key);
int64_t follow_page__at(const json_t *r, const char *key);
/* A time as the resident says it: "今天 14:05" or "12月2日 09:00". */
void follow_page__time(const follow_page_ctx *ctx, int64_t t, char *out, size_t size);

/* A page being made: write with f, then follow_page__close. */
typedef struct {
  FILE *f;
  char *buf;
  size_t size;
} follow_page_buf;
lobby_err follow_page__open(follow_page_buf *b);
/* Hands the page over in *out (malloc'd) or, when writing failed, frees
 * it and says LOBBY_ENOMEM. */
lobby_err follow_page__close(follow_page_buf *b, char **out, size_t *len);

/* The head, the body's start (with the page's version for its script, or
 * NULL) and the header: the site's name and the language switch. */
void follow_page__begin(FILE *f, const follow_page_ctx *ctx, const json_t *r, const char *title,
                        const char *version);
/* The phone's last four digits (labelled phone_label) when r has them,
 * and the site's 24-hour service line. */
void follow_page__contact(FILE *f, const json_t *r, const follow_page_ctx *ctx, follow_words phone_label);
/* The return visit's three answers as buttons of one form, posted to the
 * page's own /rate. */
void follow_page__rating(FILE *f, const follow_page_ctx *ctx, follow_words question);
/* The footer, then, while the item can still change (live), the script
 * that follows it; closes the page. */
void follow_page__end(FILE *f, const follow_page_ctx *ctx, bool live);

#endif
