#!/usr/bin/env bash
# pg.migrate (issue 13): `lobbyd migrate` moves a SQLite deployment into
# PostgreSQL with nothing lost.  A real lobbyd on SQLite is given a
# directory, kiosks, staff with a console password, notices (one
# withdrawn), repairs through their whole ledger, visits and an invite,
# settings; every list staff can read is saved; lobbyd stops; migrate;
# lobbyd on PostgreSQL answers every list exactly as before, the old
# tokens, password and kiosk feed (same ETag) still work, and new rows
# continue the numbering.  A second site has its own directory, kiosk,
# notice, repair and technician: they keep their site, and the next site
# made on PostgreSQL continues the sites' numbering.  A second migrate
# into the filled database is refused, --replace is taken, and a SQLite
# file a running lobbyd holds is refused.  A complaint with its events
# and the calendar as an admin edited it come across too, although a
# lobbyd started on the empty PostgreSQL first seeded the calendar there.
#
# Runs under tests/support/with_postgres.sh (LOBBY_TEST_PG).
#
#   pg_migrate_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
[ -n "${LOBBY_TEST_PG:-}" ] || { echo "SKIP: run under tests/support/with_postgres.sh"; exit 77; }
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1
SQLITE=$WORK/lobby.db
PG=$("$HERE/../support/pg_cluster.sh" createdb "$LOBBY_TEST_PG" "migrate_$$") || { echo "FAIL: createdb"; exit 1; }
TOKEN=$("$LOBBYD" admin-token --db "$SQLITE" --name admin 2>> log) || { echo "FAIL: admin-token"; exit 1; }
echo 'desk-pass-word-1' | "$LOBBYD" set-password --db "$SQLITE" --name 前台小王 --role front_desk 2>> log ||
  { echo "FAIL: set-password"; exit 1; }
printf '[limits]\nkiosk_submissions_per_minute = 100000\n' > lobbyd.ini

api() {   # api METHOD PATH [BODY] [TOKEN]
  curl -s -X "$1" -H "Authorization: Bearer ${4:-$TOKEN}" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: migrate-test-key-$RANDOM-$RANDOM" ${3:+--data-binary "$3"} "$URL$2"
}

# ---- a SQLite deployment with a little of everything -----------------
srv_start -- --config lobbyd.ini --db "$SQLITE" || { echo "FAIL: lobbyd on SQLite"; cat log; exit 1; }
api PUT /api/v1/directory "$(cat "$HERE/../../deploy/demo/directory.json")" > /dev/null
KIOSK=$(api POST /api/v1/kiosks '{"name":"lobby-east","building":"1","group":"east"}' | jq -r .token)
api POST /api/v1/kiosks '{"name":"lobby-two","building":"2"}' > /dev/null
api POST /api/v1/kiosks/lobby-two/revoke > /dev/null
TECH=$(api POST /api/v1/staff '{"name":"李师傅","role":"technician"}' | jq -r .token)
api POST /api/v1/notices '{"title":"停水通知","body":"12月3日 9:00-12:00 停水\n请提前储水","category":"outage","pinned":true}' > /dev/null
id=$(api POST /api/v1/notices '{"title":"已撤回","body":"x","category":"other"}' | jq -r .id)
api POST "/api/v1/notices/$id/withdraw" > /dev/null
repair() {
  api POST /api/v1/repairs "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\",\"phone\":\"$1\",\"category\":\"water\",\"kind\":\"in_unit\",\"urgency\":\"$2\",\"preferred_time\":null,\"description\":\"厨房水龙头漏水\\t\\\\ 反斜杠\"}" "$KIOSK" | jq -r .ticket
}
t1=$(repair 13800000001 normal) t2=$(repair 13800000002 emergency) t3=$(repair 13800000003 normal)
for ev in '{"event":"accept"}' '{"event":"dispatch","technician":"李师傅"}' '{"event":"on_site"}' \
          '{"event":"complete","note":"换了阀芯"}' '{"event":"return_visit","satisfaction":5,"comment":"很满意"}' \
          '{"event":"close"}'; do
  api POST "/api/v1/repairs/$t1/events" "$ev" > /dev/null
