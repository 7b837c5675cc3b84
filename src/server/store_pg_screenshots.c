/* Remote screenshots in the PostgreSQL store, as store_sqlite_screenshots.c:
 * one row per kiosk; the picture is a file in the photo directory, which
 * every instance shares.  The kiosk's row is locked for a request or an
 * upload, so two instances never both replace it. */
#include "store_pg_internal.h"

#include <string.h>

#define SHOT_COLUMNS                                                           \
  "kiosk_id, request_id, requested_at, requested_by, taken_at, width, height, blanked"
#define LIVE "COALESCE(taken_at, requested_at) >= $2"

static lobby_err fetch(pq_conn *c, int64_t kiosk_id, int64_t since, bool lock, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, kiosk_id);
  pq__int(&p, since);
  return pq__one(c, lock ? "SELECT " SHOT_COLUMNS " FROM screenshots WHERE kiosk_id = $1 AND "
                           LIVE " FOR UPDATE"
                         : "SELECT " SHOT_COLUMNS " FROM screenshots WHERE kiosk_id = $1 AND " LIVE,
                 &p, out);
}

typedef struct {
  int64_t kiosk_id, now, since;
  const char *request_id, *by;
  const store_audit_entry *audit;
  const store_screenshot_shot *shot;
  json_t *row;
} shot_args;

static lobby_err request_tx(pq_conn *c, void *arg)
{
  shot_args *a = arg;
  pq_params lock = {0};
  pq__int(&lock, a->kiosk_id);
  /* The kiosk's row serialises requests for it across instances. */
  lobby_err err = pq__run(c, "SELECT id FROM kiosks WHERE id = $1 FOR UPDATE", &lock, false);
  json_t *row = NULL;
  if (err == LOBBY_OK)
    err = fetch(c, a->kiosk_id, a->since, false, &row);
  if (err == LOBBY_OK && json_is_null(json_object_get(row, "taken_at"))) {
    a->row = row; /* a live pending request stays */
    return LOBBY_OK;
  }
  json_decref(row);
  if (err != LOBBY_OK && err != LOBBY_ENOTFOUND)
    return err;
  pq_params p = {0};
  pq__int(&p, a->kiosk_id);
  pq__text(&p, a->request_id);
  pq__int(&p, a->now);
  pq__text(&p, a->by);
  err = pq__run(c, "INSERT INTO screenshots (kiosk_id, request_id, requested_at, requested_by) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (kiosk_id) DO UPDATE SET "
                   "request_id = $2, requested_at = $3, requested_by = $4, taken_at = NULL, "
                   "width = NULL, height = NULL, blanked = NULL", &p, false);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = fetch(c, a->kiosk_id, a->since, false, &a->row);
  return err;
}

static lobby_err screenshot_request(lobby_store *st, int64_t kiosk_id, const char *request_id,
                                    const char *by, int64_t now, int64_t since,
                                    const store_audit_entry *audit, json_t **out)
{
  shot_args a = {.kiosk_id = kiosk_id, .request_id = request_id, .by = by, .now = now,
                 .since = since, .audit = audit};
  lobby_err err = pq__transaction(PQ(st), request_tx, &a);
  if (err == LOBBY_OK)
    *out = a.row;
  else
    json_decref(a.row);
  return err;
}

static lobby_err screenshot_pending(lobby_store *st, int64_t kiosk_id, int64_t since,
                                    char out[STORE_SCREENSHOT_ID_SIZE])
{
  pq_params p = {0};
  pq__int(&p, kiosk_id);
  pq__int(&p, since);
  json_t *row = NULL;
  lobby_err err = pq__read_one(PQ(st), "SELECT request_id FROM screenshots WHERE kiosk_id = $1 "
                                       "AND taken_at IS NULL AND " LIVE, &p, &row);
  const char *id = json_string_value(json_object_get(row, "request_id"));
  if (err == LOBBY_OK && (!id || strlen(id) >= STORE_SCREENSHOT_ID_SIZE))
    err = LOBBY_EIO;
  if (err == LOBBY_OK)
    memcpy(out, id, strlen(id) + 1);
  json_decref(row);
  return err;
}

static lobby_err screenshot_pending_all(lobby_store *st, int64_t since, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, since);
  return pq__read_all(PQ(st), "SELECT kiosk_id, request_id, requested_at FROM screenshots "
                              "WHERE taken_at IS NULL AND requested_at >= $1", &p, out);
}

static lobby_err taken_tx(pq_conn *c, void *arg)
{
  shot_args *a = arg;
  json_t *row = NULL;
  lobby_err err = fetch(c, a->kiosk_id, a->since, true, &row);
  const char *live_id = json_string_value(json_object_get(row, "request_id"));
  if (err == LOBBY_OK && (!live_id || strcmp(live_id, a->request_id) != 0))
    err = LOBBY_ENOTFOUND; /* a later request, or another kiosk's */
  if (err == LOBBY_OK && !json_is_null(json_object_get(row, "taken_at")))
    err = LOBBY_ECONFLICT;
  json_decref(row);
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, a->shot->taken_at);
  pq__int(&p, a->shot->width);
  pq__int(&p, a->shot->height);
  pq__int(&p, a->shot->blanked);
  pq__int(&p, a->kiosk_id);
  return pq__run(c, "UPDATE screenshots SET taken_at = $1, width = $2, height = $3, "
                    "blanked = $4 WHERE kiosk_id = $5", &p, true);
}

static lobby_err screenshot_taken(lobby_store *st, int64_t kiosk_id, const char *request_id,
                                  const store_screenshot_shot *shot, int64_t since)
{
  shot_args a = {.kiosk_id = kiosk_id, .request_id = request_id, .shot = shot, .since = since};
  return pq__transaction(PQ(st), taken_tx, &a);
}

static lobby_err screenshot_get(lobby_store *st, int64_t kiosk_id, int64_t since, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, kiosk_id);
  pq__int(&p, since);
  return pq__read_one(PQ(st), "SELECT " SHOT_COLUMNS " FROM screenshots WHERE kiosk_id = $1 AND "
                              LIVE, &p, out);
}

static lobby_err screenshot_expire(lobby_store *st, int64_t since, int *removed)
{
  pq_params p = {0};
  pq__int(&p, since);
  json_t *row = NULL;
  *removed = 0;
  lobby_err err = pq__read_one(PQ(st), "WITH gone AS (DELETE FROM screenshots WHERE "
                                       "COALESCE(taken_at, requested_at) < $1 RETURNING 1) "
                                       "SELECT COUNT(*) AS n FROM gone", &p, &row);
  if (err == LOBBY_OK)
    *removed = (int)json_integer_value(json_object_get(row, "n"));
  json_decref(row);
  return err;
}

void pq__screenshot_ops(lobby_store_ops *ops)
{
  ops->screenshot_request = screenshot_request;
  ops->screenshot_pending = screenshot_pending;
  ops->screenshot_pending_all = screenshot_pending_all;
  ops->screenshot_taken = screenshot_taken;
  ops->screenshot_get = screenshot_get;
  ops->screenshot_expire = screenshot_expire;
}
