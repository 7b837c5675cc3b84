#!/usr/bin/env bash
# kiosk.tls: the real kiosk (headless) against a real lobbyd serving HTTPS.
#
#   kiosk_tls.sh KIOSK LOBBYD LOBBYCTL OUTDIR
#
# Every kiosk connection goes through a relay (tls_relay.py) that logs its
# first byte.  With [server] ca_file and the server's pin the kiosk shows a
# notice lobbyctl posted over https and delivers a repair; with another CA,
# or a pin of another key, the footer says why (not "no network"), a
# repair is kept in the outbox and sent once the right CA is back; a CA
# file that is no certificate and a server that does not speak TLS have
# their own reasons; every connection through the relay began with a TLS
# handshake record (0x16), none in clear.  A
# ca_file or pin with an http:// url is a configuration error naming the
# file, line and setting.
set -u
KIOSK=${1:?usage: $0 KIOSK LOBBYD LOBBYCTL OUTDIR}
CTL=${3:?usage: $0 KIOSK LOBBYD LOBBYCTL OUTDIR}
OUT=${4:?usage: $0 KIOSK LOBBYD LOBBYCTL OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../server/server_lib.sh"
. "$HERE/../../server/tls_lib.sh"
srv_init "$2"
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
rm -rf "$OUT" && mkdir -p "$OUT"
tls_lobbyd_start 3001
HTTPS="https://127.0.0.1:$PORT"
api() { # METHOD PATH [BODY]: a staff call over https with the test CA
  curl -sS -f --cacert "$C/ca.crt" -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$HTTPS$2"
}
api PUT /api/v1/directory "$(cat "$HERE/../../../deploy/demo/directory.json")" >/dev/null ||
  { echo "loading the directory failed"; exit 1; }
KTOKEN=$(api POST /api/v1/kiosks '{"name":"lobby-tls","building":"1","group":"east"}' | jq -r .token)
[ -n "$KTOKEN" ] && [ "$KTOKEN" != null ] || { echo "kiosk enrolment failed"; exit 1; }

# The relay the kiosk talks through.
python3 "$HERE/tls_relay.py" "$PORT" "$WORK/relay.port" "$OUT/relay.log" 2>>"$WORK/relay.err" &
RELAY_PID=$!
trap 'kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null; srv_cleanup' EXIT
for _ in $(seq 1 100); do [ -s "$WORK/relay.port" ] && break; sleep 0.05; done
[ -s "$WORK/relay.port" ] || { echo "the relay did not start"; cat "$WORK/relay.err"; exit 1; }
RELAY="https://127.0.0.1:$(cat "$WORK/relay.port")"
# The relay's own check: a request in clear logs its first byte, 'G' (47).
python3 "$HERE/tls_relay.py" "$PORT" "$WORK/probe.port" "$WORK/probe.log" 2>>"$WORK/relay.err" &
PROBE_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/probe.port" ] && break; sleep 0.05; done
curl -s -m 5 -o /dev/null "http://127.0.0.1:$(cat "$WORK/probe.port")/healthz"
for _ in $(seq 1 50); do [ -s "$WORK/probe.log" ] && break; sleep 0.05; done
kill "$PROBE_PID" 2>/dev/null; wait "$PROBE_PID" 2>/dev/null
[ "$(cat "$WORK/probe.log" 2>/dev/null)" = 47 ] && ok "the relay sees a request in clear (47)" ||
  fail "the relay did not log a plain request: $(cat "$WORK/probe.log" 2>/dev/null)"

# kiosk NAME CA PIN SCRIPT: the kiosk headless with a kiosk.ini holding
# url, ca_file and pin; its log in $OUT/NAME.log.
STATE="$WORK/kiosk-state"
kiosk() {
  local name=$1 ca=$2 pin=$3
  printf '%s\n' "$4" > "$WORK/$name.script"
  printf '[server]\nurl = %s\nca_file = %s\npin = %s\n' "$RELAY" "$ca" "$pin" > "$WORK/$name.ini"
  "$KIOSK" --headless --size 1080x1920 --config "$WORK/$name.ini" --token "$KTOKEN" \
    --state-dir "$STATE" --shots "$OUT" --script "$WORK/$name.script" --no-pinyin \
    >"$OUT/$name.out" 2>"$OUT/$name.log"
}

REPAIR_STEPS='tap "报修"
tap "1号楼"
tap "1单元"
tap "202"
tap "下一步"
tap "门窗门锁"
tap "下一步"
tap "普通"
tap "下一步"
tap "常用姓氏"
tap "刘"
tap "女士"
tap "手机或电话"
type "13700005555"
tap "下一步"
tap "常用描述"
tap "门锁打不开"
tap "下一步"
tap "确认提交"'

repairs() { api GET /api/v1/repairs | jq '.repairs | length'; }

echo "== the right CA and pin"
"$CTL" --server "$HTTPS" --token "$TOKEN" --ca-file "$C/ca.crt" --pin "$PIN" notice post \
  --title "TLS 通知" --body "经由 HTTPS 发布" --category other >/dev/null 2>"$WORK/ctl.err" &&
  ok "lobbyctl posted a notice over https" || fail "lobbyctl: $(cat "$WORK/ctl.err")"
if kiosk good "$C/ca.crt" "$PIN" "wait \"TLS 通知\" 20000
shot tls_notice
$REPAIR_STEPS
wait \"报修已提交\" 15000
expect \"R-\"
shot tls_repair"; then
  ok "the kiosk showed the notice and filed a repair over https"
else
  fail "the kiosk with the right CA: $(tail -5 "$OUT/good.log")"
fi
[ "$(repairs)" = 1 ] && ok "lobbyd has the repair" || fail "lobbyd has $(repairs) repairs, wanted 1"

# refused NAME CA PIN TEXT EN_TEXT: the kiosk shows TEXT in the banner and
# the staff line (EN_TEXT in English), queues a repair, and lobbyd gets
# nothing.
refused() {
  local name=$1 text=$4 en=$5 before
  before=$(repairs)
  if kiosk "$name" "$2" "$3" "wait \"$text\" 20000
expect \"工作人员：请核对 kiosk.ini 中 [server] 的 ca_file 与 pin\"
expect-not \"网络中断\"
no-overflow
shot $name
$REPAIR_STEPS
wait \"已保存，网络恢复后自动提交\" 15000
expect \"$text\"
shot ${name}_queued
tap \"English\"
expect \"$en\"
expect \"Saved; will be sent when online\"
no-overflow
tap \"Home\"
expect \"Staff: check [server] ca_file and pin in kiosk.ini\"
no-overflow
shot ${name}_en"; then
    ok "$name: the footer says '$text' and the repair is queued"
  else
    fail "$name: $(tail -5 "$OUT/$name.log")"
  fi
  grep -q "net: TLS refused the server" "$OUT/$name.log" && ok "$name: the log says TLS refused the server" ||
    fail "$name: the log lacks the TLS reason"
  [ "$(repairs)" = "$before" ] && ok "$name: lobbyd got no repair" || fail "$name: a repair reached lobbyd"
}

echo "== another CA"
refused wrong_ca "$C/other.crt" "" "服务器证书不受信任（CA 不符）" "Server certificate not trusted (wrong CA)"
echo "== a pin of another key"
refused wrong_pin "$C/ca.crt" "$OTHER_PIN" "证书公钥与固定值不符" "Server certificate key does not match the pin"

# reason NAME URL CA TEXT: the kiosk at URL shows TEXT, not "no network".
reason() {
  local saved=$RELAY
  RELAY=$2
  if kiosk "$1" "$3" "" "wait \"$4\" 20000
expect-not \"网络中断\"
shot $1"; then
    ok "$1: the banner says '$4'"
  else
    fail "$1: $(tail -5 "$OUT/$1.log")"
  fi
  RELAY=$saved
}
echo "== a CA file that is not a certificate"
reason bad_ca_file "$RELAY" "$WORK/lobbyd.ini" "无法读取 CA 证书文件"
echo "== a server that does not speak TLS"
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept(); c.recv(4096)
    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); c.close()