done
api POST "/api/v1/repairs/$t3/events" '{"event":"cancel","reason":"业主自行修好"}' > /dev/null
visit=$(api POST /api/v1/visits '{"name":"访客甲","phone":"13900000001","host":"1-2-301","purpose":"探亲","party_size":2}' "$KIOSK" | jq -r .id)
api POST /api/v1/visits '{"name":"访客乙","phone":"13900000002","host":"1-1-101","purpose":"送货","party_size":1,"plate":"沪A12345"}' "$KIOSK" > /dev/null
api POST "/api/v1/visits/$visit/checkout" > /dev/null
api POST /api/v1/invites '{"name":"装修工人","phone":"13700000001","host":"2-1-202","purpose":"装修","party_size":3}' > /dev/null
api PUT /api/v1/settings '{"auto_checkout_hours":8,"visit_retention_days":90}' > /dev/null
# A second site with what belongs to it.
api POST /api/v1/sites '{"code":"east","name":"东苑","service_phone":"021-5555 0000","workday":{"start":"08:30","end":"18:00"}}' > /dev/null
api PUT '/api/v1/directory?site=east' '{"buildings":[{"code":"E1","name":"东苑1号楼","requires_approval":false,"units":[{"code":"1","rooms":["101"]}]}]}' > /dev/null
EAST=$(api POST /api/v1/kiosks '{"name":"east-gate","building":"E1"}' | jq -r .token)
api PUT "/api/v1/staff/李师傅/sites" '{"sites":["main","east"]}' > /dev/null
api POST /api/v1/notices '{"title":"东苑停电","body":"配电房检修","category":"outage","site":"east"}' > /dev/null
te=$(api POST /api/v1/repairs '{"unit":{"building":"E1","unit":"1","room":"101"},"name":"李四","phone":"13800000009","category":"electric","kind":"in_unit","urgency":"normal","preferred_time":null,"description":"跳闸"}' "$EAST" | jq -r .ticket)
# A complaint worked through three events, and the calendar as an admin
# edited it: a shipped make-up day made a holiday, another taken away.
complaint() {
  api POST /api/v1/complaints "{\"kind\":\"complaint\",\"category\":\"noise_neighbours\",\"description\":\"楼上每晚11点后装修噪音\",\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"王芳\",\"phone\":\"$1\"}" "$KIOSK" | jq -r .number
}
c1=$(complaint 13800138000)
for ev in '{"event":"accept","note":"已受理"}' '{"event":"assign","responsible":"前台小王"}' \
          '{"event":"reply","reply":"已联系楼上住户，承诺22点后停工"}'; do
  api POST "/api/v1/complaints/$c1/events" "$ev" > /dev/null
done
api PUT /api/v1/calendar/2026-01-04 '{"workday":false,"note":"公司统一放假"}' > /dev/null
# An item-release pass for today (+08:00), approved: it keeps its code.
release() {
  api POST /api/v1/releases "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"items\":\"旧沙发一张\",\"date\":\"$(date -u -d '+8 hours' +%F)\",\"name\":\"王芳\",\"phone\":\"$1\"}" "$KIOSK" | jq -r .number
}
f1=$(release 13800138000)
api POST "/api/v1/releases/$f1/events" '{"event":"approve","verified":true}' > /dev/null
api DELETE /api/v1/calendar/2026-02-14 > /dev/null
# A renovation for a month from today (+08:00), extended, with a worker on
# site and another whose revoked pass was refused at the kiosk.
renovation() {
  api POST /api/v1/renovations "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"company\":\"美家装饰\",\"manager\":\"李强\",\"manager_phone\":\"13900139000\",\"start\":\"$(date -u -d '+8 hours' +%F)\",\"end\":\"$(date -u -d '+8 hours +1 month' +%F)\"}" | jq -r .number
}
z1=$(renovation)
api POST "/api/v1/renovations/$z1/events" "{\"event\":\"extend\",\"end\":\"$(date -u -d '+8 hours +2 months' +%F)\",\"reason\":\"工期延长\"}" > /dev/null
w1=$(api POST "/api/v1/renovations/$z1/workers" '{"name":"王建国","phone":"13700137000"}')
w2=$(api POST "/api/v1/renovations/$z1/workers" '{"name":"赵六","phone":"13600136000"}')
api POST /api/v1/workers/attendance "{\"pass_code\":\"$(jq -r .pass_code <<<"$w1")\"}" "$KIOSK" > /dev/null
api POST "/api/v1/workers/$(jq -r .id <<<"$w2")/revoke" '{"reason":"已离职"}' > /dev/null
api POST /api/v1/workers/attendance "{\"pass_code\":\"$(jq -r .pass_code <<<"$w2")\"}" "$KIOSK" > /dev/null

# The complaint as if its reply had been escalated (the real clock never
# lets it be overdue here): escalated_at must come across too.
srv_stop
sqlite3 "$SQLITE" "UPDATE complaints SET escalated_at = 1796608800 WHERE number = '$c1'" ||
  fail "could not mark $c1 escalated"
srv_start -- --config lobbyd.ini --db "$SQLITE" || { echo "FAIL: lobbyd on SQLite again"; cat log; exit 1; }

