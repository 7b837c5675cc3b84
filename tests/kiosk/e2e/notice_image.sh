#!/usr/bin/env bash
# A notice's picture on the real kiosk, headless, against a real lobbyd:
# lobbyctl posts a notice with a poster of four coloured blocks, and the
# screenshots must show those colours where the kiosk's widget tree puts
# the picture, with the poster's aspect kept.
#
#   notice_image.sh SCENARIO KIOSK LOBBYD LOBBYCTL OUTDIR
#
# sizes:   the board and the notice at 1080x1920, 1920x1080 and 1280x800,
#          in Chinese and English, with no text overflowing.
# offline: the picture is cached with the feed: lobbyd stopped, a restarted
#          kiosk still shows it; files no notice names are deleted, and so
#          is the picture once its notice is withdrawn.
# damaged: a truncated cached file is deleted, fetched again and shown.
# garbage: lobbyd serving garbage for the picture: the kiosk keeps running,
#          refuses it, caches nothing and shows the notice as text only.
set -euo pipefail
SCENARIO=$1 KIOSK=$2 LOBBYD=$3 CTL=$4 OUT=$5
HERE=$(cd "$(dirname "$0")" && pwd)
CHECK="$HERE/picture_check.py"
. "$HERE/../../support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"
rm -rf "$OUT" && mkdir -p "$OUT"
STATE="$LOBBY_TMP/kiosk-state"
TITLE="停车场地面划线施工：12月8日至10日B区部分车位临时调整，请车主留意现场指引"
BODY="因停车场地面标线老化，物业将于12月8日至10日对B区重新划线。施工期间B区部分车位暂停使用，请按现场指示牌停放车辆。如有疑问请联系物业服务中心。"
PLAIN="垃圾分类宣传周活动安排"
PW=800 PH=600

die() {
  echo "FAIL (image_$SCENARIO): $*" >&2
  tail -20 "$OUT/kiosk.log" >&2 || true
  exit 1
}

# kiosk SIZE NAME SCRIPT_TEXT: runs the kiosk headless; its dumps go to
# OUT/NAME.json.
kiosk() {
  local script="$LOBBY_TMP/script.$RANDOM"
  printf '%s\n' "$3" >"$script"
  "$KIOSK" --headless --size "$1" --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" \
    --state-dir "$STATE" --shots "$OUT" --script "$script" >"$OUT/$2.json" 2>>"$OUT/kiosk.log" ||
    die "kiosk script $2 failed"
}

check() { # SHOT DUMPS INDEX
  python3 "$CHECK" check "$OUT/$1.png" "$OUT/$2.json" "$3" "$PW" "$PH" || die "picture check of $1"
}

cached() { # the cached file is the picture: its SHA-256 starts with the ETag
  local f="$STATE/images/$ETAG.jpg"
  [ -s "$f" ] && sha256sum "$f" | grep -q "^$ETAG"
}

# A plain notice, then the pinned one with its poster, through lobbyctl.
python3 "$CHECK" make "$LOBBY_TMP/poster.png" "$PW" "$PH"
"$CTL" --server "$LOBBY_SERVER" --token "$LOBBY_TOKEN" notice post --title "$PLAIN" \
  --body "本周六上午在小区中心广场开展垃圾分类宣传活动，欢迎业主参加。" --category community >/dev/null ||
  die "posting the plain notice"
"$CTL" --server "$LOBBY_SERVER" --token "$LOBBY_TOKEN" notice post --title "$TITLE" --body "$BODY" \
  --category works --pinned --image "$LOBBY_TMP/poster.png" >/dev/null || die "posting the notice with its picture"
