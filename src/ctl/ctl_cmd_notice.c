/* notice post | list | withdraw | image */
#include <stdlib.h>
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_domain.h"
#include "lobby_fs.h"

#define BODY_FILE_MAX (64 * 1024) /* the server's body limit */
#define PICTURE_FILE_MAX (8 * 1024 * 1024) /* the server's limit for a picture */

/* A JPEG or PNG file to upload as a notice's picture. */
typedef struct {
  char *data; /* owned */
  size_t len;
  const char *type;
} picture_file;

typedef struct {
  const char *title, *body, *body_file, *category, *priority, *starts, *ends;
  const char *building, *group, *image;
  bool pinned, emergency;
  long prio;
  char *file_text; /* owned: the contents of --body-file */
  picture_file picture; /* --image's file, read by check_post */
} notice_args;

/* The type the file's first bytes announce; NULL for neither JPEG nor
 * PNG.  The server reads the rest of the picture. */
static const char *picture_type(const char *data, size_t len)
{
  static const char jpeg[] = "\xff\xd8\xff", png[] = "\x89PNG\r\n\x1a\n";
  if (len >= sizeof jpeg - 1 && memcmp(data, jpeg, sizeof jpeg - 1) == 0)
    return "image/jpeg";
  if (len >= sizeof png - 1 && memcmp(data, png, sizeof png - 1) == 0)
    return "image/png";
  return NULL;
}

/* Reads the picture file named by option, so that a wrong file is told
 * before anything is posted. */
static lobby_err read_picture(const char *option, const char *file, picture_file *p, ctl_msg *msg)
{
  lobby_err err = lobby_fs_read_all(file, PICTURE_FILE_MAX, &p->data, &p->len);
  if (err == LOBBY_ETOOBIG)
    snprintf(msg->text, sizeof msg->text, "%s: '%s' is over 8 MiB, the most the server takes; "
             "save it smaller first", option, file);
  else if (err != LOBBY_OK)
    snprintf(msg->text, sizeof msg->text, "%s: cannot read '%s': %s", option, file,
             lobby_strerror(err));
  else if (!(p->type = picture_type(p->data, p->len))) {
    snprintf(msg->text, sizeof msg->text, "%s: '%s' is not a JPEG or PNG picture", option, file);
    err = LOBBY_EINVAL;
  }
  return err;
}

/* PUT /api/v1/notices/{id}/image; resp is the notice with its picture. */
static ctl_exit send_picture(ctl_ctx *ctx, const char *id, const picture_file *p,
                             ctl_http_response *resp)
{
  ctl_path path;
  ctl_path_init(&path, "/api/v1/notices");
  ctl_path_segment(&path, id);
  ctl_path_segment(&path, "image");
  return ctl_call_bytes(ctx, "PUT", &path, p->type, p->data, p->len, resp);
}

/* "960 × 1920" from the notice's "image". */
static const char *picture_size(const json_t *notice, char *buf, size_t size)
{
  const json_t *image = json_object_get(notice, "image");
  snprintf(buf, size, "%" JSON_INTEGER_FORMAT " × %" JSON_INTEGER_FORMAT,
           json_integer_value(json_object_get(image, "width")),
           json_integer_value(json_object_get(image, "height")));
  return buf;
}

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
  if (err == LOBBY_OK && a->image)
    err = read_picture("--image", a->image, &a->picture, msg);
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

/* The notice is posted; its picture goes up next.  Should that fail,
 * the notice stays and the message says how to add the picture. */
static ctl_exit send_post_picture(ctl_ctx *ctx, const notice_args *a, const char *id,
                                  ctl_http_response *resp)
{
  ctl_exit code = send_picture(ctx, id, &a->picture, resp);
  if (code != CTL_EXIT_OK)
    fprintf(ctx->err, "lobbyctl: notice %s was posted without its picture; send it with "
                      "`lobbyctl notice image %s %s`, or withdraw the notice\n", id, id, a->image);
  return code;
}

