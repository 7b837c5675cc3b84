#!/bin/sh
# Installs, by name, every Debian package Lobby needs to build, run and test.
# Safe to run again: apt-get skips what is already installed.
set -eu

packages="
  build-essential cmake pkg-config clang libclang-rt-14-dev git ca-certificates curl sqlite3 jq procps
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libcurl4-openssl-dev
  libsodium-dev libinih-dev libcmocka-dev libsystemd-dev
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libpng-dev libqrencode-dev libunibreak-dev
  librime-dev rime-data-luna-pinyin rime-prelude rime-essay fonts-noto-cjk
  libpinyin15-dev libgooglepinyin0-dev
  nodejs chromium
  xvfb x11-apps xdotool netpbm zbar-tools
  systemd cage dpkg-dev file
  libgnutls28-dev openssl wrk nginx-light
  libcrack2-dev cracklib-runtime
  python3 time
  libpq-dev postgresql
  libgd-dev
  libespeak-ng-dev
"

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# The console's browser tests use npm.  Debian's npm package conflicts with
# a nodejs that already bundles npm (NodeSource), so ask for it only when no
# npm is on the PATH.
if ! command -v npm >/dev/null 2>&1; then
  missing="$missing npm"
fi

if [ -n "$missing" ]; then
  echo "install-deps: installing:$missing"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
else
  echo "install-deps: all packages present"
fi
