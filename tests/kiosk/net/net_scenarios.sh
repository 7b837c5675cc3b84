#!/bin/bash
# Transport-level scenarios of the kiosk's network thread against a real
# lobbyd: the feed cache while the server is down, the outbox across an
# outage and a SIGKILL (delivered exactly once), a crash between delivery
# and clean-up (same Idempotency-Key, no second ticket), final 4xx answers,
# a revoked token, and the feed long-poll waking on a new notice.
#
#   net_scenarios.sh NET_DRIVER LOBBYD REPO_ROOT
#
# Every scenario prints "ok - name" or "not ok - name" (TAP-like); the exit
# status is the number of failures.  Logs stay in $WORK on failure.
set -u

DRIVER=$1
LOBBYD=$2
ROOT=${3:-$(cd "$(dirname "$0")/../../.." && pwd)}
FAILURES=0

# The shared fixture: lobbyd on a free port with the demo directory, an
# admin token ($LOBBY_TOKEN) and the kiosk lobby-1 ($LOBBY_KIOSK_TOKEN).
# shellcheck source=../../support/lobbyd_fixture.sh
. "$ROOT/tests/support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"
WORK=$LOBBY_TMP/kiosk-net

log() { printf '# %s\n' "$*"; }

cleanup() {
  jobs -p | xargs -r kill -9 2>/dev/null
  if [ "$FAILURES" -ne 0 ]; then
    LOBBY_KEEP_TMP=1
    log "logs kept in $LOBBY_TMP"
  fi
  lobby_fixture_stop
}
trap cleanup EXIT

# lobbyd goes down the hard way and comes back on the same port.
stop_lobbyd() { lobby_fixture_kill9; }
start_lobbyd() { lobby_fixture_restart; }

# staff METHOD PATH [BODY]: prints the body; fails on a non-2xx answer.
staff() { lobby_api "$1" "$2" "${3:-}" -f; }

count_repairs() { staff GET /api/v1/repairs | "$DRIVER" json-len -; }

# driver STATE_DIR TOKEN ARGS...: runs net_driver with short back-off.
driver() {
  local state=$1 token=$2
  shift 2
  "$DRIVER" --url "$LOBBY_SERVER" --token "$token" --state "$WORK/$state" --backoff-max 2 --wait 20 "$@"
}

# driver_bg ... &: the same in the background.  The exec makes $! the
# driver's own pid, so kill -9 "$!" really kills the kiosk process and not
# just a subshell around it.
driver_bg() {
  local state=$1 token=$2
  shift 2
  exec "$DRIVER" --url "$LOBBY_SERVER" --token "$token" --state "$WORK/$state" --backoff-max 2 --wait 20 "$@"
}

check() { # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then echo "ok - $name"; else echo "not ok - $name"; FAILURES=$((FAILURES + 1)); fi
}

mkdir -p "$WORK"
KIOSK=$LOBBY_KIOSK_TOKEN
REVOKED=$(staff POST /api/v1/kiosks '{"name": "lobby-2", "building": "1"}' | grep -o 'lk_[A-Za-z0-9_-]*' | head -1)
# Visits at a kiosk in building A wait for the front desk's approval.
TOWER=$(staff POST /api/v1/kiosks '{"name": "lobby-a", "building": "A"}' | grep -o 'lk_[A-Za-z0-9_-]*' | head -1)
[ -n "$REVOKED" ] && [ -n "$TOWER" ] || { echo "enrolling more kiosks failed"; exit 1; }
log "lobbyd on $LOBBY_SERVER, work in $WORK"

# ---------------------------------------------------------------- scenarios

scenario_delivered_at_once() {
  local before out
  before=$(count_repairs)
  out=$(driver s-direct "$KIOSK" submit-repair 10 2>>"$WORK/direct.err")
  echo "$out" >"$WORK/direct.out"
  check "a submission while lobbyd is up is DELIVERED with the ticket" \
    grep -Eq 'state=delivered http=201' <<<"$out"
  check "the server's body reaches the screen" grep -q '"ticket":"R-' <<<"$out"
  check "one row on the server" test "$(count_repairs)" -eq $((before + 1))
}

