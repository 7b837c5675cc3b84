#!/usr/bin/env bash
# Conditional feed polling: wrk against lobbyd's GET /api/v1/feed with a
# current If-None-Match (the 304 path) and a stale one (the 200 path), and
# against nginx serving a static file of the same size with its own ETag.
# Each is measured in clear and over TLS: a second lobbyd on the same
# database with [tls], and nginx's ssl listener, both with one certificate
# made here.  Same threads, connections and duration; the runs alternate
# ROUNDS times and the table gives the median of each.
#
# A second table asks both at fixed rates, open loop (fixed_rate_client,
# built beside LOBBYD's build: BUILD/tests/bench), pinned as below: at
# half, 80 % and 90 % of what nginx served flat out on that path, so both
# are compared at the same offered load, each request timed from when it
# was due.
#
#   feed_vs_nginx.sh LOBBYD [ROUNDS] [SECONDS]
set -euo pipefail
LOBBYD=${1:?usage: $0 LOBBYD [ROUNDS] [SECONDS]}
ROUNDS=${2:-3}
SECONDS_PER_RUN=${3:-5}
THREADS=2
CONNECTIONS=64
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../support/lobbyd_fixture.sh"
. "$HERE/../server/tls_lib.sh"
lobby_fixture_start "$LOBBYD"

# The same certificate for both servers.
certs="$LOBBY_TMP/certs"
mkdir -p "$certs"
tls_ca "$certs" ca && tls_server_cert "$certs" ca server 1001 ||
  { echo "cannot make certificates:" >&2; cat "$certs/openssl.log" >&2; exit 1; }
chmod 755 "$certs"

# A second lobbyd serving the fixture's database over TLS.
start_lobbyd_tls() {
  printf '[server]\ndatabase = %s\n\n[tls]\ncert = %s\nkey = %s\n' \
    "$LOBBY_DB" "$certs/server.crt" "$certs/server.key" > "$LOBBY_TMP/tls.ini"
  chmod 600 "$certs/server.key"
  "$LOBBYD" serve --config "$LOBBY_TMP/tls.ini" --listen 127.0.0.1:0 \
    > "$LOBBY_TMP/tls.out" 2>> "$LOBBY_TMP/lobbyd-tls.log" &
  tls_pid=$!
  for _ in $(seq 100); do
    tls_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$LOBBY_TMP/tls.out")
    [ -n "$tls_port" ] && return 0
    sleep 0.05
  done
  echo "the TLS lobbyd did not start:" >&2
  cat "$LOBBY_TMP/lobbyd-tls.log" >&2
  exit 1
}
tls_pid=
start_lobbyd_tls

feed="$LOBBY_TMP/www/feed.json"
mkdir -p "$LOBBY_TMP/www"
chmod 755 "$LOBBY_TMP" "$LOBBY_TMP/www"
etag=$(curl -sS -D - -o "$feed" -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" \
       "$LOBBY_SERVER/api/v1/feed" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
chmod 644 "$feed"

# nginx cannot pick its own port: try random free-looking ones until it binds.
start_nginx() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    nginx_port=$((20000 + RANDOM % 40000))
    cat >"$LOBBY_TMP/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $LOBBY_TMP/nginx.pid;
error_log $LOBBY_TMP/nginx.err;
events { worker_connections 4096; }
http {
  access_log off;
  # Kiosks keep one connection open all day; nginx would close each after
  # 1,000 requests by default.  lobbyd closes none.
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $LOBBY_TMP/www; etag on; }
  server {
    listen 127.0.0.1:$((nginx_port + 1)) ssl;
    ssl_certificate $certs/server.crt;
    ssl_certificate_key $certs/server.key;
    root $LOBBY_TMP/www;
    etag on;
  }
}
CONF
    nginx -c "$LOBBY_TMP/nginx.conf" 2>>"$LOBBY_TMP/nginx.err" &
    nginx_pid=$!
    for _ in $(seq 30); do
      curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/feed.json" 2>/dev/null && return 0
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  done
  echo "nginx did not start:" >&2
  cat "$LOBBY_TMP/nginx.err" >&2
  exit 1
}
nginx_pid=
trap '[ -n "$nginx_pid" ] && kill $nginx_pid 2>/dev/null; [ -n "$tls_pid" ] && kill $tls_pid 2>/dev/null; lobby_fixture_stop' EXIT
start_nginx
nginx_etag=$(curl -sS -D - -o /dev/null "http://127.0.0.1:$nginx_port/feed.json" | tr -d '\r' |
             sed -n 's/^[Ee][Tt][Aa][Gg]: //p')

