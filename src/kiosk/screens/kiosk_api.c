/* The server's API for the screens (kiosk_api.h): paths, query strings and
 * bodies going out, typed values coming back. */
#include "kiosk_api.h"

#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"

#define API_PATH_MAX 256

/* ---- Building requests ---- */

/* Copies src into dst, cutting on a UTF-8 character boundary when it does
 * not fit; NULL copies as "". */
static void copy_cut(char *dst, size_t cap, const char *src)
{
  size_t n = src ? strlen(src) : 0;
  if (n >= cap) {
    n = cap - 1;
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
      n--;
  }
  if (n)
    memcpy(dst, src, n);
  dst[n] = '\0';
}

typedef struct {
  char buf[API_PATH_MAX];
  size_t len;
  bool overflow;
} path_builder;

static void path_raw(path_builder *p, const char *s)
{
  size_t n = strlen(s);
  if (p->overflow || p->len + n >= sizeof p->buf) {
    p->overflow = true;
    return;
  }
  memcpy(p->buf + p->len, s, n + 1);
  p->len += n;
}

static bool unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

/* Appends s percent-encoded: everything but RFC 3986's unreserved
 * characters, so a value can sit in a path segment or a query. */
static void path_encoded(path_builder *p, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *c = (const unsigned char *)s; *c && !p->overflow; c++) {
    char one[4] = {(char)*c, '\0'};
    if (!unreserved(*c)) {
      one[0] = '%';
      one[1] = hex[*c >> 4];
      one[2] = hex[*c & 15];
      one[3] = '\0';
    }
    path_raw(p, one);
  }
}

/* The path's text, or NULL when it did not fit. */
static const char *path_done(const path_builder *p)
{
  return p->overflow ? NULL : p->buf;
}

/* Overwrites the bytes of every string member of body: they held a name,
 * a phone or a plate, and jansson made its own copies. */
static void wipe_strings(json_t *body)
{
  const char *k;
  json_t *v;
  json_object_foreach(body, k, v)
  {
    if (json_is_string(v))
      explicit_bzero((char *)json_string_value(v), json_string_length(v));
  }
}

static lobby_err call(kiosk_net *net, const char *method, const char *path, json_t *body, const char *etag,
                      int wait_s, uint64_t *request_id)
{
  if (!net)
    return LOBBY_EIO;
  if (!path)
    return LOBBY_EINVAL;
  return kiosk_net_call(net, method, path, body, etag, wait_s, request_id);
}

/* Hands body (owned, personal data inside) to the outbox as kind and
 * wipes its strings after: the outbox keeps its own copy on disk.  A NULL
 * body is a failed json_pack. */
static lobby_err submit_body(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id)
{
  if (!body)
    return LOBBY_ENOMEM;
  lobby_err err = net ? kiosk_net_submit(net, kind, body, request_id) : LOBBY_EIO;
  wipe_strings(body);
  json_decref(body);
  return err;
}

/* GET <path>?<key>=<value>&phone_last4=<last4>: a resident's look-up. */
static lobby_err lookup_with_phone(kiosk_net *net, const char *path, const char *key, const char *value,
                                   const char *phone_last4, uint64_t *request_id)
{
  if (!value || !phone_last4)
    return LOBBY_EINVAL;
  path_builder p = {.len = 0};
  path_raw(&p, path);
  path_raw(&p, "?");
  path_raw(&p, key);
  path_raw(&p, "=");
  path_encoded(&p, value);
  path_raw(&p, "&phone_last4=");
  path_encoded(&p, phone_last4);
  lobby_err err = call(net, "GET", path_done(&p), NULL, NULL, 0, request_id);
  /* The path held part of a phone number. */
  explicit_bzero(&p, sizeof p);
  return err;
}

/* ---- Repairs ---- */

