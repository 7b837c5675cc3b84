/* Follow pages (扫码查进度): GET /f/{token} shows the repair, complaint
 * or visitor's pass made with that token (follow_page.h) to whoever
 * scanned the receipt's or pass's QR code; GET /f/{token}/wait is the
 * page's long-poll, answered when the item's version (follow_page_version)
 * differs from the one the page shows; POST /f/{token}/rate is the return
 * visit given from the page.  The token is the only key: the page asks
 * for no sign-in, so it opens in WeChat's browser.  A wrong, malformed or
 * expired token gets the same plain 404, and each address may ask
 * [follow] per_minute times, so tokens cannot be guessed and the pages
 * cannot be used to load the store. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client_addr.h"
#include "follow_page.h"
#include "lobby_complaint.h"
#include "lobby_follow.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "longpoll.h"
#include "ratelimit.h"

/* The longest wait= a page's long-poll may ask for. */
#define FOLLOW_WAIT_MAX_S 120

/* What every follow page is sent with: it keeps the token to itself
 * (no Referer leaves it, no search engine keeps it) and runs nothing but
 * its own script. */
static const char *const page_header_names[] = {
  "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "X-Robots-Tag",
  "Retry-After"};
static const char *const page_header_values[] = {
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" FOLLOW_PAGE_SCRIPT_SHA256 "'; "
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "no-referrer", "nosniff", "noindex", NULL};
#define PAGE_HEADERS 4

static enum MHD_Result reply_page(http_request *r, unsigned status, lobby_err made, char *html,
                                  size_t len, const char *retry_after)
{
  if (made != LOBBY_OK)
    return http_fail(r, 500, "internal", "the page could not be made");
  const char *values[PAGE_HEADERS + 1];
  memcpy(values, page_header_values, sizeof values);
  values[PAGE_HEADERS] = retry_after;
  enum MHD_Result ret = http_reply_buffer(r, status, "text/html; charset=utf-8", html, len,
                                          page_header_names, values,
                                          retry_after ? PAGE_HEADERS + 1 : PAGE_HEADERS);
  free(html);
  return ret;
}

static enum MHD_Result reply_missing(http_request *r)
{
  char *html = NULL;
  size_t len = 0;
  lobby_err made = follow_page_missing(&html, &len);
  return reply_page(r, 404, made, html, len, NULL);
}

/* One page per try from the address's allowance; none left is a 429
 * page saying when to try again. */
static bool page_allowed(http_request *r, enum MHD_Result *ret)
{
  char addr[CLIENT_ADDR_LEN], key[CLIENT_ADDR_LEN + 16], after[24];
  int64_t retry_ms = 0;
  client_addr_get(r, addr);
  rate_key(RATE_ADDRESS, addr, key, sizeof key);
  if (rate_limiter_take(r->d->follow_pages, key, lobby_monotonic_ms(), &retry_ms))
    return true;
  char *html = NULL;
  size_t len = 0;
  lobby_err made = follow_page_too_many(&html, &len);
  snprintf(after, sizeof after, "%lld", (long long)((retry_ms + 999) / 1000));
  *ret = reply_page(r, 429, made, html, len, after);
  return false;
}

/* Over longer ago than the page lives: a repair or complaint closed (or
 * cancelled) [follow] keep_days ago, a visit ended pass_keep_hours ago
 * (0: at once). */
static bool expired(const lobbyd_config *cfg, const json_t *rec, int64_t now)
{
  json_t *closed = json_object_get(rec, "closed_at"), *ended = json_object_get(rec, "ended_at");
  if (closed)
    return now - json_integer_value(closed) >= (int64_t)cfg->follow.keep_days * 86400;
  return ended && now - json_integer_value(ended) >= (int64_t)cfg->follow.pass_keep_hours * 3600;
}

/* The repair, visit or complaint of the token r->params[0], unless it
 * has none or its page ended: then LOBBY_ENOTFOUND.  Tokens are random,
 * so a token names one row of the three tables at most. */
static lobby_err follow_record(http_request *r, int64_t now, json_t **out)
{
  json_t *rec = NULL;
  lobby_store *st = r->d->store;
  lobby_err err = st->ops->repair_follow(st, r->params[0], now, &rec);
  if (err == LOBBY_ENOTFOUND)
    err = st->ops->visit_follow(st, r->params[0], &rec);
  if (err == LOBBY_ENOTFOUND)
    err = st->ops->complaint_follow(st, r->params[0], now, &rec);
  if (err == LOBBY_OK && expired(r->d->cfg, rec, now)) {
    json_decref(rec);
    return LOBBY_ENOTFOUND;
  }
  *out = rec;
  return err;
}

