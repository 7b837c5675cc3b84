#!/usr/bin/env bash
# Benchmark part 4: lobby-kiosk against a Chromium kiosk showing the same
# notice board, side by side, in one run, on this machine.
#
#   tests/bench/kiosk_vs_chromium.sh BUILD_DIR
#
# Both programs are given the same demo notices (posted to a real lobbyd as
# deploy/demo.sh posts them, then fetched as kiosk lobby-1 gets them):
# Chromium a static HTML page built from that JSON
# (tests/bench/kiosk/make_board.mjs) in the kiosk's home-screen layout,
# 1080×1920, font Noto Sans CJK SC.  The kiosk runs as deployed: with
# lobbyd's address and its kiosk token (lobbyd keeps running on loopback),
# so after its first frame it loads its network module, opens pinyin input
# and long-polls lobbyd, and all of that counts in its RSS and CPU.  On a
# first boot it has no feed cache yet and reads the notices with --feed;
# restarting, it draws its first frame from the feed cache in its state
# directory, as a kiosk restarting after a power cut does.
#
# Display: neither side has a display server.  The kiosk runs its normal
# windowed loop (not a script) under SDL's offscreen video driver with the
# software renderer; Chromium runs --headless with --disable-gpu (software
# compositing).  Both draw into memory.
#
# Measured with tests/bench/kiosk/treemon.mjs, the same way for both:
#   - peak RSS: VmRSS summed over the process and all its descendants every
#     50 ms, the maximum (plus PSS, which counts shared pages once, sampled
#     once a second in the long runs only: reading it is expensive);
#   - first frame: from just before exec to the first frame of the notice
#     board — the kiosk: the first frame SDL presents, seen as the BMP its
#     offscreen driver writes (SDL_VIDEO_OFFSCREEN_SAVE_FRAMES); Chromium:
#     the page's first-contentful-paint (performance.timeOrigin + startTime,
#     logged to stderr);  median of ROUNDS runs after one unmeasured
#     warm-up run of each, both with a fresh state directory / profile (first
#     boot) and with the one kept from the warm-up (restart);
#   - idle CPU: utime+stime(+cutime+cstime) summed over the tree, from
#     SETTLE_S after exec for IDLE_S seconds with nobody touching anything
#     (both redraw the clock at the minute and move the highlighted notice
#     every 8 s, as the kiosk does when idle).
#
# The report ends with the goal, judged as kiosk_vs_chromium_x11.sh (the
# same comparison on a real X server) judges it: Chromium ÷ kiosk for idle
# CPU (ticks) and peak PSS, against ≥ 10× and ≥ 8×, ok/MISS.
#
# Environment: ROUNDS (5), SETTLE_S (15), IDLE_S (60), KIOSK_BENCH_OUT
# (run/kiosk-bench: screenshots, logs and raw JSON are kept there).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
KIOSK="$BUILD/bin/lobby-kiosk"
ROUNDS=${ROUNDS:-5}
SETTLE_S=${SETTLE_S:-15}
IDLE_S=${IDLE_S:-60}
OUT=${KIOSK_BENCH_OUT:-$TOP/run/kiosk-bench}

# shellcheck source=tests/bench/kiosk/common.sh
. "$HERE/kiosk/common.sh"
bench_need_built
bench_need chromium:chromium node:nodejs jq:jq curl:curl
CHROMIUM=$(command -v chromium)

