/* staff add and staff sites: accounts for people and which sites
 * (compounds) each works for. */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_role.h"

#define STAFF_NAME_MAX 32
#define STAFF_SITES_MAX 32 /* the store's limit per staff member */

/* ["a", "b"] from "a,b" (already checked by ctl_check_code_list). */
static json_t *code_array(const char *list)
{
  json_t *arr = json_array();
  for (const char *p = list; arr && *p;) {
    size_t len = strcspn(p, ",");
    if (json_array_append_new(arr, json_stringn(p, len)) != 0) {
      json_decref(arr);
      return NULL;
    }
    p += len + (p[len] == ',');
  }
  return arr;
}

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
  const char *role = NULL, *sites = NULL;
  const ctl_opt opts[] = {{"role", &role, NULL}, {"sites", &sites, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            "lobbyctl staff add NAME --role admin|front_desk|technician|guard "
                            "[--sites CODE[,CODE...]]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  const char *name = pos.items[0];
  lobby_err err = ctl_check_text("NAME", name, 1, STAFF_NAME_MAX, false, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--role", role, &msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--role", role, lobby_staff_role_names, &msg);
  if (err == LOBBY_OK && sites)
    err = ctl_check_code_list("--sites", sites, CTL_SITE_CODE_MAX, STAFF_SITES_MAX, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  /* The account and its sites are one write: it never reaches more. */
  json_t *body = json_pack("{s:s, s:s, s:o}", "name", name, "role", role, "sites",
                           sites ? code_array(sites) : json_array());
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

static ctl_exit print_staff_sites(ctl_ctx *ctx, const char *name, const json_t *row)
{
  const json_t *sites = json_object_get(row, "sites");
  if (json_array_size(sites) == 0)
    return ctl_printf(ctx, "staff %s now works for every site\n", name);
  ctl_exit code = ctl_printf(ctx, "staff %s now works for:", name);
  size_t i;
  const json_t *s;
  json_array_foreach(sites, i, s) {
    if (code == CTL_EXIT_OK)
      code = ctl_printf(ctx, "%s%s", i ? ", " : " ", json_string_value(s) ? json_string_value(s) : "?");
  }
  return code == CTL_EXIT_OK ? ctl_printf(ctx, "\n") : code;
}

ctl_exit ctl_cmd_staff_sites(ctl_ctx *ctx, int argc, char **argv)
{
  bool all = false;
  const ctl_opt opts[] = {{"all", NULL, &all}, {NULL, NULL, NULL}};
  static const char usage[] = "lobbyctl staff sites NAME CODE[,CODE...] | --all";
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse_between(ctx, argc, argv, opts, 1, 2, usage, &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = ctl_check_text("NAME", pos.items[0], 1, STAFF_NAME_MAX, false, &msg);
  if (err == LOBBY_OK && all == (pos.n == 2)) {
    snprintf(msg.text, sizeof msg.text, "give the site codes or --all (one of them); usage: %s", usage);
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && !all)
    err = ctl_check_code_list("CODE", pos.items[1], CTL_SITE_CODE_MAX, STAFF_SITES_MAX, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *list = all ? json_array() : code_array(pos.items[1]);
  json_t *body = list ? json_pack("{s:o}", "sites", list) : NULL;
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/staff");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "sites");
  code = ctl_call(ctx, "PUT", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_staff_sites(ctx, pos.items[0], resp.json);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}
