#!/usr/bin/env bash
# /healthz against a database that stops taking writes: lobbyd runs as
# nobody on a database it can write; making the file read-only, then
# root's, turns /healthz into 503 within a few seconds, and giving it
# back turns it into 200 again.
#
#   healthz_readonly.sh LOBBYD
#
# Needs root (to run lobbyd as nobody and to chown), setpriv, curl, jq;
# exits 77 (skipped) without them.
set -euo pipefail
lobbyd=${1:?usage: healthz_readonly.sh LOBBYD}
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root"; exit 77; }
for tool in setpriv curl jq; do
  command -v "$tool" >/dev/null || { echo "skipped: no $tool"; exit 77; }
done

tmp=$(mktemp -d /tmp/lobby-health.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ "${LOBBY_KEEP_TMP:-}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  tail -20 "$tmp/lobbyd.log" >&2 || true
  exit 1
}

db=$tmp/lobby.db
"$lobbyd" admin-token --db "$db" --name admin > "$tmp/admin.token" 2>> "$tmp/lobbyd.log"
# nobody must reach the directory and own the database.
chmod 755 "$tmp"
chown -R nobody:nogroup "$tmp"
chown root:root "$tmp/lobbyd.log" "$tmp/admin.token"

setpriv --reuid=nobody --regid=nogroup --clear-groups \
  "$lobbyd" serve --db "$db" --listen 127.0.0.1:0 > "$tmp/lobbyd.out" 2>> "$tmp/lobbyd.log" &
pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$tmp/lobbyd.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "lobbyd exited at start"
  sleep 0.05
done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/lobbyd.out")
[ -n "$port" ] || fail "lobbyd did not start"
url=http://127.0.0.1:$port/healthz

# status CODE: waits up to 10 s for /healthz to answer CODE; prints the body.
expect_status() {
  local want=$1 code
  for _ in $(seq 100); do
    code=$(curl -sS -o "$tmp/body" -w '%{http_code}' "$url")
    [ "$code" = "$want" ] && { cat "$tmp/body"; return 0; }
    sleep 0.1
  done
  fail "/healthz answered $code, not $want: $(cat "$tmp/body")"
}

body=$(expect_status 200)
[ "$(jq -r .status <<<"$body")" = ok ] || fail "healthy body: $body"
[ "$(jq -r .waiting <<<"$body")" = 0 ] || fail "healthy body lost waiting: $body"

start=$(date +%s%N)
chmod 444 "$db"
body=$(expect_status 503)
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$(jq -r .status <<<"$body")" = unhealthy ] || fail "unhealthy body: $body"
case $(jq -r .reason <<<"$body") in
  "database not writable: $db: Permission denied") ;;
  *) fail "unhealthy reason: $body" ;;
esac
echo "read-only file: 503 after ${took} ms: $body"

chmod 644 "$db"
expect_status 200 > /dev/null
echo "writable again: 200"

chown root:root "$db"
body=$(expect_status 503)
echo "root's file: 503: $body"
chown nobody:nogroup "$db"
expect_status 200 > /dev/null
echo "nobody's again: 200"
grep -q 'unhealthy: database not writable' "$tmp/lobbyd.log" || fail "no log line for the change"
grep -q 'healthy again' "$tmp/lobbyd.log" || fail "no log line for the recovery"
echo "healthz_readonly: ok"
