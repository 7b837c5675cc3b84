#define _GNU_SOURCE /* gettid */
#include "password_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "lobby_log.h"
#include "password.h"

/* Below the HTTP threads: an idle CPU still runs checks at full speed. */
#define POOL_NICE 10
#define POOL_MAX_WORKERS 64

typedef struct {
  char hash[PASSWORD_HASH_LEN];
  char password[PASSWORD_MAX_BYTES + 1];
  password_pool_done done;
  void *ctx;
} pool_job;

/* jobs is a ring of queue_max slots: count waiting from head.  Once
 * draining is set no job is added, and the workers exit when it is empty. */
struct password_pool {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t threads[POOL_MAX_WORKERS];
  int workers;
  bool draining;
  pool_job *jobs;
  int queue_max, head, count;
};

static void run_job(pool_job *job)
{
  bool ok = password_verify(job->hash, job->password);
  sodium_memzero(job->password, sizeof job->password);
  job->done(job->ctx, ok ? PASSWORD_POOL_MATCH : PASSWORD_POOL_MISMATCH);
}

static void *worker(void *arg)
{
  password_pool *p = arg;
  /* Linux keeps a nice value per thread; this thread's tid is its own. */
  if (setpriority(PRIO_PROCESS, (id_t)gettid(), POOL_NICE) != 0)
    LOBBY_WARN("password pool: cannot lower the checks' priority");
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (p->count == 0 && !p->draining)
      pthread_cond_wait(&p->wake, &p->lock);
    if (p->count == 0)
      break;
    pool_job job = p->jobs[p->head];
    sodium_memzero(&p->jobs[p->head], sizeof p->jobs[p->head]);
    p->head = (p->head + 1) % p->queue_max;
    p->count--;
    bool cancel = p->draining;
    pthread_mutex_unlock(&p->lock);
    if (cancel) {
      sodium_memzero(job.password, sizeof job.password);
      job.done(job.ctx, PASSWORD_POOL_CANCELLED);
    } else {
      run_job(&job);
    }
    pthread_mutex_lock(&p->lock);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

lobby_err password_pool_start(int workers, int queue_max, password_pool **out)
{
  if (workers < 1)
    workers = 1;
  if (workers > POOL_MAX_WORKERS)
    workers = POOL_MAX_WORKERS;
  if (queue_max < 1)
    queue_max = 1;
  password_pool *p = calloc(1, sizeof *p);
  if (!p || !(p->jobs = calloc((size_t)queue_max, sizeof *p->jobs))) {
    free(p);
    return LOBBY_ENOMEM;
  }
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->wake, NULL);
  p->queue_max = queue_max;
  for (; p->workers < workers; p->workers++) {
    if (pthread_create(&p->threads[p->workers], NULL, worker, p) != 0) {
      password_pool_stop(p);
      return LOBBY_EIO;
    }
  }
  *out = p;
  return LOBBY_OK;
}

lobby_err password_pool_submit(password_pool *p, struct MHD_Connection *conn, const char *hash,
                               const char *password, password_pool_done done, void *ctx)
{
  if (strlen(hash) >= PASSWORD_HASH_LEN || strlen(password) > PASSWORD_MAX_BYTES)
    return LOBBY_EINVAL;
  pthread_mutex_lock(&p->lock);
  if (p->draining || p->count == p->queue_max) {
    pthread_mutex_unlock(&p->lock);
    return LOBBY_ETOOBIG;
  }
  /* Suspended under the lock: no worker can resume conn before this. */
  MHD_suspend_connection(conn);
  pool_job *job = &p->jobs[(p->head + p->count) % p->queue_max];
  memcpy(job->hash, hash, strlen(hash) + 1);
  memcpy(job->password, password, strlen(password) + 1);
  job->done = done;
  job->ctx = ctx;
  p->count++;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->lock);
  return LOBBY_OK;
}

void password_pool_drain(password_pool *p)
{
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  p->draining = true;
  pthread_cond_broadcast(&p->wake);
  /* Waits until every queued job was taken; running ones finish on their
   * own and resume their connections before the threads exit. */
  pthread_mutex_unlock(&p->lock);
  for (int i = 0; i < p->workers; i++)
    pthread_join(p->threads[i], NULL);
  p->workers = 0;
}

void password_pool_stop(password_pool *p)
{
  if (!p)
    return;
  password_pool_drain(p);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->lock);
  free(p->jobs);
  free(p);
}

int password_pool_retry_after(const password_pool *p)
{
  /* About half a second a check; at least a second. */
  int seconds = (p->queue_max / (p->workers > 0 ? p->workers : 1) + 1) / 2;
  return seconds < 1 ? 1 : seconds;
}