# A paced run: each connection waits PACE_MS after each answer, so both
# servers are asked at about the same rate, below what either can serve.
# Run flat out, the faster server leaves wrk less CPU on two cores and
# wrk's own queueing lands in that server's latency; paced, p99 compares
# the servers at equal load.
PACE_MS=${PACE_MS:-1}
# PINNED=0 leaves the pinned runs out (one core only, or no taskset).
PINNED=${PINNED:-1}
[ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null || PINNED=0
printf 'function delay()\n  return %s\nend\n' "$PACE_MS" > "$LOBBY_TMP/paced.lua"

# A pinned run: both servers (every thread and worker) on CPU 0, wrk on
# CPU 1.  Flat out, with no CPU shared between client and server, wrk's
# queueing stays out of either server's latency, and each server has
# exactly one core: its throughput and p99 compare like for like.
SERVER_CPU=0 CLIENT_CPU=1
server_pids() {
  echo "$LOBBY_PID $tls_pid $nginx_pid"
  pgrep -P "$nginx_pid" || true
}
pin_servers() {
  local pid
  for pid in $(server_pids); do taskset -a -p -c "$1" "$pid" >/dev/null; done
}
# wrk_run NAME URL [HEADER...]: appends "rps p99_ms" for NAME, checks
# statuses.  A NAME ending in -paced runs with paced.lua; one ending in
# -pinned runs wrk on CLIENT_CPU (the caller pins the servers).
wrk_run() {
  local name=$1 url=$2 out
  shift 2
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  local pin=()
  case "$name" in
    *-paced) args+=(-s "$LOBBY_TMP/paced.lua") ;;
    *-pinned) pin=(taskset -c "$CLIENT_CPU") ;;
  esac
  out=$("${pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${args[@]}" "$url")
  if grep -q "Non-2xx or 3xx" <<<"$out"; then
    echo "$name: wrong statuses:" >&2
    echo "$out" >&2
    exit 1
  fi
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99" >>"$LOBBY_TMP/$name"
}

# check_status WANT URL [CURL-ARG...]: each side answers as claimed before
# it is measured.
check_status() {
  local want=$1 url=$2 got
  shift 2
  got=$(curl -sS -o /dev/null -w '%{http_code}' "$@" "$url")
  [ "$got" = "$want" ] || { echo "expected $want from $url, got $got" >&2; exit 1; }
}
auth="Authorization: Bearer $LOBBY_KIOSK_TOKEN"
check_status 304 "$LOBBY_SERVER/api/v1/feed" -H "$auth" -H "If-None-Match: $etag"
check_status 200 "$LOBBY_SERVER/api/v1/feed" -H "$auth" -H 'If-None-Match: "stale"'
check_status 304 "http://127.0.0.1:$nginx_port/feed.json" -H "If-None-Match: $nginx_etag"
check_status 200 "http://127.0.0.1:$nginx_port/feed.json" -H 'If-None-Match: "stale"'
lobbyd_tls="https://127.0.0.1:$tls_port/api/v1/feed"
nginx_tls="https://127.0.0.1:$((nginx_port + 1))/feed.json"
check_status 304 "$lobbyd_tls" --cacert "$certs/ca.crt" -H "$auth" -H "If-None-Match: $etag"
check_status 304 "$nginx_tls" --cacert "$certs/ca.crt" -H "If-None-Match: $nginx_etag"

# fixed_run NAME RATE URL [CLIENT-ARG...]: appends "p99_ms late" for
# NAME at RATE requests/s, the client on CLIENT_CPU (servers pinned).
FIXED_CLIENT=$(cd "$(dirname "$LOBBYD")/.." && pwd)/tests/bench/fixed_rate_client
FIXED_FRACTIONS=${FIXED_FRACTIONS:-0.5 0.8 0.9}
fixed_run() {
  local name=$1 rate=$2 url=$3 out
  shift 3
  out=$(taskset -c "$CLIENT_CPU" "$FIXED_CLIENT" "$url" "$rate" "$SECONDS_PER_RUN" "$CONNECTIONS" "$@") ||
    { echo "$name at $rate/s: $out" >&2; exit 1; }
  awk '{print $14, $6}' <<<"$out" >>"$LOBBY_TMP/$name-$rate"
}

for _ in $(seq "$ROUNDS"); do
  wrk_run lobbyd-304 "$LOBBY_SERVER/api/v1/feed" "$auth" "If-None-Match: $etag"
  wrk_run nginx-304 "http://127.0.0.1:$nginx_port/feed.json" "If-None-Match: $nginx_etag"
  wrk_run lobbyd-200 "$LOBBY_SERVER/api/v1/feed" "$auth" 'If-None-Match: "stale"'
  wrk_run nginx-200 "http://127.0.0.1:$nginx_port/feed.json" 'If-None-Match: "stale"'
  wrk_run lobbyd-tls-304 "$lobbyd_tls" "$auth" "If-None-Match: $etag"
  wrk_run nginx-tls-304 "$nginx_tls" "If-None-Match: $nginx_etag"
  wrk_run lobbyd-304-paced "$LOBBY_SERVER/api/v1/feed" "$auth" "If-None-Match: $etag"
  wrk_run nginx-304-paced "http://127.0.0.1:$nginx_port/feed.json" "If-None-Match: $nginx_etag"
  wrk_run lobbyd-tls-304-paced "$lobbyd_tls" "$auth" "If-None-Match: $etag"
  wrk_run nginx-tls-304-paced "$nginx_tls" "If-None-Match: $nginx_etag"
  if [ "$PINNED" = 1 ]; then
    pin_servers "$SERVER_CPU"
    wrk_run lobbyd-304-pinned "$LOBBY_SERVER/api/v1/feed" "$auth" "If-None-Match: $etag"
    wrk_run nginx-304-pinned "http://127.0.0.1:$nginx_port/feed.json" "If-None-Match: $nginx_etag"
    wrk_run lobbyd-200-pinned "$LOBBY_SERVER/api/v1/feed" "$auth" 'If-None-Match: "stale"'
    wrk_run nginx-200-pinned "http://127.0.0.1:$nginx_port/feed.json" 'If-None-Match: "stale"'
    wrk_run lobbyd-tls-304-pinned "$lobbyd_tls" "$auth" "If-None-Match: $etag"
    wrk_run nginx-tls-304-pinned "$nginx_tls" "If-None-Match: $nginx_etag"
    pin_servers "0-$(($(nproc) - 1))"
  fi
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$LOBBY_TMP/$1" | median; }

