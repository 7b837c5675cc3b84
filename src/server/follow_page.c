/* Words and layout of the follow page.  The words follow the kiosk's own
 * (assets/strings), said as a person would say them to the resident. */
#define _GNU_SOURCE /* open_memstream */
#include "follow_page.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lobby_complaint.h"
#include "lobby_repair.h"
#include "lobby_text.h"

/* One phrase in both languages. */
typedef struct {
  const char *zh, *en;
} words;

#define SAY(ctx, w) ((ctx)->lang == FOLLOW_LANG_ZH ? (w).zh : (w).en)

static const words status_now[REPAIR_STATUS_COUNT] = {
  [REPAIR_STATUS_SUBMITTED] = {"报修已收到，客服会尽快受理", "We have your request. The front desk will accept it shortly."},
  [REPAIR_STATUS_ACCEPTED] = {"客服已受理，正在安排维修师傅", "Accepted. A technician is being assigned."},
  [REPAIR_STATUS_DISPATCHED] = {"已安排维修师傅，师傅会上门维修", "A technician is assigned and will come to you."},
  [REPAIR_STATUS_ON_SITE] = {"维修师傅已到场", "The technician is on site."},
  [REPAIR_STATUS_COMPLETED] = {"维修已完成，请您评价这次服务", "The work is done. Please tell us how it went."},
  [REPAIR_STATUS_RETURN_VISIT] = {"已回访，感谢您的评价", "Followed up. Thank you for your rating."},
  [REPAIR_STATUS_CLOSED] = {"本单已办结", "This request is closed."},
  [REPAIR_STATUS_CANCELLED] = {"本单已取消", "This request was cancelled."},
};

static const words status_label[REPAIR_STATUS_COUNT] = {
  [REPAIR_STATUS_SUBMITTED] = {"已提交", "Submitted"},
  [REPAIR_STATUS_ACCEPTED] = {"已受理", "Accepted"},
  [REPAIR_STATUS_DISPATCHED] = {"已派单", "Technician assigned"},
  [REPAIR_STATUS_ON_SITE] = {"师傅已到场", "Technician on site"},
  [REPAIR_STATUS_COMPLETED] = {"已完成", "Completed"},
  [REPAIR_STATUS_RETURN_VISIT] = {"已回访", "Followed up"},
  [REPAIR_STATUS_CLOSED] = {"已办结", "Closed"},
  [REPAIR_STATUS_CANCELLED] = {"已取消", "Cancelled"},
};

/* In the order of repair_category_names. */
static const words category_label[] = {
  {"水管水龙头", "Water and taps"}, {"电路电灯", "Power and lights"},
  {"门窗门锁", "Doors and locks"}, {"电梯", "Lift"}, {"家用电器", "Appliances"},
  {"公共区域", "Common areas"}, {"其他", "Other"},
};

static const words urgency_label[REPAIR_URGENCY_COUNT] = {
  [REPAIR_URGENCY_EMERGENCY] = {"紧急", "Emergency"},
  [REPAIR_URGENCY_NORMAL] = {"普通", "Normal"},
  [REPAIR_URGENCY_APPOINTMENT] = {"预约", "Appointment"},
};

static const words w_title = {"报修进度", "Repair progress"};
static const words w_ticket = {"单号", "Ticket"};
static const words w_switch = {"English", "中文"};
static const words w_switch_href = {"?lang=en", "?lang=zh"};
static const words w_office = {"物业服务中心", "Property service centre"};
static const words w_arrived = {"师傅到场时间：", "Arrived: "};
/* Phrases around a time: before it, then after it. */
static const words w_promise = {"承诺：", "Promised: "};
static const words w_by_on_site = {" 前到场", ""}, w_on_site_by = {"", "on site by "};
static const words w_by_done = {" 前完成", ""}, w_done_by = {"", "done by "};
static const words w_window = {"预约上门时间：", "Booked visit: "};
static const words w_window_to = {" 至 ", " to "};
static const words w_kept = {"已按承诺时间完成", "The promise was kept."};
static const words w_missed = {"未能在承诺时间内完成，我们向您致歉", "Later than promised. We apologise."};
static const words w_overdue = {"已超过承诺时间，我们正在加急处理", "Past the promised time. We are hurrying."};
static const words w_progress = {"进度记录", "Progress"};
static const words w_phone = {"报修电话：尾号 ", "Phone: ending "};
static const words w_service = {"24 小时服务电话", "24-hour service line"};
static const words w_updated = {"更新于 ", "Updated "};
static const words w_today = {"今天 ", "today "};
static const words w_rate_question = {"您对这次维修满意吗？", "Are you happy with the repair?"};
/* In the order of complaint_satisfaction_names. */
static const words w_rate_levels[] = {{"满意", "Happy"}, {"基本满意", "Mostly happy"}, {"不满意", "Not happy"}};

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

