/* repair list | show | event | add */
#include <string.h>

#include "ctl_cmd.h"
#include "ctl_commands.h"
#include "lobby_domain.h"
#include "lobby_repair.h"
#include "lobby_text.h"

#define CODE_MAX 16

/* Events staff can record; "submit" is the server's own first event. */
static const char *const staff_events[] = {
  "accept", "dispatch", "take", "decline", "on_site", "complete", "return_visit", "close", "cancel",
  NULL};
static const char *const staff_sources[] = {"phone", "front_desk", NULL};
static const char *const status_names[] = {
  "submitted", "accepted", "dispatched", "on_site", "completed", "return_visit",
  "closed", "cancelled", NULL};

/* The deadline, flagged when it has passed with the ticket still open. */
static const char *due_text(const json_t *r, char *buf, size_t size)
{
  char when[40];
  const char *t = ctl_json_time(r, "due_at", when, sizeof when);
  if (!t)
    return NULL;
  snprintf(buf, size, "%s%s", t, json_is_true(json_object_get(r, "overdue")) ? " LATE" : "");
  return buf;
}

static lobby_err repair_row(const ctl_ctx *ctx, ctl_table *t, const json_t *r)
{
  char unit[64], phone[40], due[48];
  const char *cells[] = {
    json_string_value(json_object_get(r, "ticket")),
    ctl_site_cell(r),
    json_string_value(json_object_get(r, "status")),
    json_string_value(json_object_get(r, "urgency")),
    json_string_value(json_object_get(r, "category")),
    ctl_unit_cell(r, unit, sizeof unit),
    json_string_value(json_object_get(r, "name")),
    ctl_phone_cell(ctx, json_string_value(json_object_get(r, "phone")), phone, sizeof phone),
    due_text(r, due, sizeof due),
    json_string_value(json_object_get(r, "description"))};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_repairs(ctl_ctx *ctx, const json_t *root)
{
  static const char *const headers[] = {"TICKET", "SITE", "STATUS", "URGENCY", "CATEGORY", "UNIT",
                                        "NAME", "PHONE", "DUE", "DESCRIPTION"};
  static const ctl_col_max max_cols[] = {{6, 12}, {9, 40}, {0, 0}};
  static const ctl_list_shape shape = {headers, 10, 9, max_cols};
  return ctl_print_list(ctx, ctl_json_list(root, "repairs"), &shape, repair_row);
}

typedef struct {
  const char *status, *category, *urgency, *building;
  bool overdue;
} list_args;

static lobby_err check_list(const list_args *a, ctl_msg *msg)
{
  lobby_err err = LOBBY_OK;
  if (a->status)
    err = ctl_check_choice("--status", a->status, status_names, msg);
  if (err == LOBBY_OK && a->category)
    err = ctl_check_choice("--category", a->category, repair_category_names, msg);
  if (err == LOBBY_OK && a->urgency)
    err = ctl_check_choice("--urgency", a->urgency, repair_urgency_names, msg);
  if (err == LOBBY_OK && a->building)
    err = ctl_check_code("--building", a->building, CODE_MAX, msg);
  return err;
}

ctl_exit ctl_cmd_repair_list(ctl_ctx *ctx, int argc, char **argv)
{
  list_args a = {0};
  const ctl_opt opts[] = {
    {"status", &a.status, NULL}, {"category", &a.category, NULL},
    {"urgency", &a.urgency, NULL}, {"building", &a.building, NULL},
    {"overdue", NULL, &a.overdue}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl repair list [--status S] ...", &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, check_list(&a, &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/repairs");
  ctl_path_query(&path, "status", a.status);
  ctl_path_query(&path, "category", a.category);
  ctl_path_query(&path, "urgency", a.urgency);
  ctl_path_query(&path, "building", a.building);
  ctl_path_query(&path, "overdue", a.overdue ? "1" : NULL);
  ctl_path_site(ctx, &path);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_repairs(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

static const char *window_text(const json_t *r, char *buf, size_t size)
{
  const json_t *p = json_object_get(r, "preferred_time");
  const char *from = json_string_value(json_object_get(p, "from"));
  const char *to = json_string_value(json_object_get(p, "to"));
  if (!from || !to) { /* the store's flat form */
    from = json_string_value(json_object_get(r, "window_from_at"));
    to = json_string_value(json_object_get(r, "window_to_at"));
  }
  if (!from || !to)
    return NULL;
  snprintf(buf, size, "%s to %s", from, to);
  return buf;
}

static ctl_exit print_details(ctl_ctx *ctx, const json_t *r)
{
  char unit[64], phone[40], window[96], num[32], score[16];
  const struct { const char *label, *value; } rows[] = {
    {"ticket", json_string_value(json_object_get(r, "ticket"))},
    {"site", ctl_site_cell(r)},
    {"status", json_string_value(json_object_get(r, "status"))},
    {"overdue", ctl_json_text(r, "overdue", num, sizeof num)},
    {"category", json_string_value(json_object_get(r, "category"))},
    {"kind", json_string_value(json_object_get(r, "kind"))},
    {"urgency", json_string_value(json_object_get(r, "urgency"))},
    {"source", json_string_value(json_object_get(r, "source"))},
    {"unit", ctl_unit_cell(r, unit, sizeof unit)},
    {"name", json_string_value(json_object_get(r, "name"))},
    {"phone", ctl_phone_cell(ctx, json_string_value(json_object_get(r, "phone")), phone, sizeof phone)},
    {"preferred", window_text(r, window, sizeof window)},
    {"technician", json_string_value(json_object_get(r, "technician"))},
    {"taken by", json_string_value(json_object_get(r, "first_contact"))},
    {"satisfaction", ctl_json_text(r, "satisfaction", score, sizeof score)},
    {"created", json_string_value(json_object_get(r, "created_at"))},
    {"due", json_string_value(json_object_get(r, "due_at"))},
    {"description", json_string_value(json_object_get(r, "description"))}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    ctl_exit code = ctl_print_kv(ctx, rows[i].label, rows[i].value);
    if (code != CTL_EXIT_OK)
      return code;
  }
  return CTL_EXIT_OK;
}

static lobby_err timeline_row(const ctl_ctx *ctx, ctl_table *t, const json_t *e)
{
  (void)ctx;
  char at[40];
  const char *what = json_string_value(json_object_get(e, "event"));
  const char *by = json_string_value(json_object_get(e, "by"));
  const char *cells[] = {
    ctl_json_time(e, "at", at, sizeof at),
    what ? what : json_string_value(json_object_get(e, "status")),
    json_string_value(json_object_get(e, "status")),
    by ? by : json_string_value(json_object_get(e, "actor")),
    json_string_value(json_object_get(e, "note"))};
  return ctl_table_add_row(t, cells);
}

static ctl_exit print_ticket(ctl_ctx *ctx, const json_t *r)
{
  ctl_exit code = print_details(ctx, r);
  if (code != CTL_EXIT_OK)
    return code;
  const json_t *timeline = json_object_get(r, "timeline");
  if (!json_is_array(timeline))
    timeline = json_object_get(r, "events");
  if (!json_is_array(timeline) || json_array_size(timeline) == 0)
    return CTL_EXIT_OK;
  static const char *const headers[] = {"AT", "EVENT", "STATUS", "BY", "NOTE"};
  static const ctl_list_shape shape = {headers, 5, 4, NULL};
  if (fputc('\n', ctx->out) == EOF)
    return ctl_internal_error(ctx, LOBBY_EIO);
  return ctl_print_list(ctx, timeline, &shape, timeline_row);
}

ctl_exit ctl_cmd_repair_show(ctl_ctx *ctx, int argc, char **argv)
{
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 1, "lobbyctl repair show TICKET", &pos);
  if (code == CTL_EXIT_OK)
    code = ctl_checked(ctx, ctl_check_ticket(pos.items[0], &msg), &msg);
  if (code != CTL_EXIT_OK)
    return code;
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/repairs");
  ctl_path_segment(&path, pos.items[0]);
  code = ctl_call(ctx, "GET", &path, NULL, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_ticket(ctx, resp.json);
  ctl_http_response_free(&resp);
  return code;
}

typedef struct {
  const char *event, *note, *technician, *satisfaction, *comment, *reason;
  long score;
} event_args;

static lobby_err only_with(const char *opt, const char *value, const char *event,
                           const event_args *a, ctl_msg *msg)
{
  if (!value || strcmp(a->event, event) == 0)
    return LOBBY_OK;
  snprintf(msg->text, sizeof msg->text, "%s goes only with the '%s' event", opt, event);
  return LOBBY_EINVAL;
}

/* The server checks the ticket's status; here only what the event itself
 * needs, so the message can name the missing option. */
static lobby_err check_event(event_args *a, ctl_msg *msg)
{
  lobby_err err = ctl_check_choice("--event", a->event, staff_events, msg);
  if (err == LOBBY_OK)
    err = only_with("--technician", a->technician, "dispatch", a, msg);
  if (err == LOBBY_OK)
    err = only_with("--satisfaction", a->satisfaction, "return_visit", a, msg);
  if (err == LOBBY_OK)
    err = only_with("--comment", a->comment, "return_visit", a, msg);
  bool needs_reason = strcmp(a->event, "cancel") == 0 || strcmp(a->event, "decline") == 0;
  if (err == LOBBY_OK && a->reason && !needs_reason) {
    snprintf(msg->text, sizeof msg->text, "--reason goes only with the 'cancel' and 'decline' events");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK && strcmp(a->event, "dispatch") == 0)
    err = ctl_check_required("--technician", a->technician, msg);
  if (err == LOBBY_OK && needs_reason)
    err = ctl_check_required("--reason", a->reason, msg);
  if (err == LOBBY_OK && a->technician)
    err = ctl_check_text("--technician", a->technician, 1, PERSON_NAME_MAX, false, msg);
  if (err == LOBBY_OK && a->satisfaction)
    err = ctl_check_int("--satisfaction", a->satisfaction, 1, 5, &a->score, msg);
  if (err == LOBBY_OK && a->comment)
    err = ctl_check_text("--comment", a->comment, 1, REPAIR_NOTE_MAX, true, msg);
  if (err == LOBBY_OK && a->reason)
    err = ctl_check_text("--reason", a->reason, 1, REPAIR_NOTE_MAX, true, msg);
  if (err == LOBBY_OK && a->note)
    err = ctl_check_text("--note", a->note, 1, REPAIR_NOTE_MAX, true, msg);
  return err;
}

static json_t *event_body(const event_args *a)
{
  json_t *o = json_pack("{s:s}", "event", a->event);
  lobby_err err = ctl_json_add_optional(o, "note", a->note, "technician", a->technician, "comment",
                                        a->comment, "reason", a->reason, NULL);
  if (err == LOBBY_OK && a->satisfaction)
    err = ctl_json_set_int(o, "satisfaction", a->score);
  if (err != LOBBY_OK) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static ctl_exit print_moved(ctl_ctx *ctx, const char *ticket, const json_t *answer)
{
  const char *status = json_string_value(json_object_get(answer, "status"));
  return status ? ctl_printf(ctx, "%s is now %s\n", ticket, status)
                : ctl_printf(ctx, "%s: event recorded\n", ticket);
}

ctl_exit ctl_cmd_repair_event(ctl_ctx *ctx, int argc, char **argv)
{
  event_args a = {0};
  const ctl_opt opts[] = {
    {"note", &a.note, NULL}, {"technician", &a.technician, NULL},
    {"satisfaction", &a.satisfaction, NULL}, {"comment", &a.comment, NULL},
    {"reason", &a.reason, NULL}, {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 2, "lobbyctl repair event TICKET EVENT [options]", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  a.event = pos.items[1];
  lobby_err err = ctl_check_ticket(pos.items[0], &msg);
  if (err == LOBBY_OK)
    err = check_event(&a, &msg);
  if ((code = ctl_checked(ctx, err, &msg)) != CTL_EXIT_OK)
    return code;
  json_t *body = event_body(&a);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/repairs");
  ctl_path_segment(&path, pos.items[0]);
  ctl_path_segment(&path, "events");
  code = ctl_call(ctx, "POST", &path, body, NULL, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_moved(ctx, pos.items[0], resp.json);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

typedef struct {
  const char *building, *unit, *room, *name, *phone, *category, *kind, *urgency;
  const char *description, *source, *from, *to, *key;
} add_args;

static lobby_err check_place(const add_args *a, ctl_msg *msg)
{
  /* A public-area job (a lift, a corridor light) belongs to no flat. */
  bool public_area = strcmp(a->kind, "public_area") == 0;
  lobby_err err = ctl_check_required("--building", a->building, msg);
  if (err == LOBBY_OK)
    err = ctl_check_code("--building", a->building, CODE_MAX, msg);
  if (err == LOBBY_OK && !public_area)
    err = ctl_check_required("--unit", a->unit, msg);
  if (err == LOBBY_OK && !public_area)
    err = ctl_check_required("--room", a->room, msg);
  if (err == LOBBY_OK && a->unit && *a->unit)
    err = ctl_check_code("--unit", a->unit, CODE_MAX, msg);
  if (err == LOBBY_OK && a->room && *a->room)
    err = ctl_check_code("--room", a->room, CODE_MAX, msg);
  return err;
}

static lobby_err check_window(const add_args *a, ctl_msg *msg)
{
  bool appointment = strcmp(a->urgency, "appointment") == 0;
  long long from = 0, to = 0;
  if (appointment && (!a->from || !a->to)) {
    snprintf(msg->text, sizeof msg->text,
             "an appointment needs --from and --to (the visiting window, e.g. "
             "--from 2026-11-27T09:00:00+08:00 --to 2026-11-27T11:00:00+08:00)");
    return LOBBY_EINVAL;
  }
  if (!appointment && (a->from || a->to)) {
    snprintf(msg->text, sizeof msg->text, "--from/--to go only with --urgency appointment");
    return LOBBY_EINVAL;
  }
  if (!appointment)
    return LOBBY_OK;
  lobby_err err = ctl_check_time("--from", a->from, &from, msg);
  if (err == LOBBY_OK)
    err = ctl_check_time("--to", a->to, &to, msg);
  if (err == LOBBY_OK && to <= from) {
    snprintf(msg->text, sizeof msg->text, "--to must be after --from");
    err = LOBBY_EINVAL;
  }
  return err;
}

static lobby_err check_add(const add_args *a, ctl_msg *msg)
{
  lobby_err err = ctl_check_choice("--kind", a->kind, repair_kind_names, msg);
  if (err == LOBBY_OK)
    err = check_place(a, msg);
  if (err == LOBBY_OK)
    err = ctl_check_contact(a->name, a->phone, msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--category", a->category, msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--category", a->category, repair_category_names, msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--urgency", a->urgency, repair_urgency_names, msg);
  if (err == LOBBY_OK)
    err = check_window(a, msg);
  if (err == LOBBY_OK)
    err = ctl_check_required("--description", a->description, msg);
  if (err == LOBBY_OK)
    err = ctl_check_text("--description", a->description, 1, REPAIR_DESCRIPTION_MAX, true, msg);
  if (err == LOBBY_OK)
    err = ctl_check_choice("--source", a->source, staff_sources, msg);
  if (err == LOBBY_OK && a->key && !lobby_idempotency_key_valid(a->key)) {
    snprintf(msg->text, sizeof msg->text,
             "--idempotency-key: use 8 to 64 letters, digits, '_' or '-' (or leave it out)");
    err = LOBBY_EINVAL;
  }
  return err;
}

static json_t *add_body(const add_args *a)
{
  json_t *window = json_null();
  if (a->from)
    window = json_pack("{s:s, s:s}", "from", a->from, "to", a->to);
  return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
                   "unit", "building", a->building, "unit", a->unit ? a->unit : "", "room",
                   a->room ? a->room : "", "name", a->name, "phone", a->phone, "category",
                   a->category, "kind", a->kind, "urgency", a->urgency, "preferred_time",
                   window, "description", a->description, "source", a->source);
}

static ctl_exit print_ticket_created(ctl_ctx *ctx, const ctl_http_response *resp)
{
  char due[40];
  const char *ticket = json_string_value(json_object_get(resp->json, "ticket"));
  const char *when = ctl_json_time(resp->json, "due_at", due, sizeof due);
  return ctl_printf(ctx, "ticket %s submitted%s%s%s\n", ticket ? ticket : "?",
                  when ? ", due " : "", when ? when : "",
                  resp->replay ? " (already received earlier: same ticket, not a new one)" : "");
}

static ctl_exit send_add(ctl_ctx *ctx, const add_args *a, const char *key)
{
  json_t *body = add_body(a);
  if (!body)
    return ctl_internal_error(ctx, LOBBY_ENOMEM);
  ctl_path path;
  ctl_http_response resp;
  ctl_path_init(&path, "/api/v1/repairs");
  ctl_exit code = ctl_call(ctx, "POST", &path, body, key, &resp);
  if (code == CTL_EXIT_OK)
    code = ctx->json ? ctl_print_json(ctx, &resp) : print_ticket_created(ctx, &resp);
  else if (code == CTL_EXIT_UNREACHABLE)
    /* The request may have arrived; the same key makes a retry safe. */
    fprintf(ctx->err, "lobbyctl: to retry without risking a second ticket, add "
                      "--idempotency-key %s\n", key);
  ctl_http_response_free(&resp);
  json_decref(body);
  return code;
}

ctl_exit ctl_cmd_repair_add(ctl_ctx *ctx, int argc, char **argv)
{
  add_args a = {0};
  const ctl_opt opts[] = {
    {"building", &a.building, NULL}, {"unit", &a.unit, NULL}, {"room", &a.room, NULL},
    {"name", &a.name, NULL}, {"phone", &a.phone, NULL}, {"category", &a.category, NULL},
    {"kind", &a.kind, NULL}, {"urgency", &a.urgency, NULL},
    {"description", &a.description, NULL}, {"source", &a.source, NULL},
    {"from", &a.from, NULL}, {"to", &a.to, NULL}, {"idempotency-key", &a.key, NULL},
    {NULL, NULL, NULL}};
  ctl_pos pos;
  ctl_msg msg;
  ctl_exit code = ctl_parse(ctx, argc, argv, opts, 0, "lobbyctl repair add --building B ...", &pos);
  if (code != CTL_EXIT_OK)
    return code;
  if (!a.kind)
    a.kind = "in_unit";
  if (!a.urgency)
    a.urgency = "normal";
  if (!a.source)
    a.source = "phone"; /* the usual case: a resident rang the front desk */
  if ((code = ctl_checked(ctx, check_add(&a, &msg), &msg)) != CTL_EXIT_OK)
    return code;
  char key[64];
  if (a.key)
    snprintf(key, sizeof key, "%s", a.key);
  else if (ctl_idempotency_key(key, sizeof key) != LOBBY_OK)
    return ctl_internal_error(ctx, LOBBY_EIO);
  return send_add(ctx, &a, key);
}
