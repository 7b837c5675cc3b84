#!/usr/bin/env bash
# A remote screenshot, end to end: the real kiosk, headless, on the
# repair's contact step; the office asks lobbyd for the screen; the kiosk
# hears of it on its feed long-poll and sends the frame; the PNG the office
# fetches must show every private widget blanked (one flat colour where
# the kiosk's own shot shows the text) and the rest of the screen as it is.
# Two screens: a name and a phone entered (the fields), and a name being
# typed in pinyin (the composition and the candidate bar).  Then the
# picture is gone after [screenshots] keep_seconds.
#
#   screenshot.sh KIOSK LOBBYD OUTDIR
set -euo pipefail
KIOSK=$1 LOBBYD=$2 OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
KEEP_S=8
LOBBY_FIXTURE_INI="[limits]
kiosk_submissions_per_minute = 100000
[screenshots]
keep_seconds = $KEEP_S"
. "$HERE/../../support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"
rm -rf "$OUT" && mkdir -p "$OUT"
KPID=

die() {
  echo "FAIL (screenshot): $*" >&2
  tail -20 "$OUT"/*.log >&2 || true
  tail -20 "$LOBBY_TMP/lobbyd.log" >&2 || true
  exit 1
}
finish() {
  if [ -n "$KPID" ]; then kill "$KPID" 2>/dev/null; wait "$KPID" 2>/dev/null || true; fi
  lobby_fixture_stop
}
trap finish EXIT

to_contact() {
  printf 'tap "%s"\n' 报修 1号楼 2单元 301 下一步 水管水龙头 下一步 普通 下一步
}
keys() {
  local s=$1 i
  for ((i = 0; i < ${#s}; i++)); do printf 'key "%s"\n' "${s:i:1}"; done
}

# round NAME STEPS JQ: the kiosk runs STEPS from the board, dumps and
# shoots the screen (OUT/NAME.json, OUT/NAME.png) and stays there while
# the office asks for its screenshot (OUT/NAME-remote.png); JQ must hold
# for the dump.
round() {
  local name=$1 steps=$2 test=$3 asked got state
  printf 'wait "通知公告" 20000\n%s\ndump\nshot %s\nsleep 12000\n' "$steps" "$name" >"$LOBBY_TMP/$name.script"
  "$KIOSK" --headless --size 1080x1920 --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" \
    --state-dir "$LOBBY_TMP/kiosk-state" --shots "$OUT" --script "$LOBBY_TMP/$name.script" \
    >"$OUT/$name.json" 2>"$OUT/$name.log" &
  KPID=$!
  for _ in $(seq 1 150); do [ -s "$OUT/$name.png" ] && break; sleep 0.2; done
  [ -s "$OUT/$name.png" ] || die "$name: the kiosk never reached the screen"
  jq -e "$test" "$OUT/$name.json" >/dev/null || die "$name: the screen is not as expected ($test)"

  asked=$(lobby_api POST /api/v1/kiosks/lobby-1/screenshot '' -f) || die "$name: asking for the screenshot"
  [ "$(jq -r .state <<<"$asked")" = pending ] || die "$name: not pending: $asked"
  state=
  for _ in $(seq 1 50); do
    got=$(lobby_api GET /api/v1/kiosks/lobby-1/screenshot "" -f) || die "$name: reading the state"
    state=$(jq -r .state <<<"$got")
    [ "$state" = ready ] && break
    sleep 0.2
  done
  [ "$state" = ready ] || die "$name: no screenshot within 10 s: $got"
  lobby_api GET /api/v1/kiosks/lobby-1/screenshot.png "" -f -o "$OUT/$name-remote.png" || die "$name: fetching the PNG"
  [ "$(jq -r '"\(.width)x\(.height)"' <<<"$got")" = 1080x1920 ] || die "$name: not the screen's size: $got"
  [ "$(jq -r .blanked <<<"$got")" -ge 2 ] || die "$name: the kiosk says it blanked nothing: $got"
  python3 "$HERE/screenshot_check.py" "$OUT/$name-remote.png" "$OUT/$name.png" "$OUT/$name.json" ||
    die "$name: the remote screenshot is not the screen with its private widgets blanked"
  wait "$KPID" || die "$name: the kiosk's script failed"
  KPID=
}

# A name chosen and a phone typed: both fields hold them.
round fields "$(to_contact)
tap \"常用姓氏\"
tap \"张\"
tap \"先生\"
tap \"手机或电话\"
type \"13812345678\"" \
  '[.widgets[] | select(.private) | .text] | any(contains("13812345678")) and any(contains("张先生"))'

# A name being typed in pinyin: the composition and the candidates.
round candidates "$(to_contact)
$(keys zhangwei)
expect \"zhang wei\"
expect \"张伟\"" \
  '[.widgets[] | select(.private and .role == "chip") | .text] | any(. == "张伟")'

grep -q "13812345678\|张先生\|张伟" "$OUT"/*.log "$LOBBY_TMP/lobbyd.log" && die "personal data in a log"

sleep $((KEEP_S + 1))
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LOBBY_TOKEN" \
  "$LOBBY_SERVER/api/v1/kiosks/lobby-1/screenshot.png")
[ "$code" = 404 ] || die "the screenshot is still served after $KEEP_S s ($code)"
echo "screenshot: round trips with fields and candidates blanked, and expiry ok"
