/* The notices' pictures on the network thread: which pictures the feed
 * wants, fetching those not yet in the cache (a few at a time, each
 * checked against its ETag and the size caps before it is kept), and
 * deleting the files no notice names any more. */
#include "kiosk_net_internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

/* Fetches at once: the feed's long-poll and a submission keep room. */
#define IMAGE_FETCHES_AT_ONCE 2
#define IMAGE_TIMEOUT_MS 60000L
#define IMAGE_RETRY_FIRST_MS 5000
#define IMAGE_RETRY_MAX_MS (10 * 60 * 1000)
#define IMAGE_PATH_PREFIX "/api/v1/notices/"

/* ------------------------------------------------------------ the wanted set */

static bool file_present(const kiosk_net *net, const char *etag)
{
  char path[NET_PATH_MAX];
  struct stat st;
  return kiosk_image_path(net->settings.state_dir, etag, path, sizeof path) == LOBBY_OK &&
         stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* The feed's path of a picture: lobbyd's own shape only, so a feed cannot
 * send the kiosk's token elsewhere. */
static bool path_acceptable(const char *url)
{
  size_t n = strlen(IMAGE_PATH_PREFIX);
  if (!url || strncmp(url, IMAGE_PATH_PREFIX, n) != 0 || strlen(url) > 48)
    return false;
  for (const char *p = url + n; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || *p == '/'))
      return false;
  return true;
}

/* A notice's picture as the feed describes it; false when there is none
 * or it is not one the kiosk will fetch (dimensions past the caps, the
 * mark of a decompression bomb, are refused before any byte is fetched). */
static bool image_of(const json_t *notice, net_image *out)
{
  const json_t *image = json_object_get(notice, "image");
  const char *etag = json_string_value(json_object_get(image, "etag"));
  const char *url = json_string_value(json_object_get(image, "url"));
  json_int_t w = json_integer_value(json_object_get(image, "width"));
  json_int_t h = json_integer_value(json_object_get(image, "height"));
  if (!json_is_object(image))
    return false;
  if (!kiosk_image_etag_valid(etag) || !path_acceptable(url) || w <= 0 || h <= 0 || w > KIOSK_IMAGE_MAX_SIDE ||
      h > KIOSK_IMAGE_MAX_SIDE || w * h > KIOSK_IMAGE_MAX_PIXELS) {
    LOBBY_WARN("images: the feed lists a picture the kiosk will not fetch (%lldx%lld)", (long long)w,
               (long long)h);
    return false;
  }
  memset(out, 0, sizeof *out);
  snprintf(out->etag, sizeof out->etag, "%s", etag);
  int n = snprintf(out->path, sizeof out->path, "%s?v=%s", url, etag);
  return n > 0 && (size_t)n < sizeof out->path;
}

static net_image *find_in(net_image *v, size_t n, const char *etag)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].etag, etag) == 0)
      return &v[i];
  return NULL;
}

/* A file of the cache that no wanted picture is: named "<etag>.jpg" of a
 * picture no longer listed, or a temporary file left by a power cut. */
static bool stale_name(const kiosk_net *net, const char *name)
{
  char etag[KIOSK_IMAGE_ETAG_LEN + 1];
  size_t len = strlen(name);
  if (len != KIOSK_IMAGE_ETAG_LEN + 4 || strcmp(name + KIOSK_IMAGE_ETAG_LEN, ".jpg") != 0)
    return true;
  memcpy(etag, name, KIOSK_IMAGE_ETAG_LEN);
  etag[KIOSK_IMAGE_ETAG_LEN] = '\0';
  return !find_in(net->images.v, net->images.n, etag);
}

static void sweep_files(kiosk_net *net)
{
  char dir[NET_PATH_MAX];
  if (kiosk_image_dir(net->settings.state_dir, dir, sizeof dir) != LOBBY_OK)
    return;
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !stale_name(net, e->d_name))
      continue;
    char path[NET_PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (unlink(path) == 0)
      LOBBY_INFO("images: removed %s, which no notice shows any more", e->d_name);
  }
  closedir(d);
}

void kiosk_net__images_want(kiosk_net *net, const json_t *feed)
{
  const json_t *notices = json_object_get(feed, "notices");
  size_t cap = json_array_size(notices);
  net_image *v = cap ? calloc(cap, sizeof *v) : NULL;
  if (cap && !v) {
    LOBBY_ERROR("images: out of memory; keeping the previous list");
    return;
  }
  size_t n = 0;
  for (size_t i = 0; i < cap; i++) {
    net_image im;
    if (!image_of(json_array_get(notices, i), &im) || find_in(v, n, im.etag))
      continue;
    const net_image *old = find_in(net->images.v, net->images.n, im.etag);
    if (old)
      im = *old; /* a fetch under way, its failures and next try go on */
    im.have = file_present(net, im.etag);
    v[n++] = im;
  }
  free(net->images.v);
  net->images.v = v;
  net->images.n = n;
  sweep_files(net);
}

/* ------------------------------------------------------------ fetching */

