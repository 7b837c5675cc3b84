#!/usr/bin/env bash
# The verdict of a chaos run (called by run.sh): every phone the kiosks'
# scripts submitted is stored exactly once (repairs and visits together),
# nothing else was stored, no kiosk run exited non-zero, the outboxes are
# empty, and every feed version a kiosk showed is one lobbyd served.
# Needs LOBBY_DB, OUT, KIOSKS, NOTICES and NOTICE_FAILURES.
set -euo pipefail
fail=0
bad() {
  echo "FAIL (chaos): $*" >&2
  fail=1
}

stored=$(sqlite3 "$LOBBY_DB" "SELECT phone FROM repairs WHERE source = 'kiosk' UNION ALL SELECT phone FROM visits")
submitted=$(sort "$OUT/submitted")
n_submitted=$(grep -c . <<<"$submitted" || true)
n_stored=$(grep -c . <<<"$stored" || true)
dups=$(sort <<<"$stored" | uniq -d | grep -c . || true)
missing=$(comm -23 <(sort -u <<<"$submitted") <(sort -u <<<"$stored") | grep -c . || true)
extra=$(comm -13 <(sort -u <<<"$submitted") <(sort -u <<<"$stored") | grep -c . || true)
once=$(comm -12 <(sort -u <<<"$submitted") <(sort <<<"$stored" | uniq -u) | grep -c . || true)
crashes=$(cat "$OUT/crashes" 2>/dev/null | grep -c . || true)
refused=$(cat "$OUT"/kiosk-*.log | grep -c 'feed: refused a damaged feed' || true)
accepted=$(cat "$OUT"/kiosk-*.log | sed -n 's/.*feed: version \([0-9a-f]*\)$/\1/p' | sort -u)
unknown=$(comm -23 <(grep . <<<"$accepted" || true) <(sort -u "$OUT/served_versions") | grep -c . || true)
left=0
for k in $(seq 1 "$KIOSKS"); do
  for f in "$OUT/state-$k"/outbox/*.json; do [ -e "$f" ] && left=$((left + 1)); done
done
last=$(tail -1 "$OUT/served_versions")
stale=0
for k in $(seq 1 "$KIOSKS"); do
  v=$(sed -n 's/.*feed: version \([0-9a-f]*\)$/\1/p' "$OUT/kiosk-$k.log" | tail -1)
  [ "$v" = "$last" ] || stale=$((stale + 1))
done

[ "$n_submitted" -gt 0 ] || bad "no submissions were made"
[ "$dups" = 0 ] || bad "$dups phone(s) stored more than once"
[ "$missing" = 0 ] || bad "$missing submission(s) never stored"
[ "$extra" = 0 ] || bad "$extra stored item(s) no finished script submitted"
[ "$crashes" = 0 ] || bad "kiosk runs that did not exit 0: $(tr '\n' ';' <"$OUT/crashes")"
[ "$left" = 0 ] || bad "$left item(s) still in the outboxes after the clean drain"
[ "$unknown" = 0 ] || bad "a kiosk showed $unknown feed version(s) lobbyd never served"
[ "$stale" = 0 ] || bad "$stale kiosk(s) did not end on the current feed $last"

echo "chaos summary: $(tail -1 "$OUT/proxy.out" | sed 's/^chaos: //')"
echo "chaos summary: submitted=$n_submitted stored=$n_stored stored_exactly_once=$once duplicates=$dups" \
  "missing=$missing extra=$extra kiosk_crashes=$crashes outbox_left=$left damaged_feeds_refused=$refused" \
  "unknown_versions_shown=$unknown notices=$NOTICES notice_posts_failed=$NOTICE_FAILURES"
exit $fail
