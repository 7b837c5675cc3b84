/* The follow page of a repair: where it stands in plain words, the
 * promise and whether it was kept, the technician's arrival, the
 * timeline, and once done the return visit's question. */
#include "follow_page_internal.h"

#include <string.h>
#include "lobby_repair.h"

static const follow_words status_now[REPAIR_STATUS_COUNT] = {
  [REPAIR_STATUS_SUBMITTED] = {"报修已收到，客服会尽快受理", "We have your request. The front desk will accept it shortly."},
  [REPAIR_STATUS_ACCEPTED] = {"客服已受理，正在安排维修师傅", "Accepted. A technician is being assigned."},
  [REPAIR_STATUS_DISPATCHED] = {"已安排维修师傅，师傅会上门维修", "A technician is assigned and will come to you."},
  [REPAIR_STATUS_ON_SITE] = {"维修师傅已到场", "The technician is on site."},
  [REPAIR_STATUS_COMPLETED] = {"维修已完成，请您评价这次服务", "The work is done. Please tell us how it went."},
  [REPAIR_STATUS_RETURN_VISIT] = {"已回访，感谢您的评价", "Followed up. Thank you for your rating."},
  [REPAIR_STATUS_CLOSED] = {"本单已办结", "This request is closed."},
  [REPAIR_STATUS_CANCELLED] = {"本单已取消", "This request was cancelled."},
};

