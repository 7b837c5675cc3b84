#include "ctl_cmd.h"

#include <stdarg.h>
#include <string.h>

#include "lobby_text.h"
#include "lobby_time.h"

ctl_exit ctl_usage_error(ctl_ctx *ctx, const ctl_msg *msg)
{
  fprintf(ctx->err, "lobbyctl: %s\n", msg->text);
  return CTL_EXIT_USAGE;
}

ctl_exit ctl_checked(ctl_ctx *ctx, lobby_err err, const ctl_msg *msg)
{
  return err == LOBBY_OK ? CTL_EXIT_OK : ctl_usage_error(ctx, msg);
}

ctl_exit ctl_internal_error(ctl_ctx *ctx, lobby_err err)
{
  fprintf(ctx->err, "lobbyctl: %s\n", lobby_strerror(err));
  /* Not the server's fault and not a usage problem; 3 tells scripts to retry. */
  return CTL_EXIT_UNREACHABLE;
}

ctl_exit ctl_parse(ctl_ctx *ctx, int argc, char **argv, const ctl_opt *opts, size_t npos,
                   const char *usage, ctl_pos *pos)
{
  return ctl_parse_between(ctx, argc, argv, opts, npos, npos, usage, pos);
}

/* --site wins over LOBBY_SITE; an empty value (an exported but empty
 * variable) means no site, and a code is checked here so a typo is not
 * a round trip. */
static ctl_exit settle_site(ctl_ctx *ctx)
{
  if (ctx->site_opt)
    ctx->site = ctx->site_opt;
  if (ctx->site && !*ctx->site)
    ctx->site = NULL;
  ctl_msg msg;
  if (ctx->site && ctl_check_code(ctx->site_opt ? "--site" : "LOBBY_SITE", ctx->site,
                                  CTL_SITE_CODE_MAX, &msg) != LOBBY_OK)
    return ctl_usage_error(ctx, &msg);
  return CTL_EXIT_OK;
}

ctl_exit ctl_parse_between(ctl_ctx *ctx, int argc, char **argv, const ctl_opt *opts,
                           size_t min_pos, size_t max_pos, const char *usage, ctl_pos *pos)
{
  const ctl_opt globals[] = {
    {"server", &ctx->server_opt, NULL}, {"token", &ctx->token_opt, NULL},
    {"json", NULL, &ctx->json},         {"full", NULL, &ctx->full},
    {"ca-file", &ctx->ca_file_opt, NULL}, {"pin", &ctx->pin_opt, NULL},
    {"site", &ctx->site_opt, NULL},     {NULL, NULL, NULL}};
  static const ctl_opt none[] = {{NULL, NULL, NULL}};
  const ctl_opt *sets[] = {opts ? opts : none, globals, NULL};
  ctl_msg msg;
  if (ctl_args_parse(argc, argv, sets, pos, &msg) != LOBBY_OK)
    return ctl_usage_error(ctx, &msg);
  size_t want = pos->n < min_pos ? min_pos : pos->n > max_pos ? max_pos : pos->n;
  if (ctl_args_positional(pos, want, usage, &msg) != LOBBY_OK)
    return ctl_usage_error(ctx, &msg);
  if (ctx->server_opt)
    ctx->server = ctx->server_opt;
  if (ctx->token_opt)
    ctx->token = ctx->token_opt;
  if (ctx->ca_file_opt)
    ctx->ca_file = ctx->ca_file_opt;
  if (ctx->pin_opt)
    ctx->pin = ctx->pin_opt;
  return settle_site(ctx);
}

void ctl_path_site(const ctl_ctx *ctx, ctl_path *path)
{
  ctl_path_query(path, "site", ctx->site);
}

lobby_err ctl_json_add_site(const ctl_ctx *ctx, json_t *body)
{
  return ctl_json_add_optional(body, "site", ctx->site, NULL);
}

const char *ctl_site_cell(const json_t *record)
{
  const json_t *site = json_object_get(record, "site");
  if (json_is_null(site))
    return "all"; /* a notice for every site */
  return json_string_value(site);
}

/* "1-2-301" from {"unit": {"building", "unit", "room"}} (or the same keys
 * at the top level); public-area tickets have empty unit and room. */
const char *ctl_unit_cell(const json_t *r, char *buf, size_t size)
{
  const json_t *u = json_object_get(r, "unit");
  if (!json_is_object(u))
    u = r;
  const char *b = json_string_value(json_object_get(u, "building"));
  const char *un = json_string_value(json_object_get(u, "unit"));
  const char *room = json_string_value(json_object_get(u, "room"));
  if (!b)
    return NULL;
  if (!un || !*un)
    snprintf(buf, size, "%s", b);
  else
    snprintf(buf, size, "%s-%s-%s", b, un, room ? room : "");
  return buf;
}