' "$WORK/plain.port" 2>>"$WORK/relay.err" &
PLAIN_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/plain.port" ] && break; sleep 0.05; done
reason handshake "https://127.0.0.1:$(cat "$WORK/plain.port")" "$C/ca.crt" "无法与服务器建立加密连接（TLS 握手失败）"
kill "$PLAIN_PID" 2>/dev/null; wait "$PLAIN_PID" 2>/dev/null

echo "== the right CA again: the outbox is delivered"
if kiosk again "$C/ca.crt" "$PIN" "wait \"TLS 通知\" 20000
sleep 8000
expect-not \"证书\""; then
  for _ in $(seq 1 100); do [ "$(repairs)" = 3 ] && break; sleep 0.2; done
fi
[ "$(repairs)" = 3 ] && ok "the two queued repairs were delivered over https" ||
  fail "lobbyd has $(repairs) repairs, wanted 3: $(tail -5 "$OUT/again.log")"

echo "== every connection was TLS"
n=$(wc -l < "$OUT/relay.log")
clear=$(grep -cv '^16$' "$OUT/relay.log")
[ "$n" -gt 0 ] && [ "$clear" = 0 ] && ok "$n connections, each began with a TLS handshake record (0x16)" ||
  fail "$clear of $n connections did not begin with 0x16: $(sort "$OUT/relay.log" | uniq -c)"

