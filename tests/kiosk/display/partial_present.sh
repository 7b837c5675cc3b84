#!/usr/bin/env bash
# kiosk.partial_present: a window drawn with the software renderer pushes
# only what changed, and what it shows is the full frame pixel for pixel.
# On SDL's offscreen driver, which saves the whole window surface at each
# push, the windowed kiosk shows the demo feed (6 notices) with the board's
# highlight moving every 2 s and the clock frozen: the first frame is drawn
# whole, the next six only where the highlight left and arrived.  After
# the six the highlight is back on the first notice, so the seventh frame
# must equal the first byte for byte, and the ones between must differ
# from it.  The same on an output of 1920x1080 turned 90 degrees, whose
# frames turned back must also be the upright ones.  Then on Xvfb at
# 1080x1920, where the server gets only the pushed rectangles (XShm): the
# screen, sampled every 0.3 s, goes through six states and then is the
# first one again.  (The saved frames above catch a wrong damage region;
# only the X server catches a wrong pushed rectangle on an upright window.)
#   partial_present.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
KIOSK=$1 SRC=$2 OUT=$3
for tool in bmptopnm pnmflip; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (netpbm)"; exit 77; }
done
rm -rf "$OUT" && mkdir -p "$OUT"
FEED="$SRC/tests/kiosk/data/demo_feed.json"
die() { echo "FAIL (partial_present): $*" >&2; tail -n 20 "$OUT"/*.log >&2 || true; exit 1; }
kiosk_pid=
trap '[ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null; true' EXIT
# shellcheck source=tests/support/wait.sh
. "$SRC/tests/support/wait.sh"

export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0
export LOBBY_FAKE_NOW=1764122400 # a frozen clock: the highlight is all that changes
printf '[display]\nrotate_s = 2\n' >"$OUT/kiosk.ini"

# has_frames DIR N: DIR holds N frames or more.
has_frames() { [ "$(find "$1" -name '*.bmp' | wc -l)" -ge "$2" ]; }

# frames NAME SIZE ROTATION: runs the kiosk until it has pushed 7 frames,
# then stops it; the frames are in $OUT/NAME, in order.
frames() {
  local dir="$OUT/$1"
  mkdir -p "$dir"
  (cd "$dir" && SDL_VIDEO_OFFSCREEN_SAVE_FRAMES=1 exec "$KIOSK" --config "$OUT/kiosk.ini" --window \
    --size "$2" --rotation "$3" --renderer software --feed "$FEED" --no-pinyin --state-dir "$OUT/state-$1" \
    2>"$OUT/$1.log") &
  kiosk_pid=$!
  wait_for 40 has_frames "$dir" 7 || die "$1: fewer than 7 frames in 40 s"
  kill -TERM "$kiosk_pid"
  wait "$kiosk_pid" || die "$1: the kiosk failed"
  kiosk_pid=
  grep -q 'software renderer' "$OUT/$1.log" || die "$1: not drawn with the software renderer"
}

# check NAME: frame 7 is frame 1 again, frames 2 to 6 are not.
check() {
  mapfile -t f < <(find "$OUT/$1" -name '*.bmp' | sort)
  cmp -s "${f[0]}" "${f[6]}" || die "$1: after a full turn of the highlight the partly pushed frame differs from the whole first frame"
  for i in 1 2 3 4 5; do
    ! cmp -s "${f[0]}" "${f[$i]}" || die "$1: frame $((i + 1)) did not move the highlight"
  done
}

frames upright 1080x1920 0
check upright
frames turned 1920x1080 90
check turned
mapfile -t up < <(find "$OUT/upright" -name '*.bmp' | sort)
mapfile -t tu < <(find "$OUT/turned" -name '*.bmp' | sort)
for i in 0 3 6; do
  bmptopnm "${up[$i]}" 2>/dev/null >"$OUT/up$i.ppm"
  bmptopnm "${tu[$i]}" 2>/dev/null | pnmflip -ccw >"$OUT/back$i.ppm"
  cmp -s "$OUT/up$i.ppm" "$OUT/back$i.ppm" || die "frame $((i + 1)) turned back is not the upright one"
done
# On a real X server the pushed rectangles are all the server gets (XShm):
# the kiosk with the default renderer (auto: software on X11);
# the screen, sampled every few tenths of a second, shows the highlight on
# each notice in turn and then exactly the first screen again.
if ! command -v Xvfb >/dev/null || ! command -v xwd >/dev/null; then
  echo "partial_present: ok (no Xvfb or xwd: the X server part was not run)"
  exit 0
fi
unset SDL_RENDER_DRIVER SDL_FRAMEBUFFER_ACCELERATION
# Under LeakSanitizer: what libdbus keeps when SDL's x11 driver quits is
# not the kiosk's (x11-lsan.supp says why).
export LSAN_OPTIONS="suppressions=$SRC/tests/kiosk/display/x11-lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
Xvfb -displayfd 3 -noreset -screen 0 1080x1920x24 -nolisten tcp 3>"$OUT/displayfd" 2>"$OUT/xvfb.log" &
xvfb_pid=$!
trap '[ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null; kill "$xvfb_pid" 2>/dev/null; true' EXIT
wait_for 20 test -s "$OUT/displayfd" || die "Xvfb did not start"
export DISPLAY=":$(head -1 "$OUT/displayfd")"
SDL_VIDEODRIVER=x11 "$KIOSK" --config "$OUT/kiosk.ini" --feed "$FEED" --no-pinyin --state-dir "$OUT/state-x11" \
  2>"$OUT/x11.log" &
kiosk_pid=$!
wait_for 20 grep -q 'info screen home$' "$OUT/x11.log" || die "x11: the notice board was not built"
grep -q 'on x11, rotation 0, software renderer' "$OUT/x11.log" || die "x11: not drawn with the software renderer"
sleep 0.5 # the first frame is on the screen; the highlight first moves 2 s after the start
# states: the screen's hashes in order, each change once.
states=()
end=$((SECONDS + 25))
while [ "$SECONDS" -lt "$end" ] && [ "${#states[@]}" -lt 7 ]; do
  # The pixels only: the padding byte of each 32-bit pixel is not shown and
  # may hold anything.
  h=$(xwd -root -silent | xwdtopnm 2>/dev/null | md5sum | cut -c1-32)
  if [ "${#states[@]}" -eq 0 ] || [ "${states[-1]}" != "$h" ]; then states+=("$h"); fi
  sleep 0.3
done
kill -TERM "$kiosk_pid"
wait "$kiosk_pid" || die "x11: the kiosk failed"
kiosk_pid=
[ "${#states[@]}" -ge 7 ] || die "x11: the screen went through ${#states[@]} states in 25 s, not 7"
for i in 1 2 3 4 5; do
  [ "${states[$i]}" != "${states[0]}" ] || die "x11: state $((i + 1)) repeats the first frame"
done
[ "${states[6]}" = "${states[0]}" ] ||
  die "x11: after a full turn of the highlight the screen is not the first frame again"
echo "partial_present: ok"
