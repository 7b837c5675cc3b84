#!/usr/bin/env bash
# server.signin_lockout (issue 11, attack 4): an attacker elsewhere cannot
# lock a staff member out by failing sign-ins under her name.  The member
# signs in from 127.0.0.1 with the known-device cookie of an earlier
# sign-in while 127.0.0.2 tries wrong passwords for her name; a request
# refused for its address does not spend the name's allowance.
#
#   signin_lockout_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1

for who in mei:mei-pass-1234 li:li-pass-5678; do
  printf '%s\n' "${who#*:}" | "$LOBBYD" set-password --db "$WORK/lobby.db" --name "${who%%:*}" \
    --role front_desk 2>> "$WORK/log" || { echo "FAIL: set-password"; cat "$WORK/log"; exit 1; }
done
srv_start -- --db "$WORK/lobby.db" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }

# sign_in FROM NAME PASSWORD [curl args...]: prints the status.
sign_in() {
  local from=$1 name=$2 password=$3
  shift 3
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 --interface "$from" \
    -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"$name\",\"password\":\"$password\"}" "$@" "$URL/api/v1/session"
}

echo "== the member's first sign-in leaves a known-device cookie"
code=$(sign_in 127.0.0.1 mei mei-pass-1234 -c "$WORK/mei.jar")
[ "$code" = 200 ] && ok "first sign-in: 200" || fail "first sign-in: $code"
grep -q 'lobby_device' "$WORK/mei.jar" && ok "lobby_device cookie kept" ||
  fail "no lobby_device cookie: $(cat "$WORK/mei.jar")"
curl -s -D "$WORK/headers" -o /dev/null -H 'Content-Type: application/json' \
  --data-binary '{"name":"li","password":"li-pass-5678"}' "$URL/api/v1/session"
grep -i '^Set-Cookie: lobby_device=' "$WORK/headers" | grep -q 'HttpOnly; SameSite=Strict' &&
  ok "the device cookie is HttpOnly and SameSite=Strict" || fail "device cookie: $(grep -i cookie "$WORK/headers")"

echo "== 127.0.0.2 guesses her password at 2/s while she signs in"
attacker=()
member=()
# Her device may sign in 5 times a minute: the first above and 4 here.
for _ in $(seq 1 4); do
  for _ in 1 2 3 4 5; do
    attacker+=("$(sign_in 127.0.0.2 mei wrong-guess-1 --max-time 5)")
  done
  member+=("$(sign_in 127.0.0.1 mei mei-pass-1234 -b "$WORK/mei.jar")")
  sleep 0.5
done
echo "attacker: ${attacker[*]}"
echo "member:   ${member[*]}"
case " ${attacker[*]} " in *" 429 "*) ok "the attacker is refused 429" ;; *) fail "the attacker was never refused 429" ;; esac
bad=0
for c in "${member[@]}"; do [ "$c" = 200 ] || bad=$((bad + 1)); done
[ "$bad" = 0 ] && ok "all ${#member[@]} of her sign-ins succeeded" ||
  fail "$bad of ${#member[@]} of her sign-ins failed"
# Without the cookie the name's allowance is spent: that is what the cookie
# is for.  (It refills by one every 12 s, so a second attacker spends it
# again first.)
for _ in 1 2 3 4 5 6; do sign_in 127.0.0.5 mei wrong-guess-1 > /dev/null; done
code=$(sign_in 127.0.0.3 mei mei-pass-1234)
[ "$code" = 429 ] && ok "without the cookie, from elsewhere: 429" || fail "without the cookie: $code"
# A forged or altered cookie counts for nothing.
sed 's/\(lobby_device\t\)\(.\)/\1f/' "$WORK/mei.jar" > "$WORK/forged.jar"
if ! cmp -s "$WORK/mei.jar" "$WORK/forged.jar"; then
  code=$(sign_in 127.0.0.1 mei mei-pass-1234 -b "$WORK/forged.jar")
  [ "$code" = 429 ] && ok "an altered cookie: 429" || fail "an altered cookie: $code"
fi

echo "== a request refused for its address does not spend the name's"
# 127.0.0.4 spends its 30 a minute (and more) on names that do not exist,
# then at once (its allowance refills by one every 2 s) tries li's name 7
# times: 5 would spend li's allowance, if refused requests spent it.
spenders=()
for i in $(seq 1 36); do
  sign_in 127.0.0.4 "nobody$i" wrong-guess-1 > "$WORK/spend.$i" &
  spenders+=($!)
done
sleep 1
guesses=()
for i in $(seq 1 7); do
  sign_in 127.0.0.4 li wrong-guess-1 > "$WORK/li.$i" &
  guesses+=($!)
done
wait "${spenders[@]}" "${guesses[@]}"
codes=$(cat "$WORK"/li.* | tr '\n' ' ')
echo "li's from there: $codes"
refused=$(cat "$WORK"/li.* | grep -o 429 | wc -l)
[ "$refused" -ge 5 ] && ok "li's from there: $refused of 7 refused 429" ||
  fail "li's from the spent address: $codes"
code=$(sign_in 127.0.0.1 li li-pass-5678)
[ "$code" = 200 ] && ok "li still signs in (no cookie): 200" || fail "li after the spent address: $code"

srv_alive || fail "lobbyd stopped"
srv_finish
