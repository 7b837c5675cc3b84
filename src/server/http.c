#include "http.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "lobby_log.h"
#include "lobby_text.h"
#include "lobby_time.h"
#include "conn_guard.h"
#include "tls.h"

/* "phone: not a mainland mobile…" names its field: clients translate by
 * code and field, so the field is sent on its own too. */
static void field_from_message(http_error *e)
{
  if (e->field[0] || !e->code ||
      (strcmp(e->code, "invalid_field") != 0 && strcmp(e->code, "missing_field") != 0))
    return;
  size_t n = strspn(e->message, "abcdefghijklmnopqrstuvwxyz0123456789_.");
  if (n > 0 && n < sizeof e->field && e->message[n] == ':' && e->message[n + 1] == ' ')
    snprintf(e->field, sizeof e->field, "%.*s", (int)n, e->message);
}

static void error_vset(http_error *e, unsigned status, const char *code, const char *field,
                       const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void error_vset(http_error *e, unsigned status, const char *code, const char *field,
                       const char *fmt, va_list ap)
{
  e->status = status;
  e->code = code;
  e->bound = HTTP_BOUND_NONE;
  e->min = e->max = 0;
  snprintf(e->field, sizeof e->field, "%s", field ? field : "");
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  field_from_message(e);
}

void http_error_set(http_error *e, unsigned status, const char *code, const char *field,
                    const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  error_vset(e, status, code, field, fmt, ap);
  va_end(ap);
}

void http_error_bound(http_error *e, http_bound_kind kind, long min, long max)
{
  e->bound = kind;
  e->min = min;
  e->max = max;
}

static enum MHD_Result queue(http_request *r, unsigned status, struct MHD_Response *resp)
{
  if (!resp)
    return MHD_NO;
  r->metric.status = status;
  if (!r->conn) {
    MHD_destroy_response(resp);
    return MHD_YES;
  }
  /* Answers are not kept by caches unless the reply says how (a notice's
   * picture, named by its hash). */
  if (!MHD_get_response_header(resp, "Cache-Control"))
    MHD_add_response_header(resp, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

enum MHD_Result http_reply_text(http_request *r, unsigned status, const char *content_type,
                                const char *text, size_t len, const char *etag)
{
  struct MHD_Response *resp =
    MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
  if (!resp)
    return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", content_type);
  if (etag)
    MHD_add_response_header(resp, "ETag", etag);
  return queue(r, status, resp);
}

enum MHD_Result http_reply_empty(http_request *r, unsigned status, const char *etag)
{
  struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (resp && etag)
    MHD_add_response_header(resp, "ETag", etag);
  return queue(r, status, resp);
}

enum MHD_Result http_reply_json(http_request *r, unsigned status, json_t *body)
{
  return http_reply_json_header(r, status, body, NULL, NULL);
}

enum MHD_Result http_reply_json_header(http_request *r, unsigned status, json_t *body,
                                       const char *name, const char *value)
{
  http_format_times(body, r->d->cfg->sla.offset_min);
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  if (!text)
    return MHD_NO;
  if (!r->conn && r->fake.capture_reply) {
    free(r->fake.reply_text);
    r->fake.reply_text = strdup(text);
  }
  struct MHD_Response *resp =
    MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
  if (name)
    MHD_add_response_header(resp, name, value);
  return queue(r, status, resp);
}

enum MHD_Result http_reply_error(http_request *r, const http_error *e)
{
  char message[sizeof e->message * 3], field[sizeof e->field * 3];
  /* The message may echo a path or an excerpt of the body: the JSON
   * encoder takes only UTF-8. */
  lobby_utf8_sanitize(e->message, message, sizeof message);
  lobby_utf8_sanitize(e->field, field, sizeof field);
  json_t *err = json_pack("{s:s, s:s}", "code", e->code, "message", message);
  if (field[0])
    json_object_set_new(err, "field", json_string(field));
  if (e->bound != HTTP_BOUND_NONE) {
    bool length = e->bound == HTTP_BOUND_LENGTH;
    json_object_set_new(err, length ? "min_length" : "minimum", json_integer(e->min));
    json_object_set_new(err, length ? "max_length" : "maximum", json_integer(e->max));
  }
  return http_reply_json(r, e->status, json_pack("{s:o}", "error", err));
}

enum MHD_Result http_fail(http_request *r, unsigned status, const char *code, const char *fmt, ...)
{
  http_error e;
  va_list ap;
  va_start(ap, fmt);
  error_vset(&e, status, code, NULL, fmt, ap);
  va_end(ap);
  return http_reply_error(r, &e);
}

enum MHD_Result http_fail_field(http_request *r, unsigned status, const char *code,
                                const char *field, const char *fmt, ...)
{
  http_error e;
  va_list ap;
  va_start(ap, fmt);
  error_vset(&e, status, code, field, fmt, ap);
  va_end(ap);
  return http_reply_error(r, &e);
}

enum MHD_Result http_reply_store_error(http_request *r, lobby_err err, const char *what)
{
  switch (err) {
  case LOBBY_ENOTFOUND: return http_fail(r, 404, "not_found", "%s not found", what);
  case LOBBY_ECONFLICT: return http_fail(r, 409, "conflict", "%s: not allowed in its current state", what);
  case LOBBY_EDUP: return http_fail(r, 409, "conflict", "%s already exists", what);
  case LOBBY_EPERM: return http_fail(r, 403, "forbidden", "not permitted");
  case LOBBY_ENOSPC:
    LOBBY_ERROR("the disk holding the database is full: %s %s was not saved", r->method, r->path);
    return http_fail(r, 507, "storage_full",
                     "the server's disk is full, so nothing was saved; free some space on the "
                     "server and try again");
  case LOBBY_EUNAVAIL:
    LOBBY_ERROR("the database is unreachable: %s %s was not done", r->method, r->path);
    return http_fail(r, 503, "database_unavailable",
                     "the server cannot reach its database just now, so nothing was saved; "
                     "try again in a moment");
  default:
    LOBBY_ERROR("store error on %s %s: %s", r->method, r->path, lobby_strerror(err));
    return http_fail(r, 500, "internal", "the server could not complete the request");
  }
}

/* A value of a request without a connection: header names are
 * case-insensitive, as libmicrohttpd compares them. */
static const char *fake_value(const http_request *r, enum MHD_ValueKind kind, const char *name)
{
  for (size_t i = 0; i < r->fake.count; i++) {
    const http_fake_value *v = &r->fake.values[i];
    if (v->kind == kind && (kind == MHD_HEADER_KIND ? strcasecmp(v->name, name) == 0
                                                    : strcmp(v->name, name) == 0))
      return v->value;
  }
  return NULL;
}

static const char *lookup(http_request *r, enum MHD_ValueKind kind, const char *name)
{
  if (!r->conn)
    return fake_value(r, kind, name);
  return MHD_lookup_connection_value(r->conn, kind, name);
}

const char *http_header(http_request *r, const char *name)
{
  return lookup(r, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_request *r, const char *name)
{
  return lookup(r, MHD_COOKIE_KIND, name);
}

void http_client_address(http_request *r, char *out, size_t size)
{
  out[0] = '\0';
  if (!r->conn)
    return;
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr)
    return;
  const struct sockaddr *sa = info->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

static enum MHD_Result queue_with_headers(http_request *r, unsigned status, struct MHD_Response *resp,
                                          const char *content_type, const char *const *names,
                                          const char *const *values, size_t count)
{
  if (content_type)
    MHD_add_response_header(resp, "Content-Type", content_type);
  for (size_t i = 0; i < count; i++)
    MHD_add_response_header(resp, names[i], values[i]);
  return queue(r, status, resp);
}

enum MHD_Result http_reply_buffer(http_request *r, unsigned status, const char *content_type,
                                  const void *data, size_t len, const char *const *names,
                                  const char *const *values, size_t count)
{
  struct MHD_Response *resp =
    MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
  if (!resp)
    return MHD_NO;
  return queue_with_headers(r, status, resp, content_type, names, values, count);
}

enum MHD_Result http_reply_buffer_take(http_request *r, unsigned status, const char *content_type,
                                       char *data, size_t len, const char *const *names,
                                       const char *const *values, size_t count)
{
  struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(data);
    return MHD_NO;
  }
  return queue_with_headers(r, status, resp, content_type, names, values, count);
}

const char *http_query(http_request *r, const char *name)
{
  return lookup(r, MHD_GET_ARGUMENT_KIND, name);
}

/* Time members are named "at" or "…_at" throughout the API. */
static bool ends_with_at(const char *key)
{
  size_t n = strlen(key);
  return strcmp(key, "at") == 0 || (n > 3 && strcmp(key + n - 3, "_at") == 0);
}

void http_format_times(json_t *v, int offset_min)
{
  const char *key;
  json_t *child;
  size_t i;
  if (json_is_array(v)) {
    json_array_foreach(v, i, child) http_format_times(child, offset_min);
    return;
  }
  if (!json_is_object(v))
    return;
  json_object_foreach(v, key, child) {
    if (json_is_integer(child) && ends_with_at(key)) {
      char iso[LOBBY_ISO_LEN];
      lobby_time_format(json_integer_value(child), offset_min, iso);
      json_object_set_new(v, key, json_string(iso));
    } else {
      http_format_times(child, offset_min);
    }
  }
}

/* ---- the daemon ---------------------------------------------------- */

static http_request *request_new(lobbyd *d, struct MHD_Connection *conn, const char *method,
                                 const char *url)
{
  http_request *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->conn = conn;
  r->d = d;
  r->poll.heap_index = -1;
  r->poll.fd = -1;
  r->method = method;
  /* A URL longer than any route is cut to fit (and then matches none).
   * A plain copy: snprintf's formatting showed on the feed's 304 path. */
  size_t len = strnlen(url, sizeof r->path - 1);
  memcpy(r->path, url, len);
  r->path[len] = '\0';
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  r->metric.started_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  return r;
}

void http_request_clear(http_request *r)
{
  free(r->body);
  r->body = NULL;
  r->body_cap = 0;
  free(r->signin);
  r->signin = NULL;
}

static void request_free(http_request *r)
{
  if (!r)
    return;
  http_request_clear(r);
  free(r);
}

/* Makes room for want bytes of body and its NUL.  The buffer doubles, never
 * past the limit: growing it chunk by chunk copied a 7 MB upload hundreds of
 * times, slow enough for the request deadline to cut it off. */
static bool body_reserve(http_request *r, size_t want)
{
  if (want + 1 <= r->body_cap)
    return true;
  size_t cap = r->body_cap ? r->body_cap : 4096;
  while (cap < want + 1)
    cap *= 2;
  if (cap > r->body_limit + 1)
    cap = r->body_limit + 1;
  char *grown = realloc(r->body, cap);
  if (!grown)
    return false;
  r->body = grown;
  r->body_cap = cap;
  return true;
}

/* Collects the body up to the limit; beyond it the rest is read and
 * dropped so the client still gets a clean 413. */
static void request_append(http_request *r, const char *data, size_t size)
{
  if (r->body_too_big || r->body_len + size > r->body_limit || !body_reserve(r, r->body_len + size)) {
    r->body_too_big = true;
    return;
  }
  memcpy(r->body + r->body_len, data, size);
  r->body_len += size;
  r->body[r->body_len] = '\0';
}

typedef struct {
  unsigned lengths;        /* Content-Length headers */
  bool lengths_differ;
  const char *first_length;
  bool transfer_encoding;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
  framing *f = cls;
  (void)kind;
  if (strcasecmp(key, "Content-Length") == 0) {
    if (f->lengths++ && strcmp(value ? value : "", f->first_length) != 0)
      f->lengths_differ = true;
    if (!f->first_length)
      f->first_length = value ? value : "";
  } else if (strcasecmp(key, "Transfer-Encoding") == 0)
    f->transfer_encoding = true;
  return MHD_YES;
}

/* A request whose body length two parsers could read differently (two
 * different Content-Lengths, or one beside Transfer-Encoding) is refused:
 * a proxy in front would frame it one way and lobbyd another, which lets
 * a second request be smuggled inside the first. */
static bool framing_unambiguous(struct MHD_Connection *conn)
{
  framing f = {0};
  MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
  return !f.lengths_differ && !(f.lengths && f.transfer_encoding);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
  (void)version;
  lobbyd *d = cls;
  http_request *r = *con_cls;
  if (!r) {
    r = request_new(d, conn, method, url);
    if (!r)
      return MHD_NO;
    *con_cls = r;
    if (!framing_unambiguous(conn))
      return http_fail(r, 400, "bad_request",
                       "conflicting Content-Length or Transfer-Encoding headers");
    r->body_limit = d->http_hooks.body_limit(r);
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > r->body_limit)
      return http_fail(r, 413, "body_too_large", "the body is larger than %zu bytes", r->body_limit);
    return MHD_YES;
  }
  if (*upload_size > 0) {
    request_append(r, upload_data, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (r->poll.state == POLL_GONE)
    return MHD_NO; /* the client left: close without an answer */
  /* The whole upload is here: the request deadline is met. */
  conn_guard_request_complete(conn);
  if (r->poll.state == POLL_REVOKED)
    return http_fail(r, 401, "unauthorized", "this token was revoked");
  if (r->poll.state == POLL_READY || r->poll.state == POLL_TIMEOUT)
    return r->poll.answer(r);
  if (r->body_too_big)
    return http_fail(r, 413, "body_too_large", "the body is larger than %zu bytes", r->body_limit);
  return r->d->http_hooks.dispatch(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  lobbyd *d = cls;
  (void)toe;
  conn_guard_request_done(conn);
  if (*con_cls)
    d->http_hooks.finished(d->metrics, *con_cls);
  request_free(*con_cls);
  *con_cls = NULL;
}

/* Loads [tls] cert and key (tls.c) and asks for TLS with them: the
 * certificate comes from a callback, so a reload can swap it. */
static lobby_err tls_options(const lobbyd_config *cfg, unsigned *flags, struct MHD_OptionItem *opts)
{
  if (!cfg->tls.cert[0])
    return LOBBY_OK;
  if (MHD_is_feature_supported(MHD_FEATURE_HTTPS_CERT_CALLBACK) != MHD_YES) {
    LOBBY_ERROR("tls: this libmicrohttpd has no TLS certificate callback; cannot serve HTTPS");
    return LOBBY_EINVAL;
  }
  lobby_err err = lobby_tls_load(cfg->tls.cert, cfg->tls.key);
  if (err != LOBBY_OK)
    return err;
  *flags |= MHD_USE_TLS;
  opts[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_CERT_CALLBACK, 0, (void *)lobby_tls_retrieve};
  opts[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)LOBBY_TLS_PRIORITIES};
  opts[2] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
  return LOBBY_OK;
}

/* max_connections, lowered to what the open-file limit leaves room for
 * (lobbyd_main raised its soft limit to the hard one): a connection
 * accepted past it would fail in accept() with EMFILE, again and again. */
static unsigned connection_limit(const lobbyd_config *cfg)
{
  /* The database, its journal, the log, the listening socket, epoll
   * descriptors and the like. */
  const rlim_t reserved = 64;
  struct rlimit rl;
  rlim_t want = (rlim_t)cfg->server.max_connections;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return (unsigned)want;
  if (rl.rlim_cur < want + reserved) {
    rlim_t room = rl.rlim_cur > reserved + 16 ? rl.rlim_cur - reserved : 16;
    LOBBY_WARN("[server] max_connections %d does not fit in the open-file limit %llu: "
               "serving at most %llu connections",
               cfg->server.max_connections, (unsigned long long)rl.rlim_cur, (unsigned long long)room);
    return (unsigned)room;
  }
  return (unsigned)want;
}

static lobby_err listen_address(const lobbyd_config *cfg, struct sockaddr_in *addr)
{
  memset(addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  addr->sin_port = htons((uint16_t)cfg->server.listen_port);
  if (inet_pton(AF_INET, cfg->server.listen_addr, &addr->sin_addr) != 1) {
    LOBBY_ERROR("listen address %s is not an IPv4 address", cfg->server.listen_addr);
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}

/* A few epoll threads (poll with TLS, below) serve every connection;
 * long-polls are suspended, so thousands of waiting kiosks cost a list
 * entry each, not a thread.  Handlers share state only through locked
 * structures. */
static unsigned thread_count(const lobbyd_config *cfg)
{
  long threads = cfg->server.threads > 0 ? cfg->server.threads : sysconf(_SC_NPROCESSORS_ONLN);
  return threads < 1 ? 1 : (unsigned)threads;
}

/* With [tls] the socket speaks only TLS: a plain request fails its
 * handshake, so nothing is ever served in clear on it. */
static lobby_err daemon_flags(const lobbyd_config *cfg, unsigned *flags, struct MHD_OptionItem *tls_opts)
{
  *flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  lobby_err err = tls_options(cfg, flags, tls_opts);
  if (err != LOBBY_OK)
    return err;
  /* libmicrohttpd 0.9.75 leaves a connection whose TLS handshake waits
   * for bytes on its epoll ready list, so one stalled handshake keeps a
   * thread spinning until the connection closes.  poll() waits properly;
   * its cost grows with the number of connections, which the per-address
   * cap and the request deadline keep down (tests/bench/slow_clients_bench.sh
   * measures both). */
  if (*flags & MHD_USE_TLS)
    *flags = (*flags & ~(unsigned)MHD_USE_EPOLL) | MHD_USE_POLL;
  return LOBBY_OK;
}

/* The guard refuses an address over its cap at accept, and its sweep
 * closes requests past the deadline: each byte a slow client sends
 * resets MHD's idle timer, but not the guard's clock. */
static struct MHD_Daemon *start_daemon(lobbyd *d, const struct sockaddr_in *addr, unsigned flags,
                                       struct MHD_OptionItem *tls_opts, unsigned limit)
{
  LOBBY_INFO("connections: at most %u, %d per address (0: no cap), %d s for a request's head "
             "and body, %d arriving at once (0: no cap), %d s idle",
             limit, d->cfg->limits.connections_per_address, d->cfg->limits.request_deadline_s,
             d->cfg->limits.arriving_connections, d->cfg->limits.idle_timeout_s);
  return MHD_start_daemon(
    flags, 0, conn_guard_accept, d->guard, on_request, d,
    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
    MHD_OPTION_NOTIFY_COMPLETED, on_completed, d,
    MHD_OPTION_NOTIFY_CONNECTION, conn_guard_notify, d->guard,
    MHD_OPTION_URI_LOG_CALLBACK, conn_guard_request_line, d->guard,
    MHD_OPTION_CONNECTION_LIMIT, limit,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)d->cfg->limits.idle_timeout_s,
    /* A kiosk's request is a few headers; the default 32 KiB pool per
     * connection would make thousands of idle long-polls cost 64 MiB. */
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(8 * 1024),
    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
    MHD_OPTION_THREAD_POOL_SIZE, thread_count(d->cfg),
    MHD_OPTION_ARRAY, tls_opts,
    MHD_OPTION_END);
}

static conn_guard_limits guard_limits(const lobbyd_config *cfg, unsigned connection_limit)
{
  return (conn_guard_limits){
    .deadline_s = cfg->limits.request_deadline_s,
    .per_address = cfg->limits.connections_per_address,
    .arriving_max = cfg->limits.arriving_connections,
    .idle_s = cfg->limits.idle_timeout_s,
    .connection_limit = connection_limit,
    .threads = thread_count(cfg),
  };
}

void http_apply_limits(lobbyd *d, const lobbyd_config *cfg)
{
  conn_guard_limits limits = guard_limits(cfg, 0); /* the fixed ones are kept */
  if (d->guard)
    conn_guard_set_limits(d->guard, &limits);
}

lobby_err http_start(lobbyd *d)
{
  struct sockaddr_in addr;
  unsigned flags;
  struct MHD_OptionItem tls_opts[3] = {{MHD_OPTION_END, 0, NULL}};
  lobby_err err = listen_address(d->cfg, &addr);
  if (err == LOBBY_OK)
    err = daemon_flags(d->cfg, &flags, tls_opts);
  if (err != LOBBY_OK)
    return err;
  unsigned limit = connection_limit(d->cfg);
  conn_guard_limits limits = guard_limits(d->cfg, limit);
  err = conn_guard_create(&limits, &d->guard);
  if (err == LOBBY_OK && !(d->daemon = start_daemon(d, &addr, flags, tls_opts, limit))) {
    LOBBY_ERROR("cannot listen on %s:%d", d->cfg->server.listen_addr, d->cfg->server.listen_port);
    err = LOBBY_EIO;
  }
  if (err != LOBBY_OK) {
    conn_guard_free(d->guard);
    d->guard = NULL;
    lobby_tls_free_all();
    return err;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d->daemon, MHD_DAEMON_INFO_BIND_PORT);
  if (info && info->port)
    d->cfg->server.listen_port = info->port;
  return LOBBY_OK;
}

void http_stop(lobbyd *d)
{
  if (!d->daemon)
    return;
  MHD_stop_daemon(d->daemon);
  d->daemon = NULL;
  conn_guard_free(d->guard); /* every connection has closed */
  d->guard = NULL;
  lobby_tls_free_all(); /* no handshake can use a pair now */
}