echo "== configuration"
printf '[server]\nurl = http://127.0.0.1:%s\nca_file = %s\n' "$PORT" "$C/ca.crt" > "$WORK/plain.ini"
if "$KIOSK" --headless --config "$WORK/plain.ini" --token "$KTOKEN" --state-dir "$WORK/s2" \
  --script /dev/null >/dev/null 2>"$WORK/plain.err"; then
  fail "an http:// url with ca_file was accepted"
else
  grep -qF "$WORK/plain.ini line 3: [server] ca_file is set but the server url \"http://127.0.0.1:$PORT\" is not https://" \
    "$WORK/plain.err" && ok "http:// with ca_file: refused naming the file, line and setting" ||
    fail "http:// with ca_file: $(cat "$WORK/plain.err")"
fi
printf '[server]\nurl = %s\npin = sha256//short\n' "$RELAY" > "$WORK/badpin.ini"
if "$KIOSK" --headless --config "$WORK/badpin.ini" --token "$KTOKEN" --state-dir "$WORK/s2" \
  --script /dev/null >/dev/null 2>"$WORK/badpin.err"; then
  fail "a malformed pin was accepted"
else
  grep -qF "$WORK/badpin.ini line 3: [server] pin = \"sha256//short\": expected sha256//" "$WORK/badpin.err" &&
    ok "a malformed pin: refused naming the file, line and setting" || fail "bad pin: $(cat "$WORK/badpin.err")"
fi

# config_refused NAME TEXT ARGS...: the kiosk exits at start saying TEXT.
config_refused() {
  local name=$1 text=$2
  shift 2
  if "$KIOSK" --headless --token "$KTOKEN" --state-dir "$WORK/s2" --script /dev/null "$@" \
    >/dev/null 2>"$WORK/refused.err"; then
    fail "$name: the kiosk started"
  else
    grep -qF -- "$text" "$WORK/refused.err" && ok "$name: refused, '$text'" || fail "$name: $(cat "$WORK/refused.err")"
  fi
}
printf '[server]\nurl = %s\n\nca_file = %s\n' "$RELAY" "$C/nope.crt" > "$WORK/noca.ini"
config_refused "an unreadable ca_file" \
  "$WORK/noca.ini line 4: [server] ca_file = \"$C/nope.crt\": cannot be read: No such file or directory" \
  --config "$WORK/noca.ini"
printf '[server]\nurl = %s\npin = %s\n' "$RELAY" "$PIN" > "$WORK/pinned.ini"
config_refused "--server http:// over a pinned kiosk.ini" \
  "--server: [server] pin is set but the server url \"http://127.0.0.1:$PORT\" is not https://" \
  --config "$WORK/pinned.ini" --server "http://127.0.0.1:$PORT"

echo "failures: $FAILURES"
[ "$FAILURES" -eq 0 ]