LISTS="/api/v1/directory /api/v1/kiosks /api/v1/staff /api/v1/notices?state=all /api/v1/repairs
/api/v1/repairs/$t1 /api/v1/repairs/$t2 /api/v1/visits /api/v1/settings /api/v1/repairs/summary
/api/v1/audit?limit=500 /api/v1/sites /api/v1/repairs?site=east /api/v1/notices?site=east&state=all
/api/v1/directory?site=main /api/v1/complaints /api/v1/complaints/$c1 /api/v1/calendar?year=2026
/api/v1/calendar?year=2027 /api/v1/releases /api/v1/releases/$f1 /api/v1/renovations
/api/v1/renovations/$z1 /api/v1/workers/refusals /api/v1/visits/onsite"
save() {   # save DIR: every list, with what differs between two servers left out
  mkdir -p "$1"
  local n=0 path
  for path in $LISTS; do
    n=$((n + 1))
    # "online" and "waiting" are this process's memory, not the data.
    api GET "$path" | jq -S 'del(.. | .online?, .last_seen_at?) ' > "$1/$n.json"
  done
  curl -s -D - -o /dev/null -H "Authorization: Bearer $KIOSK" "$URL/api/v1/feed" | tr -d '\r' |
    sed -n 's/^[Ee][Tt][Aa][Gg]: //p' > "$1/etag"
  curl -s -H "Authorization: Bearer $EAST" "$URL/api/v1/feed" | jq -S '{site, notices, directory}' > "$1/east-feed.json"
}
save before
[ "$(jq '.repairs | length' before/5.json)" = 4 ] && [ "$(jq '.entries | length' before/11.json)" -gt 15 ] &&
  [ "$(jq -c '[.sites[].code]' before/12.json)" = '["main","east"]' ] &&
  [ "$(jq -c '[.repairs[] | [.ticket, .site]]' before/13.json)" = "[[\"$te\",\"east\"]]" ] &&
  [ "$(jq -r '.site.name' before/east-feed.json)" = 东苑 ] ||
  fail "the SQLite deployment was not filled: $(head -c 300 before/5.json) $(head -c 300 before/12.json)"
[ "$(jq -c '[.status, (.events | length), .escalated_at]' before/17.json)" = '["replied",4,"2026-12-07T10:00:00+08:00"]' ] &&
  [ "$(jq -c '[.days[] | select(.date == "2026-01-04" or .date == "2026-02-14") | [.date, .workday, .note]]' before/18.json)" = '[["2026-01-04",false,"公司统一放假"]]' ] &&
  [ "$(jq '.days | length' before/19.json)" -gt 0 ] ||
  fail "the complaint or the calendar edits are missing on SQLite: $(head -c 300 before/17.json) $(head -c 300 before/18.json)"
[ "$(jq -c '[.status, (.events | length), (.code | length)]' before/21.json)" = '["approved",2,6]' ] ||
  fail "the release pass is missing on SQLite: $(head -c 300 before/21.json)"
[ "$(jq -c '[.status, (.events | length), (.workers | length), .workers_on_site]' before/23.json)" = '["active",2,2,1]' ] &&
  [ "$(jq -c '[.refusals[].reason]' before/24.json)" = '["worker_pass_revoked"]' ] &&
  [ "$(jq -c '[.workers[].name]' before/25.json)" = '["王建国"]' ] ||
  fail "the renovation is missing on SQLite: $(head -c 300 before/23.json) $(head -c 300 before/24.json)"

