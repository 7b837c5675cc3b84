#!/usr/bin/env bash
# kiosk.config: the real kiosk reading kiosk.ini strictly.  A bad value
# or line exits 2 with a message naming the file, the line, the setting
# and what it accepts; a comment after a value is not part of it; booleans
# are the same words everywhere; unknown settings are warned about.  Also
# --version and a bad --rotation.
#   config.sh KIOSK SOURCE_DIR OUTDIR VERSION
set -euo pipefail
KIOSK=$1 SRC=$2 OUT=$3 VERSION=$4
rm -rf "$OUT" && mkdir -p "$OUT"
FEED="$SRC/tests/kiosk/data/demo_feed.json"
die() { echo "FAIL (config): $*" >&2; exit 1; }

# bad NAME INI_TEXT EXPECTED_LINE: the kiosk refuses the file with exactly
# that message on stderr and exit status 2.
bad() {
  local ini="$OUT/$1.ini" rc=0
  printf '%s\n' "$2" >"$ini"
  "$KIOSK" --headless --config "$ini" --feed "$FEED" --no-pinyin >"$OUT/$1.out" 2>"$OUT/$1.err" || rc=$?
  [ "$rc" -eq 2 ] || die "$1: exit status $rc, not 2 ($(cat "$OUT/$1.err"))"
  local want=${3//@/$ini}
  [ "$(cat "$OUT/$1.err")" = "$want" ] || die "$1: stderr was
$(cat "$OUT/$1.err")
not
$want"
}

bad maybe $'[display]\nlanguage = zh\nfullscreen = maybe' \
  'lobby-kiosk: @ line 3: [display] fullscreen = "maybe": expected true/false, yes/no, on/off or 1/0'
bad pinyin $'[input]\npinyin = sometimes  # why not' \
  'lobby-kiosk: @ line 2: [input] pinyin = "sometimes": expected true/false, yes/no, on/off or 1/0'
bad rotation $'; a comment\n[display]\nrotation = 45' \
  'lobby-kiosk: @ line 3: [display] rotation = "45": expected 0, 90, 180 or 270'
bad renderer $'[display]\nrenderer = opengl' \
  'lobby-kiosk: @ line 2: [display] renderer = "opengl": expected auto, software or gpu'
bad night $'[display]\nnight = 23:00-7:00' \
  'lobby-kiosk: @ line 2: [display] night = "23:00-7:00": expected empty or HH:MM-HH:MM, like 00:00-06:00'
bad night_empty_range $'[display]\nnight = 06:00-06:00' \
  'lobby-kiosk: @ line 2: [display] night = "06:00-06:00": expected empty or HH:MM-HH:MM, like 00:00-06:00'
bad idle $'[privacy]\nidle_timeout_s = 60s' \
  'lobby-kiosk: @ line 2: [privacy] idle_timeout_s = "60s": expected a whole number of seconds from 5 to 3600'
bad volume $'[audio]\nvolume = 110' \
  'lobby-kiosk: @ line 2: [audio] volume = "110": expected a whole number from 0 to 100'
bad repeat $'[audio]\nemergency_repeat_s = 5' \
  'lobby-kiosk: @ line 2: [audio] emergency_repeat_s = "5": expected a whole number of seconds from 20 to 3600'
bad quiet $'[audio]\nquiet = 22:00' \
  'lobby-kiosk: @ line 2: [audio] quiet = "22:00": expected empty or HH:MM-HH:MM, like 22:00-07:00'
bad language $'[display]\nlanguage = fr # French' \
  'lobby-kiosk: @ line 2: [display] language = "fr": expected zh or en'
bad syntax $'[display]\nthis line has no equals sign\nlanguage = zh' \
  'lobby-kiosk: @ line 2: expected [section] or key = value'
rc=0
"$KIOSK" --headless --config "$OUT/missing.ini" --feed "$FEED" >/dev/null 2>"$OUT/missing.err" || rc=$?
[ "$rc" -eq 2 ] || die "a missing config file: exit status $rc, not 2"
[ "$(cat "$OUT/missing.err")" = "lobby-kiosk: cannot read $OUT/missing.ini: No such file or directory" ] ||
  die "missing file: $(cat "$OUT/missing.err")"

# Good files: comments after values, every boolean spelling, an unknown
# setting only warned about.  The state directory with a comment after it
# is found (its feed cache is shown), English is taken, pinyin is off.
mkdir -p "$OUT/state"
jq -n --slurpfile f "$FEED" '{etag: "\"1\"", fetched_at: 1764000000, feed: $f[0]}' >"$OUT/state/feed.json"
cat >"$OUT/good.ini" <<INI
[server]
state_dir = $OUT/state   # the feed cache is here
[display]
language = en ; English first
fullscreen = Off
rotation = 0
night =
colour = blue
renderer = gpu  # headless draws in software whatever this says
[input]
pinyin = off  # no pinyin
[audio]
enabled = yes
volume = 60
emergency_repeat_s = 120
quiet = 22:00-07:00  # overnight
quiet_volume = 20
INI
# The demo feed's notices are in Chinese: look for one of its titles.
title=$(jq -r '.notices[0].title' "$FEED")
printf 'expect "Notices"\nexpect "%s"\n' "$title" >"$OUT/good.kiosk"
"$KIOSK" --headless --config "$OUT/good.ini" --script "$OUT/good.kiosk" >"$OUT/good.out" 2>"$OUT/good.err" ||
  die "a good config was refused: $(cat "$OUT/good.err")"
grep -qx ".* warn $OUT/good.ini line 8: unknown setting \[display\] colour ignored" "$OUT/good.err" ||
  die "no warning for the unknown setting: $(cat "$OUT/good.err")"
grep -q '^kiosk-pinyin available=0' "$OUT/good.err" || die "pinyin = off was not taken"
for v in 1 0 true false yes no on off TRUE Yes; do
  printf '[display]\nfullscreen = %s\n[input]\npinyin = %s\n' "$v" "$v" >"$OUT/bool.ini"
  "$KIOSK" --headless --config "$OUT/bool.ini" --feed "$FEED" --no-pinyin >/dev/null 2>"$OUT/bool.err" ||
    die "the boolean $v was refused: $(cat "$OUT/bool.err")"
done

# --version, and the command line's own checks.
[ "$("$KIOSK" --version)" = "lobby-kiosk $VERSION" ] || die "--version printed $("$KIOSK" --version)"
rc=0
"$KIOSK" --headless --rotation 45 --feed "$FEED" >/dev/null 2>"$OUT/rot.err" || rc=$?
[ "$rc" -eq 2 ] && [ "$(cat "$OUT/rot.err")" = "lobby-kiosk: --rotation must be 0, 90, 180 or 270" ] ||
  die "--rotation 45: status $rc, $(cat "$OUT/rot.err")"
echo "config: ok"
