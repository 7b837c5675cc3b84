/* notice post | list | withdraw */
#include <stdlib.h>
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_domain.h"
#include "lobby_fs.h"

#define BODY_FILE_MAX (64 * 1024) /* the server's body limit */

typedef struct {
  const char *title, *body, *body_file, *category, *priority, *starts, *ends;
  const char *building, *group;
  bool pinned, emergency;
  long prio;
  char *file_text; /* owned: the contents of --body-file */
} notice_args;

static lobby_err read_body_file(notice_args *a, ctl_msg *msg)
{
  size_t len;
  lobby_err err = lobby_fs_read_all(a->body_file, BODY_FILE_MAX, &a->file_text, &len);
  if (err != LOBBY_OK) {
    snprintf(msg->text, sizeof msg->text, "--body-file: cannot read '%s': %s", a->body_file,
             lobby_strerror(err));
    return err;
  }
  /* Editors end files with a newline; the notice should not. */
  while (len > 0 && (a->file_text[len - 1] == '\n' || a->file_text[len - 1] == '\r'))
    a->file_text[--len] = '\0';
  a->body = a->file_text;
  return LOBBY_OK;
}

static lobby_err check_window(const notice_args *a, ctl_msg *msg)
{
  long long starts = 0, ends = 0;
  lobby_err err = LOBBY_OK;
  if (a->starts)
    err = ctl_check_time("--starts", a->starts, &starts, msg);
  if (err == LOBBY_OK && a->ends)
    err = ctl_check_time("--ends", a->ends, &ends, msg);
  if (err == LOBBY_OK && a->starts && a->ends && ends <= starts) {
    snprintf(msg->text, sizeof msg->text, "--ends must be after --starts");
    err = LOBBY_EINVAL;
  }
  return err;
}

