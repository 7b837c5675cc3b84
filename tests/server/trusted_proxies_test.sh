#!/usr/bin/env bash
# server.trusted_proxies (issue 11, attack 4): X-Forwarded-For is believed
# only from [server] trusted_proxies, and then only its rightmost hop that
# is not a trusted proxy; the audit log records that client's address, and
# two clients behind the proxy have separate sign-in allowances.
#
#   trusted_proxies_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1

TOKEN=$("$LOBBYD" admin-token --db "$WORK/lobby.db" --name admin 2>> "$WORK/log") ||
  { echo "FAIL: admin-token"; cat "$WORK/log"; exit 1; }
# The proxy is 127.0.0.1 and a second one at 10.9.0.0/16 in front of it.
printf '[server]\ndatabase = %s\ntrusted_proxies = 127.0.0.1, 10.9.0.0/16\n' "$WORK/lobby.db" > lobbyd.ini
srv_start -- --config "$WORK/lobbyd.ini" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }

# attempt FROM XFF NAME: a failed sign-in; prints the status.
attempt() {
  local from=$1 xff=$2 name=$3 header=()
  [ -n "$xff" ] && header=(-H "X-Forwarded-For: $xff")
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 --interface "$from" "${header[@]}" \
    -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"$name\",\"password\":\"wrong-guess-1\"}" "$URL/api/v1/session"
}

# audited NAME: the address of the newest audit entry for actor NAME.
audited() {
  curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/audit?limit=500" |
    jq -r --arg n "$1" '[.entries[] | select(.actor == $n)][0].address'
}

check() {
  local what=$1 from=$2 xff=$3 want=$4 name="who$RANDOM"
  attempt "$from" "$xff" "$name" > /dev/null
  local got
  got=$(audited "$name")
  [ "$got" = "$want" ] && ok "$what: audited as $got" || fail "$what: audited as '$got', want $want"
}

echo "== whose X-Forwarded-For is believed"
check "through the proxy" 127.0.0.1 "203.0.113.7" 203.0.113.7
check "a client's own hop left of the real one" 127.0.0.1 "198.51.100.1, 203.0.113.8" 203.0.113.8
check "through two trusted proxies" 127.0.0.1 "203.0.113.9, 10.9.4.4" 203.0.113.9
check "IPv6 client" 127.0.0.1 "2001:db8::7" 2001:db8::7
check "an untrusted peer's header" 127.0.0.2 "203.0.113.7" 127.0.0.2
check "a malformed header" 127.0.0.1 "203.0.113.7, not-an-address" 127.0.0.1
check "an address with a port" 127.0.0.1 "203.0.113.7:5555" 127.0.0.1
check "an empty hop" 127.0.0.1 "203.0.113.7,," 127.0.0.1
check "no header" 127.0.0.1 "" 127.0.0.1
# Two headers: libmicrohttpd would give the first, the client's.
name="who$RANDOM"
curl -s -o /dev/null --interface 127.0.0.1 -H "X-Forwarded-For: 192.0.2.1" -H "X-Forwarded-For: 203.0.113.5" \
  -H 'Content-Type: application/json' --data-binary "{\"name\":\"$name\",\"password\":\"wrong-guess-1\"}" \
  "$URL/api/v1/session"
got=$(audited "$name")
[ "$got" = 127.0.0.1 ] && ok "two headers: audited as the peer" || fail "two headers: audited as '$got'"

echo "== two clients behind the proxy have separate allowances"
# 203.0.113.20 spends its 30 a minute and more at once (it gets one more
# every 2 s)...
pids=()
for i in $(seq 1 34); do
  attempt 127.0.0.1 203.0.113.20 "spend$i" > "$WORK/a.$i" &
  pids+=($!)
done
sleep 0.5
code=$(attempt 127.0.0.1 203.0.113.20 spend-more)
[ "$code" = 429 ] && ok "203.0.113.20 is refused 429" || fail "203.0.113.20 after its allowance: $code"
# ...while 203.0.113.21 behind the same proxy, at the same moment, passes
# its own limit: its password is checked (401) or waits for the busy
# checks (503), but it is not refused for an address it shares.
code=$(attempt 127.0.0.1 203.0.113.21 someone)
case $code in
  401|503) ok "203.0.113.21 has its own allowance: $code" ;;
  *) fail "203.0.113.21: $code" ;;
esac
wait "${pids[@]}"
codes=$(cat "$WORK"/a.* | grep -o '[0-9]\{3\}' | sort | uniq -c | tr -s ' \n' ' ')
echo "203.0.113.20's burst: $codes"

srv_alive || fail "lobbyd stopped"
srv_finish
