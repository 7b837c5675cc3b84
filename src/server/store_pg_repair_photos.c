/* Completion photos in the PostgreSQL store, as the SQLite store keeps
 * them: one row per photo naming its file in the shared photo directory. */
#include "store_pg_internal.h"

#include <string.h>

#define PHOTO_COLUMNS "id, width, height, bytes, sha256, by_name AS \"by\", created_at AS at"

lobby_err pq__repair_photos(pq_conn *c, int64_t repair_id, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, repair_id);
  return pq__collect(c, "SELECT " PHOTO_COLUMNS " FROM repair_photos WHERE repair_id = $1 "
                        "ORDER BY id", &p, out);
}

typedef struct {
  const char *ticket;
  const store_repair_photo *photo;
  const lobby_principal *by;
  int64_t now;
  const store_audit_entry *audit;
  bool added;
  json_t *answer;
} add_args;

static lobby_err photo_insert(pq_conn *c, int64_t repair_id, const add_args *a, json_t **out)
{
  pq_params p = {0};
  pq__int(&p, repair_id);
  pq__text(&p, a->photo->file);
  pq__text(&p, a->photo->sha256);
  pq__int(&p, a->photo->width);
  pq__int(&p, a->photo->height);
  pq__int(&p, a->photo->bytes);
  pq__text(&p, a->by->name);
  pq__int(&p, a->now);
  lobby_err err = pq__one(c, "INSERT INTO repair_photos (repair_id, file, sha256, width, height, "
                             "bytes, by_name, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) "
                             "RETURNING " PHOTO_COLUMNS, &p, out);
  return err == LOBBY_ENOTFOUND ? LOBBY_EIO : err;
}

static lobby_err photo_add_fn(pq_conn *c, void *arg)
{
  add_args *a = arg;
  int64_t id = 0, count = 0, site_id = 0;
  repair_status status;
  /* A deadlock runs the transaction again: drop the last run's answer. */
  json_decref(a->answer);
  a->answer = NULL;
  a->added = false;
  /* The row's lock makes two uploads at once count each other's photos. */
  lobby_err err = pq__repair_lock_reachable(c, a->ticket, a->by, &id, &status, &site_id);
  pq_params same = {0};
  pq__int(&same, id);
  pq__text(&same, a->photo->sha256);
  if (err == LOBBY_OK) {
    err = pq__one(c, "SELECT " PHOTO_COLUMNS " FROM repair_photos WHERE repair_id = $1 "
                     "AND sha256 = $2", &same, &a->answer);
    if (err == LOBBY_OK)
      return LOBBY_OK; /* the same upload again: the photo it made */
    if (err == LOBBY_ENOTFOUND)
      err = LOBBY_OK;
  }
  if (err == LOBBY_OK && status != REPAIR_STATUS_ON_SITE && status != REPAIR_STATUS_COMPLETED)
    err = LOBBY_ECONFLICT;
  pq_params of_ticket = {0};
  pq__int(&of_ticket, id);
  if (err == LOBBY_OK)
    err = pq__int64(c, "SELECT count(*) FROM repair_photos WHERE repair_id = $1", &of_ticket, &count);
  if (err == LOBBY_OK && count >= STORE_REPAIR_PHOTOS_MAX)
    err = LOBBY_ETOOBIG;
  if (err == LOBBY_OK)
    err = photo_insert(c, id, a, &a->answer);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  a->added = err == LOBBY_OK;
  return err;
}

static lobby_err repair_photo_add(lobby_store *st, const char *ticket, const store_repair_photo *p,
                                  const lobby_principal *by, int64_t now,
                                  const store_audit_entry *audit, bool *added, json_t **out)
{
  add_args a = {ticket, p, by, now, audit, false, NULL};
  lobby_err err = pq__transaction(PQ(st), photo_add_fn, &a);
  *added = err == LOBBY_OK && a.added;
  if (err == LOBBY_OK) {
    *out = a.answer;
  } else {
    json_decref(a.answer);
    *out = NULL;
  }
  return err;
}

static lobby_err repair_photo_file(lobby_store *st, const char *ticket, int64_t id,
                                   const lobby_principal *by, char *file, size_t size)
{
  char sql[PQ_SITE_SQL_SIZE];
  lobby_err err = pq__site_sql(sql, sizeof sql, "SELECT p.file FROM repair_photos p "
    "JOIN repairs r ON r.id = p.repair_id WHERE p.id = $1 AND r.ticket = $2 "
    "AND ($3::bigint = 0 OR r.technician_id = $3)", &by->sites, "r.site_id", false, "");
  if (err != LOBBY_OK)
    return err;
  pq_params p = {0};
  pq__int(&p, id);
  pq__text(&p, ticket);
  pq__int(&p, by->role == ROLE_TECHNICIAN ? by->id : 0);
  json_t *row = NULL;
  err = pq__read_one(PQ(st), sql, &p, &row);
  if (err != LOBBY_OK)
    return err;
  const char *name = json_string_value(json_object_get(row, "file"));
  err = name && strlen(name) < size ? LOBBY_OK : LOBBY_ETOOBIG;
  if (err == LOBBY_OK)
    memcpy(file, name, strlen(name) + 1);
  json_decref(row);
  return err;
}

static lobby_err repair_photo_named(lobby_store *st, const char *file, bool *named)
{
  pq_params p = {0};
  pq__text(&p, file);
  json_t *row = NULL;
  lobby_err err = pq__read_one(PQ(st), "SELECT 1 AS named FROM repair_photos WHERE file = $1", &p, &row);
  json_decref(row);
  *named = err == LOBBY_OK;
  return err == LOBBY_ENOTFOUND ? LOBBY_OK : err;
}

void pq__repair_photo_ops(lobby_store_ops *ops)
{
  ops->repair_photo_named = repair_photo_named;
  ops->repair_photo_add = repair_photo_add;
  ops->repair_photo_file = repair_photo_file;
}
