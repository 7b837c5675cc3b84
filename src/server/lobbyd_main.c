/* lobbyd: the office server.  `serve` runs it; `admin-token` bootstraps
 * the first staff token. */
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "auth.h"
#include "backup_cli.h"
#include "calendar_seed.h"
#include "db_owner.h"
#include "events.h"
#include "handlers.h"
#include "health.h"
#include "http.h"
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_time.h"
#include "lobbyd_parts.h"
#include "longpoll.h"
#include "metrics.h"
#include "migrate_cli.h"
#include "known_device.h"
#include "password.h"
#include "password_pool.h"
#include "periodic_jobs.h"
#include "presence.h"
#include "ratelimit.h"
#include "service.h"
#include "store_open.h"

static void usage(FILE *to)
{
  fprintf(to,
          "usage:\n"
          "  lobbyd serve [--config FILE] [--db PATH] [--listen ADDR:PORT]\n"
          "  lobbyd admin-token --name NAME [--config FILE] [--db PATH]\n"
          "  lobbyd set-password --name NAME [--role ROLE] [--config FILE] [--db PATH] < password\n"
          "  lobbyd backup [--config FILE] [--db PATH] [--force] FILE\n"
          "  lobbyd restore [--config FILE] [--db PATH] FILE\n"
          "  lobbyd migrate --from sqlite:PATH --to postgresql:DSN [--replace]\n"
          "  lobbyd --version\n"
          "\n"
          "serve        runs the server: SIGINT or SIGTERM stops it cleanly, SIGHUP\n"
          "             re-reads the --config file and applies what can change while\n"
          "             running (flags keep precedence)\n"
          "admin-token  creates a staff member with the admin role and prints\n"
          "             their API token once; it is stored only as a hash\n"
          "set-password sets the console password of NAME, read from the first line\n"
          "             of stdin; creates NAME with ROLE (default admin) if needed\n"
          "backup       copies the database to FILE while lobbyd runs (SQLite's online\n"
          "             backup), checks the copy and prints its row counts; an existing\n"
          "             FILE is replaced only with --force\n"
          "restore      puts the backup FILE in place of the database: lobbyd must be\n"
          "             stopped; the current database is kept as\n"
          "             <db>.before-restore-<time>\n"
          "migrate      copies a SQLite database into an empty PostgreSQL one and\n"
          "             checks the row counts; stop lobbyd first\n"
          "\n"
          "admin-token, set-password, backup and restore work on the database named\n"
          "by --db, else by the --config file, else by " LOBBY_SYSCONFDIR "/lobbyd.ini\n"
          "when it exists (an installed server), else " LOBBY_STATEDIR "/lobby.db.\n");
}

typedef struct {
  const char *command;
  const char *config;
  const char *db;
  const char *listen;
  const char *name;
  const char *role;
} cli_args;

static int parse_args(int argc, char **argv, cli_args *a)
{
  memset(a, 0, sizeof *a);
  if (argc < 2)
    return -1;
  a->command = argv[1];
  if (strcmp(a->command, "--version") == 0)
    a->command = "version";
  for (int i = 2; i < argc; i++) {
    const char **slot = NULL;
    if (strcmp(argv[i], "--config") == 0) slot = &a->config;
    else if (strcmp(argv[i], "--db") == 0) slot = &a->db;
    else if (strcmp(argv[i], "--listen") == 0) slot = &a->listen;
    else if (strcmp(argv[i], "--name") == 0) slot = &a->name;
    else if (strcmp(argv[i], "--role") == 0) slot = &a->role;
    if (!slot || i + 1 >= argc) {
      fprintf(stderr, "lobbyd: unknown or incomplete option %s\n", argv[i]);
      return -1;
    }
    *slot = argv[++i];
  }
  return 0;
}

static int load_config(const cli_args *a, lobbyd_config *cfg)
{
  lobbyd_config_defaults(cfg);
  if (a->config && lobbyd_config_load(cfg, a->config) != LOBBY_OK)
    return -1;
  lobby_log_set_level(cfg->log_level);
  if (a->db && lobbyd_config_set_db(cfg, a->db) != LOBBY_OK) {
    fprintf(stderr, "lobbyd: --db is too long\n");
    return -1;
  }
  if (a->listen && lobbyd_config_set_listen(cfg, a->listen) != LOBBY_OK) {
    fprintf(stderr, "lobbyd: --listen must be ADDR:PORT, e.g. 127.0.0.1:8080\n");
    return -1;
  }
  return 0;
}

