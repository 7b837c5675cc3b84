#!/usr/bin/env bash
# server.slow_clients_tls: stalled TLS handshakes do not keep lobbyd busy.
#
#   slow_clients_tls_test.sh LOBBYD
#
# lobbyd with [tls] and 20 connections that sent one byte of a TLS record
# and then nothing: over 3 s lobbyd uses at most 0.5 s of CPU (with
# libmicrohttpd 0.9.75 under epoll each stalled handshake kept a thread
# spinning: about a core for as long as they stay), a client with the CA
# still gets /healthz, and the stalled ones are closed by the request
# deadline (2 s here).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
. "$HERE/tls_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
C="$WORK/certs"
mkdir -p "$C"
tls_ca "$C" ca && tls_server_cert "$C" ca s1 1001 ||
  { echo "cannot make certificates"; cat "$C/openssl.log"; exit 1; }
cat > "$WORK/lobbyd.ini" <<INI
[server]
database = $WORK/lobby.db
[limits]
request_deadline_s = 2
[tls]
cert = $C/s1.crt
key = $C/s1.key
INI
srv_start -- --config "$WORK/lobbyd.ini" || { echo "lobbyd did not start"; cat "$WORK/log"; exit 1; }

cpu_ticks() { # user + system time of $PID in clock ticks
  local rest
  rest=$(sed 's/^.*) //' "/proc/$PID/stat")
  set -- $rest
  echo $(( ${12} + ${13} ))
}

fds=()
for i in $(seq 1 20); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
  printf '\x16' >&"$fd"
  fds+=("$fd")
done
sleep 0.3
before=$(cpu_ticks)
sleep 3
after=$(cpu_ticks)
hz=$(getconf CLK_TCK)
used=$(( (after - before) * 1000 / hz ))
if [ "$used" -le 500 ]; then
  ok "20 stalled handshakes: lobbyd used ${used} ms of CPU in 3 s"
else
  fail "20 stalled handshakes: lobbyd used ${used} ms of CPU in 3 s (at most 500)"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$C/ca.crt" \
  "https://127.0.0.1:$PORT/healthz")
[ "$code" = 200 ] && ok "/healthz over https meanwhile" || fail "/healthz over https: $code"
# Past the deadline (2 s) and a sweep, every stalled one was closed: a
# read sees the end at once.
open=0
for fd in "${fds[@]}"; do
  timeout 0.2 cat <&"$fd" >/dev/null 2>&1
  [ $? = 124 ] && open=$((open + 1))
  exec {fd}<&-
done
[ "$open" = 0 ] && ok "stalled handshakes closed by the deadline" ||
  fail "$open stalled handshakes still open 3.3 s in"
srv_stop
[ "$FAILURES" = 0 ] || { echo "$FAILURES failures"; exit 1; }
echo "all passed"
