/* Integration-test harness: starts a real lobbyd on a free loopback port
 * with a fresh database file, and talks to it over HTTP with libcurl. */
#ifndef LOBBY_TEST_SERVER_H
#define LOBBY_TEST_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct {
  char dir[128];
  char db[192];
  char url[64];
  int port;
  pid_t pid;
  char admin_token[64];
  char kiosk_token[64];   /* kiosk "lobby-1" in building 1, group east */
  char extra_env[128];    /* "NAME=value" set for lobbyd, or "" */
  /* lobbyd.ini for the server, kept by test_server_start like extra_env;
   * "" gives the tests' own: kiosks may file far more than a resident
   * could ([limits] kiosk_submissions_per_minute), since the suites file
   * dozens of repairs and visits a minute with one kiosk. */
  char ini[256];
  bool peer;              /* started by test_server_start_peer: shares dir */
} test_server;

typedef struct {
  long status;
  char *body;
  size_t len;             /* of body, which is also NUL-terminated */
  json_t *json;           /* NULL when the body is not JSON */
  char headers[4096];     /* every response header line, as received */
  char etag[64];
  bool replayed;          /* Idempotent-Replay: true */
  double seconds;         /* wall time of the exchange */
} test_response;

/* Starts lobbyd, loads the demo directory and enrols kiosk lobby-1. */
int test_server_start(test_server *s);
/* Starts another lobbyd on s's database, lobbyd.ini and log, on a port of
 * its own: a second instance (with PostgreSQL, instances share the data;
 * s's tokens work on both).  Stop it before s. */
int test_server_start_peer(const test_server *s, test_server *peer);
/* Stops lobbyd; returns -1 when its log shows a sanitizer report. */
int test_server_stop(test_server *s);
void test_server_kill9(test_server *s);
/* Starts lobbyd again on the same port and database. */
int test_server_restart(test_server *s);

/* One HTTP exchange.  headers is NULL or a NULL-terminated list of
 * "Name: value" lines.  Returns 0 when an answer came back. */
int test_http(test_server *s, const char *method, const char *path, const char *token,
              const char *body, const char *const *headers, test_response *out);
/* The same with a body of len bytes of any content type (a picture). */
int test_http_bytes(test_server *s, const char *method, const char *path, const char *token,
                    const char *content_type, const void *body, size_t len,
                    const char *const *headers, test_response *out);
void test_response_free(test_response *r);

/* Convenience: a staff call with the admin token that must answer
 * `status`; returns the parsed body (caller decrefs). */
json_t *test_admin(test_server *s, const char *method, const char *path, const char *body,
                   long status);

/* A new token for a staff member or kiosk. */
int test_staff(test_server *s, const char *name, const char *role, char token[64]);
int test_kiosk(test_server *s, const char *name, const char *building, const char *group,
               char token[64]);

#endif