/* load_config for the administrative commands: the installed
 * lobbyd.ini when neither --config nor --db is given. */
static int load_admin_config(const cli_args *a, lobbyd_config *cfg)
{
  cli_args with_file = *a;
  with_file.config = lobbyd_config_admin_file(a->config, a->db);
  return load_config(&with_file, cfg);
}

/* The store for an administrative command.  A SQLite file made or
 * touched by root is given back to its directory's owner afterwards
 * (db_owner.h); a PostgreSQL database has no files here. */
static int admin_store_open(const lobbyd_config *cfg, const char *command, db_owner_plan *owner,
                            lobby_store **st)
{
  *owner = (db_owner_plan){0};
  if (lobbyd_store_is_file(cfg) &&
      db_owner_prepare(cfg->server.db_path, command, owner) != LOBBY_OK)
    return -1;
  lobby_err err = lobbyd_store_open(cfg, st);
  if (err == LOBBY_EUNAVAIL)
    fprintf(stderr, "lobbyd %s: cannot reach the database: is PostgreSQL running, and is "
                    "[store] dsn right?\n", command);
  return err == LOBBY_OK ? 0 : -1;
}

static int admin_store_close(const lobbyd_config *cfg, const db_owner_plan *owner, lobby_store *st)
{
  st->ops->close(st);
  if (lobbyd_store_is_file(cfg) && db_owner_finish(cfg->server.db_path, owner) != LOBBY_OK)
    return -1;
  return 0;
}

static int cmd_admin_token(const cli_args *a)
{
  lobbyd_config cfg;
  lobby_store *st;
  if (!a->name) {
    fprintf(stderr, "lobbyd admin-token: --name NAME is required\n");
    return 1;
  }
  db_owner_plan owner;
  if (load_admin_config(a, &cfg) != 0 || admin_store_open(&cfg, "admin-token", &owner, &st) != 0)
    return 1;
  char token[AUTH_TOKEN_LEN];
  uint8_t hash[STORE_TOKEN_HASH_LEN];
  auth_token_new("ls_", token, hash);
  lobby_err err = st->ops->staff_create(st, a->name, ROLE_ADMIN, NULL, hash, lobby_now(), NULL);
  /* Also after a failure: opening the database may have created it. */
  if (admin_store_close(&cfg, &owner, st) != 0)
    return 1;
  if (err == LOBBY_EDUP) {
    fprintf(stderr, "lobbyd admin-token: a staff member named %s already exists\n", a->name);
    return 1;
  }
  if (err != LOBBY_OK) {
    fprintf(stderr, "lobbyd admin-token: %s\n", lobby_strerror(err));
    return 1;
  }
  printf("%s\n", token);
  return 0;
}

/* Reads the first line of stdin into buf without its line end. */
static lobby_err read_password_line(char *buf, size_t size)
{
  if (!fgets(buf, (int)size, stdin))
    return LOBBY_EINVAL;
  size_t n = strcspn(buf, "\r\n");
  if (buf[n] == '\0' && n == size - 1)
    return LOBBY_ETOOBIG;
  buf[n] = '\0';
  return LOBBY_OK;
}

/* Creates the account or sets its password (which signs it out
 * everywhere), with its audit entry in the same transaction. */
static lobby_err set_password(lobby_store *st, const char *name, const char *role_name,
                              const char *password)
{
  char hash[PASSWORD_HASH_LEN];
  lobby_role role = ROLE_ADMIN;
  store_staff_auth auth;
  if (role_name && lobby_role_parse(role_name, &role) != LOBBY_OK)
    return LOBBY_EINVAL;
  lobby_err err = password_hash(password, hash);
  if (err != LOBBY_OK)
    return err;
  store_audit_entry e = {.actor = "lobbyd set-password", .actor_role = "",
                         .action = "account.password_reset", .target = name, .detail = "",
                         .address = "", .at = lobby_now()};
  err = st->ops->staff_auth_get(st, name, &auth);
  if (err == LOBBY_ENOTFOUND)
    return st->ops->staff_account_create(st, name, role, NULL, hash, lobby_now(), &e);
  if (err == LOBBY_OK)
    err = st->ops->staff_set_password(st, name, hash, NULL, &e);
  return err;
}