scenario_feed_cache() {
  driver s-cache "$KIOSK" live-feed 10 >"$WORK/cache1.out" 2>&1
  check "the first feed comes from the server" grep -q 'feed from_cache=0' "$WORK/cache1.out"
  check "the feed is cached on disk" test -s "$WORK/s-cache/feed.json"
  stop_lobbyd
  local t0 t1
  t0=$(date +%s%3N)
  driver s-cache "$KIOSK" cached-feed 5 >"$WORK/cache2.out" 2>&1
  local rc=$?
  t1=$(date +%s%3N)
  check "with lobbyd down the cached feed is shown at start" test "$rc" -eq 0
  check "the cached feed came within a second" test $((t1 - t0)) -lt 1500
  start_lobbyd
}

scenario_outage_then_delivered_once() {
  local before out ref
  before=$(count_repairs)
  stop_lobbyd
  # One kiosk process lives through the whole outage: queued while lobbyd
  # is down, delivered by itself once lobbyd is back.
  driver_bg s-outage "$KIOSK" --marker outage --drain 40 submit-repair 15 \
    >"$WORK/outage1.out" 2>>"$WORK/outage.err" &
  local pid=$!
  for _ in $(seq 1 100); do
    grep -qs 'state=' "$WORK/outage1.out" && break
    sleep 0.1
  done
  check "with lobbyd down a repair is QUEUED with a provisional ref" \
    grep -Eq 'state=queued http=0 ref=Q-[0-9A-Z]{6}' "$WORK/outage1.out"
  ref=$(grep -o 'ref=Q-[0-9A-Z]*' "$WORK/outage1.out" | head -1 | cut -d= -f2)
  check "the item is on disk" test "$(ls "$WORK/s-outage/outbox" | grep -c '\.json$')" -eq 1
  # Keep a copy of the item as a crash between delivery and clean-up would
  # leave it, for the redelivery check below.
  mkdir -p "$WORK/item-copy"
  cp "$WORK/s-outage/outbox/"*.json "$WORK/item-copy/"
  sleep 3 # a few failed attempts, so the back-off is in play
  start_lobbyd
  wait "$pid"
  check "when lobbyd is back the outbox drains" grep -q 'drained queued=0' "$WORK/outage1.out"
  check "the screen learns the real ticket" grep -q '"state":"delivered","ticket":"R-' "$WORK/outage1.out"
  check "exactly one row on the server" test "$(count_repairs)" -eq $((before + 1))
  driver s-outage "$KIOSK" lookup "$ref" 5 >"$WORK/outage3.out" 2>>"$WORK/outage.err"
  check "the provisional ref resolves to the ticket after a restart" \
    grep -q '"state":"delivered","ticket":"R-' "$WORK/outage3.out"
  local ticket
  ticket=$(grep -o '"ticket":"R-[0-9-]*"' "$WORK/outage3.out" | head -1)

  # A crash after the server answered but before the item was removed:
  # the same Idempotency-Key goes again and the server replays the ticket.
  cp "$WORK/item-copy/"*.json "$WORK/s-outage/outbox/"
  driver s-outage "$KIOSK" drain 30 >"$WORK/outage4.out" 2>>"$WORK/outage.err"
  check "a redelivery after a crash makes no second row" test "$(count_repairs)" -eq $((before + 1))
  check "the redelivery gets the same ticket" grep -q "$ticket" "$WORK/outage4.out"
}

scenario_sigkill_while_queued() {
  local before pid
  before=$(count_repairs)
  stop_lobbyd
  driver_bg s-kill "$KIOSK" --marker kill submit-and-hang >"$WORK/kill1.out" 2>>"$WORK/kill.err" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -qs hanging "$WORK/kill1.out" && break
    sleep 0.1
  done
  check "queued before the kill" grep -q 'state=queued' "$WORK/kill1.out"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  check "the kiosk process is really gone" sh -c "! kill -0 $pid 2>/dev/null"
  start_lobbyd
  driver s-kill "$KIOSK" drain 30 >"$WORK/kill2.out" 2>>"$WORK/kill.err"
  check "after SIGKILL and restart the item is delivered" grep -q 'drained queued=0' "$WORK/kill2.out"
  check "exactly one row after SIGKILL" test "$(count_repairs)" -eq $((before + 1))
}

