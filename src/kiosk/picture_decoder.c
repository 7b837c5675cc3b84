#include "picture_decoder.h"

#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lobby_fs.h"
#include "lobby_log.h"
#include "notice_image_file.h"
#include "pictures.h"

#define DECODER_PATH_MAX 4096

typedef struct job {
  kiosk_decoded d;
  struct job *next;
} job;

typedef struct {
  job *head, *tail;
} job_queue;

struct kiosk_decoder {
  char state_dir[DECODER_PATH_MAX];
  int max_w, max_h; /* larger pictures are shrunk to fit */
  void (*wake)(void *ctx);
  void *wake_ctx;
  SDL_Thread *thread;
  SDL_mutex *lock;
  SDL_cond *cond;
  bool stopping;
  job_queue todo, done; /* under lock */
};

static void push(job_queue *q, job *j)
{
  j->next = NULL;
  if (q->tail)
    q->tail->next = j;
  else
    q->head = j;
  q->tail = j;
}

static job *pop(job_queue *q)
{
  job *j = q->head;
  if (j) {
    q->head = j->next;
    if (!q->head)
      q->tail = NULL;
  }
  return j;
}

static void free_all(job_queue *q)
{
  job *j;
  while ((j = pop(q)) != NULL) {
    if (j->d.surface)
      SDL_FreeSurface(j->d.surface);
    free(j);
  }
}

/* Decodes bytes already checked against their ETag and the caps; the
 * decoded size must be the header's, so no decoder surprise gets past
 * them. */
static lobby_err decode(const kiosk_decoder *d, const char *data, size_t len, int w, int h, SDL_Surface **out)
{
  SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
  SDL_Surface *raw = rw ? IMG_Load_RW(rw, 1) : NULL;
  if (!raw)
    return LOBBY_EINVAL;
  SDL_Surface *argb = raw->w == w && raw->h == h ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
  SDL_FreeSurface(raw);
  if (!argb)
    return LOBBY_EINVAL;
  SDL_Surface *fitted = NULL;
  lobby_err err = kiosk_picture_shrink(argb, d->max_w, d->max_h, &fitted);
  if (err != LOBBY_OK || fitted != argb)
    SDL_FreeSurface(argb);
  if (err != LOBBY_OK)
    return err;
  *out = fitted;
  return LOBBY_OK;
}

static void run_job(kiosk_decoder *d, kiosk_decoded *r)
{
  char path[DECODER_PATH_MAX + 64];
  char *data = NULL;
  size_t len = 0;
  int w = 0, h = 0;
  r->err = kiosk_image_path(d->state_dir, r->etag, path, sizeof path);
  if (r->err == LOBBY_OK)
    r->err = lobby_fs_read_all(path, KIOSK_IMAGE_MAX_BYTES, &data, &len);
  if (r->err == LOBBY_ENOTFOUND)
    return;
  if (r->err == LOBBY_OK)
    r->err = kiosk_image_verify((const uint8_t *)data, len, r->etag, &w, &h);
  if (r->err == LOBBY_OK)
    r->err = decode(d, data, len, w, h, &r->surface);
  free(data);
  if (r->err != LOBBY_OK) {
    LOBBY_WARN("pictures: the cached %s is damaged (%s); deleting it", r->etag, lobby_strerror(r->err));
    if (unlink(path) != 0)
      LOBBY_WARN("pictures: could not delete the damaged %s", r->etag);
    r->err = LOBBY_EINVAL;
  }
}

static int worker(void *arg)
{
  kiosk_decoder *d = arg;
  SDL_LockMutex(d->lock);
  while (!d->stopping) {
    job *j = pop(&d->todo);
    if (!j) {
      SDL_CondWait(d->cond, d->lock);
      continue;
    }
    SDL_UnlockMutex(d->lock);
    run_job(d, &j->d);
    SDL_LockMutex(d->lock);
    push(&d->done, j);
    SDL_UnlockMutex(d->lock);
    d->wake(d->wake_ctx);
    SDL_LockMutex(d->lock);
  }
  SDL_UnlockMutex(d->lock);
  return 0;
}

lobby_err kiosk_decoder_start(const char *state_dir, int max_w, int max_h, void (*wake)(void *ctx), void *ctx,
                              kiosk_decoder **out)
{
  kiosk_decoder *d = calloc(1, sizeof *d);
  if (!d)
    return LOBBY_ENOMEM;
  d->max_w = max_w > 0 ? max_w : KIOSK_IMAGE_MAX_SIDE;
  d->max_h = max_h > 0 ? max_h : KIOSK_IMAGE_MAX_SIDE;
  snprintf(d->state_dir, sizeof d->state_dir, "%s", state_dir);
  d->wake = wake;
  d->wake_ctx = ctx;
  d->lock = SDL_CreateMutex();
  d->cond = SDL_CreateCond();
  if (d->lock && d->cond)
    d->thread = SDL_CreateThread(worker, "pictures", d);
  if (!d->thread) {
    if (d->cond)
      SDL_DestroyCond(d->cond);
    if (d->lock)
      SDL_DestroyMutex(d->lock);
    free(d);
    return LOBBY_EIO;
  }
  *out = d;
  return LOBBY_OK;
}

void kiosk_decoder_stop(kiosk_decoder *d)
{
  if (!d)
    return;
  SDL_LockMutex(d->lock);
  d->stopping = true;
  SDL_CondSignal(d->cond);
  SDL_UnlockMutex(d->lock);
  SDL_WaitThread(d->thread, NULL);
  free_all(&d->todo);
  free_all(&d->done);
  SDL_DestroyCond(d->cond);
  SDL_DestroyMutex(d->lock);
  free(d);
}

lobby_err kiosk_decoder_request(kiosk_decoder *d, const char *etag)
{
  if (!kiosk_image_etag_valid(etag))
    return LOBBY_EINVAL;
  job *j = calloc(1, sizeof *j);
  if (!j)
    return LOBBY_ENOMEM;
  snprintf(j->d.etag, sizeof j->d.etag, "%s", etag);
  SDL_LockMutex(d->lock);
  push(&d->todo, j);
  SDL_CondSignal(d->cond);
  SDL_UnlockMutex(d->lock);
  return LOBBY_OK;
}

bool kiosk_decoder_poll(kiosk_decoder *d, kiosk_decoded *out)
{
  SDL_LockMutex(d->lock);
  job *j = pop(&d->done);
  SDL_UnlockMutex(d->lock);
  if (!j)
    return false;
  *out = j->d;
  free(j);
  return true;
}
