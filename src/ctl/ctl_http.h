/* lobbyctl's HTTP client: one libcurl request per call, the answer parsed
 * as JSON, and the server's error object and the HTTP status mapped to
 * lobbyctl's exit codes.  Knows nothing about commands or tables. */
#ifndef CTL_HTTP_H
#define CTL_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "ctl.h"
#include "lobby_error.h"

typedef struct {
  const char *server;  /* base URL, no trailing slash */
  const char *token;   /* sent as "Authorization: Bearer <token>" */
  long timeout_s;      /* whole request; 0 = default */
  const char *ca_file; /* CA bundle the server's certificate must chain to; NULL = system's */
  const char *pin;     /* "sha256//BASE64[;sha256//…]" the server's key must match; or NULL */
} ctl_http_target;

typedef struct {
  const char *method;          /* "GET", "POST", "PUT" */
  const char *path;            /* "/api/v1/…", already escaped */
  const char *body;            /* JSON text, or NULL for no body */
  const char *idempotency_key; /* or NULL */
  /* Instead of body: data_len bytes of content_type (a picture). */
  const void *data;
  size_t data_len;
  const char *content_type;
} ctl_http_request;

typedef struct {
  long status;       /* HTTP status, 0 when there was no answer */
  char *body;        /* raw body, NUL-terminated (may be "") */
  size_t body_len;
  json_t *json;      /* body parsed as JSON, NULL when empty or not JSON */
  bool replay;       /* "Idempotent-Replay: true" */
  /* On failure: the server's error object, or the transport error. */
  char code[64];
  char message[512];
  char field[64];
} ctl_http_response;

/* Once per process, before any request / at exit. */
lobby_err ctl_http_global_init(void);
void ctl_http_global_cleanup(void);

/* Sends the request and fills resp (free it with ctl_http_response_free
 * whatever the result).  Returns CTL_EXIT_OK for a 2xx answer, otherwise
 * the exit code for the failure, with code/message/field filled in. */
ctl_exit ctl_http_send(const ctl_http_target *target, const ctl_http_request *req,
                       ctl_http_response *resp);
void ctl_http_response_free(ctl_http_response *resp);

/* The exit code for an HTTP status: 2xx ok, 401/403 auth, other 4xx
 * rejected, 5xx and anything odd unreachable. */
ctl_exit ctl_http_exit_for_status(long status);

/* Fills resp->code/message/field from an error body
 * {"error": {"code", "message", "field"}}; leaves them empty otherwise. */
void ctl_http_parse_error(ctl_http_response *resp);

/* resp->code of a failed TLS check: the certificate not trusted, or the
 * key not the pinned one.  Never followed by a retry in clear. */
#define CTL_HTTP_TLS_UNTRUSTED "tls_untrusted"
#define CTL_HTTP_TLS_PIN "tls_pin"

/* Writes a one-line explanation of a failed request to err, with the
 * server's message and field and a hint on what to do. */
void ctl_http_report(FILE *err, const char *server, const ctl_http_response *resp,
                     ctl_exit code);

/* A fresh Idempotency-Key ("ctl-" and 24 random characters).  Keys let a
 * retried request (after a timeout) answer the same ticket, not a new one. */
lobby_err ctl_idempotency_key(char *buf, size_t size);

/* Builds "/api/v1/…?k=v" with every segment and value percent-encoded.
 * Errors are sticky: build the whole path, then check ctl_path_done once. */
typedef struct {
  char buf[1024];
  size_t len;
  bool overflow;
  bool has_query;
} ctl_path;

void ctl_path_init(ctl_path *p, const char *prefix);
void ctl_path_segment(ctl_path *p, const char *raw);
void ctl_path_query(ctl_path *p, const char *key, const char *value); /* skipped if NULL */
lobby_err ctl_path_done(const ctl_path *p);

#endif
