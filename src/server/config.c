#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lobby_ini.h"
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_text.h"
#include "lobby_time.h"

void lobbyd_config_defaults(lobbyd_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  snprintf(cfg->server.listen_addr, sizeof cfg->server.listen_addr, "127.0.0.1");
  cfg->server.listen_port = 8080;
  snprintf(cfg->server.db_path, sizeof cfg->server.db_path, "%s/lobby.db", LOBBY_STATEDIR);
  snprintf(cfg->site_name, sizeof cfg->site_name, "Lobby");
  snprintf(cfg->service_phone, sizeof cfg->service_phone, "400-000-0000");
  repair_sla_default(&cfg->sla);
  cfg->visits.auto_checkout_hours = 4;
  cfg->limits.lookup_rate_per_minute = 20;
  /* 20 wrong pass codes an hour is far more than visitors mistype, and
   * with 8-character codes guessing stays hopeless (lobby_domain.h). */
  cfg->visits.checkout_failures_per_hour = 20;
  /* A resident filling the form takes longer than ten seconds. */
  cfg->limits.kiosk_submissions_per_minute = 6;
  cfg->server.max_connections = 10000;
  cfg->limits.longpolls_per_token = 4;
  cfg->log_level = LOBBY_LOG_INFO;
  addr_allow_loopback(&cfg->metrics_allow);
  cfg->retention.audit_days = 365;
  cfg->retention.repair_personal_days = 180;
  /* Kiosks resend an undelivered item with its key until it goes through;
   * a month covers a kiosk offline for weeks. */
  cfg->retention.idempotency_days = 30;
  /* Long enough to look at a screen on the console, short enough that a
   * picture of the lobby does not linger. */
  cfg->retention.screenshot_seconds = 120;
  cfg->follow.keep_days = 30;
  cfg->follow.per_minute = 60;
  cfg->follow.pass_keep_hours = 24;
  /* The console waits 20 s for a screen; a request still unanswered by
   * then was lost (the upload failed, the kiosk went away) and asking
   * again must reach the kiosk anew. */
  cfg->retention.screenshot_answer_seconds = 20;
  /* A kiosk's request arrives in milliseconds; 15 s leaves room for a
   * slow mobile link while a slow-header attack holds a slot briefly. */
  cfg->limits.request_deadline_s = 15;
  /* A site's kiosks and staff behind one NAT stay well under this. */
  cfg->limits.connections_per_address = 64;
  cfg->limits.arriving_connections = 1000;
  /* Suspended long-polls are not timed by it, and a kiosk's next request
   * follows its answer at once. */
  cfg->limits.idle_timeout_s = 30;
  /* The console installed with this lobbyd (in the build tree, a link to
   * the source's copy); too long a path leaves it empty, which start-up
   * reports. */
  (void)lobby_path_data("console", cfg->server.console_dir, sizeof cfg->server.console_dir);
}

/* What the value being parsed should have been, for the error message.
 * Configs are parsed on one thread at a time (start-up, then SIGHUP on
 * the main thread), but each parse keeps its own copy to be sure. */
static _Thread_local const char *expected;
static _Thread_local char expected_buf[96];

static lobby_err refuse(const char *what)
{
  expected = what;
  return LOBBY_EINVAL;
}

/* "H:MM" or "HH:MM", 00:00 to 23:59. */
static lobby_err parse_hhmm(const char *v, int *minutes)
{
  if (lobby_hhmm_parse(v, minutes) == LOBBY_OK)
    return LOBBY_OK;
  return refuse("a time of day HH:MM, 00:00 to 23:59");
}

static lobby_err parse_int(const char *v, int lo, int hi, int *out)
{
  int64_t n;
  if (lobby_parse_int64(v, lo, hi, &n) != LOBBY_OK) {
    snprintf(expected_buf, sizeof expected_buf, "a whole number from %d to %d", lo, hi);
    return refuse(expected_buf);
  }
  *out = (int)n;
  return LOBBY_OK;
}

