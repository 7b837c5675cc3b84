#!/usr/bin/env bash
# kiosk.x11: the display path under a real X server.  Xvfb on a free
# display; the real kiosk windowed and fullscreen on SDL's x11 driver (not
# headless) showing the demo feed; a screenshot of the X screen (xwd ->
# PNG) that must be the notice board, pixel for pixel where 报修 is; a
# mouse click (xdotool) on 报修, found from a headless --dump-ui at the
# same size (the same layout code), that must open the repair form (the
# log says `screen repair-where`, and a second screenshot shows it); SIGTERM
# and a clean exit.  Then the same with the panel hung sideways: Xvfb at
# 1920x1080 and `[display] rotation = 90` in a kiosk.ini; and the night
# schedule on the real display: dark, a click wakes it.  Last, the pinyin
# keyboard's idle work (refine_when_idle) in the windowed loop: clicked
# through a repair's description, the screen must end as the headless
# kiosk's does.
# Exits 77 (CTest's skip) when Xvfb or the X tools are missing.
#   x11.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
KIOSK=$1 SRC=$2 OUT=$3
for tool in Xvfb xwd xdotool xwdtopnm pnmtopng pngtopnm ppmhist; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (deploy/install-deps.sh)"; exit 77; }
done
rm -rf "$OUT" && mkdir -p "$OUT"
FEED="$SRC/tests/kiosk/data/demo_feed.json"
xvfb_pid= kiosk_pid=
cleanup() {
  [ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && wait "$xvfb_pid" 2>/dev/null || true
  return 0
}
trap cleanup EXIT
die() { echo "FAIL (x11): $*" >&2; tail -n 20 "$OUT"/*.log >&2 || true; exit 1; }
# The same clock in every run: a minute turning cannot change a frame.
export LOBBY_FAKE_NOW=1764122400
export SDL_VIDEODRIVER=x11
# Under LeakSanitizer: what libdbus keeps when SDL's x11 driver quits is
# not the kiosk's (x11-lsan.supp says why).  Mesa's software driver, which
# GLX loads for the window, is unloaded at exit with its static state still
# allocated, which LeakSanitizer reports as leaks of an unknown module:
# preloaded, it stays mapped and that state is reachable, as it is.
HERE=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="suppressions=$HERE/x11-lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
preload=
if grep -qa AddressSanitizer "$KIOSK"; then
  for dri in /usr/lib/*/dri/swrast_dri.so; do
    [ -e "$dri" ] && preload=$dri
  done
fi
unset WAYLAND_DISPLAY

# shellcheck source=tests/support/wait.sh
. "$SRC/tests/support/wait.sh"

# start_x WxH: Xvfb on a display it picks itself (-displayfd), so that
# test runs in parallel never share one; ready when it writes the number.
# -noreset: by default an X server resets when its last client leaves, and
# a client connecting meanwhile (the kiosk, right after xdotool's check)
# is refused ("x11 not available").
start_x() {
  local numfile="$OUT/displayfd.$1" n=
  rm -f "$numfile"
  Xvfb -displayfd 3 -noreset -screen 0 "${1}x24" -nolisten tcp 3>"$numfile" 2>"$OUT/xvfb-$1.log" &
  xvfb_pid=$!
  wait_for 20 test -s "$numfile" || die "Xvfb did not start ($(cat "$OUT/xvfb-$1.log"))"
  n=$(head -1 "$numfile")
  export DISPLAY=":$n"
  wait_for 10 xdotool getdisplaygeometry >/dev/null 2>&1 || die "Xvfb on :$n does not answer"
}
stop_x() {
  kill "$xvfb_pid" && wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=
}

# shot NAME: the whole X screen as NAME.png.
shot() { xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$OUT/$1.png"; }
# shot_showing NAME OP [X Y]: screenshots NAME until the point X,Y
# (报修's, by default) is (OP "=") or is not (OP "!=") the colour the
# headless board has there.  The kiosk logs a screen when it builds it; the
# frame reaches the X screen a moment later, later still on a busy machine.
shot_showing() {
  local name=$1 op=$2 x=${3:-$px} y=${4:-$py} got=
  for _ in $(seq 50); do
    shot "$name"
    got=$(pixel "$OUT/$name.png" "$x" "$y")
    if [ "$op" = "=" ] && [ "$got" = "$want" ]; then return 0; fi
    if [ "$op" = "!=" ] && [ "$got" != "$want" ]; then return 0; fi
    sleep 0.2
  done
  return 1
}
colours() { pngtopnm "$OUT/$1.png" | ppmhist -noheader | wc -l; }
pixel() { pngtopnm "$1" | pnmcut -left "$2" -top "$3" -width 1 -height 1 | pnmtopnm -plain | tail -1 | xargs; }

# start_kiosk NAME ARGS...: the windowed kiosk (fullscreen by default), its
# state in $OUT/state (the Rime data the pinyin part deploys there).
start_kiosk() {
  local name=$1
  shift
  env ${preload:+LD_PRELOAD="$preload"} "$KIOSK" --feed "$FEED" --state-dir "$OUT/state" "$@" \
    >"$OUT/$name.out" 2>"$OUT/$name.log" &
  kiosk_pid=$!
  wait_for 20 xdotool search --name '^Lobby$' >/dev/null 2>&1 || die "$name: no kiosk window"
}
stop_kiosk() {
  kill -TERM "$kiosk_pid"
  local rc=0
  wait "$kiosk_pid" || rc=$?
  kiosk_pid=
  [ "$rc" -eq 0 ] || die "$1: the kiosk exited with $rc on SIGTERM"
}

# The layout the kiosk uses at 1080x1920, from the headless kiosk: where
# 报修 is, and what the notice board looks like there.
printf 'shot board\n' >"$OUT/board.kiosk"
"$KIOSK" --headless --size 1080x1920 --feed "$FEED" --no-pinyin --script "$OUT/board.kiosk" --shots "$OUT" \
  --dump-ui >"$OUT/board.json" 2>"$OUT/board.log" || die "the headless kiosk failed"
read -r bx by bw bh < <(jq -r '.widgets[] | select(.role == "button" and .text == "报修") | .rect | @tsv' "$OUT/board.json")
[ -n "$bx" ] || die "no 报修 button in the headless layout"
cx=$((bx + bw / 2)) cy=$((by + bh / 2))
# A point in 报修's button clear of its icon, text and corners.
px=$((bx + 16)) py=$((by + bh / 2))
want=$(pixel "$OUT/board.png" "$px" "$py")

# 1. A portrait panel: 1080x1920.
start_x 1080x1920
start_kiosk portrait --no-pinyin
wait_for 20 grep -q 'info screen home$' "$OUT/portrait.log" || die "portrait: the notice board was not built"
# The first frame is presented right after it is built.
wait_for 10 bash -c "xwd -root -silent | xwdtopnm 2>/dev/null | ppmhist -noheader | awk 'END { exit NR < 100 }'" ||
  die "portrait: the X screen stayed blank"
shot_showing x11_home = ||
  die "portrait: 报修 at $px,$py is $(pixel "$OUT/x11_home.png" "$px" "$py") on X, $want headless"
n=$(colours x11_home)
[ "$n" -ge 100 ] || die "portrait: the screenshot has only $n colours"
xdotool mousemove "$cx" "$cy" click 1
wait_for 10 grep -q 'info screen repair-where$' "$OUT/portrait.log" || die "portrait: the click did not open 报修"
shot_showing x11_repair != || die "portrait: the screen did not change"
cmp -s "$OUT/x11_home.png" "$OUT/x11_repair.png" && die "portrait: the second screenshot is the first"
stop_kiosk portrait
stop_x

# 2. The same panel hung sideways: the output is 1920x1080, the kiosk lays
# out at 1080x1920 and turns its frame a quarter clockwise.
printf '[display]\nrotation = 90  # the panel hangs sideways\n' >"$OUT/rotated.ini"
start_x 1920x1080
start_kiosk rotated --no-pinyin --config "$OUT/rotated.ini"
wait_for 20 grep -q 'info screen home$' "$OUT/rotated.log" || die "rotated: the notice board was not built"
wait_for 10 bash -c "xwd -root -silent | xwdtopnm 2>/dev/null | ppmhist -noheader | awk 'END { exit NR < 100 }'" ||
  die "rotated: the X screen stayed blank"
# A screen point (x, y) is at (1919 - y, x) on the output.
shot_showing x11_rotated_home = $((1919 - py)) "$px" ||
  die "rotated: 报修 at $px,$py is $(pixel "$OUT/x11_rotated_home.png" $((1919 - py)) "$px") on X (turned), $want headless"
xdotool mousemove $((1919 - cy)) "$cx" click 1
wait_for 10 grep -q 'info screen repair-where$' "$OUT/rotated.log" || die "rotated: the click did not open 报修"
shot_showing x11_rotated_repair != $((1919 - py)) "$px" || die "rotated: the screen did not change"
stop_kiosk rotated
stop_x

# 3. The night schedule on the real display: dark at 02:00, a click wakes
# it to the notice board.  An idle kiosk uses next to no CPU while dark.
printf '[display]\nnight = 00:00-06:00\n' >"$OUT/night.ini"
start_x 1080x1920
LOBBY_FAKE_NOW=1764093600 start_kiosk night --no-pinyin --config "$OUT/night.ini" # 2025-11-26T02:00+08:00
wait_for 20 grep -q 'info screen night$' "$OUT/night.log" || die "night: the night screen was not shown"
sleep 1
shot x11_night
# Dim: no channel above 0x60 anywhere, and nearly all of it black.
read -r brightest black < <(pngtopnm "$OUT/x11_night.png" | ppmhist -noheader |
  awk '{for (i = 1; i <= 3; i++) if ($i > m) m = $i; t += $5; if ($1 + $2 + $3 == 0) b = $5}
       END {printf "%d %d\n", m, b * 100 / t}')
[ "$brightest" -gt 0 ] && [ "$brightest" -le 96 ] && [ "$black" -ge 90 ] ||
  die "night: not a dim clock on black (brightest channel $brightest, $black % black)"
t0=$(awk '{print $14 + $15}' "/proc/$kiosk_pid/stat")
sleep 3
t1=$(awk '{print $14 + $15}' "/proc/$kiosk_pid/stat")
echo "x11: night screen CPU over 3 s: $((t1 - t0)) ticks of $(getconf CLK_TCK) a second"
[ $((t1 - t0)) -le $(($(getconf CLK_TCK) * 3 / 10)) ] || die "night: the dark kiosk used $((t1 - t0)) ticks in 3 s"
xdotool mousemove "$cx" "$cy" click 1
wait_for 10 grep -q 'info screen home$' "$OUT/night.log" || die "night: a click did not wake the screen"
sleep 0.5
grep -q 'info screen repair' "$OUT/night.log" && die "night: the waking click opened 报修"
shot_showing x11_night_woken = || die "night: the woken screen is not the board"
stop_kiosk night
stop_x

# 4. The pinyin keyboard's idle work in the windowed loop (app_loop.c's
# refine_when_idle): "shoujubukai" in a repair's description comes out as
# 收据不开, and 收据补开, a later word read otherwise, is offered one page
# on only once the loop has refined the page while no input waited.  The
# headless kiosk (which refines after every step) gives each step's layout
# and the screen to expect: the windowed kiosk is clicked through the same
# steps and must end on the same confirmation screen, pixel for pixel, with
# 收据补开 as the description.  Steps: a widget's text to click, "=TEXT"
# typed as text input.
steps=(报修 1号楼 2单元 402 下一步 电路电灯 下一步 普通 下一步 常用姓氏 陈 先生 手机或电话
       '=13600006666' 下一步 s h o u j u b u k a i › 收据补开 下一步)
script="$OUT/pinyin.kiosk"
: >"$script"
for step in "${steps[@]}"; do
  case "$step" in
    =*) printf 'type "%s"\n' "${step#=}" ;;
    [a-z] | ›) printf 'dump\nkey "%s"\n' "$step" ;;
    *) printf 'dump\ntap "%s"\n' "$step" ;;
  esac >>"$script"
done
printf 'shot pinyin_confirm\n' >>"$script"
"$KIOSK" --headless --size 1080x1920 --feed "$FEED" --state-dir "$OUT/state" --script "$script" \
  --shots "$OUT" >"$OUT/pinyin-layouts.json" 2>"$OUT/pinyin-headless.log" || die "pinyin: the headless kiosk failed"
grep -q 'info pinyin input ready' "$OUT/pinyin-headless.log" || die "pinyin: no pinyin input in the headless kiosk"
start_x 1080x1920
# The windowed kiosk with its pinyin input, on the Rime data the headless
# run deployed.
start_kiosk pinyin
wait_for 30 grep -q 'info pinyin input ready' "$OUT/pinyin.log" || die "pinyin: the windowed kiosk has no pinyin input"
wait_for 10 grep -q 'info screen home$' "$OUT/pinyin.log" || die "pinyin: the notice board was not built"
shot_showing x11_pinyin_home = || die "pinyin: the board is not on the X screen"
layout=0
for step in "${steps[@]}"; do
  if [ "${step:0:1}" = "=" ]; then
    xdotool type "${step#=}"
    continue
  fi
  # As the script's tap finds it: the text, or its first line; a button,
  # chip or key before a label.
  read -r x y w h < <(jq -rs --argjson i "$layout" --arg t "$step" \
    '[.[$i].widgets[] | select(.text == $t or (.text | startswith($t + "\n")))] |
     (map(select(.role == "button" or .role == "chip" or .role == "key")) + .)[0].rect // [] | @tsv' \
    "$OUT/pinyin-layouts.json")
  [ -n "$x" ] || die "pinyin: no $step in the headless layout $layout"
  # After the last letter the page is refined only while no input waits.
  [ "$step" = "›" ] && sleep 1
  xdotool mousemove $((x + w / 2)) $((y + h / 2)) click 1
  layout=$((layout + 1))
  sleep 0.1
done
pngtopnm "$OUT/pinyin_confirm.png" >"$OUT/pinyin_confirm.ppm"
same=
for _ in $(seq 50); do
  shot x11_pinyin_confirm
  pngtopnm "$OUT/x11_pinyin_confirm.png" | cmp -s - "$OUT/pinyin_confirm.ppm" && { same=1; break; }
  sleep 0.2
done
[ -n "$same" ] || die "pinyin: the confirmation screen differs from the headless kiosk's (x11_pinyin_confirm.png, pinyin_confirm.png): was 收据补开 not offered?"
stop_kiosk pinyin
stop_x

! grep -h -E 'AddressSanitizer|runtime error|LeakSanitizer' "$OUT"/*.log || die "sanitizer report"
echo "x11: ok"
