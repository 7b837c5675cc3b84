#!/usr/bin/env bash
# A remote screenshot from the windowed kiosk on SDL's accelerated
# renderer (OpenGL through the offscreen driver's EGL), its panel turned
# 90°: the frame is read back from the render target before it is shown,
# so the office gets the screen upright, at its laid-out 1920 × 1080.
# Exits 77 where no OpenGL renderer can be had.
#
#   screenshot_gpu.sh KIOSK LOBBYD OUTDIR
set -euo pipefail
KIOSK=$1 LOBBYD=$2 OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../support/lobbyd_fixture.sh"
. "$HERE/../../support/wait.sh"
lobby_fixture_start "$LOBBYD"
rm -rf "$OUT" && mkdir -p "$OUT"
kp=
die() {
  echo "FAIL (screenshot_gpu): $*" >&2
  tail -20 "$OUT/kiosk.log" >&2 || true
  exit 1
}
finish() {
  if [ -n "$kp" ]; then kill "$kp" 2>/dev/null; wait "$kp" 2>/dev/null || true; fi
  lobby_fixture_stop
}
trap finish EXIT

SDL_VIDEODRIVER=offscreen "$KIOSK" --window --size 1080x1920 --rotation 90 --renderer gpu --no-pinyin \
  --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" --state-dir "$LOBBY_TMP/state" 2>"$OUT/kiosk.log" &
kp=$!
wait_for 20 grep -q "feed: version" "$OUT/kiosk.log" || die "the kiosk got no feed"
if ! grep -q "gpu renderer" "$OUT/kiosk.log"; then
  echo "SKIP: no accelerated renderer here"
  exit 77
fi
lobby_api POST /api/v1/kiosks/lobby-1/screenshot '' -f >/dev/null || die "asking for the screenshot"
got=
for _ in $(seq 1 50); do
  got=$(lobby_api GET /api/v1/kiosks/lobby-1/screenshot '' -f) || die "reading the state"
  [ "$(jq -r .state <<<"$got")" = ready ] && break
  sleep 0.2
done
[ "$(jq -r .state <<<"$got")" = ready ] || die "no screenshot within 10 s: $got"
[ "$(jq -r '"\(.width)x\(.height)"' <<<"$got")" = 1920x1080 ] || die "not the upright screen: $got"
lobby_api GET /api/v1/kiosks/lobby-1/screenshot.png '' -f -o "$OUT/remote.png" || die "fetching the PNG"
# The board's header is the dark blue band across the top of the upright screen.
python3 -c "
import sys; sys.path.insert(0, '$HERE')
from picture_check import read_ppm
w, h, px = read_ppm('$OUT/remote.png')
assert (w, h) == (1920, 1080), (w, h)
top = px[(20 * w + 960) * 3:(20 * w + 960) * 3 + 3]
bottom = px[(1060 * w + 960) * 3:(1060 * w + 960) * 3 + 3]
assert top[2] > 100 and top[0] < 60, ('no header across the top', tuple(top))
assert top != bottom, 'the top and bottom are alike'
" || die "the PNG is not the upright board"
echo "screenshot_gpu: the accelerated, turned screen sent upright"