static lobby_err check_post(notice_args *a, ctl_msg *msg)
{
  lobby_err err = ctl_check_required("--title", a->title, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--title", a->title, 1, NOTICE_TITLE_MAX, false, msg);
  if (err == LOBBY_OK && !a->body == !a->body_file) {
    snprintf(msg->text, sizeof msg->text, "give the text with --body TEXT or --body-file FILE (one of them)");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && a->body_file)
    err = read_body_file(a, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text(a->body_file ? "body-file" : "body", a->body, 1, NOTICE_BODY_MAX, true, msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--category", a->category, notice_category_names, msg);
  if (err == LOBBY_OK && a->priority)
    err = ctl_check_int("--priority", a->priority, 0, NOTICE_PRIORITY_MAX, &a->prio, msg);
  if (err == LOBBY_OK)
    err = check_window(a, msg);
  if (err == LOBBY_OK && a->building && a->group) {
    snprintf(msg->text, sizeof msg->text, "use --building or --group, not both (neither = every building)");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && a->building)
    err = ctl_check_code("--building", a->building, 16, msg);
  if (err == LOBBY_OK && a->group)
    err = ctl_check_code("--group", a->group, 32, msg);
  return err;
}

static json_t *target_json(const notice_args *a)
{
  if (a->building)
    return json_pack("{s:s, s:s}", "type", "building", "building", a->building);
  if (a->group)
    return json_pack("{s:s, s:s}", "type", "group", "group", a->group);
  return json_pack("{s:s}", "type", "all");
}

static json_t *post_body(const ctl_ctx *ctx, const notice_args *a)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:b, s:b, s:o}", "title", a->title, "body",
                        a->body, "category", a->category, "priority", (int)a->prio, "pinned",
                        a->pinned, "emergency", a->emergency, "target", target_json(a));
  if (ctl_json_add_optional(o, "starts_at", a->starts, "ends_at", a->ends, NULL) != LOBBY_OK ||
      ctl_json_add_site(ctx, o) != LOBBY_OK) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static ctl_exit send_post(ctl_ctx *ctx, const notice_args *a)
{
  json_t *body = post_body(ctx, a);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/notices");
  ctl_exit code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK) {
    char num[32];
    const char *id = ctl_json_text(resp.json, "id", num, sizeof num);
    code = ctl_printf(ctx, "notice %s posted%s\n", id ? id : "?",
                      a->emergency ? " (emergency: kiosks show it full screen)" : "");
  }
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

ctl_exit ctl_cmd_notice_post(ctl_ctx *ctx, int argc, char **argv)
{
  notice_args a = {.category = NULL};
  const ctl_opt opts[] = {
    {"title", &a.title, NULL}, {"body", &a.body, NULL}, {"body-file", &a.body_file, NULL},
    {"category", &a.category, NULL}, {"priority", &a.priority, NULL},
    {"pinned", NULL, &a.pinned}, {"emergency", NULL, &a.emergency},
    {"starts", &a.starts, NULL}, {"ends", &a.ends, NULL},
    {"building", &a.building, NULL}, {"group", &a.group, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl notice post --title T --body B ...", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  if (!a.category)
    a.category = "other";
  code = ctl_checked(ctx, check_post(&a, &msg), &msg);
  if (code == CTL_EXIT_OK)
    code = send_post(ctx, &a);
  free(a.file_text); /* --body-file's text, read by check_post */
  return code;
}

/* "all", "building 1", "group east" from {"type": …}. */
static const char *target_text(const json_t *n, char *buf, size_t size)
{
  const json_t *t = json_object_get(n, "target");
  const char *type = json_string_value(json_object_get(t, "type"));
  if (!type)
    return NULL;
  const char *v = json_string_value(json_object_get(t, type));
  snprintf(buf, size, "%s%s%s", type, v ? " " : "", v ? v : "");
  return buf;
}

static const char *flags_text(const json_t *n, char *buf, size_t size)
{
  bool pinned = json_is_true(json_object_get(n, "pinned"));
  bool emergency = json_is_true(json_object_get(n, "emergency"));
  snprintf(buf, size, "%s%s%s", pinned ? "pinned" : "", pinned && emergency ? "," : "",
           emergency ? "EMERGENCY" : "");
  return buf;
}

static const char *state_text(const json_t *n, char *buf, size_t size)
{
  const char *s = ctl_json_text(n, "state", buf, size);
  if (s)
    return s;
  const json_t *w = json_object_get(n, "withdrawn_at");
  return w && !json_is_null(w) ? "withdrawn" : "";
}

static lobby_err notice_row(const ctl_ctx *ctx, ctl_table *t, const json_t *n)
{
  (void)ctx;
  char id[32], pri[32], flags[32], target[80], starts[40], ends[40], state[40];
  const char *cells[] = {
    ctl_json_text(n, "id", id, sizeof id), ctl_site_cell(n),
    ctl_json_text(n, "priority", pri, sizeof pri),
    ctl_json_text(n, "category", NULL, 0), flags_text(n, flags, sizeof flags),
    target_text(n, target, sizeof target),
    ctl_json_time(n, "starts_at", starts, sizeof starts),
    ctl_json_time(n, "ends_at", ends, sizeof ends),
    state_text(n, state, sizeof state), ctl_json_text(n, "title", NULL, 0)};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_notices(ctl_ctx *ctx, const json_t *root)
{
  static const char *const headers[] = {"ID", "SITE", "PRI", "CATEGORY", "FLAGS", "TARGET",
                                        "STARTS", "ENDS", "STATE", "TITLE"};
  static const ctl_list_shape shape = {headers, 10, 9, NULL};
  return ctl_print_list(ctx, ctl_json_list(root, "notices"), &shape, notice_row);
}

ctl_exit ctl_cmd_notice_list(ctl_ctx *ctx, int argc, char **argv)
{
  bool all = false;
  const ctl_opt opts[] = {{"all", NULL, &all}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl notice list [--all]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/notices");
  ctl_path_query(&path, "state", all ? "all" : "active");
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_notices(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

ctl_exit ctl_cmd_notice_withdraw(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl notice withdraw ID", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  long id;
  ctl_msg msg;
  code = ctl_checked(ctx, ctl_check_int("ID", pos.items[0], 1, 2147483647L, &id, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/notices");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "withdraw");
  code = ctl_call(ctx, "POST", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : ctl_printf(ctx, "notice %ld withdrawn\n", id);
  ctl_http_response_free(&resp);
  return code;
}
