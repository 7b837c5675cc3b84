#!/bin/sh
# Prints figures about Lobby's sources for notes and reviews: the files in
# each folder (.c, .h, other, all, and the lines of .c and .h) and the
# longest functions, by the house style's layout (a function starts in
# column 0 with "name(" and ends at a "}" in column 0).
#
#   code_stats.sh [--top N] SRC_DIR
#
# Exit status: 0, or 2 on a usage error or a file that could not be read.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=10
if [ "${1:-}" = "--top" ] && [ $# -ge 2 ]; then
  top=$2
  shift 2
fi
case $top in
  ''|*[!0-9]*) top=bad ;;
esac
if [ $# -ne 1 ] || [ ! -d "$1" ] || [ "$top" = bad ]; then
  echo "usage: code_stats.sh [--top N] SRC_DIR" >&2
  exit 2
fi
src=$1

(cd "$src" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) |
  LC_ALL=C awk -v root="$src" -v top="$top" -f "$here/c_source.awk" -f "$here/code_stats.awk"
