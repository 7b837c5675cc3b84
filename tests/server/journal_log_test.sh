#!/usr/bin/env bash
# server.journal_log: when stderr is the journal (JOURNAL_STREAM=DEV:INODE
# names it), every log line starts with its syslog priority and carries
# no timestamp; otherwise lines are plain, with a UTC timestamp and level.
#
#   journal_log_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"

stream_of() { stat -c '%d:%i' "$1"; }

echo "== stderr is the journal: <6> info, <3> error, no timestamp"
LOG="$WORK/journal.log"
: > "$LOG"
srv_start env JOURNAL_STREAM="$(stream_of "$LOG")" -- --db "$WORK/lobby.db" ||
  { echo "lobbyd did not start"; cat "$LOG"; exit 1; }
srv_stop
grep -q "^<6>lobbyd.* listening on 127.0.0.1:$PORT" "$LOG" && ok "info lines start with <6>" ||
  fail "no <6> listening line"
bad=$(grep -cv '^<[3467]>' "$LOG")
[ "$bad" = 0 ] && ok "every line has a priority prefix" || fail "$bad line(s) without a prefix"
grep -q '[0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' "$LOG" && fail "journal lines carry a timestamp"
printf '[server]\ncookie_secure = maybe\n' > "$WORK/bad.ini"
env JOURNAL_STREAM="$(stream_of "$LOG")" "$LOBBYD" serve --config "$WORK/bad.ini" 2>> "$LOG" &&
  fail "lobbyd started with a bad config"
grep -q "^<3>config: .*bad.ini" "$LOG" &&
  ok "errors start with <3>" || fail "no <3> error line"

echo "== another file's JOURNAL_STREAM (a child that redirected stderr): plain"
LOG="$WORK/plain.log"
: > "$LOG"
srv_start env JOURNAL_STREAM="$(stream_of "$WORK/journal.log")" -- --db "$WORK/lobby.db" ||
  fail "lobbyd did not start"
srv_stop
grep -qE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z info lobbyd.* listening on" "$LOG" &&
  ok "plain lines with timestamp and level" || fail "no plain listening line"
grep -q '^<[0-9]>' "$LOG" && fail "a prefix without the journal"

echo "== no JOURNAL_STREAM: plain"
LOG="$WORK/unset.log"
: > "$LOG"
srv_start env -u JOURNAL_STREAM -- --db "$WORK/lobby.db" || fail "lobbyd did not start"
srv_stop
grep -qE "^[0-9-]{10}T[0-9:]{8}Z info " "$LOG" && ! grep -q '^<[0-9]>' "$LOG" &&
  ok "plain without JOURNAL_STREAM" || fail "unexpected lines without JOURNAL_STREAM"
srv_finish
