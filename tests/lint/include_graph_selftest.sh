#!/bin/sh
# Runs include_graph.sh and code_stats.sh on the trees in
# include_graph_fixtures/ and compares what they print, and their exit
# status, with each tree's expected output:
#
#   clean/         the new kiosk layout without a cycle or a forbidden include
#   header_cycle/  a.h -> b.h -> c.h -> a.h, a header that includes itself,
#                  and one through the template lobby_paths.h.in
#   module_cycle/  the kiosk's app and keyboard, and screens whose sources are
#                  found by what they define
#   forbidden/     one include against each kind of rule, allowed ones beside
#   duplicate/     two headers with one name
#
#   include_graph_selftest.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/include_graph_fixtures
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0

# check NAME EXPECTED COMMAND...: the command's output and exit status must be
# EXPECTED's lines.
check() {
  name=$1
  expected=$2
  shift 2
  status=0
  "$@" >"$out" 2>&1 || status=$?
  echo "exit $status" >>"$out"
  if diff -u "$expected" "$out"; then
    echo "include_graph_selftest: $name: as expected"
  else
    echo "include_graph_selftest: $name: differs from $expected (above)"
    failed=$((failed + 1))
  fi
}

for tree in clean header_cycle module_cycle forbidden duplicate; do
  check "$tree" "$fixtures/$tree/expected" sh "$here/include_graph.sh" "$fixtures/$tree/src"
done
check "clean, code_stats" "$fixtures/clean/expected_stats" sh "$here/code_stats.sh" --top 4 "$fixtures/clean/src"
check "usage" "$fixtures/usage_expected" sh "$here/include_graph.sh" "$fixtures/no-such-tree"

if [ "$failed" -ne 0 ]; then
  echo "include_graph_selftest: $failed of 7 checks failed"
  exit 1
fi
echo "include_graph_selftest: all 7 checks as expected"
