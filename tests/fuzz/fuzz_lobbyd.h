/* A real lobbyd without a network for the API's fuzz targets: the whole
 * server state over a database in memory-backed storage (/dev/shm), opened
 * once per process, with one token per role and a few records to act on.
 * Requests go through router_dispatch with conn NULL (http.h). */
#ifndef LOBBY_FUZZ_LOBBYD_H
#define LOBBY_FUZZ_LOBBYD_H

#include <stddef.h>
#include "http.h"

typedef enum { FUZZ_NOBODY, FUZZ_ADMIN, FUZZ_DESK, FUZZ_TECH, FUZZ_GUARD, FUZZ_KIOSK } fuzz_role;

/* Ids of the records made at start, for paths like /api/v1/repairs/:. */
typedef struct {
  char ticket[48];     /* a repair filed by the kiosk */
  char visit[24];      /* a visit registered at the kiosk, pending */
  char notice[24];     /* a notice */
  char complaint[48];  /* a complaint filed by the kiosk */
  char release[48];    /* an item release applied for at the kiosk, approved */
  char release_code[16]; /* its code for the gate */
  char renovation[48]; /* a renovation registered by the desk */
  char worker[24];     /* a worker's pass issued for it */
} fuzz_records;

/* Starts the server state once; aborts on failure (a broken harness must
 * not pass as a quiet fuzzer). */
const fuzz_records *fuzz_lobbyd_start(void);

/* One request as role, with extra headers and query arguments; returns the
 * status answered, and aborts when the request got no answer or a 500 (a
 * hostile input must never make lobbyd fail inside).  *reply, when reply
 * is not NULL, gets a JSON reply's text to free. */
unsigned fuzz_lobbyd_call(const char *method, const char *path, fuzz_role as,
                          const http_fake_value *extra, size_t extra_count, const char *body,
                          size_t body_len, char **reply);

/* pattern with its one path parameter filled in from rec: %T a repair's
 * ticket, %V a visit's id, %N a notice's, %C a complaint's number, %F an
 * item release's number, %G its gate code, %Z a renovation's number, %W
 * a worker's pass id. */
void fuzz_lobbyd_expand(const char *pattern, const fuzz_records *rec, char *out, size_t size);

/* Puts the demo directory back (after an input replaced it). */
void fuzz_lobbyd_reset_directory(void);

/* Splits a query string (without '?') in place into at most max
 * arguments as libmicrohttpd does; returns how many. */
size_t fuzz_query_split(char *query, http_fake_value *out, size_t max);

/* Percent-decodes a URL's path in place, as libmicrohttpd does before
 * lobbyd sees it. */
void fuzz_url_path(char *path);

#endif
