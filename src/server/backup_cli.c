#include "backup_cli.h"

#include <stdio.h>
#include <string.h>
#include "config.h"
#include "lobby_log.h"
#include "store.h"
#include "store_open.h"

typedef struct {
  const char *config, *db, *file;
  bool force;
} backup_args;

/* [--config FILE] [--db PATH] [--force] FILE, in any order. */
static int parse(int argc, char **argv, bool allow_force, backup_args *a)
{
  memset(a, 0, sizeof *a);
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
      a->config = argv[++i];
    else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
      a->db = argv[++i];
    else if (allow_force && strcmp(argv[i], "--force") == 0)
      a->force = true;
    else if (argv[i][0] != '-' && !a->file)
      a->file = argv[i];
    else {
      fprintf(stderr, "lobbyd %s: unknown or incomplete argument %s\n", argv[1], argv[i]);
      return -1;
    }
  }
  if (!a->file) {
    fprintf(stderr, "lobbyd %s: name the backup FILE\n", argv[1]);
    return -1;
  }
  return 0;
}

/* The database path: --db, else [server] database from --config (or the
 * installed lobbyd.ini), else the default. */
static int db_path(const backup_args *a, lobbyd_config *cfg)
{
  const char *config = lobbyd_config_admin_file(a->config, a->db);
  lobbyd_config_defaults(cfg);
  if (config && lobbyd_config_load(cfg, config) != LOBBY_OK)
    return -1;
  if (a->db && lobbyd_config_set_db(cfg, a->db) != LOBBY_OK)
    return -1;
  if (!lobbyd_store_is_file(cfg)) {
    fprintf(stderr, "lobbyd: the database is PostgreSQL: back it up and restore it with "
                    "PostgreSQL's own tools (pg_dump, pg_restore; see docs/scaling.md)\n");
    return -1;
  }
  return 0;
}

static void print_counts(const store_backup_report *r)
{
  for (int i = 0; i < STORE_COUNTED_TABLES; i++)
    if (r->rows[i] >= 0)
      printf("  %-14s %lld\n", r->table[i], (long long)r->rows[i]);
}

int lobbyd_cmd_backup(int argc, char **argv)
{
  backup_args a;
  lobbyd_config cfg;
  store_backup_report rep;
  char why[512] = "";
  if (parse(argc, argv, true, &a) != 0) {
    fprintf(stderr, "usage: lobbyd backup [--config FILE] [--db PATH] [--force] FILE\n");
    return 2;
  }
  if (db_path(&a, &cfg) != 0)
    return 1;
  lobby_err err = store_sqlite_backup(cfg.server.db_path, a.file, a.force, &rep, why, sizeof why);
  if (err != LOBBY_OK) {
    fprintf(stderr, "lobbyd backup: %s\n", why[0] ? why : lobby_strerror(err));
    return 1;
  }
  printf("lobbyd backup: wrote %s (%lld bytes, schema version %d, integrity ok) from %s\n",
         a.file, (long long)rep.bytes, rep.schema_version, cfg.server.db_path);
  print_counts(&rep);
  return 0;
}

int lobbyd_cmd_restore(int argc, char **argv)
{
  backup_args a;
  lobbyd_config cfg;
  store_backup_report rep;
  char why[512] = "", kept[1100] = "";
  if (parse(argc, argv, false, &a) != 0) {
    fprintf(stderr, "usage: lobbyd restore [--config FILE] [--db PATH] FILE\n");
    return 2;
  }
  if (db_path(&a, &cfg) != 0)
    return 1;
  lobby_err err = store_sqlite_restore(cfg.server.db_path, a.file, &rep, kept, sizeof kept, why,
                                       sizeof why);
  if (err == LOBBY_ECONFLICT) {
    fprintf(stderr, "lobbyd restore: refused: %s\n", why);
    return 1;
  }
  if (err != LOBBY_OK) {
    fprintf(stderr, "lobbyd restore: %s%s%s\n", why[0] ? why : lobby_strerror(err),
            kept[0] ? "; the previous database is also kept as " : "", kept);
    return 1;
  }
  if (kept[0])
    printf("lobbyd restore: kept the previous database as %s\n", kept);
  printf("lobbyd restore: restored %s from %s (schema version %d, integrity ok)\n", cfg.server.db_path,
         a.file, rep.schema_version);
  print_counts(&rep);
  printf("start lobbyd again; it upgrades an older schema after backing it up\n");
  return 0;
}
