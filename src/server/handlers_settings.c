/* Visitor settings admins change from the console: the auto sign-out
 * hours (overriding the ini) and how long visitor details are kept. */
#include "handlers.h"

#include <stdio.h>
#include "audit.h"
#include "lobby_log.h"

#define RETENTION_DAYS_DEFAULT 180

int settings_auto_checkout_hours(lobbyd *d)
{
  int64_t hours = d->cfg->visits.auto_checkout_hours;
  if (d->store->ops->setting_get(d->store, SETTING_AUTO_CHECKOUT_HOURS, &hours) != LOBBY_OK)
    LOBBY_WARN("settings: using the configured auto sign-out hours");
  return (int)hours;
}

int settings_retention_days(lobbyd *d)
{
  int64_t days = RETENTION_DAYS_DEFAULT;
  if (d->store->ops->setting_get(d->store, SETTING_VISIT_RETENTION_DAYS, &days) != LOBBY_OK)
    LOBBY_WARN("settings: using the default visitor retention");
  return (int)days;
}

static enum MHD_Result reply_settings(http_request *r)
{
  return http_reply_json(r, 200, json_pack("{s:i, s:i}", "auto_checkout_hours",
                                           settings_auto_checkout_hours(r->d),
                                           "visit_retention_days", settings_retention_days(r->d)));
}

enum MHD_Result handle_settings_get(http_request *r)
{
  return reply_settings(r);
}

enum MHD_Result handle_settings_put(http_request *r)
{
  static const char *const fields[] = {"auto_checkout_hours", "visit_retention_days", NULL};
  json_t *in;
  enum MHD_Result ret;
  http_error e;
  int hours = 0, days = -1;
  /* These settings hold for every site's visitors. */
  if (!require_every_site(r, "change visitor settings", &ret) || !body_object(r, &in, fields, &ret))
    return ret;
  lobby_err err = jin_int(in, "auto_checkout_hours", false, 1, AUTO_CHECKOUT_HOURS_MAX, &hours, &e);
  /* 0 days keeps visitor details until someone deletes them. */
  if (err == LOBBY_OK) err = jin_int(in, "visit_retention_days", false, 0, RETENTION_DAYS_MAX, &days, &e);
  bool has_hours = json_object_get(in, "auto_checkout_hours") != NULL;
  bool has_days = json_object_get(in, "visit_retention_days") != NULL;
  json_decref(in);
  if (err != LOBBY_OK)
    return http_reply_error(r, &e);
  store_setting settings[2];
  size_t count = 0;
  if (has_hours)
    settings[count++] = (store_setting){SETTING_AUTO_CHECKOUT_HOURS, hours};
  if (has_days)
    settings[count++] = (store_setting){SETTING_VISIT_RETENTION_DAYS, days};
  /* The entry names the settings as they will be: the new values, the
   * others as they are. */
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "auto_checkout_hours=%d retention_days=%d",
           has_hours ? hours : settings_auto_checkout_hours(r->d),
           has_days ? days : settings_retention_days(r->d));
  audit_note note;
  err = r->d->store->ops->settings_set(r->d->store, settings, count, audit_of(r, &note));
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "settings");
  return reply_settings(r);
}
