/* Notices' pictures (posters): PUT /api/v1/notices/{id}/image takes one
 * JPEG or PNG as the body, DELETE removes it, GET gives the JPEG lobbyd
 * kept to staff and to the kiosks whose feed shows the notice.  As with
 * completion photos the picture is checked from its header before
 * anything decodes it, and only a notice its sender may change is decoded
 * at all.  A replaced or removed picture's file stays until the photo
 * directory's hourly sweep (retention.c) finds that no row names it: a
 * file may serve several notices, and an upload writes its file before
 * its row, so only the sweep's age check can tell an orphan. */
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

/* A picture's URL with ?v= its ETag never changes what it names; the
 * plain URL does when the picture is replaced, so it is checked each time
 * (If-None-Match makes that a 304). */
#define CACHE_PINNED "private, max-age=31536000, immutable"
#define CACHE_CHECKED "private, no-cache"

static bool notice_id(http_request *r, int64_t *id, enum MHD_Result *ret)
{
  if (lobby_parse_int64(r->params[0], 1, INT64_MAX, id) == LOBBY_OK)
    return true;
  *ret = http_fail(r, 404, "not_found", "notice not found");
  return false;
}

static enum MHD_Result reply_set_error(http_request *r, lobby_err err)
{
  if (err == LOBBY_EINVAL)
    return http_fail_field(r, 400, "invalid_image", "image", "image: the picture does not decode");
  if (err == LOBBY_ETOOBIG)
    return http_fail_field(r, 413, "image_too_large", "image", "image: at most %u pixels",
                           PHOTO_PIXELS_MAX);
  if (err == LOBBY_ECONFLICT)
    return http_fail(r, 409, "conflict", "the notice was withdrawn and cannot be changed");
  return http_reply_store_error(r, err, "notice");
}

/* Refuses early, before any decoding, a notice the store would refuse;
 * a retried upload is answered with the notice as it is, undecoded. */
static bool notice_takes_upload(http_request *r, int64_t id, const char *sha256,
                                enum MHD_Result *ret)
{
  json_t *n = NULL;
  lobby_err err = r->d->store->ops->notice_get(r->d->store, id, &r->who.sites, &n);
  if (err != LOBBY_OK) {
    *ret = reply_set_error(r, err);
    return false;
  }
  const char *have = json_string_value(json_object_get(json_object_get(n, "image"), "sha256"));
  if (!json_is_null(json_object_get(n, "withdrawn_at"))) {
    json_decref(n);
    *ret = reply_set_error(r, LOBBY_ECONFLICT);
    return false;
  }
  if (have && strcmp(have, sha256) == 0) {
    *ret = http_reply_json(r, 200, n);
    return false;
  }
  json_decref(n);
  return true;
}

/* Makes the poster's JPEG and writes it under the name of its hash. */
static lobby_err keep_picture(http_request *r, const photo_header *h, char name[PHOTO_NAME_SIZE],
                              char sha256[PHOTO_SHA256_HEX_SIZE], store_notice_image *img)
{
  uint8_t *jpeg = NULL;
  size_t jpeg_len = 0;
  char dir[512];
  lobbyd_config_photo_dir(r->d->cfg, dir, sizeof dir);
  lobby_err err = photo_image_normalise((const uint8_t *)r->body, r->body_len, h,
                                        NOTICE_IMAGE_SIDE_MAX, &jpeg, &jpeg_len, &img->width,
                                        &img->height);
  if (err == LOBBY_OK) {
    photo_store_sha256(jpeg, jpeg_len, sha256);
    err = photo_store_notice_name(sha256, name);
  }
  if (err == LOBBY_OK)
    err = photo_store_write(dir, name, jpeg, jpeg_len);
  free(jpeg);
  img->file = name;
  img->sha256 = sha256;
  img->bytes = (int64_t)jpeg_len;
  return err;
}