static const follow_words status_label[REPAIR_STATUS_COUNT] = {
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
static const follow_words category_label[] = {
  {"水管水龙头", "Water and taps"}, {"电路电灯", "Power and lights"},
  {"门窗门锁", "Doors and locks"}, {"电梯", "Lift"}, {"家用电器", "Appliances"},
  {"公共区域", "Common areas"}, {"其他", "Other"},
};

static const follow_words urgency_label[REPAIR_URGENCY_COUNT] = {
  [REPAIR_URGENCY_EMERGENCY] = {"紧急", "Emergency"},
  [REPAIR_URGENCY_NORMAL] = {"普通", "Normal"},
  [REPAIR_URGENCY_APPOINTMENT] = {"预约", "Appointment"},
};

static const follow_words w_title = {"报修进度", "Repair progress"};
static const follow_words w_ticket = {"单号", "Ticket"};
static const follow_words w_arrived = {"师傅到场时间：", "Arrived: "};
/* Phrases around a time: before it, then after it. */
static const follow_words w_promise = {"承诺：", "Promised: "};
static const follow_words w_by_on_site = {" 前到场", ""}, w_on_site_by = {"", "on site by "};
static const follow_words w_by_done = {" 前完成", ""}, w_done_by = {"", "done by "};
static const follow_words w_window = {"预约上门时间：", "Booked visit: "};
static const follow_words w_window_to = {" 至 ", " to "};
static const follow_words w_kept = {"已按承诺时间完成", "The promise was kept."};
static const follow_words w_missed = {"未能在承诺时间内完成，我们向您致歉", "Later than promised. We apologise."};
static const follow_words w_overdue = {"已超过承诺时间，我们正在加急处理", "Past the promised time. We are hurrying."};
static const follow_words w_progress = {"进度记录", "Progress"};
static const follow_words w_phone = {"报修电话：尾号 ", "Phone: ending "};
static const follow_words w_rate_question = {"您对这次维修满意吗？", "Are you happy with the repair?"};

/* The first time the timeline reached status s, or 0. */
static int64_t first_at(const json_t *r, const char *status)
{
  size_t i;
  json_t *ev;
  json_array_foreach(json_object_get(r, "timeline"), i, ev) {
    if (strcmp(follow_page__str(ev, "status"), status) == 0)
      return follow_page__at(ev, "at");
  }
  return 0;
}

/* The promise (by when) and whether it was kept, under the status. */
static void put_promise(FILE *f, const json_t *r, const follow_page_ctx *ctx, repair_status status,
                        repair_urgency urgency)
{
  char t1[48], t2[48];
  if (status == REPAIR_STATUS_CANCELLED)
    return;
  fputs("<p>", f);
  if (urgency == REPAIR_URGENCY_APPOINTMENT && follow_page__at(r, "window_from") && follow_page__at(r, "window_to")) {
    follow_page__time(ctx, follow_page__at(r, "window_from"), t1, sizeof t1);
    follow_page__time(ctx, follow_page__at(r, "window_to"), t2, sizeof t2);
    fprintf(f, "%s%s%s%s", FOLLOW_SAY(ctx, w_window), t1, FOLLOW_SAY(ctx, w_window_to), t2);
  } else {
    bool emergency = urgency == REPAIR_URGENCY_EMERGENCY;
    follow_page__time(ctx, follow_page__at(r, "due_at"), t1, sizeof t1);
    fprintf(f, "%s%s%s%s", FOLLOW_SAY(ctx, w_promise), FOLLOW_SAY(ctx, emergency ? w_on_site_by : w_done_by), t1,
            FOLLOW_SAY(ctx, emergency ? w_by_on_site : w_by_done));
  }
  fputs("</p>", f);
  int64_t done = follow_page__at(r, "sla_done_at");
  if (done)
    fprintf(f, "<p class=\"%s\">%s</p>", done <= follow_page__at(r, "due_at") ? "kept" : "late",
            done <= follow_page__at(r, "due_at") ? FOLLOW_SAY(ctx, w_kept) : FOLLOW_SAY(ctx, w_missed));
  else if (json_is_true(json_object_get(r, "overdue")))
    fprintf(f, "<p class=\"late\">%s</p>", FOLLOW_SAY(ctx, w_overdue));
}

static void put_status(FILE *f, const json_t *r, const follow_page_ctx *ctx, repair_status status,
                       repair_urgency urgency)
{
  char t[48];
  int category = lobby_name_index(repair_category_names, follow_page__str(r, "category"));
  fprintf(f, "<main><h1>%s</h1><p class=\"meta\">%s ", FOLLOW_SAY(ctx, w_title), FOLLOW_SAY(ctx, w_ticket));
  follow_page__text(f, follow_page__str(r, "ticket"));
  if (category >= 0)
    fprintf(f, " · %s", FOLLOW_SAY(ctx, category_label[category]));
  fprintf(f, " · %s</p><section class=\"card\"><p class=\"now\">%s</p>", FOLLOW_SAY(ctx, urgency_label[urgency]),
          FOLLOW_SAY(ctx, status_now[status]));
  int64_t arrived = first_at(r, "on_site");
  if (arrived) {
    follow_page__time(ctx, arrived, t, sizeof t);
    fprintf(f, "<p>%s%s</p>", FOLLOW_SAY(ctx, w_arrived), t);
  }
  put_promise(f, r, ctx, status, urgency);
  fputs("</section>", f);
}

/* The timeline, newest first: on a phone the latest step is what is read. */
static void put_timeline(FILE *f, const json_t *r, const follow_page_ctx *ctx)
{
  const json_t *tl = json_object_get(r, "timeline");
  char t[48];
  fprintf(f, "<section class=\"card\"><h2>%s</h2><ol>", FOLLOW_SAY(ctx, w_progress));
  for (size_t i = json_array_size(tl); i-- > 0;) {
    const json_t *ev = json_array_get(tl, i);
    repair_status s;
    if (repair_status_parse(follow_page__str(ev, "status"), &s) != LOBBY_OK)
      continue;
    follow_page__time(ctx, follow_page__at(ev, "at"), t, sizeof t);
    fprintf(f, "<li><span>%s</span><time>%s</time></li>", FOLLOW_SAY(ctx, status_label[s]), t);
  }
  fputs("</ol></section>", f);
}

lobby_err follow_page_repair(const json_t *r, const follow_page_ctx *ctx, char **out, size_t *len)
{
  char title[96], version[32];
  repair_status status;
  repair_urgency urgency;
  follow_page_buf b;
  if (repair_status_parse(follow_page__str(r, "status"), &status) != LOBBY_OK)
    status = REPAIR_STATUS_SUBMITTED;
  if (repair_urgency_parse(follow_page__str(r, "urgency"), &urgency) != LOBBY_OK)
    urgency = REPAIR_URGENCY_NORMAL;
  if (follow_page__open(&b) != LOBBY_OK)
    return LOBBY_ENOMEM;
  snprintf(title, sizeof title, "%s %s", FOLLOW_SAY(ctx, w_title), follow_page__str(r, "ticket"));
  follow_page_version(r, version, sizeof version);
  follow_page__begin(b.f, ctx, r, title, version);
  put_status(b.f, r, ctx, status, urgency);
  if (status == REPAIR_STATUS_COMPLETED)
    follow_page__rating(b.f, ctx, w_rate_question);
  put_timeline(b.f, r, ctx);
  follow_page__contact(b.f, r, ctx, w_phone);
  /* Closed or cancelled, nothing more will happen: no script. */
  follow_page__end(b.f, ctx, status != REPAIR_STATUS_CLOSED && status != REPAIR_STATUS_CANCELLED);
  return follow_page__close(&b, out, len);
}
