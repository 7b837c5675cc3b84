#!/bin/sh
# Builds the Debian packages lobby-server and lobby-kiosk (CPack, see
# deploy/packaging.cmake) into run/packages/.  Install them with
#   apt-get install ./run/packages/lobby-server_*.deb ./run/packages/lobby-kiosk_*.deb
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

deploy/install-deps.sh
build="$top/build-deb"
out="$top/run/packages"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DLOBBY_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
rm -rf "$out" && mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls -l "$out"/*.deb
