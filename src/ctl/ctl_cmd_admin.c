/* directory show | load */
#include <stdlib.h>
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_fs.h"

#define DIRECTORY_MAX (64 * 1024) /* the server's body limit */

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