/* Writes s with HTML's special characters escaped. */
static void put_text(FILE *f, const char *s)
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

static const char *str(const json_t *r, const char *key)
{
  const char *s = json_string_value(json_object_get(r, key));
  return s ? s : "";
}

static int64_t at(const json_t *r, const char *key)
{
  return (int64_t)json_integer_value(json_object_get(r, key));
}

/* A time as the resident says it: "今天 14:05" or "12月2日 09:00". */
static void say_time(const follow_page_ctx *ctx, int64_t t, char *out, size_t size)
{
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t local = (time_t)(t + ctx->offset_min * 60LL), today = (time_t)(ctx->now + ctx->offset_min * 60LL);
  struct tm tm, now_tm;
  gmtime_r(&local, &tm);
  gmtime_r(&today, &now_tm);
  if (tm.tm_year == now_tm.tm_year && tm.tm_yday == now_tm.tm_yday)
    snprintf(out, size, "%s%02d:%02d", SAY(ctx, w_today), tm.tm_hour, tm.tm_min);
  else if (ctx->lang == FOLLOW_LANG_ZH)
    snprintf(out, size, "%d月%d日 %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
  else
    snprintf(out, size, "%d %s %02d:%02d", tm.tm_mday, months[tm.tm_mon], tm.tm_hour, tm.tm_min);
}

/* The first time the timeline reached status s, or 0. */
static int64_t first_at(const json_t *r, const char *status)
{
  size_t i;
  json_t *ev;
  json_array_foreach(json_object_get(r, "timeline"), i, ev) {
    if (strcmp(str(ev, "status"), status) == 0)
      return at(ev, "at");
  }
  return 0;
}

/* The head and the body's start; version (the page's, for its script)
 * or NULL. */
static void put_head(FILE *f, const follow_page_ctx *ctx, const char *title, const char *version)
{
  fprintf(f, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
             "<meta name=\"robots\" content=\"noindex\">",
          ctx->lang == FOLLOW_LANG_ZH ? "zh-CN" : "en");
  fputs("<title>", f);
  put_text(f, title);
  fprintf(f, "</title><style>%s</style></head><body", page_style);
  if (version) {
    fputs(" data-v=\"", f);
    put_text(f, version);
    fputs("\"", f);
  }
  fputs(">", f);
}

static void put_header(FILE *f, const json_t *r, const follow_page_ctx *ctx)
{
  const char *site = str(r, "site_name");
  if (!*site)
    site = ctx->site_name && *ctx->site_name ? ctx->site_name : SAY(ctx, w_office);
  fputs("<header><p>", f);
  put_text(f, site);
  fprintf(f, "</p><a href=\"%s\" hreflang=\"%s\">%s</a></header>", SAY(ctx, w_switch_href),
          ctx->lang == FOLLOW_LANG_ZH ? "en" : "zh-CN", SAY(ctx, w_switch));
}

/* The promise (by when) and whether it was kept, under the status. */
static void put_promise(FILE *f, const json_t *r, const follow_page_ctx *ctx, repair_status status,
                        repair_urgency urgency)
{
  char t1[48], t2[48];
  if (status == REPAIR_STATUS_CANCELLED)
    return;
  fputs("<p>", f);
  if (urgency == REPAIR_URGENCY_APPOINTMENT && at(r, "window_from") && at(r, "window_to")) {
    say_time(ctx, at(r, "window_from"), t1, sizeof t1);
    say_time(ctx, at(r, "window_to"), t2, sizeof t2);
    fprintf(f, "%s%s%s%s", SAY(ctx, w_window), t1, SAY(ctx, w_window_to), t2);
  } else {
    bool emergency = urgency == REPAIR_URGENCY_EMERGENCY;
    say_time(ctx, at(r, "due_at"), t1, sizeof t1);
    fprintf(f, "%s%s%s%s", SAY(ctx, w_promise), SAY(ctx, emergency ? w_on_site_by : w_done_by), t1,
            SAY(ctx, emergency ? w_by_on_site : w_by_done));
  }
  fputs("</p>", f);
  int64_t done = at(r, "sla_done_at");
  if (done)
    fprintf(f, "<p class=\"%s\">%s</p>", done <= at(r, "due_at") ? "kept" : "late",
            done <= at(r, "due_at") ? SAY(ctx, w_kept) : SAY(ctx, w_missed));
  else if (json_is_true(json_object_get(r, "overdue")))
    fprintf(f, "<p class=\"late\">%s</p>", SAY(ctx, w_overdue));
}

static void put_status(FILE *f, const json_t *r, const follow_page_ctx *ctx, repair_status status,
                       repair_urgency urgency)
{
  char t[48];
  int category = lobby_name_index(repair_category_names, str(r, "category"));
  fprintf(f, "<main><h1>%s</h1><p class=\"meta\">%s ", SAY(ctx, w_title), SAY(ctx, w_ticket));
  put_text(f, str(r, "ticket"));
  if (category >= 0)
    fprintf(f, " · %s", SAY(ctx, category_label[category]));
  fprintf(f, " · %s</p><section class=\"card\"><p class=\"now\">%s</p>", SAY(ctx, urgency_label[urgency]),
          SAY(ctx, status_now[status]));
  int64_t arrived = first_at(r, "on_site");
  if (arrived) {
    say_time(ctx, arrived, t, sizeof t);
    fprintf(f, "<p>%s%s</p>", SAY(ctx, w_arrived), t);
  }
  put_promise(f, r, ctx, status, urgency);
  fputs("</section>", f);
}

/* The timeline, newest first: on a phone the latest step is what is read. */
/* The return visit's three answers as buttons of one form: no script,
 * one tap.  The form posts to the page's own /rate, relative to the page
 * so it works under any prefix the proxy adds. */
static void put_rating(FILE *f, const follow_page_ctx *ctx)
{
  if (!ctx->token)
    return;
  fprintf(f, "<section class=\"card\"><h2>%s</h2><form class=\"rate\" method=\"post\" action=\"",
          SAY(ctx, w_rate_question));
  put_text(f, ctx->token);
  fprintf(f, "/rate%s\">", ctx->lang == FOLLOW_LANG_EN ? "?lang=en" : "");
  for (size_t i = 0; i < sizeof w_rate_levels / sizeof w_rate_levels[0]; i++)
    fprintf(f, "<button name=\"satisfaction\" value=\"%s\">%s</button>", complaint_satisfaction_names[i],
            SAY(ctx, w_rate_levels[i]));
  fputs("</form></section>", f);
}

static void put_timeline(FILE *f, const json_t *r, const follow_page_ctx *ctx)
{
  const json_t *tl = json_object_get(r, "timeline");
  char t[48];
  fprintf(f, "<section class=\"card\"><h2>%s</h2><ol>", SAY(ctx, w_progress));
  for (size_t i = json_array_size(tl); i-- > 0;) {
    const json_t *ev = json_array_get(tl, i);
    repair_status s;
    if (repair_status_parse(str(ev, "status"), &s) != LOBBY_OK)
      continue;
    say_time(ctx, at(ev, "at"), t, sizeof t);
    fprintf(f, "<li><span>%s</span><time>%s</time></li>", SAY(ctx, status_label[s]), t);
  }
  fputs("</ol></section>", f);
}

/* Only digits, spaces and dashes of the service phone reach tel:. */
static void put_tel_href(FILE *f, const char *phone)
{
  for (; *phone; phone++)
    if ((*phone >= '0' && *phone <= '9') || *phone == '+')
      fputc(*phone, f);
}

static void put_contact(FILE *f, const json_t *r, const follow_page_ctx *ctx)
{
  const char *last4 = str(r, "phone_last4"), *service = str(r, "site_phone");
  if (!*service)
    service = ctx->service_phone ? ctx->service_phone : "";
  if (!*last4 && !*service)
    return;
  fputs("<section class=\"card\">", f);
  if (*last4) {
    fprintf(f, "<p>%s", SAY(ctx, w_phone));
    put_text(f, last4);
    fputs("</p>", f);
  }
  if (*service) {
    fprintf(f, "<p>%s</p><p><a class=\"tel\" href=\"tel:", SAY(ctx, w_service));
    put_tel_href(f, service);
    fputs("\">", f);
    put_text(f, service);
    fputs("</a></p>", f);
  }
  fputs("</section>", f);
}

static lobby_err finish(FILE *f, char **buf, size_t *len, char **out, size_t *out_len)
{
  bool failed = ferror(f) != 0;
  if (fclose(f) != 0 || failed) {
    free(*buf);
    return LOBBY_ENOMEM;
  }
  *out = *buf;
  *out_len = *len;
  return LOBBY_OK;
}

lobby_err follow_page_repair(const json_t *r, const follow_page_ctx *ctx, char **out, size_t *len)
{
  char *buf = NULL, t[48], title[96], version[32];
  size_t size = 0;
  repair_status status;
  repair_urgency urgency;
  if (repair_status_parse(str(r, "status"), &status) != LOBBY_OK)
    status = REPAIR_STATUS_SUBMITTED;
  if (repair_urgency_parse(str(r, "urgency"), &urgency) != LOBBY_OK)
    urgency = REPAIR_URGENCY_NORMAL;
  FILE *f = open_memstream(&buf, &size);
  if (!f)
    return LOBBY_ENOMEM;
  snprintf(title, sizeof title, "%s %s", SAY(ctx, w_title), str(r, "ticket"));
  follow_page_version(r, version, sizeof version);
  put_head(f, ctx, title, version);
  put_header(f, r, ctx);
  put_status(f, r, ctx, status, urgency);
  if (status == REPAIR_STATUS_COMPLETED)
    put_rating(f, ctx);
  put_timeline(f, r, ctx);
  put_contact(f, r, ctx);
  say_time(ctx, ctx->now, t, sizeof t);
  fputs("<footer>", f);
  fprintf(f, "%s%s</footer></main>", SAY(ctx, w_updated), t);
  /* Closed or cancelled, nothing more will happen: no script. */
  if (status != REPAIR_STATUS_CLOSED && status != REPAIR_STATUS_CANCELLED)
    fprintf(f, "<script>%s</script>", follow_page_script);
  fputs("</body></html>\n", f);
  return finish(f, &buf, &size, out, len);
}

/* A visit's state: the banner's words, its class, and the line under it. */
typedef struct {
  const char *state;
  words banner;
  const char *css;
} visit_state_words;

static const visit_state_words visit_states[] = {
  {"pending", {"等待确认", "Waiting for approval"}, "waiting"},
  {"approved", {"通行证有效", "Pass valid"}, "valid"},
  {"checked_out", {"已签离", "Signed out"}, "ended"},
  {"refused", {"未获准入，请联系前台", "Not approved. Please ask the front desk."}, "refused"},
  {"cancelled", {"已取消", "Cancelled"}, "ended"},
};

static const words w_pass_title = {"访客通行证", "Visitor pass"};
static const words w_waiting_hint = {"前台或您拜访的住户确认后即可进入", "You may go in once the front desk or your host approves."};
static const words w_signed_in = {"入场时间：", "Signed in: "};
static const words w_valid_until = {"有效至：", "Valid until: "};
static const words w_signed_out = {"签离时间：", "Signed out: "};
static const words w_auto_out = {"（超时自动签离）", " (signed out automatically)"};
static const words w_visitor = {"访客", "Visitor"};
static const words w_party = {"人数", "Party"};
static const words w_visiting = {"拜访", "Visiting"};
static const words w_code = {"通行码", "Pass code"};
static const words w_code_hint = {"离开时请在大堂自助机输入通行码签离", "When you leave, sign out at the lobby kiosk with this code."};

static const visit_state_words *visit_state_of(const char *state)
{
  for (size_t i = 0; i < sizeof visit_states / sizeof visit_states[0]; i++)
    if (strcmp(visit_states[i].state, state) == 0)
      return &visit_states[i];
  return &visit_states[0];
}

static void put_time_line(FILE *f, const follow_page_ctx *ctx, words label, int64_t t, const char *after)
{
  char s[48];
  say_time(ctx, t, s, sizeof s);
  fprintf(f, "<p>%s%s%s</p>", SAY(ctx, label), s, after ? after : "");
}

static void put_visit_state(FILE *f, const json_t *v, const follow_page_ctx *ctx, int hours)
{
  const visit_state_words *w = visit_state_of(str(v, "state"));
  int64_t in = at(v, "checked_in_at"), out = at(v, "checked_out_at");
  fprintf(f, "<section class=\"card\"><p class=\"pass %s\">%s</p>", w->css, SAY(ctx, w->banner));
  if (strcmp(w->state, "pending") == 0)
    fprintf(f, "<p>%s</p>", SAY(ctx, w_waiting_hint));
  if (in)
    put_time_line(f, ctx, w_signed_in, in, NULL);
  if (in && strcmp(w->state, "approved") == 0)
    put_time_line(f, ctx, w_valid_until, in + (int64_t)hours * 3600, NULL);
  if (out)
    put_time_line(f, ctx, w_signed_out, out,
                  json_is_true(json_object_get(v, "auto_checked_out")) || at(v, "auto_checked_out") == 1
                    ? SAY(ctx, w_auto_out) : NULL);
  fputs("</section>", f);
}

/* Who, where, how many and the code: the name masked, as on the kiosk. */
static void put_visit_details(FILE *f, const json_t *v, const follow_page_ctx *ctx)
{
  char name[64];
  lobby_name_mask(str(v, "name"), name, sizeof name);
  fprintf(f, "<section class=\"card\"><dl><dt>%s</dt><dd>", SAY(ctx, w_visitor));
  put_text(f, name);
  fprintf(f, "</dd><dt>%s</dt><dd>", SAY(ctx, w_visiting));
  put_text(f, str(v, "host"));
  fprintf(f, "</dd><dt>%s</dt><dd>%lld</dd>", SAY(ctx, w_party), (long long)at(v, "party_size"));
  if (*str(v, "pass_code")) {
    fprintf(f, "<dt>%s</dt><dd class=\"code\">", SAY(ctx, w_code));
    put_text(f, str(v, "pass_code"));
    fprintf(f, "</dd></dl><p>%s</p>", SAY(ctx, w_code_hint));
  } else {
    fputs("</dl>", f);
  }
  fputs("</section>", f);
}

lobby_err follow_page_visit(const json_t *v, const follow_page_ctx *ctx, int auto_checkout_hours,
                            char **out, size_t *len)
{
  char *buf = NULL, t[48], version[32];
  size_t size = 0;
  FILE *f = open_memstream(&buf, &size);
  if (!f)
    return LOBBY_ENOMEM;
  follow_page_version(v, version, sizeof version);
  put_head(f, ctx, SAY(ctx, w_pass_title), version);
  put_header(f, v, ctx);
  fprintf(f, "<main><h1>%s</h1>", SAY(ctx, w_pass_title));
  put_visit_state(f, v, ctx, auto_checkout_hours);
  put_visit_details(f, v, ctx);
  put_contact(f, v, ctx);
  say_time(ctx, ctx->now, t, sizeof t);
  fprintf(f, "<footer>%s%s</footer></main>", SAY(ctx, w_updated), t);
  /* Waiting or on site, the pass may still change: its long-poll. */
  if (strcmp(str(v, "state"), "pending") == 0 || strcmp(str(v, "state"), "approved") == 0)
    fprintf(f, "<script>%s</script>", follow_page_script);
  fputs("</body></html>\n", f);
  return finish(f, &buf, &size, out, len);
}

static lobby_err plain_page(const char *zh, const char *en, char **out, size_t *len)
{
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&buf, &size);
  if (!f)
    return LOBBY_ENOMEM;
  follow_page_ctx ctx = {.lang = FOLLOW_LANG_ZH};
  put_head(f, &ctx, zh, NULL);
  fprintf(f, "<main><h1>%s</h1><p>%s</p></main></body></html>\n", zh, en);
  return finish(f, &buf, &size, out, len);
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
    snprintf(out, size, "%.16s", str(r, "state"));
  else
    snprintf(out, size, "%.16s.%zu", str(r, "status"), json_array_size(json_object_get(r, "timeline")));
}

const char follow_page_script[] =
  "(function(){var v=document.body.getAttribute(\"data-v\"),u=location.pathname.replace(/\\/+$/,\"\")+\"/wait?wait=60&v=\"+encodeURIComponent(v);function later(ms){setTimeout(poll,ms)}function poll(){var x=new XMLHttpRequest();x.open(\"GET\",u);x.timeout=90000;x.onload=function(){if(x.status==200)location.reload();else later(x.status==304?0:60000)};x.onerror=x.ontimeout=function(){later(60000)};x.send()}later(1000)})();";
