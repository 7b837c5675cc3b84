#!/usr/bin/env bash
# server.reload: SIGHUP re-reads lobbyd.ini and applies it to the running
# server; it never kills lobbyd.
#
#   reload_test.sh LOBBYD
#
# A kiosk waiting on the feed gets the new service phone and site name; a
# setting that needs a restart is named as such; a file that no longer
# parses is refused whole and the old values stay.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
INI="$WORK/lobbyd.ini"

write_ini() { # PHONE NAME [EXTRA-SERVER-LINE] [EXTRA-LINE-AT-END]
  cat > "$INI" <<INI
[server]
database = $WORK/lobby.db   # the test's database
${3:-}

[site]
name = $2
service_phone = $1 ; shown on every kiosk
utc_offset_minutes = 480
${4:-}
INI
}

feed() { # [extra curl args]: the kiosk's feed into $WORK/feed.json
  curl -sS -f -o "$WORK/feed.json" -D "$WORK/feed.head" -H "Authorization: Bearer $KIOSK" "$@" \
    "$URL/api/v1/feed"
}
feed_phone() { jq -r .site.service_phone "$WORK/feed.json"; }

write_ini 400-800-1234 阳光花园
TOKEN=$("$LOBBYD" admin-token --config "$INI" --db "$WORK/lobby.db" --name admin 2>>"$WORK/log") ||
  { echo "admin-token failed"; cat "$WORK/log"; exit 1; }
srv_start -- --config "$INI" || { echo "lobbyd did not start"; cat "$WORK/log"; exit 1; }
api() { curl -sS -f -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
api -X PUT --data-binary @"$HERE/../../deploy/demo/directory.json" -o /dev/null "$URL/api/v1/directory" ||
  fail "loading the directory"
KIOSK=$(api -X POST --data '{"name":"lobby-1","building":"1"}' "$URL/api/v1/kiosks" | jq -r .token)

echo "== the feed before"
feed && [ "$(feed_phone)" = 400-800-1234 ] && ok "service phone 400-800-1234" ||
  fail "feed phone before: $(feed_phone)"
ETAG=$(tr -d '\r' < "$WORK/feed.head" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')

echo "== SIGHUP with a new phone and name wakes a waiting kiosk"
curl -sS -o "$WORK/waited.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $KIOSK" \
  -H "If-None-Match: $ETAG" "$URL/api/v1/feed?wait=20" > "$WORK/waited.status" &
WAITER=$!
sleep 1
write_ini 400-800-9999 明月小区
kill -HUP "$PID"
wait "$WAITER"
read -r code seconds < "$WORK/waited.status"
[ "$code" = 200 ] && [ "$(jq -r .site.service_phone "$WORK/waited.json")" = 400-800-9999 ] &&
  [ "$(jq -r .site.name "$WORK/waited.json")" = 明月小区 ] &&
  ok "the waiting kiosk got the new phone and name after ${seconds}s" ||
  fail "waiting kiosk: HTTP $code after ${seconds}s, $(head -c 300 "$WORK/waited.json")"
# The new phone shows it waited for the reload (1 s after it asked);
# it must not have waited for its 20 s to run out.
awk -v s="$seconds" 'BEGIN { exit !(s < 3) }' ||
  fail "the waiting kiosk answered only after ${seconds}s"
srv_alive && ok "lobbyd is alive after SIGHUP" || fail "lobbyd died on SIGHUP"
wait_for "$WORK/log" "reload: applied [site] name, [site] service_phone" &&
  ok "the log says what changed" || fail "no reload line naming the changed settings"
grep -q "needs a restart" "$WORK/log" && fail "a restart was asked for no reason"
feed && [ "$(feed_phone)" = 400-800-9999 ] || fail "feed phone after reload: $(feed_phone)"

echo "== a setting that needs a restart is named, the rest applied"
write_ini 400-800-7777 明月小区 "threads = 3"
kill -HUP "$PID"
wait_for "$WORK/log" "reload: applied [site] service_phone; needs a restart to change: [server] threads" &&
  ok "threads needs a restart" || fail "no restart line for [server] threads"
feed && [ "$(feed_phone)" = 400-800-7777 ] || fail "feed phone after the second reload: $(feed_phone)"

echo "== a file that no longer parses is refused whole"
write_ini 400-800-1111 明月小区 "cookie_secure = maybe"
kill -HUP "$PID"
wait_for "$WORK/log" "reload: $INI refused" && ok "the broken file is refused" ||
  fail "no refusal logged"
grep -qF "config: $INI:3: [server] cookie_secure = maybe: expected true or false" "$WORK/log" &&
  ok "the error names the file, line, setting and accepted values" ||
  fail "the error does not name file, line and setting"
srv_alive && ok "lobbyd is alive after a broken reload" || fail "lobbyd died on a broken reload"
feed && [ "$(feed_phone)" = 400-800-7777 ] && ok "the old phone stays" ||
  fail "feed phone after a refused reload: $(feed_phone)"
write_ini 400-800-1111 明月小区 "" "unknown_key = 1"
kill -HUP "$PID"
wait_for "$WORK/log" "unknown setting [site] unknown_key" || fail "an unknown key was not refused"
sleep 0.3
feed && [ "$(feed_phone)" = 400-800-7777 ] || fail "an unknown key let the phone change: $(feed_phone)"

echo "== a reload that changes nothing says so; SIGTERM still stops cleanly"
write_ini 400-800-7777 明月小区 "threads = 3"
kill -HUP "$PID"
wait_for "$WORK/log" "reload: no setting changed; needs a restart to change: [server] threads" ||
  fail "no 'no setting changed' line"
srv_stop
[ "$RC" = 0 ] && ok "exit 0 on SIGTERM" || fail "lobbyd exited $RC on SIGTERM"
srv_finish
