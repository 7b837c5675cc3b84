#!/usr/bin/env bash
# server.config: lobbyd.ini is read strictly.  A `#` or `;` comment after a
# value is not part of it; a boolean is only true/false, yes/no, on/off,
# 1/0; a bad value or unknown key stops lobbyd with a message naming the
# file, the line, the setting and what it accepts.  Also --version.
#
#   config_test.sh LOBBYD VERSION
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD VERSION}"
VERSION=${2:?usage: $0 LOBBYD VERSION}
cd "$WORK" || exit 1

echo "== --version and version"
out=$("$LOBBYD" --version) && [ "$out" = "lobbyd $VERSION" ] && ok "--version: $out" ||
  fail "--version printed '$out'"
out=$("$LOBBYD" version) && [ "$out" = "lobbyd $VERSION" ] || fail "version printed '$out'"
"$LOBBYD" --help | grep -q "lobbyd --version" || fail "--help does not list --version"

echo "== a comment after a value"
cat > good.ini <<'INI'
[server]
database = t.db  # the database
cookie_secure = yes ; behind TLS
[site]
name = 3#楼 大堂   # a '#' inside a word stays
service_phone = 400-800-1234	; tab before the comment
[repairs]
workday_end = 18:30 # half past six
[log]
level = warn # only warnings and errors
INI
srv_start -- --config good.ini || fail "lobbyd refused good.ini: $(tail -3 "$WORK/log")"
[ -f t.db ] && ok "the database is t.db" || fail "no t.db; files: $(ls)"
ls | grep -q '#' && fail "a file with '#' in its name was created: $(ls)"
TOKEN=$("$LOBBYD" admin-token --db t.db --name admin 2>>"$WORK/log")
curl -sS -f -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary @"$HERE/../../deploy/demo/directory.json" -o /dev/null "$URL/api/v1/directory" ||
  fail "loading the directory"
KIOSK=$(curl -sS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        --data '{"name":"k1","building":"1"}' "$URL/api/v1/kiosks" | jq -r .token)
name=$(curl -sS -H "Authorization: Bearer $KIOSK" "$URL/api/v1/feed" | jq -r .site.name)
[ "$name" = "3#楼 大堂" ] && ok "site name '3#楼 大堂'" || fail "site name '$name'"
grep -q " info " "$WORK/log" && fail "[log] level = warn still logs info lines"
srv_stop

refused() { # FILE-CONTENT EXPECTED-MESSAGE
  printf '%b' "$1" > bad.ini
  : > err
  if "$LOBBYD" serve --config bad.ini --db t.db --listen 127.0.0.1:0 > /dev/null 2> err; then
    fail "lobbyd accepted: $1"
  elif grep -qF -- "$2" err; then
    ok "refused: $2"
  else
    fail "wanted '$2', got: $(cat err)"
  fi
}

echo "== values that do not parse"
refused '[server]\ncookie_secure = maybe\n' \
  "config: bad.ini:2: [server] cookie_secure = maybe: expected true or false (also yes/no, on/off, 1/0)"
refused '[site]\nname = x\n\n[visits]\nauto_checkout_hours = 4h # hours\n' \
  "config: bad.ini:5: [visits] auto_checkout_hours = 4h: expected a whole number from 1 to 72"
refused '[repairs]\nworkday_end = 18:00:00\n' \
  "config: bad.ini:2: [repairs] workday_end = 18:00:00: expected a time of day HH:MM, 00:00 to 23:59"
refused '[server]\nlisten = localhost\n' "config: bad.ini:2: [server] listen = localhost: expected ADDR:PORT"
refused '[log]\nlevel = loud\n' "config: bad.ini:2: [log] level = loud: expected debug, info, warn or error"
refused '[site]\nphone = 1\n' "config: bad.ini:2: unknown setting [site] phone"
refused '[limits]\npassword_checks_at_once = many\n' \
  "config: bad.ini:2: [limits] password_checks_at_once = many: expected a whole number from 0 to 64"
refused '[server]\ntrusted_proxies = 10.0.0.1/8\n' \
  "config: bad.ini:2: [server] trusted_proxies = 10.0.0.1/8: expected addresses or networks separated by commas"
refused '[site]\nname = a\n  continued\n' "config: bad.ini:3: [site] name is given twice or continues on an indented line"
refused '[site]\nthis line has no equals sign\n' "config: bad.ini:2: not a [section] or key = value line"
refused "[site]\nname = $(printf 'x%.0s' $(seq 1 250))\n" "config: bad.ini:2: line longer than"
srv_finish
