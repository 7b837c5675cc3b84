/* `lobbyd migrate --from sqlite:PATH --to postgresql:DSN [--replace]`:
 * the command-line side of store_copy_sqlite_to_pg(). */
#ifndef LOBBYD_MIGRATE_CLI_H
#define LOBBYD_MIGRATE_CLI_H

/* argv[1] is "migrate"; returns the exit code (0 copied and verified, 1
 * failed or refused, 2 usage). */
int lobbyd_cmd_migrate(int argc, char **argv);

#endif
