/* site list | add | set: the compounds one server runs. */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"

#define SITE_NAME_MAX 40   /* characters; the kiosk's header has room for no more */
#define CHECKOUT_HOURS_MAX 72
#define RETENTION_DAYS_MAX 3650

/* "08:30-18:00" from {"start", "end"}; null (the [repairs] hours apply)
 * gives `company`. */
static const char *workday_text(const json_t *site, const char *company, char *buf, size_t size)
{
  const json_t *w = json_object_get(site, "workday");
  const char *start = json_string_value(json_object_get(w, "start"));
  const char *end = json_string_value(json_object_get(w, "end"));
  if (!start || !end)
    return company;
  snprintf(buf, size, "%s-%s", start, end);
  return buf;
}

/* A site's own number, or "company" when it follows the company's. */
static const char *own_number(const json_t *site, const char *key, char *buf, size_t size)
{
  const char *v = ctl_json_text(site, key, buf, size);
  return v ? v : "company";
}

static lobby_err site_row(const ctl_ctx *ctx, ctl_table *t, const json_t *s)
{
  (void)ctx;
  char hours[32], checkout[24], retention[24];
  const char *cells[] = {json_string_value(json_object_get(s, "code")),
                         json_string_value(json_object_get(s, "name")),
                         json_string_value(json_object_get(s, "service_phone")),
                         workday_text(s, "company", hours, sizeof hours),
                         own_number(s, "auto_checkout_hours", checkout, sizeof checkout),
                         own_number(s, "visit_retention_days", retention, sizeof retention)};
  return ctl_table_add_row(t, cells);
}

ctl_exit ctl_cmd_site_list(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 0, "lobbyctl site list", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/sites");
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK && ctx->json)
    code = ctl_print_json(ctx, &resp);
  else if (code == CTL_EXIT_OK) {
    static const char *const headers[] = {"CODE", "NAME", "SERVICE PHONE", "WORKDAY",
                                          "CHECKOUT HOURS", "RETENTION DAYS"};
    static const ctl_list_shape shape = {headers, 6, 1, NULL};
    code = ctl_print_list(ctx, ctl_json_list(resp.json, "sites"), &shape, site_row);
  }
  ctl_http_response_free(&resp);
  return code;
}

/* A visitor setting of a site: a number, or "none" for the company's. */
typedef struct {
  const char *opt, *key, *text; /* the option, the API's member, what was given */
  long min, max, value;
} site_number;

typedef struct {
  const char *name, *phone, *workday;
  bool clear_workday;       /* --workday none */
  char start[6], end[6];
  site_number checkout, retention;
} site_args;

static lobby_err check_number(site_number *n, bool creating, ctl_msg *msg)
{
  if (!n->text || (!creating && strcmp(n->text, "none") == 0))
    return LOBBY_OK;
  return ctl_check_int(n->opt, n->text, n->min, n->max, &n->value, msg);
}

/* Sets key to the number, or to null for "none" (the company's). */
static lobby_err add_number(json_t *o, const site_number *n)
{
  if (!n->text)
    return LOBBY_OK;
  if (strcmp(n->text, "none") == 0)
    return json_object_set_new(o, n->key, json_null()) == 0 ? LOBBY_OK : LOBBY_ENOMEM;
  return ctl_json_set_int(o, n->key, n->value);
}

static lobby_err check_site(site_args *a, bool creating, ctl_msg *msg)
{
  lobby_err err = creating ? ctl_check_required("--name", a->name, msg) : LOBBY_OK;
  if (err == LOBBY_OK && a->name)
    err = ctl_check_text("--name", a->name, 1, SITE_NAME_MAX, false, msg);
  if (err == LOBBY_OK && a->phone)
    err = ctl_check_service_phone("--phone", a->phone, msg);
  a->clear_workday = !creating && a->workday && strcmp(a->workday, "none") == 0;
  if (err == LOBBY_OK && a->workday && !a->clear_workday)
    err = ctl_check_workday("--workday", a->workday, a->start, a->end, msg);
  if (err == LOBBY_OK)
    err = check_number(&a->checkout, creating, msg);
  if (err == LOBBY_OK)
    err = check_number(&a->retention, creating, msg);
  if (err == LOBBY_OK && !creating && !a->name && !a->phone && !a->workday && !a->checkout.text &&
      !a->retention.text) {
    snprintf(msg->text, sizeof msg->text,
             "nothing to change: give --name, --phone, --workday, --checkout-hours or --retention-days");
    err = LOBBY_EINVAL;
  }
  return err;
}

