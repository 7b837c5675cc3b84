/* Argon2 verifications off the HTTP threads: a few worker threads at a
 * lower priority (nice 10) check passwords for connections suspended
 * meanwhile, so a flood of sign-ins costs kiosks' feed requests little
 * and never more than `workers` CPUs.  The queue is bounded; past it a
 * sign-in is refused at once (the caller answers 503). */
#ifndef LOBBYD_PASSWORD_POOL_H
#define LOBBYD_PASSWORD_POOL_H

#include <microhttpd.h>
#include <stdbool.h>
#include "lobby_error.h"

typedef struct password_pool password_pool;

typedef enum {
  PASSWORD_POOL_MATCH,
  PASSWORD_POOL_MISMATCH,
  PASSWORD_POOL_CANCELLED   /* lobbyd is stopping; nothing was checked */
} password_pool_result;

/* Runs on a worker thread once the check is done; it must resume conn. */
typedef void (*password_pool_done)(void *ctx, password_pool_result result);

/* workers threads (at least 1) and room for queue_max waiting checks. */
lobby_err password_pool_start(int workers, int queue_max, password_pool **out);

/* Suspends conn and queues a check of password against hash (empty: a
 * dummy of the same cost, always a mismatch).  Both are copied.  LOBBY_ETOOBIG
 * when the queue is full (conn is not suspended then). */
lobby_err password_pool_submit(password_pool *p, struct MHD_Connection *conn, const char *hash,
                               const char *password, password_pool_done done, void *ctx);

/* Finishes the checks running, cancels those waiting (each done is
 * called, so every suspended connection is resumed) and refuses new ones.
 * Call before the daemon stops. */
void password_pool_drain(password_pool *p);
/* Drains, then joins the threads and frees p. */
void password_pool_stop(password_pool *p);

/* Seconds a refused client should wait: the queue's time to empty. */
int password_pool_retry_after(const password_pool *p);

#endif
