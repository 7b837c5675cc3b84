#!/usr/bin/env bash
# Benchmark part 4b: lobby-kiosk against a Chromium kiosk on a real X
# server, side by side in one run, on this machine.
#
#   tests/bench/kiosk_vs_chromium_x11.sh BUILD_DIR
#
# The script starts Xvfb (-screen 0 1080x1920x24 -noreset, a portrait
# panel) and runs on it, one after the other, each program as a lobby
# would run it, windowed and fullscreen, nothing headless:
#   - lobby-kiosk with config/kiosk.ini (fullscreen, pinyin input), the
#     address of a real lobbyd on loopback and its kiosk token, the demo
#     notices (posted as deploy/demo.sh posts them; --feed on its first
#     boot, then its own long-poll), once per renderer in RENDERERS:
#       default        SDL_RENDER_DRIVER unset: SDL's choice (OpenGL on X11)
#       opengl         SDL_RENDER_DRIVER=opengl (GLX)
#       opengles2      SDL_RENDER_DRIVER=opengles2 through EGL
#                      (SDL_VIDEO_X11_FORCE_EGL=1, as on boards whose driver
#                      has only GLES; through GLX's ES profile SDL would map
#                      the same libraries as opengl and a fall-back to opengl
#                      could not be told apart), when libGLESv2 exists
#       software       SDL_RENDER_DRIVER=software: SDL still shows the window
#                      surface through a GL texture (SDL_FRAMEBUFFER_ACCELERATION
#                      unset), so GL is loaded all the same
#       software-xshm  software with SDL_FRAMEBUFFER_ACCELERATION=0: the
#                      frame goes to the X server through XShm, no GL at all
#     (Without a GPU, GL here is Mesa's llvmpipe, which has its own threads.)
#   - Chromium --kiosk (not headless, default GPU settings, so it decides
#     itself how to composite on this X server) on the notice board page of
#     tests/bench/kiosk/make_board.mjs built from the same notices.
#
# Measured with tests/bench/kiosk/treemon.mjs, from SETTLE_S after exec for
# IDLE_S seconds with nobody touching anything (both redraw the clock at
# the minute and move the highlighted notice every 8 s):
#   - idle CPU: utime+stime(+cutime+cstime) of /proc/PID/stat summed over
#     the whole process tree, in clock ticks (1/100 s) and seconds;
#   - the X server's own CPU over the same window (what drawing for that
#     client cost Xvfb; not counted in the ratios);
#   - PSS: Pss of /proc/PID/smaps_rollup summed over the tree, sampled once
#     a second; the peak and the last sample (end of the idle window); and
#     peak RSS (VmRSS summed every 50 ms), since PSS splits shared pages with
#     any other process on the machine that maps the same files;
#   - the kiosk's CPU per thread over the window: every task of every
#     process in the tree (/proc/PID/task/TID/stat), named by its comm; the
#     main thread is the UI thread, the thread called net-start after that
#     thread has been joined is the network thread (a thread inherits its
#     creator's name), llvmpipe-N are Mesa's rasteriser threads; time of
#     threads that ended inside the window is shown apart;
#   - the GL libraries mapped at the end of the window (which stack the
#     renderer really loaded), and a screenshot of the X screen taken just
#     before the window (x11-*.png) to check each showed the notice board.
# Each row is the median of ROUNDS runs (by CPU; PSS is the median too).
# The ratios printed are Chromium ÷ kiosk, against the goal: idle CPU
# ≥ 10×, PSS ≥ 8× (ok/MISS).
#
# Environment: ROUNDS (1), SETTLE_S (15), IDLE_S (60), RENDERERS (the list
# above), KIOSK_BENCH_X11_OUT (run/kiosk-bench-x11: JSON, logs, screenshots).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
KIOSK="$BUILD/bin/lobby-kiosk"
ROUNDS=${ROUNDS:-1}
SETTLE_S=${SETTLE_S:-15}
IDLE_S=${IDLE_S:-60}
RENDERERS=${RENDERERS:-default opengl opengles2 software software-xshm}
OUT=${KIOSK_BENCH_X11_OUT:-$TOP/run/kiosk-bench-x11}
[ "$SETTLE_S" -ge 5 ] || { echo "$0: SETTLE_S must be at least 5" >&2; exit 2; }

# shellcheck source=tests/bench/kiosk/common.sh
. "$HERE/kiosk/common.sh"
bench_need_built
bench_need chromium:chromium node:nodejs jq:jq curl:curl Xvfb:xvfb xdpyinfo:x11-utils xwd:x11-apps \
  xwdtopnm:netpbm
CHROMIUM=$(command -v chromium)

