#!/usr/bin/env bash
# pg.outage (issue 13): lobbyd on PostgreSQL, the database stopped for
# 8 s under it, as systemd would run it (notify socket, a 4 s watchdog).
# Shown: lobbyd stays up and keeps pinging the watchdog (a restart would
# not bring the database back, and would drop the kiosks' cached feeds);
# a kiosk's feed is still served from the cache; a write answers 503
# database_unavailable with its message and /healthz 503; the outage is
# logged once per connection, not at every attempt (at most one a
# second); once PostgreSQL is back, /healthz and writes work again by
# themselves and the return is logged.  Before that, with the notices
# table locked by another session, long-polls still end on time.
#
# Runs under tests/support/with_postgres.sh.
#
#   pg_outage_test.sh LOBBYD NOTIFY_LISTEN
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
[ -n "${LOBBY_TEST_PG_DIR:-}" ] || { echo "SKIP: run under tests/support/with_postgres.sh"; exit 77; }
srv_init "${1:?usage: $0 LOBBYD NOTIFY_LISTEN}"
LISTEN=${2:?usage: $0 LOBBYD NOTIFY_LISTEN}
CLUSTER="$HERE/../support/pg_cluster.sh"
cd "$WORK" || exit 1
DB=$("$CLUSTER" createdb "$LOBBY_TEST_PG" "outage_$$") || { echo "FAIL: createdb"; exit 1; }
TOKEN=$("$LOBBYD" admin-token --db "$DB" --name admin 2>> log) || { echo "FAIL: admin-token"; exit 1; }
SOCK="$WORK/notify.sock" MSG="$WORK/notify.txt"
"$LISTEN" "$SOCK" >> "$MSG" &
NOTIFY_PID=$!
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.05; done
srv_start env NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=4000000 -- --db "$DB" ||
  { echo "FAIL: lobbyd did not start"; cat log; exit 1; }
wait_for "$MSG" "READY=1" || fail "no READY=1"
api() { curl -s -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$URL$2"; }
api PUT /api/v1/directory "$(cat "$HERE/../../deploy/demo/directory.json")" > /dev/null
KIOSK=$(api POST /api/v1/kiosks '{"name":"lobby-1","building":"1"}' | jq -r .token)
curl -s -o /dev/null -H "Authorization: Bearer $KIOSK" "$URL/api/v1/feed"   # cached now

# A periodic job stuck on the database (the notices table locked by
# another session, as a schema change or VACUUM FULL would) does not hold
# up long-polls: a kiosk's 1 s long-poll still ends on time.
etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $KIOSK" "$URL/api/v1/feed" |
  tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
psql -X -q -v ON_ERROR_STOP=1 "$DB" -c "BEGIN; LOCK TABLE notices IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(5); COMMIT;" \
  > /dev/null 2>&1 &
LOCKER=$!
sleep 1.5   # the lock is held and the next periodic job waits behind it
polled=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $KIOSK" \
  -H "If-None-Match: $etag" "$URL/api/v1/feed?wait=1")
# A lock never taken would let this pass on any lobbyd: the locker must
# have held it for its 5 s.
wait "$LOCKER" || fail "the other session could not lock the notices table"
awk -v p="$polled" 'BEGIN { split(p, f, " "); exit !(f[1] == 304 && f[2] < 1.8) }' &&
  ok "a 1 s long-poll with a periodic job stuck on a lock: $polled s" ||
  fail "a 1 s long-poll with a periodic job stuck on a lock answered $polled s"

"$CLUSTER" pause "$LOBBY_TEST_PG_DIR" || { fail "could not stop PostgreSQL"; srv_finish; }
pings_before=$(grep -cx "WATCHDOG=1" "$MSG")
lines_before=$(wc -l < log)
answer=$(api POST /api/v1/notices '{"title":"停电","body":"x","category":"outage"}')
jq -e '.error.code == "database_unavailable" and (.error.message | test("try again"))' <<<"$answer" > /dev/null &&
  ok "a write with the database down: 503 database_unavailable, \"$(jq -r .error.message <<<"$answer")\"" ||
  fail "a write with the database down answered: $answer"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KIOSK" "$URL/api/v1/feed")
[ "$code" = 200 ] && ok "the kiosk's feed is still served from the cache" || fail "the feed with the database down: $code"
sleep 2.5   # past the health probe's interval
code=$(curl -s -o health.json -w '%{http_code}' "$URL/healthz")
[ "$code" = 503 ] && ok "/healthz: 503 $(head -c 120 health.json)" || fail "/healthz with the database down: $code"
sleep 5.5
pings=$(( $(grep -cx "WATCHDOG=1" "$MSG") - pings_before ))
[ "$pings" -ge 3 ] && ok "$pings watchdog pings during 8 s without the database: lobbyd is not restarted" ||
  fail "$pings watchdog pings during the outage: systemd would restart lobbyd"
kill -0 "$PID" 2>/dev/null && ok "lobbyd is still running" || fail "lobbyd exited"
# Each connection (the pool, the change listener, the rate limits) says
# once that it lost the database, not at every attempt.
lost=$(tail -n +"$((lines_before + 1))" log | grep -c "cannot connect to the database")
[ "$lost" -ge 1 ] && [ "$lost" -le 3 ] && ok "the outage logged $lost time(s) in 8 s of attempts, once per connection" ||
  fail "the outage logged $lost times in 8 s: $(grep 'cannot connect' log | head -3)"

"$CLUSTER" resume "$LOBBY_TEST_PG_DIR" || { fail "could not start PostgreSQL again"; srv_finish; }
back=
for i in $(seq 1 50); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" = 200 ]; then back=$i; break; fi
  sleep 0.2
done
[ -n "$back" ] && ok "/healthz 200 again $((back * 200)) ms after PostgreSQL was back" || fail "/healthz did not recover"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary '{"title":"恢复供电","body":"y","category":"outage"}' "$URL/api/v1/notices")
[ "$code" = 201 ] && ok "writes work again by themselves: 201" || fail "a write after the outage: $code"
grep -q "postgresql: connected to the database again after" log && ok "the return is logged: $(grep -o 'postgresql: connected to the database again after [0-9]* s' log | head -1)" ||
  fail "no log line for the database's return"
srv_finish
