#!/usr/bin/env bash
# server.feed_body: the feed's 200 carries the kiosk's own name, building
# and group and the server's time in the site's offset, exactly; a kiosk
# name that enrolment would refuse (a database edited by hand) still comes
# out as valid JSON with that very name, escaped.
#
#   feed_body_test.sh LOBBYD
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../support/lobbyd_fixture.sh"
lobby_fixture_start "${1:?usage: $0 LOBBYD}"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

feed() {
  curl -sS -f -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed" >"$LOBBY_TMP/feed.json" ||
    fail "GET /api/v1/feed failed"
  jq -e . "$LOBBY_TMP/feed.json" >/dev/null || fail "the feed is not JSON: $(head -c 300 "$LOBBY_TMP/feed.json")"
}

feed
kiosk=$(jq -c .kiosk "$LOBBY_TMP/feed.json")
[ "$kiosk" = '{"name":"lobby-1","building":"1","group":"east"}' ] || fail "kiosk object: $kiosk"
# [site] utc_offset_minutes is 480 unless lobbyd.ini says otherwise.
time=$(jq -r .server_time "$LOBBY_TMP/feed.json")
[[ "$time" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+08:00$ ]] || fail "server_time: $time"
skew=$(( $(date +%s) - $(date -d "$time" +%s) ))
[ "${skew#-}" -le 5 ] || fail "server_time $time is $skew s away from now"
# Two seconds later the time has moved: it is not kept from the first answer.
sleep 2
feed
later=$(jq -r .server_time "$LOBBY_TMP/feed.json")
[ "$(date -d "$later" +%s)" -gt "$(date -d "$time" +%s)" ] || fail "server_time did not move: $time then $later"

# A name with a quote, a backslash, a slash and a Chinese character, put in
# the database by hand: lobbyd restarts so no cached identity is used.
odd='门"厅\1/东'
lobby_fixture_kill9
sqlite3 "$LOBBY_DB" "UPDATE kiosks SET name = '$odd' WHERE name = 'lobby-1';"
lobby_fixture_restart
feed
name=$(jq -r .kiosk.name "$LOBBY_TMP/feed.json")
[ "$name" = "$odd" ] || fail "kiosk name: $name, expected $odd"
[ "$(jq -r .kiosk.building "$LOBBY_TMP/feed.json")" = 1 ] || fail "building lost with an escaped name"
echo "feed body: kiosk object and server time exact; an escaped name kept"
