#!/usr/bin/env bash
# A remote screenshot, end to end: the real kiosk, headless, on the
# repair's contact step with a name and a phone typed; the office asks
# lobbyd for the screen; the kiosk hears of it on its feed long-poll and
# sends the frame; the PNG the office fetches must show every private
# widget blanked (one flat colour where the kiosk's own shot shows the
# name and phone) and the rest of the screen as it is.  Then the picture
# is gone after [screenshots] keep_seconds.
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
  tail -20 "$OUT/kiosk.log" >&2 || true
  tail -20 "$LOBBY_TMP/lobbyd.log" >&2 || true
  exit 1
}
finish() {
  [ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
  lobby_fixture_stop
}
trap finish EXIT

cat >"$LOBBY_TMP/script" <<'SCRIPT'
wait "通知公告" 20000
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
type "13812345678"
dump
shot contact
sleep 12000
SCRIPT
"$KIOSK" --headless --size 1080x1920 --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" \
  --state-dir "$LOBBY_TMP/kiosk-state" --shots "$OUT" --script "$LOBBY_TMP/script" \
  >"$OUT/contact.json" 2>"$OUT/kiosk.log" &
KPID=$!
for _ in $(seq 1 150); do [ -s "$OUT/contact.png" ] && break; sleep 0.2; done
[ -s "$OUT/contact.png" ] || die "the kiosk never reached the contact step"
jq -e '[.widgets[] | select(.private) | .text] | any(contains("13812345678")) and any(contains("张"))' \
  "$OUT/contact.json" >/dev/null || die "the name and phone are not in private widgets"

asked=$(lobby_api POST /api/v1/kiosks/lobby-1/screenshot '' -f) || die "asking for the screenshot"
[ "$(jq -r .state <<<"$asked")" = pending ] || die "not pending: $asked"
state=
for _ in $(seq 1 50); do
  got=$(lobby_api GET /api/v1/kiosks/lobby-1/screenshot "" -f) || die "reading the screenshot's state"
  state=$(jq -r .state <<<"$got")
  [ "$state" = ready ] && break
  sleep 0.2
done
[ "$state" = ready ] || die "no screenshot within 10 s: $got"
lobby_api GET /api/v1/kiosks/lobby-1/screenshot.png "" -f -o "$OUT/remote.png" || die "fetching the PNG"
[ "$(jq -r '"\(.width)x\(.height)"' <<<"$got")" = 1080x1920 ] || die "not the screen's size: $got"
[ "$(jq -r .blanked <<<"$got")" -ge 2 ] || die "the kiosk says it blanked nothing: $got"
python3 "$HERE/screenshot_check.py" "$OUT/remote.png" "$OUT/contact.png" "$OUT/contact.json" ||
  die "the remote screenshot is not the screen with its private fields blanked"
grep -q "13812345678\|张先生" "$OUT/kiosk.log" "$LOBBY_TMP/lobbyd.log" && die "personal data in a log"

sleep $((KEEP_S + 1))
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LOBBY_TOKEN" \
  "$LOBBY_SERVER/api/v1/kiosks/lobby-1/screenshot.png")
[ "$code" = 404 ] || die "the screenshot is still served after $KEEP_S s ($code)"
echo "screenshot: round trip, blanking and expiry ok"
