/* staff add, directory show | load */
#include <stdlib.h>
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_fs.h"
#include "lobby_role.h"

#define STAFF_NAME_MAX 32
#define DIRECTORY_MAX (64 * 1024) /* the server's body limit */

static ctl_exit print_staff(ctl_ctx *ctx, const json_t *answer, const char *name)
{
  const char *token = json_string_value(json_object_get(answer, "token"));
  const char *role = json_string_value(json_object_get(answer, "role"));
  if (!token) {
    fprintf(ctx->err, "lobbyctl: the server's answer has no token\n");
    return CTL_EXIT_UNREACHABLE;
  }
  /* Shown once: the server keeps only a hash of it. */
  return ctl_printf(ctx,
                    "staff %s (%s) created.  The token is shown only this once:\n\n  %s\n\n"
                    "Give it to them to use as LOBBY_TOKEN.\n",
                    name, role ? role : "?", token);
}

ctl_exit ctl_cmd_staff_add(ctl_ctx *ctx, int argc, char **argv)
{
  const char *role = NULL;
  const ctl_opt opts[] = {{"role", &role, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            "lobbyctl staff add NAME --role admin|front_desk|technician", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  const char *name = pos.items[0];
  lobby_err err = ctl_check_text("NAME", name, 1, STAFF_NAME_MAX, false, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--role", role, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--role", role, lobby_staff_role_names, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s, s:s}", "name", name, "role", role);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/staff");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_staff(ctx, resp.json, name);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

static size_t count_rooms(const json_t *building)
{
  size_t n = 0, i;
  const json_t *u;
  json_array_foreach(json_object_get(building, "units"), i, u)
    n += json_array_size(json_object_get(u, "rooms"));
  return n;
}

static lobby_err building_row(const ctl_ctx *ctx, ctl_table *t, const json_t *b)
{
  (void)ctx;
  char units[16], rooms[16];
  const json_t *approval = json_object_get(b, "requires_approval");
  snprintf(units, sizeof units, "%zu", json_array_size(json_object_get(b, "units")));
  snprintf(rooms, sizeof rooms, "%zu", count_rooms(b));
  const char *cells[] = {
    json_string_value(json_object_get(b, "code")), ctl_site_cell(b),
    json_string_value(json_object_get(b, "name")),
    json_is_boolean(approval) ? (json_is_true(approval) ? "required" : "no") : NULL,
    units, rooms};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_directory(ctl_ctx *ctx, const json_t *root)
{
  static const char *const headers[] = {"BUILDING", "SITE", "NAME", "VISITOR APPROVAL", "UNITS", "ROOMS"};
  static const ctl_list_shape shape = {headers, 6, -1, NULL};
  return ctl_print_list(ctx, ctl_json_list(root, "buildings"), &shape, building_row);
}

ctl_exit ctl_cmd_directory_show(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 0, "lobbyctl directory show", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/directory");
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_directory(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

/* Reads and parses the file here so a typo in it is reported with its line
 * and column, not as the server's bad_json. */
static lobby_err load_directory_file(const char *file, json_t **out, ctl_msg *msg)
{
  char *text = NULL;
  size_t len;
  *out = NULL;
  lobby_err err = lobby_fs_read_all(file, DIRECTORY_MAX, &text, &len);
  if (err != LOBBY_OK) {
    snprintf(msg->text, sizeof msg->text, "cannot read '%s': %s%s", file, lobby_strerror(err),
             err == LOBBY_ETOOBIG ? " (the server takes at most 64 KiB)" : "");
    return err;
  }
  json_error_t jerr;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  free(text);
  if (!root) {
    snprintf(msg->text, sizeof msg->text, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
    return LOBBY_EINVAL;
  }
  if (!json_is_array(json_object_get(root, "buildings"))) {
    json_decref(root);
    snprintf(msg->text, sizeof msg->text,
             "%s: expected {\"buildings\": [{\"code\", \"name\", \"requires_approval\", \"units\"}]}", file);
    return LOBBY_EINVAL;
  }
  *out = root;
  return LOBBY_OK;
}

ctl_exit ctl_cmd_directory_load(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl directory load FILE.json", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  json_t *body;
  if ((code = ctl_checked(ctx, load_directory_file(pos.items[0], &body, &msg), &msg)) != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/directory");
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "PUT", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK) {
    const json_t *list = json_object_get(body, "buildings");
    size_t rooms = 0, i;
    const json_t *b;
    json_array_foreach(list, i, b)
      rooms += count_rooms(b);
    code = ctl_printf(ctx, "directory loaded: %zu buildings, %zu rooms\n", json_array_size(list), rooms);
  }
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}
