/* What every follow page shares: its style, escaping, times, the
 * header, contact card, rating form, footer and script, and the plain
 * pages (not found, too many, a rating not understood). */
#define _GNU_SOURCE /* open_memstream */
#include "follow_page_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lobby_complaint.h"

static const follow_words w_switch = {"English", "中文"};
static const follow_words w_switch_href = {"?lang=en", "?lang=zh"};
static const follow_words w_office = {"物业服务中心", "Property service centre"};
static const follow_words w_service = {"24 小时服务电话", "24-hour service line"};
static const follow_words w_updated = {"更新于 ", "Updated "};
static const follow_words w_today = {"今天 ", "today "};
/* In the order of complaint_satisfaction_names. */
static const follow_words w_rate_levels[] = {{"满意", "Happy"}, {"基本满意", "Mostly happy"}, {"不满意", "Not happy"}};

static const char page_style[] =
  "body{margin:0;font:20px/1.6 system-ui,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',"
  "sans-serif;background:#f3f5f7;color:#1f2933}"
  "header{display:flex;justify-content:space-between;align-items:center;gap:12px;"
  "padding:12px 16px;background:#0f4c81;color:#fff}"
  "header p{margin:0;font-weight:700}"
  "header a{color:#fff;border:2px solid #fff;border-radius:10px;padding:8px 16px;"
  "text-decoration:none;font-size:18px;white-space:nowrap}"
  "main{padding:8px 16px 24px;max-width:640px;margin:0 auto}"
  "h1{font-size:28px;margin:12px 0 0}"
  ".meta{margin:0;color:#52606d}"
  ".card{background:#fff;border-radius:14px;padding:16px;margin:14px 0}"
  ".now{font-size:26px;font-weight:700;margin:0 0 6px}"
  ".card p{margin:4px 0}"
  ".late{color:#9b1c1c;font-weight:700}.kept{color:#14532d;font-weight:700}"
  ".reply{white-space:pre-wrap;margin:0}"
  "h2{font-size:20px;margin:0 0 6px;color:#52606d}"
  "ol{list-style:none;margin:0;padding:0}"
  "li{display:flex;justify-content:space-between;gap:12px;padding:8px 0;"
  "border-top:1px solid #e4e7eb}li:first-child{border-top:0;font-weight:700}"
  "time{white-space:nowrap;color:#52606d}"
  ".tel{font-size:26px;font-weight:700;color:#0f4c81}"
  ".pass{font-size:30px;font-weight:700;margin:0;padding:10px 14px;border-radius:10px}"
  ".valid{background:#dcfce7;color:#14532d}.waiting{background:#fef3c7;color:#78350f}"
  ".ended{background:#e4e7eb;color:#323f4b}.refused{background:#fee2e2;color:#7f1d1d}"
  "dl{display:grid;grid-template-columns:auto 1fr;gap:6px 16px;margin:0}dt{color:#52606d}dd{margin:0}"
  ".code{font-size:30px;font-weight:700;letter-spacing:4px}"
  "footer{color:#52606d;font-size:16px;text-align:center}"
  ".rate{display:flex;gap:10px;flex-wrap:wrap}.rate button{flex:1 1 90px;min-height:56px;"
  "font:inherit;font-weight:700;border-radius:12px;border:2px solid #0f4c81;background:#fff;color:#0f4c81}";

void follow_page__text(FILE *f, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
  }
}

const char *follow_page__str(const json_t *r, const char *key)
{
  const char *s = json_string_value(json_object_get(r, key));
  return s ? s : "";
}

int64_t follow_page__at(const json_t *r, const char *key)
{
  return (int64_t)json_integer_value(json_object_get(r, key));
}

