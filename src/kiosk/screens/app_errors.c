/* Server errors shown to people: the API's {"error": {code, message,
 * field}} becomes a sentence in the user's language with a next step,
 * chosen by code and field, never the server's English message. */
#include <string.h>
#include "kiosk_app.h"
#include "lobby_log.h"

static const char *lookup(const kiosk_app *app, const char *key)
{
  const char *v = kiosk_strings_find(&app->strings[app->lang], key);
  return v ? v : kiosk_strings_find(&app->strings[0], key);
}

void kiosk_app_error_key(kiosk_app *app, const char *key, const char *field)
{
  kiosk_sf(app, app->form.error_msg, sizeof app->form.error_msg, key, "phone",
           kiosk_feed_str(app, "site", "service_phone"), NULL);
  snprintf(app->form.error_field, sizeof app->form.error_field, "%s", field ? field : "");
  app->dirty = true;
}

/* The most specific message: context+code+field, context+code, code+field,
 * code, then the status class. */
static const char *pick(const kiosk_app *app, const char *ctx, const char *code, const char *field,
                        int status)
{
  char key[160];
  const char *v;
  if (field && *field) {
    snprintf(key, sizeof key, "err.%s.%s.%s", ctx, code, field);
    if ((v = lookup(app, key)))
      return v;
  }
  snprintf(key, sizeof key, "err.%s.%s", ctx, code);
  if ((v = lookup(app, key)))
    return v;
  if (field && *field) {
    snprintf(key, sizeof key, "err.%s.%s", code, field);
    if ((v = lookup(app, key)))
      return v;
  }
  snprintf(key, sizeof key, "err.%s", code);
  if ((v = lookup(app, key)))
    return v;
  if (status >= 500)
    return lookup(app, "err.server");
  return lookup(app, "err.generic");
}

void kiosk_app_error_from_result(kiosk_app *app, const kiosk_event *ev, const char *context)
{
  kiosk_api_error e;
  kiosk_api_parse_error(ev, &e);
  const char *code = e.code, *field = e.field;
  int status = e.http_status;
  /* The server message is English and may echo input: log only the code. */
  LOBBY_WARN("%s failed: http %d code %s field %s", context, status, code, field);
  const char *tpl = pick(app, context, code, field, status);
  const char *pairs[] = {"phone", kiosk_feed_str(app, "site", "service_phone"), NULL};
  kiosk_strings_vformat_tpl(tpl ? tpl : "?", app->form.error_msg, sizeof app->form.error_msg, pairs);
  snprintf(app->form.error_field, sizeof app->form.error_field, "%s", field);
  app->dirty = true;
}
