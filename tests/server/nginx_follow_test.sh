#!/usr/bin/env bash
# server.nginx_follow (issue 18): the follow pages published through the
# shipped deploy/nginx/lobby.conf, its public server (wuye.example.com)
# in front of a real lobbyd with public_url and trusted_proxies.  Shown:
# the link a kiosk's filing is answered with opens its page through the
# public name, and the page's long-poll and rating answer there too; every other
# path of lobbyd is 404 on the public name, whatever token it carries,
# and only GET is let through; the LAN name still serves the API.
# Skipped (77) without nginx.
#
#   nginx_follow_test.sh LOBBYD
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
. "$HERE/tls_lib.sh"
. "$HERE/nginx_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
cd "$WORK" || exit 1

TOKEN=$("$LOBBYD" admin-token --db "$WORK/lobby.db" --name admin 2>> "$WORK/log") ||
  { echo "FAIL: admin-token"; cat "$WORK/log"; exit 1; }
printf '[server]\ndatabase = %s\ntrusted_proxies = 127.0.0.1\npublic_url = https://wuye.example.com\n' \
  "$WORK/lobby.db" > lobbyd.ini
srv_start -- --config "$WORK/lobbyd.ini" || { echo "FAIL: lobbyd did not start"; cat "$WORK/log"; exit 1; }
mkdir -p certs && tls_ca certs ca && tls_server_cert certs ca server 2001 ||
  { echo "FAIL: certificates"; cat certs/openssl.log; exit 1; }
trap '[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; srv_cleanup' EXIT
start_nginx "$PORT"
PROXY="https://127.0.0.1:$HTTPS_PORT"

# public METHOD PATH [TOKEN]: the status through the public name.
public() {
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -s --path-as-is -o "$WORK/public.body" -w '%{http_code}' --cacert certs/ca.crt -X "$1" \
    -H 'Host: wuye.example.com' "${auth[@]}" "$PROXY$2"
}

curl -s -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary @"$HERE/../../deploy/demo/directory.json" "$URL/api/v1/directory"
kiosk=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary '{"name":"lobby-follow","building":"1"}' "$URL/api/v1/kiosks" | jq -r '.token // empty')
[ -n "$kiosk" ] || { fail "cannot enrol a kiosk"; srv_finish; }
url=$(curl -s -H "Authorization: Bearer $kiosk" -H 'Content-Type: application/json' -H 'Idempotency-Key: nginx-follow-1' \
  --data-binary '{"unit":{"building":"1","unit":"2","room":"301"},"name":"张三","phone":"13812345678","category":"water","kind":"in_unit","urgency":"normal","description":"水龙头漏水"}' \
  "$URL/api/v1/repairs" | jq -r '.follow_url // empty')
[[ $url == https://wuye.example.com/f/* ]] && ok "the filing links to https://wuye.example.com/f/…" ||
  { fail "the filing's follow_url is '$url'"; srv_finish; }
path=${url#https://wuye.example.com}

code=$(public GET "$path")
[ "$code" = 200 ] && grep -q "报修已收到" "$WORK/public.body" && ok "the page opens through the public name" ||
  fail "the page through the public name: $code"
code=$(public GET "$path/wait?v=old&wait=0")
[ "$code" = 200 ] && grep -q '"v":"submitted.1"' "$WORK/public.body" && ok "its long-poll answers through the public name" ||
  fail "the page's long-poll through the public name: $code $(cat "$WORK/public.body")"

for p in /api/v1/repairs /api/v1/session /console/ /healthz /metrics "$path/../../api/v1/repairs" /f/ /f/x "$path/other"; do
  code=$(public GET "$p" "$TOKEN")
  [ "$code" = 404 ] && ok "public GET $p: 404" || fail "public GET $p: $code, want 404"
done
code=$(public POST "$path")
[ "$code" = 403 ] && ok "public POST of a page: 403" || fail "public POST of a page: $code"
code=$(public GET "$path/rate")
[ "$code" = 403 ] && ok "public GET of a page's rating: 403" || fail "public GET of a page's rating: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert certs/ca.crt -H 'Host: wuye.example.com' \
  --data 'satisfaction=satisfied' "$PROXY$path/rate")
[ "$code" = 303 ] && ok "a rating posted through the public name reaches lobbyd (303 back to the page)" ||
  fail "a rating through the public name: $code"

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert certs/ca.crt -H "Authorization: Bearer $TOKEN" "$PROXY/api/v1/repairs")
[ "$code" = 200 ] && ok "the LAN name still serves the API" || fail "the API through the LAN name: $code"
srv_finish
