/* Residents rate a completed repair or a replied complaint at a kiosk
 * (满意 / 基本满意 / 不满意): their own return visit, recorded once.  The
 * number and the phone's last four digits find the record, as a look-up
 * does, and the same limit on guesses applies. */
#include "handlers.h"

#include <string.h>
#include "lobby_complaint.h"
#include "lobby_log.h"
#include "lobby_repair.h"
#include "lobby_time.h"
#include "ratelimit.h"

static lobby_err read_rating(json_t *in, store_rating *rating, http_error *e)
{
  const char *level = NULL;
  lobby_err err = jin_string(in, "number", true, 1, 24, false, &rating->number, e);
  if (err == LOBBY_OK && !repair_ticket_valid(rating->number) &&
      !complaint_number_valid(rating->number)) {
    http_error_set(e, 400, "invalid_field", "number",
                   "number: a repair ticket (R-20261126-0042) or a complaint number (C-20261204-0007)");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK)
    err = jin_string(in, "phone_last4", true, 4, 4, false, &rating->phone_last4, e);
  if (err == LOBBY_OK && strspn(rating->phone_last4, "0123456789") != 4) {
    http_error_set(e, 400, "invalid_field", "phone_last4", "phone_last4: the last 4 digits of the phone");
    err = LOBBY_EINVAL;
  }
  if (err == LOBBY_OK)
    err = jin_enum(in, "satisfaction", true, complaint_satisfaction_names, &level, e);
  if (err == LOBBY_OK)
    (void)complaint_satisfaction_parse(level, &rating->satisfaction);
  if (err == LOBBY_OK)
    err = jin_string(in, "comment", false, 0, COMPLAINT_TEXT_MAX, true, &rating->comment, e);
  return err;
}

enum MHD_Result handle_rating_create(http_request *r)
{
  static const char *const fields[] = {"number", "phone_last4", "satisfaction", "comment", NULL};
  store_rating rating = {0};
  json_t *in, *out = NULL;
  http_error e;
  enum MHD_Result ret;
  char client[48];
  rate_key_of(&r->who, client, sizeof client);
  if (!rate_limiter_allow(r->d->lookups, client, lobby_monotonic_ms()))
    return http_fail(r, 429, "rate_limited", "too many tries; try again in a minute");
  if (!body_object(r, &in, fields, &ret))
    return ret;
  if (read_rating(in, &rating, &e)) {
    json_decref(in);
    return http_reply_error(r, &e);
  }
  bool repair = rating.number[0] == 'R';
  lobby_store *st = r->d->store;
  lobby_err err = (repair ? st->ops->repair_rate : st->ops->complaint_rate)(
    st, &rating, &r->who.sites, &r->who, lobby_now(), &out);
  json_decref(in);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "no %s with that number and phone",
                     repair ? "repair" : "complaint or suggestion");
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "not_awaiting_rating",
                     repair ? "this repair is not completed yet, or was rated already"
                            : "this has not been answered yet, or was rated already");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, repair ? "repair" : "complaint");
  /* The level only: comments are residents' words. */
  LOBBY_INFO("%s rated %s", json_string_value(json_object_get(out, repair ? "ticket" : "number")),
             complaint_satisfaction_name(rating.satisfaction));
  item_changed(r, json_string_value(json_object_get(out, repair ? "ticket" : "number")));
  return http_reply_json(r, 200, out);
}
