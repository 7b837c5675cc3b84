#!/usr/bin/env bash
# kiosk.rotation: a panel hung sideways.  Headless at an output of
# 1920x1080 with --rotation 90 (and 180, 270) the kiosk lays out at
# 1080x1920, its screenshots are the output as the panel shows it (turned),
# and a tap on 报修 opens the repair form.  The turned screenshot holds,
# at the turned position of each point, the pixel the unturned kiosk draws.
#   rotation.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
KIOSK=$1 SRC=$2 OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
FEED="$SRC/tests/kiosk/data/demo_feed.json"
die() { echo "FAIL (rotation): $*" >&2; exit 1; }
export LOBBY_FAKE_NOW=1764122400 # 2025-11-26T10:00+08:00: the same clock in every run

# png_size FILE: "W H" from the PNG header.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }
# pixel FILE X Y: "R G B" of one pixel.
pixel() { pngtopnm "$1" | pnmcut -left "$2" -top "$3" -width 1 -height 1 | pnmtopnm -plain | tail -1 | xargs; }
# run NAME SIZE ROTATION SCRIPT: the headless kiosk; its --dump-ui in NAME.json.
run() {
  printf '%s\n' "$4" >"$OUT/$1.kiosk"
  "$KIOSK" --headless --size "$2" --rotation "$3" --feed "$FEED" --no-pinyin --shots "$OUT" \
    --script "$OUT/$1.kiosk" --dump-ui >"$OUT/$1.json" 2>"$OUT/$1.log" ||
    { cat "$OUT/$1.log" >&2; die "$1: the kiosk failed"; }
}

run upright 1080x1920 0 'shot upright'
read -r bx by bw bh < <(jq -r '.widgets[] | select(.role == "button" and .text == "报修") | .rect | @tsv' "$OUT/upright.json")
[ -n "$bx" ] || die "no 报修 button in the upright layout"
# Points inside 报修's button, clear of its text and rounded corners, and
# the header's left end.
points=("$((bx + 16)) $((by + bh / 2))" "$((bx + bw - 16)) $((by + bh / 3))" "20 20")

for rot in 90 180 270; do
  case $rot in 90 | 270) size=1920x1080 ow=1920 oh=1080 ;; *) size=1080x1920 ow=1080 oh=1920 ;; esac
  run "r$rot" "$size" "$rot" "shot r${rot}_home
tap \"报修\"
wait \"1号楼\" 3000
shot r${rot}_repair"
  [ "$(png_size "$OUT/r${rot}_home.png")" = "$ow $oh" ] ||
    die "rotation $rot: the screenshot is $(png_size "$OUT/r${rot}_home.png"), not ${ow}x${oh}"
  [ "$(jq -r '"\(.width)x\(.height) \(.screen)"' "$OUT/r$rot.json")" = "1080x1920 repair-where" ] ||
    die "rotation $rot: laid out as $(jq -r '"\(.width)x\(.height) \(.screen)"' "$OUT/r$rot.json")"
  for p in "${points[@]}"; do
    read -r x y <<<"$p"
    case $rot in
      90) ox=$((ow - 1 - y)) oy=$x ;;
      180) ox=$((ow - 1 - x)) oy=$((oh - 1 - y)) ;;
      270) ox=$y oy=$((oh - 1 - x)) ;;
    esac
    want=$(pixel "$OUT/upright.png" "$x" "$y")
    got=$(pixel "$OUT/r${rot}_home.png" "$ox" "$oy")
    [ "$got" = "$want" ] || die "rotation $rot: output pixel $ox,$oy is $got, the screen's $x,$y is $want"
  done
done
echo "rotation: ok"