static lobby_err parse_bool(const char *v, bool *out)
{
  if (lobby_ini_bool(v, out) != LOBBY_OK)
    return refuse("true or false (also yes/no, on/off, 1/0)");
  return LOBBY_OK;
}

static lobby_err parse_log_level(const char *v, lobby_log_level *out)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(v, names[i]) == 0) {
      *out = (lobby_log_level)i;
      return LOBBY_OK;
    }
  }
  return refuse("debug, info, warn or error");
}

static lobby_err parse_allow(const char *v, addr_allow *out)
{
  if (addr_allow_parse(v, out) != LOBBY_OK)
    return refuse("addresses or networks separated by commas, at most 16, "
                  "e.g. 127.0.0.1, ::1, 10.0.0.0/8");
  return LOBBY_OK;
}

static lobby_err parse_public_url(const char *v, char *out, size_t size)
{
  if (*v && lobby_public_url_check(v) != LOBBY_OK)
    return refuse("an http:// or https:// address of at most 100 characters, with no query or "
                  "fragment, e.g. https://wuye.example.com");
  snprintf(out, size, "%s", v);
  return LOBBY_OK;
}

static lobby_err copy_text(char *dst, size_t size, const char *v)
{
  if (strlen(v) >= size) {
    snprintf(expected_buf, sizeof expected_buf, "at most %zu bytes", size - 1);
    return refuse(expected_buf);
  }
  memcpy(dst, v, strlen(v) + 1);
  return LOBBY_OK;
}

lobby_err lobbyd_config_set_listen(lobbyd_config *cfg, const char *value)
{
  const char *colon = strrchr(value, ':');
  int port;
  if (!colon || colon - value >= (long)sizeof cfg->server.listen_addr ||
      parse_int(colon + 1, 0, 65535, &port) != LOBBY_OK)
    return refuse("ADDR:PORT or :PORT, e.g. 127.0.0.1:8080");
  snprintf(cfg->server.listen_addr, sizeof cfg->server.listen_addr, "%.*s", (int)(colon - value), value);
  if (cfg->server.listen_addr[0] == '\0')
    snprintf(cfg->server.listen_addr, sizeof cfg->server.listen_addr, "0.0.0.0");
  cfg->server.listen_port = port;
  return LOBBY_OK;
}

#define COPY(dst, v) copy_text(dst, sizeof dst, v)

static bool is_postgres_uri(const char *v)
{
  return strncmp(v, "postgresql://", 13) == 0 || strncmp(v, "postgres://", 11) == 0;
}

lobby_err lobbyd_config_set_db(lobbyd_config *cfg, const char *value)
{
  if (is_postgres_uri(value)) {
    cfg->store.backend = STORE_BACKEND_POSTGRESQL;
    return COPY(cfg->store.dsn, value);
  }
  cfg->store.backend = STORE_BACKEND_SQLITE;
  return COPY(cfg->server.db_path, value);
}

static lobby_err parse_backend(const char *v, lobbyd_store_backend *out)
{
  if (strcmp(v, "sqlite") == 0)
    *out = STORE_BACKEND_SQLITE;
  else if (strcmp(v, "postgresql") == 0)
    *out = STORE_BACKEND_POSTGRESQL;
  else
    return refuse("sqlite or postgresql");
  return LOBBY_OK;
}

/* One setting, its value already without a trailing comment.  Returns
 * LOBBY_ENOTFOUND for a key lobbyd does not know, LOBBY_EINVAL (with
 * `expected` set) for a value it cannot take. */
