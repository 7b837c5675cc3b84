#!/bin/sh
# Checks the include graph of Lobby's sources: no include cycles, and no
# include that crosses a layer the wrong way (the table below).
#
#   include_graph.sh [--stats] [--modules] SRC_DIR
#
# SRC_DIR is the tree to check (the project's src/); every .c, .h and .h.in
# under it is read (lobby_paths.h.in is the template of lobby_paths.h).  An
# #include "name.h" names a header of the tree by its file name, wherever
# it is, as the build's include directories resolve it; two headers with
# one name are therefore an error.  Includes in <...> are outside the tree
# and only matter to the rule table.  Every #include line counts, also one
# under #if.
#
# Two kinds of cycle fail the check, each listed as "a -> b -> a" with the
# include behind each arrow:
#
# - header cycles: a.h includes b.h, which includes a.h.  Include guards
#   hide these, and what compiles then depends on which is included first.
# - module cycles: a module is a header together with the .c files that
#   implement it, that is the .c of the same name in the same folder and
#   any .c of the same program folder (common/, server/, kiosk/, ctl/)
#   that defines a function or object the header declares (app.c
#   implements kiosk_app.h).  A module's private header is part of it:
#   x_internal.h belongs to x.h's module, and headers implemented by one
#   .c are one module (store.h and store_sqlite_internal.h), so a public
#   header and its internal one are not taken for a cycle.  Module A
#   depends on module B when A's header or one of A's sources includes B's
#   header.  A cycle means neither can be built, tested or understood
#   without the other: this is the level at which "files import each other
#   in a cycle" is meant, since a .c is never included.  A .c that
#   implements no header (a main) is depended on by nothing and cannot be
#   on a cycle.  Each module on a cycle is listed with its files;
#   --modules lists them all.
#
# Cycles are listed as the shortest cycle through each header or module
# that is on one, each once.
#
# With --stats it also prints the graph's size and runs code_stats.sh
# (files per folder, the longest functions).
#
# Exit status: 0 clean, 1 a cycle, a forbidden include or two headers of
# one name, 2 a usage error or a file that could not be read.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
stats=0
modules=0
while [ $# -gt 1 ]; do
  case $1 in
    --stats) stats=1 ;;
    --modules) modules=1 ;;
    *) break ;;
  esac
  shift
done
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: include_graph.sh [--stats] [--modules] SRC_DIR" >&2
  exit 2
fi
src=$1

# Forbidden includes: a file whose path (relative to SRC_DIR) matches FROM
# must not include a header that matches TO, which is matched against the
# include as written ("curl/curl.h"), its file name ("store_sqlite.h") and
# the path of the tree's header it names ("kiosk/net/x.h").  In both, "*"
# matches any characters, "/" included.  A rule that matches no file yet
# costs nothing.  Only direct includes are checked: a header allowed to a
# layer must keep to the layer's rules itself (store.h below).
rules='
# FROM                    TO                        WHY
common/*                  server/*                  common is below every program
common/*                  kiosk/*                   common is below every program
common/*                  ctl/*                     common is below every program
server/handlers_*.c       sqlite3.h                 handlers reach the database through store.h only
server/handlers_*.c       store_sqlite*.h           handlers reach the database through store.h only
server/handlers_*.c       libpq-fe.h                handlers reach the database through store.h only
server/handlers_*.c       store_pg*.h               handlers reach the database through store.h only
server/store.h            libpq-fe.h                store.h is the interface handlers see: no SQL in it
server/store.h            sqlite3.h                 store.h is the interface handlers see: no SQL in it
server/http.c             router.h                  the HTTP layer does HTTP only; lobbyd_parts.c wires it up
server/http.c             metrics.h                 the HTTP layer does HTTP only; lobbyd_parts.c wires it up
server/http.c             audit.h                   the HTTP layer does HTTP only; lobbyd_parts.c wires it up
server/http.c             events.h                  the HTTP layer does HTTP only; lobbyd_parts.c wires it up
server/http.c             longpoll.h                the HTTP layer does HTTP only; lobbyd_parts.c wires it up
kiosk/screens/*           kiosk_net_internal.h      screens use the network through kiosk_net.h only
kiosk/screens/*           curl/curl.h               screens use the network through kiosk_net.h only
kiosk/screens/*           kiosk_outbox.h            screens use the network through kiosk_net.h only
kiosk/screens/*           sqlite3.h                 screens hold no SQL
kiosk/screens/*           store_sqlite*.h           screens hold no SQL
kiosk/ui/*                kiosk/screens/*           ui draws for the screens and knows none of them
kiosk/ui/*                kiosk/net/*               ui knows nothing of the network
kiosk/input/*             kiosk/screens/*           input feeds the screens and knows none of them
kiosk/input/*             kiosk/net/*               input knows nothing of the network
kiosk/ui/*                kiosk/kiosk_app*.h        ui knows nothing of the app above it
kiosk/input/*             kiosk/kiosk_app*.h        input knows nothing of the app above it
kiosk/screens/kiosk_api.* kiosk/kiosk_app*.h        the API knows the server, not the app
kiosk/screens/kiosk_api.* kiosk/screens/screen*     the API knows the server, not the screens
kiosk/app*.c              kiosk_net_internal.h      the app uses the network through kiosk_net.h only
kiosk/speech/*            kiosk/kiosk_app*.h        speech text is plain text rules: no app, screens, drawing or network
kiosk/speech/*            kiosk/screens/*           speech text is plain text rules: no app, screens, drawing or network
kiosk/speech/*            kiosk/ui/*                speech text is plain text rules: no app, screens, drawing or network
kiosk/speech/*            kiosk/net/*               speech text is plain text rules: no app, screens, drawing or network
kiosk/speech/*            kiosk/input/*             speech text is plain text rules: no app, screens, drawing or network
kiosk/speech/*            SDL*                      speech text is plain text rules: no app, screens, drawing or network
kiosk/audio/*             kiosk/kiosk_app*.h        sound plays what it is given and knows no screen, drawing or network
kiosk/audio/*             kiosk/screens/*           sound plays what it is given and knows no screen, drawing or network
kiosk/audio/*             kiosk/ui/*                sound plays what it is given and knows no screen, drawing or network
kiosk/audio/*             kiosk/net/*               sound plays what it is given and knows no screen, drawing or network
kiosk/audio/*             kiosk/input/*             sound plays what it is given and knows no screen, drawing or network
'

files=$(cd "$src" && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.h.in' \) | sed 's|^\./||' | LC_ALL=C sort)
status=0
printf '%s\n%%%%\n%s\n' "$rules" "$files" |
  LC_ALL=C awk -v root="$src" -v stats="$stats" -v list_modules="$modules" -f "$here/c_source.awk" -f "$here/include_graph.awk" ||
  status=$?
if [ "$stats" = 1 ]; then
  "$here/code_stats.sh" "$src" || status=$?
fi
exit "$status"
