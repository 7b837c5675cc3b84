#!/usr/bin/env bash
# pg.instances (issue 13): two lobbyd instances on one PostgreSQL behind
# the shipped deploy/nginx/lobby.conf (its upstream given both).  Shown:
# a notice posted to instance A wakes a feed long-poll waiting on B; the
# console's counters read the same on both; a console session made on A
# works on B; sign-in tries spread over A and B count against one limit;
# then, while submitters file repairs through nginx as kiosks do (each
# retried with its Idempotency-Key until acknowledged), A is SIGKILLed:
# every acknowledged repair is stored exactly once, nothing is stored
# twice, and the submitters carry on through B.
#
# Runs under tests/support/with_postgres.sh (LOBBY_TEST_PG); skipped (77)
# without it or without nginx.
#
#   pg_instances_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
. "$HERE/tls_lib.sh"
[ -n "${LOBBY_TEST_PG:-}" ] || { echo "SKIP: run under tests/support/with_postgres.sh"; exit 77; }
. "$HERE/nginx_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1
DB=$("$HERE/../support/pg_cluster.sh" createdb "$LOBBY_TEST_PG" "instances_$$") ||
  { echo "FAIL: createdb"; exit 1; }
TOKEN=$("$LOBBYD" admin-token --db "$DB" --name admin 2>> "$WORK/log") ||
  { echo "FAIL: admin-token"; cat "$WORK/log"; exit 1; }
echo 'front-desk-pass-1' | "$LOBBYD" set-password --db "$DB" --name frontdesk --role front_desk 2>> "$WORK/log" ||
  { echo "FAIL: set-password"; cat "$WORK/log"; exit 1; }
printf '[server]\ntrusted_proxies = 127.0.0.1\n[limits]\nkiosk_submissions_per_minute = 100000\n' > lobbyd.ini

# Two instances: A and B.  srv_start keeps one in $PID/$PORT, so take A's
# and start B.
LOG=$WORK/a.log srv_start -- --config lobbyd.ini --db "$DB" || { echo "FAIL: A did not start"; cat a.log; exit 1; }
A_PID=$PID A_PORT=$PORT A_URL=$URL
LOG=$WORK/b.log srv_start -- --config lobbyd.ini --db "$DB" || { echo "FAIL: B did not start"; cat b.log; exit 1; }
B_PID=$PID B_PORT=$PORT B_URL=$URL
PID=$B_PID

mkdir -p certs && tls_ca certs ca && tls_server_cert certs ca server 2001 ||
  { echo "FAIL: certificates"; cat certs/openssl.log; exit 1; }
trap '[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; kill "$A_PID" 2>/dev/null; srv_cleanup' EXIT
start_nginx "$A_PORT" "$B_PORT"
LB="https://127.0.0.1:$HTTPS_PORT"
grep -c "server 127.0.0.1:" lobby.conf | grep -qx 2 && ok "nginx balances over A ($A_PORT) and B ($B_PORT)" ||
  fail "the upstream does not name both instances"

api() {   # api URL METHOD PATH [BODY]: a staff call, prints the body
  curl -s --cacert certs/ca.crt -X "$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${4:+--data-binary "$4"} "$1$3"
}
api "$LB" PUT /api/v1/directory "$(cat "$HERE/../../deploy/demo/directory.json")" > /dev/null
KIOSK=$(api "$LB" POST /api/v1/kiosks '{"name":"lobby-1","building":"1","group":"east"}' | jq -r '.token // empty')
[ -n "$KIOSK" ] || { fail "cannot enrol a kiosk through nginx"; srv_finish; }

# 1. A notice posted to A wakes a feed long-poll waiting on B.
etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $KIOSK" "$B_URL/api/v1/feed" |
       tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
curl -s -o feed.json -w '%{http_code}' --max-time 40 -H "Authorization: Bearer $KIOSK" \
  -H "If-None-Match: $etag" "$B_URL/api/v1/feed?wait=30" > feed.code &
poll=$!
sleep 1
start=$(date +%s%N)
api "$A_URL" POST /api/v1/notices '{"title":"两台服务器","body":"A 发布，B 唤醒","category":"other"}' > /dev/null
wait "$poll"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$(cat feed.code)" = 200 ] && jq -e '.notices[] | select(.title == "两台服务器")' feed.json > /dev/null; then
  ok "a notice posted to A woke the long-poll waiting on B ($ms ms from the post)"
else
  fail "the long-poll on B: $(cat feed.code) after $ms ms, feed $(head -c 200 feed.json)"
