#!/usr/bin/env bash
# The chaos soak (issue 11): two real kiosks talk to a real lobbyd through
# chaos_proxy, which drops, resets, delays, truncates, corrupts and stalls
# connections at random, while the kiosks' scripts file repairs and visits
# (each with its own phone number) and staff post notices through the same
# proxy.  At the end the proxy turns clean, the outboxes drain, and
# check.sh shows every submission stored exactly once, no kiosk crashed,
# and no kiosk showed a feed lobbyd did not serve.
#
#   run.sh MINUTES KIOSK LOBBYD LOBBYCTL PROXY OUTDIR [SEED]
#
# Prints one summary line "chaos summary: ..." and exits 0 when all holds.
set -euo pipefail
MINUTES=$1 KIOSK=$2 LOBBYD=$3 LOBBYCTL=$4 PROXY=$5 OUT=$6 SEED=${7:-$(date +%s)}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"
rm -rf "$OUT" && mkdir -p "$OUT"
KIOSKS=2
ROUNDS=${CHAOS_ROUNDS:-3}   # submissions per kiosk run (each run is a fresh kiosk process)
proxy_pid= kiosk_pids=()

die() {
  echo "FAIL (chaos): $*" >&2
  exit 1
}

cleanup() {
  local p
  for p in "${kiosk_pids[@]}"; do
    pkill -9 -P "$p" 2>/dev/null || true # the loop's own kiosk, by parent PID
    kill -9 "$p" 2>/dev/null || true
  done
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  lobby_fixture_stop
}
trap cleanup EXIT

# The proxy in front of lobbyd.
"$PROXY" "$LOBBY_PORT" "$SEED" >"$OUT/proxy.out" 2>"$OUT/proxy.err" &
proxy_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$OUT/proxy.out" 2>/dev/null && break; sleep 0.05; done
PROXY_URL="http://$(sed -n 's/^listening on //p' "$OUT/proxy.out")"
[ "$PROXY_URL" != "http://" ] || die "the proxy did not start"
echo "chaos: seed $SEED, lobbyd $LOBBY_SERVER, proxy $PROXY_URL, $MINUTES min" >&2

# Kiosk k's token (kiosk 1 is the fixture's; the others are enrolled here).
TOKENS=("$LOBBY_KIOSK_TOKEN")
for k in $(seq 2 $KIOSKS); do
  TOKENS+=("$(lobby_api POST /api/v1/kiosks "{\"name\":\"chaos-$k\",\"building\":\"1\",\"group\":\"east\"}" -f | jq -r .token)")
done

# The versions lobbyd served, fetched directly after every change.
served_version() {
  curl -sS -f -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed" | jq -r .version >>"$OUT/served_versions"
}
served_version

# repair_steps PHONE / visit_steps PHONE: one submission from the notice
# board and back to it.  The answer may be a ticket or "queued": either
# way the item is in the outbox, and idling sends the screen home.
repair_steps() {
  cat <<EOF
wait "通知公告" 30000
tap "报修"
tap "1号楼"
tap "2单元"
tap "301"
tap "下一步"
tap "水管水龙头"
tap "下一步"
tap "普通"
tap "下一步"
tap "常用姓氏"
tap "张"
tap "先生"
tap "手机或电话"
type "$1"
tap "下一步"
tap "常用描述"
tap "水龙头漏水"
tap "下一步"
tap "确认提交"
sleep 2000
idle 600000
EOF
}

visit_steps() {
  cat <<EOF
wait "通知公告" 30000
tap "访客登记"
tap "填写访客信息"
tap "常用姓氏"
tap "李"
type "四"
tap "手机或电话"
type "$1"
tap "下一步"
tap "1号楼"
tap "1单元"
tap "202"
tap "下一步"
tap "探亲访友"
tap "下一步"
tap "没有开车，跳过"
tap "确认登记"
sleep 2000
idle 600000
EOF
}

# kiosk_loop K END: kiosk K runs scripts of ROUNDS submissions until END
# (epoch seconds), each run a fresh process on the same state directory;
# every phone a script submitted is appended to $OUT/submitted.  A run
# that does not exit 0 is recorded in $OUT/crashes.
kiosk_loop() {
  local k=$1 end=$2 n=0 run=0
  local state="$OUT/state-$k"
  while [ "$(date +%s)" -lt "$end" ]; do
    run=$((run + 1))
    local script="$OUT/script-$k-$run" phones=()
    : >"$script"
    for _ in $(seq 1 "$ROUNDS"); do
      n=$((n + 1))
      local phone
      phone=$(printf '138%d%07d' "$k" "$n")
      phones+=("$phone")
      if [ $((n % 2)) = 1 ]; then repair_steps "$phone"; else visit_steps "$phone"; fi >>"$script"
    done
    echo 'wait "通知公告" 30000' >>"$script"
    local rc=0
    "$KIOSK" --headless --size 1080x1920 --server "$PROXY_URL" --token "${TOKENS[$((k - 1))]}" \
      --state-dir "$state" --script "$script" >/dev/null 2>>"$OUT/kiosk-$k.log" || rc=$?
    if [ "$rc" != 0 ]; then
      echo "kiosk $k run $run exited $rc" >>"$OUT/crashes"
      return 0
    fi
    printf '%s\n' "${phones[@]}" >>"$OUT/submitted"
  done
}

END=$(($(date +%s) + MINUTES * 60))
: >"$OUT/submitted"
for k in $(seq 1 $KIOSKS); do
  kiosk_loop "$k" "$END" &
  kiosk_pids+=($!)
done

# Staff post a notice every few seconds through the same proxy.
notices=0 notice_failures=0
while [ "$(date +%s)" -lt "$END" ]; do
  sleep 7
  notices=$((notices + 1))
  if LOBBY_SERVER=$PROXY_URL "$LOBBYCTL" --server "$PROXY_URL" --token "$LOBBY_TOKEN" notice post \
       --title "混沌测试通知 $notices" --body "第 $notices 条" >/dev/null 2>>"$OUT/lobbyctl.log"; then
    :
  else
    notice_failures=$((notice_failures + 1))
  fi
  served_version
done
for p in "${kiosk_pids[@]}"; do wait "$p"; done
kiosk_pids=()
served_version

# The clean path: faults off, each kiosk runs (at least once, so that it
# takes the last notices too) until its outbox is empty.
kill -USR1 "$proxy_pid"
for k in $(seq 1 $KIOSKS); do
  state="$OUT/state-$k"
  for try in $(seq 1 12); do
    if [ "$try" -gt 1 ] && ! ls "$state"/outbox/*.json >/dev/null 2>&1; then break; fi
    printf 'wait "通知公告" 30000\nsleep 10000\n' >"$OUT/drain-$k"
    rc=0
    "$KIOSK" --headless --size 1080x1920 --server "$PROXY_URL" --token "${TOKENS[$((k - 1))]}" \
      --state-dir "$state" --script "$OUT/drain-$k" >/dev/null 2>>"$OUT/kiosk-$k.log" || rc=$?
    [ "$rc" = 0 ] || echo "kiosk $k drain $try exited $rc" >>"$OUT/crashes"
  done
done
kill "$proxy_pid"
wait "$proxy_pid" || true
proxy_pid=

LOBBY_DB=$LOBBY_DB OUT=$OUT KIOSKS=$KIOSKS NOTICES=$notices NOTICE_FAILURES=$notice_failures \
  "$HERE/check.sh"
