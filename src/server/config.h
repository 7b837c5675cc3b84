/* lobbyd's configuration: config/lobbyd.ini, then flags. */
#ifndef LOBBYD_CONFIG_H
#define LOBBYD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "addr_allow.h"
#include "lobby_error.h"
#include "lobby_log.h"
#include "lobby_repair.h"

typedef struct lobbyd_config {
  char listen_addr[64];       /* "127.0.0.1" */
  int listen_port;            /* 8080 */
  char db_path[512];
  char console_dir[512];      /* static files served under /console/ */
  bool cookie_secure;         /* mark the console's cookie Secure (TLS in front) */
  char site_name[128];
  char service_phone[32];
  repair_sla_policy sla;      /* includes the site's UTC offset */
  int visit_auto_checkout_hours;
  int lookup_rate_per_minute;
  int checkout_failures_per_hour;   /* [visits]: failed pass-code sign-outs a kiosk may make */
  int kiosk_submissions_per_minute; /* [limits]: repairs and visits a kiosk may file */
  int max_connections;
  int threads;                /* HTTP threads; 0 = one per core */
  int longpolls_per_token;    /* [limits]: waiting requests per token, 4; 0 = no cap */
  lobby_log_level log_level;  /* [log] level, info by default */
  addr_allow metrics_allow;   /* [metrics] allow: who may read /metrics without a token */
  /* [server] trusted_proxies: peers whose X-Forwarded-For is believed
   * (client_addr.c); empty by default, so no header is. */
  addr_allow trusted_proxies;
  /* [limits] password_checks_at_once: Argon2 verifications running at
   * once (password_pool.c); 0 = one per CPU. */
  int password_checks_at_once;
  int retention_audit_days;           /* [retention] audit_days, 365; 0 = keep */
  int retention_repair_personal_days; /* [retention] repair_personal_days, 180; 0 = keep */
  int retention_idempotency_days;     /* [retention] idempotency_days, 30; 0 = keep */
  char tls_cert[512];         /* [tls] cert: PEM chain; empty = plain HTTP */
  char tls_key[512];          /* [tls] key: its PEM private key */
  int request_deadline_s;     /* [limits] request_deadline_s, 15: a request's head and body */
  int connections_per_address; /* [limits] connections_per_address, 64; 0 = no cap */
  int idle_timeout_s;         /* [limits] idle_timeout_s, 30: a connection between requests */
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
