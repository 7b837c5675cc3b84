#!/usr/bin/env bash
# server.signin_checks (issue 11, attack 7): Argon2 checks run on at most
# [limits] password_checks_at_once threads, at nice 10, with a bounded
# queue.  With one at once and a burst of concurrent sign-ins some are
# answered 503 with Retry-After and the JSON error, every one is answered,
# a right password still signs in, and /healthz answers meanwhile.
#
#   signin_checks_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1

printf 'mei-pass-1234\n' | "$LOBBYD" set-password --db "$WORK/lobby.db" --name mei --role front_desk \
  2>> "$WORK/log" || { echo "FAIL: set-password"; cat "$WORK/log"; exit 1; }
printf '[server]\ndatabase = %s\n\n[limits]\npassword_checks_at_once = 1\n' "$WORK/lobby.db" > lobbyd.ini
srv_start -- --config "$WORK/lobbyd.ini" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }

# attempt N FROM NAME PASSWORD: headers to $WORK/h.N, body to $WORK/b.N, status to $WORK/s.N.
attempt() {
  curl -s -D "$WORK/h.$1" -o "$WORK/b.$1" -w '%{http_code}' --max-time 60 --interface "$2" \
    -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"$3\",\"password\":\"$4\"}" "$URL/api/v1/session" > "$WORK/s.$1"
}

echo "== a burst of 24 sign-ins from 6 addresses"
pids=()
for i in $(seq 1 24); do
  attempt "$i" "127.0.1.$((i % 6 + 1))" "nobody$i" wrong-guess-1 &
  pids+=($!)
done
sleep 0.5
# Meanwhile: /healthz answers, and the checks run at nice 10.
if curl -sf -o /dev/null --max-time 2 "$URL/healthz"; then ok "/healthz answers during the burst"
else fail "/healthz did not answer within 2 s during the burst"; fi
nices=$(ps -L -o nice= -p "$PID" | sort -n | uniq -c | tr -s ' \n' ' ')
echo "threads by nice value: $nices"
[ "$(ps -L -o nice= -p "$PID" | grep -c '^ *10$')" = 1 ] && ok "one thread at nice 10" ||
  fail "not one thread at nice 10: $nices"
wait "${pids[@]}"

statuses=$(for i in $(seq 1 24); do cat "$WORK/s.$i"; echo; done | sort | uniq -c | tr -s ' \n' ' ')
echo "statuses: $statuses"
busy=0 denied=0 other=0
for i in $(seq 1 24); do
  case $(cat "$WORK/s.$i") in
    503)
      busy=$((busy + 1))
      grep -qi '^Retry-After: [1-9][0-9]*' "$WORK/h.$i" || fail "503 #$i without Retry-After"
      [ "$(jq -r .error.code "$WORK/b.$i")" = busy ] || fail "503 #$i body: $(cat "$WORK/b.$i")"
      jq -e '.error.message | test("try again")' "$WORK/b.$i" > /dev/null || fail "503 #$i message" ;;
    401) denied=$((denied + 1)) ;;
    *) other=$((other + 1)) ;;
  esac
done
[ "$busy" -ge 1 ] && ok "$busy answered 503 with Retry-After and {error: {code: busy}}" ||
  fail "none answered 503"
[ "$denied" -ge 1 ] && ok "$denied checked and refused 401" || fail "none was checked"
[ "$other" = 0 ] && ok "every one answered 401 or 503 (none stuck)" || fail "$other answered otherwise"

echo "== after the burst"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
  --data-binary '{"name":"mei","password":"mei-pass-1234"}' "$URL/api/v1/session")
[ "$code" = 200 ] && ok "the right password signs in: 200" || fail "sign-in after the burst: $code"

echo "== stopping with checks waiting"
pids=()
for i in $(seq 31 36); do
  attempt "$i" 127.0.2.1 "nobody$i" wrong-guess-1 &
  pids+=($!)
done
sleep 0.3
srv_stop
[ "$RC" = 0 ] && ok "lobbyd stops cleanly with checks waiting" || fail "lobbyd exited $RC"
wait "${pids[@]}"
srv_finish
