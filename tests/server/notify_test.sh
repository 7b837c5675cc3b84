#!/usr/bin/env bash
# server.notify: lobbyd tells systemd what it does through sd_notify.
#
#   notify_test.sh LOBBYD NOTIFY_LISTEN
#
# NOTIFY_LISTEN (notify_listen.c) plays systemd's notification socket:
# READY=1 comes once /healthz answers, WATCHDOG=1 at half of
# WATCHDOG_USEC (and never without it), RELOADING=1 then READY=1 around
# SIGHUP, STOPPING=1 on SIGTERM.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD NOTIFY_LISTEN}"
LISTEN=${2:?usage: $0 LOBBYD NOTIFY_LISTEN}
SOCK="$WORK/notify.sock"
MSG="$WORK/notify.txt"
printf '[site]\nservice_phone = 400-800-1234\n' > "$WORK/lobbyd.ini"

"$LISTEN" "$SOCK" >> "$MSG" &
NOTIFY_PID=$!
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.05; done

echo "== READY once listening, with STATUS and MAINPID"
# A 4 s watchdog: a ping every 2 s.
srv_start env NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=4000000 -- --db "$WORK/lobby.db" \
  --config "$WORK/lobbyd.ini" || { echo "lobbyd did not start"; cat "$WORK/log"; exit 1; }
wait_for "$MSG" "READY=1" || fail "no READY=1"
curl -sf -o /dev/null "$URL/healthz" || fail "READY=1 sent but /healthz does not answer"
grep -qxF "READY=1|STATUS=serving on 127.0.0.1:$PORT|MAINPID=$PID" "$MSG" &&
  ok "READY=1 with STATUS and MAINPID=$PID" || fail "READY line: $(grep READY "$MSG")"
[ "$(grep -v WATCHDOG "$MSG" | head -1)" = "READY=1|STATUS=serving on 127.0.0.1:$PORT|MAINPID=$PID" ] ||
  fail "READY=1 is not the first message: $(head -1 "$MSG")"

echo "== WATCHDOG=1 at half the interval"
sleep 5.5
pings=$(grep -cx "WATCHDOG=1" "$MSG")
# The ticker runs once a second and pings when 2 s have passed since the
# last ping: 2 or 3 in 5.5 s (5 would be a ping every tick).
[ "$pings" -ge 2 ] && [ "$pings" -le 3 ] && ok "$pings watchdog pings in 5.5 s" ||
  fail "$pings watchdog pings in 5.5 s, wanted 2 or 3"

echo "== RELOADING=1 then READY=1 on SIGHUP"
printf '[site]\nservice_phone = 400-800-9999\n' > "$WORK/lobbyd.ini"
kill -HUP "$PID"
wait_for "$MSG" "RELOADING=1" || fail "no RELOADING=1"
grep -v WATCHDOG "$MSG" | sed -n 2p | grep -q "^RELOADING=1|STATUS=reloading the configuration|MONOTONIC_USEC=[0-9]*$" ||
  fail "RELOADING line: $(grep RELOADING "$MSG")"
sleep 0.3
[ "$(grep -v WATCHDOG "$MSG" | sed -n 3p)" = "READY=1|STATUS=serving on 127.0.0.1:$PORT|MAINPID=$PID" ] &&
  ok "RELOADING=1 then READY=1" || fail "after RELOADING: $(grep -v WATCHDOG "$MSG" | sed -n 3p)"
kill -0 "$PID" || fail "lobbyd died on SIGHUP"

echo "== STOPPING=1 on SIGTERM"
srv_stop
[ "$RC" = 0 ] || fail "lobbyd exited $RC on SIGTERM"
wait_for "$MSG" "STOPPING=1" && ok "STOPPING=1" || fail "no STOPPING=1"
grep -qxF "STOPPING=1|STATUS=stopping on signal 15" "$MSG" || fail "STOPPING line: $(grep STOPPING "$MSG")"
[ "$(tail -1 "$MSG")" = "STOPPING=1|STATUS=stopping on signal 15" ] ||
  fail "STOPPING=1 is not the last message: $(tail -1 "$MSG")"

echo "== no WATCHDOG=1 without WATCHDOG_USEC"
: > "$MSG"
srv_start env NOTIFY_SOCKET="$SOCK" -- --db "$WORK/lobby.db" || fail "lobbyd did not start again"
wait_for "$MSG" "READY=1" || fail "no READY=1 the second time"
sleep 1.5
grep -q WATCHDOG "$MSG" && fail "watchdog pings without WATCHDOG_USEC"
srv_stop
srv_finish
