#!/bin/sh
# One way to look at an error code across src/: a lobby_err is compared
# with LOBBY_OK (`if (err != LOBBY_OK)`, `if (err == LOBBY_OK) err = ...`),
# never tested as a truth value (`if (err)`, `if (!err)`, `err ? a : b`),
# and the call of a function that returns one is compared too.  Reading
# any file, the test for failure then looks the same.
#
#   error_checks.sh SOURCE_DIR
set -eu
src=${1:?usage: error_checks.sh SOURCE_DIR}/src

# The functions the headers declare to return lobby_err.
fns=$(grep -rhoE '^lobby_err [a-z_0-9]+\(' "$src" --include='*.h' | sed 's/^lobby_err //; s/($//' | sort -u |
      paste -sd'|' -)

# Each statement is read as one line, numbered by its first (a call's
# arguments and a chain of || and && often run over several lines).  A
# variable named err or *_err used as a truth value, and a listed call in
# a condition not followed by == or !=, are reported.
find "$src" -name '*.c' | LC_ALL=C sort | xargs awk -v fns="^($fns)\\\\(" '
  function report(what) { printf "%s:%d: %s: %s\n", FILENAME, first, what, held; bad = 1 }
  # Whether the call starting at s[i] is compared: == or != after its
  # closing parenthesis.
  function compared(s, i,    depth, c, rest) {
    depth = 0
    for (; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "(") depth++
      else if (c == ")" && --depth == 0) break
    }
    rest = substr(s, i + 1)
    sub(/^[ \t]+/, "", rest)
    return rest ~ /^(==|!=)/
  }
  function check_calls(s,    i, m, t) {
    t = s
    while (match(t, /(if \(|while \(|\|\| |&& )!?[a-z_0-9]+\(/)) {
      i = RSTART + RLENGTH
      m = substr(t, RSTART, RLENGTH)
      sub(/^(if \(|while \(|\|\| |&& )!?/, "", m)
      if (m ~ fns && !compared(t, i - 1))
        report("compare what the call returns with LOBBY_OK")
      t = substr(t, i)
    }
  }
  FNR == 1 { held = "" }
  { line = $0; sub(/[ \t]+$/, "", line) }
  held == "" { first = FNR }
  { held = held (held == "" ? "" : " ") line }
  line ~ /(,|\(|\|\||&&|=|\?|:)$/ { next }
  {
    if (held ~ /(if \(|while \(|return |&& |\|\| |; )!?[a-z_]*err( \?|\)| &&| \|\|)/ ||
        held ~ /= !?[a-z_]*err( \?| &&| \|\|)/)
      report("compare the error code with LOBBY_OK")
    check_calls(held)
    held = ""
  }
  END { exit bad }
' && echo "error_checks.sh: every error code in src/ is compared with LOBBY_OK"
