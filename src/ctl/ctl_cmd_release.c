/* release list | approve | refuse | cancel: item-release passes (物品放行)
 * from the front desk's terminal.  Approving needs --verified: the desk
 * has checked that the applicant lives in or owns the unit. */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_release.h"
#include "lobby_text.h"

static lobby_err release_row(const ctl_ctx *ctx, ctl_table *t, const json_t *r)
{
  char unit[64], phone[40];
  const char *status = json_string_value(json_object_get(r, "status"));
  if (json_is_true(json_object_get(r, "expired")))
    status = "expired";
  const char *cells[] = {
    json_string_value(json_object_get(r, "number")),
    ctl_site_cell(r),
    status,
    json_string_value(json_object_get(r, "date")),
    ctl_unit_cell(r, unit, sizeof unit),
    json_string_value(json_object_get(r, "name")),
    ctl_phone_cell(ctx, json_string_value(json_object_get(r, "phone")), phone, sizeof phone),
    json_string_value(json_object_get(r, "code")),
    json_string_value(json_object_get(r, "items"))};
  return ctl_table_add_row(t, cells);
}

ctl_exit ctl_cmd_release_list(ctl_ctx *ctx, int argc, char **argv)
{
  static const char *const headers[] = {"NUMBER", "SITE", "STATUS", "DATE", "UNIT", "NAME",
                                        "PHONE", "CODE", "ITEMS"};
  static const ctl_col_max max_cols[] = {{8, 40}, {0, 0}};
  static const ctl_list_shape shape = {headers, 9, 8, max_cols};
  const char *status = NULL, *date = NULL;
  const ctl_opt opts[] = {{"status", &status, NULL}, {"date", &date, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0,
                            "lobbyctl release list [--status S] [--date YYYY-MM-DD]", &pos);
  lobby_err err = LOBBY_OK;
  if (code == CTL_EXIT_OK && status)
    err = ctl_check_choice("--status", status, release_status_names, &msg);
  if (code == CTL_EXIT_OK && err == LOBBY_OK && date)
    err = ctl_check_date("--date", date, &msg);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, err, &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/releases");
  ctl_path_query(&path, "status", status);
  ctl_path_query(&path, "date", date);
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_print_list(ctx, ctl_json_list(resp.json, "releases"), &shape, release_row);
  ctl_http_response_free(&resp);
  return code;
}

static lobby_err check_number(const char *value, ctl_msg *msg)
{
  if (release_number_valid(value))
    return LOBBY_OK;
  snprintf(msg->text, sizeof msg->text,
           "'%s' is not a release pass number; they look like F-20261204-0007", value);
  return LOBBY_EINVAL;
}

/* Sends the desk's event (body) on number and says what became of it. */
static ctl_exit send_event(ctl_ctx *ctx, const char *number, json_t *body)
{
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/releases");
  ctl_path_segment(&path, number);
  ctl_path_segment(&path, "events");
  ctl_exit code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK) {
    const char *pass_code = json_string_value(json_object_get(resp.json, "code"));
    const char *status = json_string_value(json_object_get(resp.json, "status"));
    code = pass_code && strcmp(status ? status : "", "approved") == 0
      ? ctl_printf(ctx, "%s is now approved; release code %s (valid on %s)\n", number, pass_code,
                   json_string_value(json_object_get(resp.json, "date")))
      : ctl_printf(ctx, "%s is now %s\n", number, status ? status : "?");
  }
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

ctl_exit ctl_cmd_release_approve(ctl_ctx *ctx, int argc, char **argv)
{
  bool verified = false;
  const char *note = NULL;
  const ctl_opt opts[] = {{"verified", NULL, &verified}, {"note", &note, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            "lobbyctl release approve NUMBER --verified [--note N]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = check_number(pos.items[0], &msg);
  if (err == LOBBY_OK && !verified) {
    snprintf(msg.text, sizeof msg.text,
             "--verified is required: first check that the applicant lives in or owns the unit");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && note)
    err = ctl_check_text("--note", note, 1, RELEASE_NOTE_MAX, true, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s, s:b}", "event", "approve", "verified", 1);
  if (!body || ctl_json_add_optional(body, "note", note, NULL) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  }
  return send_event(ctx, pos.items[0], body);
}

/* refuse and cancel: the same shape, a reason the resident reads. */
static ctl_exit with_reason(ctl_ctx *ctx, int argc, char **argv, const char *event,
                            const char *usage)
{
  const char *reason = NULL, *note = NULL;
  const ctl_opt opts[] = {{"reason", &reason, NULL}, {"note", &note, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1, usage, &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = check_number(pos.items[0], &msg);
  if (err == LOBBY_OK) err = ctl_check_required("--reason", reason, &msg);
  if (err == LOBBY_OK) err = ctl_check_text("--reason", reason, 1, RELEASE_REASON_MAX, true, &msg);
  if (err == LOBBY_OK && note) err = ctl_check_text("--note", note, 1, RELEASE_NOTE_MAX, true, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s, s:s}", "event", event, "reason", reason);
  if (!body || ctl_json_add_optional(body, "note", note, NULL) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  }
  return send_event(ctx, pos.items[0], body);
}

ctl_exit ctl_cmd_release_refuse(ctl_ctx *ctx, int argc, char **argv)
{
  return with_reason(ctx, argc, argv, "refuse", "lobbyctl release refuse NUMBER --reason TEXT");
}

ctl_exit ctl_cmd_release_cancel(ctl_ctx *ctx, int argc, char **argv)
{
  return with_reason(ctx, argc, argv, "cancel", "lobbyctl release cancel NUMBER --reason TEXT");
}
