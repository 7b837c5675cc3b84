#!/bin/bash
# server.disk_full: a full disk answers 507 storage_full (not 500), and
# writes work again once a little space (64 KiB) is freed.  The database
# lives on a 2 MiB tmpfs; needs root to mount it (77 otherwise).
set -u
. "$(dirname "$0")/server_lib.sh"
srv_init "$1"
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: mounting a small tmpfs needs root"
  exit 77
fi
DATA=$WORK/data
mkdir -p "$DATA"
if ! mount -t tmpfs -o size=2m,mode=0755 tmpfs "$DATA" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here"
  exit 77
fi
disk_cleanup() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
    PID=
  fi
  umount "$DATA" 2>/dev/null
  srv_cleanup
}
trap disk_cleanup EXIT

TOKEN=$("$LOBBYD" admin-token --name admin --db "$DATA/lobby.db" 2>>"$WORK/log")
srv_start -- --db "$DATA/lobby.db" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }

TEXT=$(head -c 600 /dev/zero | tr '\0' 'x')
post() {
  curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"title\":\"停水通知 $1\",\"body\":\"$TEXT\",\"category\":\"outage\"}" "$URL/api/v1/notices"
}

fill() {
  local i=0
  while dd if=/dev/zero of="$DATA/fill.$1.$i" bs=16k count=1 2>/dev/null; do
    i=$((i + 1))
  done
}

for n in 1 2 3; do
  code=$(post "room $n")
  [ "$code" = 201 ] || fail "a notice on a disk with room: HTTP $code"
done

# Other files take the disk; notices until the database needs space.
fill a
written=0
for n in $(seq 1 1000); do
  code=$(post "$n")
  [ "$code" = 201 ] || break
  written=$((written + 1))
done
echo "notices written after the disk filled: $written"
if [ "$code" = 507 ] && [ "$(jq -r .error.code "$WORK/body")" = storage_full ]; then
  ok "full disk: 507 storage_full ($(jq -r .error.message "$WORK/body"))"
else
  fail "full disk: HTTP $code $(cat "$WORK/body")"
fi
grep -q 'disk holding the database is full' "$WORK/log" && ok "logged" || fail "no log line for the full disk"

# Whatever lobbyd gave back is taken by other files: still full.
fill b
code=$(post again)
[ "$code" = 507 ] && ok "still full: 507" || fail "still full: HTTP $code"

# Free 64 KiB: writes work again at once.
rm -f "$DATA"/fill.a.[0-3]
code=$(post "after 64k")
[ "$code" = 201 ] && ok "64 KiB freed: 201 again" || fail "64 KiB freed: HTTP $code $(cat "$WORK/body")"

# Free 336 KiB (21 files) in all: more than the WAL grows to between
# checkpoints (64 pages, plus the last commit's: a notice and its audit
# entry) and the notices themselves, so writes keep working; with
# SQLite's default of 1000 pages every commit would grow the WAL until the
# disk is full.
rm -f "$DATA"/fill.a.[4-9] "$DATA"/fill.a.1[0-9] "$DATA"/fill.a.20
ok_after=0
for n in $(seq 1 60); do
  code=$(post "after $n")
  [ "$code" = 201 ] || break
  ok_after=$((ok_after + 1))
done
[ "$ok_after" = 60 ] && ok "336 KiB freed: 60 notices of 60 saved" \
  || fail "336 KiB freed: $ok_after notices saved, then HTTP $code $(cat "$WORK/body")"
ls -l "$DATA" | grep lobby

srv_stop
[ "$FAILURES" = 0 ] || { cat "$WORK/log"; exit 1; }
echo "PASS"
