/* visit list | onsite | checkout | approve | refuse, and invite add */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_domain.h"

#define VISIT_ID_MAX 64

static lobby_err visit_row(const ctl_ctx *ctx, ctl_table *t, const json_t *v)
{
  char phone[40], party[16], in[40], out[40];
  const char *cells[] = {
    json_string_value(json_object_get(v, "id")),
    ctl_site_cell(v),
    json_string_value(json_object_get(v, "state")),
    json_string_value(json_object_get(v, "name")),
    ctl_phone_cell(ctx, json_string_value(json_object_get(v, "phone")), phone, sizeof phone),
    json_string_value(json_object_get(v, "purpose")),
    ctl_json_text(v, "party_size", party, sizeof party),
    json_string_value(json_object_get(v, "plate")),
    ctl_json_time(v, "checked_in_at", in, sizeof in),
    ctl_json_time(v, "checked_out_at", out, sizeof out),
    json_string_value(json_object_get(v, "host"))};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_visits(ctl_ctx *ctx, const json_t *root)
{
  static const char *const headers[] = {"ID", "SITE", "STATE", "NAME", "PHONE", "PURPOSE", "PARTY",
                                        "PLATE", "IN", "OUT", "HOST"};
  static const ctl_col_max max_cols[] = {{3, 12}, {0, 0}};
  static const ctl_list_shape shape = {headers, 11, 10, max_cols};
  return ctl_print_list(ctx, ctl_json_list(root, "visits"), &shape, visit_row);
}

static ctl_exit get_visits(ctl_ctx *ctx, ctl_path *path)
{
  ctl_path_site(ctx, path);
  ctl_http_response resp;
  ctl_exit code = ctl_call(ctx, "GET", path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_visits(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

ctl_exit ctl_cmd_visit_list(ctl_ctx *ctx, int argc, char **argv)
{
  const char *state = NULL, *date = NULL;
  const ctl_opt opts[] = {{"state", &state, NULL}, {"date", &date, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl visit list [--state S] [--date YYYY-MM-DD]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = state ? ctl_check_choice("--state", state, visit_state_names, &msg) : LOBBY_OK;
  if (err == LOBBY_OK && date)
    err = ctl_check_date("--date", date, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_path_init(&path, "/api/v1/visits");
  ctl_path_query(&path, "state", state);
  ctl_path_query(&path, "date", date);
  return get_visits(ctx, &path);
}

ctl_exit ctl_cmd_visit_onsite(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 0, "lobbyctl visit onsite", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_path_init(&path, "/api/v1/visits/onsite");
  return get_visits(ctx, &path);
}

/* POST /api/v1/visits/{id}/{action}, then one line saying what happened. */
static ctl_exit visit_action(ctl_ctx *ctx, const char *id, const char *action,
                             const json_t *body, const char *done)
{
  ctl_msg msg;
  ctl_exit code = ctl_checked(ctx, ctl_check_code("ID", id, VISIT_ID_MAX, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/visits");
  ctl_path_segment(&path, id);
  ctl_path_segment(&path, action);
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK) {
    const char *state = json_string_value(json_object_get(resp.json, "state"));
    code = ctl_printf(ctx, "visit %s %s%s%s\n", id, done, state ? "; state: " : "",
                      state ? state : "");
  }
  ctl_http_response_free(&resp);
  return code;
}

ctl_exit ctl_cmd_visit_checkout(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl visit checkout ID", &pos);
  return code != CTL_EXIT_OK ? code : visit_action(ctx, pos.items[0], "checkout", NULL, "checked out");
}

ctl_exit ctl_cmd_visit_approve(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl visit approve ID", &pos);
  return code != CTL_EXIT_OK ? code : visit_action(ctx, pos.items[0], "approve", NULL, "approved");
}

ctl_exit ctl_cmd_visit_refuse(ctl_ctx *ctx, int argc, char **argv)
{
  const char *reason = NULL;
  const ctl_opt opts[] = {{"reason", &reason, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1, "lobbyctl visit refuse ID --reason R", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  /* The kiosk shows the reason to the visitor, so it must be there. */
  lobby_err err = ctl_check_required("--reason", reason, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--reason", reason, 1, VISIT_REASON_MAX, false, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s}", "reason", reason);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  code = visit_action(ctx, pos.items[0], "refuse", body, "refused");
  json_decref(body);
  return code;
}

typedef struct {
  const char *name, *phone, *host, *purpose, *party, *plate, *valid_until;
  long party_size;
} invite_args;

static lobby_err check_invite(invite_args *a, ctl_msg *msg)
{
  long long until;
  lobby_err err = ctl_check_contact(a->name, a->phone, msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--host", a->host, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--host", a->host, 1, VISIT_HOST_MAX, false, msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--purpose", a->purpose, msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--purpose", a->purpose, visit_purpose_names, msg);
  if (err == LOBBY_OK && a->party)
    err = ctl_check_int("--party-size", a->party, 1, VISIT_PARTY_MAX, &a->party_size, msg);
  if (err == LOBBY_OK && a->plate)
    err = ctl_check_text("--plate", a->plate, 1, VISIT_PLATE_MAX, false, msg);
  if (err == LOBBY_OK && a->valid_until)
    err = ctl_check_time("--valid-until", a->valid_until, &until, msg);
  return err;
}

static json_t *invite_body(const ctl_ctx *ctx, const invite_args *a)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", a->name, "phone", a->phone,
                        "host", a->host, "purpose", a->purpose, "party_size", (int)a->party_size);
  if (ctl_json_add_optional(o, "plate", a->plate, "valid_until", a->valid_until, NULL) != LOBBY_OK ||
      ctl_json_add_site(ctx, o) != LOBBY_OK) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static ctl_exit print_invite(ctl_ctx *ctx, const json_t *answer)
{
  const char *code = json_string_value(json_object_get(answer, "invite_code"));
  if (!code) {
    fprintf(ctx->err, "lobbyctl: the server's answer has no invite_code\n");
    return CTL_EXIT_UNREACHABLE;
  }
  const char *until = json_string_value(json_object_get(answer, "valid_until_at"));
  if (!until)
    until = json_string_value(json_object_get(answer, "valid_until"));
  return ctl_printf(ctx, "invite code: %s\n(the visitor types it on the lobby kiosk%s%s)\n",
                  code, until ? "; valid until " : "", until ? until : "");
}

ctl_exit ctl_cmd_invite_add(ctl_ctx *ctx, int argc, char **argv)
{
  invite_args a = {.party_size = 1};
  const ctl_opt opts[] = {
    {"name", &a.name, NULL}, {"phone", &a.phone, NULL}, {"host", &a.host, NULL},
    {"purpose", &a.purpose, NULL}, {"party-size", &a.party, NULL}, {"plate", &a.plate, NULL},
    {"valid-until", &a.valid_until, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl invite add --name N --phone P --host H --purpose P", &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, check_invite(&a, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  json_t *body = invite_body(ctx, &a);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/invites");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_invite(ctx, resp.json);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}