TMP=$(mktemp -d /tmp/lobby-kiosk-bench.XXXXXX)
# Every process this script starts is either lobbyd or a program run by
# treemon.mjs in its own process group (the group id is left in *.pgid).
cleanup() {
  local f
  for f in "$TMP"/*.pgid; do
    if [ -f "$f" ]; then kill -KILL -- "-$(cat "$f")" 2>/dev/null || true; fi
  done
  demo_lobbyd_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$OUT" && mkdir -p "$OUT"

# --- the notices, from a real lobbyd ---------------------------------------
demo_lobbyd_start
post_demo_notices
fetch_feed "$OUT/feed.json"
node "$HERE/kiosk/make_board.mjs" "$OUT/feed.json" >"$OUT/board.html"
BOARD_URL="file://$OUT/board.html"

# shellcheck disable=SC2054 # the comma in --window-size is Chromium's
CHROMIUM_FLAGS=(--headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run
  --window-size=1080,1920 --hide-scrollbars --force-device-scale-factor=1)
# The kiosk's windowed loop with no display: SDL's offscreen driver, software
# renderer, and no GL texture standing in for the window surface (SDL would
# otherwise load Mesa for that).
KIOSK_ENV=(--env SDL_VIDEODRIVER=offscreen --env SDL_RENDER_DRIVER=software --env SDL_FRAMEBUFFER_ACCELERATION=0)
KIOSK_ARGS=(--window --size 1080x1920 --lang zh --server "$LOBBY_SERVER" --token "$KIOSK_TOKEN")
FEED_ARGS=(--feed "$OUT/feed.json")

# One start-up run of the kiosk, stopped 1 s after its first frame.
# STATE is its state directory: fresh (a first boot: no feed cache, the
# notices come from --feed, and librime deploys its data there) or kept
# from an earlier run (a kiosk restarting: the notices come from its feed
# cache).
kiosk_start() {
  local name=$1 state=$2 frames="$TMP/frames-$1" feed=()
  [ -s "$state/feed.json" ] || feed=("${FEED_ARGS[@]}")
  mkdir -p "$frames" "$state"
  treemon "$name" --cwd "$frames" --frame-dir "$frames" --after-frame 1000 --max 30 --pss-every 0 \
    "${KIOSK_ENV[@]}" --env SDL_VIDEO_OFFSCREEN_SAVE_FRAMES=1 -- \
    "$KIOSK" "${KIOSK_ARGS[@]}" "${feed[@]}" --state-dir "$state"
}

# One start-up run of Chromium, stopped 1 s after the page's first
# contentful paint.  PROFILE is its --user-data-dir: fresh, or kept from an
# earlier run.
chromium_start() {
  local name=$1 profile=$2
  mkdir -p "$profile"
  treemon "$name" --paint --after-frame 1000 --max 60 --pss-every 0 -- \
    "$CHROMIUM" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$profile" --enable-logging=stderr --v=0 "$BOARD_URL"
}

# --- start-up: one warm-up each, then ROUNDS rounds ------------------------
# The warm-ups fill the page cache and leave the state directory and the
# profile that the "kept" runs start from.  Each round runs all four, in an
# order that alternates between rounds.
kiosk_start warmup-kiosk "$TMP/state-kept"
chromium_start warmup-chromium "$TMP/profile-kept"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    kiosk_start "start-kiosk-fresh-$r" "$TMP/state-fresh-$r"
    chromium_start "start-chromium-fresh-$r" "$TMP/profile-fresh-$r"
    kiosk_start "start-kiosk-kept-$r" "$TMP/state-kept"
    chromium_start "start-chromium-kept-$r" "$TMP/profile-kept"
  else
    chromium_start "start-chromium-kept-$r" "$TMP/profile-kept"
    kiosk_start "start-kiosk-kept-$r" "$TMP/state-kept"
    chromium_start "start-chromium-fresh-$r" "$TMP/profile-fresh-$r"
    kiosk_start "start-kiosk-fresh-$r" "$TMP/state-fresh-$r"
  fi
done
bmps=("$TMP/frames-start-kiosk-fresh-1"/*.bmp)
node "$HERE/kiosk/bmp2png.mjs" "${bmps[0]}" "$OUT/kiosk-first-frame.png"
bmps=("$TMP/frames-start-kiosk-kept-1"/*.bmp)
node "$HERE/kiosk/bmp2png.mjs" "${bmps[0]}" "$OUT/kiosk-first-frame-restart.png"

# --- screenshots to compare by eye -----------------------------------------
# The kiosk's first frame from a start-up run above (kiosk-first-frame.png),
# its headless renderer's shot (kiosk-headless.png, with its own
# kiosk-run report), and Chromium's screenshot of the page (chromium.png).
printf 'shot kiosk-headless\n' >"$TMP/shot.kiosk"
timeout 60 "$KIOSK" --headless --size 1080x1920 --lang zh --feed "$OUT/feed.json" \
  --state-dir "$TMP/state-shot" --script "$TMP/shot.kiosk" --shots "$OUT" 2>"$OUT/kiosk-headless.txt"
mkdir -p "$TMP/profile-shot"
timeout 60 "$CHROMIUM" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$TMP/profile-shot" \
  --screenshot="$OUT/chromium.png" "$BOARD_URL" >"$OUT/chromium-shot.log" 2>&1

# --- peak RSS and idle CPU: one long run each -------------------------------
mkdir -p "$TMP/state-idle" "$TMP/profile-idle"
treemon idle-kiosk --settle "$SETTLE_S" --idle "$IDLE_S" --max $((SETTLE_S + IDLE_S + 30)) \
  "${KIOSK_ENV[@]}" -- "$KIOSK" "${KIOSK_ARGS[@]}" "${FEED_ARGS[@]}" --state-dir "$TMP/state-idle"
treemon idle-chromium --paint --settle "$SETTLE_S" --idle "$IDLE_S" --max $((SETTLE_S + IDLE_S + 30)) -- \
  "$CHROMIUM" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$TMP/profile-idle" --enable-logging=stderr --v=0 "$BOARD_URL"

# --- report -----------------------------------------------------------------
echo "## 4. lobby-kiosk against a Chromium kiosk (same notices, font and size)"
echo
bench_machine
echo
echo "lobby-kiosk ${KIOSK#"$TOP"/}, $("$CHROMIUM" --version 2>/dev/null | head -n 1)," \
     "SDL $(dpkg-query -W -f '${Version}' libsdl2-2.0-0 2>/dev/null || echo '?')." \
     "1080×1920, $(jq '.notices | length' "$OUT/feed.json") demo notices from lobbyd, Noto Sans CJK SC." \
     "No display server on either side: the kiosk's normal windowed loop on SDL's offscreen driver with the software renderer," \
     "connected to lobbyd on loopback as a deployed kiosk is;" \
     "Chromium --headless --disable-gpu. Raw results, logs and screenshots: ${OUT#"$TOP"/}/."
echo
node "$HERE/kiosk/report.mjs" "$OUT"
