#!/usr/bin/env bash
# Measures the windowed kiosk with each way of drawing a window, for the
# choice of [display] renderer (the figures are in docs/deploy.md).  Not a
# CTest test: it takes minutes and prints figures, it asserts nothing.
#
# On Xvfb at 1080x1920 (and on SDL's offscreen driver, where there is no
# X server) the kiosk shows the demo feed with the real clock and the
# board's highlight moving every 8 s, pinyin on (a state directory of its
# own, deployed once before), no server.  After SETTLE s it is left alone
# for IDLE s: CPU ticks (utime + stime, 100 a second) of the kiosk, per
# thread, and of Xvfb; the UI thread's context switches; the kiosk's PSS
# (smaps_rollup).  Then CLICKS taps on the language button, one every
# 150 ms (each rebuilds and redraws the whole notice board), and SIGTERM:
# the kiosk's own frame times (kiosk-frame lines, all frames of the run).
#
#   measure_renderers.sh KIOSK SOURCE_DIR OUTDIR
# Environment: IDLE (60), SETTLE (10), CLICKS (100), CASES (all: software
# gpu gles2 sdl-software, and offscreen-software offscreen-sdl-software).
set -euo pipefail
KIOSK=$1 SRC=$2 OUT=$3
IDLE=${IDLE:-60} SETTLE=${SETTLE:-10} CLICKS=${CLICKS:-100}
CASES=${CASES:-software gpu gles2 sdl-software offscreen-software offscreen-sdl-software}
FEED="$SRC/tests/kiosk/data/demo_feed.json"
rm -rf "$OUT" && mkdir -p "$OUT"
xvfb_pid= kiosk_pid=
cleanup() {
  [ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  return 0
}
trap cleanup EXIT
# shellcheck source=tests/support/wait.sh
. "$SRC/tests/support/wait.sh"

ticks() { awk '{print $14 + $15}' "$1"; }
all_ticks() {
  local pid=$1 t s=0
  for t in /proc/"$pid"/task/*; do s=$((s + $(ticks "$t/stat"))); done
  echo "$s"
}
# per_thread PID: "name=ticks" for each thread, names from comm.
per_thread() {
  local t
  for t in /proc/"$1"/task/*; do printf '%s=%s\n' "$(tr ' ' _ <"$t/comm")" "$(ticks "$t/stat")"; done |
    awk -F= '{n[$1] += $2} END {for (k in n) printf "%s=%d ", k, n[k]}'
}
switches() { awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n}' "/proc/$1/task/$1/status"; }

Xvfb -displayfd 3 -noreset -screen 0 1080x1920x24 -nolisten tcp 3>"$OUT/displayfd" 2>"$OUT/xvfb.log" &
xvfb_pid=$!
wait_for 20 test -s "$OUT/displayfd" || { echo "Xvfb did not start" >&2; exit 1; }
DISPLAY=":$(head -1 "$OUT/displayfd")"
export DISPLAY

# Pinyin's data deployed once, so that no run pays for it.
mkdir -p "$OUT/state"
"$KIOSK" --headless --size 1080x1920 --feed "$FEED" --state-dir "$OUT/state" >/dev/null 2>&1 </dev/null || true

measure() {
  local name=$1 driver=$2
  shift 2
  env SDL_VIDEODRIVER="$driver" "$@" "$KIOSK" --window --size 1080x1920 --feed "$FEED" --state-dir "$OUT/state" \
    ${RENDERER:+--renderer $RENDERER} >/dev/null 2>"$OUT/$name.log" &
  kiosk_pid=$!
  sleep "$SETTLE"
  local k0 x0 s0 k1 x1 s1 th0
  k0=$(all_ticks "$kiosk_pid") x0=$(ticks /proc/"$xvfb_pid"/stat) s0=$(switches "$kiosk_pid")
  th0=$(per_thread "$kiosk_pid")
  sleep "$IDLE"
  k1=$(all_ticks "$kiosk_pid") x1=$(ticks /proc/"$xvfb_pid"/stat) s1=$(switches "$kiosk_pid")
  local pss libllvm
  pss=$(awk '/^Pss:/ {print $2}' /proc/"$kiosk_pid"/smaps_rollup)
  libllvm=$(grep -c LLVM /proc/"$kiosk_pid"/maps || true)
  echo "$name: idle ${IDLE}s kiosk_ticks=$((k1 - k0)) xvfb_ticks=$((x1 - x0)) ui_switches=$((s1 - s0))" \
    "pss_mib=$(awk -v k="$pss" 'BEGIN {printf "%.1f", k / 1024}') llvm_maps=$libllvm"
  echo "  threads before: $th0"
  echo "  threads after:  $(per_thread "$kiosk_pid")"
  if [ "$driver" = x11 ]; then
    for _ in $(seq "$CLICKS"); do
      xdotool mousemove 920 75 click 1
      sleep 0.15
    done
  fi
  kill -TERM "$kiosk_pid"
  wait "$kiosk_pid" || true
  kiosk_pid=
  grep '^kiosk-frame' "$OUT/$name.log" | sed 's/^/  /'
}

for c in $CASES; do
  case $c in
    software) RENDERER=software measure "$c" x11 ;;
    gpu) RENDERER=gpu measure "$c" x11 ;;
    gles2) RENDERER=gpu measure "$c" x11 SDL_RENDER_DRIVER=opengles2 ;;
    sdl-software) RENDERER=gpu measure "$c" x11 SDL_RENDER_DRIVER=software ;;
    offscreen-software) RENDERER=software measure "$c" offscreen ;;
    offscreen-sdl-software) RENDERER=gpu measure "$c" offscreen SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0 ;;
  esac
done
