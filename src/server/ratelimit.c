#include "ratelimit.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Clients hash into a fixed table; two clients that collide share a
 * bucket, which only ever makes the limit stricter. */
#define RATE_SLOTS 4096

typedef struct {
  double tokens;
  int64_t updated_ms;
} rate_bucket;

struct rate_limiter {
  pthread_mutex_t lock;
  double per_ms;
  double burst;
  rate_share share;             /* .take NULL: local buckets only */
  char share_name[32];
  rate_bucket slots[RATE_SLOTS];
};

void rate_limiter_share(rate_limiter *rl, const rate_share *share, const char *name)
{
  rl->share = share ? *share : (rate_share){0};
  snprintf(rl->share_name, sizeof rl->share_name, "%s", name);
}

/* Asks the shared buckets; false when there are none or they failed. */
static bool shared_take(rate_limiter *rl, const char *client, bool *allowed, int64_t *retry_ms)
{
  if (!rl->share.take)
    return false;
  char key[192];
  int64_t retry = 0;
  pthread_mutex_lock(&rl->lock);
  double burst = rl->burst, per_ms = rl->per_ms;
  pthread_mutex_unlock(&rl->lock);
  snprintf(key, sizeof key, "%s/%s", rl->share_name, client);
  if (rl->share.take(rl->share.ctx, key, burst, per_ms, allowed, &retry) != LOBBY_OK)
    return false;
  if (!*allowed && retry_ms)
    *retry_ms = retry;
  return true;
}

lobby_err rate_limiter_create(int per_minute, rate_limiter **out)
{
  rate_limiter *rl = calloc(1, sizeof *rl);
  if (!rl)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&rl->lock, NULL);
  rl->burst = per_minute;
  rl->per_ms = per_minute / 60000.0;
  *out = rl;
  return LOBBY_OK;
}

void rate_limiter_free(rate_limiter *rl)
{
  if (!rl)
    return;
  pthread_mutex_destroy(&rl->lock);
  free(rl);
}

void rate_limiter_set_rate(rate_limiter *rl, int per_minute)
{
  pthread_mutex_lock(&rl->lock);
  rl->burst = per_minute;
  rl->per_ms = per_minute / 60000.0;
  pthread_mutex_unlock(&rl->lock);
}

static unsigned hash_client(const char *s)
{
  unsigned h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h % RATE_SLOTS;
}

bool rate_limiter_allow(rate_limiter *rl, const char *client, int64_t now_ms)
{
  bool allowed;
  if (shared_take(rl, client, &allowed, NULL))
    return allowed;
  pthread_mutex_lock(&rl->lock);
  rate_bucket *b = &rl->slots[hash_client(client)];
  if (b->updated_ms == 0)
    b->tokens = rl->burst;
  else
    b->tokens += (double)(now_ms - b->updated_ms) * rl->per_ms;
  if (b->tokens > rl->burst)
    b->tokens = rl->burst;
  b->updated_ms = now_ms;
  bool ok = b->tokens >= 1.0;
  if (ok)
    b->tokens -= 1.0;
  pthread_mutex_unlock(&rl->lock);
  return ok;
}

static const char *prefix_of(rate_key_kind kind)
{
  static const char *const prefixes[] = {"kiosk", "staff", "addr", "name", "name@addr", "name@device"};
  return prefixes[kind];
}

void rate_key(rate_key_kind kind, const char *id, char *out, size_t size)
{
  snprintf(out, size, "%s:%s", prefix_of(kind), id);
}

void rate_key_pair(rate_key_kind kind, const char *name, const char *from, char *out, size_t size)
{
  snprintf(out, size, "%s:%s|%s", prefix_of(kind), name, from);
}

void rate_key_of(const lobby_principal *who, char *out, size_t size)
{
  char id[24];
  snprintf(id, sizeof id, "%" PRId64, who->id);
  rate_key(who->role == ROLE_KIOSK ? RATE_KIOSK : RATE_STAFF, id, out, size);
}

/* ---- windows, refunds and Retry-After (checkouts, kiosk submissions) */

/* Brings b up to now_ms: a new bucket starts full, an old one refills. */
static void refill(const rate_limiter *rl, rate_bucket *b, int64_t now_ms)
{
  if (b->updated_ms == 0)
    b->tokens = rl->burst;
  else if (now_ms > b->updated_ms)
    b->tokens += (double)(now_ms - b->updated_ms) * rl->per_ms;
  if (b->tokens > rl->burst)
    b->tokens = rl->burst;
  b->updated_ms = now_ms;
}

bool rate_limiter_take(rate_limiter *rl, const char *client, int64_t now_ms, int64_t *retry_ms)
{
  bool allowed;
  if (shared_take(rl, client, &allowed, retry_ms))
    return allowed;
  pthread_mutex_lock(&rl->lock);
  rate_bucket *b = &rl->slots[hash_client(client)];
  refill(rl, b, now_ms);
  bool ok = b->tokens >= 1.0;
  if (ok)
    b->tokens -= 1.0;
  else if (retry_ms)
    *retry_ms = (int64_t)((1.0 - b->tokens) / rl->per_ms) + 1;
  pthread_mutex_unlock(&rl->lock);
  return ok;
}

void rate_limiter_refund(rate_limiter *rl, const char *client, int64_t now_ms)
{
  if (rl->share.refund) {
    char key[192];
    snprintf(key, sizeof key, "%s/%s", rl->share_name, client);
    pthread_mutex_lock(&rl->lock);
    double burst = rl->burst;
    pthread_mutex_unlock(&rl->lock);
    if (rl->share.refund(rl->share.ctx, key, burst) == LOBBY_OK)
      return;
  }
  pthread_mutex_lock(&rl->lock);
  rate_bucket *b = &rl->slots[hash_client(client)];
  refill(rl, b, now_ms);
  b->tokens += 1.0;
  if (b->tokens > rl->burst)
    b->tokens = rl->burst;
  pthread_mutex_unlock(&rl->lock);
}

lobby_err rate_limiter_create_window(int count, int64_t window_ms, rate_limiter **out)
{
  if (count < 1 || window_ms < 1)
    return LOBBY_EINVAL;
  lobby_err err = rate_limiter_create(count, out);
  if (err == LOBBY_OK)
    rate_limiter_set_window(*out, count, window_ms);
  return err;
}

void rate_limiter_set_window(rate_limiter *rl, int count, int64_t window_ms)
{
  pthread_mutex_lock(&rl->lock);
  rl->burst = count;
  rl->per_ms = (double)count / (double)window_ms;
  pthread_mutex_unlock(&rl->lock);
}
