/* `lobbyd backup` and `lobbyd restore`: the command-line side of
 * store_sqlite_backup() and store_sqlite_restore(). */
#ifndef LOBBYD_BACKUP_CLI_H
#define LOBBYD_BACKUP_CLI_H

/* argv[1] is the command; returns the exit code (0 done, 1 failed or
 * refused, 2 usage). */
int lobbyd_cmd_backup(int argc, char **argv);
int lobbyd_cmd_restore(int argc, char **argv);

#endif
