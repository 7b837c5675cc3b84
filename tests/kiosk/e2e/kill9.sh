#!/usr/bin/env bash
# The real kiosk killed with SIGKILL while a repair is queued: after a
# restart it delivers the repair exactly once.
#
#   kill9.sh KIOSK LOBBYD OUTDIR
set -euo pipefail
KIOSK=$1 LOBBYD=$2 OUT=$3 E2E_NAME=kill9
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/kiosk/e2e/background_kiosk.sh
. "$HERE/background_kiosk.sh"

# start_kiosk SCRIPT_TEXT: the kiosk binary itself in the background, so
# $kiosk_pid is the process to kill (not a wrapping subshell).
start_kiosk() {
  local script="$LOBBY_TMP/script.$RANDOM"
  printf '%s\n' "$1" >"$script"
  "$KIOSK" --headless --size 1080x1920 --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" \
    --state-dir "$STATE" --shots "$OUT" --script "$script" 2>>"$OUT/kiosk.log" &
  kiosk_pid=$!
}

repair_rows() {
  lobby_api GET /api/v1/repairs -f | jq '[.repairs[] | select(.name == "陈先生")] | length'
}

# 1. The kiosk comes up online, lobbyd dies, a resident files a repair: queued.
start_kiosk '
wait "通知公告" 20000
shot online
wait "网络中断" 60000
tap "报修"
tap "1号楼"
tap "2单元"
tap "402"
tap "下一步"
tap "电路电灯"
tap "下一步"
tap "普通"
tap "下一步"
tap "常用姓氏"
tap "陈"
tap "先生"
tap "手机或电话"
type "13600006666"
tap "下一步"
tap "常用描述"
tap "插座没电"
tap "下一步"
tap "确认提交"
wait "已保存，网络恢复后自动提交" 15000
shot queued
sleep 600000'
for _ in $(seq 1 150); do [ -s "$OUT/online.png" ] && break; sleep 0.2; done
[ -s "$OUT/online.png" ] || die "the kiosk never came up"
lobby_fixture_kill9
for _ in $(seq 1 300); do [ -s "$OUT/queued.png" ] && break; sleep 0.2; done
[ -s "$OUT/queued.png" ] || die "the repair was not queued"
ls "$STATE"/outbox/*.json >/dev/null 2>&1 || die "no item in the outbox"

# 2. Power cut: SIGKILL the kiosk with the item queued; lobbyd comes back.
stop_kiosk
lobby_fixture_restart
[ "$(repair_rows)" = 0 ] || die "the repair reached lobbyd before the kiosk restarted"

# 3. The kiosk restarts and delivers from its outbox, exactly once.
start_kiosk '
wait "通知公告" 20000
sleep 600000'
for _ in $(seq 1 100); do [ "$(repair_rows)" = 1 ] && break; sleep 0.2; done
[ "$(repair_rows)" = 1 ] || die "the queued repair was not delivered after the restart"
sleep 2
stop_kiosk
[ "$(repair_rows)" = 1 ] || die "the repair was delivered more than once"
ls "$STATE"/outbox/*.json >/dev/null 2>&1 && die "the outbox still holds the delivered item"
echo "ok kill9"
