/* Reports on the repair ledger: the monthly summary and the CSV export
 * that opens in Excel.  Both read through store operations. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>
#include "csv.h"
#include "lobby_time.h"
#include "site_scope.h"

#define EXPORT_ROWS_MAX 20000

enum MHD_Result handle_repair_summary(http_request *r)
{
  char month[8];
  int64_t from, to;
  enum MHD_Result ret;
  if (!query_month(r, month, &from, &to, &ret))
    return ret;
  store_site_set sites;
  if (!site_scope_of_request(r, &sites, &ret))
    return ret;
  json_t *out = NULL, *per_site = NULL;
  int64_t now = lobby_now();
  lobby_err err = r->d->store->ops->repair_summary(r->d->store, &sites, from, to, now, &out);
  /* Across sites, the same figures follow for each site, side by side. */
  if (err == LOBBY_OK && !http_query(r, "site"))
    err = site_summaries(r->d, &sites, r->d->store->ops->repair_summary, from, to, now,
                         &per_site);
  if (err != LOBBY_OK) {
    json_decref(out);
    return http_reply_store_error(r, err, "repairs");
  }
  json_object_set_new(out, "month", json_string(month));
  if (per_site)
    json_object_set_new(out, "sites", per_site);
  return http_reply_json(r, 200, out);
}

/* Labels for the spreadsheet, in the office's language. */
typedef struct {
  const char *code, *label;
} label;

static const label code_labels[] = {
  {"submitted", "已提交"}, {"accepted", "已受理"}, {"dispatched", "已派单"}, {"on_site", "已到场"},
  {"completed", "已完工"}, {"return_visit", "已回访"}, {"closed", "已关闭"}, {"cancelled", "已取消"},
  {"water", "水"}, {"electric", "电"}, {"door_lock", "门锁"}, {"lift", "电梯"},
  {"appliance", "家电"}, {"public_area", "公共区域"}, {"other", "其他"},
  {"emergency", "紧急"}, {"normal", "普通"}, {"appointment", "预约"},
  {"in_unit", "户内"}, {"warranty", "保修"},
  {"kiosk", "自助机"}, {"front_desk", "前台"}, {"phone", "电话"}, {NULL, NULL}};

static const char *label_of(json_t *obj, const char *key)
{
  const char *code = json_string_value(json_object_get(obj, key));
  for (int i = 0; code && code_labels[i].code; i++)
    if (strcmp(code_labels[i].code, code) == 0)
      return code_labels[i].label;
  return code;
}

static void time_cell(csv_buffer *b, json_t *obj, const char *key, int offset_min)
{
  json_t *v = json_object_get(obj, key);
  if (!json_is_integer(v)) {
    csv_text(b, NULL);
    return;
  }
  char iso[LOBBY_ISO_LEN], shown[20];
  lobby_time_format(json_integer_value(v), offset_min, iso);
  /* "2026-11-26 10:00": Excel reads it as a date and time. */
  snprintf(shown, sizeof shown, "%.10s %.5s", iso, iso + 11);
  csv_text(b, shown);
}

static void header_row(csv_buffer *b)
{
  static const char *const columns[] = {
    "工单号", "状态", "报修时间", "应完成时间", "超时", "楼栋", "单元", "房号", "类别", "类型",
    "紧急程度", "来源", "报修人", "电话", "描述", "维修师傅", "首问责任人", "满意度", NULL};
  for (int i = 0; columns[i]; i++)
    csv_text(b, columns[i]);
  csv_end_row(b);
}

static void repair_row(csv_buffer *b, json_t *t, int offset_min)
{
  json_t *unit = json_object_get(t, "unit");
  csv_text(b, json_string_value(json_object_get(t, "ticket")));
  csv_text(b, label_of(t, "status"));
  time_cell(b, t, "created_at", offset_min);
  time_cell(b, t, "due_at", offset_min);
  csv_text(b, json_is_true(json_object_get(t, "overdue")) ? "是" : "否");
  csv_text(b, json_string_value(json_object_get(unit, "building")));
  csv_text(b, json_string_value(json_object_get(unit, "unit")));
  csv_text(b, json_string_value(json_object_get(unit, "room")));
  csv_text(b, label_of(t, "category"));
  csv_text(b, label_of(t, "kind"));
  csv_text(b, label_of(t, "urgency"));
  csv_text(b, label_of(t, "source"));
  csv_text(b, json_string_value(json_object_get(t, "name")));
  csv_text(b, json_string_value(json_object_get(t, "phone")));
  csv_text(b, json_string_value(json_object_get(t, "description")));
  csv_text(b, json_string_value(json_object_get(t, "technician")));
  csv_text(b, json_string_value(json_object_get(t, "first_contact")));
  json_t *sat = json_object_get(t, "satisfaction");
  if (json_is_integer(sat))
    csv_int(b, json_integer_value(sat));
  else
    csv_text(b, NULL);
  csv_end_row(b);
}

enum MHD_Result handle_repair_export(http_request *r)
{
  static const char *const names[] = {"Content-Disposition"};
  static const char *const values[] = {"attachment; filename=\"repairs.csv\""};
  store_repair_filter f;
  store_site_set sites;
  lobby_search search;
  enum MHD_Result ret;
  if (!repair_filter_from_query(r, &f, &sites, &search, &ret))
    return ret;
  f.limit = EXPORT_ROWS_MAX; /* every match, whatever page the console shows */
  f.offset = 0;
  json_t *list = NULL;
  lobby_err err = r->d->store->ops->repair_list(r->d->store, &f, lobby_now(), &list);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "repairs");
  csv_buffer b;
  err = csv_init(&b);
  if (err == LOBBY_OK) {
    size_t i;
    json_t *t;
    header_row(&b);
    json_array_foreach(list, i, t) repair_row(&b, t, r->d->cfg->sla.offset_min);
    if (b.failed)
      err = LOBBY_ENOMEM;
  }
  json_decref(list);
  if (err != LOBBY_OK) {
    csv_free(&b);
    return http_reply_store_error(r, err, "export");
  }
  ret = http_reply_buffer(r, 200, "text/csv; charset=utf-8", b.data, b.len, names, values, 1);
  csv_free(&b);
  return ret;
}