static json_t *repair_body(const kiosk_api_repair *in)
{
  json_t *pt = json_null();
  if (in->preferred_from && in->preferred_to)
    pt = json_pack("{s:s, s:s}", "from", in->preferred_from, "to", in->preferred_to);
  return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "unit", "building", in->building,
                   "unit", in->unit, "room", in->room, "name", in->name, "phone", in->phone, "category",
                   in->category, "kind", in->kind, "urgency", in->urgency, "preferred_time", pt, "description",
                   in->description);
}

lobby_err kiosk_api_repair_submit(kiosk_net *net, const kiosk_api_repair *in, uint64_t *request_id)
{
  if (!in)
    return LOBBY_EINVAL;
  return submit_body(net, KIOSK_SUBMIT_REPAIR, repair_body(in), request_id);
}

lobby_err kiosk_api_repair_lookup(kiosk_net *net, const char *ticket, const char *phone_last4,
                                  uint64_t *request_id)
{
  return lookup_with_phone(net, "/api/v1/repairs/lookup", "ticket", ticket, phone_last4, request_id);
}

lobby_err kiosk_api_ref_lookup(kiosk_net *net, const char *ref, uint64_t *request_id)
{
  if (!net)
    return LOBBY_EIO;
  if (!ref)
    return LOBBY_EINVAL;
  return kiosk_net_lookup_provisional(net, ref, request_id);
}

/* ---- Complaints ---- */

/* The unit object, or null when none was chosen. */
static json_t *complaint_unit(const kiosk_api_complaint *in)
{
  if (!in->building)
    return json_null();
  return json_pack("{s:s, s:s, s:s}", "building", in->building, "unit", in->unit ? in->unit : "", "room",
                   in->room ? in->room : "");
}

static json_t *complaint_body(const kiosk_api_complaint *in)
{
  json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "kind", in->kind, "category", in->category, "description",
                           in->description, "unit", complaint_unit(in));
  /* Anonymous: neither name nor phone is sent. */
  if (body && in->name && in->phone &&
      (json_object_set_new(body, "name", json_string(in->name)) != 0 ||
       json_object_set_new(body, "phone", json_string(in->phone)) != 0)) {
    wipe_strings(body);
    json_decref(body);
    return NULL;
  }
  return body;
}

lobby_err kiosk_api_complaint_submit(kiosk_net *net, const kiosk_api_complaint *in, uint64_t *request_id)
{
  if (!in || !in->kind || !in->category || !in->description)
    return LOBBY_EINVAL;
  return submit_body(net, KIOSK_SUBMIT_COMPLAINT, complaint_body(in), request_id);
}

lobby_err kiosk_api_complaint_lookup(kiosk_net *net, const char *number, const char *phone_last4,
                                     uint64_t *request_id)
{
  return lookup_with_phone(net, "/api/v1/complaints/lookup", "number", number, phone_last4, request_id);
}

/* ---- Item releases ---- */

static json_t *release_body(const kiosk_api_release *in)
{
  return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:o, s:s, s:s}", "unit", "building", in->building, "unit",
                   in->unit, "room", in->room, "items", in->items, "date", in->date, "plate",
                   in->plate && in->plate[0] ? json_string(in->plate) : json_null(), "name", in->name, "phone",
                   in->phone);
}

lobby_err kiosk_api_release_submit(kiosk_net *net, const kiosk_api_release *in, uint64_t *request_id)
{
  if (!in || !in->building || !in->unit || !in->room || !in->items || !in->date || !in->name || !in->phone)
    return LOBBY_EINVAL;
  return submit_body(net, KIOSK_SUBMIT_RELEASE, release_body(in), request_id);
}

lobby_err kiosk_api_release_lookup(kiosk_net *net, const char *number, const char *phone_last4,
                                   uint64_t *request_id)
{
  return lookup_with_phone(net, "/api/v1/releases/lookup", "number", number, phone_last4, request_id);
}

/* ---- Ratings ---- */