static int fetches_under_way(const kiosk_net *net)
{
  int k = 0;
  for (size_t i = 0; i < net->images.n; i++)
    k += net->images.v[i].fetching;
  return k;
}

static bool due(const net_image *im, int64_t now_ms)
{
  return !im->have && !im->fetching && now_ms >= im->next_try_ms;
}

static void fetch_start(kiosk_net *net, net_image *im)
{
  transfer *t = kiosk_net__transfer_new(net, XFER_IMAGE, im->path, KIOSK_IMAGE_MAX_BYTES, IMAGE_TIMEOUT_MS);
  if (t)
    snprintf(t->image_etag, sizeof t->image_etag, "%s", im->etag);
  if (!t || kiosk_net__transfer_start(net, t) != LOBBY_OK) {
    LOBBY_ERROR("images: could not start a request");
    im->next_try_ms = lobby_monotonic_ms() + IMAGE_RETRY_FIRST_MS;
    return;
  }
  im->fetching = true;
}

void kiosk_net__images_start(kiosk_net *net, int64_t now_ms)
{
  int running = fetches_under_way(net);
  for (size_t i = 0; i < net->images.n && running < IMAGE_FETCHES_AT_ONCE; i++) {
    if (!due(&net->images.v[i], now_ms))
      continue;
    fetch_start(net, &net->images.v[i]);
    running++;
  }
}

int64_t kiosk_net__images_next_ms(const kiosk_net *net)
{
  int64_t next = INT64_MAX;
  if (fetches_under_way(net) >= IMAGE_FETCHES_AT_ONCE)
    return next;
  for (size_t i = 0; i < net->images.n; i++) {
    const net_image *im = &net->images.v[i];
    if (!im->have && !im->fetching && im->next_try_ms < next)
      next = im->next_try_ms;
  }
  return next;
}

/* 5 s, 10 s, 20 s … up to 10 minutes: a server that keeps sending what
 * the kiosk refuses is asked rarely. */
static void fetch_failed(net_image *im)
{
  int shift = im->failures < 20 ? im->failures : 20;
  int64_t delay = (int64_t)IMAGE_RETRY_FIRST_MS << shift;
  im->failures++;
  im->next_try_ms = lobby_monotonic_ms() + (delay < IMAGE_RETRY_MAX_MS ? delay : IMAGE_RETRY_MAX_MS);
}

static lobby_err keep_file(kiosk_net *net, const net_image *im, const transfer *t)
{
  char dir[NET_PATH_MAX], path[NET_PATH_MAX];
  lobby_err err = kiosk_image_dir(net->settings.state_dir, dir, sizeof dir);
  if (err == LOBBY_OK)
    err = kiosk_image_path(net->settings.state_dir, im->etag, path, sizeof path);
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(dir);
  return err == LOBBY_OK ? lobby_fs_write_atomic(path, t->response, t->response_len) : err;
}

/* The answer is kept only when it is the very picture the feed named. */
static lobby_err accept_answer(kiosk_net *net, net_image *im, const transfer *t)
{
  int w = 0, h = 0;
  lobby_err err = kiosk_image_verify((const uint8_t *)t->response, t->response_len, im->etag, &w, &h);
  if (err != LOBBY_OK) {
    LOBBY_WARN("images: refused the answer for %s (%zu bytes): %s", im->etag, t->response_len,
               err == LOBBY_ETOOBIG ? "too large" : "not the picture named");
    return err;
  }
  err = keep_file(net, im, t);
  if (err != LOBBY_OK)
    LOBBY_WARN("images: could not save %s: %s", im->etag, lobby_strerror(err));
  return err;
}

void kiosk_net__images_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  net_image *im = find_in(net->images.v, net->images.n, t->image_etag);
  if (!im)
    return; /* no notice shows it any more */
  im->fetching = false;
  if (rc == CURLE_OK && status == 200 && accept_answer(net, im, t) == LOBBY_OK) {
    im->have = true;
    im->failures = 0;
    LOBBY_INFO("images: cached %s", im->etag);
    kiosk_net__emit_image(net, im->etag);
    return;
  }
  if (rc != CURLE_OK || status != 200) {
    char why[CURL_ERROR_SIZE + 32];
    kiosk_net__describe_failure(t, rc, status, why, sizeof why);
    LOBBY_WARN("images: fetching %s failed (%s)", im->etag, why);
  }
  fetch_failed(im);
}

void kiosk_net__images_recheck(kiosk_net *net)
{
  for (size_t i = 0; i < net->images.n; i++) {
    net_image *im = &net->images.v[i];
    if (!im->have || file_present(net, im->etag))
      continue;
    /* Fetched again at once the first time; a picture that keeps turning
     * out damaged backs off like a refused one. */
    im->have = false;
    if (im->failures == 0) {
      im->failures = 1;
      im->next_try_ms = 0;
    } else {
      fetch_failed(im);
    }
  }
}

void kiosk_net__images_free(kiosk_net *net)
{
  free(net->images.v);
  net->images.v = NULL;
  net->images.n = 0;
}
