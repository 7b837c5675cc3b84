/* renovation list | add | extend and worker add | revoke: renovations
 * (装修登记) and their workers' temporary passes (临时出入证) from the front
 * desk's terminal.  The three-month rule is checked locally first
 * (renovation_period_valid), so a wrong end costs no round trip. */
#include <stdio.h>
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_renovation.h"
#include "lobby_text.h"

#define CODE_MAX 16

static lobby_err renovation_row(const ctl_ctx *ctx, ctl_table *t, const json_t *r)
{
  char unit[64], phone[40], workers[32];
  const char *status = json_string_value(json_object_get(r, "status"));
  if (json_is_true(json_object_get(r, "expired")))
    status = "expired";
  else if (json_is_true(json_object_get(r, "ending_soon")))
    status = "ending_soon";
  snprintf(workers, sizeof workers, "%lld/%lld",
           (long long)json_integer_value(json_object_get(r, "workers_on_site")),
           (long long)json_integer_value(json_object_get(r, "workers_active")));
  const char *cells[] = {
    json_string_value(json_object_get(r, "number")),
    ctl_site_cell(r),
    status,
    json_string_value(json_object_get(r, "start")),
    json_string_value(json_object_get(r, "end")),
    ctl_unit_cell(r, unit, sizeof unit),
    json_string_value(json_object_get(r, "company")),
    json_string_value(json_object_get(r, "manager")),
    ctl_phone_cell(ctx, json_string_value(json_object_get(r, "manager_phone")), phone, sizeof phone),
    workers};
  return ctl_table_add_row(t, cells);
}

