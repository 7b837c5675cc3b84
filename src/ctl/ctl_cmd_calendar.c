/* calendar list | set | clear: the working-day calendar, whose holidays
 * and make-up working days decide "within one working day". */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"

static lobby_err day_row(const ctl_ctx *ctx, ctl_table *t, const json_t *d)
{
  (void)ctx;
  const char *cells[] = {json_string_value(json_object_get(d, "date")),
                         json_is_true(json_object_get(d, "workday")) ? "workday" : "holiday",
                         json_string_value(json_object_get(d, "note"))};
  return ctl_table_add_row(t, cells);
}

ctl_exit ctl_cmd_calendar_list(ctl_ctx *ctx, int argc, char **argv)
{
  static const char *const headers[] = {"DATE", "DAY", "NOTE"};
  static const ctl_list_shape shape = {headers, 3, 2, NULL};
  const char *year = NULL;
  const ctl_opt opts[] = {{"year", &year, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  long y;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl calendar list [--year YYYY]", &pos);
  if (code == CTL_EXIT_OK && year)
    code = ctl_checked(ctx, ctl_check_int("--year", year, 2000, 2099, &y, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/calendar");
  ctl_path_query(&path, "year", year);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_print_list(ctx, ctl_json_list(resp.json, "days"), &shape, day_row);
  ctl_http_response_free(&resp);
  return code;
}

ctl_exit ctl_cmd_calendar_set(ctl_ctx *ctx, int argc, char **argv)
{
  static const char *const kinds[] = {"holiday", "workday", NULL};
  const char *note = NULL;
  const ctl_opt opts[] = {{"note", &note, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 2,
                            "lobbyctl calendar set DATE holiday|workday [--note N]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = ctl_check_date("DATE", pos.items[0], &msg);
  if (err == LOBBY_OK) err = ctl_check_choice("DAY", pos.items[1], kinds, &msg);
  if (err == LOBBY_OK && note) err = ctl_check_text("--note", note, 0, 32, false, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:b, s:s}", "workday", strcmp(pos.items[1], "workday") == 0, "note",
                           note ? note : "");
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/calendar");
  ctl_path_segment(&path, pos.items[0]);
  code = ctl_call(ctx, "PUT", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_printf(ctx, "%s is now a %s\n", pos.items[0],
                                  strcmp(pos.items[1], "workday") == 0 ? "working day" : "holiday");
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

ctl_exit ctl_cmd_calendar_clear(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl calendar clear DATE", &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, ctl_check_date("DATE", pos.items[0], &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/calendar");
  ctl_path_segment(&path, pos.items[0]);
  code = ctl_call(ctx, "DELETE", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctl_printf(ctx, "%s follows the weekday rule again\n", pos.items[0]);
  ctl_http_response_free(&resp);
  return code;
}
