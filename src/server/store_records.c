/* Records shaped for the API, shared by both stores (store_records.h). */
#include "store_records.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "lobby_complaint.h"
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

/* Staff records show the unit as the object the API takes. */
void store_repair_nest_unit(json_t *r)
{
  json_t *unit = json_pack("{s:O, s:O, s:O}", "building", json_object_get(r, "building"),
                           "unit", json_object_get(r, "unit"), "room", json_object_get(r, "room"));
  json_object_del(r, "building");
  json_object_del(r, "room");
  json_object_set_new(r, "unit", unit);
}

/* The row's value of key, or null: a new reference either way. */
static json_t *column(const json_t *row, const char *key)
{
  json_t *v = json_object_get(row, key);
  return v ? json_incref(v) : json_null();
}

static json_t *complaint_unit(const json_t *row)
{
  if (!json_is_string(json_object_get(row, "building")))
    return json_null();
  return json_pack("{s:o, s:o, s:o}", "building", column(row, "building"), "unit",
                   column(row, "unit"), "room", column(row, "room"));
}

static bool complaint_row_overdue(const json_t *row, int64_t now)
{
  complaint_status status;
  if (complaint_status_parse(json_string_value(json_object_get(row, "status")), &status) !=
      LOBBY_OK)
    return false;
  return complaint_overdue(status, json_integer_value(json_object_get(row, "reply_due_at")), now);
}

json_t *store_complaint_shape(const json_t *row, int64_t now)
{
  static const char *const head[] = {"number", "site", "kind", "category", "status",
                                     "description", NULL};
  static const char *const tail[] = {"name", "phone", "source", "responsible", "reply",
                                     "replied_at", "reply_due_at", NULL};
  json_t *out = json_object();
  for (int i = 0; head[i]; i++)
    json_object_set_new(out, head[i], column(row, head[i]));
  json_object_set_new(out, "unit", complaint_unit(row));
  for (int i = 0; tail[i]; i++)
    json_object_set_new(out, tail[i], column(row, tail[i]));
  json_object_set_new(out, "overdue", json_boolean(complaint_row_overdue(row, now)));
  json_object_set_new(out, "satisfaction", column(row, "satisfaction"));
  json_object_set_new(out, "created_at", column(row, "created_at"));
  json_object_set_new(out, "updated_at", column(row, "updated_at"));
  return out;
}

json_t *store_complaint_public_shape(const json_t *row)
{
  static const char *const keys[] = {"number", "kind", "category", "status", "created_at",
                                     "reply_due_at", "reply", "replied_at", "satisfaction",
                                     NULL};
  json_t *out = json_object();
  for (int i = 0; keys[i]; i++)
    json_object_set_new(out, keys[i], column(row, keys[i]));
  return out;
}

void store_events_drop_nulls(json_t *events)
{
  size_t i;
  json_t *ev;
  json_array_foreach(events, i, ev) {
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(ev, tmp, key, v) {
      if (json_is_null(v))
        json_object_del(ev, key);
    }
  }
}

/* part / whole to three decimals, null when whole is 0. */
static json_t *rate(int64_t part, int64_t whole)
{
  if (whole <= 0)
    return json_null();
  return json_real((double)((part * 1000 + whole / 2) / whole) / 1000.0);
}

/* The median of the ascending seconds, in whole minutes (halves up). */
static json_t *median_minutes(const int64_t *seconds, size_t n)
{
  if (n == 0)
    return json_null();
  int64_t twice = seconds[(n - 1) / 2] + seconds[n / 2];
  return json_integer((json_int_t)((twice + 60) / 120));
}

json_t *store_complaint_summary_shape(store_complaint_figures *f)
{
  json_t *by_kind = json_object(), *sat = json_object();
  int64_t total = 0;
  for (int k = 0; k < COMPLAINT_KIND_COUNT; k++) {
    json_object_set_new(by_kind, complaint_kind_names[k], json_integer(f->by_kind[k]));
    total += f->by_kind[k];
  }
  for (int s = COMPLAINT_SATISFACTION_NONE + 1; s < COMPLAINT_SATISFACTION_COUNT; s++)
    json_object_set_new(sat, complaint_satisfaction_name((complaint_satisfaction)s),
                        json_integer(f->satisfaction[s]));
  json_t *by_category = f->by_category ? f->by_category : json_object();
  f->by_category = NULL;
  return json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o}", "total", (json_int_t)total,
                   "by_kind", by_kind, "by_category", by_category, "reply_minutes_median",
                   median_minutes(f->reply_seconds, f->replied), "replied",
                   (json_int_t)f->replied, "replied_on_time", (json_int_t)f->replied_on_time,
                   "on_time_rate", rate(f->replied_on_time, (int64_t)f->replied),
                   "return_visit_rate", rate(f->complaints_visited, f->complaints_replied),
                   "satisfaction", sat);
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