lobby_err kiosk_api_rating_submit(kiosk_net *net, const kiosk_api_rating *in, uint64_t *request_id)
{
  if (!in || !in->number || !in->phone_last4 || !in->satisfaction)
    return LOBBY_EINVAL;
  json_t *body = json_pack("{s:s, s:s, s:s}", "number", in->number, "phone_last4", in->phone_last4,
                           "satisfaction", in->satisfaction);
  if (!body)
    return LOBBY_ENOMEM;
  /* No comment: the member is left out rather than sent empty. */
  if (in->comment && in->comment[0] && json_object_set_new(body, "comment", json_string(in->comment)) != 0) {
    wipe_strings(body);
    json_decref(body);
    return LOBBY_ENOMEM;
  }
  lobby_err err = call(net, "POST", "/api/v1/ratings", body, NULL, 0, request_id);
  /* The body held part of a phone number and the resident's words. */
  wipe_strings(body);
  json_decref(body);
  return err;
}

/* ---- Visits ---- */

lobby_err kiosk_api_visit_submit(kiosk_net *net, const kiosk_api_visit *in, uint64_t *request_id)
{
  if (!in)
    return LOBBY_EINVAL;
  json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o}", "name", in->name, "phone", in->phone, "host", in->host,
                           "purpose", in->purpose, "party_size", in->party_size, "plate",
                           in->plate && in->plate[0] ? json_string(in->plate) : json_null());
  return submit_body(net, KIOSK_SUBMIT_VISIT, body, request_id);
}

/* A POST whose body is one string member. */
static lobby_err post_one(kiosk_net *net, const char *path, const char *key, const char *value,
                          uint64_t *request_id)
{
  if (!value)
    return LOBBY_EINVAL;
  json_t *body = json_pack("{s:s}", key, value);
  if (!body)
    return LOBBY_ENOMEM;
  lobby_err err = call(net, "POST", path, body, NULL, 0, request_id);
  json_decref(body);
  return err;
}

lobby_err kiosk_api_invite_checkin(kiosk_net *net, const char *invite_code, uint64_t *request_id)
{
  return post_one(net, "/api/v1/visits/invite-checkin", "invite_code", invite_code, request_id);
}

lobby_err kiosk_api_visit_checkout(kiosk_net *net, const char *pass_code, uint64_t *request_id)
{
  return post_one(net, "/api/v1/visits/checkout", "pass_code", pass_code, request_id);
}

/* ---- Contractor workers ---- */

lobby_err kiosk_api_worker_attendance(kiosk_net *net, const char *pass_code, uint64_t *request_id)
{
  return post_one(net, "/api/v1/workers/attendance", "pass_code", pass_code, request_id);
}

/* /api/v1/visits/{id}/<what>, or NULL (in p) when it does not fit. */
static void visit_path(path_builder *p, const char *visit_id, const char *what)
{
  path_raw(p, "/api/v1/visits/");
  path_encoded(p, visit_id);
  path_raw(p, "/");
  path_raw(p, what);
}

lobby_err kiosk_api_visit_status(kiosk_net *net, const char *visit_id, const char *etag, int wait_s,
                                 uint64_t *request_id)
{
  if (!visit_id || !visit_id[0])
    return LOBBY_EINVAL;
  path_builder p = {.len = 0};
  visit_path(&p, visit_id, "status");
  bool wait = etag && etag[0];
  return call(net, "GET", path_done(&p), NULL, wait ? etag : NULL, wait ? wait_s : 0, request_id);
}

lobby_err kiosk_api_visit_cancel(kiosk_net *net, const char *visit_id, uint64_t *request_id)
{
  if (!visit_id || !visit_id[0])
    return LOBBY_EINVAL;
  path_builder p = {.len = 0};
  visit_path(&p, visit_id, "cancel");
  return call(net, "POST", path_done(&p), NULL, NULL, 0, request_id);
}

/* ---- Answers ---- */

