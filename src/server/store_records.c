/* Records shaped for the API, shared by both stores (store_records.h). */
#include "store_records.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "lobby_complaint.h"
#include "lobby_release.h"
#include "lobby_renovation.h"
#include "lobby_time.h"
#include "lobby_repair.h"

void store_visit_id_new(char out[STORE_VISIT_ID_LEN])
{
  unsigned char raw[8];
  char hex[17];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  snprintf(out, STORE_VISIT_ID_LEN, "v_%s", hex);
}

/* Staff see the target as one object, as they send it. */
void store_notice_nest_target(json_t *n)
{
  json_t *target = json_object();
  const char *type = json_string_value(json_object_get(n, "target_type"));
  const char *value = json_string_value(json_object_get(n, "target_value"));
  json_object_set_new(target, "type", json_string(type ? type : "all"));
  if (type && strcmp(type, "building") == 0)
    json_object_set_new(target, "building", json_string(value));
  else if (type && strcmp(type, "group") == 0)
    json_object_set_new(target, "group", json_string(value));
  json_object_del(n, "target_type");
  json_object_del(n, "target_value");
  json_object_set_new(n, "target", target);
}

static const char *const notice_image_columns[] = {
  "image_file", "image_sha256", "image_upload_sha256", "image_width", "image_height",
  "image_bytes"};

lobby_err store_notice_etag_of(const char *sha256, char etag[STORE_NOTICE_ETAG_LEN + 1])
{
  if (!sha256 || strlen(sha256) < STORE_NOTICE_ETAG_LEN)
    return LOBBY_EINVAL;
  memcpy(etag, sha256, STORE_NOTICE_ETAG_LEN);
  etag[STORE_NOTICE_ETAG_LEN] = '\0';
  return LOBBY_OK;
}

static json_t *notice_image_of(const json_t *n, bool staff)
{
  char url[64], etag[STORE_NOTICE_ETAG_LEN + 1];
  if (store_notice_etag_of(json_string_value(json_object_get(n, "image_sha256")), etag) !=
      LOBBY_OK)
    return NULL;
  snprintf(url, sizeof url, "/api/v1/notices/%" JSON_INTEGER_FORMAT "/image",
           json_integer_value(json_object_get(n, "id")));
  json_t *image = json_pack("{s:s, s:s, s:O, s:O}", "url", url, "etag", etag,
                            "width", json_object_get(n, "image_width"),
                            "height", json_object_get(n, "image_height"));
  if (image && staff) {
    json_object_set(image, "bytes", json_object_get(n, "image_bytes"));
    json_object_set(image, "sha256", json_object_get(n, "image_upload_sha256"));
  }
  return image;
}

void store_notice_nest_image(json_t *n, bool staff)
{
  bool has_image = json_is_string(json_object_get(n, "image_file"));
  json_t *image = has_image ? notice_image_of(n, staff) : NULL;
  for (size_t i = 0; i < sizeof notice_image_columns / sizeof notice_image_columns[0]; i++)
    json_object_del(n, notice_image_columns[i]);
  if (image)
    json_object_set_new(n, "image", image);
  else if (staff)
    json_object_set_new(n, "image", json_null());
}

bool store_notice_image_is(const json_t *n, const char *sha256)
{
  const char *have = json_string_value(json_object_get(json_object_get(n, "image"), "etag"));
  char want[STORE_NOTICE_ETAG_LEN + 1];
  if (!sha256)
    return have == NULL;
  return have && store_notice_etag_of(sha256, want) == LOBBY_OK && strcmp(have, want) == 0;
}

/* Computes "overdue" from the row, the same rule as repair_overdue(). */
void store_repair_mark_overdue(json_t *r, int64_t now)
{
  repair_status status;
  repair_urgency urgency;
  bool overdue = false;
  if (repair_status_parse(json_string_value(json_object_get(r, "status")), &status) == LOBBY_OK &&
      repair_urgency_parse(json_string_value(json_object_get(r, "urgency")), &urgency) == LOBBY_OK)
    overdue = repair_overdue(status, urgency, json_integer_value(json_object_get(r, "due_at")), now);
  json_object_set_new(r, "overdue", json_boolean(overdue));
}

void store_row_drop_nulls(json_t *r)
{
  const char *key;
  json_t *v;
  void *tmp;
  json_object_foreach_safe(r, tmp, key, v) {
    if (json_is_null(v))
      json_object_del(r, key);
  }
}