/* The hours a visit's pass lasts: its site's, else the company's. */
static int pass_hours(http_request *r, const json_t *visit)
{
  json_t *site = json_object_get(visit, "site_auto_checkout_hours");
  return json_is_integer(site) && json_integer_value(site) > 0 ? (int)json_integer_value(site)
                                                                : settings_auto_checkout_hours(r->d);
}

/* What every follow route does first: a try from the address's
 * allowance, then the token's record.  False when the answer (429, 404,
 * a store error) is already queued in *ret. */
static bool open_record(http_request *r, int64_t now, json_t **rec, enum MHD_Result *ret)
{
  *rec = NULL;
  if (!page_allowed(r, ret))
    return false;
  lobby_err err = lobby_follow_token_valid(r->params[0]) ? follow_record(r, now, rec) : LOBBY_ENOTFOUND;
  if (err == LOBBY_OK)
    return true;
  *ret = err == LOBBY_ENOTFOUND ? reply_missing(r) : http_reply_store_error(r, err, "page");
  return false;
}

enum MHD_Result handle_follow_page(http_request *r)
{
  const lobbyd_config *cfg = r->d->cfg;
  const char *lang = http_query(r, "lang");
  enum MHD_Result ret;
  int64_t now = lobby_now();
  json_t *rec;
  if (!open_record(r, now, &rec, &ret))
    return ret;
  follow_page_ctx ctx = {.lang = lang && strcmp(lang, "en") == 0 ? FOLLOW_LANG_EN : FOLLOW_LANG_ZH,
                         .offset_min = cfg->sla.offset_min, .now = now,
                         .site_name = cfg->site_name, .service_phone = cfg->service_phone,
                         .token = r->params[0]};
  char *html = NULL;
  size_t len = 0;
  lobby_err made = json_object_get(rec, "state")    ? follow_page_visit(rec, &ctx, pass_hours(r, rec), &html, &len)
                   : json_object_get(rec, "number") ? follow_page_complaint(rec, &ctx, &html, &len)
                                                    : follow_page_repair(rec, &ctx, &html, &len);
  json_decref(rec);
  return reply_page(r, 200, made, html, len, NULL);
}

/* The item's version now: 200 {"v"} when it is not the one the page
 * holds (r->poll.etag), else 304; an ended page 404. */
static enum MHD_Result wait_reply(http_request *r, lobby_err err, json_t *rec)
{
  char version[32];
  if (err == LOBBY_ENOTFOUND)
    return reply_missing(r);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "page");
  follow_page_version(rec, version, sizeof version);
  json_decref(rec);
  if (strcmp(version, r->poll.etag) == 0)
    return http_reply_empty(r, 304, NULL);
  return http_reply_json(r, 200, json_pack("{s:s}", "v", version));
}

/* On the long-poll thread, after a change of the ticket: whether the
 * page's version moved (or the page ended). */
static bool wait_ready(http_request *r)
{
  json_t *rec = NULL;
  char version[32];
  if (follow_record(r, lobby_now(), &rec) != LOBBY_OK)
    return true;
  follow_page_version(rec, version, sizeof version);
  json_decref(rec);
  return strcmp(version, r->poll.etag) != 0;
}

static enum MHD_Result wait_answer(http_request *r)
{
  json_t *rec = NULL;
  lobby_err err = follow_record(r, lobby_now(), &rec);
  return wait_reply(r, err, rec);
}

enum MHD_Result handle_follow_wait(http_request *r)
{
  const char *held = http_query(r, "v");
  int wait_s;
  enum MHD_Result ret;
  json_t *rec;
  char version[32];
  if (!longpoll_query_wait(r, FOLLOW_WAIT_MAX_S, &wait_s, &ret) || !open_record(r, lobby_now(), &rec, &ret))
    return ret;
  snprintf(r->poll.etag, sizeof r->poll.etag, "%.31s", held ? held : "");
  follow_page_version(rec, version, sizeof version);
  if (wait_s == 0 || strcmp(version, r->poll.etag) != 0)
    return wait_reply(r, LOBBY_OK, rec);
  /* Filed under what a change of it names: a repair's ticket, a
   * complaint's number, a visit's id. */
  const char *key = json_string_value(json_object_get(rec, "ticket"));
  if (!key)
    key = json_string_value(json_object_get(rec, json_object_get(rec, "number") ? "number" : "id"));
  snprintf(r->poll.item, sizeof r->poll.item, "%.23s", key ? key : "");
  json_decref(rec);
  r->poll.ready = wait_ready;
  r->poll.answer = wait_answer;
  return longpoll_wait(r->d->poll, r, WATCH_ITEM, (int64_t)wait_s * 1000);
}

