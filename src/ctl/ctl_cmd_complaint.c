/* complaint list | show | event | add: the complaint and suggestion
 * ledger (投诉建议) from the front desk's terminal. */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_complaint.h"
#include "lobby_domain.h"
#include "lobby_text.h"

#define CODE_MAX 16

static const char *const staff_events[] = {"accept", "assign", "reply", "return_visit", "close",
                                           "answer_close", NULL};
static const char *const staff_sources[] = {"phone", "front_desk", NULL};

/* The reply deadline, flagged when it passed with no reply. */
static const char *due_text(const json_t *c, char *buf, size_t size)
{
  char when[40];
  const char *t = ctl_json_time(c, "reply_due_at", when, sizeof when);
  if (!t)
    return NULL;
  snprintf(buf, size, "%s%s", t, json_is_true(json_object_get(c, "overdue")) ? " LATE" : "");
  return buf;
}

static lobby_err complaint_row(const ctl_ctx *ctx, ctl_table *t, const json_t *c)
{
  char unit[64], phone[40], due[48];
  const char *cells[] = {
    json_string_value(json_object_get(c, "number")),
    ctl_site_cell(c),
    json_string_value(json_object_get(c, "status")),
    json_string_value(json_object_get(c, "kind")),
    json_string_value(json_object_get(c, "category")),
    ctl_unit_cell(c, unit, sizeof unit),
    ctl_phone_cell(ctx, json_string_value(json_object_get(c, "phone")), phone, sizeof phone),
    json_string_value(json_object_get(c, "responsible")),
    due_text(c, due, sizeof due),
    json_string_value(json_object_get(c, "description"))};
  return ctl_table_add_row(t, cells);
}

typedef struct {
  const char *status, *kind, *category;
  bool overdue;
} list_args;

static lobby_err check_list(const list_args *a, ctl_msg *msg)
{
  lobby_err err = LOBBY_OK;
  if (a->status)
    err = ctl_check_choice("--status", a->status, complaint_status_names, msg);
  if (err == LOBBY_OK && a->kind)
    err = ctl_check_choice("--kind", a->kind, complaint_kind_names, msg);
  if (err == LOBBY_OK && a->category)
    err = ctl_check_choice("--category", a->category, complaint_category_names, msg);
  return err;
}

ctl_exit ctl_cmd_complaint_list(ctl_ctx *ctx, int argc, char **argv)
{
  static const char *const headers[] = {"NUMBER", "SITE", "STATUS", "KIND", "CATEGORY", "UNIT",
                                        "PHONE", "RESPONSIBLE", "REPLY DUE", "TEXT"};
  static const ctl_col_max max_cols[] = {{9, 40}, {0, 0}};
  static const ctl_list_shape shape = {headers, 10, 9, max_cols};
  list_args a = {0};
  const ctl_opt opts[] = {
    {"status", &a.status, NULL}, {"kind", &a.kind, NULL}, {"category", &a.category, NULL},
    {"overdue", NULL, &a.overdue}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl complaint list [--status S] ...", &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, check_list(&a, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/complaints");
  ctl_path_query(&path, "status", a.status);
  ctl_path_query(&path, "kind", a.kind);
  ctl_path_query(&path, "category", a.category);
  ctl_path_query(&path, "overdue", a.overdue ? "1" : NULL);
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_print_list(ctx, ctl_json_list(resp.json, "complaints"), &shape, complaint_row);
  ctl_http_response_free(&resp);
  return code;
}

static ctl_exit print_details(ctl_ctx *ctx, const json_t *c)
{
  char unit[64], phone[40], due[48];
  const struct { const char *label, *value; } rows[] = {
    {"number", json_string_value(json_object_get(c, "number"))},
    {"site", ctl_site_cell(c)},
    {"status", json_string_value(json_object_get(c, "status"))},
    {"kind", json_string_value(json_object_get(c, "kind"))},
    {"category", json_string_value(json_object_get(c, "category"))},
    {"source", json_string_value(json_object_get(c, "source"))},
    {"unit", ctl_unit_cell(c, unit, sizeof unit)},
    {"name", json_string_value(json_object_get(c, "name"))},
    {"phone", ctl_phone_cell(ctx, json_string_value(json_object_get(c, "phone")), phone, sizeof phone)},
    {"responsible", json_string_value(json_object_get(c, "responsible"))},
    {"created", json_string_value(json_object_get(c, "created_at"))},
    {"reply due", due_text(c, due, sizeof due)},
    {"text", json_string_value(json_object_get(c, "description"))},
    {"reply", json_string_value(json_object_get(c, "reply"))},
    {"satisfaction", json_string_value(json_object_get(c, "satisfaction"))}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    ctl_exit code = ctl_print_kv(ctx, rows[i].label, rows[i].value);
    if (code != CTL_EXIT_OK)
      return code;
  }
  return CTL_EXIT_OK;
}

