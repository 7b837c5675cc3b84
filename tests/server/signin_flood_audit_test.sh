#!/usr/bin/env bash
# server.signin_flood_audit (issue 11): sign-ins refused for their rate are
# audited, but only the first few from an address each minute: each row is
# a durable write under the store's lock, so a flood from one address must
# not become a flood of fsyncs.  Refusals from another address are still
# audited, and every refusal is answered 429.
#
#   signin_flood_audit_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1
srv_start -- --db "$WORK/lobby.db" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }

# flood FROM COUNT: COUNT sign-ins with a wrong password from FROM; prints
# how many were answered 429.
flood() {
  local i refused=0 code
  for i in $(seq 1 "$2"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --interface "$1" \
      -H 'Content-Type: application/json' \
      --data-binary '{"name":"mallory","password":"wrong-guess-1"}' "$URL/api/v1/session")
    [ "$code" = 429 ] && refused=$((refused + 1))
  done
  echo "$refused"
}

audited() {
  sqlite3 "$WORK/lobby.db" "SELECT count(*) FROM audit WHERE action = 'session.rate_limited' AND address = '$1'"
}

refused=$(flood 127.0.4.1 80)
rows=$(audited 127.0.4.1)
echo "from 127.0.4.1: $refused of 80 refused 429, $rows audit rows"
[ "$refused" -ge 70 ] && ok "the flood is refused 429 ($refused of 80)" || fail "only $refused of 80 refused"
[ "$rows" -ge 1 ] && [ "$rows" -le 6 ] && ok "its refusals are audited in $rows rows, not $refused" ||
  fail "$rows audit rows for $refused refusals (want 1 to 6)"

refused=$(flood 127.0.4.2 10)
rows=$(audited 127.0.4.2)
[ "$rows" -ge 1 ] && ok "another address's refusals are audited too ($rows rows for $refused)" ||
  fail "no audit row for 127.0.4.2's $refused refusals"
srv_alive && ok "lobbyd answers /healthz" || fail "lobbyd is gone"
srv_finish