/* Gives the notice img (NULL: none) and answers with the notice. */
static enum MHD_Result set_image(http_request *r, int64_t id, const store_notice_image *img)
{
  json_t *out = NULL;
  bool changed = false;
  audit_note note;
  lobby_err err = r->d->store->ops->notice_image_set(r->d->store, id, &r->who.sites, img,
                                                     lobby_now(), audit_of(r, &note), &changed,
                                                     &out);
  if (err != LOBBY_OK)
    return reply_set_error(r, err);
  if (changed)
    feed_changed(r);
  LOBBY_INFO("notice %lld: picture %s", (long long)id,
             !changed ? "unchanged" : img ? "set" : "removed");
  return http_reply_json(r, 200, out);
}

enum MHD_Result handle_notice_image_put(http_request *r)
{
  int64_t id;
  photo_header h;
  enum MHD_Result ret;
  char upload_sha256[PHOTO_SHA256_HEX_SIZE], sha256[PHOTO_SHA256_HEX_SIZE];
  char name[PHOTO_NAME_SIZE];
  if (!notice_id(r, &id, &ret) || !picture_upload_checked(r, "image", &h, &ret))
    return ret;
  photo_store_sha256((const uint8_t *)r->body, r->body_len, upload_sha256);
  if (!notice_takes_upload(r, id, upload_sha256, &ret))
    return ret;
  store_notice_image img = {.upload_sha256 = upload_sha256};
  lobby_err err = keep_picture(r, &h, name, sha256, &img);
  if (err != LOBBY_OK)
    return reply_set_error(r, err);
  snprintf(r->outcome.audit_detail, sizeof r->outcome.audit_detail, "image %dx%d", img.width,
           img.height);
  return set_image(r, id, &img);
}

enum MHD_Result handle_notice_image_delete(http_request *r)
{
  int64_t id;
  enum MHD_Result ret;
  if (!notice_id(r, &id, &ret))
    return ret;
  return set_image(r, id, NULL);
}

/* Whether If-None-Match names etag (weakly or strongly, as RFC 9110
 * compares for it) or is "*". */
static bool etag_listed(const char *header, const char *etag)
{
  size_t n = strlen(etag);
  for (const char *p = header; p && *p;) {
    p += strspn(p, " \t,");
    if (*p == '*')
      return true;
    if (strncmp(p, "W/", 2) == 0)
      p += 2;
    /* The tag must end there: at a separator or the header's end. */
    if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || strchr(" \t,", p[n])))
      return true;
    p += strcspn(p, ",");
  }
  return false;
}

/* The picture's bytes, or a 304 when the client holds them already. */
static enum MHD_Result reply_picture(http_request *r, const store_notice_image_ref *ref)
{
  char etag[sizeof ref->etag + 2], dir[512], *data = NULL;
  size_t len = 0;
  snprintf(etag, sizeof etag, "\"%s\"", ref->etag);
  const char *v = http_query(r, "v");
  bool pinned = v && strcmp(v, ref->etag) == 0;
  static const char *const names[] = {"ETag", "Cache-Control", "X-Content-Type-Options"};
  const char *values[] = {etag, pinned ? CACHE_PINNED : CACHE_CHECKED, "nosniff"};
  if (etag_listed(http_header(r, "If-None-Match"), etag))
    return http_reply_buffer(r, 304, NULL, "", 0, names, values, 2);
  lobbyd_config_photo_dir(r->d->cfg, dir, sizeof dir);
  lobby_err err = photo_store_read(dir, ref->file, &data, &len);
  if (err == LOBBY_ENOTFOUND || err == LOBBY_EINVAL)
    return http_fail(r, 404, "not_found", "this notice's picture is missing");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "picture");
  enum MHD_Result ret = http_reply_buffer(r, 200, "image/jpeg", data, len, names, values, 3);
  free(data);
  return ret;
}

enum MHD_Result handle_notice_image_get(http_request *r)
{
  int64_t id;
  enum MHD_Result ret;
  if (!notice_id(r, &id, &ret))
    return ret;
  store_notice_image_ref ref;
  lobby_err err = r->d->store->ops->notice_image_file(r->d->store, id, &r->who, lobby_now(), &ref);
  if (err == LOBBY_ENOTFOUND)
    return http_fail(r, 404, "not_found", "this notice has no picture");
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "picture");
  return reply_picture(r, &ref);
}
