#!/usr/bin/env bash
# The feed's 304 path through nginx to two lobbyd instances on one
# PostgreSQL, next to the same nginx serving a static file of the feed's
# size with its own ETag, and next to one lobbyd reached directly: wrk,
# same threads, connections and duration, ROUNDS alternating rounds,
# medians.  Runs under tests/support/with_postgres.sh (LOBBY_TEST_PG).
#
#   feed_two_instances.sh LOBBYD [ROUNDS] [SECONDS]
set -euo pipefail
LOBBYD=${1:?usage: $0 LOBBYD [ROUNDS] [SECONDS]}
ROUNDS=${2:-3}
SECONDS_PER_RUN=${3:-5}
THREADS=2
CONNECTIONS=64
HERE=$(cd "$(dirname "$0")" && pwd)
[ -n "${LOBBY_TEST_PG:-}" ] || { echo "run under tests/support/with_postgres.sh" >&2; exit 2; }
. "$HERE/../support/lobbyd_fixture.sh"
# Every client (wrk, nginx) connects from 127.0.0.1: no per-address cap,
# or nginx's idle keep-alive connections would leave wrk none.
LOBBY_FIXTURE_INI=$'[limits]\nconnections_per_address = 0'
lobby_fixture_start "$LOBBYD"

# Instance B on the fixture's database.
"$LOBBYD" serve --config "$LOBBY_TMP/lobbyd.ini" --db "$LOBBY_DB" --listen 127.0.0.1:0 \
  > "$LOBBY_TMP/b.out" 2>> "$LOBBY_TMP/b.log" &
b_pid=$!
for _ in $(seq 100); do
  b_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$LOBBY_TMP/b.out")
  [ -n "$b_port" ] && break
  sleep 0.05
done
[ -n "$b_port" ] || { echo "instance B did not start" >&2; exit 1; }

mkdir -p "$LOBBY_TMP/www"
chmod 755 "$LOBBY_TMP" "$LOBBY_TMP/www"
auth="Authorization: Bearer $LOBBY_KIOSK_TOKEN"
etag=$(curl -sS -D - -o "$LOBBY_TMP/www/feed.json" -H "$auth" "$LOBBY_SERVER/api/v1/feed" |
       tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
chmod 644 "$LOBBY_TMP/www/feed.json"

start_nginx() {
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    cat >"$LOBBY_TMP/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $LOBBY_TMP/nginx.pid;
error_log $LOBBY_TMP/nginx.err;
events { worker_connections 4096; }
http {
  access_log off;
  upstream lobbyd { server 127.0.0.1:$LOBBY_PORT; server 127.0.0.1:$b_port; keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://lobbyd;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
  server { listen 127.0.0.1:$((port + 1)); root $LOBBY_TMP/www; etag on; }
}
CONF
    nginx -c "$LOBBY_TMP/nginx.conf" 2>>"$LOBBY_TMP/nginx.err" &
    nginx_pid=$!
    for _ in $(seq 30); do
      curl -fsS -o /dev/null "http://127.0.0.1:$((port + 1))/feed.json" 2>/dev/null && return 0
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$nginx_pid" 2>/dev/null || true
  done
  echo "nginx did not start" >&2
  exit 1
}
nginx_pid=
trap '[ -n "$nginx_pid" ] && kill $nginx_pid 2>/dev/null; kill $b_pid 2>/dev/null; lobby_fixture_stop' EXIT
start_nginx
static_etag=$(curl -sS -D - -o /dev/null "http://127.0.0.1:$((port + 1))/feed.json" | tr -d '\r' |
              sed -n 's/^[Ee][Tt][Aa][Gg]: //p')

check_304() {
  local got
  got=$(curl -sS -o /dev/null -w '%{http_code}' "$@")
  [ "$got" = 304 ] || { echo "expected 304 from $*, got $got" >&2; exit 1; }
}
through="http://127.0.0.1:$port/api/v1/feed"
check_304 "$through" -H "$auth" -H "If-None-Match: $etag"
check_304 "http://127.0.0.1:$b_port/api/v1/feed" -H "$auth" -H "If-None-Match: $etag"
check_304 "http://127.0.0.1:$((port + 1))/feed.json" -H "If-None-Match: $static_etag"

wrk_run() {   # wrk_run NAME URL HEADER...: appends "rps p99_ms"
  local name=$1 url=$2 out
  shift 2
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${args[@]}" "$url")
  grep -q "Non-2xx or 3xx" <<<"$out" && { echo "$name: wrong statuses" >&2; echo "$out" >&2; exit 1; }
  echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")" >> "$LOBBY_TMP/$name"
}
for _ in $(seq "$ROUNDS"); do
  wrk_run two "$through" "$auth" "If-None-Match: $etag"
  wrk_run one "$LOBBY_SERVER/api/v1/feed" "$auth" "If-None-Match: $etag"
  wrk_run static "http://127.0.0.1:$((port + 1))/feed.json" "If-None-Match: $static_etag"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$LOBBY_TMP/$1" | median; }
echo "Feed 304 on PostgreSQL: wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, $ROUNDS alternating rounds (median), nginx and both lobbyd on this machine"
echo
echo "| path | req/s | p99 ms |"
echo "|---|---:|---:|"
printf '| nginx → 2 lobbyd instances | %.0f | %.2f |\n' "$(col two 1)" "$(col two 2)"
printf '| 1 lobbyd, direct | %.0f | %.2f |\n' "$(col one 1)" "$(col one 2)"
printf '| nginx static file (same size, its ETag) | %.0f | %.2f |\n' "$(col static 1)" "$(col static 2)"
