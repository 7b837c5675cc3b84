#!/usr/bin/env bash
# bench.fixed_rate_client: the open-loop client against a real lobbyd, in
# clear and over TLS: every request due is answered and counted, a status
# other than 200 or 304 (the feed without a token: 401) and a refused
# certificate are errors, and bad arguments are refused.  Its latency
# figures are not checked: measuring them is what the benchmark is for.
#
#   fixed_rate_client_check.sh FIXED_RATE_CLIENT LOBBYD
set -euo pipefail
client=${1:?usage: fixed_rate_client_check.sh FIXED_RATE_CLIENT LOBBYD}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../support/lobbyd_fixture.sh"
. "$here/../server/tls_lib.sh"
lobby_fixture_start "${2:?}"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_all_answered OUTPUT RATE SECONDS: due = answered = RATE * SECONDS.
expect_all_answered() {
  local want=$(($2 * $3))
  [[ "$1" =~ ^due\ $want\ answered\ $want\ late\ 0\ errors\ 0\ p50\  ]] ||
    fail "expected all $want requests answered, got: $1"
}

etag=$(curl -sS -D - -o /dev/null -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed" |
       tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
out=$("$client" "$LOBBY_SERVER/api/v1/feed" 200 2 4 -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" -H "If-None-Match: $etag")
expect_all_answered "$out" 200 2
out=$("$client" "$LOBBY_SERVER/api/v1/feed" 200 2 4 -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN")
expect_all_answered "$out" 200 2

if "$client" "$LOBBY_SERVER/api/v1/feed" 100 1 2 >/dev/null 2>"$LOBBY_TMP/err"; then
  fail "a 401 was counted as an answer"
fi
grep -q "unexpected status" "$LOBBY_TMP/err" || fail "no reason given for the 401: $(cat "$LOBBY_TMP/err")"

for args in "http://127.0.0.1:$LOBBY_PORT/ 0 1 1" "http://127.0.0.1:$LOBBY_PORT/ 10 1 0" \
            "ftp://127.0.0.1:$LOBBY_PORT/ 10 1 1" "http://localhost:$LOBBY_PORT/ 10 1 1" \
            "http://127.0.0.1:$LOBBY_PORT/ 10 1 1 --bogus"; do
  # shellcheck disable=SC2086 # the arguments are meant to split
  if "$client" $args >/dev/null 2>&1; then fail "accepted: $args"; fi
done

# Over TLS: a second lobbyd on the same database with [tls].
certs="$LOBBY_TMP/certs"
mkdir -p "$certs"
tls_ca "$certs" ca && tls_ca "$certs" other && tls_server_cert "$certs" ca server 1001 ||
  fail "cannot make certificates: $(cat "$certs/openssl.log")"
chmod 600 "$certs/server.key"
printf '[server]\ndatabase = %s\n\n[tls]\ncert = %s\nkey = %s\n' \
  "$LOBBY_DB" "$certs/server.crt" "$certs/server.key" > "$LOBBY_TMP/tls.ini"
"$LOBBYD" serve --config "$LOBBY_TMP/tls.ini" --listen 127.0.0.1:0 > "$LOBBY_TMP/tls.out" 2>>"$LOBBY_TMP/lobbyd.log" &
tls_pid=$!
trap 'kill $tls_pid 2>/dev/null; lobby_fixture_stop' EXIT
tls_port=
for _ in $(seq 100); do
  tls_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$LOBBY_TMP/tls.out")
  [ -n "$tls_port" ] && break
  sleep 0.05
done
[ -n "$tls_port" ] || fail "the TLS lobbyd did not start"
url="https://127.0.0.1:$tls_port/api/v1/feed"
out=$("$client" "$url" 200 2 4 --cafile "$certs/ca.crt" -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" -H "If-None-Match: $etag")
expect_all_answered "$out" 200 2
if "$client" "$url" 10 1 1 --cafile "$certs/other.crt" -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" >/dev/null 2>&1; then
  fail "a certificate from another CA was accepted"
fi
if "$client" "$url" 10 1 1 >/dev/null 2>&1; then fail "https without --cafile was accepted"; fi
echo "fixed_rate_client: all due answered in clear and over TLS; 401, a wrong CA and bad arguments refused"
