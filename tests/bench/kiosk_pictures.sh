#!/usr/bin/env bash
# Benchmark: what notices' pictures cost lobby-kiosk, headless at 1080×1920
# (the software renderer), against a real lobbyd with the demo notices plus
# ten notices of our own.
#
#   tests/bench/kiosk_pictures.sh BUILD_DIR
#
# Two rounds on the same ten notices: first as text only, then after
# lobbyctl gave each a poster (1920×1440 PNG, photo-like: gradients and
# noise, so it neither compresses away nor decodes trivially; lobbyd keeps
# it as a JPEG at most 1920 px a side).  In each round one kiosk run
#   - waits until the board shows (with pictures: a picture) and lets the
#     decoder finish all ten, then reads the kiosk's PSS from
#     /proc/PID/smaps_rollup several times over three seconds (the highest
#     is printed);
#   - drags the board up and down (frames while the list coasts with its
#     thumbnails), then opens the newest of the ten notices (the first on the board) and switches the
#     language FRAMES times (every text redrawn around the picture) and
#     drags its body.
# The kiosk times each frame itself (`kiosk-frame screen=… p50_ms p99_ms`).
#
# Environment: FRAMES (language switches on the notice, 200),
# KIOSK_PICTURES_OUT (run/kiosk-pictures: scripts, logs, screenshots).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
KIOSK="$BUILD/bin/lobby-kiosk"
CTL="$BUILD/bin/lobbyctl"
FRAMES=${FRAMES:-200}
OUT=${KIOSK_PICTURES_OUT:-$TOP/run/kiosk-pictures}

# shellcheck source=tests/bench/kiosk/common.sh
. "$HERE/kiosk/common.sh"
bench_need_built
bench_need jq:jq curl:curl python3:python3

TMP=$(mktemp -d /tmp/lobby-kiosk-pictures.XXXXXX)
KIOSK_PID=
cleanup() {
  if [ -n "$KIOSK_PID" ]; then kill -KILL "$KIOSK_PID" 2>/dev/null || true; fi
  demo_lobbyd_stop
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$OUT" && mkdir -p "$OUT"
export LC_ALL=C.UTF-8

demo_lobbyd_start
post_demo_notices

# poster FILE SEED: a 1920×1440 photo-like PNG.
poster() {
  python3 - "$1" "$2" <<'EOF'
import random, struct, sys, zlib
out, seed = sys.argv[1], int(sys.argv[2])
w, h = 1920, 1440
rnd = random.Random(seed)
base = [rnd.randrange(256) for _ in range(3)]
rows = bytearray()
for y in range(h):
    rows.append(0)
    line = bytearray(w * 3)
    for x in range(w):
        n = rnd.randrange(24)
        line[3 * x] = (base[0] + x * 255 // w + n) & 255
        line[3 * x + 1] = (base[1] + y * 255 // h + n) & 255
        line[3 * x + 2] = (base[2] + ((x // 160 + y // 120) % 2) * 96 + n) & 255
    rows += line
def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")
open(out, "wb").write(png)
EOF
}

TITLE_OF() { printf '第%s期社区活动海报：小区中心广场周末活动安排' "$1"; }
IDS=()
for i in $(seq 10); do
  id=$("$CTL" --server "$LOBBY_SERVER" --token "$LOBBY_TOKEN" --json notice post --title "$(TITLE_OF "$i")" \
    --body "本周六上午九点在小区中心广场举行社区活动，详见海报。如有疑问请拨打24小时服务电话400-800-1234。" \
    --category community --json | jq -r .id)
  IDS+=("$id")
done

# run NAME PICTURES(0|1): one kiosk run; prints its PSS and frame lines.
run() {
  local name=$1 pictures=$2 script="$OUT/$1.kiosk" state="$TMP/state-$1" i pss max=0
  {
    echo 'wait "通知公告" 20000'
    [ "$pictures" = 1 ] && echo 'wait-picture 30000'
    echo 'sleep 3000'
    echo "shot $name-ready"
    echo 'sleep 3000'
    for i in $(seq 10); do
      echo "drag 540 1150 540 500 200"
      echo "sleep 700"
      echo "drag 540 500 540 1150 200"
      echo "sleep 700"
    done
    echo "tap \"$(TITLE_OF 10)\""
    echo 'wait "通知详情" 5000'
    [ "$pictures" = 1 ] && echo 'wait-picture 5000'
    echo "shot $name-notice"
    for i in $(seq $((FRAMES / 2))); do printf 'lang en\nlang zh\n'; done
  } >"$script"
  "$KIOSK" --headless --size 1080x1920 --server "$LOBBY_SERVER" --token "$KIOSK_TOKEN" \
    --state-dir "$state" --shots "$OUT" --script "$script" >"$OUT/$name.out" 2>"$OUT/$name.log" &
  KIOSK_PID=$!
  for _ in $(seq 600); do
    [ -f "$OUT/$name-ready.png" ] && break
    kill -0 "$KIOSK_PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -f "$OUT/$name-ready.png" ] || { tail "$OUT/$name.log" >&2; echo "$name: the board never settled" >&2; exit 1; }
  for i in $(seq 6); do
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$KIOSK_PID/smaps_rollup" 2>/dev/null || echo 0)
    [ "${pss:-0}" -gt "$max" ] && max=$pss
    sleep 0.5
  done
  wait "$KIOSK_PID" || { tail "$OUT/$name.log" >&2; echo "$name: the kiosk script failed" >&2; exit 1; }
  KIOSK_PID=
  local cached
  cached=$({ find "$state/images" -type f 2>/dev/null || true; } | wc -l)
  echo "kiosk-pss run=$name pss_kb=$max cached_pictures=$cached"
  cat "$OUT/$name.log" "$OUT/$name.out" | grep -E "^kiosk-frame screen=(home|notice) |^kiosk-run " | sed "s/^/  /"
}

bench_machine
echo "ten notices, text only:"
run text 0
for i in $(seq 10); do
  poster "$TMP/poster-$i.png" "$i"
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $LOBBY_TOKEN" -H 'Content-Type: image/png' \
    --data-binary @"$TMP/poster-$i.png" "$LOBBY_SERVER/api/v1/notices/${IDS[$((i - 1))]}/image"
done
echo "the same ten notices, each with a 1920x1440 poster:"
run pictures 1
