/* The follow page of a complaint, suggestion, praise or enquiry
 * (投诉建议): where it stands, by when we answer, the answer itself once
 * given, and then the return visit's question. */
#include "follow_page_internal.h"

#include <string.h>
#include "lobby_complaint.h"
#include "lobby_repair.h" /* lobby_name_index */

/* In the order of complaint_kind_names and complaint_category_names. */
static const follow_words kind_label[] = {
  {"投诉", "Complaint"}, {"建议", "Suggestion"}, {"表扬", "Praise"}, {"咨询", "Enquiry"},
};
static const follow_words category_label[] = {
  {"服务态度", "Staff attitude"}, {"保洁卫生", "Cleaning"}, {"安全秩序", "Security"},
  {"噪音邻里", "Noise, neighbours"}, {"停车", "Parking"}, {"收费", "Fees"},
  {"设施设备", "Facilities"}, {"其他", "Other"},
};

static const follow_words status_now[COMPLAINT_STATUS_COUNT] = {
  [COMPLAINT_STATUS_SUBMITTED] = {"已收到，我们会尽快受理", "Received. We will look at it shortly."},
  [COMPLAINT_STATUS_ACCEPTED] = {"已受理，正在安排专人处理", "Accepted. Someone is being put in charge."},
  [COMPLAINT_STATUS_ASSIGNED] = {"已安排专人处理", "Someone is in charge of it."},
  [COMPLAINT_STATUS_REPLIED] = {"物业已答复", "We have answered."},
  [COMPLAINT_STATUS_RETURN_VISITED] = {"已回访，感谢您的评价", "Followed up. Thank you for your rating."},
  [COMPLAINT_STATUS_CLOSED] = {"已办结", "Closed."},
  [COMPLAINT_STATUS_FOLLOW_UP] = {"正在跟进处理", "We are following it up."},
};

static const follow_words w_title = {"投诉建议进度", "Your message to us"};
static const follow_words w_number = {"编号", "Number"};
static const follow_words w_answer = {"物业答复", "Our answer"};
/* Around the time: before it, then after it. */
static const follow_words w_answer_by = {"我们将在 ", "We will answer by "};
static const follow_words w_answer_by_end = {" 前答复您", ""};
static const follow_words w_answer_late = {"已超过答复时间，我们正在加急处理", "Past the time we promised to answer. We are hurrying."};
static const follow_words w_phone = {"联系电话：尾号 ", "Phone: ending "};
static const follow_words w_rate_question = {"您对这次答复满意吗？", "Are you happy with our answer?"};

static void put_status(FILE *f, const json_t *c, const follow_page_ctx *ctx, complaint_status status)
{
  char t[48];
  int kind = lobby_name_index(complaint_kind_names, follow_page__str(c, "kind"));
  int category = lobby_name_index(complaint_category_names, follow_page__str(c, "category"));
  fprintf(f, "<main><h1>%s</h1><p class=\"meta\">%s ", FOLLOW_SAY(ctx, w_title), FOLLOW_SAY(ctx, w_number));
  follow_page__text(f, follow_page__str(c, "number"));
  if (kind >= 0)
    fprintf(f, " · %s", FOLLOW_SAY(ctx, kind_label[kind]));
  if (category >= 0)
    fprintf(f, " · %s", FOLLOW_SAY(ctx, category_label[category]));
  fprintf(f, "</p><section class=\"card\"><p class=\"now\">%s</p>", FOLLOW_SAY(ctx, status_now[status]));
  bool waiting = !*follow_page__str(c, "reply") && status != COMPLAINT_STATUS_CLOSED;
  if (waiting && json_is_true(json_object_get(c, "overdue"))) {
    fprintf(f, "<p class=\"late\">%s</p>", FOLLOW_SAY(ctx, w_answer_late));
  } else if (waiting && follow_page__at(c, "reply_due_at")) {
    follow_page__time(ctx, follow_page__at(c, "reply_due_at"), t, sizeof t);
    fprintf(f, "<p>%s%s%s</p>", FOLLOW_SAY(ctx, w_answer_by), t, FOLLOW_SAY(ctx, w_answer_by_end));
  }
  fputs("</section>", f);
}

/* The answer as staff wrote it (escaped; its line breaks kept). */
static void put_answer(FILE *f, const json_t *c, const follow_page_ctx *ctx)
{
  char t[48] = "";
  if (!*follow_page__str(c, "reply"))
    return;
  if (follow_page__at(c, "replied_at"))
    follow_page__time(ctx, follow_page__at(c, "replied_at"), t, sizeof t);
  fprintf(f, "<section class=\"card\"><h2>%s <time>%s</time></h2><p class=\"reply\">", FOLLOW_SAY(ctx, w_answer), t);
  follow_page__text(f, follow_page__str(c, "reply"));
  fputs("</p></section>", f);
}

lobby_err follow_page_complaint(const json_t *c, const follow_page_ctx *ctx, char **out, size_t *len)
{
  char title[96], version[32];
  complaint_status status;
  follow_page_buf b;
  if (complaint_status_parse(follow_page__str(c, "status"), &status) != LOBBY_OK)
    status = COMPLAINT_STATUS_SUBMITTED;
  if (follow_page__open(&b) != LOBBY_OK)
    return LOBBY_ENOMEM;
  snprintf(title, sizeof title, "%s %s", FOLLOW_SAY(ctx, w_title), follow_page__str(c, "number"));
  follow_page_version(c, version, sizeof version);
  follow_page__begin(b.f, ctx, c, title, version);
  put_status(b.f, c, ctx, status);
  put_answer(b.f, c, ctx);
  /* The return visit needs the phone the message was left with. */
  if (status == COMPLAINT_STATUS_REPLIED && *follow_page__str(c, "phone_last4"))
    follow_page__rating(b.f, ctx, w_rate_question);
  follow_page__contact(b.f, c, ctx, w_phone);
  follow_page__end(b.f, ctx, status != COMPLAINT_STATUS_CLOSED);
  return follow_page__close(&b, out, len);
}
