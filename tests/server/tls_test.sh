#!/usr/bin/env bash
# server.tls: lobbyd serves HTTPS itself with [tls] cert and key.
#
#   tls_test.sh LOBBYD
#
# A CA and server certificates are made at test time.  Checked: a client
# with the CA gets /healthz over https, plain http to the port gets
# nothing, a client trusting another CA is refused; a missing file, a key
# of another certificate and a cert without key stop lobbyd before it
# listens, naming the file; a world-readable key is warned about; SIGHUP
# serves a renewed certificate (new serial) to new connections without a
# restart, and a broken or mismatched new pair is refused with the old one
# still served.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/server_lib.sh"
. "$HERE/tls_lib.sh"
srv_init "${1:?usage: $0 LOBBYD}"
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
INI="$WORK/lobbyd.ini"
C="$WORK/certs"
mkdir -p "$C/live"

tls_ca "$C" ca && tls_ca "$C" other && tls_server_cert "$C" ca s1 1001 &&
  tls_server_cert "$C" ca s2 1002 && tls_server_cert "$C" ca s3 1003 ||
  { echo "cannot make certificates"; cat "$C/openssl.log"; exit 1; }
# lobbyd reads the live pair; a renewal replaces these files.
install -m 644 "$C/s1.crt" "$C/live/lobbyd.crt"
install -m 600 "$C/s1.key" "$C/live/lobbyd.key"

write_ini() { # CERT KEY
  cat > "$INI" <<INI
[server]
database = $WORK/lobby.db

[tls]
cert = $1
key = $2   # mode 0640 root:lobby when installed
INI
}

# starts_refused WHAT TEXT: lobbyd exits non-zero before it listens and its
# log says TEXT.
starts_refused() {
  : > "$WORK/refused.log"
  if LOG="$WORK/refused.log" srv_start -- --config "$INI"; then
    fail "$1: lobbyd started"
    srv_stop
  elif [ "${RC:-0}" -eq 0 ]; then
    fail "$1: lobbyd exited 0"
  elif ! grep -qF -- "$2" "$WORK/refused.log"; then
    fail "$1: the log lacks '$2': $(cat "$WORK/refused.log")"
  else
    ok "$1: exit $RC, '$2'"
  fi
  RC=0
}

echo "== start-up checks"
write_ini "$C/missing.crt" "$C/live/lobbyd.key"
starts_refused "missing certificate" "cannot read the certificate $C/missing.crt"
write_ini "$C/live/lobbyd.crt" "$C/s2.key"
starts_refused "key of another certificate" "the key $C/s2.key does not belong to the certificate"
write_ini "$C/live/lobbyd.crt" "$C/ca.crt"
starts_refused "a certificate as key" "the key $C/ca.crt is not an unencrypted PEM private key"
printf '[tls]\ncert = %s\n' "$C/live/lobbyd.crt" > "$INI"
starts_refused "cert without key" "[tls] cert and key go together"

echo "== serving"
cp "$C/s1.key" "$C/loose.key" && chmod 644 "$C/loose.key"
write_ini "$C/live/lobbyd.crt" "$C/loose.key"
if srv_start -- --config "$INI"; then
  grep -qF "the key $C/loose.key can be read by every user" "$WORK/log" &&
    ok "a world-readable key is warned about" || fail "no warning for a key of mode 0644"
  srv_stop
fi
: > "$WORK/log"
write_ini "$C/live/lobbyd.crt" "$C/live/lobbyd.key"
srv_start -- --config "$INI" || { echo "lobbyd did not start"; cat "$WORK/log"; exit 1; }
grep -qF "can be read by" "$WORK/log" && fail "a warning for a key of mode 0600"
HTTPS="https://127.0.0.1:$PORT"
body=$(curl -sS --cacert "$C/ca.crt" "$HTTPS/healthz" 2>"$WORK/curl.err")
[ "$(jq -r .status <<<"$body" 2>/dev/null)" = ok ] && ok "https /healthz with the CA: $body" ||
  fail "https /healthz: '$body' $(cat "$WORK/curl.err")"
