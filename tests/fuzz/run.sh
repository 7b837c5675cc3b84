#!/bin/sh
# The fuzz targets for as long as asked (CTest runs each for 5 s):
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     # default 600 s each, every target
#
# builds build-fuzz/ with clang, ASan+UBSan and libFuzzer (the packages are
# deploy/install-deps.sh's), then runs each target from its seeds in
# tests/fuzz/corpus/ and what earlier runs found (build-fuzz/tests/fuzz/
# TARGET-work/corpus), and prints the executions.  A crash stops the run
# and names the file holding the input; reproduce with
#   build-fuzz/tests/fuzz/TARGET FILE
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-600}
[ $# -gt 0 ] && shift
build=build-fuzz
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOBBY_SANITIZE=ON \
  -DLOBBY_FUZZ=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
targets=${*:-$(cd tests/fuzz && ls fuzz_*.c | grep -v -e fuzz_input -e fuzz_lobbyd | sed 's/\.c$//')}
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $targets; do
  TMPDIR="$build/tests/fuzz" tests/fuzz/run_one.sh "$build/tests/fuzz/$t" \
    "$build/tests/fuzz/$t-work" "tests/fuzz/corpus/$t" "${seconds}s"
done