fi

# 2. The console's counters read the same on both instances.
sleep 0.3
ea=$(api "$A_URL" GET /api/v1/events) eb=$(api "$B_URL" GET /api/v1/events)
[ -n "$ea" ] && [ "$ea" = "$eb" ] && ok "the console's counters are the same on A and B: $ea" ||
  fail "counters differ: A $ea, B $eb"

# 3. A console session made on A works on B.
curl -s -c jar -o /dev/null -H 'Content-Type: application/json' \
  --data-binary '{"name":"frontdesk","password":"front-desk-pass-1"}' "$A_URL/api/v1/session"
code=$(curl -s -b jar -o /dev/null -w '%{http_code}' "$B_URL/api/v1/session")
[ "$code" = 200 ] && ok "a console session signed in on A is valid on B" || fail "the session on B: $code"

# 4. Sign-in tries for one name spread over A and B share one allowance
# (5 a minute): the sixth, wherever it goes, is refused.
codes=""
for i in 1 2 3 4 5 6; do
  url=$A_URL; [ $((i % 2)) = 0 ] && url=$B_URL
  codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary '{"name":"nobody-here","password":"wrong-guess-1"}' "$url/api/v1/session")"
done
case $codes in
  " 401 401 401 401 401 429") ok "sign-in tries alternating A and B: 5 refused as wrong, the 6th limited" ;;
  *) fail "sign-in tries alternating A and B:$codes (want 401 ×5, then 429)" ;;
esac

# 5. Submitters through nginx while A is SIGKILLed.
SUBMITTERS=4 EACH=40
submit() {   # submit N: files EACH repairs, each retried until acknowledged
  local n=$1 i code phone key tries
  for i in $(seq 1 "$EACH"); do
    phone=$(printf '139%04d%04d' "$n" "$i") key="instances-test-$$-$n-$i" tries=0
    while :; do
      tries=$((tries + 1))
      code=$(curl -s --cacert certs/ca.crt --max-time 10 -o "ans-$n" -w '%{http_code}' \
        -H "Authorization: Bearer $KIOSK" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
        --data-binary "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\",\"phone\":\"$phone\",\"category\":\"water\",\"kind\":\"in_unit\",\"urgency\":\"normal\",\"preferred_time\":null,\"description\":\"压力测试 $n-$i\"}" \
        "$LB/api/v1/repairs")
      case $code in
        200|201) echo "$phone $(jq -r .ticket "ans-$n")" >> acked; break ;;
        *) echo "$code" >> retried; [ "$tries" -ge 50 ] && { echo "$phone GAVE-UP" >> acked; break; }
           sleep 0.2 ;;
      esac
    done
  done
}
: > acked; : > retried
pids=()
for n in $(seq 1 $SUBMITTERS); do submit "$n" & pids+=($!); done
sleep 1.5
kill -9 "$A_PID"; wait "$A_PID" 2>/dev/null; A_PID=
killed_at=$(wc -l < acked)
for p in "${pids[@]}"; do wait "$p"; done
total=$((SUBMITTERS * EACH))
acked_n=$(grep -vc GAVE-UP acked)
[ "$killed_at" -gt 0 ] && [ "$killed_at" -lt "$total" ] && ok "A was SIGKILLed after $killed_at of $total acknowledgements" ||
  fail "A was killed after $killed_at of $total: not in the middle"
[ "$acked_n" = "$total" ] && ok "all $total repairs acknowledged ($(wc -l < retried) tries retried, all through nginx)" ||
  fail "$acked_n of $total acknowledged; $(grep -c GAVE-UP acked) gave up"
psql -X -A -t -q "$DB" -c "SELECT phone, ticket FROM repairs ORDER BY phone" > stored
dups=$(cut -d'|' -f1 stored | sort | uniq -d | wc -l)
sort acked | tr ' ' '|' > acked.sorted
if [ "$dups" = 0 ] && cmp -s acked.sorted stored; then
  ok "every acknowledged repair is stored exactly once, with the ticket it was acknowledged with ($(wc -l < stored) rows)"
else
  fail "stored vs acknowledged differ: $dups duplicate phones; diff: $(diff acked.sorted stored | head -5)"
fi
code=$(curl -s --cacert certs/ca.crt -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KIOSK" "$LB/api/v1/feed")
[ "$code" = 200 ] && ok "with A dead, the feed still answers through nginx (B)" || fail "feed through nginx after the kill: $code"
srv_alive || fail "B stopped"
srv_finish
