/* Notices' pictures in the PostgreSQL store, as the SQLite store keeps
 * them: the notice's row names its file in the shared photo directory.
 * A change locks the notice's row first, so two uploads at once to one
 * notice (on two lobbyd instances, say) are applied one after the other. */
#include "store_pg_internal.h"
#include "store_records.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  int64_t id, now;
  const store_site_set *sites;
  const store_notice_image *img;
  const store_audit_entry *audit;
  bool changed;
  json_t *answer;
} set_args;

static lobby_err image_write(pq_conn *c, const set_args *a)
{
  const store_notice_image *img = a->img;
  pq_params p = {0};
  pq__text(&p, img ? img->file : NULL);
  pq__text(&p, img ? img->sha256 : NULL);
  pq__text(&p, img ? img->upload_sha256 : NULL);
  if (img) {
    pq__int(&p, img->width);
    pq__int(&p, img->height);
    pq__int(&p, img->bytes);
  } else {
    pq__null(&p);
    pq__null(&p);
    pq__null(&p);
  }
  pq__int(&p, a->now);
  pq__int(&p, a->id);
  return pq__run(c, "UPDATE notices SET image_file = $1, image_sha256 = $2, "
                    "image_upload_sha256 = $3, image_width = $4, image_height = $5, "
                    "image_bytes = $6, updated_at = $7 WHERE id = $8", &p, true);
}

static lobby_err set_fn(pq_conn *c, void *arg)
{
  set_args *a = arg;
  /* A deadlock runs the transaction again: drop the last run's answer. */
  json_decref(a->answer);
  a->answer = NULL;
  a->changed = false;
  lobby_err err = pq__notice_lock_live(c, a->id, a->sites);
  if (err == LOBBY_OK)
    err = pq__notice_fetch(c, a->id, NULL, &a->answer);
  if (err != LOBBY_OK)
    return err;
  a->changed = !store_notice_image_is(a->answer, a->img ? a->img->sha256 : NULL);
  if (!a->changed)
    return LOBBY_OK; /* the same upload or removal again */
  json_decref(a->answer);
  a->answer = NULL;
  err = image_write(c, a);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  if (err == LOBBY_OK)
    err = pq__notice_fetch(c, a->id, NULL, &a->answer);
  return err;
}

static lobby_err notice_image_set(lobby_store *st, int64_t id, const store_site_set *sites,
                                  const store_notice_image *img, int64_t now,
                                  const store_audit_entry *audit, bool *changed, json_t **out)
{
  set_args a = {.id = id, .now = now, .sites = sites, .img = img, .audit = audit};
  lobby_err err = pq__transaction(PQ(st), set_fn, &a);
  *changed = err == LOBBY_OK && a.changed;
  if (err == LOBBY_OK) {
    *out = a.answer;
  } else {
    json_decref(a.answer);
    *out = NULL;
  }
  return err;
}

/* The statement that finds the picture of a notice by may see, with its
 * parameters: a kiosk's notice as its feed shows it, staff's by sites. */
static lobby_err visible_query(const lobby_principal *by, int64_t id, int64_t now, char *sql,
                               size_t size, pq_params *p)
{
  if (by->role != ROLE_KIOSK) {
    pq__int(p, id);
    return pq__site_sql(sql, size, "SELECT image_file, image_sha256 FROM notices WHERE id = $1",
                        &by->sites, "site_id", true, "");
  }
  pq__int(p, now);
  pq__text(p, by->building);
  pq__text(p, by->group);
  pq__int(p, by->site_id);
  pq__int(p, id);
  int n = snprintf(sql, size, "SELECT image_file, image_sha256 FROM notices WHERE id = $5 AND "
                   PQ_NOTICE_SHOWN_TO_KIOSK);
  return n > 0 && (size_t)n < size ? LOBBY_OK : LOBBY_EINVAL;
}

static lobby_err copy_member(const json_t *row, const char *key, char *out, size_t size)
{
  const char *text = json_string_value(json_object_get(row, key));
  if (!text)
    return LOBBY_ENOTFOUND; /* a notice without a picture */
  if (strlen(text) >= size)
    return LOBBY_EIO;
  memcpy(out, text, strlen(text) + 1);
  return LOBBY_OK;
}

static lobby_err notice_image_file(lobby_store *st, int64_t id, const lobby_principal *by,
                                   int64_t now, store_notice_image_ref *out)
{
  char sql[PQ_SITE_SQL_SIZE];
  pq_params p = {0};
  lobby_err err = visible_query(by, id, now, sql, sizeof sql, &p);
  if (err != LOBBY_OK)
    return err;
  json_t *row = NULL;
  err = pq__read_one(PQ(st), sql, &p, &row);
  if (err == LOBBY_OK)
    err = copy_member(row, "image_file", out->file, sizeof out->file);
  if (err == LOBBY_OK)
    err = store_notice_etag_of(json_string_value(json_object_get(row, "image_sha256")), out->etag);
  json_decref(row);
  return err;
}

static lobby_err notice_image_named(lobby_store *st, const char *file, bool *named)
{
  pq_params p = {0};
  pq__text(&p, file);
  json_t *row = NULL;
  lobby_err err = pq__read_one(PQ(st), "SELECT 1 AS named FROM notices WHERE image_file = $1 "
                                       "LIMIT 1", &p, &row);
  json_decref(row);
  *named = err == LOBBY_OK;
  return err == LOBBY_ENOTFOUND ? LOBBY_OK : err;
}

void pq__notice_image_ops(lobby_store_ops *ops)
{
  ops->notice_image_set = notice_image_set;
  ops->notice_image_file = notice_image_file;
  ops->notice_image_named = notice_image_named;
}