/* Adds "overdue" to a complaint row, by the rule of complaint_overdue(). */
static void complaint_mark_overdue(json_t *c, int64_t now)
{
  complaint_status status;
  bool overdue = complaint_status_parse(json_string_value(json_object_get(c, "status")),
                                        &status) == LOBBY_OK &&
                 complaint_overdue(status, json_integer_value(json_object_get(c, "reply_due_at")), now);
  json_object_set_new(c, "overdue", json_boolean(overdue));
}

void store_complaint_follow_finish(json_t *c, int64_t now)
{
  complaint_mark_overdue(c, now);
  store_row_drop_nulls(c);
}

void store_repair_follow_finish(json_t *r, json_t *events, int64_t now)
{
  store_repair_mark_overdue(r, now);
  json_object_del(r, "id");
  store_row_drop_nulls(r);
  json_object_set_new(r, "timeline", events);
}

/* Staff records show the unit as the object the API takes. */
void store_repair_nest_unit(json_t *r)
{
  json_t *unit = json_pack("{s:O, s:O, s:O}", "building", json_object_get(r, "building"),
                           "unit", json_object_get(r, "unit"), "room", json_object_get(r, "room"));
  json_object_del(r, "building");
  json_object_del(r, "room");
  json_object_set_new(r, "unit", unit);
}

void store_complaint_shape(json_t *c, int64_t now)
{
  json_t *building = json_object_get(c, "building");
  json_t *unit = json_is_string(building)
    ? json_pack("{s:O, s:O, s:O}", "building", building, "unit", json_object_get(c, "unit"),
                "room", json_object_get(c, "room"))
    : json_null();
  json_object_del(c, "building");
  json_object_del(c, "room");
  json_object_set_new(c, "unit", unit);
  complaint_mark_overdue(c, now);
}

static release_status release_row_status(const json_t *r)
{
  release_status s = RELEASE_STATUS_COUNT;
  (void)release_status_parse(json_string_value(json_object_get(r, "status")), &s);
  return s;
}

void store_release_shape(json_t *r, int offset_min, int64_t now)
{
  store_repair_nest_unit(r);
  bool expired = release_expired(release_row_status(r),
                                 json_string_value(json_object_get(r, "date")), now, offset_min);
  json_object_set_new(r, "expired", json_boolean(expired));
}

void store_release_public(json_t *r, int offset_min, int64_t now)
{
  release_status s = release_row_status(r);
  bool expired = release_expired(s, json_string_value(json_object_get(r, "date")), now, offset_min);
  json_object_set_new(r, "expired", json_boolean(expired));
  if (s != RELEASE_STATUS_APPROVED || expired)
    json_object_set_new(r, "code", json_null());
  if (s != RELEASE_STATUS_REFUSED && s != RELEASE_STATUS_CANCELLED)
    json_object_set_new(r, "reason", json_null());
}

void store_renovation_shape(json_t *r, int offset_min, int64_t now)
{
  renovation_status s = RENOVATION_STATUS_COUNT;
  (void)renovation_status_parse(json_string_value(json_object_get(r, "status")), &s);
  const char *end = json_string_value(json_object_get(r, "end"));
  store_repair_nest_unit(r);
  json_object_set_new(r, "expired", json_boolean(renovation_expired(s, end, now, offset_min)));
  json_object_set_new(r, "ending_soon",
                      json_boolean(renovation_ending_soon(s, end, now, offset_min)));
}

/* An epoch time or null as the API's local time or null. */
static void time_member(json_t *o, const char *key, int offset_min)
{
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v)) {
    json_object_set_new(o, key, json_null());
    return;
  }
  char iso[LOBBY_ISO_LEN];
  lobby_time_format((int64_t)json_integer_value(v), offset_min, iso);
  json_object_set_new(o, key, json_string(iso));
}

void store_worker_shape(json_t *w, int offset_min, int64_t now)
{
  renovation_status rs = RENOVATION_STATUS_COUNT;
  (void)renovation_status_parse(json_string_value(json_object_get(w, "renovation_status")), &rs);
  bool expired = worker_pass_expired(json_string_value(json_object_get(w, "valid_until")), rs,
                                     json_string_value(json_object_get(w, "renovation_end")), now,
                                     offset_min);
  json_object_del(w, "renovation_status");
  json_object_del(w, "renovation_end");
  json_object_set_new(w, "expired", json_boolean(expired));
  json_t *on_site = json_object_get(w, "on_site");
  json_object_set_new(w, "on_site",
                      json_boolean(json_is_true(on_site) || json_integer_value(on_site) != 0));
  time_member(w, "last_in", offset_min);
  time_member(w, "last_out", offset_min);
}