ctl_exit ctl_cmd_renovation_list(ctl_ctx *ctx, int argc, char **argv)
{
  static const char *const headers[] = {"NUMBER", "SITE", "STATUS", "START", "END", "UNIT",
                                        "COMPANY", "MANAGER", "PHONE", "ON SITE/PASSES"};
  static const ctl_col_max max_cols[] = {{6, 24}, {0, 0}};
  static const ctl_list_shape shape = {headers, 10, 6, max_cols};
  const char *status = NULL, *within = NULL;
  const ctl_opt opts[] = {{"status", &status, NULL}, {"ending-within", &within, NULL},
                          {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  long days = 0;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0,
                            "lobbyctl renovation list [--status S] [--ending-within DAYS]", &pos);
  lobby_err err = LOBBY_OK;
  if (code == CTL_EXIT_OK && status)
    err = ctl_check_choice("--status", status, renovation_status_names, &msg);
  if (code == CTL_EXIT_OK && err == LOBBY_OK && within)
    err = ctl_check_int("--ending-within", within, 1, 366, &days, &msg);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, err, &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/renovations");
  ctl_path_query(&path, "status", status);
  ctl_path_query(&path, "ending_within_days", within);
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_print_list(ctx, ctl_json_list(resp.json, "renovations"), &shape,
                                      renovation_row);
  ctl_http_response_free(&resp);
  return code;
}

typedef struct {
  const char *building, *unit, *room, *company, *manager, *phone, *works, *start, *end, *key;
} add_args;

/* The period's rule, as lobbyd checks it, with the latest end named. */
static lobby_err check_period(const add_args *a, ctl_msg *msg)
{
  char latest[11];
  lobby_err err = ctl_check_date("--start", a->start, msg);
  if (err == LOBBY_OK) err = ctl_check_date("--end", a->end, msg);
  if (err == LOBBY_OK && !renovation_period_valid(a->start, a->end, latest)) {
    snprintf(msg->text, sizeof msg->text,
             "--end must be from --start (%s) to at most three months later (%s)", a->start, latest);
    err = LOBBY_EINVAL;
  }
  return err;
}

static lobby_err check_add(const add_args *a, ctl_msg *msg)
{
  const char *const required[][2] = {{"--building", a->building}, {"--unit", a->unit},
                                     {"--room", a->room}, {"--company", a->company},
                                     {"--manager", a->manager}, {"--manager-phone", a->phone},
                                     {"--start", a->start}, {"--end", a->end}};
  lobby_err err = LOBBY_OK;
  for (size_t i = 0; i < sizeof required / sizeof required[0] && err == LOBBY_OK; i++)
    err = ctl_check_required(required[i][0], required[i][1], msg);
  if (err == LOBBY_OK) err = ctl_check_code("--building", a->building, CODE_MAX, msg);
  if (err == LOBBY_OK) err = ctl_check_code("--unit", a->unit, CODE_MAX, msg);
  if (err == LOBBY_OK) err = ctl_check_code("--room", a->room, CODE_MAX, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--company", a->company, 1, RENOVATION_COMPANY_MAX, false, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--manager", a->manager, 1, RENOVATION_MANAGER_MAX, false, msg);
  if (err == LOBBY_OK) err = ctl_check_phone("--manager-phone", a->phone, msg);
  if (err == LOBBY_OK && a->works)
    err = ctl_check_text("--works", a->works, 0, RENOVATION_WORKS_MAX, true, msg);
  if (err == LOBBY_OK) err = check_period(a, msg);
  if (err == LOBBY_OK && a->key && !lobby_idempotency_key_valid(a->key)) {
    snprintf(msg->text, sizeof msg->text,
             "--idempotency-key: use 8 to 64 letters, digits, '_' or '-' (or leave it out)");
    err = LOBBY_EINVAL;
  }
  return err;
}

/* A POST that creates something, with an Idempotency-Key (the given one
 * or a fresh one); print says what was made. */
static ctl_exit send_create(ctl_ctx *ctx, ctl_path *path, json_t *body, const char *given_key,
                            ctl_exit (*print)(ctl_ctx *, const ctl_http_response *))
{
  char key[72];
  ctl_http_response resp;
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  if (given_key)
    snprintf(key, sizeof key, "%s", given_key);
  else if (ctl_idempotency_key(key, sizeof key) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_EIO);
  }
  ctl_exit code = ctl_call(ctx, "POST", path, body, key, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print(ctx, &resp);
  else if (code == CTL_EXIT_UNREACHABLE)
    /* The request may have arrived; the same key makes a retry safe. */
    fprintf(ctx->err, "lobbyctl: to retry without risking a second one, add "
                      "--idempotency-key %s\n", key);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

static ctl_exit print_registered(ctl_ctx *ctx, const ctl_http_response *resp)
{
  const json_t *r = resp->json;
  return ctl_printf(ctx, "renovation %s registered, %s to %s%s\n",
                    json_string_value(json_object_get(r, "number")),
                    json_string_value(json_object_get(r, "start")),
                    json_string_value(json_object_get(r, "end")),
                    resp->replay ? " (already received earlier: the same one, not a new one)" : "");
}

ctl_exit ctl_cmd_renovation_add(ctl_ctx *ctx, int argc, char **argv)
{
  add_args a = {0};
  const ctl_opt opts[] = {
    {"building", &a.building, NULL}, {"unit", &a.unit, NULL}, {"room", &a.room, NULL},
    {"company", &a.company, NULL}, {"manager", &a.manager, NULL},
    {"manager-phone", &a.phone, NULL}, {"works", &a.works, NULL}, {"start", &a.start, NULL},
    {"end", &a.end, NULL}, {"idempotency-key", &a.key, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl renovation add --building B ...",
                            &pos);
  if (code != CTL_EXIT_OK || (code = ctl_checked(ctx, check_add(&a, &msg), &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s}", "unit", "building",
                           a.building, "unit", a.unit, "room", a.room, "company", a.company,
                           "manager", a.manager, "manager_phone", a.phone, "start", a.start,
                           "end", a.end);
  if (ctl_json_add_optional(body, "works", a.works, NULL) != LOBBY_OK ||
      ctl_json_add_site(ctx, body) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  }
  ctl_path path;
  ctl_path_init(&path, "/api/v1/renovations");
  return send_create(ctx, &path, body, a.key, print_registered);
}

static lobby_err check_number(const char *value, ctl_msg *msg)
{
  if (renovation_number_valid(value))
    return LOBBY_OK;
  snprintf(msg->text, sizeof msg->text,
           "'%s' is not a renovation number; they look like Z-20261204-0007", value);
  return LOBBY_EINVAL;
}

ctl_exit ctl_cmd_renovation_extend(ctl_ctx *ctx, int argc, char **argv)
{
  const char *end = NULL, *reason = NULL;
  const ctl_opt opts[] = {{"end", &end, NULL}, {"reason", &reason, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            "lobbyctl renovation extend NUMBER --end YYYY-MM-DD --reason TEXT", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = check_number(pos.items[0], &msg);
  if (err == LOBBY_OK) err = ctl_check_required("--end", end, &msg);
  if (err == LOBBY_OK) err = ctl_check_date("--end", end, &msg);
  if (err == LOBBY_OK) err = ctl_check_required("--reason", reason, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--reason", reason, 1, RENOVATION_REASON_MAX, true, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s, s:s, s:s}", "event", "extend", "end", end, "reason", reason);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/renovations");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "events");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_printf(ctx, "%s now ends on %s\n", pos.items[0],
                                  json_string_value(json_object_get(resp.json, "end")));
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

/* The pass code is what the worker types at the kiosk. */
static ctl_exit print_pass(ctl_ctx *ctx, const ctl_http_response *resp)
{
  const json_t *w = resp->json;
  return ctl_printf(ctx, "pass %lld for %s: code %s, valid until %s\n",
                    (long long)json_integer_value(json_object_get(w, "id")),
                    json_string_value(json_object_get(w, "name")),
                    json_string_value(json_object_get(w, "pass_code")),
                    json_string_value(json_object_get(w, "valid_until")));
}

ctl_exit ctl_cmd_worker_add(ctl_ctx *ctx, int argc, char **argv)
{
  const char *name = NULL, *phone = NULL, *until = NULL, *key = NULL;
  const ctl_opt opts[] = {{"name", &name, NULL}, {"phone", &phone, NULL},
                          {"valid-until", &until, NULL}, {"idempotency-key", &key, NULL},
                          {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            "lobbyctl worker add NUMBER --name N --phone P [--valid-until YYYY-MM-DD]",
                            &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = check_number(pos.items[0], &msg);
  if (err == LOBBY_OK) err = ctl_check_required("--name", name, &msg);
  if (err == LOBBY_OK) err = ctl_check_text("--name", name, 1, WORKER_NAME_MAX, false, &msg);
  if (err == LOBBY_OK) err = ctl_check_required("--phone", phone, &msg);
  if (err == LOBBY_OK) err = ctl_check_phone("--phone", phone, &msg);
  if (err == LOBBY_OK && until) err = ctl_check_date("--valid-until", until, &msg);
  if (err == LOBBY_OK && key && !lobby_idempotency_key_valid(key)) {
    snprintf(msg.text, sizeof msg.text,
             "--idempotency-key: use 8 to 64 letters, digits, '_' or '-' (or leave it out)");
    err = LOBBY_EINVAL;
  }
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s, s:s}", "name", name, "phone", phone);
  if (ctl_json_add_optional(body, "valid_until", until, NULL) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  }
  ctl_path path;
  ctl_path_init(&path, "/api/v1/renovations");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "workers");
  return send_create(ctx, &path, body, key, print_pass);
}

ctl_exit ctl_cmd_worker_revoke(ctl_ctx *ctx, int argc, char **argv)
{
  const char *reason = NULL;
  const ctl_opt opts[] = {{"reason", &reason, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  long id = 0;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1, "lobbyctl worker revoke ID --reason TEXT",
                            &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = ctl_check_int("ID", pos.items[0], 1, 2147483647L, &id, &msg);
  if (err == LOBBY_OK) err = ctl_check_required("--reason", reason, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--reason", reason, 1, RENOVATION_REASON_MAX, true, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s}", "reason", reason);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/workers");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "revoke");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_printf(ctx, "pass %s is now revoked\n", pos.items[0]);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}
