#!/bin/sh
# run_one.sh FUZZER WORKDIR SEEDS LIMIT: one libFuzzer target from the
# committed seeds; new inputs and any crash input go to WORKDIR.  LIMIT is
# a time ("600s", random seed: tests/fuzz/run.sh) or a number of runs
# ("20000", seed 1, so that CTest repeats the same inputs every time).
# Prints the executions done; exits non-zero on a crash, leak or timeout.
# FUZZ_TIMEOUT (seconds, default 10) is how long one input may take: a
# long run at nice 19 beside a build can be starved for longer than that,
# which libFuzzer, timing by the wall clock, reports as a timeout.
# FUZZ_FORK=N (default 1) runs N worker processes under one libFuzzer
# (-fork=N) sharing one corpus and one count of runs, each job with a seed
# of its own; a timeout or an out-of-memory stops it as a crash does.
set -eu
fuzzer=$1 work=$2 seeds=$3 limit=$4
case "$limit" in
  *s) how="-max_total_time=${limit%s}" ;;
  *) how="-runs=$limit -seed=1" ;;
esac
fork=
if [ "${FUZZ_FORK:-1}" -gt 1 ]; then
  # Every job would be given the one seed: each picks its own instead.
  how=${how% -seed=1}
  fork="-fork=$FUZZ_FORK -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0"
fi
mkdir -p "$work/corpus"
# shellcheck disable=SC2086
"$fuzzer" $how $fork -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=1024 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" "$seeds" >"$work/log" 2>&1 || {
  tail -40 "$work/log"
  echo "$(basename "$fuzzer"): FAILED, the input is in $work/ (crash-*, leak-* or timeout-*)"
  exit 1
}
runs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' \
  -e 's/^INFO: fuzzed for \([0-9]*\) iterations.*/\1/p' "$work/log" | tail -1)
echo "$(basename "$fuzzer"): ${runs:-?} executions ($limit), no crash"