TMP=$(mktemp -d /tmp/lobby-kiosk-bench-x11.XXXXXX)
XVFB_PID=
# Every process this script starts is lobbyd, Xvfb, or a program run by
# treemon.mjs in its own process group (the group id is left in *.pgid).
cleanup() {
  local f
  for f in "$TMP"/*.pgid; do
    if [ -f "$f" ]; then kill -KILL -- "-$(cat "$f")" 2>/dev/null || true; fi
  done
  demo_lobbyd_stop
  if [ -n "$XVFB_PID" ]; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$OUT" && mkdir -p "$OUT"

# --- the X server ----------------------------------------------------------
# On a display it picks itself (-displayfd), so that it never takes one in
# use; -noreset, so that it does not reset when its last client leaves
# between two runs.
start_xvfb() {
  local numfile="$TMP/displayfd"
  Xvfb -displayfd 3 -noreset -screen 0 1080x1920x24 -nolisten tcp 3>"$numfile" 2>"$OUT/xvfb.log" &
  XVFB_PID=$!
  for _ in $(seq 200); do
    [ -s "$numfile" ] && break
    kill -0 "$XVFB_PID" 2>/dev/null || { cat "$OUT/xvfb.log" >&2; return 1; }
    sleep 0.1
  done
  [ -s "$numfile" ] || { echo "$0: Xvfb did not start" >&2; return 1; }
  DISPLAY=":$(head -n 1 "$numfile")"
  export DISPLAY
  for _ in $(seq 100); do
    xdpyinfo >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$0: Xvfb on $DISPLAY does not answer" >&2
  return 1
}

# shot NAME: the whole X screen as NAME.png.
shot() { xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$OUT/$1.png" 2>/dev/null || true; }

# --- the notices, from a real lobbyd ---------------------------------------
start_xvfb
unset WAYLAND_DISPLAY
demo_lobbyd_start
post_demo_notices
fetch_feed "$OUT/feed.json"
node "$HERE/kiosk/make_board.mjs" "$OUT/feed.json" >"$OUT/board.html"
BOARD_URL="file://$OUT/board.html"

# Chromium as a lobby's kiosk runs it, minus what would phone home during
# the idle window.  --no-sandbox: the benchmark may run as root.
# shellcheck disable=SC2054 # the comma in --window-size is Chromium's
CHROMIUM_FLAGS=(--kiosk --no-sandbox --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --password-store=basic
  --window-position=0,0 --window-size=1080,1920 --force-device-scale-factor=1)
KIOSK_ARGS=(--config "$TOP/config/kiosk.ini" --lang zh --server "$LOBBY_SERVER" --token "$KIOSK_TOKEN"
  --feed "$OUT/feed.json")
GL_LIBS='(libGL|libGLX|libEGL|libGLES|libgallium|_dri\.so|swrast|libLLVM|libvulkan|swiftshader|libxshmfence)'

# renderer_env NAME: treemon's --env options for renderer NAME.
renderer_env() {
  case $1 in
    default) ;;
    opengl | software) echo "--env SDL_RENDER_DRIVER=$1" ;;
    opengles2) echo "--env SDL_RENDER_DRIVER=opengles2 --env SDL_VIDEO_X11_FORCE_EGL=1" ;;
    software-xshm) echo "--env SDL_RENDER_DRIVER=software --env SDL_FRAMEBUFFER_ACCELERATION=0" ;;
    *) echo "$0: unknown renderer $1" >&2; return 1 ;;
  esac
}

# measured NAME [treemon options] -- COMMAND…: one idle run on the X
# server, with a screenshot of the screen 2 s before the idle window.
measured() {
  local name=$1
  shift
  treemon "$name" --settle "$SETTLE_S" --idle "$IDLE_S" --max $((SETTLE_S + IDLE_S + 30)) \
    --extra-pid "$XVFB_PID" --libs "$GL_LIBS" --env "DISPLAY=$DISPLAY" "$@" &
  local mon=$!
  sleep $((SETTLE_S - 2))
  shot "$name"
  wait "$mon"
}

kiosk_run() {
  local renderer=$1 round=$2 state="$TMP/state-$1-$2" env
  env=$(renderer_env "$renderer")
  mkdir -p "$state"
  # shellcheck disable=SC2086 # $env is a list of options
  measured "x11-kiosk-$renderer-$round" --threads --env SDL_VIDEODRIVER=x11 $env -- \
    "$KIOSK" "${KIOSK_ARGS[@]}" --state-dir "$state"
}

chromium_run() {
  local round=$1 profile="$TMP/profile-$1"
  # Translation off, as a kiosk's administrator sets it: otherwise Chromium
  # offers to translate the Chinese page in a bubble over the board.
  mkdir -p "$profile/Default"
  echo '{"translate": {"enabled": false}}' >"$profile/Default/Preferences"
  measured "x11-chromium-$round" --paint -- \
    "$CHROMIUM" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$profile" --enable-logging=stderr --v=0 "$BOARD_URL"
}

renderers=()
for r in $RENDERERS; do
  renderer_env "$r" >/dev/null
  if [ "$r" = opengles2 ] && ! ldconfig -p | grep -q 'libGLESv2\.so\.2 '; then
    echo "$0: no libGLESv2 on this machine; the opengles2 row is left out" >&2
    continue
  fi
  renderers+=("$r")
done

# Each round runs every renderer and Chromium, Chromium first in odd rounds
# and last in even ones.
for round in $(seq "$ROUNDS"); do
  [ $((round % 2)) -eq 0 ] || chromium_run "$round"
  for r in "${renderers[@]}"; do kiosk_run "$r" "$round"; done
  [ $((round % 2)) -eq 1 ] || chromium_run "$round"
done

# --- report -----------------------------------------------------------------
echo "## 4b. lobby-kiosk against a Chromium kiosk on a real X server (Xvfb 1080×1920)"
echo
bench_machine
echo
echo "lobby-kiosk ${KIOSK#"$TOP"/}, $("$CHROMIUM" --version 2>/dev/null | head -n 1)," \
     "SDL $(dpkg-query -W -f '${Version}' libsdl2-2.0-0 2>/dev/null || echo '?')," \
     "Mesa $(dpkg-query -W -f '${Version}' libgl1-mesa-dri 2>/dev/null || echo '?')," \
     "Xvfb $(dpkg-query -W -f '${Version}' xvfb 2>/dev/null || echo '?')." \
     "$(jq '.notices | length' "$OUT/feed.json") demo notices from lobbyd on loopback." \
     "Both windowed fullscreen on the same Xvfb, one after the other; idle window ${IDLE_S} s from ${SETTLE_S} s after exec;" \
     "median of $ROUNDS run(s) per row. Raw results, logs and screenshots: ${OUT#"$TOP"/}/."
echo
node "$HERE/kiosk/x11_report.mjs" "$OUT" "$ROUNDS" "${renderers[@]}"
