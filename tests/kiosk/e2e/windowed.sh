#!/usr/bin/env bash
# The kiosk's normal windowed loop (not a script), on SDL's offscreen
# driver, against a real lobbyd: it draws its first frame before the
# network and pinyin input start, then starts both in the background —
# the feed arrives and is cached, pinyin becomes ready — and quits cleanly
# on SIGTERM; restarted, its first frame already shows the cached notices.
# A second kiosk on the same state directory and a kiosk without its
# network module both exit with status 1 and say why.  Asked for a
# screenshot, the windowed loop sends its frame.
#
#   windowed.sh KIOSK LOBBYD OUTDIR
set -euo pipefail
KIOSK=$1 LOBBYD=$2 OUT=$3 E2E_NAME=windowed
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/kiosk/e2e/background_kiosk.sh
. "$HERE/background_kiosk.sh"
# shellcheck source=tests/support/wait.sh
. "$HERE/../../support/wait.sh"
mkdir -p "$OUT/frames"

export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0
# run_windowed LOG ARGS...: the kiosk in the background, frames saved as BMPs.
run_windowed() {
  local log=$1
  shift
  (cd "$OUT/frames" && SDL_VIDEO_OFFSCREEN_SAVE_FRAMES=1 exec "$@" --window --size 1080x1920 \
    --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" --state-dir "$STATE" 2>>"$log") &
  kiosk_pid=$!
}

lobby_api POST /api/v1/notices '{"title":"消防通道清理通知","body":"本周六上午清理各楼消防通道，请勿在楼道堆放杂物。","category":"safety","priority":2,"pinned":false,"emergency":false,"target":{"type":"all"}}' -f >/dev/null ||
  die "posting the notice"

# 1. Up: a first frame, then the feed fetched and cached, pinyin ready.
run_windowed "$OUT/kiosk.log" "$KIOSK"
wait_for 20 compgen -G "$OUT/frames/*.bmp" >/dev/null || die "no frame presented"
wait_for 30 grep -q '消防通道清理通知' "$STATE/feed.json" 2>/dev/null ||
  die "the network did not start: no feed cached"
wait_for 60 grep -q 'pinyin input ready' "$OUT/kiosk.log" || die "pinyin input did not open"
[ "$(find "$OUT/frames" -name '*.bmp' | wc -l)" -ge 2 ] || die "the feed was not drawn"

# 1b. A remote screenshot from the windowed loop: the office's request
# wakes it through the feed long-poll and the frame it draws next is sent
# (the board: nothing private on it).
lobby_api POST /api/v1/kiosks/lobby-1/screenshot '' -f >/dev/null || die "asking for a screenshot"
wait_for 10 sh -c "curl -sS -f -H 'Authorization: Bearer $LOBBY_TOKEN' \
  '$LOBBY_SERVER/api/v1/kiosks/lobby-1/screenshot' | grep -q '\"state\":\"ready\"'" ||
  die "the windowed kiosk sent no screenshot"
shot=$(lobby_api GET /api/v1/kiosks/lobby-1/screenshot '' -f)
[ "$(jq -r '"\(.width)x\(.height) \(.blanked)"' <<<"$shot")" = "1080x1920 0" ] ||
  die "the windowed kiosk's screenshot is not its board: $shot"

# 2. A second kiosk on the same state directory: its network cannot start.
set +e
(cd "$OUT/frames" && timeout 30 "$KIOSK" --window --size 1080x1920 --server "$LOBBY_SERVER" \
  --token "$LOBBY_KIOSK_TOKEN" --state-dir "$STATE" --no-pinyin 2>>"$OUT/second.log")
rc=$?
set -e
[ "$rc" -eq 1 ] || die "a second kiosk on the same state directory exited with $rc, not 1"
grep -q 'cannot start the network thread' "$OUT/second.log" || die "the second kiosk did not say why"

# 3. SIGTERM: a clean exit.
kill -TERM "$kiosk_pid"
set +e
wait "$kiosk_pid"
rc=$?
set -e
kiosk_pid=
[ "$rc" -eq 0 ] || die "the kiosk exited with $rc on SIGTERM"

# 4. A restart draws its first frame from the feed cache: every frame it
# presents, before and after the network is up, is that first one.  The
# clock is frozen so that a minute turning cannot change a frame.
rm -rf "$OUT/frames" && mkdir -p "$OUT/frames"
: >"$OUT/restart.log"
LOBBY_FAKE_NOW=$(date +%s) run_windowed "$OUT/restart.log" "$KIOSK" --no-pinyin
wait_for 30 grep -q 'feed: version' "$OUT/restart.log" || die "the restarted kiosk did not fetch the feed"
sleep 0.5
kill -TERM "$kiosk_pid"
wait "$kiosk_pid" || die "the restarted kiosk failed"
kiosk_pid=
mapfile -t frames < <(find "$OUT/frames" -name '*.bmp' | sort)
[ "${#frames[@]}" -ge 1 ] || die "the restarted kiosk presented no frame"
for f in "${frames[@]}"; do
  cmp -s "${frames[0]}" "$f" || die "the restart's first frame lacked the cached notices ($f differs)"
done

# 5. No network module beside the binary nor installed: exit 1, said why.
# Its data directory is there (share/ beside bin/, as installed); only the
# module is not.
mkdir -p "$LOBBY_TMP/bin"
cp "$KIOSK" "$LOBBY_TMP/bin/lobby-kiosk"
ln -s "$(cd "$(dirname "$KIOSK")/../share" && pwd)" "$LOBBY_TMP/share"
set +e
(cd "$OUT/frames" && timeout 30 "$LOBBY_TMP/bin/lobby-kiosk" --window --size 1080x1920 \
  --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" --state-dir "$LOBBY_TMP/state2" --no-pinyin \
  2>>"$OUT/nomodule.log")
rc=$?
set -e
[ "$rc" -eq 1 ] || die "a kiosk without its network module exited with $rc, not 1"
grep -q 'cannot load the network module' "$OUT/nomodule.log" || die "no reason given for the missing module"

! grep -h -E 'AddressSanitizer|runtime error|LeakSanitizer' "$OUT"/*.log || die "sanitizer report"
echo "windowed: ok"