static lobby_err apply(lobbyd_config *c, const char *section, const char *name, const char *v)
{
  if (strcmp(section, "server") == 0) {
    if (strcmp(name, "listen") == 0) return lobbyd_config_set_listen(c, v);
    if (strcmp(name, "database") == 0) return COPY(c->server.db_path, v);
    if (strcmp(name, "console_dir") == 0) return COPY(c->server.console_dir, v);
    if (strcmp(name, "photos") == 0) return COPY(c->server.photo_dir, v);
    if (strcmp(name, "cookie_secure") == 0) return parse_bool(v, &c->server.cookie_secure);
    if (strcmp(name, "max_connections") == 0) return parse_int(v, 16, 100000, &c->server.max_connections);
    if (strcmp(name, "threads") == 0) return parse_int(v, 0, 64, &c->server.threads);
    if (strcmp(name, "trusted_proxies") == 0) return parse_allow(v, &c->server.trusted_proxies);
    if (strcmp(name, "public_url") == 0)
      return parse_public_url(v, c->server.public_url, sizeof c->server.public_url);
  } else if (strcmp(section, "store") == 0) {
    if (strcmp(name, "backend") == 0) return parse_backend(v, &c->store.backend);
    if (strcmp(name, "dsn") == 0) return COPY(c->store.dsn, v);
  } else if (strcmp(section, "site") == 0) {
    if (strcmp(name, "name") == 0) return COPY(c->site_name, v);
    if (strcmp(name, "service_phone") == 0) return COPY(c->service_phone, v);
    if (strcmp(name, "utc_offset_minutes") == 0) return parse_int(v, -720, 840, &c->sla.offset_min);
  } else if (strcmp(section, "repairs") == 0) {
    if (strcmp(name, "workday_end") == 0) return parse_hhmm(v, &c->sla.workday_end_min);
    if (strcmp(name, "same_day_cutoff") == 0) return parse_hhmm(v, &c->sla.same_day_cutoff_min);
    if (strcmp(name, "emergency_minutes") == 0) return parse_int(v, 5, 240, &c->sla.emergency_minutes);
    if (strcmp(name, "lookup_rate_per_minute") == 0) return parse_int(v, 1, 10000, &c->limits.lookup_rate_per_minute);
  } else if (strcmp(section, "visits") == 0) {
    if (strcmp(name, "auto_checkout_hours") == 0) return parse_int(v, 1, 72, &c->visits.auto_checkout_hours);
    if (strcmp(name, "checkout_failures_per_hour") == 0)
      return parse_int(v, 1, 10000, &c->visits.checkout_failures_per_hour);
  } else if (strcmp(section, "log") == 0) {
    if (strcmp(name, "level") == 0) return parse_log_level(v, &c->log_level);
  } else if (strcmp(section, "metrics") == 0) {
    if (strcmp(name, "allow") == 0) return parse_allow(v, &c->metrics_allow);
  } else if (strcmp(section, "retention") == 0) {
    if (strcmp(name, "audit_days") == 0) return parse_int(v, 0, 36500, &c->retention.audit_days);
    if (strcmp(name, "repair_personal_days") == 0)
      return parse_int(v, 0, 36500, &c->retention.repair_personal_days);
    if (strcmp(name, "idempotency_days") == 0)
      return parse_int(v, 0, 3650, &c->retention.idempotency_days);
  } else if (strcmp(section, "screenshots") == 0) {
    if (strcmp(name, "keep_seconds") == 0)
      return parse_int(v, 1, 3600, &c->retention.screenshot_seconds);
    if (strcmp(name, "answer_seconds") == 0)
      return parse_int(v, 1, 3600, &c->retention.screenshot_answer_seconds);
  } else if (strcmp(section, "follow") == 0) {
    if (strcmp(name, "keep_days") == 0) return parse_int(v, 0, 3650, &c->follow.keep_days);
    if (strcmp(name, "per_minute") == 0) return parse_int(v, 1, 10000, &c->follow.per_minute);
    if (strcmp(name, "pass_keep_hours") == 0) return parse_int(v, 0, 8760, &c->follow.pass_keep_hours);
  } else if (strcmp(section, "tls") == 0) {
    if (strcmp(name, "cert") == 0) return COPY(c->tls.cert, v);
    if (strcmp(name, "key") == 0) return COPY(c->tls.key, v);
  } else if (strcmp(section, "limits") == 0) {
    if (strcmp(name, "longpolls_per_token") == 0) return parse_int(v, 0, 1000, &c->limits.longpolls_per_token);
    if (strcmp(name, "request_deadline_s") == 0) return parse_int(v, 1, 600, &c->limits.request_deadline_s);
    if (strcmp(name, "connections_per_address") == 0)
      return parse_int(v, 0, 100000, &c->limits.connections_per_address);
    if (strcmp(name, "arriving_connections") == 0)
      return parse_int(v, 0, 1000000, &c->limits.arriving_connections);
    if (strcmp(name, "idle_timeout_s") == 0) return parse_int(v, 1, 3600, &c->limits.idle_timeout_s);
    if (strcmp(name, "password_checks_at_once") == 0)
      return parse_int(v, 0, 64, &c->limits.password_checks_at_once);
    if (strcmp(name, "kiosk_submissions_per_minute") == 0)
      return parse_int(v, 1, 100000, &c->limits.kiosk_submissions_per_minute);
  }
  return LOBBY_ENOTFOUND;
}

