/* Who owns lobbyd's database.  lobbyd runs as the service user (`lobby`,
 * owner of its StateDirectory /var/lib/lobby), but an admin runs
 * `lobbyd admin-token` and `set-password` with sudo: a database file, or
 * its -wal or -shm, left owned by root would make every write of the
 * service fail.  These checks keep the files with the directory's owner,
 * and make `serve` refuse to start on a database it cannot write. */
#ifndef LOBBYD_DB_OWNER_H
#define LOBBYD_DB_OWNER_H

#include <stdbool.h>
#include <sys/types.h>
#include "lobby_error.h"

typedef struct {
  bool fix;       /* chown the files to uid:gid after the command */
  uid_t uid;
  gid_t gid;
} db_owner_plan;

/* Before a command opens db_path (creating it if need be).  As root: plan
 * to give the files to the directory's owner, unless root owns the
 * directory.  As anyone else: LOBBY_EPERM (the message is logged) when a
 * file already belongs to another user, since it could not be given back.
 * `command` names the command for the message. */
lobby_err db_owner_prepare(const char *db_path, const char *command, db_owner_plan *plan);

/* After the command closed the database: chown the database, -wal and
 * -shm files that exist as planned. */
lobby_err db_owner_finish(const char *db_path, const db_owner_plan *plan);

/* For `serve`: LOBBY_EPERM (the message is logged) unless this process
 * may write the database's directory and each of its files that exist. */
lobby_err db_owner_check_writable(const char *db_path);

#endif
