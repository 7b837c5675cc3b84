/* The pass page of a visit, for the visitor and the guard at the gate:
 * whether the pass is valid and until when, who (masked), where, how
 * many, and the code while valid. */
#include "follow_page_internal.h"

#include <string.h>
#include "lobby_text.h"

/* Visits keep no phone digits to show. */
static const follow_words w_no_phone = {"", ""};

/* A visit's state: the banner's words, its class, and the line under it. */
typedef struct {
  const char *state;
  follow_words banner;
  const char *css;
} visit_state_words;

static const visit_state_words visit_states[] = {
  {"pending", {"等待确认", "Waiting for approval"}, "waiting"},
  {"approved", {"通行证有效", "Pass valid"}, "valid"},
  {"checked_out", {"已签离", "Signed out"}, "ended"},
  {"refused", {"未获准入，请联系前台", "Not approved. Please ask the front desk."}, "refused"},
  {"cancelled", {"已取消", "Cancelled"}, "ended"},
};

static const follow_words w_pass_title = {"访客通行证", "Visitor pass"};
static const follow_words w_waiting_hint = {"前台或您拜访的住户确认后即可进入", "You may go in once the front desk or your host approves."};
static const follow_words w_signed_in = {"入场时间：", "Signed in: "};
static const follow_words w_valid_until = {"有效至：", "Valid until: "};
static const follow_words w_signed_out = {"签离时间：", "Signed out: "};
static const follow_words w_auto_out = {"（超时自动签离）", " (signed out automatically)"};
static const follow_words w_visitor = {"访客", "Visitor"};
static const follow_words w_party = {"人数", "Party"};
static const follow_words w_visiting = {"拜访", "Visiting"};
static const follow_words w_code = {"通行码", "Pass code"};
static const follow_words w_code_hint = {"离开时请在大堂自助机输入通行码签离", "When you leave, sign out at the lobby kiosk with this code."};

static const visit_state_words *visit_state_of(const char *state)
{
  for (size_t i = 0; i < sizeof visit_states / sizeof visit_states[0]; i++)
    if (strcmp(visit_states[i].state, state) == 0)
      return &visit_states[i];
  return &visit_states[0];
}

static void put_time_line(FILE *f, const follow_page_ctx *ctx, follow_words label, int64_t t, const char *after)
{
  char s[48];
  follow_page__time(ctx, t, s, sizeof s);
  fprintf(f, "<p>%s%s%s</p>", FOLLOW_SAY(ctx, label), s, after ? after : "");
}

static void put_visit_state(FILE *f, const json_t *v, const follow_page_ctx *ctx, int hours)
{
  const visit_state_words *w = visit_state_of(follow_page__str(v, "state"));
  int64_t in = follow_page__at(v, "checked_in_at"), out = follow_page__at(v, "checked_out_at");
  fprintf(f, "<section class=\"card\"><p class=\"pass %s\">%s</p>", w->css, FOLLOW_SAY(ctx, w->banner));
  if (strcmp(w->state, "pending") == 0)
    fprintf(f, "<p>%s</p>", FOLLOW_SAY(ctx, w_waiting_hint));
  if (in)
    put_time_line(f, ctx, w_signed_in, in, NULL);
  if (in && strcmp(w->state, "approved") == 0)
    put_time_line(f, ctx, w_valid_until, in + (int64_t)hours * 3600, NULL);
  if (out)
    put_time_line(f, ctx, w_signed_out, out,
                  json_is_true(json_object_get(v, "auto_checked_out")) || follow_page__at(v, "auto_checked_out") == 1
                    ? FOLLOW_SAY(ctx, w_auto_out) : NULL);
  fputs("</section>", f);
}

/* Who, where, how many and the code: the name masked, as on the kiosk. */
static void put_visit_details(FILE *f, const json_t *v, const follow_page_ctx *ctx)
{
  char name[64];
  lobby_name_mask(follow_page__str(v, "name"), name, sizeof name);
  fprintf(f, "<section class=\"card\"><dl><dt>%s</dt><dd>", FOLLOW_SAY(ctx, w_visitor));
  follow_page__text(f, name);
  fprintf(f, "</dd><dt>%s</dt><dd>", FOLLOW_SAY(ctx, w_visiting));
  follow_page__text(f, follow_page__str(v, "host"));
  fprintf(f, "</dd><dt>%s</dt><dd>%lld</dd>", FOLLOW_SAY(ctx, w_party), (long long)follow_page__at(v, "party_size"));
  if (*follow_page__str(v, "pass_code")) {
    fprintf(f, "<dt>%s</dt><dd class=\"code\">", FOLLOW_SAY(ctx, w_code));
    follow_page__text(f, follow_page__str(v, "pass_code"));
    fprintf(f, "</dd></dl><p>%s</p>", FOLLOW_SAY(ctx, w_code_hint));
  } else {
    fputs("</dl>", f);
  }
  fputs("</section>", f);
}

lobby_err follow_page_visit(const json_t *v, const follow_page_ctx *ctx, int auto_checkout_hours,
                            char **out, size_t *len)
{
  char version[32];
  follow_page_buf b;
  if (follow_page__open(&b) != LOBBY_OK)
    return LOBBY_ENOMEM;
  follow_page_version(v, version, sizeof version);
  follow_page__begin(b.f, ctx, v, FOLLOW_SAY(ctx, w_pass_title), version);
  fprintf(b.f, "<main><h1>%s</h1>", FOLLOW_SAY(ctx, w_pass_title));
  put_visit_state(b.f, v, ctx, auto_checkout_hours);
  put_visit_details(b.f, v, ctx);
  follow_page__contact(b.f, v, ctx, w_no_phone);
  /* Waiting or on site, the pass may still change: its long-poll. */
  follow_page__end(b.f, ctx, strcmp(follow_page__str(v, "state"), "pending") == 0 || strcmp(follow_page__str(v, "state"), "approved") == 0);
  return follow_page__close(&b, out, len);
}

