#include "json_input.h"

#include <string.h>
#include "lobby_text.h"
#include "lobby_time.h"

lobby_err jin_parse(http_request *r, json_t **out, http_error *e)
{
  json_error_t jerr;
  if (!r->body || r->body_len == 0) {
    http_error_set(e, 400, "bad_json", NULL, "the request needs a JSON object body");
    return LOBBY_EINVAL;
  }
  if (!lobby_utf8_valid(r->body, r->body_len)) {
    http_error_set(e, 400, "invalid_utf8", NULL, "the body is not valid UTF-8");
    return LOBBY_EINVAL;
  }
  json_t *v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!v) {
    http_error_set(e, 400, "bad_json", NULL, "invalid JSON at line %d column %d: %s",
                   jerr.line, jerr.column, jerr.text);
    return LOBBY_EINVAL;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    http_error_set(e, 400, "bad_json", NULL, "the body must be a JSON object");
    return LOBBY_EINVAL;
  }
  *out = v;
  return LOBBY_OK;
}

lobby_err jin_only(json_t *obj, const char *const *allowed, const char *prefix, http_error *e)
{
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    bool known = false;
    for (int i = 0; allowed[i] && !known; i++)
      known = strcmp(allowed[i], key) == 0;
    if (!known) {
      char field[48];
      snprintf(field, sizeof field, "%s%.40s", prefix ? prefix : "", key);
      http_error_set(e, 400, "unknown_field", field, "unknown field \"%s\"", field);
      return LOBBY_EINVAL;
    }
  }
  return LOBBY_OK;
}

static lobby_err missing(const char *key, http_error *e)
{
  http_error_set(e, 400, "missing_field", key, "%s is required", key);
  return LOBBY_EINVAL;
}

static lobby_err invalid(const char *key, http_error *e, const char *why)
{
  http_error_set(e, 400, "invalid_field", key, "%s: %s", key, why);
  return LOBBY_EINVAL;
}

/* The member, or NULL when absent or null. */
static json_t *member(json_t *obj, const char *key)
{
  json_t *v = json_object_get(obj, key);
  return json_is_null(v) ? NULL : v;
}

lobby_err jin_string(json_t *obj, const char *key, bool required, size_t min, size_t max,
                     bool multiline, const char **out, http_error *e)
{
  json_t *v = member(obj, key);
  *out = NULL;
  if (!v)
    return required ? missing(key, e) : LOBBY_OK;
  if (!json_is_string(v))
    return invalid(key, e, "must be a string");
  const char *s = json_string_value(v);
  if (strlen(s) != json_string_length(v))
    return invalid(key, e, "must not contain NUL characters");
  lobby_err err = lobby_text_check(s, min, max, multiline);
  if (err == LOBBY_ETOOBIG) {
    char why[64];
    snprintf(why, sizeof why, "at most %zu characters", max);
    err = invalid(key, e, why);
    http_error_bound(e, HTTP_BOUND_LENGTH, (long)min, (long)max);
    return err;
  }
  if (err != LOBBY_OK) {
    char why[96];
    if (min)
      snprintf(why, sizeof why, "must have %zu to %zu characters and no control characters",
               min, max);
    else
      snprintf(why, sizeof why, "at most %zu characters and no control characters", max);
    err = invalid(key, e, why);
    http_error_bound(e, HTTP_BOUND_LENGTH, (long)min, (long)max);
    return err;
  }
  *out = s;
  return LOBBY_OK;
}

lobby_err jin_enum(json_t *obj, const char *key, bool required, const char *const *names,
                   const char **out, http_error *e)
{
  json_t *v = member(obj, key);
  *out = NULL;
  if (!v)
    return required ? missing(key, e) : LOBBY_OK;
  const char *s = json_string_value(v);
  for (int i = 0; s && names[i]; i++)
    if (strcmp(names[i], s) == 0) {
      *out = names[i];
      return LOBBY_OK;
    }
  char why[200];
  size_t used = (size_t)snprintf(why, sizeof why, "must be one of");
  for (int i = 0; names[i] && used < sizeof why; i++)
    used += (size_t)snprintf(why + used, sizeof why - used, "%s %s", i ? "," : "", names[i]);
  return invalid(key, e, why);
}

lobby_err jin_int(json_t *obj, const char *key, bool required, int min, int max, int *out,
                  http_error *e)
{
  json_t *v = member(obj, key);
  if (!v)
    return required ? missing(key, e) : LOBBY_OK;
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
    char why[64];
    snprintf(why, sizeof why, "must be a whole number from %d to %d", min, max);
    lobby_err err = invalid(key, e, why);
    http_error_bound(e, HTTP_BOUND_VALUE, min, max);
    return err;
  }
  *out = (int)json_integer_value(v);
  return LOBBY_OK;
}

lobby_err jin_bool(json_t *obj, const char *key, bool *out, http_error *e)
{
  json_t *v = member(obj, key);
  if (!v)
    return LOBBY_OK;
  if (!json_is_boolean(v))
    return invalid(key, e, "must be true or false");
  *out = json_is_true(v);
  return LOBBY_OK;
}

lobby_err jin_time(json_t *obj, const char *key, bool required, int64_t *out, http_error *e)
{
  json_t *v = member(obj, key);
  if (!v)
    return required ? missing(key, e) : LOBBY_OK;
  if (!json_is_string(v) || lobby_time_parse(json_string_value(v), out) != LOBBY_OK)
    return invalid(key, e, "must be a time like 2026-11-26T18:00:00+08:00");
  return LOBBY_OK;
}

lobby_err jin_phone(json_t *obj, const char *key, bool required, const char **out, http_error *e)
{
  json_t *v = member(obj, key);
  *out = NULL;
  if (!v)
    return required ? missing(key, e) : LOBBY_OK;
  if (!json_is_string(v) || !lobby_phone_valid(json_string_value(v)))
    return invalid(key, e, "not a mainland mobile (13812345678) or landline (010-12345678) number");
  *out = json_string_value(v);
  return LOBBY_OK;
}

lobby_err jin_code(json_t *obj, const char *key, bool required, size_t max, bool allow_empty,
                   const char **out, http_error *e)
{
  json_t *v = member(obj, key);
  *out = NULL;
  if (!v)
    return required ? missing(key, e) : LOBBY_OK;
  const char *s = json_string_value(v);
  if (s && allow_empty && *s == '\0') {
    *out = s;
    return LOBBY_OK;
  }
  if (!s || !lobby_code_valid(s, max)) {
    char why[80];
    snprintf(why, sizeof why, "1 to %zu letters, digits, '-' or '_'", max);
    return invalid(key, e, why);
  }
  *out = s;
  return LOBBY_OK;
}

lobby_err jin_idempotency_key(http_request *r, bool required, const char **out, http_error *e)
{
  const char *key = http_header(r, "Idempotency-Key");
  *out = NULL;
  if (!key) {
    if (!required)
      return LOBBY_OK;
    http_error_set(e, 400, "missing_idempotency_key", "Idempotency-Key",
                   "this request needs an Idempotency-Key header so a retry cannot create a duplicate");
    return LOBBY_EINVAL;
  }
  if (!lobby_idempotency_key_valid(key)) {
    http_error_set(e, 400, "invalid_field", "Idempotency-Key",
                   "Idempotency-Key must be 8 to 64 of A-Z, a-z, 0-9, '-' and '_'");
    return LOBBY_EINVAL;
  }
  *out = key;
  return LOBBY_OK;
}
