#!/usr/bin/env bash
# PostgreSQL and several lobbyd instances (issue 13), side by side in one
# run on this machine, PostgreSQL included (a throwaway cluster from
# tests/support/with_postgres.sh, fsync on, as Debian's defaults):
#
#   a. durable repair submissions at 1 and 16 clients: SQLite, then
#      PostgreSQL (repair_bench, the same binary; a 201 is sent after the
#      commit in both);
#   b. wake-up latency of N long-polling kiosks spread over two lobbyd
#      instances on one PostgreSQL, the notice posted to the first
#      (longpoll_bench with LONGPOLL_INSTANCES=2), and one SQLite lobbyd
#      with the same N for reference;
#   c. the feed's 304 path through nginx to two instances
#      (feed_two_instances.sh).
#
#   pg_bench.sh BUILD [KIOSKS] [SECONDS]    defaults: 20000 kiosks, 10 s per repair run
set -euo pipefail
BUILD=$(cd "${1:?usage: $0 BUILD [KIOSKS] [SECONDS]}" && pwd)
KIOSKS=${2:-20000}
SECONDS_PER_RUN=${3:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
WITH_PG="$HERE/../support/with_postgres.sh"
ulimit -n "$(ulimit -Hn)"

echo "### a. Durable repair submissions, SQLite next to PostgreSQL"
echo
echo "SQLite (WAL, synchronous=FULL):"
echo
"$BUILD/tests/bench/repair_bench" "$SECONDS_PER_RUN" 1 16
echo
echo "PostgreSQL 15 on the same machine (synchronous_commit on, fsync on):"
echo
"$WITH_PG" "$BUILD/tests/bench/repair_bench" "$SECONDS_PER_RUN" 1 16
echo
echo "### b. Wake-up latency, $KIOSKS long-polling kiosks"
echo
echo "Two lobbyd instances on one PostgreSQL, kiosks alternating between them:"
echo
LONGPOLL_INSTANCES=2 "$WITH_PG" "$BUILD/tests/bench/longpoll_bench" "$KIOSKS"
echo
# One process may hold at most RLIMIT_NOFILE descriptors: the reference's
# single lobbyd and single client stay below it.
cap=$(( $(ulimit -n) - 1000 ))
ref=$(( KIOSKS < cap ? KIOSKS : cap ))
echo "One lobbyd on SQLite with $ref kiosks, for reference (one process holds at most $(ulimit -n) descriptors here):"
echo
"$BUILD/tests/bench/longpoll_bench" "$ref"
echo
echo "### c. The feed's 304 path through nginx to two instances"
echo
# Its stderr (the throwaway cluster's address, nginx's start) is shown
# only when it fails, so a failure says why.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$WITH_PG" "$HERE/feed_two_instances.sh" "$BUILD/sbin/lobbyd" 3 5 2>"$log" ||
  { status=$?; echo "feed_two_instances.sh failed ($status):" >&2; cat "$log" >&2; exit "$status"; }