void store_refusal_shape(json_t *f)
{
  json_t *worker = json_pack("{s:O, s:O, s:O}", "id", json_object_get(f, "worker_id"), "name",
                             json_object_get(f, "worker_name"), "phone",
                             json_object_get(f, "worker_phone"));
  json_object_del(f, "worker_id");
  json_object_del(f, "worker_name");
  json_object_del(f, "worker_phone");
  json_object_set_new(f, "worker", worker);
  store_repair_nest_unit(f);
}

void store_drop_nulls(json_t *events)
{
  size_t i;
  json_t *ev;
  json_array_foreach(events, i, ev) store_row_drop_nulls(ev);
}

lobby_err store_site_ids_clause(const int64_t *ids, int count, const char *column, bool or_null,
                                char *out, size_t size)
{
  out[0] = '\0';
  if (!ids || count <= 0)
    return LOBBY_OK;
  if (count > STORE_SITE_CLAUSE_IDS)
    return LOBBY_EINVAL;
  int n = snprintf(out, size, or_null ? " AND (%s IS NULL OR %s IN (" : " AND (%s IN (",
                   column, column);
  for (int i = 0; i < count && n > 0 && (size_t)n < size; i++)
    n += snprintf(out + n, size - (size_t)n, "%s%lld", i ? "," : "", (long long)ids[i]);
  if (n > 0 && (size_t)n < size)
    n += snprintf(out + n, size - (size_t)n, "))");
  if (n <= 0 || (size_t)n >= size) {
    out[0] = '\0';
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}

lobby_err store_sql_with_sites(const char *sql_template, const char *clause, char *out,
                               size_t size)
{
  static const char marker[] = "{sites}";
  const char *at = strstr(sql_template, marker);
  if (!at)
    return LOBBY_EINVAL;
  int n = snprintf(out, size, "%.*s%s%s", (int)(at - sql_template), sql_template, clause,
                   at + sizeof marker - 1);
  return n >= 0 && (size_t)n < size ? LOBBY_OK : LOBBY_ETOOBIG;
}

void store_search_terms_of(const lobby_search *s, store_search_terms *out)
{
  memset(out, 0, sizeof *out);
  if (!s)
    return;
  switch (s->kind) {
  case LOBBY_SEARCH_NUMBER:
    /* Numbers are capitals, digits and dashes, all below '~'. */
    out->number = s->text;
    snprintf(out->number_buf, sizeof out->number_buf, "%s~", s->text);
    out->number_end = out->number_buf;
    break;
  case LOBBY_SEARCH_PHONE: out->phone = s->text; break;
  case LOBBY_SEARCH_LAST4: out->last4 = s->text; break;
  case LOBBY_SEARCH_ROOM:
    out->building = s->building;
    out->unit = s->unit[0] ? s->unit : NULL;
    out->room = s->room[0] ? s->room : NULL;
    break;
  case LOBBY_SEARCH_TEXT: {
    char escaped[2 * LOBBY_SEARCH_MAX + 1];
    lobby_search_like_escape(s->text, escaped, sizeof escaped);
    snprintf(out->name_buf, sizeof out->name_buf, "%s%%", escaped);
    /* U+10FFFF, the last code point, sorts after any character. */
    snprintf(out->name_end_buf, sizeof out->name_end_buf, "%s\xf4\x8f\xbf\xbf", s->text);
    out->name_like = out->name_buf;
    out->name_from = s->text;
    out->name_end = out->name_end_buf;
    break;
  }
  case LOBBY_SEARCH_NONE: break;
  }
}


void store_visit_terms_of(const lobby_search *s, store_visit_terms *out)
{
  memset(out, 0, sizeof *out);
  if (!s || s->kind == LOBBY_SEARCH_NONE)
    return;
  if (s->kind == LOBBY_SEARCH_PHONE) {
    out->phone = s->text;
    return;
  }
  if (s->kind == LOBBY_SEARCH_LAST4) {
    out->last4 = s->text;
    return;
  }
  /* A room (1-2-301) is where a visitor goes; a number-shaped text is
   * more likely a plate's start here than a record's. */
  char escaped[2 * LOBBY_SEARCH_MAX + 1];
  lobby_search_like_escape(s->text, escaped, sizeof escaped);
  snprintf(out->like_buf, sizeof out->like_buf, "%s%%", escaped);
  out->start_like = out->like_buf;
}