static bool delivered(const kiosk_event *ev, int status_class, int status)
{
  if (!ev || ev->kind != KIOSK_EV_RESULT || ev->state != KIOSK_RESULT_DELIVERED)
    return false;
  return status ? ev->http_status == status : ev->http_status / 100 == status_class;
}

static const char *member_str(const json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

/* A follow link goes into a QR code only in the one form lobbyd makes. */
static void follow_url_copy(char *out, size_t size, const char *url)
{
  if (url && lobby_follow_url_valid(url) && strlen(url) < size)
    memcpy(out, url, strlen(url) + 1);
  else
    out[0] = '\0';
}

lobby_err kiosk_api_parse_repair_receipt(const kiosk_event *ev, kiosk_api_repair_receipt *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 2, 0))
    return LOBBY_EINVAL;
  const char *ticket = member_str(ev->body, "ticket");
  if (!ticket)
    return LOBBY_EINVAL;
  copy_cut(out->ticket, sizeof out->ticket, ticket);
  copy_cut(out->due_at, sizeof out->due_at, member_str(ev->body, "due_at"));
  follow_url_copy(out->follow_url, sizeof out->follow_url, member_str(ev->body, "follow_url"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_complaint_receipt(const kiosk_event *ev, kiosk_api_complaint_receipt *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 2, 0))
    return LOBBY_EINVAL;
  const char *number = member_str(ev->body, "number");
  if (!number)
    return LOBBY_EINVAL;
  copy_cut(out->number, sizeof out->number, number);
  copy_cut(out->reply_due_at, sizeof out->reply_due_at, member_str(ev->body, "reply_due_at"));
  follow_url_copy(out->follow_url, sizeof out->follow_url, member_str(ev->body, "follow_url"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_complaint_status(const kiosk_event *ev, kiosk_api_complaint_status *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 0, 200) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *c = ev->body;
  const char *number = member_str(c, "number");
  if (!number)
    return LOBBY_EINVAL;
  copy_cut(out->number, sizeof out->number, number);
  copy_cut(out->kind, sizeof out->kind, member_str(c, "kind"));
  copy_cut(out->category, sizeof out->category, member_str(c, "category"));
  copy_cut(out->status, sizeof out->status, member_str(c, "status"));
  copy_cut(out->created_at, sizeof out->created_at, member_str(c, "created_at"));
  copy_cut(out->reply_due_at, sizeof out->reply_due_at, member_str(c, "reply_due_at"));
  copy_cut(out->replied_at, sizeof out->replied_at, member_str(c, "replied_at"));
  copy_cut(out->reply, sizeof out->reply, member_str(c, "reply"));
  copy_cut(out->satisfaction, sizeof out->satisfaction, member_str(c, "satisfaction"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_release_receipt(const kiosk_event *ev, kiosk_api_release_receipt *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 2, 0))
    return LOBBY_EINVAL;
  const char *number = member_str(ev->body, "number");
  if (!number)
    return LOBBY_EINVAL;
  copy_cut(out->number, sizeof out->number, number);
  copy_cut(out->date, sizeof out->date, member_str(ev->body, "date"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_release_status(const kiosk_event *ev, kiosk_api_release_status *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 0, 200) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *r = ev->body;
  const char *number = member_str(r, "number"), *status = member_str(r, "status");
  if (!number || !status)
    return LOBBY_EINVAL;
  copy_cut(out->number, sizeof out->number, number);
  copy_cut(out->status, sizeof out->status, status);
  copy_cut(out->date, sizeof out->date, member_str(r, "date"));
  copy_cut(out->items, sizeof out->items, member_str(r, "items"));
  copy_cut(out->plate, sizeof out->plate, member_str(r, "plate"));
  copy_cut(out->code, sizeof out->code, member_str(r, "code"));
  copy_cut(out->reason, sizeof out->reason, member_str(r, "reason"));
  out->expired = json_is_true(json_object_get(r, "expired"));
  copy_cut(out->used_at, sizeof out->used_at, member_str(r, "used_at"));
  copy_cut(out->created_at, sizeof out->created_at, member_str(r, "created_at"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_rating(const kiosk_event *ev, kiosk_api_rating_answer *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 0, 200) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  /* A repair answers as its look-up does, with a ticket; a complaint with
   * a number. */
  const char *number = member_str(ev->body, "number");
  if (!number)
    number = member_str(ev->body, "ticket");
  const char *status = member_str(ev->body, "status");
  if (!number || !status)
    return LOBBY_EINVAL;
  copy_cut(out->number, sizeof out->number, number);
  copy_cut(out->status, sizeof out->status, status);
  copy_cut(out->satisfaction, sizeof out->satisfaction, member_str(ev->body, "satisfaction"));
  return LOBBY_OK;
}

static void parse_timeline(const json_t *tl, kiosk_api_repair_status *out)
{
  size_t n = json_array_size(tl);
  size_t first = n > KIOSK_API_TIMELINE_MAX ? n - KIOSK_API_TIMELINE_MAX : 0;
  for (size_t i = first; i < n; i++) {
    const json_t *e = json_array_get(tl, i);
    kiosk_api_timeline_entry *t = &out->timeline[out->n_timeline++];
    copy_cut(t->status, sizeof t->status, member_str(e, "status"));
    copy_cut(t->at, sizeof t->at, member_str(e, "at"));
  }
}

lobby_err kiosk_api_parse_repair_status(const kiosk_event *ev, kiosk_api_repair_status *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 0, 200) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *r = ev->body;
  copy_cut(out->ticket, sizeof out->ticket, member_str(r, "ticket"));
  copy_cut(out->status, sizeof out->status, member_str(r, "status"));
  copy_cut(out->category, sizeof out->category, member_str(r, "category"));
  copy_cut(out->due_at, sizeof out->due_at, member_str(r, "due_at"));
  out->overdue = json_is_true(json_object_get(r, "overdue"));
  parse_timeline(json_object_get(r, "timeline"), out);
  return LOBBY_OK;
}

static kiosk_api_ref_state ref_state(const char *s)
{
  if (!s || strcmp(s, "queued") == 0)
    return KIOSK_API_REF_QUEUED;
  return strcmp(s, "rejected") == 0 ? KIOSK_API_REF_REJECTED : KIOSK_API_REF_DELIVERED;
}

lobby_err kiosk_api_parse_ref_status(const kiosk_event *ev, kiosk_api_ref_status *out)
{
  memset(out, 0, sizeof *out);
  bool answer = delivered(ev, 0, 200) || (ev && ev->kind == KIOSK_EV_OUTBOX);
  if (!answer || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *b = ev->body;
  copy_cut(out->ref, sizeof out->ref, member_str(b, "ref"));
  out->state = ref_state(member_str(b, "state"));
  copy_cut(out->ticket, sizeof out->ticket, member_str(b, "ticket"));
  copy_cut(out->visit_id, sizeof out->visit_id, member_str(b, "visit_id"));
  copy_cut(out->pass_code, sizeof out->pass_code, member_str(b, "pass_code"));
  follow_url_copy(out->follow_url, sizeof out->follow_url, member_str(b, "follow_url"));
  return LOBBY_OK;
}

static kiosk_api_visit_state visit_state(const char *s)
{
  if (!s)
    return KIOSK_API_VISIT_UNSTATED;
  if (!strcmp(s, "pending"))
    return KIOSK_API_VISIT_PENDING;
  if (!strcmp(s, "approved"))
    return KIOSK_API_VISIT_APPROVED;
  return !strcmp(s, "refused") ? KIOSK_API_VISIT_REFUSED : KIOSK_API_VISIT_ENDED;
}

lobby_err kiosk_api_parse_visit(const kiosk_event *ev, kiosk_api_visit_record *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 2, 0) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *v = ev->body;
  copy_cut(out->id, sizeof out->id, member_str(v, "id"));
  out->state = visit_state(member_str(v, "state"));
  copy_cut(out->pass_code, sizeof out->pass_code, member_str(v, "pass_code"));
  copy_cut(out->reason, sizeof out->reason, member_str(v, "reason"));
  follow_url_copy(out->follow_url, sizeof out->follow_url, member_str(v, "follow_url"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_checkout(const kiosk_event *ev)
{
  return delivered(ev, 0, 200) ? LOBBY_OK : LOBBY_EINVAL;
}

/* The time of an attendance: ISO text, or epoch seconds made ISO (UTC). */
static void copy_time(char *dst, size_t cap, const json_t *v)
{
  if (json_is_integer(v) && cap >= LOBBY_ISO_LEN) {
    lobby_time_format((int64_t)json_integer_value(v), 0, dst);
    return;
  }
  copy_cut(dst, cap, json_string_value(v));
}

lobby_err kiosk_api_parse_attendance(const kiosk_event *ev, kiosk_api_attendance *out)
{
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 0, 200) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *a = ev->body;
  const char *action = member_str(a, "action"), *name = member_str(a, "name");
  if (!action || (strcmp(action, "in") != 0 && strcmp(action, "out") != 0))
    return LOBBY_EINVAL;
  out->in = !strcmp(action, "in");
  if (name && name[0])
    lobby_name_mask(name, out->name, sizeof out->name);
  copy_cut(out->company, sizeof out->company, member_str(a, "company"));
  const json_t *unit = json_object_get(a, "unit");
  copy_cut(out->building, sizeof out->building, member_str(unit, "building"));
  copy_cut(out->unit, sizeof out->unit, member_str(unit, "unit"));
  copy_cut(out->room, sizeof out->room, member_str(unit, "room"));
  copy_cut(out->valid_until, sizeof out->valid_until, member_str(a, "valid_until"));
  copy_time(out->at, sizeof out->at, json_object_get(a, "at"));
  return LOBBY_OK;
}

lobby_err kiosk_api_parse_attendance_refusal(const kiosk_event *ev, kiosk_api_attendance_refusal *out)
{
  static const char *const codes[] = {"worker_pass_expired", "worker_pass_revoked", "renovation_not_active"};
  memset(out, 0, sizeof *out);
  if (!delivered(ev, 0, 409) || !json_is_object(ev->body))
    return LOBBY_EINVAL;
  const json_t *err = json_object_get(ev->body, "error");
  const char *code = member_str(err, "code");
  for (size_t i = 0; code && i < sizeof codes / sizeof *codes; i++) {
    if (strcmp(code, codes[i]) != 0)
      continue;
    out->reason = (kiosk_api_refusal_reason)i;
    /* The contract puts the phone beside the error; inside it is taken too. */
    const char *contact = member_str(ev->body, "contact");
    copy_cut(out->contact, sizeof out->contact, contact ? contact : member_str(err, "contact"));
    return LOBBY_OK;
  }
  return LOBBY_EINVAL;
}

void kiosk_api_parse_error(const kiosk_event *ev, kiosk_api_error *out)
{
  memset(out, 0, sizeof *out);
  out->http_status = ev ? ev->http_status : 0;
  if (!ev || ev->state != KIOSK_RESULT_DELIVERED) {
    copy_cut(out->code, sizeof out->code, "network");
    return;
  }
  const json_t *err = json_object_get(ev->body, "error");
  const char *code = member_str(err, "code");
  int status = out->http_status;
  if (!code)
    code = status == 404 ? "not_found" : status >= 500 ? "server" : "generic";
  copy_cut(out->code, sizeof out->code, code);
  copy_cut(out->field, sizeof out->field, member_str(err, "field"));
}

/* ---- The feed ---- */

json_t *kiosk_api_feed_notices(const json_t *feed)
{
  json_t *n = feed ? json_object_get(feed, "notices") : NULL;
  return json_is_array(n) ? n : NULL;
}

json_t *kiosk_api_feed_directory(const json_t *feed)
{
  json_t *d = feed ? json_object_get(feed, "directory") : NULL;
  return json_is_array(d) ? d : NULL;
}

json_t *kiosk_api_feed_emergency(const json_t *feed)
{
  json_t *e = feed ? json_object_get(feed, "emergency") : NULL;
  return json_is_object(e) ? e : NULL;
}

const char *kiosk_api_feed_str(const json_t *feed, const char *obj, const char *key)
{
  const json_t *o = feed ? json_object_get(feed, obj) : NULL;
  const char *s = member_str(o, key);
  return s ? s : "";
}

static const char *str_or_empty(const json_t *o, const char *key)
{
  const char *s = member_str(o, key);
  return s ? s : "";
}

/* A picture's size as the feed states it, kept only when plausible. */
static void notice_image_view(const json_t *image, kiosk_api_notice *out)
{
  json_int_t w = json_integer_value(json_object_get(image, "width"));
  json_int_t h = json_integer_value(json_object_get(image, "height"));
  const char *etag = member_str(image, "etag");
  if (!etag || w <= 0 || h <= 0 || w > 65535 || h > 65535)
    return;
  out->image_etag = etag;
  out->image_w = (int)w;
  out->image_h = (int)h;
}

lobby_err kiosk_api_notice_view(const json_t *n, kiosk_api_notice *out)
{
  memset(out, 0, sizeof *out);
  out->title = out->body = out->updated_at = "";
  if (!json_is_object(n))
    return LOBBY_EINVAL;
  out->id = json_integer_value(json_object_get(n, "id"));
  out->title = str_or_empty(n, "title");
  out->body = str_or_empty(n, "body");
  out->category = member_str(n, "category");
  out->updated_at = str_or_empty(n, "updated_at");
  out->pinned = json_is_true(json_object_get(n, "pinned"));
  notice_image_view(json_object_get(n, "image"), out);
  return LOBBY_OK;
}

size_t kiosk_api_notice_count(const json_t *notices)
{
  return json_array_size(notices);
}

lobby_err kiosk_api_notice_at(const json_t *notices, size_t i, kiosk_api_notice *out)
{
  const json_t *n = json_array_get(notices, i);
  lobby_err err = kiosk_api_notice_view(n, out);
  return n ? err : LOBBY_ENOTFOUND;
}

size_t kiosk_api_dir_count(const json_t *dir)
{
  return json_array_size(dir);
}

lobby_err kiosk_api_dir_building(const json_t *dir, size_t b, kiosk_api_building *out)
{
  memset(out, 0, sizeof *out);
  const json_t *jb = json_array_get(dir, b);
  if (!jb)
    return LOBBY_ENOTFOUND;
  out->code = member_str(jb, "code");
  out->name = member_str(jb, "name");
  out->n_units = json_array_size(json_object_get(jb, "units"));
  return LOBBY_OK;
}

static const json_t *dir_unit(const json_t *dir, size_t b, size_t u)
{
  return json_array_get(json_object_get(json_array_get(dir, b), "units"), u);
}

lobby_err kiosk_api_dir_unit(const json_t *dir, size_t b, size_t u, kiosk_api_unit *out)
{
  memset(out, 0, sizeof *out);
  const json_t *ju = dir_unit(dir, b, u);
  if (!ju)
    return LOBBY_ENOTFOUND;
  out->code = member_str(ju, "code");
  out->n_rooms = json_array_size(json_object_get(ju, "rooms"));
  return LOBBY_OK;
}

const char *kiosk_api_dir_room(const json_t *dir, size_t b, size_t u, size_t r)
{
  return json_string_value(json_array_get(json_object_get(dir_unit(dir, b, u), "rooms"), r));
}