body=$(curl -sS --cacert "$C/ca.crt" "https://localhost:$PORT/healthz" 2>"$WORK/curl.err")
[ "$(jq -r .status <<<"$body" 2>/dev/null)" = ok ] && ok "https://localhost too" ||
  fail "https://localhost /healthz: '$body' $(cat "$WORK/curl.err")"
body=$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/healthz" 2>"$WORK/curl.err")
rc=$?
[ "$rc" -ne 0 ] && [ -z "$body" ] && ok "plain http to the TLS port gets no answer (curl $rc)" ||
  fail "plain http answered (curl $rc): '$body'"
curl -sS --cacert "$C/other.crt" -o /dev/null "$HTTPS/healthz" 2>"$WORK/curl.err"
rc=$?
[ "$rc" -eq 60 ] && ok "a client trusting another CA refuses the certificate (curl 60)" ||
  fail "another CA: curl $rc $(cat "$WORK/curl.err")"
curl -sS --cacert "$C/ca.crt" --tlsv1.2 --tls-max 1.2 -o /dev/null "$HTTPS/healthz" 2>"$WORK/curl.err" &&
  ok "TLS 1.2 is served" || fail "TLS 1.2: $(cat "$WORK/curl.err")"
# openssl's own floor lowered, so that the refusal is lobbyd's.
for v in tls1 tls1_1; do
  openssl s_client -connect "127.0.0.1:$PORT" -"$v" -cipher 'DEFAULT@SECLEVEL=0' </dev/null \
    >"$WORK/old.out" 2>&1
  grep -qF 'Cipher is (NONE)' "$WORK/old.out" && ok "-$v is refused" ||
    fail "-$v handshake: $(grep -E 'Protocol|Cipher is' "$WORK/old.out")"
done
serial=$(tls_serial "127.0.0.1:$PORT" "$C/ca.crt")
[ "$serial" = 1001 ] && ok "serial 1001 served" || fail "serial served at start: '$serial'"

echo 'correct horse battery' | "$LOBBYD" set-password --db "$WORK/lobby.db" --name desk \
  --role front_desk >/dev/null 2>>"$WORK/log"
curl -sS --cacert "$C/ca.crt" -D "$WORK/signin.head" -o /dev/null -H 'Content-Type: application/json' \
  --data '{"name":"desk","password":"correct horse battery"}' "$HTTPS/api/v1/session"
grep -i '^set-cookie:' "$WORK/signin.head" | grep -qi '; *secure' &&
  ok "the console's cookie is Secure over TLS" ||
  fail "sign-in cookie over TLS: $(grep -i '^set-cookie:' "$WORK/signin.head") $(head -1 "$WORK/signin.head")"

