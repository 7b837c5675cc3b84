/* Checks a JSON request body field by field.  Each check fills an
 * http_error naming the field and what is wrong with it, so a client (or a
 * person at the front desk) knows exactly what to fix. */
#ifndef LOBBYD_JSON_INPUT_H
#define LOBBYD_JSON_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "http.h"

/* Parses the body as one JSON object in valid UTF-8. */
lobby_err jin_parse(http_request *r, json_t **out, http_error *e);

/* Rejects members not named in allowed (NULL-terminated). */
lobby_err jin_only(json_t *obj, const char *const *allowed, const char *prefix, http_error *e);

/* A string of min..max characters; *out is NULL when absent and optional.
 * multiline allows newlines and tabs. */
lobby_err jin_string(json_t *obj, const char *key, bool required, size_t min, size_t max,
                     bool multiline, const char **out, http_error *e);
/* One of names (NULL-terminated). */
lobby_err jin_enum(json_t *obj, const char *key, bool required, const char *const *names,
                   const char **out, http_error *e);
lobby_err jin_int(json_t *obj, const char *key, bool required, int min, int max, int *out,
                  http_error *e);
lobby_err jin_bool(json_t *obj, const char *key, bool *out, http_error *e);
/* An ISO 8601 time with offset; null or absent leaves *out unchanged. */
lobby_err jin_time(json_t *obj, const char *key, bool required, int64_t *out, http_error *e);
lobby_err jin_phone(json_t *obj, const char *key, bool required, const char **out, http_error *e);
/* A building/unit/room or kiosk code: [A-Za-z0-9_-]{1,max}. */
lobby_err jin_code(json_t *obj, const char *key, bool required, size_t max, bool allow_empty,
                   const char **out, http_error *e);

/* The Idempotency-Key header, checked; NULL when absent and not required. */
lobby_err jin_idempotency_key(http_request *r, bool required, const char **out, http_error *e);

#endif
