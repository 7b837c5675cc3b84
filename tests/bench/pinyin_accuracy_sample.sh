#!/usr/bin/env bash
# bench.pinyin_accuracy_sample: pinyin_accuracy runs through the sample
# file (all of it, then its tune part) and prints the table with a row for
# each engine built; a malformed line, a missing file and a bad argument
# are refused.  The accuracy figures are not checked: measuring them is
# what the benchmark is for.
#
#   pinyin_accuracy_sample.sh PINYIN_ACCURACY SAMPLE_TSV ENGINE...
set -euo pipefail
bin=${1:?usage: pinyin_accuracy_sample.sh PINYIN_ACCURACY SAMPLE_TSV ENGINE...}
sample=${2:?}
shift 2
# Under LeakSanitizer: the peers' own leaks are not the kiosk's (the file says which).
here=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="suppressions=$here/pinyin_accuracy-lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
work=$(mktemp -d /tmp/pinyin-accuracy-test-XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# run EXPECTED_STATUS ARGS...: output in $work/out and $work/err.
run() {
  local expected=$1 status=0
  shift
  "$bin" "$@" >"$work/out" 2>"$work/err" || status=$?
  if [ "$status" -ne "$expected" ]; then
    cat "$work/out" "$work/err" >&2
    fail "pinyin_accuracy $* exited $status, expected $expected"
  fi
}

# check_table PHRASES: the table and a row per engine, each with PHRASES.
check_table() {
  local phrases=$1 engine
  shift
  grep -qF "| engine | phrases | top-1 % | top-5 % | first 4 pages % | taps/phrase | tap failures |" \
    "$work/out" || fail "no table header"
  for engine in "$@"; do
    grep -q "^| $engine[^|]* | $phrases | " "$work/out" || fail "no row for $engine with $phrases phrases"
  done
  grep -q '^lobby: first deploy [0-9.]* ms' "$work/out" || fail "no first-deploy line"
  grep -q 'peak RSS after deploy [0-9.]* MiB' "$work/out" || fail "no peak RSS"
}

all=$(($(grep -c . "$sample") - 1))
tune=$(grep -c $'^tune\t' "$sample")

run 0 --file "$sample" --misses 3
cat "$work/out"
check_table "$all" "$@"

run 0 --file "$sample" --part tune
check_table "$tune" "$@"

printf 'part\tkind\tphrase\tpinyin\ntune\tfault\t电梯\tdian ti gu\n' >"$work/bad.tsv"
run 1 --file "$work/bad.tsv"
grep -qF "$work/bad.tsv:2: pinyin needs one syllable per character" "$work/err" ||
  fail "the malformed line was not named: $(cat "$work/err")"

run 1 --file "$work/missing.tsv"
grep -qF "$work/missing.tsv" "$work/err" || fail "the missing file was not named"

run 2 --part everything
echo "ok"
