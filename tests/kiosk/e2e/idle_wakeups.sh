#!/usr/bin/env bash
# kiosk.e2e_idle_wakeups: the windowed kiosk idles like an appliance.  On
# SDL's offscreen driver (where SDL_WaitEventTimeout polls every
# millisecond) against a real lobbyd, with the clock frozen and the board's
# highlight slowed to once an hour, nothing on screen changes: over 10 s
# the UI thread may be switched out at most MAX_SWITCHES times (a loop
# polling every 40 ms makes 250, SDL's own wait 10,000; sleeping in poll()
# it is a handful, the network's events).  It still wakes at once for what
# matters: a notice posted on the server is drawn within 3 s (the network
# thread's wake-up), and SIGTERM ends it within 3 s.
#
#   idle_wakeups.sh KIOSK LOBBYD OUTDIR
set -euo pipefail
KIOSK=$1 LOBBYD=$2 OUT=$3 E2E_NAME=idle_wakeups
MAX_SWITCHES=${MAX_SWITCHES:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/kiosk/e2e/background_kiosk.sh
. "$HERE/background_kiosk.sh"
# shellcheck source=tests/support/wait.sh
. "$HERE/../../support/wait.sh"
mkdir -p "$OUT/frames"

export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0
export LOBBY_FAKE_NOW=1764122400 # a frozen clock: no minute turns during the test
printf '[display]\nrotate_s = 3600\n' >"$OUT/kiosk.ini"

# switches PID: the UI thread's context switches so far, voluntary or not.
switches() {
  awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n}' "/proc/$1/task/$1/status"
}
frames() { find "$OUT/frames" -name '*.bmp' | wc -l; }
more_frames_than() { [ "$(frames)" -gt "$1" ]; }

post_notice() {
  lobby_api POST /api/v1/notices "{\"title\":\"$1\",\"body\":\"请留意。\",\"category\":\"community\",\"priority\":1,\"pinned\":false,\"emergency\":false,\"target\":{\"type\":\"all\"}}" -f >/dev/null ||
    die "posting the notice $1"
}

post_notice "电梯年检通知"
(cd "$OUT/frames" && SDL_VIDEO_OFFSCREEN_SAVE_FRAMES=1 exec "$KIOSK" --config "$OUT/kiosk.ini" --window \
  --size 1080x1920 --no-pinyin --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" --state-dir "$STATE" \
  2>>"$OUT/kiosk.log") &
kiosk_pid=$!

# 1. Up, the feed drawn, then left alone.
wait_for 30 grep -q 'feed: version' "$OUT/kiosk.log" || die "the kiosk did not fetch the feed"
wait_for 10 more_frames_than 1 || die "the feed was not drawn"
sleep 1
before=$(switches "$kiosk_pid")
sleep 10
after=$(switches "$kiosk_pid")
idle=$((after - before))
echo "idle: the UI thread was switched out $idle times in 10 s (at most $MAX_SWITCHES)"
[ "$idle" -le "$MAX_SWITCHES" ] || die "the idle UI thread woke $idle times in 10 s (at most $MAX_SWITCHES)"

# 2. A notice posted now is drawn at once: the network thread wakes the loop.
shown=$(frames)
post_notice "停车场划线施工"
wait_for 3 more_frames_than "$shown" || die "a new notice was not drawn within 3 s of its posting"

# 3. SIGTERM: a clean exit at once, though the loop sleeps.
kill -TERM "$kiosk_pid"
wait_for 3 sh -c "! kill -0 $kiosk_pid 2>/dev/null" || die "the kiosk was still running 3 s after SIGTERM"
set +e
wait "$kiosk_pid"
rc=$?
set -e
kiosk_pid=
[ "$rc" -eq 0 ] || die "the kiosk exited with $rc on SIGTERM"
! grep -h -E 'AddressSanitizer|runtime error|LeakSanitizer' "$OUT"/*.log || die "sanitizer report"
echo "idle_wakeups: ok"