# A running lobbyd holds the file: refused, nothing written.
out=$("$LOBBYD" migrate --from "sqlite:$SQLITE" --to "$PG" 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "stop the server first" <<<"$out" && ok "migrate refuses a SQLite file a running lobbyd holds" ||
  fail "migrate with lobbyd running: $rc $out"
srv_stop

# A lobbyd once started on the target seeds the shipped calendar there.
srv_start -- --config lobbyd.ini --db "$PG" || { echo "FAIL: lobbyd on the empty PostgreSQL"; cat log; exit 1; }
srv_stop
seeded=$(psql -X -A -t -q "$PG" -c "SELECT COUNT(*) FROM calendar_days WHERE day = '2026-02-14'")
[ "$seeded" = 1 ] && ok "a lobbyd started on the empty PostgreSQL seeded its calendar" ||
  fail "no seeded calendar on PostgreSQL: $seeded"

# ---- migrate --------------------------------------------------------
start=$(date +%s%N)
out=$("$LOBBYD" migrate --from "sqlite:$SQLITE" --to "$PG" 2>&1); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" = 0 ] && grep -q "every table has as many rows on both sides" <<<"$out"; then
  ok "migrate copied every table in $ms ms: $(grep -E '^  (repairs|repair_events|audit) ' <<<"$out" | tr -s ' ' | tr '\n' ';')"
else
  fail "migrate: exit $rc: $out"
fi
out=$("$LOBBYD" migrate --from "sqlite:$SQLITE" --to "$PG" 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q "already holds" <<<"$out" && grep -q "nothing was written" <<<"$out" &&
  ok "a second migrate into the filled database is refused" || fail "second migrate: $rc $out"

# ---- lobbyd on PostgreSQL answers as before -------------------------
srv_start -- --config lobbyd.ini --db "$PG" || { echo "FAIL: lobbyd on PostgreSQL"; cat log; exit 1; }
save after
same=0 differ=""
n=0
for path in $LISTS; do
  n=$((n + 1))
  if cmp -s "before/$n.json" "after/$n.json"; then same=$((same + 1)); else differ="$differ $path"; fi
done
[ -z "$differ" ] && ok "all $same lists read the same on PostgreSQL as on SQLite" ||
  fail "lists that differ after the move:$differ ($(diff <(jq -c . before/5.json) <(jq -c . after/5.json) | head -c 400))"
cmp -s before/etag after/etag && ok "the kiosk's old token reads the same feed (ETag $(cat after/etag))" ||
  fail "feed ETag $(cat before/etag) before, $(cat after/etag) after"
cmp -s before/east-feed.json after/east-feed.json &&
  ok "the east kiosk's feed shows its site, notices and buildings as before" ||
  fail "east feed after the move: $(diff before/east-feed.json after/east-feed.json | head -c 400)"
tech=$(curl -s -H "Authorization: Bearer $TECH" "$URL/api/v1/session" | jq -c .sites)
[ "$tech" = '["main","east"]' ] && ok "the technician still works for main and east" ||
  fail "technician's sites after the move: $tech"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary '{"name":"前台小王","password":"desk-pass-word-1"}' "$URL/api/v1/session")
[ "$code" = 200 ] && ok "the console password still signs in" || fail "sign-in after the move: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TECH" "$URL/api/v1/repairs/$t1")
[ "$code" = 200 ] && ok "the technician's token still reads their ticket" || fail "technician after the move: $code"
t4=$(repair 13800000004 normal)
[ "${t4##*-}" = "$(printf '%04d' $((10#${te##*-} + 1)))" ] && ok "the next ticket continues the day's numbering: $te → $t4" ||
  fail "next ticket $t4 after $te"
c2=$(complaint 13800138001)
[ "${c2##*-}" = "$(printf '%04d' $((10#${c1##*-} + 1)))" ] &&
  ok "the next complaint continues the day's numbering: $c1 → $c2" || fail "next complaint $c2 after $c1"
f2=$(release 13800138001)
[ "${f2##*-}" = "$(printf '%04d' $((10#${f1##*-} + 1)))" ] &&
  ok "the next release pass continues the day's numbering: $f1 → $f2" || fail "next release $f2 after $f1"
z2=$(renovation)
[ "${z2##*-}" = "$(printf '%04d' $((10#${z1##*-} + 1)))" ] &&
  ok "the next renovation continues the day's numbering: $z1 → $z2" || fail "next renovation $z2 after $z1"
w3=$(api POST "/api/v1/renovations/$z1/workers" '{"name":"孙七","phone":"13500135000"}' | jq -r .id)
[ "$w3" -gt "$(jq -r .id <<<"$w2")" ] 2>/dev/null && ok "new worker pass ids continue after the copied ones" ||
  fail "new worker pass id $w3 after $(jq -r .id <<<"$w2")"
nid=$(api POST /api/v1/notices '{"title":"新通知","body":"y","category":"other"}' | jq -r .id)
[ "$nid" -gt "$id" ] 2>/dev/null && ok "new notice ids continue after the copied ones ($id → $nid)" ||
  fail "new notice id $nid after $id"
code=$(api POST /api/v1/sites '{"code":"west","name":"西苑"}' | jq -r .code)
sid=$(psql -X -A -t -q "$PG" -c "SELECT id FROM sites WHERE code = 'west'")
[ "$code" = west ] && [ "$sid" = 3 ] && ok "a new site continues the sites' numbering (west is site 3)" ||
  fail "new site after the move: $code, id $sid"
srv_stop

out=$("$LOBBYD" migrate --from "sqlite:$SQLITE" --to "$PG" --replace 2>&1); rc=$?
[ "$rc" = 0 ] && [ "$(psql -X -A -t -q "$PG" -c 'SELECT COUNT(*) FROM repairs')" = 4 ] &&
  [ "$(psql -X -A -t -q "$PG" -c 'SELECT COUNT(*) FROM sites')" = 2 ] &&
  ok "--replace empties the target and copies again (4 repairs and 2 sites, the new ones gone)" ||
  fail "--replace: $rc $out"
srv_finish