scenario_final_rejection() {
  local before out ref
  before=$(count_repairs)
  stop_lobbyd
  out=$(driver s-reject "$KIOSK" --unit 9-9-999 submit-repair 15 2>>"$WORK/reject.err")
  ref=$(grep -o 'ref=Q-[0-9A-Z]*' <<<"$out" | head -1 | cut -d= -f2)
  start_lobbyd
  driver s-reject "$KIOSK" drain 30 >"$WORK/reject1.out" 2>>"$WORK/reject.err"
  check "a 4xx answer is final: the item leaves the outbox" grep -q 'drained queued=0' "$WORK/reject1.out"
  driver s-reject "$KIOSK" lookup "$ref" 5 >"$WORK/reject2.out" 2>>"$WORK/reject.err"
  check "the rejection and the server's error are kept" \
    grep -Eq '"error":\{"code":"[a-z_]+".*"http_status":4[0-9][0-9].*"state":"rejected"' "$WORK/reject2.out"
  check "no row for a rejected item" test "$(count_repairs)" -eq "$before"
}

scenario_revoked_token() {
  staff POST /api/v1/kiosks/lobby-2/revoke '{}' >/dev/null
  driver s-revoked "$REVOKED" --heartbeat 1 live-feed 6 >"$WORK/revoked.out" 2>"$WORK/revoked.err"
  check "a revoked kiosk gets no feed" test $? -ne 0
  check "a revoked kiosk is reported offline" grep -q 'connectivity online=0' "$WORK/revoked.out"
  check "the 401 is logged once, clearly" test "$(grep -c 'refused the kiosk token (401)' "$WORK/revoked.err")" -eq 1
}

scenario_long_poll_wakes() {
  driver_bg s-poll "$KIOSK" feed-change 40 >"$WORK/poll.out" 2>"$WORK/poll.err" &
  local pid=$! t0 t1
  for _ in $(seq 1 100); do
    grep -qs '^ready' "$WORK/poll.out" && break
    sleep 0.1
  done
  # Let the conditional long-poll reach the server and park there.
  sleep 1.5
  t0=$(date +%s%3N)
  staff POST /api/v1/notices '{"title": "停水通知", "body": "明日停水", "category": "outage",
    "priority": 2, "pinned": false, "emergency": false, "target": {"type": "all"}}' >/dev/null
  wait "$pid"
  local rc=$?
  t1=$(grep -o 'changed=1 wall_ms=[0-9]*' "$WORK/poll.out" | cut -d= -f3)
  check "the long-poll returns the new feed" test "$rc" -eq 0
  log "long-poll woke $((${t1:-0} - t0)) ms after the notice was posted"
  check "the long-poll wakes within a second" test -n "$t1" -a $((${t1:-0} - t0)) -lt 1000
  staff GET /api/v1/kiosks | grep -o '{[^{}]*"name": *"lobby-1"[^{}]*}' >"$WORK/kiosk1.json"
  check "the heartbeat reports the kiosk's version" grep -Eq '"version": *"net-driver"' "$WORK/kiosk1.json"
  check "the heartbeat reports the feed version" grep -Eq '"feed_version": *"[0-9a-f]{8,}"' "$WORK/kiosk1.json"
  check "the heartbeat reports the kiosk's uptime" grep -Eq '"uptime_s": *[0-9]+' "$WORK/kiosk1.json"
  local free_mb
  free_mb=$(df -Pm "$WORK" | awk 'NR == 2 {print $4}')
  local told
  told=$(grep -Eo '"disk_free_mb": *[0-9]+' "$WORK/kiosk1.json" | grep -Eo '[0-9]+$')
  log "the heartbeat said ${told:-nothing} MB free; df says $free_mb MB"
  check "the heartbeat reports the free space where the kiosk keeps its state (as df, within 64 MB)" \
    test -n "$told" -a $(( ${told:-0} - free_mb )) -le 64 -a $(( free_mb - ${told:-0} )) -le 64
}