/* State of one file's parse: inih gives the handler no line number, so
 * the reader counts lines, and the first error is kept for the message. */
typedef struct {
  lobbyd_config *cfg;
  FILE *file;
  int line;
  int error_line;
  char error[512];
  char last_section[64];
  char last_name[64];
} config_parse;

static void parse_error(config_parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keeps the first error of the file and its line. */
static void parse_error(config_parse *p, const char *fmt, ...)
{
  va_list ap;
  if (p->error_line)
    return;
  p->error_line = p->line;
  va_start(ap, fmt);
  vsnprintf(p->error, sizeof p->error, fmt, ap);
  va_end(ap);
}

static int on_entry(void *user, const char *section, const char *name, const char *raw)
{
  config_parse *p = user;
  char value[512];
  lobby_err err;
  /* inih continues a value on an indented line by calling again with the
   * same key; a value spread over lines is a mistake in this file. */
  if (strcmp(section, p->last_section) == 0 && strcmp(name, p->last_name) == 0) {
    parse_error(p, "[%s] %s is given twice or continues on an indented line", section, name);
    return 0;
  }
  snprintf(p->last_section, sizeof p->last_section, "%s", section);
  snprintf(p->last_name, sizeof p->last_name, "%s", name);
  expected = NULL;
  err = lobby_ini_value(raw, value, sizeof value);
  if (err == LOBBY_OK)
    err = apply(p->cfg, section, name, value);
  if (err == LOBBY_ENOTFOUND)
    parse_error(p, "unknown setting [%s] %s", section, name);
  else if (err != LOBBY_OK && expected)
    parse_error(p, "[%s] %s = %.64s: expected %s", section, name, value, expected);
  else if (err != LOBBY_OK)
    parse_error(p, "[%s] %s: the value is too long", section, name);
  return err == LOBBY_OK;
}

/* fgets for inih, counting lines; a line too long for inih's buffer is
 * refused rather than split into two settings. */
static char *read_line(char *str, int num, void *stream)
{
  config_parse *p = stream;
  if (!fgets(str, num, p->file))
    return NULL;
  p->line++;
  size_t n = strlen(str);
  if (n > 0 && str[n - 1] != '\n') {
    int c = fgetc(p->file);
    if (c != EOF && c != '\n') {
      while ((c = fgetc(p->file)) != EOF && c != '\n')
        ;
      parse_error(p, "line longer than %d characters", num - 3);
      snprintf(str, (size_t)num, "%s", "\n");
    }
  }
  return str;
}

lobby_err lobbyd_config_load(lobbyd_config *cfg, const char *path)
{
  config_parse p = {.cfg = cfg};
  p.file = fopen(path, "r");
  if (!p.file) {
    LOBBY_ERROR("config: cannot read %s: %s", path, strerror(errno));
    return LOBBY_EIO;
  }
  int rc = ini_parse_stream(read_line, &p, on_entry, &p);
  fclose(p.file);
  if (rc == 0 && p.error_line == 0) {
    /* A certificate without its key (or the reverse) cannot be served. */
    if (!cfg->tls.cert[0] != !cfg->tls.key[0]) {
      LOBBY_ERROR("config: %s: [tls] cert and key go together: set both, or neither for plain HTTP",
                  path);
      return LOBBY_EINVAL;
    }
    if (cfg->store.backend == STORE_BACKEND_POSTGRESQL && !cfg->store.dsn[0]) {
      LOBBY_ERROR("config: %s: [store] backend = postgresql needs dsn, e.g. "
                  "dsn = postgresql://lobby@db.example/lobby", path);
      return LOBBY_EINVAL;
    }
    return LOBBY_OK;
  }
  if (rc > 0 && (p.error_line == 0 || rc < p.error_line))
    LOBBY_ERROR("config: %s:%d: not a [section] or key = value line", path, rc);
  else
    LOBBY_ERROR("config: %s:%d: %s", path, p.error_line, p.error);
  return LOBBY_EINVAL;
}

lobby_err lobbyd_config_dup(const lobbyd_config *cfg, lobbyd_config **out)
{
  lobbyd_config *copy = malloc(sizeof *copy);
  if (!copy)
    return LOBBY_ENOMEM;
  *copy = *cfg;
  copy->replaced = NULL;
  *out = copy;
  return LOBBY_OK;
}

void lobbyd_config_free(lobbyd_config *cfg)
{
  while (cfg) {
    lobbyd_config *older = cfg->replaced;
    free(cfg);
    cfg = older;
  }
}

/* Every setting as a reload sees it: where it lives in the struct and
 * whether a running lobbyd can take a new value (a restart is needed for
 * the socket, the database and the thread pool).  A key added to apply()
 * gets a row here, or a reload does not mention it. */
typedef struct {
  const char *name;
  size_t offset, size;
  bool text;
  bool restart;
} config_field;

#define FIELD(name, member, text, restart) \
  {name, offsetof(lobbyd_config, member), sizeof(((lobbyd_config *)0)->member), text, restart}

static const config_field fields[] = {
  FIELD("[server] listen", server.listen_addr, true, true),
  FIELD("[server] listen", server.listen_port, false, true),
  FIELD("[server] database", server.db_path, true, true),
  FIELD("[store] backend", store.backend, false, true),
  FIELD("[store] dsn", store.dsn, true, true),
  FIELD("[server] max_connections", server.max_connections, false, true),
  FIELD("[server] threads", server.threads, false, true),
  FIELD("[server] console_dir", server.console_dir, true, false),
  FIELD("[server] photos", server.photo_dir, true, false),
  FIELD("[server] cookie_secure", server.cookie_secure, false, false),
  FIELD("[server] trusted_proxies", server.trusted_proxies, false, false),
  FIELD("[server] public_url", server.public_url, true, false),
  FIELD("[follow] keep_days", follow.keep_days, false, false),
  FIELD("[follow] per_minute", follow.per_minute, false, false),
  FIELD("[follow] pass_keep_hours", follow.pass_keep_hours, false, false),
  FIELD("[limits] password_checks_at_once", limits.password_checks_at_once, false, true),
  FIELD("[site] name", site_name, true, false),
  FIELD("[site] service_phone", service_phone, true, false),
  FIELD("[site] utc_offset_minutes", sla.offset_min, false, false),
  FIELD("[repairs] workday_end", sla.workday_end_min, false, false),
  FIELD("[repairs] same_day_cutoff", sla.same_day_cutoff_min, false, false),
  FIELD("[repairs] emergency_minutes", sla.emergency_minutes, false, false),
  FIELD("[repairs] lookup_rate_per_minute", limits.lookup_rate_per_minute, false, false),
  FIELD("[visits] auto_checkout_hours", visits.auto_checkout_hours, false, false),
  FIELD("[limits] longpolls_per_token", limits.longpolls_per_token, false, false),
  FIELD("[visits] checkout_failures_per_hour", visits.checkout_failures_per_hour, false, false),
  FIELD("[limits] kiosk_submissions_per_minute", limits.kiosk_submissions_per_minute, false, false),
  FIELD("[log] level", log_level, false, false),
  FIELD("[metrics] allow", metrics_allow, false, false),
  FIELD("[retention] audit_days", retention.audit_days, false, false),
  FIELD("[retention] repair_personal_days", retention.repair_personal_days, false, false),
  FIELD("[retention] idempotency_days", retention.idempotency_days, false, false),
  FIELD("[screenshots] keep_seconds", retention.screenshot_seconds, false, false),
  FIELD("[screenshots] answer_seconds", retention.screenshot_answer_seconds, false, false),
  /* Re-read at every reload (service.c), so a renewed certificate needs
   * no restart; turning TLS on or off does (service.c says so). */
  FIELD("[tls] cert", tls.cert, true, false),
  FIELD("[tls] key", tls.key, true, false),
  FIELD("[limits] request_deadline_s", limits.request_deadline_s, false, false),
  FIELD("[limits] connections_per_address", limits.connections_per_address, false, false),
  FIELD("[limits] arriving_connections", limits.arriving_connections, false, false),
  FIELD("[limits] idle_timeout_s", limits.idle_timeout_s, false, true),
};

static bool field_differs(const config_field *f, const lobbyd_config *a, const lobbyd_config *b)
{
  const char *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;
  return f->text ? strcmp(pa, pb) != 0 : memcmp(pa, pb, f->size) != 0;
}

void lobbyd_config_changes(const lobbyd_config *old, const lobbyd_config *new_cfg, bool restart,
                           char *out, size_t size)
{
  size_t used = 0;
  const char *last = "";
  out[0] = '\0';
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    const config_field *f = &fields[i];
    /* A setting spread over two members (listen) is named once. */
    if (f->restart != restart || !field_differs(f, old, new_cfg) || strcmp(f->name, last) == 0)
      continue;
    int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", f->name);
    if (n < 0 || (size_t)n >= size - used)
      break;
    used += (size_t)n;
    last = f->name;
  }
}

