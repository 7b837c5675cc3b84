#!/usr/bin/env bash
# ctl.tls: lobbyctl against a real lobbyd serving HTTPS ([tls]).
#
#   lobbyctl_tls.sh LOBBYD LOBBYCTL
#
# With --ca-file (or LOBBY_CA_FILE) it posts a notice and lists it; without
# the CA, with another CA, or with a pin of another key it fails with exit
# 3 and says the certificate is not trusted (or the pin does not match),
# and sends nothing in clear; --pin of the server's key works; a CA or pin
# with an http:// server is a usage error.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../server/server_lib.sh"
. "$HERE/../server/tls_lib.sh"
srv_init "${1:?usage: $0 LOBBYD LOBBYCTL}"
CTL=${2:?usage: $0 LOBBYD LOBBYCTL}
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
tls_lobbyd_start 2001
export LOBBY_SERVER="https://127.0.0.1:$PORT" LOBBY_TOKEN=$TOKEN
unset LOBBY_CA_FILE LOBBY_PIN

# ctl WANT ARGS...: lobbyctl's exit status is WANT; output in $WORK/out, $WORK/err.
ctl() {
  local want=$1
  shift
  "$CTL" "$@" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  [ "$rc" -eq "$want" ] && return 0
  fail "lobbyctl $* exited $rc, wanted $want: $(cat "$WORK/err")"
  return 1
}
err_has() { grep -qF -- "$1" "$WORK/err" && ok "$2" || fail "$2: stderr lacks '$1': $(cat "$WORK/err")"; }

echo "== with the CA"
ctl 0 --ca-file "$C/ca.crt" notice post --title "TLS 测试" --body "经由 HTTPS" --category other &&
  ok "--ca-file: notice posted"
ctl 0 --ca-file "$C/ca.crt" notice list && grep -qF "TLS 测试" "$WORK/out" &&
  ok "--ca-file: notice listed" || fail "the notice is not listed: $(cat "$WORK/out")"
LOBBY_CA_FILE="$C/ca.crt" ctl 0 notice list && grep -qF "TLS 测试" "$WORK/out" &&
  ok "LOBBY_CA_FILE: notice listed"
ctl 0 --ca-file "$C/ca.crt" --pin "$PIN" notice list && ok "--pin of the server's key"
LOBBY_CA_FILE="$C/ca.crt" LOBBY_PIN="$PIN" ctl 0 notice list && ok "LOBBY_PIN of the server's key"

echo "== not trusted"
ctl 3 notice list &&
  err_has "lobbyctl: the server's certificate is not trusted:" "no CA: exit 3, not trusted"
err_has "give --ca-file or check LOBBY_SERVER" "no CA: says what to do"
ctl 3 --ca-file "$C/other.crt" notice post --title "不该发出" --body "x" --category other &&
  err_has "the server's certificate is not trusted" "another CA: exit 3, not trusted"
ctl 3 --ca-file "$C/ca.crt" --pin "$OTHER_PIN" notice list &&
  err_has "lobbyctl: the server's public key does not match the pin" "another pin: exit 3"
LOBBY_CA_FILE="$C/ca.crt" LOBBY_PIN="$OTHER_PIN" ctl 3 notice list &&
  err_has "does not match the pin" "LOBBY_PIN of another key: exit 3"
ctl 0 --ca-file "$C/ca.crt" --json notice list &&
  [ "$(jq '[.notices[] | select(.title == "不该发出")] | length' "$WORK/out")" = 0 ] &&
  ok "nothing was posted through the untrusted attempts" ||
  fail "the untrusted post reached the server: $(cat "$WORK/out")"

echo "== local checks"
ctl 1 --ca-file "$C/nope.crt" notice list && err_has "--ca-file $C/nope.crt cannot be read" "unreadable CA file: exit 1"
ctl 1 --ca-file "$C/ca.crt" --pin sha256//short notice list && err_has "--pin must be sha256//" "malformed pin: exit 1"
ctl 1 --server "http://127.0.0.1:$PORT" --ca-file "$C/ca.crt" notice list &&
  err_has "is not https://: nothing would be checked" "a CA with http://: exit 1"
ctl 1 --server "http://127.0.0.1:$PORT" --pin "$PIN" notice list &&
  err_has "is not https://: nothing would be checked" "a pin with http://: exit 1"
ctl 3 --server "http://127.0.0.1:$PORT" notice list && ok "http:// to the TLS port: exit 3"

srv_stop
srv_finish