void follow_page__time(const follow_page_ctx *ctx, int64_t t, char *out, size_t size)
{
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t local = (time_t)(t + ctx->offset_min * 60LL), today = (time_t)(ctx->now + ctx->offset_min * 60LL);
  struct tm tm, now_tm;
  gmtime_r(&local, &tm);
  gmtime_r(&today, &now_tm);
  if (tm.tm_year == now_tm.tm_year && tm.tm_yday == now_tm.tm_yday)
    snprintf(out, size, "%s%02d:%02d", FOLLOW_SAY(ctx, w_today), tm.tm_hour, tm.tm_min);
  else if (ctx->lang == FOLLOW_LANG_ZH)
    snprintf(out, size, "%d月%d日 %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
  else
    snprintf(out, size, "%d %s %02d:%02d", tm.tm_mday, months[tm.tm_mon], tm.tm_hour, tm.tm_min);
}

lobby_err follow_page__open(follow_page_buf *b)
{
  b->buf = NULL;
  b->size = 0;
  b->f = open_memstream(&b->buf, &b->size);
  return b->f ? LOBBY_OK : LOBBY_ENOMEM;
}

lobby_err follow_page__close(follow_page_buf *b, char **out, size_t *len)
{
  bool failed = ferror(b->f) != 0;
  if (fclose(b->f) != 0 || failed) {
    free(b->buf);
    return LOBBY_ENOMEM;
  }
  *out = b->buf;
  *len = b->size;
  return LOBBY_OK;
}

static void put_head(FILE *f, const follow_page_ctx *ctx, const char *title, const char *version)
{
  fprintf(f, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
             "<meta name=\"robots\" content=\"noindex\">",
          ctx->lang == FOLLOW_LANG_ZH ? "zh-CN" : "en");
  fputs("<title>", f);
  follow_page__text(f, title);
  fprintf(f, "</title><style>%s</style></head><body", page_style);
  if (version) {
    fputs(" data-v=\"", f);
    follow_page__text(f, version);
    fputs("\"", f);
  }
  fputs(">", f);
}

void follow_page__begin(FILE *f, const follow_page_ctx *ctx, const json_t *r, const char *title,
                        const char *version)
{
  const char *site = follow_page__str(r, "site_name");
  if (!*site)
    site = ctx->site_name && *ctx->site_name ? ctx->site_name : FOLLOW_SAY(ctx, w_office);
  put_head(f, ctx, title, version);
  fputs("<header><p>", f);
  follow_page__text(f, site);
  fprintf(f, "</p><a href=\"%s\" hreflang=\"%s\">%s</a></header>", FOLLOW_SAY(ctx, w_switch_href),
          ctx->lang == FOLLOW_LANG_ZH ? "en" : "zh-CN", FOLLOW_SAY(ctx, w_switch));
}

/* Only digits and '+' of the service phone reach tel:. */
static void put_tel_href(FILE *f, const char *phone)
{
  for (; *phone; phone++)
    if ((*phone >= '0' && *phone <= '9') || *phone == '+')
      fputc(*phone, f);
}

void follow_page__contact(FILE *f, const json_t *r, const follow_page_ctx *ctx, follow_words phone_label)
{
  const char *last4 = follow_page__str(r, "phone_last4"), *service = follow_page__str(r, "site_phone");
  if (!*service)
    service = ctx->service_phone ? ctx->service_phone : "";
  if (!*last4 && !*service)
    return;
  fputs("<section class=\"card\">", f);
  if (*last4) {
    fprintf(f, "<p>%s", FOLLOW_SAY(ctx, phone_label));
    follow_page__text(f, last4);
    fputs("</p>", f);
  }
  if (*service) {
    fprintf(f, "<p>%s</p><p><a class=\"tel\" href=\"tel:", FOLLOW_SAY(ctx, w_service));
    put_tel_href(f, service);
    fputs("\">", f);
    follow_page__text(f, service);
    fputs("</a></p>", f);
  }
  fputs("</section>", f);
}

/* No script, one tap: the form posts to the page's own /rate, relative
 * to the page so it works under any prefix the proxy adds. */
void follow_page__rating(FILE *f, const follow_page_ctx *ctx, follow_words question)
{
  if (!ctx->token)
    return;
  fprintf(f, "<section class=\"card\"><h2>%s</h2><form class=\"rate\" method=\"post\" action=\"",
          FOLLOW_SAY(ctx, question));
  follow_page__text(f, ctx->token);
  fprintf(f, "/rate%s\">", ctx->lang == FOLLOW_LANG_EN ? "?lang=en" : "");
  for (size_t i = 0; i < sizeof w_rate_levels / sizeof w_rate_levels[0]; i++)
    fprintf(f, "<button name=\"satisfaction\" value=\"%s\">%s</button>", complaint_satisfaction_names[i],
            FOLLOW_SAY(ctx, w_rate_levels[i]));
  fputs("</form></section>", f);
}

void follow_page__end(FILE *f, const follow_page_ctx *ctx, bool live)
{
  char t[48];
  follow_page__time(ctx, ctx->now, t, sizeof t);
  fprintf(f, "<footer>%s%s</footer></main>", FOLLOW_SAY(ctx, w_updated), t);
  if (live)
    fprintf(f, "<script>%s</script>", follow_page_script);
  fputs("</body></html>\n", f);
}

static lobby_err plain_page(const char *zh, const char *en, char **out, size_t *len)
{
  follow_page_buf b;
  if (follow_page__open(&b) != LOBBY_OK)
    return LOBBY_ENOMEM;
  follow_page_ctx ctx = {.lang = FOLLOW_LANG_ZH};
  put_head(b.f, &ctx, zh, NULL);
  fprintf(b.f, "<main><h1>%s</h1><p>%s</p></main></body></html>\n", zh, en);
  return follow_page__close(&b, out, len);
}

lobby_err follow_page_missing(char **out, size_t *len)
{
  return plain_page("页面不存在", "Page not found.", out, len);
}

lobby_err follow_page_bad_rating(char **out, size_t *len)
{
  return plain_page("没有收到您的评价，请返回后重新选择", "Your rating did not come through. Go back and choose again.",
                    out, len);
}

lobby_err follow_page_too_many(char **out, size_t *len)
{
  return plain_page("访问太频繁，请稍后再试", "Too many requests. Please try again in a minute.", out, len);
}

void follow_page_version(const json_t *r, char *out, size_t size)
{
  if (json_object_get(r, "state"))
    snprintf(out, size, "%.16s", follow_page__str(r, "state"));
  else if (json_object_get(r, "number"))
    snprintf(out, size, "%.16s", follow_page__str(r, "status"));
  else
    snprintf(out, size, "%.16s.%zu", follow_page__str(r, "status"),
             json_array_size(json_object_get(r, "timeline")));
}

const char follow_page_script[] =
  "(function(){var v=document.body.getAttribute(\"data-v\"),u=location.pathname.replace(/\\/+$/,\"\")+\"/wait?wait=60&v=\"+encodeURIComponent(v);function later(ms){setTimeout(poll,ms)}function poll(){var x=new XMLHttpRequest();x.open(\"GET\",u);x.timeout=90000;x.onload=function(){if(x.status==200)location.reload();else later(x.status==304?0:60000)};x.onerror=x.ontimeout=function(){later(60000)};x.send()}later(1000)})();";
