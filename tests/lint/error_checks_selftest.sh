#!/bin/sh
# error_checks.sh against a fixture tree: it must name exactly the lines
# that test an error code as a truth value, and pass the real tree's style.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/error_checks.sh" "$here/error_checks_fixture" 2>&1) && {
  echo "error_checks_selftest: the fixture passed, but it breaks the rule" >&2
  exit 1
}
got=$(printf '%s\n' "$out" | sed -n 's|.*lobby_demo\.c:\([0-9]*\):.*|\1|p' | paste -sd' ' -)
if [ "$got" != "9 11 15 17" ]; then
  printf '%s\n' "$out" >&2
  echo "error_checks_selftest: reported lines '$got', want '9 11 15 17'" >&2
  exit 1
fi
echo "error_checks_selftest: the four broken lines are named, and only those"
