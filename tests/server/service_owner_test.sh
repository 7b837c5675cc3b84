#!/usr/bin/env bash
# server.service_owner: `lobbyd admin-token` and `set-password` run as root
# leave the database with the owner of its directory (the service user),
# so the service can write it; `serve` refuses a database it cannot write.
#
#   service_owner_test.sh LOBBYD
#
# Needs root (to play both the admin and the service user `nobody`);
# exits 77 (skipped) otherwise.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root"
  exit 77
fi
srv_init "${1:?usage: $0 LOBBYD}"
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
STATE="$WORK/state"
DB="$STATE/lobby.db"
mkdir "$STATE"
chown nobody:nogroup "$STATE"
chmod 700 "$STATE"
owners() { for f in "$DB" "$DB-wal" "$DB-shm"; do [ -e "$f" ] && stat -c '%n %U:%G' "$f"; done; }
not_nobody() { owners | grep -v ' nobody:nogroup$'; }

echo "== admin-token as root in the service user's directory"
TOKEN=$("$LOBBYD" admin-token --db "$DB" --name admin 2>>"$WORK/log") || fail "admin-token failed"
[ -f "$DB" ] && [ -z "$(not_nobody)" ] && ok "the database belongs to nobody: $(owners | tr '\n' ' ')" ||
  fail "owners after admin-token: $(owners | tr '\n' ' ')"

echo "== lobbyd running as nobody writes it"
srv_start "${AS_NOBODY[@]}" -- --db "$DB" || { fail "lobbyd as nobody did not start"; srv_finish; }
[ "$(ps -o user= -p "$PID")" = nobody ] || fail "lobbyd does not run as nobody"
write() { # a write through the API: the directory
  curl -sS -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data-binary @"$HERE/../../deploy/demo/directory.json" \
    "$URL/api/v1/directory"
}
code=$(write)
[ "$code" = 200 ] && ok "a write as nobody: HTTP $code" || fail "a write as nobody: HTTP $code"

echo "== set-password as root while lobbyd runs"
echo 'correct horse battery' | "$LOBBYD" set-password --db "$DB" --name desk --role front_desk \
  2>>"$WORK/log" || fail "set-password failed"
[ -z "$(not_nobody)" ] && ok "still nobody's: $(owners | tr '\n' ' ')" ||
  fail "owners after set-password: $(owners | tr '\n' ' ')"
code=$(write)
[ "$code" = 200 ] && ok "lobbyd still writes: HTTP $code" || fail "a write after set-password: HTTP $code"
srv_stop

echo "== a root-owned database left by an older lobbyd is given back"
chown root:root "$DB"
"$LOBBYD" admin-token --db "$DB" --name admin2 > /dev/null 2>>"$WORK/log" || fail "admin-token failed"
[ -z "$(not_nobody)" ] && ok "given back to nobody" || fail "owners: $(owners | tr '\n' ' ')"

echo "== serve refuses a database it cannot write"
chown root:root "$DB"
chmod 644 "$DB"
LOG="$WORK/refused.log"
if srv_start "${AS_NOBODY[@]}" -- --db "$DB"; then
  fail "lobbyd as nobody started on root's database"
  srv_stop
else
  [ "$RC" != 0 ] && ok "exit $RC" || fail "exit 0"
  grep -qF "lobbyd runs as user nobody and cannot write $DB (owner root, mode 644)" "$LOG" &&
    ok "the message names user, file and owner" || fail "message: $(cat "$LOG")"
fi
chmod 755 "$STATE"
mkdir "$WORK/rootdir"
chmod 755 "$WORK/rootdir"
: > "$LOG"
srv_start "${AS_NOBODY[@]}" -- --db "$WORK/rootdir/new.db" && { fail "started in root's directory"; srv_stop; }
grep -qF "lobbyd runs as user nobody and cannot write the database directory $WORK/rootdir (owner root, mode 755)" \
  "$LOG" && ok "refuses a directory it cannot write" || fail "message: $(cat "$LOG")"
unset LOG

echo "== admin-token as another user refuses a database it cannot give back"
: > "$WORK/err"
if "${AS_NOBODY[@]}" "$LOBBYD" admin-token --db "$DB" --name admin3 > /dev/null 2> "$WORK/err"; then
  fail "admin-token as nobody on root's database succeeded"
else
  grep -qF "admin-token: $DB belongs to user root: run this command as that user (sudo -u root lobbyd admin-token" \
    "$WORK/err" && ok "refused with a sudo -u hint" || fail "message: $(cat "$WORK/err")"
fi

echo "== in root's own directory root keeps it"
"$LOBBYD" admin-token --db "$WORK/rootdir/root.db" --name admin > /dev/null 2>>"$WORK/log" ||
  fail "admin-token in root's directory failed"
[ "$(stat -c %U "$WORK/rootdir/root.db")" = root ] && ok "root's database stays root's" ||
  fail "owner: $(stat -c %U "$WORK/rootdir/root.db")"
srv_finish
