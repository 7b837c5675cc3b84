#!/usr/bin/env bash
# The feed's 304 path under a sign-in flood (issue 11, attack 7): wrk
# measures GET /api/v1/feed with a current If-None-Match, first alone, then
# while RATE sign-ins a second (wrong passwords, each from its own address
# 127.10.x.y, so no address limit holds them back) arrive for the same
# time.  Prints feed p50/p90/p99 of both runs side by side and what the
# sign-ins were answered.
#
#   signin_bench.sh LOBBYD [SECONDS] [RATE]
set -euo pipefail
LOBBYD=${1:?usage: $0 LOBBYD [SECONDS] [RATE]}
SECONDS_PER_RUN=${2:-20}
RATE=${3:-40}
THREADS=2
CONNECTIONS=32
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"

auth="Authorization: Bearer $LOBBY_KIOSK_TOKEN"
etag=$(curl -sS -D - -o /dev/null -H "$auth" "$LOBBY_SERVER/api/v1/feed" | tr -d '\r' |
       sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
got=$(curl -sS -o /dev/null -w '%{http_code}' -H "$auth" -H "If-None-Match: $etag" "$LOBBY_SERVER/api/v1/feed")
[ "$got" = 304 ] || { echo "expected 304 from the feed, got $got" >&2; exit 1; }

# ms VALUE: wrk's "1.23ms" / "456.00us" / "1.02s" in milliseconds.
ms() {
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
                         else if (v ~ /ms$/) sub(/ms/, "", v)
                         else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
                         printf "%.2f", v }'
}

# feed_run NAME: wrk on the 304 path; "p50 p90 p99 rps" to $LOBBY_TMP/NAME.
feed_run() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "$auth" \
        -H "If-None-Match: $etag" "$LOBBY_SERVER/api/v1/feed")
  if grep -q "Non-2xx or 3xx" <<<"$out"; then
    echo "$1: wrong statuses:" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")") $(ms "$(awk '$1 == "90%" {print $2}' <<<"$out")")" \
       "$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") $(awk '/^Requests\/sec:/ {print $2}' <<<"$out")" \
       > "$LOBBY_TMP/$1"
}

# flood: RATE sign-ins each second for SECONDS_PER_RUN seconds, one curl a
# second with RATE parallel transfers, each from its own address.
flood() {
  local s j args
  for s in $(seq 1 "$SECONDS_PER_RUN"); do
    args=(-s -Z --parallel-max "$RATE")
    for j in $(seq 1 "$RATE"); do
      args+=(-s --interface "127.10.$s.$j" -o /dev/null -w '%{http_code}\n' --max-time 30
             -H 'Content-Type: application/json'
             --data-binary "{\"name\":\"bench-$s-$j\",\"password\":\"wrong-guess-1\"}"
             "$LOBBY_SERVER/api/v1/session")
      [ "$j" -lt "$RATE" ] && args+=(--next)
    done
    curl "${args[@]}" >> "$LOBBY_TMP/signins" &
    sleep 1
  done
  wait
}

feed_run alone
: > "$LOBBY_TMP/signins"
flood &
flood_pid=$!
feed_run flooded
wait "$flood_pid"

read -r a50 a90 a99 arps < "$LOBBY_TMP/alone"
read -r f50 f90 f99 frps < "$LOBBY_TMP/flooded"
echo "Feed 304 path: wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s; sign-ins: $RATE/s from distinct addresses for ${SECONDS_PER_RUN}s"
echo
echo "| feed 304 | alone | with $RATE sign-ins/s |"
echo "|---|---|---|"
echo "| p50 ms | $a50 | $f50 |"
echo "| p90 ms | $a90 | $f90 |"
echo "| p99 ms | $a99 | $f99 |"
echo "| requests/s | $arps | $frps |"
echo
echo "sign-ins answered: $(sort "$LOBBY_TMP/signins" | uniq -c | awk '{printf "%s%s x %s", sep, $2, $1; sep=", "}')"