scenario_visit_outbox() {
  local out ref
  stop_lobbyd
  out=$(driver s-visit "$KIOSK" submit-visit 15 2>>"$WORK/visit.err")
  ref=$(grep -o 'ref=Q-[0-9A-Z]*' <<<"$out" | head -1 | cut -d= -f2)
  check "a visit is queued while lobbyd is down" grep -q 'state=queued' <<<"$out"
  start_lobbyd
  driver s-visit "$KIOSK" drain 30 >"$WORK/visit1.out" 2>>"$WORK/visit.err"
  driver s-visit "$KIOSK" lookup "$ref" 5 >"$WORK/visit2.out" 2>>"$WORK/visit.err"
  check "a delivered visit's ref resolves to its id and pass code" \
    grep -Eq '"pass_code":"[0-9A-Z]{8}".*"state":"delivered".*"visit_id":"[^"]+"' "$WORK/visit2.out"
}

scenario_calls_beside_long_poll() {
  driver s-calls "$KIOSK" call-during-poll '/api/v1/repairs/lookup?ticket=R-20260101-0001&phone_last4=0000' \
    >"$WORK/calls1.out" 2>"$WORK/calls.err"
  local ms
  ms=$(grep -o 'call_ms=[0-9]*' "$WORK/calls1.out" | cut -d= -f2)
  check "a direct call answers while the feed long-poll is parked" grep -q 'state=delivered http=404' "$WORK/calls1.out"
  check "the long-poll does not delay it (${ms:-?} ms)" test -n "$ms" -a "${ms:-9999}" -lt 1000
  driver s-calls "$KIOSK" cancel-poll >"$WORK/calls2.out" 2>>"$WORK/calls.err"
  check "a cancelled call never answers" grep -q 'cancelled answered=0' "$WORK/calls2.out"
}

scenario_visit_approval_long_poll() {
  local out id pid t0 t1
  out=$(driver s-approve "$TOWER" --unit A-10-1001 submit-visit 10 2>>"$WORK/approve.err")
  echo "$out" >"$WORK/approve1.out"
  check "a visit to an approval building is delivered as pending" \
    grep -Eq '"state":"pending"' "$WORK/approve1.out"
  id=$(grep -o '"id":"[^"]*"' "$WORK/approve1.out" | head -1 | cut -d'"' -f4)
  driver s-approve "$TOWER" call GET "/api/v1/visits/$id/status" 10 >"$WORK/approve2.out" 2>>"$WORK/approve.err"
  local etag
  etag=$(grep -o 'etag=[^ ]*' "$WORK/approve2.out" | head -1 | cut -d= -f2)
  check "the visit status carries an ETag" test -n "$etag"
  driver_bg s-approve "$TOWER" --etag "$etag" --call-wait 20 call GET "/api/v1/visits/$id/status" 30 \
    >"$WORK/approve3.out" 2>>"$WORK/approve.err" &
  pid=$!
  sleep 1.5
  t0=$(date +%s%3N)
  staff POST "/api/v1/visits/$id/approve" '{}' >/dev/null
  wait "$pid"
  t1=$(grep -o 'wall_ms=[0-9]*' "$WORK/approve3.out" | tail -1 | cut -d= -f2)
  check "the status long-poll returns the approval" grep -q '"state":"approved"' "$WORK/approve3.out"
  log "visit long-poll woke $((${t1:-0} - t0)) ms after the approval"
  check "the status long-poll wakes within a second" test -n "$t1" -a $((${t1:-0} - t0)) -lt 1000
}

scenario_delivered_at_once
scenario_visit_approval_long_poll
scenario_calls_beside_long_poll
scenario_feed_cache
scenario_outage_then_delivered_once
scenario_sigkill_while_queued
scenario_final_rejection
scenario_revoked_token
scenario_long_poll_wakes
scenario_visit_outbox

if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' "$WORK"/*.err "$WORK"/*.out 2>/dev/null; then
  echo "not ok - sanitizer reports (see $WORK)"; FAILURES=$((FAILURES + 1))
else
  echo "ok - no sanitizer reports"
fi
if grep -Eq '13812345678|13900001111|张三|李四' "$WORK"/*.err "$LOBBY_TMP/lobbyd.log" 2>/dev/null; then
  echo "not ok - personal data in logs"; FAILURES=$((FAILURES + 1))
else
  echo "ok - no personal data in the logs"
fi
echo "# $FAILURES failure(s)"
exit "$FAILURES"
