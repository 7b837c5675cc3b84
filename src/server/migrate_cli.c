/* lobbyd migrate (migrate_cli.h). */
#include "migrate_cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "store_copy.h"

static const char usage[] =
  "usage: lobbyd migrate --from sqlite:PATH --to postgresql:DSN [--replace]\n"
  "  copies every table of the SQLite database at PATH into the PostgreSQL database\n"
  "  DSN (a postgresql:// URI or libpq key=value string) in one transaction and\n"
  "  checks the row counts.  Stop lobbyd first.  A PostgreSQL database that holds\n"
  "  data is refused unless --replace, which deletes what it holds.\n";

typedef struct {
  const char *from, *to;
  bool replace;
} migrate_args;

/* "sqlite:PATH" and "postgresql:DSN"; a postgresql:// URI may also be
 * given whole. */
static const char *strip(const char *v, const char *scheme)
{
  size_t n = strlen(scheme);
  if (strncmp(v, scheme, n) == 0 && v[n] == ':' && strncmp(v + n, "://", 3) != 0)
    return v + n + 1;
  if (strcmp(scheme, "postgresql") == 0 &&
      (strncmp(v, "postgresql://", 13) == 0 || strncmp(v, "postgres://", 11) == 0))
    return v;
  return NULL;
}

static int parse(int argc, char **argv, migrate_args *a)
{
  memset(a, 0, sizeof *a);
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--replace") == 0)
      a->replace = true;
    else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
      a->from = strip(argv[++i], "sqlite");
    else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
      a->to = strip(argv[++i], "postgresql");
    else
      return -1;
  }
  return a->from && a->to && *a->from && *a->to ? 0 : -1;
}

static void print_report(const store_copy_report *r)
{
  printf("  %-14s %10s %10s\n", "table", "sqlite", "postgresql");
  for (int i = 0; i < STORE_COPY_TABLES; i++)
    printf("  %-14s %10lld %10lld\n", r->table[i], (long long)r->source_rows[i],
           (long long)r->target_rows[i]);
}

int lobbyd_cmd_migrate(int argc, char **argv)
{
  migrate_args a;
  store_copy_report report;
  char why[512];
  if (parse(argc, argv, &a) != 0) {
    fputs(usage, stderr);
    return 2;
  }
  lobby_err err = store_copy_sqlite_to_pg(a.from, a.to, a.replace, &report, why, sizeof why);
  if (err != LOBBY_OK) {
    fprintf(stderr, "lobbyd migrate: %s%s\n", err == LOBBY_ECONFLICT || err == LOBBY_EDUP ?
            "refused: " : "", why[0] ? why : lobby_strerror(err));
    fprintf(stderr, "lobbyd migrate: nothing was written to PostgreSQL\n");
    return 1;
  }
  printf("lobbyd migrate: copied %s into PostgreSQL; every table has as many rows on both sides\n",
         a.from);
  print_report(&report);
  printf("now set [store] backend = postgresql and dsn in lobbyd.ini and start lobbyd\n");
  return 0;
}
