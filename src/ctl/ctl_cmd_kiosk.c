/* kiosk add | list | revoke */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"

#define KIOSK_NAME_MAX 32

/* The token is printed once, with the kiosk.ini lines that use it, because
 * the server keeps only its hash: whoever enrols the kiosk copies it now. */
static ctl_exit print_enrolled(ctl_ctx *ctx, const json_t *answer, const char *name)
{
  const char *token = json_string_value(json_object_get(answer, "token"));
  if (!token) {
    fprintf(ctx->err, "lobbyctl: the server's answer has no token\n");
    return CTL_EXIT_UNREACHABLE;
  }
  return ctl_printf(ctx,
                    "kiosk %s enrolled.  Its token is shown only this once:\n\n  %s\n\n"
                    "Put these lines in the kiosk's kiosk.ini:\n\n"
                    "[server]\nurl = %s\ntoken = %s\n",
                    name, token, ctx->server, token);
}

ctl_exit ctl_cmd_kiosk_add(ctl_ctx *ctx, int argc, char **argv)
{
  const char *building = NULL, *group = NULL;
  const ctl_opt opts[] = {{"building", &building, NULL}, {"group", &group, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            "lobbyctl kiosk add NAME --building CODE [--group G] [--site CODE]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  const char *name = pos.items[0];
  ctl_msg msg;
  lobby_err err = ctl_check_code("NAME", name, KIOSK_NAME_MAX, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--building", building, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_code("--building", building, 16, &msg);
  if (err == LOBBY_OK && group)
    err = ctl_check_code("--group", group, 32, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s, s:s}", "name", name, "building", building);
  if (ctl_json_add_optional(body, "group", group, NULL) != LOBBY_OK ||
      ctl_json_add_site(ctx, body) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  }
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/kiosks");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_enrolled(ctx, resp.json, name);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

static const char *online_text(const json_t *k)
{
  const json_t *revoked = json_object_get(k, "revoked_at");
  if (json_is_true(json_object_get(k, "revoked")) || (revoked && !json_is_null(revoked)))
    return "revoked";
  const json_t *on = json_object_get(k, "online");
  return json_is_boolean(on) ? (json_is_true(on) ? "online" : "offline") : NULL;
}

static lobby_err kiosk_row(const ctl_ctx *ctx, ctl_table *t, const json_t *k)
{
  (void)ctx;
  char seen[40], queued[32];
  const char *cells[] = {
    json_string_value(json_object_get(k, "name")),
    ctl_site_cell(k),
    json_string_value(json_object_get(k, "building")),
    json_string_value(json_object_get(k, "group")),
    online_text(k),
    ctl_json_time(k, "last_seen_at", seen, sizeof seen),
    json_string_value(json_object_get(k, "version")),
    ctl_json_text(k, "queued", queued, sizeof queued)};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_kiosks(ctl_ctx *ctx, const json_t *root)
{
  static const char *const headers[] = {"NAME", "SITE", "BUILDING", "GROUP", "STATE", "LAST SEEN",
                                        "VERSION", "QUEUED"};
  static const ctl_list_shape shape = {headers, 8, -1, NULL};
  return ctl_print_list(ctx, ctl_json_list(root, "kiosks"), &shape, kiosk_row);
}

ctl_exit ctl_cmd_kiosk_list(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 0, "lobbyctl kiosk list", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/kiosks");
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_kiosks(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

ctl_exit ctl_cmd_kiosk_revoke(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl kiosk revoke NAME", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_msg msg;
  code = ctl_checked(ctx, ctl_check_code("NAME", pos.items[0], KIOSK_NAME_MAX, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/kiosks");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "revoke");
  code = ctl_call(ctx, "POST", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK)
    code = ctl_printf(ctx, "kiosk %s revoked; its token no longer works\n", pos.items[0]);
  ctl_http_response_free(&resp);
  return code;
}