/* Checks that need no server, done before every request so "no token" is
 * exit 4 without a round trip. */
static ctl_exit check_target(ctl_ctx *ctx, char *server, size_t size)
{
  ctl_msg msg;
  if (ctl_check_server_url(ctx->server, &msg) != LOBBY_OK ||
      ctl_check_tls(ctx->server, ctx->ca_file, ctx->pin, &msg) != LOBBY_OK)
    return ctl_usage_error(ctx, &msg);
  int n = snprintf(server, size, "%s", ctx->server);
  if (n < 0 || (size_t)n >= size) {
    fprintf(ctx->err, "lobbyctl: the server URL is too long\n");
    return CTL_EXIT_USAGE;
  }
  while (n > 0 && server[n - 1] == '/')
    server[--n] = '\0'; /* paths start with '/' */
  if (!ctx->token || !*ctx->token) {
    fprintf(ctx->err, "lobbyctl: no token: set LOBBY_TOKEN or pass --token "
                      "(create one with `lobbyd admin-token` or `lobbyctl staff add`)\n");
    return CTL_EXIT_AUTH;
  }
  for (const unsigned char *p = (const unsigned char *)ctx->token; *p; p++)
    if (*p <= ' ' || *p >= 0x7F) {
      fprintf(ctx->err, "lobbyctl: the token has spaces or odd characters; copy it again\n");
      return CTL_EXIT_AUTH;
    }
  return CTL_EXIT_OK;
}

/* Sends req to the chosen server and reports a failure. */
static ctl_exit send_request(ctl_ctx *ctx, const ctl_path *path, ctl_http_request *req,
                             ctl_http_response *resp)
{
  char server[1024];
  ctl_exit code = check_target(ctx, server, sizeof server);
  if (code != CTL_EXIT_OK)
    return code;
  if (ctl_path_done(path) != LOBBY_OK) {
    fprintf(ctx->err, "lobbyctl: an argument is too long for a URL\n");
    return CTL_EXIT_USAGE;
  }
  ctl_http_target target = {server, ctx->token, 0, ctx->ca_file, ctx->pin};
  req->path = path->buf;
  code = ctl_http_send(&target, req, resp);
  if (code != CTL_EXIT_OK) {
    ctl_http_report(ctx->err, server, resp, code);
    if (ctx->json && resp->json) /* scripts get the error object too */
      (void)ctl_print_json(ctx, resp);
  }
  return code;
}

ctl_exit ctl_call(ctl_ctx *ctx, const char *method, const ctl_path *path, const json_t *body,
                  const char *idempotency_key, ctl_http_response *resp)
{
  memset(resp, 0, sizeof *resp);
  char *text = NULL;
  if (body && !(text = json_dumps(body, JSON_COMPACT)))
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_http_request req = {.method = method, .body = text, .idempotency_key = idempotency_key};
  ctl_exit code = send_request(ctx, path, &req, resp);
  free(text);
  return code;
}

ctl_exit ctl_call_bytes(ctl_ctx *ctx, const char *method, const ctl_path *path,
                        const char *content_type, const void *data, size_t len,
                        ctl_http_response *resp)
{
  memset(resp, 0, sizeof *resp);
  ctl_http_request req = {.method = method, .data = data, .data_len = len,
                          .content_type = content_type};
  return send_request(ctx, path, &req, resp);
}

ctl_exit ctl_print_json(ctl_ctx *ctx, const ctl_http_response *resp)
{
  const char *body = resp->body_len ? resp->body : "{}";
  bool nl = body[strlen(body) - 1] != '\n';
  if (fputs(body, ctx->out) == EOF || (nl && fputc('\n', ctx->out) == EOF) ||
      fflush(ctx->out) == EOF)
    return ctl_internal_error(ctx, LOBBY_EIO);
  return CTL_EXIT_OK;
}

ctl_exit ctl_print_table(ctl_ctx *ctx, ctl_table *t)
{
  lobby_err err = ctl_table_print(t, ctx->out, (size_t)ctx->term_width);
  ctl_table_free(t);
  return err == LOBBY_OK ? CTL_EXIT_OK : ctl_internal_error(ctx, err);
}

static lobby_err shape_table(ctl_table *t, const ctl_list_shape *shape)
{
  lobby_err err = LOBBY_OK;
  for (const ctl_col_max *m = shape->max_cols; m && m->width && err == LOBBY_OK; m++)
    err = ctl_table_set_max(t, m->col, m->width);
  if (err == LOBBY_OK && shape->flex >= 0)
    err = ctl_table_set_flex(t, (size_t)shape->flex);
  return err;
}

