/* lobbyd's configuration: config/lobbyd.ini, then flags. */
#ifndef LOBBYD_CONFIG_H
#define LOBBYD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "addr_allow.h"
#include "lobby_error.h"
#include "lobby_follow.h"
#include "lobby_log.h"
#include "lobby_repair.h"

/* [server]: where lobbyd listens and what it serves from. */
typedef struct {
  char listen_addr[64];       /* "127.0.0.1" */
  int listen_port;            /* 8080 */
  char db_path[512];
  char console_dir[512];      /* static files served under /console/ */
  char photo_dir[512];        /* completion photos; "" = lobbyd_config_photo_dir's default */
  bool cookie_secure;         /* mark the console's cookie Secure (TLS in front) */
  int max_connections;
  int threads;                /* HTTP threads; 0 = one per core */
  /* trusted_proxies: peers whose X-Forwarded-For is believed
   * (client_addr.c); empty by default, so no header is. */
  addr_allow trusted_proxies;
  /* public_url: the address residents' phones reach lobbyd by (through
   * the reverse proxy, docs/follow-page.md); receipts' QR codes link to
   * follow pages under it.  Empty: the codes carry the number only. */
  char public_url[LOBBY_PUBLIC_URL_MAX + 1];
} lobbyd_server_config;

/* [follow]: the pages residents and visitors open from a receipt's QR
 * code (handlers_follow.c). */
typedef struct {
  int keep_days;              /* 30: days a closed repair's page lives (0: none) */
  int per_minute;             /* 60: pages and page long-polls one address may ask a minute */
  int pass_keep_hours;        /* 24: hours a visit's pass page lives once it is over (0: none) */
} lobbyd_follow_config;

/* [visits]. */
typedef struct {
  int auto_checkout_hours;
  int checkout_failures_per_hour;   /* failed pass-code sign-outs a kiosk may make */
} lobbyd_visits_config;

/* [limits] (and [repairs] lookup_rate_per_minute): what one client may ask
 * of lobbyd. */
typedef struct {
  int lookup_rate_per_minute;
  int kiosk_submissions_per_minute; /* repairs and visits a kiosk may file */
  int longpolls_per_token;    /* waiting requests per token, 4; 0 = no cap */
  /* Argon2 verifications running at once (password_pool.c); 0 = one per
   * CPU. */
  int password_checks_at_once;
  int request_deadline_s;     /* 15: a request's head and body */
  int connections_per_address; /* 64; 0 = no cap */
  int arriving_connections;   /* 1000: requests arriving at once; 0 = no cap */
  int idle_timeout_s;         /* 30: a connection between requests */
} lobbyd_limits_config;

/* [retention], in days; 0 = keep. */
typedef struct {
  int audit_days;             /* 365 */
  int repair_personal_days;   /* 180 */
  int idempotency_days;       /* 30 */
  /* [screenshots] keep_seconds, 120: how long a kiosk's remote
   * screenshot (and a request it has not answered) lives. */
  int screenshot_seconds;
  /* [screenshots] answer_seconds, 20: asked again while a request is
   * older than this and still unanswered, lobbyd makes a new one. */
  int screenshot_answer_seconds;
} lobbyd_retention_config;

/* [tls]. */
typedef struct {
  char cert[512];             /* PEM chain; empty = plain HTTP */
  char key[512];              /* its PEM private key */
} lobbyd_tls_config;

/* [store]: which database holds lobbyd's data.  SQLite (the default)
 * keeps it in [server] database; PostgreSQL is reached through dsn, a
 * libpq connection string or postgresql:// URI, and may be shared by
 * several lobbyd instances. */
typedef enum { STORE_BACKEND_SQLITE, STORE_BACKEND_POSTGRESQL } lobbyd_store_backend;

typedef struct {
  lobbyd_store_backend backend;
  char dsn[512];
} lobbyd_store_config;

typedef struct lobbyd_config {
  lobbyd_server_config server;
  lobbyd_store_config store;
  char site_name[128];        /* [site] name */
  char service_phone[32];     /* [site] service_phone */
  repair_sla_policy sla;      /* [repairs], and [site]'s UTC offset */
  lobbyd_visits_config visits;
  lobbyd_limits_config limits;
  lobby_log_level log_level;  /* [log] level, info by default */
  addr_allow metrics_allow;   /* [metrics] allow: who may read /metrics without a token */
  lobbyd_retention_config retention;
  lobbyd_tls_config tls;
  lobbyd_follow_config follow;
  /* The configuration this one replaced at a reload, kept alive because
   * a handler may still be reading it; freed with this one at exit. */
  struct lobbyd_config *replaced;
} lobbyd_config;

void lobbyd_config_defaults(lobbyd_config *cfg);
/* Reads an ini file over the defaults.  Every value may end with a
 * `# comment` or `; comment`; an unknown key or a value that does not
 * parse fails the whole file, and the error logged names the file, the
 * line, the setting and the values it accepts. */
lobby_err lobbyd_config_load(lobbyd_config *cfg, const char *path);

/* The configuration file an administrative command (admin-token,
 * set-password, backup, restore) reads: the one named with --config; else,
 * when no --db names a database directly, the installed one
 * (LOBBY_SYSCONFDIR/lobbyd.ini) if it exists, so that these commands work
 * on the served database without options; else none (NULL). */
const char *lobbyd_config_admin_file(const char *named, const char *db);
/* "ADDR:PORT" or ":PORT". */
lobby_err lobbyd_config_set_listen(lobbyd_config *cfg, const char *value);
/* --db: a postgresql:// (or postgres://) URI chooses the PostgreSQL store
 * with that URI as its dsn; anything else is a SQLite file's path. */
lobby_err lobbyd_config_set_db(lobbyd_config *cfg, const char *value);
/* Where the data is, for messages: the SQLite file, or the PostgreSQL
 * database's name and host (never the dsn's password). */
void lobbyd_config_describe_db(const lobbyd_config *cfg, char *out, size_t size);
/* Where completion photos are kept: [server] photos when set; else a
 * "photos" directory beside the SQLite database, or LOBBY_STATEDIR/photos
 * with PostgreSQL (several lobbyd instances must share one directory). */
void lobbyd_config_photo_dir(const lobbyd_config *cfg, char *out, size_t size);
/* A heap copy of cfg (replacing nothing) to publish as d->cfg. */
lobby_err lobbyd_config_dup(const lobbyd_config *cfg, lobbyd_config **out);
/* Frees cfg and every configuration it replaced. */
void lobbyd_config_free(lobbyd_config *cfg);
/* Names the settings that differ between old and new_cfg ("[site] name,
 * [log] level") into out: with restart false those a running lobbyd
 * takes at a reload, with restart true those that need a restart. */
void lobbyd_config_changes(const lobbyd_config *old, const lobbyd_config *new_cfg, bool restart,
                           char *out, size_t size);
/* Copies the settings that need a restart from running into next. */
void lobbyd_config_keep_restart(lobbyd_config *next, const lobbyd_config *running);

#endif