# A kiosk's long-poll (a suspended connection) over TLS is woken by a notice.
TOKEN=$("$LOBBYD" admin-token --db "$WORK/lobby.db" --name admin 2>>"$WORK/log")
api() { curl -sS -f --cacert "$C/ca.crt" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
api -X PUT --data-binary @"$HERE/../../deploy/demo/directory.json" -o /dev/null "$HTTPS/api/v1/directory" ||
  fail "loading the directory over https"
KIOSK=$(api -X POST --data '{"name":"lobby-1","building":"1"}' "$HTTPS/api/v1/kiosks" | jq -r .token)
ETAG=$(curl -sS --cacert "$C/ca.crt" -D - -o /dev/null -H "Authorization: Bearer $KIOSK" "$HTTPS/api/v1/feed" |
  tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
curl -sS --cacert "$C/ca.crt" -o "$WORK/waited.json" -w '%{http_code}' -H "Authorization: Bearer $KIOSK" \
  -H "If-None-Match: $ETAG" "$HTTPS/api/v1/feed?wait=20" > "$WORK/waited.status" &
WAITER=$!
sleep 1
api -o /dev/null --data '{"title":"TLS 长轮询","body":"唤醒","category":"other"}' "$HTTPS/api/v1/notices" ||
  fail "posting a notice over https"
wait "$WAITER"
[ "$(cat "$WORK/waited.status")" = 200 ] &&
  [ "$(jq -r '[.notices[].title] | index("TLS 长轮询") != null' "$WORK/waited.json")" = true ] &&
  ok "a waiting long-poll over TLS is woken with the new notice" ||
  fail "long-poll over TLS: $(cat "$WORK/waited.status") $(head -c 300 "$WORK/waited.json")"

# reload_and_wait N: sends SIGHUP and waits for the Nth "reload:" line.
reload_and_wait() {
  kill -HUP "$PID"
  local i
  for i in $(seq 1 100); do
    [ "$(grep -c -E 'reload: (applied|no setting changed)' "$WORK/log")" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

echo "== SIGHUP serves a renewed certificate"
install -m 644 "$C/s2.crt" "$C/live/lobbyd.crt"
install -m 600 "$C/s2.key" "$C/live/lobbyd.key"
reload_and_wait 1 || fail "no reload line after SIGHUP"
serial=$(tls_serial "127.0.0.1:$PORT" "$C/ca.crt")
[ "$serial" = 1002 ] && ok "a new connection gets serial 1002" || fail "serial after renewal: '$serial'"
kill -0 "$PID" 2>/dev/null && curl -sSf --cacert "$C/ca.crt" -o /dev/null "$HTTPS/healthz" &&
  ok "the same lobbyd still serves" || fail "lobbyd gone after the reload"

echo "== SIGHUP with a broken key keeps the old certificate"
install -m 644 "$C/s3.crt" "$C/live/lobbyd.crt"
head -c 100 "$C/s3.key" > "$C/live/lobbyd.key"
reload_and_wait 2 || fail "no reload line after the second SIGHUP"
grep -qF "the key $C/live/lobbyd.key is not an unencrypted PEM private key" "$WORK/log" &&
  grep -qF "reload: TLS certificate $C/live/lobbyd.crt and key $C/live/lobbyd.key refused" "$WORK/log" &&
  ok "the broken key is refused, naming the file" || fail "no error naming the broken key"
serial=$(tls_serial "127.0.0.1:$PORT" "$C/ca.crt")
[ "$serial" = 1002 ] && ok "serial 1002 still served" || fail "serial after a broken key: '$serial'"

echo "== SIGHUP with a key of another certificate keeps the old certificate"
install -m 600 "$C/s1.key" "$C/live/lobbyd.key"
reload_and_wait 3 || fail "no reload line after the third SIGHUP"
grep -qF "the key $C/live/lobbyd.key does not belong to the certificate $C/live/lobbyd.crt" \
  "$WORK/log" && ok "the mismatched pair is refused" || fail "no error for a mismatched pair"
serial=$(tls_serial "127.0.0.1:$PORT" "$C/ca.crt")
[ "$serial" = 1002 ] && ok "serial 1002 still served" || fail "serial after a mismatch: '$serial'"
kill -0 "$PID" 2>/dev/null && ok "lobbyd still running" || fail "lobbyd exited"

echo "== TLS off needs a restart"
printf '[server]\ndatabase = %s\n' "$WORK/lobby.db" > "$INI"
reload_and_wait 4 || fail "no reload line after the fourth SIGHUP"
grep -qF "needs a restart to change: [tls] cert and key (TLS off)" "$WORK/log" &&
  ok "turning TLS off is named as needing a restart" || fail "no restart note for TLS off"
[ "$(tls_serial "127.0.0.1:$PORT" "$C/ca.crt")" = 1002 ] && ok "still HTTPS" || fail "not HTTPS any more"

srv_stop
[ "$RC" -eq 0 ] && ok "stops cleanly" || fail "exit status $RC at SIGTERM"
srv_finish