ctl_exit ctl_print_list(ctl_ctx *ctx, const json_t *items, const ctl_list_shape *shape,
                        ctl_row_fn row)
{
  ctl_table *t;
  lobby_err err = ctl_table_new(shape->ncols, shape->headers, &t);
  if (err != LOBBY_OK)
    return ctl_internal_error(ctx, err);
  err = shape_table(t, shape);
  size_t i;
  const json_t *item;
  json_array_foreach(items, i, item) {
    if (err == LOBBY_OK)
      err = row(ctx, t, item);
  }
  if (err != LOBBY_OK) {
    ctl_table_free(t);
    return ctl_internal_error(ctx, err);
  }
  return ctl_print_table(ctx, t);
}

ctl_exit ctl_printf(ctl_ctx *ctx, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(ctx->out, fmt, ap);
  va_end(ap);
  if (n >= 0 && fflush(ctx->out) == EOF)
    n = -1;
  return n < 0 ? ctl_internal_error(ctx, LOBBY_EIO) : CTL_EXIT_OK;
}

ctl_exit ctl_print_kv(ctl_ctx *ctx, const char *label, const char *value)
{
  char *clean = ctl_text_clean(value ? value : "-");
  if (!clean)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  int n = fprintf(ctx->out, "%-12s %s\n", label, clean);
  free(clean);
  return n < 0 ? ctl_internal_error(ctx, LOBBY_EIO) : CTL_EXIT_OK;
}

const json_t *ctl_json_list(const json_t *root, const char *key)
{
  if (json_is_array(root))
    return root;
  const json_t *v = json_object_get(root, key);
  return json_is_array(v) ? v : NULL;
}

const char *ctl_json_text(const json_t *obj, const char *key, char *buf, size_t size)
{
  const json_t *v = json_object_get(obj, key);
  if (!v)
    return NULL; /* json_typeof does not accept NULL */
  switch (json_typeof(v)) {
  case JSON_STRING:
    return json_string_value(v);
  case JSON_INTEGER:
    snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return buf;
  case JSON_REAL:
    snprintf(buf, size, "%g", json_real_value(v));
    return buf;
  case JSON_TRUE:
    return "yes";
  case JSON_FALSE:
    return "no";
  default:
    return NULL; /* null, missing, or an object we do not flatten */
  }
}

const char *ctl_short_time(const char *iso, char *buf, size_t size)
{
  if (!iso)
    return NULL;
  /* "YYYY-MM-DDTHH:MM…": keep month, day, hour and minute.  The year is
   * noise in a table of this year's tickets; --json has the full value. */
  if (strlen(iso) >= 16 && iso[4] == '-' && iso[10] == 'T' && iso[13] == ':') {
    snprintf(buf, size, "%.5s %.5s", iso + 5, iso + 11);
    return buf;
  }
  snprintf(buf, size, "%s", iso);
  return buf;
}

const char *ctl_json_time(const json_t *obj, const char *key, char *buf, size_t size)
{
  const json_t *v = json_object_get(obj, key);
  if (json_is_integer(v)) {
    char iso[LOBBY_ISO_LEN];
    lobby_time_format((int64_t)json_integer_value(v), LOBBY_DEFAULT_UTC_OFFSET_MIN, iso);
    return ctl_short_time(iso, buf, size);
  }
  return ctl_short_time(json_string_value(v), buf, size);
}

const char *ctl_phone_cell(const ctl_ctx *ctx, const char *phone, char *buf, size_t size)
{
  if (!phone)
    return NULL;
  if (ctx->full)
    return phone;
  if (size < 16 || strlen(phone) + 1 > size)
    return "****";
  lobby_phone_mask(phone, buf, size);
  return buf;
}

static lobby_err set_new(json_t *obj, const char *key, json_t *v)
{
  /* json_object_set_new frees v on failure, so no leak either way. */
  return v && json_object_set_new(obj, key, v) == 0 ? LOBBY_OK : LOBBY_ENOMEM;
}

static lobby_err json_set_str(json_t *obj, const char *key, const char *value)
{
  return set_new(obj, key, json_string(value));
}

lobby_err ctl_json_set_int(json_t *obj, const char *key, long value)
{
  return set_new(obj, key, json_integer(value));
}

lobby_err ctl_json_add_optional(json_t *obj, ...)
{
  lobby_err err = obj ? LOBBY_OK : LOBBY_ENOMEM;
  va_list ap;
  va_start(ap, obj);
  const char *key;
  while (err == LOBBY_OK && (key = va_arg(ap, const char *)) != NULL) {
    const char *value = va_arg(ap, const char *);
    if (value)
      err = json_set_str(obj, key, value);
  }
  va_end(ap);
  return err;
}