/* The members a site add or set sends: the options given, workday as
 * {"start", "end"} or null for --workday none. */
static json_t *site_body(const site_args *a, const char *code)
{
  json_t *o = json_object();
  lobby_err err = ctl_json_add_optional(o, "code", code, "name", a->name, "service_phone",
                                        a->phone, NULL);
  json_t *w = NULL;
  if (err == LOBBY_OK && a->clear_workday)
    w = json_null();
  else if (err == LOBBY_OK && a->workday)
    w = json_pack("{s:s, s:s}", "start", a->start, "end", a->end);
  if (err == LOBBY_OK && a->workday && (!w || json_object_set_new(o, "workday", w) != 0))
    err = LOBBY_ENOMEM; /* json_object_set_new freed w */
  if (err == LOBBY_OK)
    err = add_number(o, &a->checkout);
  if (err == LOBBY_OK)
    err = add_number(o, &a->retention);
  if (err != LOBBY_OK) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static ctl_exit send_site(ctl_ctx *ctx, const char *method, const char *code, const json_t *body,
                          const char *done)
{
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/sites");
  if (strcmp(method, "PATCH") == 0)
    ctl_path_segment(&path, code);
  ctl_exit rc = ctl_call(ctx, method, &path, body, NULL, &resp);
  if (rc == CTL_EXIT_OK && ctx->json)
    rc = ctl_print_json(ctx, &resp);
  else if (rc == CTL_EXIT_OK) {
    char hours[32];
    const char *name = json_string_value(json_object_get(resp.json, "name"));
    rc = ctl_printf(ctx, "site %s %s: %s, working hours %s\n", code, done, name ? name : "?",
                    workday_text(resp.json, "the company's ([repairs])", hours, sizeof hours));
  }
  ctl_http_response_free(&resp);
  return rc;
}

static ctl_exit site_write(ctl_ctx *ctx, int argc, char **argv, bool creating)
{
  site_args a = {.checkout = {"--checkout-hours", "auto_checkout_hours", NULL, 1, CHECKOUT_HOURS_MAX, 0},
                 .retention = {"--retention-days", "visit_retention_days", NULL, 0, RETENTION_DAYS_MAX, 0}};
  const ctl_opt opts[] = {{"name", &a.name, NULL}, {"phone", &a.phone, NULL},
                          {"workday", &a.workday, NULL}, {"checkout-hours", &a.checkout.text, NULL},
                          {"retention-days", &a.retention.text, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 1,
                            creating ? "lobbyctl site add CODE --name N [--phone P] [--workday 08:30-18:00] ..."
                                     : "lobbyctl site set CODE [--name N] [--phone P] [--workday HH:MM-HH:MM|none] ...",
                            &pos);
  if (code != CTL_EXIT_OK)
    return code;
  lobby_err err = ctl_check_code("CODE", pos.items[0], CTL_SITE_CODE_MAX, &msg);
  if (err == LOBBY_OK)
    err = check_site(&a, creating, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = site_body(&a, creating ? pos.items[0] : NULL);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  code = send_site(ctx, creating ? "POST" : "PATCH", pos.items[0], body,
                   creating ? "added" : "changed");
  json_decref(body);
  return code;
}

ctl_exit ctl_cmd_site_add(ctl_ctx *ctx, int argc, char **argv)
{
  return site_write(ctx, argc, argv, true);
}

ctl_exit ctl_cmd_site_set(ctl_ctx *ctx, int argc, char **argv)
{
  return site_write(ctx, argc, argv, false);
}