static int cmd_set_password(const cli_args *a)
{
  lobbyd_config cfg;
  lobby_store *st;
  char password[PASSWORD_MAX_BYTES + 2];
  if (!a->name) {
    fprintf(stderr, "lobbyd set-password: --name NAME is required\n");
    return 1;
  }
  if (read_password_line(password, sizeof password) != LOBBY_OK) {
    fprintf(stderr, "lobbyd set-password: give a password of %d to %d characters on stdin\n",
            PASSWORD_MIN_CHARS, PASSWORD_MAX_BYTES);
    return 1;
  }
  password_verdict verdict = password_policy(password, a->name);
  if (verdict != PASSWORD_OK) {
    fprintf(stderr, "lobbyd set-password: %s\n", password_verdict_message(verdict));
    return 1;
  }
  db_owner_plan owner;
  if (load_admin_config(a, &cfg) != 0 || admin_store_open(&cfg, "set-password", &owner, &st) != 0) {
    sodium_memzero(password, sizeof password);
    return 1;
  }
  lobby_err err = set_password(st, a->name, a->role, password);
  sodium_memzero(password, sizeof password);
  if (admin_store_close(&cfg, &owner, st) != 0)
    return 1;
  if (err != LOBBY_OK) {
    fprintf(stderr, "lobbyd set-password: %s\n",
            err == LOBBY_EINVAL ? "unknown role (admin, front_desk, technician, guard)" : lobby_strerror(err));
    return 1;
  }
  return 0;
}

/* Changes wake long-polls from before the first request is taken. */
static lobby_err start_serving(lobbyd *d)
{
  events_attach(d->events, d->poll);
  return http_start(d);
}

static void raise_fd_limit(void)
{
  /* Every waiting kiosk holds a socket; http_start fits max_connections
   * into what this leaves. */
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
      (void)getrlimit(RLIMIT_NOFILE, &rl);
  }
  LOBBY_INFO("open-file limit: %llu", (unsigned long long)rl.rlim_cur);
}

/* SIGHUP: re-reads the config file and applies what may change while
 * running.  A file that no longer parses changes nothing. */
static void reload(lobbyd *d, const cli_args *a, const lobbyd_config *boot)
{
  lobbyd_config next;
  service_notify_reloading();
  if (!a->config) {
    LOBBY_INFO("reload: lobbyd was started without --config; nothing to re-read");
  } else if (load_config(a, &next) != 0) {
    /* load_config logged why. */
    LOBBY_ERROR("reload: %s refused, lobbyd keeps running with its current settings", a->config);
  } else if (service_apply_config(d, boot, &next) != LOBBY_OK) {
    LOBBY_ERROR("reload: out of memory, lobbyd keeps running with its current settings");
  }
  service_notify_ready(d);
}

static int run_server(lobbyd *d, const cli_args *a, const lobbyd_config *boot)
{
  periodic_jobs *jobs = NULL;
  sigset_t signals;
  int sig;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  /* Block these signals before threads start so all inherit the mask
   * and sigwait below receives them: SIGHUP reloads, never kills. */
  pthread_sigmask(SIG_BLOCK, &signals, NULL);
  signal(SIGPIPE, SIG_IGN);
  lobby_err parts = lobbyd_parts_create(d);
  if (parts != LOBBY_OK)
    LOBBY_ERROR("not starting: the server's parts could not be made: %s", lobby_strerror(parts));
  if (parts != LOBBY_OK || longpoll_start(&d->poll) != LOBBY_OK ||
      periodic_jobs_start(d, &jobs) != LOBBY_OK || start_serving(d) != LOBBY_OK) {
    periodic_jobs_stop(jobs);
    events_attach(d->events, NULL);
    longpoll_stop(d->poll);
    d->poll = NULL;
    return 1;
  }
  char where[600];
  lobbyd_config_describe_db(d->cfg, where, sizeof where);
  LOBBY_INFO("lobbyd %s listening on %s:%d (database %s)", LOBBY_VERSION, d->cfg->server.listen_addr,
             d->cfg->server.listen_port, where);
  printf("listening on %s:%d\n", d->cfg->server.listen_addr, d->cfg->server.listen_port);
  fflush(stdout);
  service_notify_ready(d);
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP)
    reload(d, a, boot);
  service_notify_stopping(sig);
  LOBBY_INFO("stopping on signal %d", sig);
  /* Suspended connections must be resumed before the daemon stops. */
  longpoll_release_all(d->poll);
  password_pool_drain(d->passwords);
  http_stop(d);
  /* The jobs publish changes to the long-poll thread: they stop first. */
  periodic_jobs_stop(jobs);
  events_attach(d->events, NULL);
  longpoll_stop(d->poll);
  d->poll = NULL;
  return 0;
}

