#!/usr/bin/env bash
# deploy.install: `cmake --install` into a temporary DESTDIR, then the
# installed lobbyd (with its console), lobbyctl and kiosk (headless, the
# notice on screen, pinyin available) run from there.  Nothing of the
# source or build tree is in reach: the installed files must not name
# either, and the programs run from a directory outside both.
#
#   install_tree.sh BUILD_DIR SOURCE_DIR [sanitized]
#
# A sanitized build is never shipped, and clang's AddressSanitizer keeps
# each file's absolute name for its reports whatever -ffile-prefix-map
# says: there the path check is left out, the rest runs.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
SANITIZED=${3:-}
. "$SRC/tests/support/lobbyd_fixture.sh"

die() { echo "FAIL (install): $*" >&2; exit 1; }

DEST=$(mktemp -d /tmp/lobby-install.XXXXXX)
cleanup_dest() { lobby_fixture_stop; rm -rf "$DEST"; }
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
DESTDIR="$DEST" cmake --install "$BUILD" >"$DEST.log" 2>&1 || { cat "$DEST.log"; die "cmake --install failed"; }
rm -f "$DEST.log"
root="$DEST$prefix"
lobbyd=$(ls "$root"/sbin/lobbyd) lobbyctl="$root/bin/lobbyctl" kiosk="$root/bin/lobby-kiosk"

# 1. What is installed, and that it names no source or build directory.
for f in "$lobbyd" "$lobbyctl" "$kiosk" "$root"/share/lobby/console/index.html \
         "$root"/share/lobby/assets/strings/zh.ini "$root"/share/lobby/assets/calendar/cn-2026.txt "$root"/share/lobby/rime/lobby_pinyin.schema.yaml \
         "$root"/share/lobby/rime/lobby_pinyin.dict.yaml \
         "$(find "$DEST" -name lobby-kiosk-net.so)" "$(find "$DEST" -path '*/etc/lobby/lobbyd.ini')" \
         "$(find "$DEST" -path '*/etc/lobby/kiosk.ini')" \
         "$root"/lib/systemd/system/lobbyd.service "$root"/lib/systemd/system/lobby-kiosk-session.service; do
  [ -n "$f" ] && [ -e "$f" ] || die "not installed: ${f#"$DEST"} (installed: $(cd "$DEST" && find . -type f | head -40))"
done
# An absolute path starts the match ("./src/..." from the debug
# information's mapped paths is not one, even where the tree is /src).
re_escape() { printf '%s' "$1" | sed 's/[.[\*^$()+?{|]/\\&/g'; }
tree_paths="(^|[^[:alnum:]._/-])($(re_escape "$SRC")|$(re_escape "$BUILD"))/"
if [ "$SANITIZED" = sanitized ]; then
  echo "sanitized build: not checked for source and build paths"
elif grep -rlaE "$tree_paths" "$DEST" >/dev/null; then
  die "installed files name the source or build tree: $(grep -rlaE "$tree_paths" "$DEST" | head -3): $(grep -rhaoE ".{0,20}$tree_paths.{0,40}" "$DEST" | head -3)"
fi
for b in "$lobbyd" "$lobbyctl" "$kiosk"; do
  "$b" --version | grep -qx "$(basename "$b") [0-9][0-9.]*" || die "$(basename "$b") --version: $("$b" --version)"
done

# 2. The installed lobbyd serves the installed console.
cd "$DEST"
lobby_fixture_start "$lobbyd"
trap cleanup_dest EXIT
curl -fsS "$LOBBY_SERVER/console/" | grep -q '<html' || die "the console is not served from the install"
curl -fsS "$LOBBY_SERVER/console/app.js" -o /dev/null || die "console/app.js is not served"
# The installed lobbyd loaded the installed working-day calendar.
curl -fsS -H "Authorization: Bearer $LOBBY_TOKEN" "$LOBBY_SERVER/api/v1/calendar?year=2026" |
  grep -q '"2026-10-01"' || die "the installed lobbyd did not load assets/calendar/cn-2026.txt"

# 3. lobbyctl posts a notice; the installed kiosk shows it, with pinyin.
LOBBY_SERVER=$LOBBY_SERVER LOBBY_TOKEN=$LOBBY_TOKEN "$lobbyctl" notice post \
  --title "安装测试通知" --body "从安装目录运行" --category community >/dev/null || die "lobbyctl notice post failed"
cat >"$DEST/tour.kiosk" <<'SCRIPT'
wait "安装测试通知" 15000
tap "报修"
expect "1号楼"
SCRIPT
set +e
"$kiosk" --headless --size 1080x1920 --server "$LOBBY_SERVER" --token "$LOBBY_KIOSK_TOKEN" \
  --state-dir "$DEST/kiosk-state" --script "$DEST/tour.kiosk" --shots "$DEST/shots" \
  >"$DEST/kiosk.out" 2>"$DEST/kiosk.log"
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat "$DEST/kiosk.log"; die "the installed kiosk's script failed ($rc)"; }
grep -q 'kiosk-pinyin available=1' "$DEST/kiosk.log" || { grep kiosk-pinyin "$DEST/kiosk.log"; die "no pinyin in the installed kiosk"; }

# 4. Both units verify, with their programs where the install put them.
if command -v systemd-analyze >/dev/null; then
  for unit in lobbyd lobby-kiosk-session; do
    sed "s|=$prefix/|=$root/|g; s| $prefix/| $root/|g" "$root/lib/systemd/system/$unit.service" \
      >"$DEST/$unit.service"
    systemd-analyze verify "$DEST/$unit.service" 2>"$DEST/verify.log" ||
      { cat "$DEST/verify.log"; die "systemd-analyze verify $unit.service"; }
    ! grep -v -e 'Unit .*\.target not found' -e 'plymouth-quit-wait' "$DEST/verify.log" | grep . ||
      die "systemd-analyze verify $unit.service complained"
  done
  score=$(systemd-analyze security --offline=true "$DEST/lobbyd.service" 2>/dev/null |
          sed -n 's/.*Overall exposure level for lobbyd.service: \([0-9.]*\).*/\1/p')
  echo "systemd-analyze security lobbyd.service: $score"
  awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }' || die "lobbyd.service exposure $score, more than 2.0"
fi
echo "install: ok"