echo "Feed polling: wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, $ROUNDS alternating rounds (median), body $(wc -c <"$feed") bytes; -paced: ${PACE_MS} ms between a connection's requests; -pinned: both servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU"
echo
echo "| path | lobbyd req/s | nginx req/s | lobbyd/nginx | lobbyd p99 ms | nginx p99 ms |"
echo "|---|---:|---:|---:|---:|---:|"
paths="304 200 tls-304 304-paced tls-304-paced"
[ "$PINNED" = 1 ] && paths="$paths 304-pinned 200-pinned tls-304-pinned"
for path in $paths; do
  l=$(col "lobbyd-$path" 1); n=$(col "nginx-$path" 1)
  lp=$(col "lobbyd-$path" 2); np=$(col "nginx-$path" 2)
  awk -v p="$path" -v l="$l" -v n="$n" -v lp="$lp" -v np="$np" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.2f | %.2f | %.2f |\n", p, l, n, l / n, lp, np }'
done

if [ "$PINNED" != 1 ] || [ ! -x "$FIXED_CLIENT" ]; then
  echo
  echo "No fixed-rate table: it needs two cores and taskset (PINNED=1) and $FIXED_CLIENT."
  exit 0
fi

# The rates: fractions of nginx's flat-out pinned median on each path.
rates_of() { local n; n=$(col "nginx-$1-pinned" 1); for f in $FIXED_FRACTIONS; do awk -v n="$n" -v f="$f" 'BEGIN { printf "%d ", n * f }'; done; }
rates_304=$(rates_of 304) rates_200=$(rates_of 200) rates_tls=$(rates_of tls-304)
pin_servers "$SERVER_CPU"
for _ in $(seq "$ROUNDS"); do
  for rate in $rates_304; do
    fixed_run lobbyd-304 "$rate" "$LOBBY_SERVER/api/v1/feed" -H "$auth" -H "If-None-Match: $etag"
    fixed_run nginx-304 "$rate" "http://127.0.0.1:$nginx_port/feed.json" -H "If-None-Match: $nginx_etag"
  done
  for rate in $rates_200; do
    fixed_run lobbyd-200 "$rate" "$LOBBY_SERVER/api/v1/feed" -H "$auth" -H 'If-None-Match: "stale"'
    fixed_run nginx-200 "$rate" "http://127.0.0.1:$nginx_port/feed.json" -H 'If-None-Match: "stale"'
  done
  for rate in $rates_tls; do
    fixed_run lobbyd-tls-304 "$rate" "$lobbyd_tls" --cafile "$certs/ca.crt" -H "$auth" -H "If-None-Match: $etag"
    fixed_run nginx-tls-304 "$rate" "$nginx_tls" --cafile "$certs/ca.crt" -H "If-None-Match: $nginx_etag"
  done
done
pin_servers "0-$(($(nproc) - 1))"

echo
echo "Fixed rates, open loop (fixed_rate_client, $CONNECTIONS connections, ${SECONDS_PER_RUN}s after 1 s of warm-up, $ROUNDS alternating rounds, median): both servers on CPU $SERVER_CPU, the client on CPU $CLIENT_CPU; each request timed from when it was due. Rates: ${FIXED_FRACTIONS// /, } of nginx's pinned flat-out median on that path. Late: requests still unanswered 200 ms after the run (worst round)."
echo
echo "| path | rate req/s | lobbyd p99 ms | nginx p99 ms | lobbyd late | nginx late |"
echo "|---|---:|---:|---:|---:|---:|"
worst() { awk -v c="$2" '$c > m {m = $c} END {print m + 0}' "$LOBBY_TMP/$1"; }
for pair in "304:$rates_304" "200:$rates_200" "tls-304:$rates_tls"; do
  path=${pair%%:*}
  for rate in ${pair#*:}; do
    awk -v p="$path" -v r="$rate" -v lp="$(col "lobbyd-$path-$rate" 1)" -v np="$(col "nginx-$path-$rate" 1)" \
        -v ll="$(worst "lobbyd-$path-$rate" 2)" -v nl="$(worst "nginx-$path-$rate" 2)" \
      'BEGIN { printf "| %s | %d | %.2f | %.2f | %d | %d |\n", p, r, lp, np, ll, nl }'
  done
done
