#!/bin/sh
# Runs every test: installs packages, builds with gcc and runs the suite,
# then builds with clang under AddressSanitizer + UndefinedBehaviorSanitizer
# (with libFuzzer's coverage, so the fuzz targets in tests/fuzz run briefly
# too) and runs it again.  Exits non-zero on the first failure.
set -eu
cd "$(dirname "$0")/.."

deploy/install-deps.sh
# playwright-core for the console's browser tests, from the lock file; no
# browser is downloaded (Debian's chromium is used).
(cd tests/console && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

jobs=$(nproc 2>/dev/null || echo 2)

run_suite() {
  name=$1; shift
  echo "== $name: configure and build"
  cmake -S . -B "build-test-$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "build-test-$name" -j "$jobs"
  echo "== $name: tests"
  (cd "build-test-$name" && ctest --output-on-failure -j 1)
}

CC=gcc run_suite gcc
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  CC=clang run_suite clang-asan -DLOBBY_SANITIZE=ON -DLOBBY_FUZZ=ON
echo "== all tests passed (gcc, clang + ASan/UBSan)"
