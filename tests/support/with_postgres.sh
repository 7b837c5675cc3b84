#!/bin/sh
# Runs a test command with a throwaway PostgreSQL: LOBBY_TEST_PG holds
# the server's base URL (LOBBY_TEST_PG_DIR its directory), and the harnesses (test_server.c,
# lobbyd_fixture.sh) give each lobbyd a new database on it.  The cluster
# is stopped and removed however the command ends.
#
#   with_postgres.sh CMD [ARG...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/lobby-pg.XXXXXX)
trap '"$here/pg_cluster.sh" stop "$dir"' EXIT INT TERM
LOBBY_TEST_PG=$("$here/pg_cluster.sh" start "$dir")
# The cluster's directory, for tests that stop and start the server.
LOBBY_TEST_PG_DIR=$dir
export LOBBY_TEST_PG LOBBY_TEST_PG_DIR
echo "with_postgres: PostgreSQL at $LOBBY_TEST_PG" >&2
status=0
"$@" || status=$?
exit "$status"
