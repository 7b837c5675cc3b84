#!/usr/bin/env bash
# server.nginx_proxy (issue 11): the shipped deploy/nginx/lobby.conf, with
# only its ports, certificate and upstream changed for the test, in front
# of a real lobbyd with trusted_proxies = 127.0.0.1.  Over nginx's HTTPS:
# /healthz answers; the audit log records the client's own address (not
# nginx's, not a hop the client made up); a feed long-poll waits and is
# woken by a notice; plain HTTP is sent to HTTPS.  Skipped (77) without nginx.
#
#   nginx_proxy_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
. "$HERE/tls_lib.sh"
. "$HERE/nginx_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1

TOKEN=$("$LOBBYD" admin-token --db "$WORK/lobby.db" --name admin 2>> "$WORK/log") ||
  { echo "FAIL: admin-token"; cat "$WORK/log"; exit 1; }
printf '[server]\ndatabase = %s\ntrusted_proxies = 127.0.0.1\n' "$WORK/lobby.db" > lobbyd.ini
srv_start -- --config "$WORK/lobbyd.ini" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }

mkdir -p certs && tls_ca certs ca && tls_server_cert certs ca server 2001 ||
  { echo "FAIL: certificates"; cat certs/openssl.log; exit 1; }

trap '[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; srv_cleanup' EXIT
start_nginx "$PORT"
ok "nginx -t accepts deploy/nginx/lobby.conf"
PROXY="https://127.0.0.1:$HTTPS_PORT"

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert certs/ca.crt "$PROXY/healthz")
[ "$code" = 200 ] && ok "/healthz through nginx: 200" || fail "/healthz through nginx: $code"

# attempt FROM NAME [XFF]: a failed sign-in through nginx from address FROM.
attempt() {
  local header=()
  [ -n "${3:-}" ] && header=(-H "X-Forwarded-For: $3")
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 --cacert certs/ca.crt --interface "$1" \
    "${header[@]}" -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"$2\",\"password\":\"wrong-guess-1\"}" "$PROXY/api/v1/session"
}
audited() {
  curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/audit?limit=500" |
    jq -r --arg n "$1" '[.entries[] | select(.actor == $n)][0].address'
}
code=$(attempt 127.0.0.5 proxied-one)
got=$(audited proxied-one)
[ "$code" = 401 ] && [ "$got" = 127.0.0.5 ] && ok "a sign-in through nginx is audited as the client, 127.0.0.5" ||
  fail "through nginx: $code, audited as '$got' (want 401, 127.0.0.5)"
attempt 127.0.0.6 proxied-two 203.0.113.66 > /dev/null
got=$(audited proxied-two)
[ "$got" = 127.0.0.6 ] && ok "a made-up X-Forwarded-For is not believed: audited as 127.0.0.6" ||
  fail "a client's own X-Forwarded-For: audited as '$got', want 127.0.0.6"

# A kiosk's feed long-poll through nginx waits, and a notice wakes it.
curl -s -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary @"$HERE/../../deploy/demo/directory.json" "$URL/api/v1/directory"
kiosk_token=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary '{"name":"lobby-nginx","building":"1"}' "$URL/api/v1/kiosks" | jq -r '.token // empty')
[ -n "$kiosk_token" ] || { fail "cannot enrol a kiosk"; srv_finish; }
etag=$(curl -s -D - -o /dev/null --cacert certs/ca.crt -H "Authorization: Bearer $kiosk_token" \
  "$PROXY/api/v1/feed" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
start=$(date +%s%N)
curl -s -o feed.json -w '%{http_code}' --max-time 40 --cacert certs/ca.crt \
  -H "Authorization: Bearer $kiosk_token" -H "If-None-Match: $etag" \
  "$PROXY/api/v1/feed?wait=30" > feed.code &
poll=$!
sleep 1.5
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary '{"title":"经由代理","body":"nginx","category":"other"}' "$URL/api/v1/notices"
wait "$poll"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$(cat feed.code)" = 200 ] && jq -e '.notices[] | select(.title == "经由代理")' feed.json > /dev/null &&
   [ "$ms" -ge 1000 ]; then
  ok "a feed long-poll through nginx waited and was woken by the notice"
else
  fail "feed long-poll through nginx: $(cat feed.code) after $ms ms"
fi

code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/console/")
case $code in
  "301 https://127.0.0.1/console/") ok "plain HTTP is sent to HTTPS" ;;
  *) fail "plain HTTP: $code" ;;
esac

srv_alive || fail "lobbyd stopped"
srv_finish
