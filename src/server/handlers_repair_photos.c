/* Completion photos: POST /api/v1/repairs/{ticket}/photos takes one JPEG
 * or PNG as the body; GET /api/v1/repairs/{ticket}/photos/{id} gives the
 * JPEG lobbyd made of it.  The picture is checked from its header before
 * anything decodes it, and only a ticket its sender may touch is decoded
 * at all. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "config.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "photo_image.h"
#include "photo_store.h"
#include "store.h"

/* The ticket's photo made of this upload, if it has one (a retry). */
static json_t *same_upload(json_t *ticket, const char *sha256)
{
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(ticket, "photos"), i, p) {
    const char *have = json_string_value(json_object_get(p, "sha256"));
    if (have && strcmp(have, sha256) == 0)
      return json_incref(p);
  }
  return NULL;
}

/* Refuses early, before any decoding, what the store would refuse; a
 * retried upload is answered with the photo it made (*same), undecoded. */
static enum MHD_Result refuse_for_ticket(http_request *r, const char *sha256, json_t **same,
                                         bool *refused)
{
  json_t *ticket = NULL;
  lobby_err err = repair_fetch_visible(r, &ticket);
  *refused = true;
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "ticket");
  const char *status = json_string_value(json_object_get(ticket, "status"));
  bool takes_photos = status && (strcmp(status, "on_site") == 0 || strcmp(status, "completed") == 0);
  *same = same_upload(ticket, sha256);
  size_t count = json_array_size(json_object_get(ticket, "photos"));
  json_decref(ticket);
  if (*same)
    return http_reply_json(r, 200, *same);
  if (!takes_photos)
    return http_fail(r, 409, "invalid_transition",
                     "photos are added while on site or once the work is completed");
  if (count >= STORE_REPAIR_PHOTOS_MAX)
    return http_fail_field(r, 409, "too_many_photos", "photo", "a ticket keeps at most %d photos",
                           STORE_REPAIR_PHOTOS_MAX);
  *refused = false;
  return MHD_YES;
}

bool picture_upload_checked(http_request *r, const char *field, photo_header *h,
                            enum MHD_Result *ret)
{
  const uint8_t *body = (const uint8_t *)(r->body ? r->body : "");
  if (photo_sniff(body, r->body_len) == PHOTO_FORMAT_NONE)
    *ret = http_fail_field(r, 415, "unsupported_media_type", field,
                           "%s: send a JPEG or PNG picture as the body", field);
  else if (photo_probe(body, r->body_len, h) != LOBBY_OK)
    *ret = http_fail_field(r, 400, "invalid_image", field, "%s: the picture is damaged", field);
  else if ((uint64_t)h->width * h->height > PHOTO_PIXELS_MAX)
    *ret = http_fail_field(r, 413, "image_too_large", field,
                           "%s: at most %u pixels (this one has %u × %u)", field,
                           PHOTO_PIXELS_MAX, h->width, h->height);
  else
    return true;
  return false;
}

/* Makes the JPEG and writes it; name is its file's name. */
static lobby_err keep_picture(http_request *r, const photo_header *h, const char *sha256,
                              char name[PHOTO_NAME_SIZE], const char *dir, store_repair_photo *p)
{
  uint8_t *jpeg = NULL;
  size_t jpeg_len = 0;
  lobby_err err = photo_image_normalise((const uint8_t *)r->body, r->body_len, h, PHOTO_SIDE_MAX,
                                        &jpeg, &jpeg_len, &p->width, &p->height);
  if (err == LOBBY_OK)
    err = photo_store_name(r->params[0], sha256, name);
  if (err == LOBBY_OK)
    err = photo_store_write(dir, name, jpeg, jpeg_len);
  free(jpeg);
  p->file = name;
  p->sha256 = sha256;
  p->bytes = (int64_t)jpeg_len;
  return err;
}

static enum MHD_Result reply_add_error(http_request *r, lobby_err err)
{
  if (err == LOBBY_EINVAL)
    return http_fail_field(r, 400, "invalid_image", "photo", "photo: the picture does not decode");
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "invalid_transition",
                     "photos are added while on site or once the work is completed");
  if (err == LOBBY_ETOOBIG)
    return http_fail_field(r, 409, "too_many_photos", "photo", "a ticket keeps at most %d photos",
                           STORE_REPAIR_PHOTOS_MAX);
  return http_reply_store_error(r, err, "ticket");
}

enum MHD_Result handle_repair_photo_add(http_request *r)
{
  const uint8_t *body = (const uint8_t *)(r->body ? r->body : "");
  char sha256[PHOTO_SHA256_HEX_SIZE], name[PHOTO_NAME_SIZE] = "", dir[512];
  photo_header h;
  bool refused, added = false;
  enum MHD_Result ret;
  if (!picture_upload_checked(r, "photo", &h, &ret))
    return ret;
  photo_store_sha256(body, r->body_len, sha256);
  json_t *same = NULL;
  ret = refuse_for_ticket(r, sha256, &same, &refused);
  if (refused)
    return ret;
  lobbyd_config_photo_dir(r->d->cfg, dir, sizeof dir);
  store_repair_photo photo = {0};
  lobby_err err = keep_picture(r, &h, sha256, name, dir, &photo);
  json_t *out = NULL;
  audit_note note;
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "photo %dx%d", photo.width,
           photo.height);
  if (err == LOBBY_OK)
    err = r->d->store->ops->repair_photo_add(r->d->store, r->params[0], &photo, &r->who, lobby_now(),
                                             audit_of(r, &note), &added, &out);
  /* A picture no row names is removed; one a row names (a retry) stays. */
  if (err != LOBBY_OK && name[0])
    photo_store_remove(dir, name);
  if (err != LOBBY_OK)
    return reply_add_error(r, err);
  LOBBY_INFO("repair %s: photo %s", r->params[0], added ? "added" : "sent again");
  return http_reply_json(r, added ? 201 : 200, out);
}

enum MHD_Result handle_repair_photo_get(http_request *r)
{
  int64_t id;
  char name[PHOTO_NAME_SIZE], dir[512];
  if (!repair_ticket_valid(r->params[0]) || lobby_parse_int64(r->params[1], 1, INT64_MAX, &id) != LOBBY_OK)
    return http_fail(r, 404, "not_found", "no such photo");
  lobby_err err = r->d->store->ops->repair_photo_file(r->d->store, r->params[0], id, &r->who, name,
                                                      sizeof name);
  char *data = NULL;
  size_t len = 0;
  lobbyd_config_photo_dir(r->d->cfg, dir, sizeof dir);
  if (err == LOBBY_OK)
    err = photo_store_read(dir, name, &data, &len);
  if (err == LOBBY_ENOTFOUND || err == LOBBY_EINVAL)
    return http_fail(r, 404, "not_found", "no such photo");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "photo");
  static const char *const names[] = {"X-Content-Type-Options"};
  static const char *const values[] = {"nosniff"};
  enum MHD_Result ret = http_reply_buffer(r, 200, "image/jpeg", data, len, names, values, 1);
  free(data);
  return ret;
}