static ctl_exit report_post(ctl_ctx *ctx, const notice_args *a, const char *id,
                            const ctl_http_response *resp)
{
  char size[64];
  if (ctx->json)
    return ctl_print_json(ctx, resp);
  return ctl_printf(ctx, "notice %s posted%s%s%s%s\n", id, a->image ? " with its picture (" : "",
                    a->image ? picture_size(resp->json, size, sizeof size) : "",
                    a->image ? ")" : "",
                    a->emergency ? " (emergency: kiosks show it full screen)" : "");
}

static ctl_exit send_post(ctl_ctx *ctx, const notice_args *a)
{
  json_t *body = post_body(ctx, a);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  char num[32], id[32] = "?";
  ctl_path_init(&path, "/api/v1/notices");
  ctl_exit code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  json_decref(body);
  if (code == CTL_EXIT_OK && ctl_json_text(resp.json, "id", num, sizeof num))
    snprintf(id, sizeof id, "%s", num);
  if (code == CTL_EXIT_OK && a->image) {
    ctl_http_response_free(&resp);
    code = send_post_picture(ctx, a, id, &resp);
  }
  if (code == CTL_EXIT_OK)
    code = report_post(ctx, a, id, &resp);
  ctl_http_response_free(&resp);
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
    {"building", &a.building, NULL}, {"group", &a.group, NULL}, {"image", &a.image, NULL},
    {NULL, NULL, NULL}};
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
  free(a.file_text); /* --body-file's text and --image's file, read by check_post */
  free(a.picture.data);
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
  bool picture = json_is_object(json_object_get(n, "image"));
  snprintf(buf, size, "%s%s%s%s%s", pinned ? "pinned" : "", pinned && emergency ? "," : "",
           emergency ? "EMERGENCY" : "", (pinned || emergency) && picture ? "," : "",
           picture ? "picture" : "");
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

/* Sets (or with --remove takes away) the picture of a notice. */
static ctl_exit send_image_change(ctl_ctx *ctx, const char *id, const picture_file *p,
                                  ctl_http_response *resp)
{
  if (p)
    return send_picture(ctx, id, p, resp);
  ctl_path path;
  ctl_path_init(&path, "/api/v1/notices");
  ctl_path_segment(&path, id);
  ctl_path_segment(&path, "image");
  return ctl_call(ctx, "DELETE", &path, NULL, NULL, resp);
}

static lobby_err check_image_args(const ctl_pos *pos, bool remove, const char *usage,
                                  picture_file *p, ctl_msg *msg)
{
  long id;
  lobby_err err = ctl_check_int("ID", pos->items[0], 1, 2147483647L, &id, msg);
  if (err == LOBBY_OK && remove == (pos->n == 2)) {
    snprintf(msg->text, sizeof msg->text, "give a picture FILE or --remove (one of them); "
             "usage: %s", usage);
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && !remove)
    err = read_picture("FILE", pos->items[1], p, msg);
  return err;
}

ctl_exit ctl_cmd_notice_image(ctl_ctx *ctx, int argc, char **argv)
{
  bool remove = false;
  const ctl_opt opts[] = {{"remove", NULL, &remove}, {NULL, NULL, NULL}};
  static const char usage[] = "lobbyctl notice image ID FILE | --remove";
  ctl_pos pos;
  ctl_msg msg;
  picture_file p = {0};
  ctl_exit code = ctl_parse_between(ctx, argc, argv, opts, 1, 2, usage, &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, check_image_args(&pos, remove, usage, &p, &msg), &msg);
  if (code != CTL_EXIT_OK) {
    free(p.data);
    return code;
  }
  ctl_http_response resp;
  char size[64];
  code = send_image_change(ctx, pos.items[0], remove ? NULL : &p, &resp);
  free(p.data);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK && remove)
    code = ctl_printf(ctx, "notice %s: picture removed\n", pos.items[0]);
  else if (code == CTL_EXIT_OK)
    code = ctl_printf(ctx, "notice %s: picture set (%s)\n", pos.items[0],
                      picture_size(resp.json, size, sizeof size));
  ctl_http_response_free(&resp);
  return code;
}