FEED=$(curl -sS -f -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed")
ETAG=$(jq -r --arg t "$TITLE" '.notices[] | select(.title == $t) | .image.etag' <<<"$FEED")
NOTICE_ID=$(jq -r --arg t "$TITLE" '.notices[] | select(.title == $t) | .id' <<<"$FEED")
[ -n "$ETAG" ] && [ "$ETAG" != null ] || die "the feed lists no picture for the notice"
[ "$(jq -r --arg t "$TITLE" '.notices[] | select(.title == $t) | "\(.image.width)x\(.image.height)"' <<<"$FEED")" = "${PW}x${PH}" ] ||
  die "the feed's picture is not ${PW}x${PH}"

# The board and the notice shown, fetched the first time, then from the cache.
show_all() { # SIZE
  local tag=${1/x/_}
  kiosk "$1" "sizes_$tag" "
lang zh
wait \"$TITLE\" 20000
wait-picture 20000
no-overflow
dump
shot home_zh_$tag
tap \"$TITLE\"
wait-picture 5000
expect \"请按现场指示牌停放车辆\"
no-overflow
dump
shot notice_zh_$tag
tap \"返回首页\"
lang en
wait-picture 5000
no-overflow
dump
shot home_en_$tag
tap \"$TITLE\"
wait-picture 5000
no-overflow
dump
shot notice_en_$tag"
  check "home_zh_$tag" "sizes_$tag" 0
  check "notice_zh_$tag" "sizes_$tag" 1
  check "home_en_$tag" "sizes_$tag" 2
  check "notice_en_$tag" "sizes_$tag" 3
}

# Shows the board once, so the picture is cached.
cache_it() {
  kiosk 1080x1920 first "
wait \"$TITLE\" 20000
wait-picture 20000
dump
shot online"
  check online first 0
  cached || die "the picture is not in the cache"
}

scenario_sizes() {
  for size in 1080x1920 1920x1080 1280x800; do
    show_all "$size"
  done
}

scenario_offline() {
  cache_it
  # Files no notice names: an old picture and a temporary file.
  printf 'old' >"$STATE/images/0123456789abcdef0123456789abcdef.jpg"
  printf 'tmp' >"$STATE/images/$ETAG.jpg.tmp"
  lobby_fixture_kill9
  kiosk 1080x1920 offline "
wait \"$TITLE\" 10000
wait-picture 10000
dump
shot offline"
  check offline offline 0
  [ ! -e "$STATE/images/0123456789abcdef0123456789abcdef.jpg" ] || die "a picture no notice names was kept"
  [ ! -e "$STATE/images/$ETAG.jpg.tmp" ] || die "a temporary file was kept"
  cached || die "the picture left the cache"
  # Withdrawn, the notice's picture leaves the cache.
  lobby_fixture_restart
  lobby_api POST "/api/v1/notices/$NOTICE_ID/withdraw" '{}' -f >/dev/null || die "withdrawing the notice"
  kiosk 1080x1920 withdrawn "
wait \"$PLAIN\" 20000
sleep 3000
expect-not \"$TITLE\"
expect-no-picture"
  [ ! -e "$STATE/images/$ETAG.jpg" ] || die "the withdrawn notice's picture is still cached"
}

scenario_damaged() {
  cache_it
  local f="$STATE/images/$ETAG.jpg"
  truncate -s $(($(stat -c %s "$f") / 2)) "$f"
  kiosk 1080x1920 damaged "
wait \"$TITLE\" 20000
wait-picture 20000
dump
shot damaged"
  check damaged damaged 0
  cached || die "the damaged file was not fetched again"
  grep -q "is damaged" "$OUT/kiosk.log" || die "the damaged file was not noticed"
}

scenario_garbage() {
  local served
  served=$(find "$LOBBY_TMP/photos" -type f -name "*$ETAG*" | head -1)
  [ -n "$served" ] || die "lobbyd's copy of the picture was not found"
  head -c 200000 /dev/urandom >"$served"
  kiosk 1080x1920 garbage "
wait \"$TITLE\" 20000
sleep 4000
expect-no-picture
no-overflow
dump
shot garbage
tap \"$TITLE\"
expect \"请按现场指示牌停放车辆\"
expect-no-picture
no-overflow
shot garbage_notice"
  python3 "$CHECK" none "$OUT/garbage.json" 0 || die "a picture is shown for garbage"
  grep -q "refused the answer" "$OUT/kiosk.log" || die "the garbage was not refused"
  [ ! -e "$STATE/images/$ETAG.jpg" ] || die "the garbage was cached"
}

"scenario_$SCENARIO"
echo "ok image_$SCENARIO"