/* The level a rating form sent: its body is exactly
 * "satisfaction=<name>", as the page's buttons post it. */
static bool rating_of(const http_request *r, complaint_satisfaction *out)
{
  static const char key[] = "satisfaction=";
  if (!r->body || r->body_len <= sizeof key - 1 || memcmp(r->body, key, sizeof key - 1) != 0 ||
      memchr(r->body, '\0', r->body_len) != NULL)
    return false;
  return complaint_satisfaction_parse(r->body + sizeof key - 1, out) == LOBBY_OK;
}

/* Back to the page after a rating (Post/Redirect/Get, so a reload does
 * not post again): "../{token}" from /f/{token}/rate, relative so any
 * prefix the proxy adds stays. */
static enum MHD_Result see_page(http_request *r)
{
  char where[LOBBY_FOLLOW_TOKEN_LEN + 16];
  const char *lang = http_query(r, "lang");
  snprintf(where, sizeof where, "../%.22s%s", r->params[0], lang && strcmp(lang, "en") == 0 ? "?lang=en" : "");
  static const char *const names[] = {"Location"};
  const char *values[] = {where};
  return http_reply_buffer(r, 303, NULL, "", 0, names, values, 1);
}

/* The resident's own return visit, as a kiosk records one: the number
 * and the phone's last four digits find it; the timeline says it came
 * from a scanned code.  Rated already, or not waiting for a rating, is
 * LOBBY_ECONFLICT / LOBBY_ENOTFOUND and records nothing. */
static lobby_err record_rating(http_request *r, const json_t *rec, complaint_satisfaction level, int64_t now)
{
  bool repair = json_object_get(rec, "ticket") != NULL;
  const char *number = json_string_value(json_object_get(rec, repair ? "ticket" : "number"));
  const char *last4 = json_string_value(json_object_get(rec, "phone_last4"));
  store_rating rating = {.number = number ? number : "", .phone_last4 = last4 ? last4 : "",
                         .satisfaction = level};
  lobby_principal by = {.role = ROLE_KIOSK, .name = "扫码评价"};
  json_t *out = NULL;
  lobby_store *st = r->d->store;
  lobby_err err = (repair ? st->ops->repair_rate : st->ops->complaint_rate)(st, &rating, &by.sites, &by, now, &out);
  json_decref(out);
  if (err == LOBBY_OK) {
    LOBBY_INFO("%s rated %s from its follow page", rating.number, complaint_satisfaction_name(level));
    item_changed(r, rating.number);
  }
  return err;
}

enum MHD_Result handle_follow_rate(http_request *r)
{
  enum MHD_Result ret;
  complaint_satisfaction level;
  int64_t now = lobby_now();
  json_t *rec;
  if (!open_record(r, now, &rec, &ret))
    return ret;
  if (json_object_get(rec, "state")) {
    json_decref(rec);
    return reply_missing(r); /* a visit's pass has nothing to rate */
  }
  if (!rating_of(r, &level)) {
    json_decref(rec);
    char *html = NULL;
    size_t len = 0;
    lobby_err made = follow_page_bad_rating(&html, &len);
    return reply_page(r, 400, made, html, len, NULL);
  }
  lobby_err err = record_rating(r, rec, level, now);
  json_decref(rec);
  if (err != LOBBY_OK && err != LOBBY_ECONFLICT && err != LOBBY_ENOTFOUND)
    return http_reply_store_error(r, err, "rating");
  /* Recorded, rated already, or not waiting for it: the page says where
   * it stands. */
  return see_page(r);
}

void follow_link_add(http_request *r, json_t *answer)
{
  const char *token = json_string_value(json_object_get(answer, "follow_token"));
  char url[LOBBY_FOLLOW_URL_MAX];
  if (!token || !r->d->cfg->server.public_url[0])
    return;
  if (lobby_follow_url(r->d->cfg->server.public_url, token, url, sizeof url) == LOBBY_OK)
    json_object_set_new(answer, "follow_url", json_string(url));
}