void lobbyd_config_keep_restart(lobbyd_config *next, const lobbyd_config *running)
{
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    if (fields[i].restart)
      memcpy((char *)next + fields[i].offset, (const char *)running + fields[i].offset,
             fields[i].size);
  }
}

const char *lobbyd_config_admin_file(const char *named, const char *db)
{
  static const char installed[] = LOBBY_SYSCONFDIR "/lobbyd.ini";
  if (named || db)
    return named;
  return access(installed, F_OK) == 0 ? installed : NULL;
}

void lobbyd_config_photo_dir(const lobbyd_config *cfg, char *out, size_t size)
{
  if (cfg->server.photo_dir[0]) {
    snprintf(out, size, "%s", cfg->server.photo_dir);
    return;
  }
  if (cfg->store.backend != STORE_BACKEND_SQLITE) {
    snprintf(out, size, "%s/photos", LOBBY_STATEDIR);
    return;
  }
  const char *db = cfg->server.db_path, *slash = strrchr(db, '/');
  if (!slash)
    snprintf(out, size, "photos");
  else
    snprintf(out, size, "%.*s/photos", (int)(slash - db), db);
}

void lobbyd_config_describe_db(const lobbyd_config *cfg, char *out, size_t size)
{
  if (cfg->store.backend == STORE_BACKEND_SQLITE) {
    snprintf(out, size, "%s", cfg->server.db_path);
    return;
  }
  /* Only what follows the credentials: "postgresql://u:pw@host/db" is
   * described as "postgresql host/db". */
  const char *dsn = cfg->store.dsn, *at = strrchr(dsn, '@'), *scheme = strstr(dsn, "://");
  if (at)
    snprintf(out, size, "postgresql %s", at + 1);
  else if (scheme)
    snprintf(out, size, "postgresql %s", scheme + 3);
  else
    snprintf(out, size, "postgresql (%s)", strstr(dsn, "password") ? "dsn with a password" : dsn);
}
