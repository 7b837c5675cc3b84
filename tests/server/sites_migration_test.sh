#!/usr/bin/env bash
# server.sites_migration (issue 13): a database lobbyd wrote before sites
# (schema 4, fixtures/lobby-schema-v4.sql, made through the API by the
# lobbyd of that time) opens with today's lobbyd and everything lands in
# one site, "main", with nothing lost: every table keeps its rows, the old
# kiosk token still gets its feed with the ini's site name, the old front
# desk password signs in and reaches every site, tickets keep their
# numbers and timelines.  Under with_postgres.sh (LOBBY_TEST_PG) the
# migrated file then moves into PostgreSQL with `lobbyd migrate` and the
# same checks run there.
#
#   sites_migration_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1
FIXTURE=$HERE/fixtures/lobby-schema-v4.sql
KIOSK=$(cat "$HERE/fixtures/lobby-schema-v4.kiosk-token")
DB=$WORK/lobby.db
sqlite3 "$DB" < "$FIXTURE" || { echo "FAIL: loading the fixture"; exit 1; }
printf '[site]\nname = 阳光花园\nservice_phone = 400-800-1234\n' > lobbyd.ini

TABLES="buildings units rooms staff kiosks tokens notices repairs repair_events ticket_seq visits
        invites idempotency sessions audit settings"
counts() {   # counts DB: "table=rows ..." of every table made before sites
  local t
  for t in $TABLES; do printf '%s=%s ' "$t" "$(sqlite3 "$1" "SELECT count(*) FROM $t")"; done
}
before=$(counts "$DB")
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 4 ] || fail "the fixture is not at schema 4"

TOKEN=$("$LOBBYD" admin-token --db "$DB" --name 迁移检查 2>> log) || { echo "FAIL: admin-token"; cat log; exit 1; }
after=$(counts "$DB")
# admin-token added one staff member and one token; nothing else changed.
expected=$(echo "$before" | awk '{for (i = 1; i <= NF; i++) { split($i, kv, "=");
  if (kv[1] == "staff" || kv[1] == "tokens") kv[2]++; printf "%s=%s ", kv[1], kv[2] }}')
[ "$after" = "$expected" ] && ok "every table keeps its rows" ||
  fail "rows changed: before $before, after $after"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 16 ] && ok "schema 16, today's" || fail "not migrated to schema 16"
ls lobby.db.pre-migration-v4-* > /dev/null 2>&1 && ok "the schema-4 file was kept beside it" ||
  fail "no pre-migration copy"
[ "$(sqlite3 "$DB" "SELECT group_concat(id || ':' || code) FROM sites")" = "1:main" ] &&
  ok "one site, main" || fail "sites: $(sqlite3 "$DB" 'SELECT * FROM sites')"
outside=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM buildings WHERE site_id <> 1)
  + (SELECT count(*) FROM kiosks WHERE site_id <> 1) + (SELECT count(*) FROM repairs WHERE site_id <> 1)
  + (SELECT count(*) FROM visits WHERE site_id <> 1) + (SELECT count(*) FROM invites WHERE site_id <> 1)
  + (SELECT count(*) FROM notices WHERE site_id IS NOT NULL) + (SELECT count(*) FROM staff_sites)")
[ "$outside" = 0 ] && ok "every row belongs to site main; notices to every site; staff to every site" ||
  fail "$outside rows outside site main"

api() {   # api METHOD PATH [BODY] [TOKEN]
  curl -s -X "$1" -H "Authorization: Bearer ${4:-$TOKEN}" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: sites-migration-$RANDOM-$RANDOM" ${3:+--data-binary "$3"} "$URL$2"
}

# The same answers from whichever store lobbyd runs on ($1 names it).
check_answers() {
  local feed repairs t2 signin
  feed=$(api GET /api/v1/feed "" "$KIOSK")
  [ "$(echo "$feed" | jq -r '[.site.name, .site.service_phone, (.notices | length)] | join(" ")')" = \
    "阳光花园 400-800-1234 2" ] && ok "$1: the old kiosk token gets its feed, the ini's site name, 2 notices" ||
    fail "$1: feed $feed"
  repairs=$(api GET /api/v1/repairs)
  [ "$(echo "$repairs" | jq -r '[.repairs[] | .ticket + "@" + .site] | sort | join(" ")')" = \
    "R-20261202-0001@main R-20261202-0002@main" ] && ok "$1: both tickets, in site main" ||
    fail "$1: repairs $repairs"
  t2=$(api GET /api/v1/repairs/R-20261202-0002)
  [ "$(echo "$t2" | jq -r '[.status, (.timeline | length), .satisfaction] | join(" ")')" = "return_visit 6 5" ] &&
    ok "$1: R-20261202-0002 keeps its status, six events and its rating" || fail "$1: ticket $t2"
  [ "$(api GET /api/v1/visits | jq -r '[.visits[] | .site] | join(" ")')" = main ] &&
    ok "$1: the visit is in site main" || fail "$1: visits $(api GET /api/v1/visits)"
  signin=$(curl -s -H 'Content-Type: application/json' --data-binary '{"name":"前台","password":"desk-pass-2026x"}' \
    "$URL/api/v1/session")
  [ "$(echo "$signin" | jq -r '[.role, (.sites | length)] | join(" ")')" = "front_desk 0" ] &&
    ok "$1: the old front desk password signs in, reaching every site" || fail "$1: sign-in $signin"
  [ "$(api GET /api/v1/directory | jq -r '[.buildings[] | .site] | unique | join(" ")')" = main ] &&
    ok "$1: the directory is site main's" || fail "$1: directory"
}

srv_start -- --config lobbyd.ini --db "$DB" || { echo "FAIL: lobbyd on the migrated file"; cat log; exit 1; }
check_answers sqlite
srv_stop

if [ -n "${LOBBY_TEST_PG:-}" ]; then
  PG=$("$HERE/../support/pg_cluster.sh" createdb "$LOBBY_TEST_PG" "sites_mig_$$") || { echo "FAIL: createdb"; exit 1; }
  "$LOBBYD" migrate --from "sqlite:$DB" --to "postgresql:$PG" >> log 2>&1 && ok "lobbyd migrate into PostgreSQL" ||
    fail "lobbyd migrate: $(tail -3 log)"
  srv_start -- --config lobbyd.ini --db "$PG" || { echo "FAIL: lobbyd on PostgreSQL"; cat log; exit 1; }
  check_answers postgresql
  srv_stop
fi
srv_finish