static lobby_err event_row(const ctl_ctx *ctx, ctl_table *t, const json_t *e)
{
  (void)ctx;
  char at[40];
  const char *detail = json_string_value(json_object_get(e, "reply"));
  if (!detail) detail = json_string_value(json_object_get(e, "responsible"));
  if (!detail) detail = json_string_value(json_object_get(e, "satisfaction"));
  const char *cells[] = {
    ctl_json_time(e, "at", at, sizeof at), json_string_value(json_object_get(e, "event")),
    json_string_value(json_object_get(e, "status")), json_string_value(json_object_get(e, "by")),
    detail, json_string_value(json_object_get(e, "note"))};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_complaint(ctl_ctx *ctx, const json_t *c)
{
  static const char *const headers[] = {"AT", "EVENT", "STATUS", "BY", "DETAIL", "NOTE"};
  static const ctl_list_shape shape = {headers, 6, 5, NULL};
  ctl_exit code = print_details(ctx, c);
  const json_t *events = json_object_get(c, "events");
  if (code != CTL_EXIT_OK || json_array_size(events) == 0)
    return code;
  if (fputc('\n', ctx->out) == EOF)
    return ctl_internal_error(ctx, LOBBY_EIO);
  return ctl_print_list(ctx, events, &shape, event_row);
}

ctl_exit ctl_cmd_complaint_show(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl complaint show NUMBER", &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, ctl_check_complaint_number(pos.items[0], &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/complaints");
  ctl_path_segment(&path, pos.items[0]);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_complaint(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

typedef struct {
  const char *event, *note, *responsible, *reply, *satisfaction, *comment;
} event_args;

/* An option that belongs to other events than the one given. */
static lobby_err only_with(const char *opt, const char *value, bool fits, const char *events,
                           ctl_msg *msg)
{
  if (!value || fits)
    return LOBBY_OK;
  snprintf(msg->text, sizeof msg->text, "%s goes only with %s", opt, events);
  return LOBBY_EINVAL;
}

/* The server checks the complaint's status; here only what the event
 * itself needs, so the message can name the missing option. */
static lobby_err check_event(const event_args *a, ctl_msg *msg)
{
  bool assign = strcmp(a->event, "assign") == 0, visit = strcmp(a->event, "return_visit") == 0;
  bool replies = strcmp(a->event, "reply") == 0 || strcmp(a->event, "answer_close") == 0;
  lobby_err err = ctl_check_choice("EVENT", a->event, staff_events, msg);
  if (err == LOBBY_OK) err = only_with("--responsible", a->responsible, assign, "'assign'", msg);
  if (err == LOBBY_OK) err = only_with("--reply", a->reply, replies, "'reply' and 'answer_close'", msg);
  if (err == LOBBY_OK) err = only_with("--satisfaction", a->satisfaction, visit, "'return_visit'", msg);
  if (err == LOBBY_OK) err = only_with("--comment", a->comment, visit, "'return_visit'", msg);
  if (err == LOBBY_OK && assign) err = ctl_check_required("--responsible", a->responsible, msg);
  if (err == LOBBY_OK && replies) err = ctl_check_required("--reply", a->reply, msg);
  if (err == LOBBY_OK && visit) err = ctl_check_required("--satisfaction", a->satisfaction, msg);
  if (err == LOBBY_OK && a->satisfaction)
    err = ctl_check_choice("--satisfaction", a->satisfaction, complaint_satisfaction_names, msg);
  if (err == LOBBY_OK && a->responsible)
    err = ctl_check_text("--responsible", a->responsible, 1, 64, false, msg);
  if (err == LOBBY_OK && a->reply)
    err = ctl_check_text("--reply", a->reply, 1, COMPLAINT_TEXT_MAX, true, msg);
  if (err == LOBBY_OK && a->comment)
    err = ctl_check_text("--comment", a->comment, 1, COMPLAINT_TEXT_MAX, true, msg);
  if (err == LOBBY_OK && a->note)
    err = ctl_check_text("--note", a->note, 1, COMPLAINT_TEXT_MAX, true, msg);
  return err;
}

ctl_exit ctl_cmd_complaint_event(ctl_ctx *ctx, int argc, char **argv)
{
  event_args a = {0};
  const ctl_opt opts[] = {
    {"note", &a.note, NULL}, {"responsible", &a.responsible, NULL}, {"reply", &a.reply, NULL},
    {"satisfaction", &a.satisfaction, NULL}, {"comment", &a.comment, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 2, "lobbyctl complaint event NUMBER EVENT [options]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  a.event = pos.items[1];
  lobby_err err = ctl_check_complaint_number(pos.items[0], &msg);
  if (err == LOBBY_OK)
    err = check_event(&a, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = json_pack("{s:s}", "event", a.event);
  if (!body || ctl_json_add_optional(body, "note", a.note, "responsible", a.responsible, "reply",
                                     a.reply, "satisfaction", a.satisfaction, "comment", a.comment,
                                     NULL) != LOBBY_OK) {
    json_decref(body);
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  }
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/complaints");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "events");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp)
                     : ctl_printf(ctx, "%s is now %s\n", pos.items[0],
                                  json_string_value(json_object_get(resp.json, "status")));
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

typedef struct {
  const char *kind, *category, *description, *building, *unit, *room, *name, *phone, *source, *key;
} add_args;

/* A complaint names the resident and their flat, so it can be answered;
 * the other kinds may be anonymous, or give both name and phone. */
static lobby_err check_who(const add_args *a, bool complaint, ctl_msg *msg)
{
  lobby_err err = LOBBY_OK;
  if (complaint || a->building) {
    err = ctl_check_required("--building", a->building, msg);
    if (err == LOBBY_OK) err = ctl_check_required("--unit", a->unit, msg);
    if (err == LOBBY_OK) err = ctl_check_required("--room", a->room, msg);
    if (err == LOBBY_OK) err = ctl_check_code("--building", a->building, CODE_MAX, msg);
    if (err == LOBBY_OK) err = ctl_check_code("--unit", a->unit, CODE_MAX, msg);
    if (err == LOBBY_OK) err = ctl_check_code("--room", a->room, CODE_MAX, msg);
  } else if (a->unit || a->room) {
    snprintf(msg->text, sizeof msg->text, "--unit and --room need --building");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && (complaint || a->name || a->phone))
    err = ctl_check_contact(a->name, a->phone, msg);
  return err;
}

static lobby_err check_add(const add_args *a, ctl_msg *msg)
{
  lobby_err err = ctl_check_required("--kind", a->kind, msg);
  if (err == LOBBY_OK) err = ctl_check_choice("--kind", a->kind, complaint_kind_names, msg);
  if (err == LOBBY_OK) err = ctl_check_required("--category", a->category, msg);
  if (err == LOBBY_OK) err = ctl_check_choice("--category", a->category, complaint_category_names, msg);
  if (err == LOBBY_OK) err = ctl_check_required("--text", a->description, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--text", a->description, 1, COMPLAINT_TEXT_MAX, true, msg);
  if (err == LOBBY_OK) err = check_who(a, strcmp(a->kind, "complaint") == 0, msg);
  if (err == LOBBY_OK) err = ctl_check_choice("--source", a->source, staff_sources, msg);
  if (err == LOBBY_OK && a->key && !lobby_idempotency_key_valid(a->key)) {
    snprintf(msg->text, sizeof msg->text,
             "--idempotency-key: use 8 to 64 letters, digits, '_' or '-' (or leave it out)");
    err = LOBBY_EINVAL;
  }
  return err;
}

static json_t *add_body(const ctl_ctx *ctx, const add_args *a)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "kind", a->kind, "category", a->category,
                        "description", a->description, "source", a->source);
  lobby_err err = o ? ctl_json_add_optional(o, "name", a->name, "phone", a->phone, NULL) : LOBBY_ENOMEM;
  if (err == LOBBY_OK && a->building)
    err = json_object_set_new(o, "unit", json_pack("{s:s, s:s, s:s}", "building", a->building,
                                                   "unit", a->unit, "room", a->room))
            ? LOBBY_ENOMEM : LOBBY_OK;
  if (err == LOBBY_OK && !a->building)
    err = ctl_json_add_site(ctx, o);
  if (err != LOBBY_OK) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static ctl_exit print_created(ctl_ctx *ctx, const ctl_http_response *resp)
{
  char due[40];
  const char *number = json_string_value(json_object_get(resp->json, "number"));
  const char *when = ctl_json_time(resp->json, "reply_due_at", due, sizeof due);
  return ctl_printf(ctx, "%s recorded%s%s%s\n", number ? number : "?",
                    when ? ", reply due " : "", when ? when : "",
                    resp->replay ? " (already received earlier: the same one, not a new one)" : "");
}

ctl_exit ctl_cmd_complaint_add(ctl_ctx *ctx, int argc, char **argv)
{
  add_args a = {0};
  const ctl_opt opts[] = {
    {"kind", &a.kind, NULL}, {"category", &a.category, NULL}, {"text", &a.description, NULL},
    {"building", &a.building, NULL}, {"unit", &a.unit, NULL}, {"room", &a.room, NULL},
    {"name", &a.name, NULL}, {"phone", &a.phone, NULL}, {"source", &a.source, NULL},
    {"idempotency-key", &a.key, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl complaint add --kind K ...", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  if (!a.source)
    a.source = "phone"; /* the usual case: a resident rang the front desk */
  if ((code = ctl_checked(ctx, check_add(&a, &msg), &msg)) != CTL_EXIT_OK)
    return code;
  char key[64];
  if (a.key)
    snprintf(key, sizeof key, "%s", a.key);
  else if (ctl_idempotency_key(key, sizeof key) != LOBBY_OK)
    return ctl_internal_error(ctx, LOBBY_EIO);
  json_t *body = add_body(ctx, &a);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/complaints");
  code = ctl_call(ctx, "POST", &path, body, key, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_created(ctx, &resp);
  else if (code == CTL_EXIT_UNREACHABLE)
    fprintf(ctx->err, "lobbyctl: to retry without risking a second record, add "
                      "--idempotency-key %s\n", key);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}
