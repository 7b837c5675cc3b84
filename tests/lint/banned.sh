#!/usr/bin/env bash
# Functions Lobby's programs (src/) must not call, as curl keeps a list of
# its own: each has a bounded or checked replacement used instead.
#
#   strcpy, strcat, sprintf, vsprintf  -> snprintf, or memcpy after a length check
#   gets                               -> fgets
#   strtok                             -> strtok_r, or a hand-written scanner
#   atoi, atol, atoll, atof            -> lobby_parse_int64 (errors are seen)
#
#   banned.sh SOURCE_DIR
set -euo pipefail
src=${1:?usage: banned.sh SOURCE_DIR}
pattern='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atoll|atof)[[:space:]]*\('
if grep -rnE --include='*.c' --include='*.h' "$pattern" "$src/src"; then
  echo "banned.sh: the calls above use banned functions; see the list at the top of $0" >&2
  exit 1
fi
echo "banned.sh: no banned functions in src/"