static int cmd_serve(const cli_args *a)
{
  lobbyd d;
  lobbyd_config boot, *live;
  sigset_t hup;
  /* A reload asked for while the database opens and migrates waits for
   * the serve loop instead of killing lobbyd. */
  sigemptyset(&hup);
  sigaddset(&hup, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &hup, NULL);
  memset(&d, 0, sizeof d);
  if (load_config(a, &boot) != 0)
    return 1;
  raise_fd_limit();
  (void)console_dir_check(boot.server.console_dir); /* lobbyd serves the API without it */
  /* Refuse now rather than answer 500 to every write later. */
  if ((lobbyd_store_is_file(&boot) && db_owner_check_writable(boot.server.db_path) != LOBBY_OK) ||
      lobbyd_config_dup(&boot, &live) != LOBBY_OK)
    return 1;
  atomic_init(&d.cfg, live);
  lobby_err opened = lobbyd_store_open(&boot, &d.store);
  if (opened != LOBBY_OK) {
    /* Under systemd (Restart=on-failure) the next start tries again. */
    if (opened == LOBBY_EUNAVAIL)
      LOBBY_ERROR("not starting: the database cannot be reached; check that PostgreSQL runs "
                  "and [store] dsn");
    lobbyd_config_free(live);
    return 1;
  }
  /* Holidays decide reply deadlines from the first request on. */
  if (calendar_seed_shipped(d.store, boot.sla.offset_min) != LOBBY_OK) {
    LOBBY_ERROR("not starting: the working-day calendar could not be written to the database");
    d.store->ops->close(d.store);
    lobbyd_config_free(live);
    return 1;
  }
  int rc = run_server(&d, a, &boot);
  longpoll_stop(d.poll);
  lobbyd_parts_free(&d);
  d.store->ops->close(d.store);
  lobbyd_config_free(d.cfg);
  return rc;
}

int main(int argc, char **argv)
{
  cli_args a;
  if (sodium_init() < 0) {
    fprintf(stderr, "lobbyd: libsodium failed to initialise\n");
    return 1;
  }
  /* backup and restore take a FILE and --force: their own arguments. */
  if (argc >= 2 && strcmp(argv[1], "backup") == 0)
    return lobbyd_cmd_backup(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "restore") == 0)
    return lobbyd_cmd_restore(argc, argv);
  if (argc >= 2 && strcmp(argv[1], "migrate") == 0)
    return lobbyd_cmd_migrate(argc, argv);
  if (parse_args(argc, argv, &a) != 0) {
    usage(stderr);
    return 2;
  }
  if (strcmp(a.command, "serve") == 0)
    return cmd_serve(&a);
  if (strcmp(a.command, "admin-token") == 0)
    return cmd_admin_token(&a);
  if (strcmp(a.command, "set-password") == 0)
    return cmd_set_password(&a);
  if (strcmp(a.command, "version") == 0) {
    printf("lobbyd %s\n", LOBBY_VERSION);
    return 0;
  }
  if (strcmp(a.command, "--help") == 0 || strcmp(a.command, "help") == 0) {
    usage(stdout);
    return 0;
  }
  fprintf(stderr, "lobbyd: unknown command %s\n", a.command);
  usage(stderr);
  return 2;
}
