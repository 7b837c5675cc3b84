#!/bin/sh
# The packages on a new machine, as an installer would use them:
#
#   ../shared/tools/fresh-debian -- deploy/package-test.sh
#
# builds lobby-server and lobby-kiosk (deploy/package.sh), installs them
# with apt-get, drops every build and test package again (so a library the
# packages forgot to depend on goes missing), then: lobbyd started as its
# unit starts it (same user, command line and config), an admin token,
# a notice posted with lobbyctl, the installed kiosk (as its user, with
# /etc/lobby/kiosk.ini) showing it headless with pinyin; `apt-get remove`
# keeps the data and `purge` deletes it.  It changes the machine it runs on:
# run it only on a throw-away one.  Needs root.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
die() { echo "package-test: FAIL: $*" >&2; exit 1; }
step() { echo "== package-test: $*"; }
[ "$(id -u)" = 0 ] || die "run as root on a throw-away machine"

step "build the packages"
deploy/package.sh
server_deb=$(ls "$top"/run/packages/lobby-server_*.deb)
kiosk_deb=$(ls "$top"/run/packages/lobby-kiosk_*.deb)
ls -l "$server_deb" "$kiosk_deb"
dpkg-deb -f "$server_deb" Depends
dpkg-deb -f "$kiosk_deb" Depends

step "install them with apt-get, then remove the build and test packages"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$server_deb" "$kiosk_deb" >/dev/null
# Everything install-deps.sh asked for becomes removable unless the two
# packages (or the base system) need it; the compilers, -dev packages and
# test tools go explicitly (apt keeps what any installed package merely
# recommends).  Were one of them a real dependency, apt would remove the
# Lobby packages with it and the checks below would fail.
build_pkgs=$(sed -n '/^packages="/,/^"/p' deploy/install-deps.sh | grep -v '"' | tr -s ' \n' ' ')
# shellcheck disable=SC2086
apt-mark auto $build_pkgs npm >/dev/null 2>&1 || true
apt-mark manual curl procps systemd >/dev/null
tools=$(dpkg-query -W -f '${Package}\n' | grep -E -e '-dev$' \
  -e '^(build-essential|gcc|gcc-12|g\+\+|g\+\+-12|cpp|cpp-12|clang|clang-14|cmake|pkg-config|nodejs|npm|chromium|xvfb|xdotool)$' || true)
# shellcheck disable=SC2086
apt-get purge -y -qq $tools >/dev/null
apt-get autoremove --purge -y -qq >/dev/null
for p in libsdl2-dev librime-dev gcc cmake; do
  ! dpkg -s "$p" >/dev/null 2>&1 || die "$p is still installed: the check below would prove nothing"
done
dpkg -s lobby-server lobby-kiosk | grep -E '^(Package|Status|Installed-Size)'

step "users, directories and units as the packages left them"
getent passwd lobby >/dev/null || die "no lobby user"
getent passwd lobby-kiosk >/dev/null || die "no lobby-kiosk user"
[ "$(stat -c %U /var/lib/lobby)" = lobby ] || die "/var/lib/lobby is not lobby's"
[ "$(stat -c %U /var/lib/lobby-kiosk)" = lobby-kiosk ] || die "/var/lib/lobby-kiosk is not lobby-kiosk's"
unit=/usr/lib/systemd/system/lobbyd.service
systemd-analyze verify "$unit" /usr/lib/systemd/system/lobby-kiosk-session.service ||
  die "systemd-analyze verify"
systemd-analyze security --offline=true "$unit" | tail -1
[ -L /etc/systemd/system/multi-user.target.wants/lobbyd.service ] || die "lobbyd.service is not enabled"
lobbyd --version && lobbyctl --version && lobby-kiosk --version

step "lobbyd as its unit starts it"
user=$(sed -n 's/^User=//p' "$unit")
cmd=$(sed -n 's/^ExecStart=//p' "$unit")
# The admin token first, by root, as an admin would: the database must
# still belong to the service's user afterwards.
LOBBY_TOKEN=$(lobbyd admin-token --name 管理员)
export LOBBY_TOKEN
[ "$(stat -c %U /var/lib/lobby/lobby.db)" = "$user" ] || die "admin-token as root left lobby.db owned by $(stat -c %U /var/lib/lobby/lobby.db)"
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --init-groups $cmd >/tmp/lobbyd.out 2>/tmp/lobbyd.log &
lobbyd_pid=$!
trap 'kill $lobbyd_pid 2>/dev/null || true' EXIT
LOBBY_SERVER=http://127.0.0.1:8080
export LOBBY_SERVER
for _ in $(seq 100); do curl -fsS "$LOBBY_SERVER/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$LOBBY_SERVER/healthz" || { cat /tmp/lobbyd.log; die "lobbyd did not start"; }
echo
curl -fsS "$LOBBY_SERVER/console/" | grep -q '<html' || die "the console is not served"
lobbyctl directory load deploy/demo/directory.json
lobbyctl notice post --title "停水通知（安装包测试）" --body "12月2日9:00-12:00停水" --category outage --pinned
kiosk_token=$(lobbyctl kiosk add lobby-1 --building 1 --json | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
[ -n "$kiosk_token" ] || die "no kiosk token"

step "the installed kiosk, as lobby-kiosk with /etc/lobby/kiosk.ini"
sed -i "s|^url = .*|url = $LOBBY_SERVER|; s|^token =.*|token = $kiosk_token|" /etc/lobby/kiosk.ini
mkdir -p /tmp/kiosk-shots && chown lobby-kiosk /tmp/kiosk-shots
printf 'wait "停水通知（安装包测试）" 15000\nshot installed\n' >/tmp/kiosk-tour.kiosk
setpriv --reuid=lobby-kiosk --regid=lobby-kiosk --init-groups \
  lobby-kiosk --headless --size 1080x1920 --script /tmp/kiosk-tour.kiosk --shots /tmp/kiosk-shots \
  2>/tmp/kiosk.log || { cat /tmp/kiosk.log; die "the installed kiosk did not show the notice"; }
grep -q 'kiosk-pinyin available=1' /tmp/kiosk.log || { grep kiosk-pinyin /tmp/kiosk.log; die "no pinyin"; }
# libpinyin is loaded with dlopen, so only the package's Depends keeps it
# through the autoremove above.
! grep 'no second opinion' /tmp/kiosk.log || die "the installed kiosk has no libpinyin"
[ -s /tmp/kiosk-shots/installed.png ] || die "no screenshot"

step "remove keeps the data, purge deletes it"
kill "$lobbyd_pid"; wait "$lobbyd_pid" 2>/dev/null || true
apt-get remove -y -qq lobby-server lobby-kiosk >/dev/null
[ -s /var/lib/lobby/lobby.db ] || die "remove deleted the database"
[ -f /etc/lobby/lobbyd.ini ] || die "remove deleted lobbyd.ini"
[ ! -e /usr/sbin/lobbyd ] || die "remove left lobbyd"
apt-get purge -y -qq lobby-server lobby-kiosk >/dev/null
[ ! -e /var/lib/lobby ] || die "purge left /var/lib/lobby"
[ ! -e /var/lib/lobby-kiosk ] || die "purge left /var/lib/lobby-kiosk"
[ ! -e /etc/lobby ] || die "purge left /etc/lobby"
step "ok"
